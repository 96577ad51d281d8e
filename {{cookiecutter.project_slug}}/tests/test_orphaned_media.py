"""manage.py orphaned_media lists, and with --delete removes, media no row refers to."""

import os
import time
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from images import encoded, picture

from users.models import User

pytestmark = pytest.mark.django_db


def age(path, hours):
    then = time.time() - hours * 3600
    os.utime(path, (then, then))


@pytest.fixture
def media(media_root):
    """One referenced avatar, two old orphans (one in a sub-directory) and a new one."""
    user = User.objects.create_user("ada", password="a-long-password")
    user.avatar.save("a.png", ContentFile(encoded(picture(), "PNG")))
    for name in ("avatars/old.webp", "avatars/2019/older.jpg", "avatars/new.webp"):
        path = Path(media_root) / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"left behind")
        age(path, 0 if name.endswith("new.webp") else 2)
    age(Path(media_root) / user.avatar.name, 2)
    return user


def run(*args, capsys):
    call_command("orphaned_media", *args)
    return capsys.readouterr()


def test_old_files_no_row_refers_to_are_listed_and_nothing_is_deleted(media, media_root, capsys):
    output = run(capsys=capsys)

    assert output.out.split() == ["avatars/old.webp", "avatars/2019/older.jpg"]
    assert "checked 4 files: 1 referenced names, 2 orphaned" in output.err
    assert "1 younger than 1 h left alone" in output.err
    assert (Path(media_root) / "avatars/old.webp").exists()


def test_delete_removes_the_orphans_and_keeps_referenced_and_young_files(media, media_root, capsys):
    output = run("--delete", capsys=capsys)

    assert "2 deleted" in output.err
    left = sorted(str(p.relative_to(media_root)) for p in Path(media_root).rglob("*.*"))
    assert left == sorted([media.avatar.name, "avatars/new.webp"])


def test_older_than_zero_includes_new_files(media, capsys):
    assert "avatars/new.webp" in run("--older-than", "0", capsys=capsys).out.split()


def test_a_missing_media_directory_is_an_empty_one(settings, tmp_path, capsys):
    settings.MEDIA_ROOT = tmp_path / "missing"

    assert "checked 0 files" in run(capsys=capsys).err
