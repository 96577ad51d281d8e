"""The static front (config/static_front.py) answers exactly as the middleware path does."""

import os

import pytest
from django.core.management import call_command
from django.core.wsgi import get_wsgi_application
from django.test import Client, RequestFactory

from config import static_front
from config.static_front import StaticFront

HTTPS = {"X-Forwarded-Proto": "https"}
# Named like a hashed file, but collectstatic's manifest does not know it as one.
LOOKALIKE = "lookalike.0123456789ab.css"


@pytest.fixture
def collected(settings, tmp_path, db):
    """The project's static files collected as in production, and the settings that serve them.
    db: the Django handler the front hands requests to closes connections after each."""
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / LOOKALIKE).write_text("body { color: teal; }\n" * 100)
    (extra / "large.bin").write_bytes(os.urandom(static_front.MAX_FILE_BYTES + 1))
    settings.STATICFILES_DIRS = [*settings.STATICFILES_DIRS, extra]
    settings.STATIC_ROOT = tmp_path / "staticfiles"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    settings.WHITENOISE_USE_FINDERS = False
    settings.WHITENOISE_AUTOREFRESH = False
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 3600
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    call_command("collectstatic", "--noinput", "--ignore", "admin", verbosity=0)
    return settings.STATIC_ROOT


def hashed_url(static_root, pattern):
    (found,) = static_root.glob(pattern)
    return "/static/" + found.relative_to(static_root).as_posix()


def front_answer(front, method, path, headers):
    environ = RequestFactory().generic(method, path, headers=headers).environ
    started = {}

    def start_response(status, response_headers):
        started.update(status=int(status.split()[0]), headers=dict(response_headers))

    answer = front(environ, start_response)
    body = b"".join(answer)
    if hasattr(answer, "close"):  # as a WSGI server does: Django's answers hold files open
        answer.close()
    return started["status"], started["headers"], body


def middleware_answer(method, path, headers):
    response = Client().generic(method, path, headers=headers)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response.status_code, dict(response.items()), body


def both(method, path, headers):
    """The front's answer and the middleware path's, built with the settings as they are now."""
    front = StaticFront(get_wsgi_application())
    return (
        front,
        front_answer(front, method, path, headers),
        middleware_answer(method, path, headers),
    )


@pytest.mark.parametrize(
    ("method", "accept", "encoding"),
    [
        ("GET", "br, gzip", "br"),
        ("GET", "gzip", "gzip"),
        ("GET", None, None),
        ("GET", "*", None),
        ("HEAD", "br", "br"),
    ],
)
def test_a_hashed_file_is_answered_from_memory_as_the_middleware_answers(
    collected, method, accept, encoding
):
    css = hashed_url(collected, "css/site.*.css")
    headers = {**HTTPS, "Accept-Encoding": accept} if accept else HTTPS

    front, fast, plain = both(method, css, headers)

    assert css in front.files
    assert fast == plain
    status, sent, body = fast
    assert status == 200
    assert sent.get("Content-Encoding") == encoding
    assert sent["Vary"] == "Accept-Encoding"
    assert "immutable" in sent["Cache-Control"]
    assert "Strict-Transport-Security" in sent
    assert len(body) == (0 if method == "HEAD" else int(sent["Content-Length"]))


@pytest.mark.parametrize("condition", ["If-None-Match", "If-Modified-Since"])
def test_a_cached_copy_still_valid_gets_304_as_from_the_middleware(collected, condition):
    css = hashed_url(collected, "css/site.*.css")
    _, first, _ = both("GET", css, HTTPS)
    validator = first[1]["ETag" if condition == "If-None-Match" else "Last-Modified"]

    front, fast, plain = both("GET", css, {**HTTPS, condition: validator})

    assert fast == plain
    assert fast[0] == 304
    assert fast[2] == b""


@pytest.mark.parametrize(
    ("setting", "value", "header"),
    [
        ("SECURE_REFERRER_POLICY", ["no-referrer", "strict-origin"], "Referrer-Policy"),
        (
            "SECURE_CROSS_ORIGIN_OPENER_POLICY",
            "same-origin-allow-popups",
            "Cross-Origin-Opener-Policy",
        ),
        ("SECURE_HSTS_PRELOAD", True, "Strict-Transport-Security"),
        ("SECURE_CONTENT_TYPE_NOSNIFF", False, "X-Content-Type-Options"),
    ],
)
def test_the_security_headers_follow_the_settings_as_security_middleware_does(
    collected, settings, setting, value, header
):
    css = hashed_url(collected, "css/site.*.css")
    _, before, _ = both("GET", css, HTTPS)
    setattr(settings, setting, value)

    front, fast, plain = both("GET", css, HTTPS)

    assert css in front.files
    assert fast == plain
    assert fast[1].get(header) != before[1].get(header)


def test_only_names_in_the_manifest_are_immutable_and_held_in_memory(collected):
    hashed = hashed_url(collected, "lookalike.0123456789ab.*.css")
    lookalike = "/static/" + LOOKALIKE

    front, fast, plain = both("GET", lookalike, HTTPS)
    _, hashed_answer, _ = both("GET", hashed, HTTPS)

    assert fast == plain
    assert "immutable" not in fast[1]["Cache-Control"]
    assert lookalike not in front.files
    assert "immutable" in hashed_answer[1]["Cache-Control"]
    assert hashed in front.files


@pytest.mark.parametrize(
    ("method", "headers"),
    [
        ("GET", {**HTTPS, "Range": "bytes=0-9"}),
        ("POST", HTTPS),
        ("GET", {}),  # plain HTTP: redirected to HTTPS
    ],
)
def test_ranges_other_methods_and_plain_http_get_the_middleware_paths_answer(
    collected, method, headers
):
    css = hashed_url(collected, "css/site.*.css")

    _, fast, plain = both(method, css, headers)

    assert fast == plain
    assert fast[0] in (206, 405, 301)


def test_memory_holds_no_file_over_the_bound_and_no_more_than_the_total(collected):
    large = hashed_url(collected, "large.*.bin")

    front, fast, plain = both("GET", large, HTTPS)

    assert fast == plain
    assert "immutable" in fast[1]["Cache-Control"]
    assert large not in front.files
    assert 0 < front.bytes <= static_front.MAX_TOTAL_BYTES
