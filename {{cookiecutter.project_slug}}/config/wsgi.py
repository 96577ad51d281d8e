"""WSGI entry point for the production web process (see Procfile), and for runserver.

In production WhiteNoise wraps the Django application here, so a static file is answered
before Django sees the request: the same file and headers as WhiteNoise's middleware gives,
at several times the speed (bench/run measures both). Every other request reaches Django
unchanged. With DEBUG on (runserver) there is no wrapper: the middleware serves the files
as they are in static/ now, never an older copy that collectstatic left in STATIC_ROOT.
"""

import os
import re

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from whitenoise import WhiteNoise

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.prod")

# ManifestStaticFilesStorage names: site.d936530ce3ab.css. Their content never changes.
HASHED_NAME = re.compile(r"\.[0-9a-f]{12}\.\w+$")


def is_hashed(path, url):
    return bool(HASHED_NAME.search(url))


def security_headers(headers, path, url):
    """What SecurityMiddleware adds to a static response on the middleware path."""
    if settings.SECURE_CONTENT_TYPE_NOSNIFF:
        headers["X-Content-Type-Options"] = "nosniff"
    if settings.SECURE_REFERRER_POLICY:
        headers["Referrer-Policy"] = settings.SECURE_REFERRER_POLICY
    if settings.SECURE_CROSS_ORIGIN_OPENER_POLICY:
        headers["Cross-Origin-Opener-Policy"] = settings.SECURE_CROSS_ORIGIN_OPENER_POLICY
    if settings.SECURE_HSTS_SECONDS:  # the site is HTTPS only (SECURE_SSL_REDIRECT)
        hsts = f"max-age={settings.SECURE_HSTS_SECONDS}"
        hsts += "; includeSubDomains" if settings.SECURE_HSTS_INCLUDE_SUBDOMAINS else ""
        hsts += "; preload" if settings.SECURE_HSTS_PRELOAD else ""
        headers["Strict-Transport-Security"] = hsts


application = get_wsgi_application()
if not settings.DEBUG:
    application = WhiteNoise(
        application,
        root=settings.STATIC_ROOT,
        prefix=settings.STATIC_URL,
        immutable_file_test=is_hashed,
        add_headers_function=security_headers,
    )
