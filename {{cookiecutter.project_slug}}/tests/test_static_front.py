"""The production web process answers static files in front of Django (config/static.py),
with the headers Django's SecurityMiddleware gives and "immutable" only for the names
collectstatic hashed."""

import json
from wsgiref.util import setup_testing_defaults

import pytest
from django.core.management import call_command

from config.static import with_static_files

MANIFEST = "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"


def django(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"from Django"]


def get(path):
    """status and headers of a GET through the static front."""
    environ = {"PATH_INFO": path}
    setup_testing_defaults(environ)
    answer = {}

    def start_response(status, headers):
        answer.update(status=status, headers=dict(headers))

    body = b"".join(with_static_files(django)(environ, start_response))
    return answer["status"], answer["headers"], body


@pytest.fixture
def collected(settings, tmp_path):
    """STATIC_ROOT filled by collectstatic with hashed names, as in production."""
    settings.STATIC_ROOT = tmp_path / "staticfiles"
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": MANIFEST}}
    call_command("collectstatic", "--noinput", verbosity=0)
    manifest = json.loads((settings.STATIC_ROOT / "staticfiles.json").read_text())
    return settings.STATIC_ROOT, manifest["paths"]


def test_static_responses_carry_the_security_headers_django_makes_from_the_settings(
    settings, collected
):
    settings.SECURE_REFERRER_POLICY = "no-referrer"
    settings.SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin-allow-popups"
    settings.SECURE_HSTS_SECONDS = 60
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = False
    settings.SECURE_HSTS_PRELOAD = True

    status, headers, _ = get("/static/css/site.css")

    assert status == "200 OK"
    assert headers["Referrer-Policy"] == "no-referrer"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin-allow-popups"
    assert headers["Strict-Transport-Security"] == "max-age=60; preload"
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_only_names_collectstatic_hashed_are_immutable(collected):
    root, paths = collected
    hashed = paths["css/site.css"]
    (root / "css" / "lookalike.0123456789ab.css").write_text("body {}")

    immutable = get(f"/static/{hashed}")[1]["Cache-Control"]
    plain = get("/static/css/site.css")[1]["Cache-Control"]
    lookalike = get("/static/css/lookalike.0123456789ab.css")[1]["Cache-Control"]

    assert "immutable" in immutable
    assert "immutable" not in plain and "immutable" not in lookalike


def test_other_paths_reach_django(collected):
    assert get("/profile/")[2] == b"from Django"
