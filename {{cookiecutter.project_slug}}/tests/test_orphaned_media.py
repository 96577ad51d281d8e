"""manage.py orphaned_media lists, and with --delete removes, media no row refers to."""

import os
import time
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
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
    assert "checked 4 files: 1 referenced files, 2 orphaned" in output.err
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


def test_a_second_path_to_the_same_files_never_makes_referenced_files_orphans(
    media, media_root, capsys
):
    root = Path(media_root)
    (root / "backup").symlink_to(".")  # MEDIA_ROOT/backup/avatars/... is the same files
    (root / "avatars" / "again").symlink_to("../avatars")  # a loop inside the field's directory

    output = run("--delete", "--older-than", "0", capsys=capsys)

    assert (root / media.avatar.name).is_file()
    assert media.avatar.name not in output.out
    assert "deleted avatars/old.webp" in output.out
    assert not any("again" in line or "backup" in line for line in output.out.splitlines())


def test_a_file_a_row_names_through_a_link_is_kept(media, media_root, capsys):
    root = Path(media_root)
    (root / "avatars" / "alias").symlink_to(".")
    filename = Path(media.avatar.name).name
    User.objects.filter(pk=media.pk).update(avatar=f"avatars/alias/{filename}")

    output = run("--delete", "--older-than", "0", capsys=capsys)

    assert (root / "avatars" / filename).is_file()
    assert f"avatars/{filename}" not in output.out


def test_files_that_belong_to_no_file_field_are_left_alone(media, media_root, capsys):
    root = Path(media_root)
    for name in (".gitkeep", "CACHE/images/thumb.jpg", "avatars/.gitkeep", "notes.txt"):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(b"not an upload")

    output = run("--delete", "--older-than", "0", capsys=capsys)

    for name in (".gitkeep", "CACHE/images/thumb.jpg", "avatars/.gitkeep", "notes.txt"):
        assert (root / name).exists()
        assert name not in output.out


def test_entries_that_cannot_be_read_are_reported_with_an_error_not_a_traceback(
    media, media_root, capsys
):
    root = Path(media_root)
    (root / "avatars" / "loop.webp").symlink_to("loop.webp")
    (root / "avatars" / "gone.webp").symlink_to("nowhere.webp")

    with pytest.raises(CommandError, match="2 entries could not be handled"):
        run("--delete", capsys=capsys)

    err = capsys.readouterr().err
    assert "cannot read avatars/loop.webp" in err
    assert "cannot read avatars/gone.webp" in err
    assert not (root / "avatars/old.webp").exists()  # the rest was done
