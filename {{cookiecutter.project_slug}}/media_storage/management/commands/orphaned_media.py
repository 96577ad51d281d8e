"""manage.py orphaned_media [--delete] [--older-than HOURS]

Lists the files in media storage that no database row refers to, such as avatars left behind
by an older version of this project or by a failed save, and with --delete removes them. Works
on whatever the default storage is (local disk or a bucket): it only lists, reads file times
and deletes through the storage API.
"""

from datetime import timedelta

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand
from django.utils import timezone

from media_storage.references import referenced_names


def stored_names(storage, directory=""):
    """Every file in storage, depth first."""
    try:
        directories, files = storage.listdir(directory)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{directory}/{name}" if directory else name
    for name in sorted(directories):
        yield from stored_names(storage, f"{directory}/{name}" if directory else name)


class Command(BaseCommand):
    help = "List media files that no database row refers to; --delete removes them."

    def add_arguments(self, parser):
        parser.add_argument("--delete", action="store_true", help="delete the files listed")
        parser.add_argument(
            "--older-than",
            type=float,
            default=1.0,
            metavar="HOURS",
            help="only files at least this old (default 1): a younger one may belong to an "
            "upload whose row is still being saved",
        )

    def handle(self, *args, delete, older_than, **options):
        referenced = referenced_names()
        cutoff = timezone.now() - timedelta(hours=older_than)
        checked = orphaned = young = 0
        for name in stored_names(default_storage):
            checked += 1
            if checked % 500 == 0:
                self.stderr.write(f"checked {checked} files, {orphaned} orphaned so far")
            if name in referenced:
                continue
            if default_storage.get_modified_time(name) > cutoff:
                young += 1
                continue
            orphaned += 1
            if delete:
                default_storage.delete(name)
                self.stdout.write(f"deleted {name}")
            else:
                self.stdout.write(name)
        verb = "deleted" if delete else "orphaned (run again with --delete to remove them)"
        self.stderr.write(
            f"checked {checked} files: {len(referenced)} referenced names, {orphaned} {verb}, "
            f"{young} younger than {older_than:g} h left alone"
        )
