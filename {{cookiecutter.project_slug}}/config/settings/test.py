"""Tests: fast and hermetic. No .env, no collectstatic, uploads in a temporary MEDIA_ROOT."""

from .base import *  # noqa: F403

SECRET_KEY = "test-only-not-secret"  # noqa: S105

ALLOWED_HOSTS = ["testserver"]
SITE_DOMAIN = "testserver"

DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}

# Hashing passwords slowly only slows tests down.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# As in development: static files straight from the app directories, no collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
