"""manage.py orphaned_media [--delete] [--older-than HOURS]

Lists the files in media storage that no database row refers to, such as avatars left behind
by an older version of this project or by a failed save, and with --delete removes them. Works
on whatever the default storage is (local disk or a bucket), or with --private on the private
files' storage. It looks only where the project's file fields store files (avatars/, files/),
so files it knows nothing of (a .gitkeep, a thumbnail library's CACHE/) are left alone; on disk
it compares real paths, so a file a row refers to is kept whatever other path leads to it.
"""

from datetime import timedelta

from django.core.files.storage import storages
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from media_storage.listing import Listing
from media_storage.references import referenced_names, upload_directories
from media_storage.services import as_configuration_error, check_configuration


class Command(BaseCommand):
    help = "List media files that no database row refers to; --delete removes them."

    def add_arguments(self, parser):
        parser.add_argument("--delete", action="store_true", help="delete the files listed")
        parser.add_argument(
            "--private", action="store_true", help="the private files' storage, not the media's"
        )
        parser.add_argument(
            "--older-than",
            type=float,
            default=1.0,
            metavar="HOURS",
            help="only files at least this old (default 1): a younger one may belong to an "
            "upload whose row is still being saved",
        )

    def handle(self, *args, delete, older_than, private, **options):
        self.kind = "private" if private else "default"
        self.storage = storages[self.kind]  # the backend itself: default_storage is a proxy
        try:
            check_configuration(self.storage, self.kind)
            self.sweep(delete, older_than)
        except Exception as error:
            failure = as_configuration_error(self.storage, error, self.kind)
            if failure is None:
                raise
            raise CommandError(str(failure)) from None

    def sweep(self, delete, older_than):
        listing = Listing(self.storage)
        referenced = {listing.identity(name) for name in referenced_names(self.kind)}
        cutoff = timezone.now() - timedelta(hours=older_than)
        checked = orphaned = young = 0
        for stored in listing.files(upload_directories(self.kind)):
            checked += 1
            if checked % 500 == 0:
                self.stderr.write(f"checked {checked} files, {orphaned} orphaned so far")
            if stored.identity in referenced:
                continue
            if stored.modified > cutoff:
                young += 1
                continue
            orphaned += 1
            if delete:
                self.remove(stored.name, listing.problems)
            else:
                self.stdout.write(stored.name)
        for problem in listing.problems:
            self.stderr.write(problem)
        verb = "deleted" if delete else "orphaned (run again with --delete to remove them)"
        self.stderr.write(
            f"checked {checked} files: {len(referenced)} referenced files, {orphaned} {verb}, "
            f"{young} younger than {older_than:g} h left alone"
        )
        if listing.problems:
            raise CommandError(f"{len(listing.problems)} entries could not be handled (above).")

    def remove(self, name, problems):
        try:
            self.storage.delete(name)
        except Exception as error:  # OSError on disk, each SDK its own in a bucket
            problems.append(f"cannot delete {name}: {type(error).__name__}: {error}")
            return
        self.stdout.write(f"deleted {name}")
