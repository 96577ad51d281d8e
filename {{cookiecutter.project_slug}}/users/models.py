import logging

from django import forms
from django.contrib.auth.models import AbstractUser
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.db.models.fields.files import ImageFieldFile
from django.db.models.signals import post_delete
from django.dispatch import receiver

from .avatars import avatar_for, avatar_path, validate_avatar

logger = logging.getLogger(__name__)


class AvatarFieldFile(ImageFieldFile):
    def save(self, name, content, save=True):
        """Store the re-encoded image, never the bytes given: every path that sets a new
        avatar comes here (forms, the admin, avatar.save(), assignment then model.save())."""
        webp = ContentFile(avatar_for(content))
        # FieldFile.save, with the name chosen first: a store that fails part way (a full
        # disk) leaves nothing behind. The name is random, so it can only be this store's.
        name = self.field.generate_filename(self.instance, name)
        try:
            self.name = self.storage.save(name, webp, max_length=self.field.max_length)
        except Exception:
            delete_file(self.storage, name)
            raise
        setattr(self.instance, self.field.attname, self.name)
        self._committed = True
        if save:
            self.instance.save()


class AvatarField(models.ImageField):
    attr_class = AvatarFieldFile

    def formfield(self, **kwargs):
        # A plain file field: the validator reads the image once and names the accepted
        # formats; Django's ImageField would open it again and list its own extensions.
        # No max_length: the stored name is generated, whatever the user's file is called.
        kwargs = {"form_class": forms.FileField, "max_length": None, **kwargs}
        return super().formfield(**kwargs)


def delete_file(storage, name):
    """Remove a file no row refers to any more; a failure is logged, never raised."""
    try:
        storage.delete(name)
    except Exception:
        logger.exception("Could not delete the replaced media file %s; it is left behind", name)


class User(AbstractUser):
    """The project's user: Django's own, plus an avatar stored by the default (media) storage.

    The model owns the avatar file's life, whatever path changes it: a replaced or cleared
    avatar's file is deleted once the new state is committed, never before; a save that fails
    removes the file it had just stored; deleting the user deletes the file.
    """

    avatar = AvatarField(upload_to=avatar_path, blank=True, validators=[validate_avatar])

    def save(self, *args, **kwargs):
        # The image work (decode, re-encode) before the transaction: SQLite locks the whole
        # database while a write transaction is open.
        if self.avatar and not self.avatar._committed:
            avatar_for(self.avatar.file)
        storage = self.avatar.storage
        stored_before = None
        try:
            with transaction.atomic():
                if self.pk is not None:
                    # The name the database holds now, locked, so two saves of one user
                    # take turns (SQLite's transactions start IMMEDIATE, see settings).
                    stored_before = (
                        type(self)
                        ._base_manager.select_for_update()
                        .filter(pk=self.pk)
                        .values_list("avatar", flat=True)
                        .first()
                    )
                super().save(*args, **kwargs)  # stores a new avatar file first
        except Exception:
            if self.avatar._committed and self.avatar.name not in ("", None, stored_before):
                delete_file(storage, self.avatar.name)  # stored for this save, now unused
            raise
        if stored_before and stored_before != self.avatar.name:
            transaction.on_commit(lambda: delete_file(storage, stored_before))


@receiver(post_delete, sender=User)
def delete_avatar_file(sender, instance, **kwargs):
    """A deleted user's avatar goes once the deletion is committed (QuerySet.delete() too)."""
    if instance.avatar:
        storage, name = instance.avatar.storage, instance.avatar.name
        transaction.on_commit(lambda: delete_file(storage, name))
