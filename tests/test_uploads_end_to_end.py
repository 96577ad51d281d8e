"""Uploads against the real servers: many users at once, and storage that fails.

Each production stack is the Procfile web process behind nginx over HTTPS; for the bucket
options, the option's emulator is the endpoint (support.object_stores). Requests go through
nginx like a browser's would.
"""

import io
import json
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import pytest
from PIL import Image

from support.images import photo_with_gps, pixels, png
from support.object_stores import BUCKET
from support.options import BUCKET_OPTIONS, OPTIONS
from support.stacks import production_stack
from support.visitor import PASSWORD, Visitor

pytestmark = [pytest.mark.slow, pytest.mark.e2e]

SIMULTANEOUS = 20


def visitor_with_avatar(stack, username, colour):
    """A logged-in user whose avatar is already stored; returns (visitor, src, bytes)."""
    stack.create_users([username], password=PASSWORD)
    visitor = Visitor(stack)
    visitor.log_in(username)
    content = png(colour)
    assert visitor.upload(content).status_code == 302
    return visitor, visitor.avatar_src(), content


@pytest.mark.parametrize("option", OPTIONS)
def test_twenty_users_uploading_the_same_name_at_once_keep_twenty_files(production_stack, option):
    stack = production_stack(option)
    usernames = [f"{option}-{n:02}" for n in range(SIMULTANEOUS)]
    stack.create_users(usernames, password=PASSWORD)
    # Logged in as the login view would; checking 20 passwords only costs time here.
    sessions = stack.sessions(usernames)
    visitors = [Visitor(stack) for _ in usernames]
    for visitor, username in zip(visitors, usernames, strict=True):
        visitor.use_session(sessions[username])
    contents = [png((n * 12, 255 - n * 12, 90), size=(8 + n, 8)) for n in range(SIMULTANEOUS)]
    start = threading.Barrier(SIMULTANEOUS, timeout=60)

    def upload(index):
        start.wait()
        return visitors[index].upload(contents[index], name="avatar.png").status_code

    with ThreadPoolExecutor(SIMULTANEOUS) as pool:
        statuses = list(pool.map(upload, range(SIMULTANEOUS), timeout=180))

    assert statuses == [302] * SIMULTANEOUS
    sources = [visitor.avatar_src() for visitor in visitors]
    assert len({urlsplit(src).path for src in sources}) == SIMULTANEOUS
    for visitor, src, content in zip(visitors, sources, contents, strict=True):
        response = visitor.get_media(src)
        assert response.status_code == 200
        assert pixels(response.content) == pixels(content)


@pytest.mark.option("local")
@pytest.mark.parametrize("web_server", ["nginx", "apache"])
def test_too_large_uploads_are_refused_by_the_form_or_by_the_web_server(
    production_stack, web_server
):
    stack = production_stack("local", web_server)
    visitor, old_src, old_content = visitor_with_avatar(stack, f"large-{web_server}", (6, 6, 6))
    just_over_the_form_limit = png((1, 2, 3)) + b"\0" * (5 * 1024 * 1024)
    over_the_web_server_limit = png((1, 2, 3)) + b"\0" * (7 * 1024 * 1024)

    by_form = visitor.upload(just_over_the_form_limit)
    by_web_server = visitor.upload(over_the_web_server_limit)

    assert by_form.status_code == 400
    assert "the limit is 5.0\xa0MB" in by_form.text
    assert by_web_server.status_code == 413
    # Refused by the web server itself: the app only rendered the page it asked for.
    assert "Request Entity Too Large: /errors/413/" in stack.app.output()
    assert "Request Entity Too Large: /profile/" not in stack.app.output()
    # The web server's own limit, with the site's page: the limit and a way back.
    assert "Uploads are limited to 5.0\xa0MB" in by_web_server.text
    assert 'href="/profile/"' in by_web_server.text
    # Rendered for the user who sent it: the refused body's length never reached the app.
    assert "Log out" in by_web_server.text
    assert visitor.avatar_src() == old_src
    assert pixels(visitor.get_media(old_src).content) == pixels(old_content)


def assert_refused_and_unchanged(stack, visitor, old_src, log_words):
    response = visitor.upload(png((255, 255, 0)))

    assert response.status_code == 503
    assert "could not be saved" in response.text
    # The same stored file (a signed URL's signature and date change with every page).
    assert urlsplit(visitor.avatar_src()).path == urlsplit(old_src).path
    log = stack.app.output()
    assert "Storing the avatar of user" in log
    assert any(word in log for word in log_words), log[-3000:]


def test_when_the_media_directory_cannot_be_written_the_user_gets_a_503(local_behind_nginx):
    visitor, old_src, old_content = visitor_with_avatar(
        local_behind_nginx, "blocked-disk", (9, 9, 9)
    )
    avatars = local_behind_nginx.media_root / "avatars"
    moved = avatars.with_name("avatars.moved")
    avatars.rename(moved)
    avatars.write_text("a file where the directory should be: even root cannot write below it")
    try:
        assert_refused_and_unchanged(local_behind_nginx, visitor, old_src, ["is not a directory"])
    finally:
        avatars.unlink()
        moved.rename(avatars)

    assert pixels(visitor.get_media(old_src).content) == pixels(old_content)


