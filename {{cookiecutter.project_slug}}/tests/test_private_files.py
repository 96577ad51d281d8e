"""Private files: only their owner (and staff) can fetch them, through a view that checks who
asks; stored under random names in the private storage, never at a public URL."""

import io
import os
import re
from pathlib import Path

import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from private_files.models import PrivateFile
from users.models import User

pytestmark = pytest.mark.django_db(transaction=True)

CONTENT = bytes(range(256)) * 40  # 10,240 bytes of every value


@pytest.fixture
def ada(client):
    user = User.objects.create_user("ada", "ada@example.com", "a-long-password")
    client.force_login(user)
    return user


def upload(client, name="report.pdf", content=CONTENT):
    return client.post(reverse("files"), {"file": SimpleUploadedFile(name, content)})


def the_file(name="report.pdf"):
    return PrivateFile.objects.get(name=name)


def logged_in_as(username, **extra):
    user = User.objects.create_user(username, password="a-long-password", **extra)
    client = Client()
    client.force_login(user)
    return client


def body(response):
    return b"".join(response.streaming_content)


def test_the_owner_uploads_sees_the_file_listed_and_downloads_the_same_bytes(client, ada):
    assert upload(client).status_code == 302

    listed = client.get(reverse("files")).content.decode()
    download = client.get(reverse("download_file", args=[the_file().pk]))

    assert "report.pdf" in listed
    assert download.status_code == 200
    assert body(download) == CONTENT
    assert download["Content-Length"] == str(len(CONTENT))


def test_a_download_is_an_attachment_never_shown_or_cached(client, ada):
    upload(client, name="<script>.html")

    download = client.get(reverse("download_file", args=[the_file("<script>.html").pk]))

    assert download["Content-Disposition"] == 'attachment; filename="<script>.html"'
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Cache-Control"] == "private, no-store"
    assert download["Content-Security-Policy"].startswith("sandbox")


def test_a_name_beyond_ascii_is_given_as_rfc_6266_filename_star(client, ada):
    upload(client, name="Übersicht 2026.pdf")

    download = client.get(reverse("download_file", args=[the_file("Übersicht 2026.pdf").pk]))

    assert download["Content-Disposition"] == (
        "attachment; filename*=utf-8''%C3%9Cbersicht%202026.pdf"
    )


def test_the_file_is_stored_under_a_random_name_in_private_root_not_media_root(
    client, ada, private_root, media_root
):
    upload(client)

    stored = Path(storages["private"].path(the_file().file.name))

    assert stored.parent == Path(private_root) / "files"
    assert re.fullmatch(r"[0-9a-f]{32}", stored.name)
    assert stored.read_bytes() == CONTENT
    assert not any(Path(media_root).rglob("*"))
    with pytest.raises(ValueError, match="no URL"):
        the_file().file.url  # noqa: B018 (the access is what raises)


def test_another_user_gets_404_as_for_a_file_that_does_not_exist(client, ada):
    upload(client)
    url = reverse("download_file", args=[the_file().pk])

    bob = logged_in_as("bob")

    assert bob.get(url).status_code == 404
    assert bob.post(url + "delete/").status_code == 404
    assert the_file().file.storage.exists(the_file().file.name)


def test_staff_may_download_any_file(client, ada):
    upload(client)

    download = logged_in_as("staff", is_staff=True).get(
        reverse("download_file", args=[the_file().pk])
    )

    assert body(download) == CONTENT


def test_an_anonymous_visitor_is_sent_to_log_in(client, ada):
    upload(client)
    client.logout()

    for url in (reverse("files"), reverse("download_file", args=[the_file().pk])):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(
    ("asked", "first", "last"),
    [("bytes=100-199", 100, 199), ("bytes=10000-", 10000, 10239), ("bytes=-40", 10200, 10239)],
)
def test_a_range_gets_206_and_those_bytes(client, ada, asked, first, last):
    upload(client)

    part = client.get(reverse("download_file", args=[the_file().pk]), HTTP_RANGE=asked)

    assert part.status_code == 206
    assert part["Content-Range"] == f"bytes {first}-{last}/{len(CONTENT)}"
    assert body(part) == CONTENT[first : last + 1]


def test_a_range_past_the_end_gets_416(client, ada):
    upload(client)

    refused = client.get(reverse("download_file", args=[the_file().pk]), HTTP_RANGE="bytes=20000-")

    assert refused.status_code == 416
    assert refused["Content-Range"] == f"bytes */{len(CONTENT)}"


