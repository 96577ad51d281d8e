"""Private files on the shipped deployments: on disk behind nginx (X-Accel-Redirect) and
Apache (X-Sendfile), and in each bucket option's emulator through a link signed for a
minute. The owner gets the same bytes, sent by the web server or the bucket, never by the
app; anyone else gets a 404 and no path to the file. Plain HTTP, and Chromium for what a
person does."""

import os
import time
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from support.bench.private import curl_downloads, large_private_file
from support.browser import log_in
from support.options import OPTIONS
from support.processes import peak_above_idle
from support.visitor import PASSWORD, Visitor

pytestmark = pytest.mark.e2e

CONTENT = os.urandom(300_000)
WEB_SERVERS = {"nginx": "X-Accel-Redirect", "apache": "X-Sendfile"}


@pytest.fixture(scope="module", params=WEB_SERVERS)
def on_disk(request, production_stack):
    """A local stack behind the web server, and a user who uploaded a private file there."""
    stack = production_stack("local", request.param)
    owner = f"pf-{request.param}-owner"
    stack.create_users([owner, f"pf-{request.param}-other"], password=PASSWORD)
    visitor = Visitor(stack)
    visitor.log_in(owner)
    assert visitor.upload_private(CONTENT, "année 2026.bin").status_code == 302
    return stack, request.param, visitor, visitor.private_links()["année 2026.bin"]


def stored_files(stack):
    private = stack.media_root.parent / "private"
    return [path for path in private.rglob("*") if path.is_file()]


@pytest.mark.option("local")
def test_the_owner_gets_the_same_bytes_sent_by_the_web_server(on_disk):
    stack, web_server, visitor, link = on_disk

    download = visitor.get(link)
    # What the app itself answers to the web server's request: only which file to send.
    cookies = {"sessionid": visitor.session.cookies["sessionid"]}
    headers = {"X-Sendfile-Type": WEB_SERVERS[web_server], "X-Forwarded-Proto": "https"}
    from_app = requests.get(stack.app_url + link, headers=headers, cookies=cookies, timeout=30)

    assert download.status_code == 200
    assert download.content == CONTENT
    assert download.headers["Content-Disposition"] == (
        "attachment; filename*=utf-8''ann%C3%A9e%202026.bin"
    )
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert download.headers["Content-Security-Policy"].startswith("sandbox")
    assert download.headers["Cache-Control"] == "private, no-store"
    assert WEB_SERVERS[web_server] not in download.headers
    assert from_app.content == b""
    assert from_app.headers[WEB_SERVERS[web_server]]


@pytest.mark.option("local")
def test_a_range_gets_206_and_those_bytes_from_the_web_server(on_disk):
    _, _, visitor, link = on_disk

    part = visitor.session.get(
        visitor.base + link, headers={"Range": "bytes=1000-1999"}, timeout=30
    )

    assert part.status_code == 206
    assert part.headers["Content-Range"] == f"bytes 1000-1999/{len(CONTENT)}"
    assert part.content == CONTENT[1000:2000]


@pytest.mark.option("local")
def test_another_user_and_a_guessed_path_get_nothing(on_disk):
    stack, web_server, _, link = on_disk
    other = Visitor(stack)
    other.log_in(f"pf-{web_server}-other")
    anonymous = Visitor(stack)
    stored = next(path for path in stored_files(stack) if path.read_bytes() == CONTENT)
    name = f"files/{stored.name}"

    assert other.get(link).status_code == 404
    assert anonymous.get(link).status_code == 302
    assert anonymous.get(link).headers["Location"].startswith("/accounts/login/")
    for guessed in (f"/private-files/{name}", f"/media/{name}", f"/private/{name}"):
        assert anonymous.get(guessed).status_code == 404, guessed


@pytest.mark.option("local")
def test_the_files_page_takes_a_file_larger_than_an_avatar(on_disk):
    _, _, visitor, _ = on_disk
    larger = os.urandom(7_000_000)

    assert visitor.upload_private(larger, "larger.bin").status_code == 302
    assert visitor.get(visitor.private_links()["larger.bin"]).content == larger


