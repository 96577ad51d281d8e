import importlib
from pathlib import Path

import pytest
from django.urls import Resolver404, clear_url_caches, resolve
from django.views.static import serve

import config.urls


@pytest.fixture
def urls_with_debug(settings):
    """Rebuild config.urls with DEBUG on or off, as it is at start-up."""

    def load(debug):
        settings.DEBUG = debug
        importlib.reload(config.urls)
        clear_url_caches()

    yield load
    settings.DEBUG = False
    importlib.reload(config.urls)
    clear_url_caches()


def test_with_debug_on_django_serves_media_urls(urls_with_debug):
    urls_with_debug(True)

    assert resolve("/media/avatars/ada.png").func is serve


def test_with_debug_off_no_media_url_pattern_exists(urls_with_debug):
    urls_with_debug(False)

    with pytest.raises(Resolver404):
        resolve("/media/avatars/ada.png")


def test_the_development_helper_serves_the_uploaded_bytes(urls_with_debug, client, media_root):
    (media_root / "avatars").mkdir()
    (media_root / "avatars" / "ada.png").write_bytes(b"\x89PNG fake bytes")
    urls_with_debug(True)

    response = client.get("/media/avatars/ada.png")

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"\x89PNG fake bytes"


def test_media_and_static_never_share_a_directory_or_url_prefix():
    from config.settings import base

    media, static = Path(base.MEDIA_ROOT), Path(base.STATIC_ROOT)
    assert media.is_absolute() and static.is_absolute()
    assert not media.is_relative_to(static) and not static.is_relative_to(media)
    assert not base.MEDIA_URL.startswith(base.STATIC_URL)
    assert not base.STATIC_URL.startswith(base.MEDIA_URL)
