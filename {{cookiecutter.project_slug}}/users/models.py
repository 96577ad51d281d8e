from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    """The project's user: Django's own, plus an avatar stored by the default (media) storage."""

    avatar = models.ImageField(upload_to="avatars/", blank=True)
