"""Development: DEBUG on, SQLite, uploads served by Django's helper (see config/urls.py)."""

from pathlib import Path

import environ

# Read .env before base.py reads the environment. Production never reads .env.
environ.Env.read_env(Path(__file__).resolve().parent.parent.parent / ".env")

from .base import *  # noqa: E402, F403
from .base import BASE_DIR, database, env  # noqa: E402

DEBUG = True

# Written to .env when the project was made; the fallback keeps a fresh clone running.
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="django-insecure-development-only")

ALLOWED_HOSTS = ["localhost", "127.0.0.1", "[::1]"]

DATABASES = {
    "default": database(env.str("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"))
}

# Mail is printed where runserver logs, password-reset links included.
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
