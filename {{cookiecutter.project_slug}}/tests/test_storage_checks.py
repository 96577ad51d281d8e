"""Each media and static misconfiguration is reported by `manage.py check`, naming the setting."""

import re
import sys
import types
from pathlib import Path

import pytest
from django.conf.urls.static import static
from django.urls import clear_url_caches, re_path
from django.views.static import serve
from prod_env import PROD_ENV
from system_checks import only, storage_messages

# A URLconf that serves uploads with no DEBUG guard, for the storage.E005 test.
urlpatterns = [re_path(r"^media/(?P<path>.*)$", serve, {"document_root": "/srv/site/media"})]

PROJECT_DIR = Path(__file__).resolve().parent.parent
WHITENOISE_STORAGE = "whitenoise.storage.CompressedManifestStaticFilesStorage"


def test_the_shipped_test_settings_raise_no_storage_message():
    assert storage_messages(deploy=True) == []


def test_the_shipped_development_settings_raise_no_storage_message(run_django):
    result = run_django(
        "from django.core.checks import run_checks\n"
        "print([m.id for m in run_checks() if m.id.startswith('storage.')])",
        "config.settings.dev",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_the_shipped_production_settings_pass_the_deploy_check(run_django, tmp_path):
    result = run_django(
        "from django.core.management import call_command\n"
        "call_command('check', deploy=True, fail_level='WARNING')",
        "config.settings.prod",
        {**PROD_ENV, "DJANGO_MEDIA_ROOT": str(tmp_path)},
    )

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("", ["MEDIA_ROOT", "empty"]),
        ("media", ["MEDIA_ROOT", "'media'", "relative"]),
        ("https://cdn.example.com/media/", ["MEDIA_ROOT", "URL"]),
    ],
)
def test_media_root_must_be_an_absolute_directory(settings, value, words):
    settings.MEDIA_ROOT = value

    only(storage_messages(), "storage.E001", *words)


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("", "MEDIA_ROOT is empty"),
        ("https://cdn.example.com/media/", "'https://cdn.example.com/media/' is a URL"),
        ("media", "'media' is relative"),
    ],
)
def test_a_bad_media_root_from_the_environment_is_named_as_it_was_given(run_django, value, words):
    result = run_django(
        "from django.core.checks import run_checks\n"
        "print([m.msg for m in run_checks() if m.id == 'storage.E001'])",
        "config.settings.dev",  # uploads on this disk with either media option
        {"DJANGO_MEDIA_ROOT": value},
    )

    assert result.returncode == 0, result.stderr
    assert words in result.stdout


@pytest.mark.parametrize(
    "value",
    [
        "/var/www/site/media/",
        "/home/ada/site/media/",
        "C:\\site\\media\\",
        "~/media/",
        "file:///srv/media/",
    ],
)
def test_media_url_must_not_be_a_filesystem_path(settings, value):
    settings.MEDIA_URL = value

    only(storage_messages(), "storage.E002", "MEDIA_URL", "filesystem path")


def test_media_url_must_not_be_media_root(settings, media_root):
    settings.MEDIA_URL = str(media_root) + "/"

    only(storage_messages(), "storage.E002", "MEDIA_URL", "filesystem path")


def test_media_url_must_end_with_a_slash(settings):
    settings.MEDIA_URL = "/media"

    only(storage_messages(), "storage.E013", "MEDIA_URL", "'/media'", "end in '/'")


@pytest.mark.parametrize(
    ("setting", "relative_to_media", "relation"),
    [
        ("STATIC_ROOT", ".", "is STATIC_ROOT"),
        ("STATIC_ROOT", "..", "is inside STATIC_ROOT"),
        ("STATIC_ROOT", "static", "contains STATIC_ROOT"),
        ("STATICFILES_DIRS", ".", "is STATICFILES_DIRS"),
        ("STATICFILES_DIRS", "assets", "contains STATICFILES_DIRS"),
    ],
)
def test_media_root_must_not_share_a_static_directory(
    settings, media_root, setting, relative_to_media, relation
):
    directory = (media_root / relative_to_media).resolve()
    if setting == "STATIC_ROOT":
        settings.STATIC_ROOT = directory
    else:
        settings.STATICFILES_DIRS = [*settings.STATICFILES_DIRS, ("prefix", directory)]

    only(storage_messages(), "storage.E003", "MEDIA_ROOT", relation)