@pytest.mark.parametrize("option", ["local", "s3"])
def test_in_chromium_the_owner_uploads_on_the_files_page_and_downloads_the_same_file(
    production_stack, option, page, tmp_path
):
    stack = production_stack(option)
    stack.create_users([f"pf-chromium-{option}"], password=PASSWORD)
    sent = tmp_path / "Rechnung März.pdf"
    sent.write_bytes(CONTENT)

    log_in(page, stack.base_url, f"pf-chromium-{option}", PASSWORD)
    page.goto(stack.base_url + "/files/")
    page.set_input_files("input[name=file]", str(sent))
    with page.expect_navigation():
        page.click("main form[enctype] button[type=submit]")
    with page.expect_download() as started:
        page.click("a[download]")
    download = started.value

    assert page.locator("a[download]").inner_text() == "Rechnung März.pdf"
    assert download.suggested_filename == "Rechnung März.pdf"
    assert Path(download.path()).read_bytes() == CONTENT


@pytest.mark.option("local")
def test_twenty_downloads_at_once_through_nginx_leave_the_apps_memory_flat(production_stack):
    """The issue's bound for the app behind nginx: 50 MB above idle while 20 clients fetch a
    200 MB private file each (4 GB in all)."""
    stack = production_stack("local", "nginx")
    size = 200_000_000
    private_root = stack.media_root.parent / "private"
    large_private_file(stack.project, stack.env, private_root, "pf-memory", size)
    visitor = Visitor(stack)
    visitor.log_in("pf-memory")
    link = visitor.private_links()["large.bin"]
    cookie = f"Cookie: sessionid={visitor.session.cookies['sessionid']}"

    grown, _ = peak_above_idle(
        stack.app, lambda: curl_downloads(stack.base_url + link, 20, size, (cookie,))
    )

    assert grown <= 50


def test_under_the_development_server_the_app_sends_the_file_and_its_ranges(development_stack):
    stack = development_stack
    stack.create_users([f"pf-dev-{stack.project.media_storage}"], password=PASSWORD)
    visitor = Visitor(SimpleNamespace(base_url=stack.base_url, certificates=None))
    visitor.log_in(f"pf-dev-{stack.project.media_storage}")
    visitor.upload_private(CONTENT, "notes.txt")
    link = visitor.private_links()["notes.txt"]

    whole = visitor.get(link)
    part = visitor.session.get(stack.base_url + link, headers={"Range": "bytes=-100"}, timeout=30)

    assert whole.content == CONTENT
    assert whole.headers["Content-Disposition"] == 'attachment; filename="notes.txt"'
    assert whole.headers["Accept-Ranges"] == "bytes"
    assert part.status_code == 206
    assert part.content == CONTENT[-100:]
    stored = (stack.directory / "private" / "files").iterdir()
    assert any(path.read_bytes() == CONTENT for path in stored)


BUCKETS = [option for option in OPTIONS if OPTIONS[option].bucket]


def seconds_valid(option, signed):
    """How long the signed link works from now: S3 and Google give its lifetime, Azure the
    moment it ends."""
    query = parse_qs(urlsplit(signed).query)
    if option == "azure":
        ends = datetime.fromisoformat(query["se"][0].replace("Z", "+00:00"))
        return (ends - datetime.now(UTC)).total_seconds()
    return int(query[OPTIONS[option].expiry.rstrip("=")][0])