def test_when_s3_refuses_the_upload_the_user_gets_a_503(s3_behind_nginx):
    visitor, old_src, old_content = visitor_with_avatar(s3_behind_nginx, "refused-s3", (8, 8, 8))
    deny_writes = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3:PutObject",
                "Resource": f"arn:aws:s3:::{BUCKET}/*",
            }
        ],
    }
    s3 = s3_behind_nginx.store.client
    s3.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(deny_writes))
    try:
        assert_refused_and_unchanged(s3_behind_nginx, visitor, old_src, ["AccessDenied", "403"])
    finally:
        s3.delete_bucket_policy(Bucket=BUCKET)

    assert pixels(visitor.get_media(old_src).content) == pixels(old_content)


@pytest.mark.parametrize("option", BUCKET_OPTIONS)
def test_when_the_bucket_is_down_the_user_gets_a_503_quickly(installed, option, tmp_path, capsys):
    # A stack of its own: this one's emulator is stopped.
    with production_stack(installed(option), tmp_path) as stack:
        visitor, old_src, _ = visitor_with_avatar(stack, f"down-{option}", (7, 7, 7))
        stack.store.stop()
        started = time.monotonic()

        assert_refused_and_unchanged(stack, visitor, old_src, OPTIONS[option].outage_errors)
        took = time.monotonic() - started

    with capsys.disabled():
        print(f"\nupload with the {option} endpoint down answered 503 in {took:.1f} s")


@pytest.mark.parametrize("option", OPTIONS)
def test_a_phone_photo_with_gps_is_served_upright_and_without_metadata(production_stack, option):
    stack = production_stack(option)
    stack.create_users([f"gps-{option}"], password=PASSWORD)
    visitor = Visitor(stack)
    visitor.log_in(f"gps-{option}")

    assert visitor.upload(photo_with_gps(size=(64, 48)), name="IMG_0001.jpg").status_code == 302
    served = visitor.get_media(visitor.avatar_src())

    assert served.status_code == 200
    assert served.headers["Content-Type"] == "image/webp"
    with Image.open(io.BytesIO(served.content)) as image:
        assert image.size == (48, 64)  # upright: the phone was on its side
        assert dict(image.getexif()) == {}
        top = image.convert("RGB").getpixel((24, 8))
    assert top[0] > 150 and top[1] < 100  # the red half is on top
    assert b"SN-4242-CAMERA" not in served.content


@pytest.mark.parametrize("option", OPTIONS)
def test_two_uploads_at_once_by_one_user_leave_exactly_one_file(production_stack, option):
    stack = production_stack(option)
    first, _, _ = visitor_with_avatar(stack, f"twice-{option}", (5, 5, 5))
    second = Visitor(stack)
    second.log_in(f"twice-{option}")
    before = stack.stored_media()
    start = threading.Barrier(2, timeout=60)

    def upload(visitor, colour):
        start.wait()
        return visitor.upload(png(colour)).status_code

    with ThreadPoolExecutor(2) as pool:
        statuses = list(pool.map(upload, [first, second], [(1, 1, 1), (2, 2, 2)], timeout=120))

    assert statuses == [302, 302]
    after = stack.stored_media()
    assert len(after) == len(before)  # one file replaced by one file
    assert urlsplit(first.avatar_src()).path.endswith(tuple(set(after) - set(before)))


def test_the_app_refuses_a_too_large_body_before_it_is_sent(local_behind_nginx):
    """Straight to the app, bypassing nginx: the 413 comes while almost all of the body is
    still owed (it is never sent), so the app did not wait to read it."""
    port = local_behind_nginx.app.port
    declared = 200 * 1024 * 1024
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(
            b"POST /profile/ HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Forwarded-Proto: https\r\n"
            b"Content-Type: multipart/form-data; boundary=x\r\n"
            + f"Content-Length: {declared}\r\n\r\n".encode()
            + b"\0" * 65536
        )
        answer = b""
        while b"</html>" not in answer and (chunk := connection.recv(65536)):
            answer += chunk

    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert b"Uploads are limited to 5.0" in answer


@pytest.mark.parametrize("option", OPTIONS)
def test_orphaned_media_lists_and_deletes_files_no_row_refers_to(production_stack, option):
    stack = production_stack(option)
    visitor, src, _ = visitor_with_avatar(stack, f"orphans-{option}", (3, 3, 3))
    orphan = "avatars/left-behind-by-an-old-version.webp"
    if stack.store is not None:
        stack.store.put(orphan, png((1, 1, 1)))
    else:
        (stack.media_root / orphan).write_bytes(png((1, 1, 1)))
    command = ["orphaned_media", "--older-than", "0"]

    listed = stack.project.manage(*command, env=stack.env)
    deleted = stack.project.manage(*command, "--delete", env=stack.env)

    assert orphan in listed.stdout.split()
    assert f"deleted {orphan}" in deleted.stdout
    assert orphan not in stack.stored_media()
    assert urlsplit(src).path.endswith(tuple(stack.stored_media()))  # still referenced, kept
    assert "checked" in deleted.stderr
    assert visitor.get_media(visitor.avatar_src()).status_code == 200
