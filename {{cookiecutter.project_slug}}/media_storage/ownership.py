"""Models whose rows own their stored files, on every path that changes them (forms, the
admin, the shell, QuerySet.delete()): a replaced or cleared file is deleted once the new state
is committed, never before; a save that fails removes the file it had just stored; a deleted
row's files go once the deletion is committed."""

import logging
from functools import partial

from django.db import models, transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

logger = logging.getLogger(__name__)


def delete_file(storage, name):
    """Remove a file no row refers to any more; a failure is logged, never raised."""
    try:
        storage.delete(name)
    except Exception:
        logger.exception("Could not delete the replaced media file %s; it is left behind", name)


class StoredWhollyOrNotAtAll:
    """For a FieldFile whose field makes random names: a store that fails part way (a full
    disk) leaves nothing behind. FieldFile.save, with the name chosen first; a random name can
    only be this store's, so removing it after a failure removes nothing else."""

    def save(self, name, content, save=True):
        name = self.field.generate_filename(self.instance, name)
        try:
            self.name = self.storage.save(name, content, max_length=self.field.max_length)
        except Exception:
            delete_file(self.storage, name)
            raise
        setattr(self.instance, self.field.attname, self.name)
        self._committed = True
        if save:
            self.instance.save()


class OwnsItsFiles(models.Model):
    """owned_files names the file fields whose files live and die with the row."""

    owned_files = ()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        stored_before = {}
        try:
            with transaction.atomic():
                if self.pk is not None:
                    # The names the database holds now, locked, so two saves of one row take
                    # turns (SQLite's transactions start IMMEDIATE, see settings).
                    stored_before = (
                        type(self)
                        ._base_manager.select_for_update()
                        .filter(pk=self.pk)
                        .values(*self.owned_files)
                        .first()
                    ) or {}
                super().save(*args, **kwargs)  # stores new files first
        except Exception:
            for file, before in self.files_and_names_before(stored_before):
                if file._committed and file.name not in ("", None, before):
                    delete_file(file.storage, file.name)  # stored for this save, now unused
            raise
        for file, before in self.files_and_names_before(stored_before):
            if before and before != file.name:
                transaction.on_commit(partial(delete_file, file.storage, before))

    def files_and_names_before(self, stored_before):
        return [(getattr(self, name), stored_before.get(name)) for name in self.owned_files]


@receiver(post_delete)
def delete_owned_files(sender, instance, **kwargs):
    """A deleted row's files go once the deletion is committed."""
    if isinstance(instance, OwnsItsFiles):
        for name in instance.owned_files:
            file = getattr(instance, name)
            if file:
                transaction.on_commit(partial(delete_file, file.storage, file.name))