@pytest.mark.parametrize("option", BUCKETS)
def test_from_a_bucket_the_owner_is_sent_to_a_link_signed_for_a_minute(production_stack, option):
    stack = production_stack(option)
    owner, other_user = f"pf-{option}-owner", f"pf-{option}-other"
    stack.create_users([owner, other_user], password=PASSWORD)
    visitor = Visitor(stack)
    visitor.log_in(owner)
    visitor.upload_private(CONTENT, "report.pdf")
    link = visitor.private_links()["report.pdf"]
    other = Visitor(stack)
    other.log_in(other_user)

    redirect = visitor.get(link)
    signed = redirect.headers["Location"]
    from_bucket = requests.get(signed, verify=str(stack.certificates), timeout=30)
    unsigned = requests.get(signed.split("?")[0], verify=str(stack.certificates), timeout=30)

    assert redirect.status_code == 302
    assert redirect.headers["Cache-Control"] == "private, no-store"
    assert signed.startswith(stack.store.object_url("private/files/"))
    assert OPTIONS[option].signature in signed
    assert 50 < seconds_valid(option, signed) <= 60
    assert from_bucket.content == CONTENT
    assert from_bucket.headers["Content-Disposition"] == 'attachment; filename="report.pdf"'
    if stack.store.refuses_unsigned_reads:
        assert unsigned.status_code == 403
    assert other.get(link).status_code == 404


@pytest.mark.parametrize("option", ["s3", "gcs"])
def test_with_a_cdn_for_media_the_private_link_still_goes_to_the_bucket(production_stack, option):
    """The custom domain of the media is never in a private file's link; where the emulator
    keeps access control (moto), the CDN's own request for the object is refused too."""
    stack = production_stack(option, "nginx", cdn=True)
    stack.create_users([f"pf-{option}-cdn"], password=PASSWORD)
    visitor = Visitor(stack)
    visitor.log_in(f"pf-{option}-cdn")
    visitor.upload_private(CONTENT, "report.pdf")

    signed = visitor.get(visitor.private_links()["report.pdf"]).headers["Location"]
    key = "private/" + urlsplit(signed).path.split("/private/", 1)[1]
    at_cdn = requests.get(f"{stack.cdn_url}/{key}", verify=str(stack.certificates), timeout=30)

    assert signed.startswith(stack.store.object_url("private/files/"))
    assert not signed.startswith(stack.cdn_url)
    if stack.store.keeps_access_control:
        assert at_cdn.status_code == 403


def test_from_azure_a_signed_link_works_for_its_minute_and_is_refused_after(production_stack):
    """Azurite checks a SAS's expiry, as Azure does (moto does not check S3's)."""
    stack = production_stack("azure")
    stack.create_users(["pf-azure-expiry"], password=PASSWORD)
    visitor = Visitor(stack)
    visitor.log_in("pf-azure-expiry")
    visitor.upload_private(CONTENT, "report.pdf")

    signed = visitor.get(visitor.private_links()["report.pdf"]).headers["Location"]
    fresh = requests.get(signed, verify=str(stack.certificates), timeout=30)
    time.sleep(62)  # PRIVATE_LINK_SECONDS, and a margin for the clock's rounding
    stale = requests.get(signed, verify=str(stack.certificates), timeout=30)

    assert "/private/files/" in urlsplit(signed).path
    assert fresh.content == CONTENT
    assert fresh.headers["Content-Disposition"] == 'attachment; filename="report.pdf"'
    assert stale.status_code == 403


@pytest.mark.parametrize("option", BUCKETS)
def test_copy_media_moves_private_files_from_disk_into_the_bucket_and_they_stay_private(
    production_stack, option
):
    """As docs/moving-media.md says: copy_media private-disk private, with the bucket's
    settings; the copies are under private/, reached by a signed link only."""
    stack = production_stack(option)
    private_root = stack.media_root.parent / "private"
    stored = large_private_file(stack.project, stack.env, private_root, f"pf-moved-{option}", 4321)

    stack.project.manage("copy_media", "private-disk", "private", env=stack.env)
    visitor = Visitor(stack)
    visitor.log_in(f"pf-moved-{option}")
    signed = visitor.get(visitor.private_links()["large.bin"]).headers["Location"]
    from_bucket = requests.get(signed, verify=str(stack.certificates), timeout=30)
    unsigned = requests.get(signed.split("?")[0], verify=str(stack.certificates), timeout=30)

    assert urlsplit(signed).path.endswith(f"/private/files/{stored.name}")
    assert from_bucket.content == stored.read_bytes()
    if stack.store.refuses_unsigned_reads:  # the Google emulator serves anything to anyone
        assert unsigned.status_code == 403
