from django import forms
from django.contrib.auth.models import AbstractUser
from django.core.files.base import ContentFile
from django.db import models
from django.db.models.fields.files import ImageFieldFile

from media_storage.ownership import OwnsItsFiles, StoredWhollyOrNotAtAll

from .avatars import avatar_for, avatar_path, validate_avatar


class AvatarFieldFile(StoredWhollyOrNotAtAll, ImageFieldFile):
    def save(self, name, content, save=True):
        """Store the re-encoded image, never the bytes given: every path that sets a new
        avatar comes here (forms, the admin, avatar.save(), assignment then model.save())."""
        super().save(name, ContentFile(avatar_for(content)), save)


class AvatarField(models.ImageField):
    attr_class = AvatarFieldFile

    def formfield(self, **kwargs):
        # A plain file field: the validator reads the image once and names the accepted
        # formats; Django's ImageField would open it again and list its own extensions.
        # No max_length: the stored name is generated, whatever the user's file is called.
        kwargs = {"form_class": forms.FileField, "max_length": None, **kwargs}
        return super().formfield(**kwargs)


class User(AbstractUser, OwnsItsFiles):
    """The project's user: Django's own, plus an avatar stored by the default (media) storage.

    The row owns the avatar's file (media_storage.ownership), whatever path changes it.
    """

    avatar = AvatarField(upload_to=avatar_path, blank=True, validators=[validate_avatar])

    owned_files = ("avatar",)

    def save(self, *args, **kwargs):
        # The image work (decode, re-encode) before the transaction: SQLite locks the whole
        # database while a write transaction is open.
        if self.avatar and not self.avatar._committed:
            avatar_for(self.avatar.file)
        super().save(*args, **kwargs)
