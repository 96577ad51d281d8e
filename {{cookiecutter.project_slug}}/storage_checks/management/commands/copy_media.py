"""manage.py copy_media SOURCE TARGET

Copies every media file the database refers to from one storage to another, by their
STORAGES aliases: "disk" is MEDIA_ROOT on this machine, "default" is where uploads go now.
Moving from disk to a bucket: copy_media disk default. Each file keeps its name, so no row
changes. Each copy is checked against the original: its size, and its MD5 where both
storages report one. Files already in the target and equal are skipped, so a second run, or
one after an interruption, copies only what is missing; a file in the target that differs
(a copy cut short) is copied again. docs/media-storage.md tells the whole move.
"""

import base64
import hashlib

from django.core.files.storage import InvalidStorageError, storages
from django.core.management.base import BaseCommand, CommandError

from storage_checks.references import referenced_names


def stored_md5(storage, name):
    """The MD5 the storage keeps for a file, in hex, or None if it keeps none. Bucket
    backends are recognised by name, so no cloud SDK is imported for the others."""
    kind = type(storage).__name__
    if kind == "FileSystemStorage":
        with storage.open(name, "rb") as file:
            return hashlib.file_digest(file, "md5").hexdigest()
    if kind in {"S3Storage", "S3Boto3Storage"}:
        etag = storage.bucket.Object(storage._normalize_name(name)).e_tag.strip('"')
        return None if "-" in etag else etag  # a multipart upload's ETag is no MD5
    if kind == "GoogleCloudStorage":
        blob = storage.bucket.get_blob(storage._normalize_name(name))
        return base64.b64decode(blob.md5_hash).hex() if blob and blob.md5_hash else None
    if kind == "AzureStorage":
        blob = storage.client.get_blob_client(storage._get_valid_path(name))
        md5 = blob.get_blob_properties().content_settings.content_md5
        return bytes(md5).hex() if md5 else None
    return None


def differences(source, target, name):
    """How the target's copy differs from the source's file: an empty list if it does not."""
    problems = []
    size, copied = source.size(name), target.size(name)
    if size != copied:
        problems.append(f"{copied:,} bytes instead of {size:,}")
    expected, actual = stored_md5(source, name), stored_md5(target, name)
    if expected and actual and expected != actual:
        problems.append(f"MD5 {actual} instead of {expected}")
    return problems


class Command(BaseCommand):
    help = (
        "Copy every media file the database refers to from one storage to another (STORAGES "
        "aliases, e.g. disk default), checking each copy. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", help='the storage to copy from, e.g. "disk"')
        parser.add_argument("target", help='the storage to copy to, e.g. "default"')

    def handle(self, *args, source, target, **options):
        if source == target:
            raise CommandError(f"The source and the target are both {source!r}.")
        try:
            origin, destination = storages[source], storages[target]
        except InvalidStorageError as error:
            raise CommandError(f"{error} Known: {', '.join(storages.backends)}.") from None
        names = sorted(referenced_names())
        copied, skipped, failed = [], [], []
        try:
            for number, name in enumerate(names, 1):
                try:
                    outcome = self.copy(origin, destination, name)
                except Exception as error:  # each backend has its own errors; report, go on
                    outcome = f"failed: {type(error).__name__}: {error}"
                if outcome == "copied":
                    copied.append(name)
                elif outcome == "skipped":
                    skipped.append(name)
                else:
                    failed.append(name)
                if options["verbosity"] >= 1:
                    self.stdout.write(f"[{number}/{len(names)}] {outcome}: {name}")
        except KeyboardInterrupt:
            self.report(names, copied, skipped, failed)
            raise CommandError("Interrupted: run the same command again to finish.") from None
        self.report(names, copied, skipped, failed)
        if failed:
            raise CommandError(
                f"{len(failed)} files were not copied (listed above); run again to retry."
            )

    def report(self, names, copied, skipped, failed):
        self.stdout.write(
            f"{len(names)} files referenced: {len(copied)} copied, {len(skipped)} already "
            f"there, {len(failed)} failed."
        )

    def copy(self, origin, destination, name):
        if not origin.exists(name):
            return "failed: not in the source"
        if destination.exists(name):
            if not differences(origin, destination, name):
                return "skipped"
            destination.delete(name)  # a copy cut short: copy it again
        with origin.open(name, "rb") as content:
            stored = destination.save(name, content)
        if stored != name:
            destination.delete(stored)
            return f"failed: the target stored it as {stored}"
        problems = differences(origin, destination, name)
        if problems:
            destination.delete(name)
            return "failed: the copy has " + " and ".join(problems)
        return "copied"
