"""Production: secrets and hosts from the environment, HTTPS only, media never served by Django.

Every variable read here is listed in .env.example; start-up stops with one line naming every
required one that is missing.
"""

from .base import *  # noqa: F403
from .base import STORAGES, database, env

env.require("DJANGO_SECRET_KEY", "DATABASE_URL")
from .media import MEDIA_STORAGE, PRIVATE_STORAGE  # noqa: E402 (it requires the storage's own variables)

env.stop_if_missing()

SECRET_KEY = env.str("DJANGO_SECRET_KEY")

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["{{ cookiecutter.domain_name }}"])
# The domain links in emails name (password resets), never the Host header a request sent.
SITE_DOMAIN = env.str("DJANGO_SITE_DOMAIN", default=ALLOWED_HOSTS[0].lstrip("."))

# PostgreSQL in production (postgres://user:password@host:5432/name); sqlite:/// URLs work too.
DATABASES = {"default": database(env.str("DATABASE_URL"))}
DATABASES["default"]["CONN_MAX_AGE"] = 60
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

STORAGES = {
    **STORAGES,
    "default": MEDIA_STORAGE,
    "private": PRIVATE_STORAGE,
    # Hashed names (cacheable forever) with Brotli and gzip variants, served by WhiteNoise.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# One cache for every process and server: the database's by default (manage.py
# createcachetable makes its table in the release step), Redis with redis://HOST:6379/0.
CACHES = {"default": env.cache_url("DJANGO_CACHE_URL", default="dbcache://django_cache")}

# HTTPS. The proxy in front (deploy/nginx.conf) ends TLS and says so in X-Forwarded-Proto;
# trust that header only behind a proxy that always sets it:
# https://docs.djangoproject.com/en/5.2/ref/settings/#secure-proxy-ssl-header
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# Browsers remember HSTS for this long, and keep refusing plain HTTP until it runs out: start
# at an hour and raise it step by step once every name serves HTTPS (docs/deployment.md).
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=True)

# Email: one URL names the server and how to reach it, e.g. smtp+tls://USER:PASSWORD@HOST:587
# (the forms: https://django-environ.readthedocs.io/en/latest/types.html).
# Without it, Django's own default: the SMTP server on this machine (localhost:25). A send that
# fails is logged at ERROR; mail is never written to the logs, as reset links would be.
globals().update(env.email_url("EMAIL_URL", default="smtp://localhost:25"))
DEFAULT_FROM_EMAIL = env.str(
    "DJANGO_DEFAULT_FROM_EMAIL",
    default="noreply@{{ cookiecutter.domain_name }}",
)
# Errors Django mails to ADMINS come from the same address.
SERVER_EMAIL = DEFAULT_FROM_EMAIL
