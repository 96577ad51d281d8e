"""Files only their owner (and staff) may fetch.

They live in the "private" storage (STORAGES), never under MEDIA_ROOT or STATIC_ROOT and never
at a public URL, under random names; the name the user gave is kept on the row, for the list
and the download only. The row owns its file (media_storage.ownership) on every path.
"""

import secrets
import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.db.models.fields.files import FieldFile

from media_storage.ownership import OwnsItsFiles, StoredWhollyOrNotAtAll
from users.avatars import megabytes


def private_storage():
    return storages["private"]


def random_name(instance, filename):
    """Nothing of the user's name: it would say what the file is, and could be guessed."""
    return f"files/{secrets.token_hex(16)}"


class PrivateFieldFile(StoredWhollyOrNotAtAll, FieldFile):
    pass


class PrivateFileField(models.FileField):
    attr_class = PrivateFieldFile
    # For orphaned_media and copy_media: its files are private ones (media_storage.references).
    storage_kind = "private"

    def formfield(self, **kwargs):
        # No max_length: the stored name is generated, whatever the user's file is called.
        return super().formfield(**{"max_length": None, **kwargs})


class PrivateFile(OwnsItsFiles, models.Model):
    # In URLs: a random id says nothing of how many files there are.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="private_files"
    )
    file = PrivateFileField(storage=private_storage, upload_to=random_name)
    name = models.CharField(
        max_length=255, blank=True, help_text="The name a download gets (the upload's, if empty)."
    )
    size = models.PositiveBigIntegerField(default=0)
    uploaded = models.DateTimeField(auto_now_add=True)

    owned_files = ("file",)

    class Meta:
        ordering = ["-uploaded"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if self.file and not self.file._committed:
            self.size = self.file.size
            self.name = self.name or shown_name(self.file.name)
        super().save(*args, **kwargs)

    @property
    def size_shown(self):
        """As the site writes sizes (users.avatars.megabytes): a kB or MB is 1,000 or 1,000,000
        bytes."""
        if self.size < 1000:
            return f"{self.size}\xa0bytes"
        if self.size < 1_000_000:
            return f"{self.size / 1000:.1f}\xa0kB"
        return megabytes(self.size)


def shown_name(name):
    """The name a browser sent, as a file name only: no directories, no control characters."""
    name = PurePath(name.replace("\\", "/")).name
    name = "".join(character for character in name if character.isprintable())
    return name[-255:] or "file"
