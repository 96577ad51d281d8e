"""Uploads that lose nothing and let nothing in: every refusal changes nothing."""

import io
import logging
import re
import struct
import zlib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError
from django.urls import reverse
from PIL import Image

from users.models import User

pytestmark = pytest.mark.django_db

STORED_NAME = re.compile(r"avatars/[0-9a-f]{32}\.(?:jpg|png|gif|webp)")


def image_bytes(fmt, size=(8, 8), colour="teal"):
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format=fmt)
    return buffer.getvalue()


def png_with_header(width, height, rows=b""):
    """A PNG whose header claims width x height, with rows (or nothing) as its pixel data."""

    def chunk(kind, data):
        crc = struct.pack(">I", zlib.crc32(kind + data))
        return struct.pack(">I", len(data)) + kind + data + crc

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows, 9))
        + chunk(b"IEND", b"")
    )


def upload(name, content, content_type="image/png"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture
def member(client):
    user = User.objects.create_user("ada", "ada@example.com", "a-long-password")
    client.force_login(user)
    return user


@pytest.fixture
def with_avatar(client, member, django_capture_on_commit_callbacks):
    """The member already has an avatar; returns its stored name."""
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("profile"), {"avatar": upload("old.png", image_bytes("PNG"))})
    member.refresh_from_db()
    return member.avatar.name


def stored_files(media_root):
    files = Path(media_root).rglob("*")
    return sorted(str(p.relative_to(media_root)) for p in files if p.is_file())


def post_avatar(client, file):
    return client.post(reverse("profile"), {"avatar": file})


SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
BAD_UPLOADS = {
    "html named .png": (
        upload("a.png", b"<!doctype html><script>alert(1)</script>"),
        "Upload a valid image",
    ),
    "svg": (upload("a.svg", SVG, "image/svg+xml"), "Upload a valid image"),
    "svg named .png": (upload("a.png", SVG), "Upload a valid image"),
    "javascript named .png": (upload("a.png", b"alert(document.cookie)"), "Upload a valid image"),
    "png + html polyglot": (
        upload("a.png", image_bytes("PNG") + b"<html><script>alert(1)</script></html>"),
        "web page or script",
    ),
    "gif + script polyglot": (
        upload("a.gif", image_bytes("GIF") + b"<script>alert(1)</script>", "image/gif"),
        "web page or script",
    ),
    "bmp": (upload("a.png", image_bytes("BMP")), "BMP images are not accepted"),
    "tiff": (upload("a.png", image_bytes("TIFF")), "TIFF images are not accepted"),
    "truncated png": (upload("a.png", image_bytes("PNG", (64, 64))[:-40]), "valid image"),
    "empty file": (upload("a.png", b""), "empty"),
    "header of 8000 x 8000 with no pixel data": (
        upload("a.png", png_with_header(8000, 8000)),
        "the limit is 16,777,216 pixels",
    ),
    "decompression bomb, 6000 x 6000 of zeros": (
        upload("a.png", png_with_header(6000, 6000, b"\0" * 6001 * 6000)),
        "the limit is 16,777,216 pixels",
    ),
    "header of 50000 x 50000, a bomb to Pillow itself": (
        upload("a.png", png_with_header(50000, 50000)),
        "Upload a valid image",
    ),
}


@pytest.mark.parametrize("case", BAD_UPLOADS, ids=list(BAD_UPLOADS))
def test_a_bad_upload_gets_a_form_error_and_changes_nothing(
    client, member, with_avatar, media_root, case
):
    file, message = BAD_UPLOADS[case]
    before = stored_files(media_root)

    response = post_avatar(client, file)

    assert response.status_code == 400
    assert message in response.content.decode()
    member.refresh_from_db()
    assert member.avatar.name == with_avatar
    assert stored_files(media_root) == before


