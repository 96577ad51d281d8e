"""The model owns the avatar file's life, whatever path changes it: the profile page, the
admin, FieldFile.save(), assignment then save(), deletes. The old file goes only once the new
state is committed; a failed save keeps the row and the old file and leaves no new file."""

import logging
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import DatabaseError
from django.urls import reverse
from images import encoded, photo, picture, stored_image, upload

from users.models import User

pytestmark = pytest.mark.django_db


def stored_files(media_root):
    files = Path(media_root).rglob("*")
    return sorted(str(p.relative_to(media_root)) for p in files if p.is_file())


@pytest.fixture
def member(client):
    user = User.objects.create_user("ada", "ada@example.com", "a-long-password")
    client.force_login(user)
    return user


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a block, then what it scheduled for after the commit."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def give_avatar(user, committed, colour=(200, 40, 40)):
    with committed():
        user.avatar.save("first.png", ContentFile(encoded(picture(colour=colour), "PNG")))
    return user.avatar.name


def test_fieldfile_save_works_for_a_user_without_an_avatar(member, media_root):
    member.avatar.save("a.png", ContentFile(encoded(picture(), "PNG")))

    member.refresh_from_db()
    assert member.avatar.name.endswith(".webp")
    assert stored_files(media_root) == [member.avatar.name]


def test_fieldfile_save_stores_webp_whatever_the_old_avatar_was(member, media_root, committed):
    old = give_avatar(member, committed)
    with committed():
        member.avatar.save("b.png", ContentFile(photo("PNG")))

    image, _ = stored_image(member.avatar)
    assert image.format == "WEBP" and member.avatar.name.endswith(".webp")
    assert stored_files(media_root) == [member.avatar.name] != [old]


def test_assignment_then_save_replaces_the_file(member, media_root, committed):
    give_avatar(member, committed)
    member.avatar = ContentFile(encoded(picture(), "GIF"), name="c.gif")
    with committed():
        member.save()

    assert stored_files(media_root) == [member.avatar.name]
    assert stored_image(member.avatar)[0].format == "WEBP"


def test_the_old_file_stays_until_the_new_state_is_committed(
    member, media_root, django_capture_on_commit_callbacks
):
    old = give_avatar(member, lambda: django_capture_on_commit_callbacks(execute=True))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        member.avatar.save("d.png", ContentFile(photo("PNG")))
        assert old in stored_files(media_root)

    assert old in stored_files(media_root)  # not committed yet
    for callback in callbacks:
        callback()
    assert stored_files(media_root) == [member.avatar.name]


def test_bad_bytes_through_fieldfile_save_are_refused_and_store_nothing(member, media_root):
    with pytest.raises(ValidationError, match="images are accepted"):
        member.avatar.save("e.png", ContentFile(b"<svg onload=alert(1)>"))

    assert stored_files(media_root) == []


def test_a_failed_database_save_keeps_the_row_and_the_old_file_and_removes_the_new_one(
    member, media_root, committed, monkeypatch
):
    old = give_avatar(member, committed)

    def fail(*args, **kwargs):
        raise DatabaseError("the database went away")

    monkeypatch.setattr("django.db.models.Model.save_base", fail)
    with pytest.raises(DatabaseError), committed():
        member.avatar.save("f.png", ContentFile(photo("PNG")))

    assert User.objects.get(pk=member.pk).avatar.name == old
    assert stored_files(media_root) == [old]


def test_deleting_a_user_deletes_the_file(member, media_root, committed):
    give_avatar(member, committed)
    with committed():
        member.delete()

    assert stored_files(media_root) == []


def test_a_queryset_delete_deletes_every_file(member, media_root, committed):
    other = User.objects.create_user("grace", password="a-long-password")
    give_avatar(member, committed)
    give_avatar(other, committed, colour=(0, 0, 200))
    with committed():
        User.objects.all().delete()

    assert stored_files(media_root) == []


def admin_change(client, user, data):
    admin = User.objects.create_superuser("root", "root@example.com", "a-long-password")
    client.force_login(admin)
    url = reverse("admin:users_user_change", args=[user.pk])
    form = {
        "username": user.username,
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
        "initial-date_joined_0": "2026-01-01",
        "initial-date_joined_1": "00:00:00",
        "is_active": "on",
        **data,
    }
    return client.post(url, form)


