"""manage.py copy_media SOURCE TARGET

Copies every media file the database refers to from one storage to another, by their
STORAGES aliases: "disk" is MEDIA_ROOT on this machine, "default" is where uploads go now.
Moving from disk to a bucket: copy_media disk default. Private files likewise, between their
own aliases only ("private-disk" is PRIVATE_ROOT, "private" where they go now), so they stay
private: copy_media private-disk private. Each file keeps its name, so no row
changes. Each copy is checked against the original: its size, and its MD5 where both
storages report one. Files already in the target and equal are skipped, so a second run, or
one after an interruption, copies only what is missing; a smaller file in the target (a copy
cut short) is copied again, and any other different one is reported, never replaced. Files
only in the target (uploaded there since the switch) are fine. A wrong configuration (a missing
bucket, refused credentials, an unreachable service) stops it before the first file, or at
the first file that shows it. docs/moving-media.md tells the whole move.
"""

import enum
import hashlib
from dataclasses import dataclass

from django.core.files.storage import FileSystemStorage, InvalidStorageError, storages
from django.core.management.base import BaseCommand, CommandError

from media_storage.references import is_referenced, referenced_names
from media_storage.services import (
    ConfigurationError,
    as_configuration_error,
    bucket_service_of,
    check_configuration,
)

# The aliases of the private files' storages; every other alias holds media.
PRIVATE_ALIASES = {"private": "private", "private-disk": "private"}


class Result(enum.Enum):
    COPIED = "copied"
    SKIPPED = "skipped"
    FAILED = "failed"


@dataclass(frozen=True)
class Outcome:
    result: Result
    detail: str

    def __str__(self):
        # "copied (size, MD5 checked)", "skipped: already there (size equal)"
        separator = " " if self.detail.startswith("(") else ": "
        return f"{self.result.value}{separator}{self.detail}"


def stored_md5(storage, name):
    """The MD5 the storage keeps for a file, in hex, or None if it keeps none."""
    if isinstance(storage, FileSystemStorage):
        with storage.open(name, "rb") as file:
            return hashlib.file_digest(file, "md5").hexdigest()
    service = bucket_service_of(type(storage))
    return service.stored_md5(storage, name) if service else None


def compare(source, target, name):
    """How the target's copy differs from the source's file (a list, empty if it does not),
    and what was compared: "size" or "size, MD5"."""
    problems = []
    size, copied = source.size(name), target.size(name)
    if size != copied:
        problems.append(f"{copied:,} bytes instead of {size:,}")
    expected, actual = stored_md5(source, name), stored_md5(target, name)
    if expected and actual and expected != actual:
        problems.append(f"MD5 {actual} instead of {expected}")
    return problems, "size, MD5" if expected and actual else "size"


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
        kinds = {PRIVATE_ALIASES.get(alias, "default") for alias in (source, target)}
        if len(kinds) > 1:
            raise CommandError(
                "Media and private files never share a storage: copy between disk and default, "
                "or between private-disk and private."
            )
        self.kind = kinds.pop()
        try:
            self.aliases = {source: storages[source], target: storages[target]}
        except InvalidStorageError as error:
            raise CommandError(f"{error} Known: {', '.join(storages.backends)}.") from None
        try:
            for alias, storage in self.aliases.items():
                check_configuration(storage, alias)
            self.copy_all(*self.aliases.values(), options["verbosity"])
        except ConfigurationError as error:
            raise CommandError(str(error)) from None

    def copy_all(self, origin, destination, verbosity):
        names = sorted(referenced_names(self.kind))
        done = {result: 0 for result in Result}
        try:
            for number, name in enumerate(names, 1):
                outcome = self.copy_checked(origin, destination, name)
                done[outcome.result] += 1
                if verbosity >= 1:
                    self.stdout.write(f"[{number}/{len(names)}] {outcome}: {name}")
        finally:  # interrupted or stopped by a configuration error too
            self.stdout.write(
                f"{len(names)} files referenced: {done[Result.COPIED]} copied, "
                f"{done[Result.SKIPPED]} already there, {done[Result.FAILED]} failed."
            )
        if done[Result.FAILED]:
            raise CommandError(
                f"{done[Result.FAILED]} files were not copied (listed above); run again to retry."
            )

    def copy_checked(self, origin, destination, name):
        try:
            return self.copy(origin, destination, name)
        except KeyboardInterrupt:
            raise CommandError("Interrupted: run the same command again to finish.") from None
        except Exception as error:  # each backend has its own errors
            for alias, storage in self.aliases.items():
                if failure := as_configuration_error(storage, error, alias):
                    raise failure from error
            return Outcome(Result.FAILED, f"{type(error).__name__}: {error}")

    def copy(self, origin, destination, name):
        if not is_referenced(name, self.kind):  # removed or replaced since the run began
            return Outcome(Result.SKIPPED, "no row refers to it any more")
        if not origin.exists(name):
            if destination.exists(name):  # uploaded there since the switch
                return Outcome(Result.SKIPPED, "only in the target")
            return Outcome(Result.FAILED, "in neither storage")
        if destination.exists(name):
            problems, compared = compare(origin, destination, name)
            if not problems:
                return Outcome(Result.SKIPPED, f"already there ({compared} equal)")
            if destination.size(name) >= origin.size(name):
                return Outcome(
                    Result.FAILED,
                    "the target holds a different file of that name ("
                    + " and ".join(problems)
                    + "); nothing was replaced",
                )
            destination.delete(name)  # smaller: a copy cut short, made again below
        with origin.open(name, "rb") as content:
            stored = destination.save(name, content)
        if stored != name:
            destination.delete(stored)
            return Outcome(Result.FAILED, f"the target stored it as {stored}")
        problems, compared = compare(origin, destination, name)
        if problems:
            destination.delete(name)
            return Outcome(Result.FAILED, "the copy has " + " and ".join(problems))
        return Outcome(Result.COPIED, f"({compared} checked)")