def test_a_file_over_the_size_limit_is_refused_with_the_limit_named(
    client, member, with_avatar, media_root, settings
):
    settings.MAX_UPLOAD_SIZE = 1024
    big = image_bytes("PNG", (200, 200), "white") + b"\0" * 2048

    response = post_avatar(client, upload("big.png", big))

    assert response.status_code == 400
    assert "the limit is 1.0\xa0KB" in response.content.decode()
    member.refresh_from_db()
    assert member.avatar.name == with_avatar


def test_large_uploads_stream_to_a_temporary_file_not_memory(settings):
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE < settings.MAX_UPLOAD_SIZE
    assert "django.core.files.uploadhandler.TemporaryFileUploadHandler" in (
        settings.FILE_UPLOAD_HANDLERS
    )


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "GIF", "WEBP"])
def test_each_allowed_format_is_stored_under_a_random_name_with_its_extension(client, member, fmt):
    # A misleading extension: the stored one follows the decoded format.
    response = post_avatar(
        client, upload("photo.png" if fmt != "PNG" else "photo.gif", image_bytes(fmt))
    )

    assert response.status_code == 302
    member.refresh_from_db()
    assert STORED_NAME.fullmatch(member.avatar.name)
    assert member.avatar.name.endswith({"JPEG": ".jpg"}.get(fmt, "." + fmt.lower()))


@pytest.mark.parametrize(
    "name",
    [
        "../../../etc/passwd.png",
        "..\\..\\boot.png",
        "a\x01b\x1fc.png",
        "\u202egnp.exe.png",
        "x" * 300 + ".png",
    ],
)
def test_hostile_file_names_never_reach_the_storage_path(client, member, media_root, name):
    response = post_avatar(client, upload(name, image_bytes("PNG")))

    assert response.status_code == 302
    member.refresh_from_db()
    assert STORED_NAME.fullmatch(member.avatar.name)
    assert stored_files(media_root) == [member.avatar.name]


def test_two_users_uploading_the_same_name_keep_two_files(client, media_root):
    names = {}
    for username, colour in (("ada", "red"), ("grace", "blue")):
        user = User.objects.create_user(username, password="a-long-password")
        client.force_login(user)
        post_avatar(client, upload("avatar.png", image_bytes("PNG", colour=colour)))
        user.refresh_from_db()
        names[username] = user.avatar.name

    assert names["ada"] != names["grace"]
    for username, colour in (("ada", "red"), ("grace", "blue")):
        stored = (Path(media_root) / names[username]).read_bytes()
        assert stored == image_bytes("PNG", colour=colour)


def assert_upload_fails_with_503(client, caplog, cause):
    """A valid upload that cannot be saved: a 503 page saying so, and the cause logged."""
    with caplog.at_level(logging.ERROR, logger="users.views"):
        response = post_avatar(client, upload("new.png", image_bytes("PNG", colour="red")))

    assert response.status_code == 503
    assert "could not be saved" in response.content.decode()
    assert "Nothing was changed" in response.content.decode()
    assert cause in caplog.text


def test_a_failed_database_save_keeps_the_old_avatar_and_removes_the_new_file(
    client, member, with_avatar, media_root, monkeypatch, caplog
):
    def fail(*args, **kwargs):
        raise DatabaseError("the database went away")

    monkeypatch.setattr(User, "save", fail)

    assert_upload_fails_with_503(client, caplog, "the database went away")
    member.refresh_from_db()
    assert member.avatar.name == with_avatar
    assert stored_files(media_root) == [with_avatar]


def test_a_media_directory_that_cannot_be_written_gives_a_503_and_changes_nothing(
    client, member, with_avatar, media_root, settings, caplog
):
    # A regular file where the avatars directory should be: even root cannot write there.
    blocked = Path(media_root) / "blocked"
    blocked.write_text("not a directory")
    settings.MEDIA_ROOT = blocked / "media"

    assert_upload_fails_with_503(client, caplog, "NotADirectoryError")
    member.refresh_from_db()
    assert member.avatar.name == with_avatar