def test_replacing_in_the_admin_deletes_the_old_file(client, member, media_root, committed):
    old = give_avatar(member, committed)
    with committed():
        response = admin_change(client, member, {"avatar": upload(photo())})

    assert response.status_code == 302, response.content.decode()[:3000]
    member.refresh_from_db()
    assert member.avatar.name != old
    assert stored_files(media_root) == [member.avatar.name]


def test_clearing_in_the_admin_deletes_the_file(client, member, media_root, committed):
    give_avatar(member, committed)
    with committed():
        response = admin_change(client, member, {"avatar-clear": "on"})

    assert response.status_code == 302, response.content.decode()[:3000]
    member.refresh_from_db()
    assert not member.avatar
    assert stored_files(media_root) == []


def test_the_admin_refuses_what_the_profile_page_refuses(client, member, media_root):
    response = admin_change(client, member, {"avatar": upload(b"", name="a.png")})

    assert response.status_code == 200
    assert stored_files(media_root) == []


def test_a_user_can_remove_their_own_avatar(client, member, media_root, committed):
    give_avatar(member, committed)
    with committed():
        response = client.post(reverse("remove_avatar"))

    assert response.status_code == 302
    member.refresh_from_db()
    assert not member.avatar
    assert stored_files(media_root) == []
    assert "Remove avatar" not in client.get(reverse("profile")).content.decode()


def assert_upload_fails_with_503(client, caplog, cause):
    """A valid upload that cannot be saved: a 503 page saying so, and the cause logged."""
    with caplog.at_level(logging.ERROR, logger="users.uploads"):
        response = client.post(reverse("profile"), {"avatar": upload(photo())})

    assert response.status_code == 503
    assert "could not be saved" in response.content.decode()
    assert "Nothing was changed" in response.content.decode()
    assert cause in caplog.text


def test_a_failed_database_save_on_the_profile_page_gives_a_503_and_changes_nothing(
    client, member, media_root, committed, monkeypatch, caplog
):
    old = give_avatar(member, committed)

    def fail(*args, **kwargs):
        raise DatabaseError("the database went away")

    monkeypatch.setattr("django.db.models.Model.save_base", fail)

    assert_upload_fails_with_503(client, caplog, "the database went away")
    assert User.objects.get(pk=member.pk).avatar.name == old
    assert stored_files(media_root) == [old]


def test_a_media_directory_that_cannot_be_written_gives_a_503_and_changes_nothing(
    client, member, media_root, settings, committed, caplog
):
    old = give_avatar(member, committed)
    # A regular file where the directory should be: even root cannot write below it.
    blocked = Path(media_root) / "blocked"
    blocked.write_text("not a directory")
    settings.MEDIA_ROOT = blocked / "media"

    assert_upload_fails_with_503(client, caplog, "NotADirectoryError")
    assert User.objects.get(pk=member.pk).avatar.name == old


def test_an_admin_upload_that_cannot_be_stored_gives_the_same_503_page(
    client, member, media_root, settings, committed, caplog
):
    old = give_avatar(member, committed)
    blocked = Path(media_root) / "blocked"
    blocked.write_text("not a directory")
    settings.MEDIA_ROOT = blocked / "media"

    with caplog.at_level(logging.ERROR, logger="users.uploads"):
        response = admin_change(client, member, {"avatar": upload(photo())})

    assert response.status_code == 503
    assert "could not be saved" in response.content.decode()
    assert "NotADirectoryError" in caplog.text
    assert User.objects.get(pk=member.pk).avatar.name == old


def test_two_users_uploading_the_same_name_keep_two_files(client, media_root):
    names = set()
    for username in ("ada", "grace"):
        user = User.objects.create_user(username, password="a-long-password")
        client.force_login(user)
        client.post(reverse("profile"), {"avatar": upload(photo(), name="avatar.png")})
        user.refresh_from_db()
        names.add(user.avatar.name)

    assert len(names) == 2
    assert stored_files(media_root) == sorted(names)
