"""manage.py copy_media copies the media the database refers to into another storage, checks
each copy, and can be run again until everything is there."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import CommandError, call_command

from users.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def target(settings, tmp_path):
    """A second storage, "target", in a directory of its own, standing in for a bucket."""
    settings.STORAGES = {
        **settings.STORAGES,
        "target": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "target"},
        },
    }
    return storages["target"]


@pytest.fixture
def users_with_avatars():
    """Three users whose avatars are on disk (named directly: this is about files, not
    images), and one without."""
    disk = storages["disk"]
    for number in range(3):
        name = disk.save(f"avatars/{number}.webp", ContentFile(b"avatar %d " % number * 1000))
        User.objects.create_user(f"user{number}", password="a-long-password")
        User.objects.filter(username=f"user{number}").update(avatar=name)
    User.objects.create_user("plain", password="a-long-password")
    return sorted(User.objects.exclude(avatar="").values_list("avatar", flat=True))


def copy_media(capsys, *args):
    call_command("copy_media", *args)
    return capsys.readouterr().out


def test_every_referenced_file_is_copied_and_no_row_changes(target, users_with_avatars, capsys):
    rows = list(User.objects.values_list("pk", "avatar").order_by("pk"))

    out = copy_media(capsys, "disk", "target")

    for name in users_with_avatars:
        assert target.open(name).read() == storages["disk"].open(name).read()
    assert list(User.objects.values_list("pk", "avatar").order_by("pk")) == rows
    assert "[1/3] copied (size, MD5 checked): avatars/0.webp" in out
    assert "3 files referenced: 3 copied, 0 already there, 0 failed." in out


def test_a_second_run_copies_nothing_again(target, users_with_avatars, capsys):
    copy_media(capsys, "disk", "target")

    out = copy_media(capsys, "disk", "target")

    assert "3 files referenced: 0 copied, 3 already there, 0 failed." in out


def test_a_copy_cut_short_by_an_interruption_is_copied_again(target, users_with_avatars, capsys):
    copy_media(capsys, "disk", "target")
    cut_short = users_with_avatars[1]
    target.delete(cut_short)
    target.save(cut_short, ContentFile(b"avatar 1 avatar"))

    out = copy_media(capsys, "disk", "target")

    assert target.open(cut_short).read() == storages["disk"].open(cut_short).read()
    assert "1 copied, 2 already there, 0 failed." in out


def test_a_different_file_of_the_same_name_in_the_target_is_reported_not_replaced(
    target, users_with_avatars, capsys
):
    theirs = users_with_avatars[2]
    target.save(theirs, ContentFile(b"a different file, as long as the original or longer" * 200))

    with pytest.raises(CommandError, match="1 files were not copied"):
        copy_media(capsys, "disk", "target")

    out = capsys.readouterr().out
    assert "failed: the target holds a different file of that name" in out
    assert target.open(theirs).read().startswith(b"a different file")


def test_a_file_uploaded_to_the_target_since_the_switch_is_fine(target, users_with_avatars, capsys):
    copy_media(capsys, "disk", "target")
    new = users_with_avatars[0]
    storages["disk"].delete(new)  # the row now names a file only the target holds

    out = copy_media(capsys, "disk", "target")

    assert f"skipped: only in the target: {new}" in out
    assert "0 copied, 3 already there, 0 failed." in out


def test_a_file_missing_from_both_storages_is_reported_and_the_others_copied(
    target, users_with_avatars, capsys
):
    storages["disk"].delete(users_with_avatars[0])

    with pytest.raises(CommandError, match="1 files were not copied"):
        copy_media(capsys, "disk", "target")

    out = capsys.readouterr().out
    assert f"failed: in neither storage: {users_with_avatars[0]}" in out
    assert "3 files referenced: 2 copied, 0 already there, 1 failed." in out
    assert not target.exists(users_with_avatars[0])


def test_an_unknown_storage_is_a_one_line_error(users_with_avatars, capsys):
    with pytest.raises(CommandError) as error:
        copy_media(capsys, "disk", "bucket")

    assert "bucket" in str(error.value) and "disk" in str(error.value)
    assert "\n" not in str(error.value)
