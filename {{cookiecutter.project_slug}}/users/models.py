from django.contrib.auth.models import AbstractUser
from django.db import models

from .avatars import avatar_path, validate_avatar


class User(AbstractUser):
    """The project's user: Django's own, plus an avatar stored by the default (media) storage."""

    avatar = models.ImageField(upload_to=avatar_path, blank=True, validators=[validate_avatar])
