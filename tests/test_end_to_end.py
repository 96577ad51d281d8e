"""Every media and static path, end to end, as a user's browser sees it.

Real parts only: the baked project's own servers (runserver, the Procfile web process), nginx
from Debian with the project's deploy/nginx.conf, each bucket option's emulator (moto,
gcp-storage-emulator, Azurite), and Debian's Chromium driven by Playwright. Everything listens
on 127.0.0.1.
"""

import ipaddress
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from support.browser import browser_get, log_in, upload_avatar
from support.images import pixels, png
from support.options import OPTIONS
from support.project import HASHED_CSS

pytestmark = [pytest.mark.slow, pytest.mark.e2e]


def upload_and_replace(page, stack, tmp_path):
    """Log in, upload one avatar, replace it with another; return what the browser saw."""
    first, second = tmp_path / "first.png", tmp_path / "second.png"
    first.write_bytes(png((200, 30, 30)))
    second.write_bytes(png((30, 30, 200), size=(16, 10)))
    log_in(page, stack.base_url)
    first_src = upload_avatar(page, first)
    first_response = browser_get(page, first_src)
    assert first_response.status == 200
    assert pixels(first_response.body()) == pixels(first.read_bytes())
    second_src = upload_avatar(page, second)
    assert second_src != first_src
    second_response = browser_get(page, second_src)
    assert second_response.status == 200
    assert pixels(second_response.body()) == pixels(second.read_bytes())
    return first_src, first_response, second_src, second_response


def test_in_development_django_serves_the_uploaded_avatar(development_stack, page, tmp_path):
    first_src, first, second_src, second = upload_and_replace(page, development_stack, tmp_path)

    assert urlsplit(second_src).path.startswith("/media/avatars/")
    assert second.headers["server"].startswith("WSGIServer")
    stored = development_stack.media_root / urlsplit(second_src).path.removeprefix("/media/")
    assert stored.read_bytes() == second.body()
    # The project promises: replacing an avatar deletes the old file.
    assert browser_get(page, first_src).status == 404


def test_in_development_whitenoise_serves_the_css(development_stack, page):
    responses = []
    page.on("response", lambda response: responses.append(response))

    page.goto(development_stack.base_url + "/")

    (css,) = [r for r in responses if "/static/css/site" in r.url]
    assert css.status == 200
    assert css.header_value("content-type").startswith("text/css")
    # WhiteNoise's own header; runserver's static view sends none.
    assert css.header_value("cache-control") == "max-age=0, public"


WEB_SERVERS = {"nginx": "nginx", "apache": "Apache"}  # name -> what its Server header says


@pytest.mark.option("local")
@pytest.mark.parametrize("web_server", WEB_SERVERS)
def test_in_production_the_web_server_serves_local_media_and_the_app_never_does(
    production_stack, web_server, page, tmp_path
):
    stack = production_stack("local", web_server)
    first_src, first, second_src, second = upload_and_replace(page, stack, tmp_path)

    for response in (first, second):
        assert response.headers["server"].startswith(WEB_SERVERS[web_server])
        assert response.headers["x-content-type-options"] == "nosniff"
        assert "sandbox" in response.headers["content-security-policy"]
        assert response.headers["content-type"] == "image/webp"
    media_path = urlsplit(second_src).path
    assert media_path in stack.served_by_web_server()
    assert not [uri for uri in stack.proxied_to_app() if uri.startswith("/media/")]
    assert browser_get(page, first_src).status == 404
    listing = browser_get(page, stack.base_url + "/media/avatars/")
    assert listing.status in (403, 404)  # no directory listing


@pytest.mark.option("local")
@pytest.mark.parametrize("web_server", WEB_SERVERS)
def test_an_uploaded_page_cannot_run_script_in_the_site(production_stack, web_server, page):
    stack = production_stack("local", web_server)
    beacon = "<script>new Image().src = '/pwned-{}';</script>"
    files = {
        "page.html": f"<!doctype html><html><body>{beacon.format('html')}</body></html>",
        "page-named-as.png": f"<html><body>{beacon.format('png')}</body></html>",
        "drawing.svg": (
            '<svg xmlns="http://www.w3.org/2000/svg"><script>'
            "new Image().src = '/pwned-svg';</script></svg>"
        ),
    }
    for name, content in files.items():
        (stack.media_root / name).write_text(content)
    requested = []
    page.context.on("request", lambda request: requested.append(request.url))

    for name in files:
        url = f"{stack.base_url}/media/{name}"
        response = browser_get(page, url)
        assert response.status == 200
        assert "sandbox" in response.headers["content-security-policy"]
        assert response.headers["x-content-type-options"] == "nosniff"
        if not name.endswith(".png"):
            assert response.headers["content-disposition"] == "attachment"
        try:
            page.goto(url)
        except Exception as error:  # a download, not a page: Playwright reports it as an error
            assert "Download is starting" in str(error) or "ERR_ABORTED" in str(error)
        page.wait_for_timeout(300)

    assert [url for url in requested if "pwned" in url] == []
    assert not [uri for uri in stack.proxied_to_app() if "pwned" in uri]


def media_key(url):
    """The object key of a media link, whatever domain and query it has: media/..."""
    return "media/" + urlsplit(url).path.split("/media/", 1)[1]


