"""System checks for the media and static settings: the mistakes Django itself lets through
(bucket_checks.py has those of bucket media storage).

They run with every manage.py command (check, runserver, migrate...), and the last one with
check --deploy. They read settings only: no network, no directory walks, no cloud SDK import.
docs/checks.md lists them. https://docs.djangoproject.com/en/5.2/topics/checks/
"""

import os
import re
from pathlib import Path

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.core.files.storage import FileSystemStorage
from django.urls import Resolver404, URLResolver, get_resolver, resolve
from django.utils.module_loading import import_string
from django.views.static import serve

from .services import bucket_service

WHITENOISE_MIDDLEWARE = "whitenoise.middleware.WhiteNoiseMiddleware"
SECURITY_MIDDLEWARE = "django.middleware.security.SecurityMiddleware"
# Where a filesystem path, not a URL, usually starts. Django puts "/" before a relative
# MEDIA_URL ("C:/..." reads as "/C:/..."), hence the optional slash.
PATH_LIKE = re.compile(
    r"^/?(?:[A-Za-z]:[\\/]|~|file:)|^/(?:home|Users|root|var|srv|tmp|opt|usr|etc)/"
)


def backend(alias):
    return settings.STORAGES.get(alias, {}).get("BACKEND", "")


def media_on_local_disk():
    """Whether uploads go to MEDIA_ROOT."""
    name = backend("default")
    if bucket_service(name):
        return False
    try:
        return issubclass(import_string(name), FileSystemStorage)
    except ImportError:
        return False


def absolute(path):
    """A normalised absolute path, or None for an empty, relative or URL value."""
    text = os.fspath(path) if path else ""
    if not text or "://" in text or not os.path.isabs(text):
        return None
    return Path(os.path.normpath(text))


def overlap(a, b):
    """How directory a relates to directory b: 'is', 'is inside' or 'contains', or None."""
    if a == b:
        return "is"
    if a.is_relative_to(b):
        return "is inside"
    if b.is_relative_to(a):
        return "contains"
    return None


def overlapping(directory, named_directories):
    """(name, other, relation) for each (name, value) whose directory is, contains or lies
    inside directory (relation as overlap() says it)."""
    for name, value in named_directories:
        other = absolute(value)
        relation = other and overlap(directory, other)
        if relation:
            yield name, other, relation


def static_directories():
    yield "STATIC_ROOT", settings.STATIC_ROOT
    for entry in settings.STATICFILES_DIRS:
        yield "STATICFILES_DIRS", entry[1] if isinstance(entry, list | tuple) else entry


@register(Tags.files)
def check_media_root(app_configs, **kwargs):
    if not media_on_local_disk():
        return []
    value = os.fspath(settings.MEDIA_ROOT) if settings.MEDIA_ROOT else ""
    hint = "Set MEDIA_ROOT (env DJANGO_MEDIA_ROOT) to an absolute directory: BASE_DIR / 'media'."
    if not value:
        problem = "MEDIA_ROOT is empty, so uploads would be written to the current directory."
    elif "://" in value:
        problem = f"MEDIA_ROOT {value!r} is a URL; it must be a directory on disk."
        hint = "Put the URL in MEDIA_URL (env DJANGO_MEDIA_URL). " + hint
    elif not os.path.isabs(value):
        problem = f"MEDIA_ROOT {value!r} is relative: uploads would land wherever Django started."
    else:
        return []
    return [Error(problem, hint=hint, id="storage.E001")]


@register(Tags.files)
def check_media_url(app_configs, **kwargs):
    url, root = settings.MEDIA_URL or "", os.fspath(settings.MEDIA_ROOT or "")
    base = os.fspath(getattr(settings, "BASE_DIR", "") or "")
    looks_like_path = (
        (root and url.rstrip("/\\") == root.rstrip("/\\"))
        or (base and url.startswith(base))
        or PATH_LIKE.match(url)
        or "\\" in url
    )
    if looks_like_path:
        return [
            Error(
                f"MEDIA_URL {url!r} looks like a filesystem path, yet pages link to it as a URL.",
                hint="MEDIA_URL is the URL prefix of uploads, e.g. '/media/' or "
                "'https://media.example.com/'; the directory belongs in MEDIA_ROOT.",
                id="storage.E002",
            )
        ]
    if not url.endswith("/"):
        return [
            Error(
                f"MEDIA_URL {url!r} does not end in '/', so file names would be glued to it.",
                hint="Use e.g. '/media/' or 'https://media.example.com/' (env DJANGO_MEDIA_URL).",
                id="storage.E013",
            )
        ]
    return []


@register(Tags.files, Tags.staticfiles)
def check_media_and_static_directories(app_configs, **kwargs):
    media = absolute(settings.MEDIA_ROOT)
    if media is None:
        return []
    return [
        Error(
            f"MEDIA_ROOT {os.fspath(media)!r} {relation} {name} {os.fspath(other)!r}: "
            "collectstatic and uploads would overwrite or publish each other's files.",
            hint="Give uploads a directory of their own, outside every static "
            "directory, e.g. BASE_DIR / 'media' beside BASE_DIR / 'staticfiles'.",
            id="storage.E003",
        )
        for name, other, relation in overlapping(media, static_directories())
    ]


