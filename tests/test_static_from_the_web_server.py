"""Behind nginx or Apache, static files come straight from STATIC_ROOT through the web server,
with the headers the app's WhiteNoise gives the same file.

Compared header by header and byte for byte, for hashed and unhashed names of each kind the
site ships, with each encoding a browser may ask for. Not compared, and why:
- Date, Server, Connection and Keep-Alive: each server's own;
- ETag and Last-Modified values: each server validates its own copy (both must send them,
  and answer 304 to them);
- Accept-Ranges: the web servers take byte ranges, and say so;
- Strict-Transport-Security: the pages carry it, from Django's settings, its one home; a
  second source could disagree with it and shorten it.
Content-Type is compared with its parameter's quotes dropped (`charset="utf-8"` is
`charset=utf-8`).
"""

import re

import pytest
import requests

pytestmark = [pytest.mark.slow, pytest.mark.e2e]

NOT_COMPARED = {
    "date", "server", "connection", "keep-alive", "etag", "last-modified", "accept-ranges",
    "strict-transport-security",
}  # fmt: skip
ENCODINGS = ["br", "gzip", "identity"]


def static_names(stack):
    """A hashed and an unhashed name of each kind of file the site ships: CSS, JavaScript, SVG."""
    root = stack.directory / "srv" / "static"
    hashed = re.compile(r"\.[0-9a-f]{12}\.")
    names = []
    for pattern in ("css/site.*.css", "admin/js/core.*.js", "favicon.*.svg"):
        (path,) = [p for p in root.glob(pattern) if hashed.search(p.name)]
        names += [
            path.relative_to(root).as_posix(),
            hashed.sub(".", path.relative_to(root).as_posix()),
        ]
    return names


def get(url, stack, method="GET", **headers):
    """status, headers (lower-case names) and the body as sent (not decompressed)."""
    response = requests.request(
        method, url, headers=headers, verify=str(stack.certificates), stream=True, timeout=10
    )
    body = response.raw.read(decode_content=False)
    return response.status_code, {k.lower(): v for k, v in response.headers.items()}, body


def comparable(headers):
    kept = {name: value for name, value in headers.items() if name not in NOT_COMPARED}
    if "content-type" in kept:
        kept["content-type"] = kept["content-type"].replace('"', "")
    return kept


@pytest.mark.option("local")
@pytest.mark.parametrize("web_server", ["nginx", "apache"])
@pytest.mark.parametrize("encoding", ENCODINGS)
def test_the_web_server_answers_static_files_with_the_apps_headers(
    production_stack, web_server, encoding
):
    stack = production_stack("local", web_server)
    for name in static_names(stack):
        url = f"/static/{name}"
        status, headers, body = get(stack.base_url + url, stack, **{"Accept-Encoding": encoding})
        app_status, app_headers, app_body = get(
            stack.app_url + url,
            stack,
            **{"Accept-Encoding": encoding, "X-Forwarded-Proto": "https"},
        )

        assert (status, body) == (app_status, app_body) == (200, body), name
        assert comparable(headers) == comparable(app_headers), name
        assert headers["etag"] and headers["last-modified"]
        # Apache logs the name it served: the .br or .gz file's, for an encoded answer.
        assert {url, url + ".br", url + ".gz"} & set(stack.served_by_web_server())
        assert url not in stack.proxied_to_app()


@pytest.mark.option("local")
@pytest.mark.parametrize("web_server", ["nginx", "apache"])
def test_the_web_server_revalidates_answers_head_and_lists_no_directory(
    production_stack, web_server
):
    stack = production_stack("local", web_server)
    url = stack.base_url + "/static/" + static_names(stack)[0]
    _, headers, body = get(url, stack, **{"Accept-Encoding": "br"})

    not_modified = get(url, stack, **{"Accept-Encoding": "br", "If-None-Match": headers["etag"]})
    head = get(url, stack, method="HEAD", **{"Accept-Encoding": "br"})
    listing = get(stack.base_url + "/static/css/", stack)

    assert not_modified[0] == 304 and not_modified[2] == b""
    assert head[0] == 200 and head[2] == b""
    assert head[1]["content-length"] == str(len(body))
    # No listing: the web server passed the name on, and the app's own 404 page answered.
    assert listing[0] == 404
    assert b"There is no page here" in listing[2]