@pytest.mark.parametrize(
    ("media_url", "static_url", "relation"),
    [
        ("/static/media/", "/static/", "is inside"),
        ("/assets/", "/assets/css/", "contains"),
        ("/files/", "/files/", "is the same as"),
    ],
)
def test_media_url_must_not_share_the_static_url(settings, media_url, static_url, relation):
    settings.MEDIA_URL, settings.STATIC_URL = media_url, static_url

    only(storage_messages(), "storage.E004", "MEDIA_URL", "STATIC_URL", relation)


@pytest.fixture
def urlconf(settings, monkeypatch):
    """Use these URL patterns as the project's URLconf."""

    def use(patterns):
        module = types.ModuleType("urlconf_under_test")
        module.urlpatterns = patterns
        monkeypatch.setitem(sys.modules, module.__name__, module)
        settings.ROOT_URLCONF = module.__name__
        clear_url_caches()

    yield use
    clear_url_caches()


def test_development_without_the_media_route_is_reported(settings, urlconf):
    settings.DEBUG = True
    urlconf([])

    only(storage_messages(), "storage.W015", "DEBUG", "MEDIA_URL", "broken images")


def test_development_with_the_media_route_raises_nothing(settings, urlconf):
    settings.DEBUG = True
    urlconf(static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT))

    assert storage_messages() == []


def test_media_on_another_domain_needs_no_development_route(settings, urlconf):
    settings.DEBUG, settings.MEDIA_URL = True, "https://media.example.com/"
    urlconf([])

    assert storage_messages() == []


def test_each_check_id_is_used_once_and_the_checks_page_lists_them_all():
    app = PROJECT_DIR / "media_storage"
    source = "".join(path.read_text() for path in sorted(app.glob("*checks.py")))
    page = (PROJECT_DIR / "docs" / "checks.md").read_text(encoding="utf-8")
    used = re.findall(r'id="(storage\.[EW]\d{3})"', source)
    listed = re.findall(r"^\| `(storage\.[EW]\d{3})` \|", page, re.M)

    assert len(used) == len(set(used))
    assert sorted(listed) == sorted(used)


def test_django_serving_media_with_debug_off_is_reported(settings):
    settings.ROOT_URLCONF = __name__
    clear_url_caches()
    try:
        only(storage_messages(), "storage.E005", "django.views.static.serve", "media/")
    finally:
        clear_url_caches()


def test_whitenoise_root_must_not_be_media_root(settings, media_root):
    settings.WHITENOISE_ROOT = media_root

    only(storage_messages(), "storage.E006", "WHITENOISE_ROOT", "MEDIA_ROOT", "404")


def whitenoise_storage(settings):
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": WHITENOISE_STORAGE}}


def test_whitenoise_storage_needs_the_whitenoise_middleware(settings):
    whitenoise_storage(settings)
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if "whitenoise" not in m]

    only(storage_messages(), "storage.E007", "MIDDLEWARE", "WhiteNoiseMiddleware")


def test_whitenoise_middleware_belongs_directly_after_security_middleware(settings):
    whitenoise_storage(settings)
    middleware = [m for m in settings.MIDDLEWARE if "whitenoise" not in m]
    settings.MIDDLEWARE = [*middleware, "whitenoise.middleware.WhiteNoiseMiddleware"]

    only(storage_messages(), "storage.W014", "SecurityMiddleware")


@pytest.mark.parametrize("name", ["DEFAULT_FILE_STORAGE", "STATICFILES_STORAGE"])
def test_removed_storage_settings_are_reported(settings, name):
    setattr(settings, name, "django.core.files.storage.FileSystemStorage")

    only(storage_messages(), "storage.E008", name, "ignore")
