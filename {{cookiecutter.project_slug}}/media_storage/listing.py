"""The files stored under the directories the project's file fields use, on disk or in a
bucket, each with what identifies it: on disk its real path (links resolved), so that a second
path to a file is still that file; in a bucket its name."""

import os
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import FileSystemStorage


@dataclass(frozen=True)
class StoredFile:
    name: str  # as the storage names it
    identity: str  # the real path on disk, the name in a bucket
    modified: datetime


@dataclass
class Listing:
    """Files found, and a line for each entry that could not be read."""

    storage: object
    problems: list = field(default_factory=list)

    def identity(self, name):
        """What identifies the file a row names: its real path on disk."""
        if not isinstance(self.storage, FileSystemStorage):
            return name
        try:
            return os.path.realpath(self.storage.path(name))
        except SuspiciousFileOperation:
            return name

    def files(self, directories):
        for directory in sorted(directories):
            if isinstance(self.storage, FileSystemStorage):
                yield from self.disk_files(directory)
            else:
                yield from self.stored_files(directory)

    def disk_files(self, top):
        """Regular files only (a link is not a file the storage wrote, and its target is
        reached through its own path); hidden entries, which no upload gets, are left alone.
        Each directory is walked once, however many links lead to it."""
        root = self.storage.location
        pending, seen = [top], set()
        while pending:
            directory = pending.pop()
            try:
                status = os.stat(os.path.join(root, directory))
                if (status.st_dev, status.st_ino) in seen:
                    continue
                seen.add((status.st_dev, status.st_ino))
                entries = sorted(os.scandir(os.path.join(root, directory)), key=lambda e: e.name)
            except FileNotFoundError:
                continue
            except OSError as error:
                self.problems.append(f"cannot read {directory or '.'}/: {error.strerror}")
                continue
            below = []
            for entry in entries:
                name = f"{directory}/{entry.name}" if directory else entry.name
                if entry.name.startswith("."):
                    continue
                try:
                    if entry.is_dir():
                        if top:  # files a field stores at the top: not the directories there
                            below.append(name)
                    elif entry.is_file(follow_symlinks=False):
                        modified = datetime.fromtimestamp(entry.stat().st_mtime, UTC)
                        yield StoredFile(name, os.path.realpath(entry.path), modified)
                    elif not entry.is_symlink() or not os.path.exists(entry.path):
                        self.problems.append(f"cannot read {name}: not a file or directory")
                except OSError as error:
                    self.problems.append(f"cannot read {name}: {error.strerror}")
            pending.extend(reversed(below))

    def stored_files(self, directory):
        """Through the storage API: a bucket has no links."""
        try:
            directories, files = self.storage.listdir(directory)
        except FileNotFoundError:
            return
        for name in sorted(files):
            name = f"{directory}/{name}" if directory else name
            try:
                modified = self.storage.get_modified_time(name)
            except Exception as error:  # each SDK has its own; the bucket itself was reachable
                self.problems.append(f"cannot read {name}: {type(error).__name__}: {error}")
                continue
            yield StoredFile(name, name, modified)
        if directory:
            for name in sorted(directories):
                yield from self.stored_files(f"{directory}/{name}")