@pytest.mark.parametrize(
    ("option", "web_server"),
    [("s3", "nginx"), ("s3", "apache"), ("gcs", "nginx"), ("azure", "nginx")],
)
def test_in_production_a_bucket_serves_the_avatar_through_signed_urls(
    production_stack, option, web_server, page, tmp_path
):
    stack = production_stack(option, web_server)
    signature, expiry = OPTIONS[option].signature, OPTIONS[option].expiry
    first_src, first, second_src, second = upload_and_replace(page, stack, tmp_path)

    assert second_src.startswith(stack.store.object_url("media/avatars/"))  # the bucket's origin
    assert signature in second_src and expiry in second_src
    assert second.headers["content-type"] == "image/webp"
    unsigned = urlunsplit(urlsplit(second_src)._replace(query=""))
    if stack.store.refuses_unsigned_reads:
        assert browser_get(page, unsigned).status == 403
    if stack.store.checks_signatures:
        tampered = second_src.replace(signature, signature + "A")
        assert browser_get(page, tampered).status == 403
    if stack.store.keeps_access_control:  # the Google emulator keeps none to look at
        assert stack.store.is_private(media_key(second_src))
    assert not [uri for uri in stack.proxied_to_app() if uri.startswith("/media/")]
    assert list(stack.media_root.iterdir()) == []
    # The project promises: replacing an avatar deletes the old object.
    assert browser_get(page, first_src).status == 404
    assert [name for name in stack.stored_media() if name in first_src] == []


@pytest.mark.parametrize(
    ("option", "web_server"), [("local", "nginx"), ("s3", "nginx"), ("local", "apache")]
)
def test_in_production_the_css_is_hashed_immutable_and_brotli_from_the_web_server(
    production_stack, option, web_server, page
):
    stack = production_stack(option, web_server)
    responses = []
    page.on("response", lambda response: responses.append(response))

    page.goto(stack.base_url + "/")

    (css,) = [r for r in responses if "/static/" in r.url]
    assert HASHED_CSS.fullmatch(urlsplit(css.url).path)
    assert css.status == 200
    headers = css.all_headers()
    assert "immutable" in headers["cache-control"]
    assert headers["content-encoding"] == "br"
    assert headers["vary"] == "Accept-Encoding"
    # The web server answered from STATIC_ROOT (Apache logs the .br file it chose).
    path = urlsplit(css.url).path
    assert {path, path + ".br"} & set(stack.served_by_web_server())
    assert path not in stack.proxied_to_app()


def listening_addresses(port):
    """The local addresses the OS reports listening on port (IPv4 and IPv6)."""
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, _, port_hex = local.partition(":")
            if state == "0A" and int(port_hex, 16) == port:  # 0A: LISTEN
                raw = bytes.fromhex(address)
                # The kernel prints each 32-bit word in host (little-endian) order.
                words = [raw[i : i + 4][::-1] for i in range(0, len(raw), 4)]
                found.append(str(ipaddress.ip_address(b"".join(words))))
    return found


@pytest.mark.parametrize(("option", "web_server"), [("local", "nginx"), ("local", "apache")])
def test_behind_the_web_server_the_web_process_listens_on_loopback_only(
    production_stack, option, web_server
):
    stack = production_stack(option, web_server)

    addresses = listening_addresses(stack.app.port)  # one socket per worker

    assert addresses and set(addresses) == {"127.0.0.1"}
    # ... and the web server's body limit, headers and TLS stand in front of every request.
    assert urlsplit(stack.base_url).port != stack.app.port


@pytest.mark.parametrize("option", OPTIONS)
def test_a_cdn_on_a_domain_of_its_own_serves_media_and_never_gets_the_session(
    production_stack, option, page, tmp_path
):
    """A caching proxy on another origin stands in for the CDN. local: DJANGO_MEDIA_URL is its
    full URL, and its origin is the media domain's server block of deploy/nginx.conf. Bucket
    options: the custom domain setting names it, and its origin is the bucket."""
    stack = production_stack(option, "nginx", cdn=True)

    first_src, first, second_src, second = upload_and_replace(page, stack, tmp_path)
    again = browser_get(page, second_src)

    for src in (first_src, second_src):
        assert src.startswith(stack.cdn_url + "/") and "/media/avatars/" in src
    path = urlsplit(second_src).path
    statuses = [line.split()[1] for line in stack.cdn_log.read_text().splitlines() if path in line]
    assert statuses[0] == "MISS"  # the browser's first request went through to the origin
    assert again.headers["x-cache-status"] == "HIT" and set(statuses[1:]) == {"HIT"}
    if stack.store is None:
        assert path in stack.served_by_web_server()  # the origin: the media domain's block
        assert again.headers["content-security-policy"] == "default-src 'none'; sandbox"
    else:
        assert urlsplit(second_src).query == ""  # unsigned: the CDN decides who may read
    assert pixels(again.body()) == pixels(second.body())
    assert "sessionid" in {cookie["name"] for cookie in page.context.cookies(stack.base_url)}
    requests_to_the_cdn = stack.cdn_log.read_text().splitlines()
    assert requests_to_the_cdn and all(line.endswith('cookie="-"') for line in requests_to_the_cdn)
    # The replaced avatar's old URL: deleted at the origin, yet a CDN keeps what it cached
    # until it expires (the README says so); unique names mean no purge is ever needed.
    old = browser_get(page, first_src)
    assert (old.status, old.headers["x-cache-status"]) == (200, "HIT")
    if stack.store is None:
        gone = browser_get(page, stack.base_url + first_src.removeprefix(stack.cdn_url))
    else:
        gone = browser_get(page, stack.store.object_url(media_key(first_src)))
    assert gone.status == 404