@register(Tags.files, Tags.staticfiles)
def check_media_and_static_urls(app_configs, **kwargs):
    media, static = settings.MEDIA_URL or "", settings.STATIC_URL or ""
    if not media or not static:
        return []
    if media == static:
        relation = "is the same as"
    elif media.startswith(static):
        relation = "is inside"
    elif static.startswith(media):
        relation = "contains"
    else:
        return []
    return [
        Error(
            f"MEDIA_URL {media!r} {relation} STATIC_URL {static!r}: uploads and static files "
            "would answer at the same URLs.",
            hint="Give each a prefix of its own: MEDIA_URL = '/media/', STATIC_URL = '/static/'.",
            id="storage.E004",
        )
    ]


def url_patterns(resolver):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from url_patterns(pattern)
        else:
            yield pattern


@register(Tags.urls)
def check_django_does_not_serve_media(app_configs, **kwargs):
    if settings.DEBUG:
        return []
    served = [p for p in url_patterns(get_resolver()) if p.callback is serve]
    return [
        Error(
            f"URL pattern {str(p.pattern)!r} routes to django.views.static.serve while DEBUG is "
            "off: Django would stream uploads itself, slowly and without the web server's "
            "protections.",
            hint="Add it only under 'if settings.DEBUG:' (django.conf.urls.static.static does) "
            "and let the web server or object storage serve MEDIA_URL.",
            id="storage.E005",
        )
        for p in served
    ]


@register(Tags.urls)
def check_development_serves_media(app_configs, **kwargs):
    """With DEBUG on and uploads on this disk, something must answer MEDIA_URL: Django's
    helper in config/urls.py. Without it uploads work but show as broken images."""
    url = settings.MEDIA_URL or ""
    if not settings.DEBUG or not media_on_local_disk() or not url.startswith("/"):
        return []
    try:
        served = resolve(url + "avatars/example.png").func is serve
    except Resolver404:
        served = False
    if served:
        return []
    return [
        Warning(
            f"DEBUG is on and uploads are stored on this disk, but no URL pattern serves "
            f"MEDIA_URL {url!r}: uploaded files would show as broken images.",
            hint="In config/urls.py: if settings.DEBUG: urlpatterns += "
            "static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)",
            id="storage.W015",
        )
    ]


@register(Tags.files, Tags.staticfiles)
def check_whitenoise_does_not_serve_media(app_configs, **kwargs):
    media = absolute(settings.MEDIA_ROOT)
    root = absolute(getattr(settings, "WHITENOISE_ROOT", None))
    relation = media and root and overlap(root, media)
    if not relation:
        return []
    return [
        Error(
            f"WHITENOISE_ROOT {os.fspath(root)!r} {relation} MEDIA_ROOT {os.fspath(media)!r}: "
            "WhiteNoise only knows the files present at start-up, so new uploads would 404.",
            hint="Point WHITENOISE_ROOT at a directory of fixed files (robots.txt, favicon.ico), "
            "and serve media with the web server or object storage.",
            id="storage.E006",
        )
    ]


@register(Tags.staticfiles)
def check_whitenoise_middleware(app_configs, **kwargs):
    if not backend("staticfiles").startswith("whitenoise."):
        return []
    middleware = list(settings.MIDDLEWARE)
    if WHITENOISE_MIDDLEWARE not in middleware:
        return [
            Error(
                "STORAGES['staticfiles'] uses WhiteNoise, but MIDDLEWARE lacks "
                f"{WHITENOISE_MIDDLEWARE!r}: static files would not be served.",
                hint="Add it to MIDDLEWARE directly after SecurityMiddleware.",
                id="storage.E007",
            )
        ]
    expected = middleware.index(SECURITY_MIDDLEWARE) + 1 if SECURITY_MIDDLEWARE in middleware else 0
    if middleware.index(WHITENOISE_MIDDLEWARE) != expected:
        return [
            Warning(
                f"{WHITENOISE_MIDDLEWARE!r} is not directly after SecurityMiddleware in "
                "MIDDLEWARE: static responses would run through the middleware above it.",
                hint="Move it to directly after SecurityMiddleware, above all others.",
                id="storage.W014",
            )
        ]
    return []


@register(Tags.files, Tags.staticfiles)
def check_removed_storage_settings(app_configs, **kwargs):
    replaced = {"DEFAULT_FILE_STORAGE": "default", "STATICFILES_STORAGE": "staticfiles"}
    return [
        Error(
            f"{name} is set, but Django 5.1 and later ignore it: this storage is not in use.",
            hint=f'Move it to STORAGES["{alias}"]["BACKEND"] and delete {name}.',
            id="storage.E008",
        )
        for name, alias in replaced.items()
        if hasattr(settings, name)
    ]
