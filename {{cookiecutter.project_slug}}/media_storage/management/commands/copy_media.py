"""manage.py copy_media SOURCE TARGET

Copies every media file the database refers to from one storage to another, by their
STORAGES aliases: "disk" is MEDIA_ROOT on this machine, "default" is where uploads go now.
Moving from disk to a bucket: copy_media disk default. Each file keeps its name, so no row
changes. Each copy is checked against the original: its size, and its MD5 where both
storages report one. Files already in the target and equal are skipped, so a second run, or
one after an interruption, copies only what is missing; a smaller file in the target (a copy
cut short) is copied again, and any other different one is reported, never replaced. Files
only in the target (uploaded there since the switch) are fine. docs/moving-media.md tells
the whole move.
"""

from dataclasses import dataclass
from enum import Enum

from django.core.files.storage import InvalidStorageError, storages
from django.core.management.base import BaseCommand, CommandError

from media_storage.references import is_referenced, referenced_names
from media_storage.services import stored_md5


class Kind(Enum):
    COPIED = "copied"
    SKIPPED = "skipped"
    FAILED = "failed"


@dataclass(frozen=True)
class Outcome:
    """What became of one file, and why."""

    kind: Kind
    detail: str

    def __str__(self):
        return f"{self.kind.value}: {self.detail}"


def copied(detail):
    return Outcome(Kind.COPIED, detail)


def skipped(detail):
    return Outcome(Kind.SKIPPED, detail)


def failed(detail):
    return Outcome(Kind.FAILED, detail)


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
        try:
            origin, destination = storages[source], storages[target]
        except InvalidStorageError as error:
            raise CommandError(f"{error} Known: {', '.join(storages.backends)}.") from None
        names = sorted(referenced_names())
        counts = dict.fromkeys(Kind, 0)
        try:
            for number, name in enumerate(names, 1):
                try:
                    outcome = self.copy(origin, destination, name)
                except Exception as error:  # each backend has its own errors; report, go on
                    outcome = failed(f"{type(error).__name__}: {error}")
                counts[outcome.kind] += 1
                if options["verbosity"] >= 1:
                    self.stdout.write(f"[{number}/{len(names)}] {outcome}: {name}")
        except KeyboardInterrupt:
            self.report(names, counts)
            raise CommandError("Interrupted: run the same command again to finish.") from None
        self.report(names, counts)
        if counts[Kind.FAILED]:
            raise CommandError(
                f"{counts[Kind.FAILED]} files were not copied (listed above); run again to retry."
            )

    def report(self, names, counts):
        self.stdout.write(
            f"{len(names)} files referenced: {counts[Kind.COPIED]} copied, "
            f"{counts[Kind.SKIPPED]} already there, {counts[Kind.FAILED]} failed."
        )

    def copy(self, origin, destination, name):
        if not is_referenced(name):  # removed or replaced since the run began
            return skipped("no row refers to it any more")
        if not origin.exists(name):
            if destination.exists(name):  # uploaded there since the switch
                return skipped("only in the target")
            return failed("in neither storage")
        if destination.exists(name):
            problems, compared = compare(origin, destination, name)
            if not problems:
                return skipped(f"already there ({compared} equal)")
            if destination.size(name) >= origin.size(name):
                return failed(
                    "the target holds a different file of that name ("
                    + " and ".join(problems)
                    + "); nothing was replaced"
                )
            destination.delete(name)  # smaller: a copy cut short, made again below
        with origin.open(name, "rb") as content:
            stored = destination.save(name, content)
        if stored != name:
            destination.delete(stored)
            return failed(f"the target stored it as {stored}")
        problems, compared = compare(origin, destination, name)
        if problems:
            destination.delete(name)
            return failed("the copy has " + " and ".join(problems))
        return copied(f"{compared} checked")