@pytest.mark.parametrize("header", ["X-Accel-Redirect", "X-Sendfile"])
def test_behind_the_shipped_web_server_the_view_only_says_which_file(
    client, ada, private_root, header
):
    upload(client)
    url = reverse("download_file", args=[the_file().pk])

    answer = client.get(url, HTTP_X_SENDFILE_TYPE=header, REMOTE_ADDR="127.0.0.1")

    assert answer.content == b""
    name = the_file().file.name
    where = {"X-Accel-Redirect": f"/private-files/{name}", "X-Sendfile": f"{private_root}/{name}"}
    assert answer[header] == where[header]
    assert answer["Content-Disposition"] == 'attachment; filename="report.pdf"'


def test_a_client_that_says_x_sendfile_type_itself_gets_the_bytes_from_the_app(client, ada):
    upload(client)
    url = reverse("download_file", args=[the_file().pk])

    answer = client.get(url, HTTP_X_SENDFILE_TYPE="X-Sendfile", REMOTE_ADDR="203.0.113.7")

    assert "X-Sendfile" not in answer
    assert body(answer) == CONTENT


def test_deleting_removes_the_row_and_the_stored_file(client, ada):
    upload(client)
    stored = the_file().file.name

    response = client.post(reverse("delete_file", args=[the_file().pk]))

    assert response.status_code == 302
    assert not PrivateFile.objects.exists()
    assert not storages["private"].exists(stored)


def test_a_file_over_the_limit_is_refused_with_the_limit_named(client, ada, settings):
    settings.MAX_PRIVATE_FILE_SIZE = 1_000_000

    refused = upload(client, content=bytes(1_500_000))

    assert refused.status_code == 400
    assert "This file is 1.5\xa0MB; the limit is 1.0\xa0MB." in refused.content.decode()
    assert not PrivateFile.objects.exists()


def test_the_files_page_takes_bodies_up_to_its_own_limit_and_refuses_larger_unread(
    client, ada, settings
):
    within = settings.MAX_REQUEST_BODY + 1
    over = settings.MAX_PRIVATE_FILE_SIZE + 1_000_001
    declared = {"content_type": "multipart/form-data; boundary=x", "data": b""}

    larger_than_an_avatar = client.post(reverse("files"), CONTENT_LENGTH=str(within), **declared)
    too_large = client.post(
        reverse("files"), CONTENT_LENGTH=str(over), **{"wsgi.input": io.BytesIO()}, **declared
    )

    assert larger_than_an_avatar.status_code != 413
    assert too_large.status_code == 413


def test_a_failed_store_leaves_no_row_and_no_file(client, ada, monkeypatch, private_root):
    def full_disk(self, name, content):
        Path(self.path(name)).parent.mkdir(parents=True, exist_ok=True)
        Path(self.path(name)).write_bytes(b"part")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(type(storages["private"]), "_save", full_disk)

    failed = upload(client)

    assert failed.status_code == 503
    assert not PrivateFile.objects.exists()
    assert not [path for path in Path(private_root).rglob("*") if path.is_file()]


def test_the_admin_lists_files_with_a_download_through_the_view(client, ada):
    upload(client)
    admin = logged_in_as("root", is_staff=True, is_superuser=True)

    listing = admin.get(reverse("admin:private_files_privatefile_changelist")).content.decode()
    change = admin.get(reverse("admin:private_files_privatefile_change", args=[the_file().pk]))

    assert reverse("download_file", args=[the_file().pk]) in listing
    assert change.status_code == 200


def test_orphaned_media_with_private_lists_private_files_no_row_refers_to(
    client, ada, private_root
):
    upload(client)
    orphan = Path(private_root) / "files" / ("0" * 32)
    orphan.write_bytes(b"left behind")
    os.utime(orphan, (0, 0))
    kept = the_file().file.name

    private, media = io.StringIO(), io.StringIO()
    call_command("orphaned_media", "--private", stdout=private, stderr=io.StringIO())
    call_command("orphaned_media", stdout=media, stderr=io.StringIO())

    assert private.getvalue().split() == [f"files/{'0' * 32}"]
    assert media.getvalue() == ""
    assert storages["private"].exists(kept)


def test_copy_media_moves_private_files_between_private_storages_only(
    client, ada, settings, tmp_path
):
    upload(client)
    name = the_file().file.name
    target = tmp_path / "moved"
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "private_files.storage.PrivateFileSystemStorage",
            "OPTIONS": {"location": str(target)},
        },
    }

    call_command("copy_media", "private-disk", "private", stdout=io.StringIO())

    assert (target / name).read_bytes() == CONTENT
    with pytest.raises(CommandError, match="never share a storage"):
        call_command("copy_media", "private-disk", "default", stdout=io.StringIO())
