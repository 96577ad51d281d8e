"""Static files in front of Django, for the production web process (config/wsgi.py).

WhiteNoise's middleware serves static files from inside Django's stack; wrapping the whole
application in WhiteNoise answers them before Django sees the request, several times faster,
with the same files and headers:
- the security headers are SecurityMiddleware's own, made by its code from the settings once
  at start-up, so every value Django accepts for them holds here too;
- "immutable" (cached for a year) is what the middleware decides: a name collectstatic gave a
  content hash, as its manifest (staticfiles.json) lists them.
With DEBUG on (runserver) nothing is wrapped: the middleware serves static/ as it is now, never
an older copy that collectstatic left in STATIC_ROOT.
"""

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpRequest, HttpResponse
from django.middleware.security import SecurityMiddleware
from whitenoise import WhiteNoise


class SiteRequest(HttpRequest):
    """A request as the site receives them all: over HTTPS (SECURE_SSL_REDIRECT sends any
    other there first)."""

    scheme = "https"


def security_headers():
    """The headers SecurityMiddleware adds to a response, as its code makes them."""
    response = HttpResponse()
    before = set(response.headers)
    SecurityMiddleware(lambda request: response).process_response(SiteRequest(), response)
    return {name: value for name, value in response.headers.items() if name not in before}


def with_static_files(application):
    """application with STATIC_ROOT's files answered in front of it, in production."""
    if settings.DEBUG:
        return application
    security = security_headers()
    hashed = set(getattr(staticfiles_storage, "hashed_files", {}).values())

    def is_hashed(path, url):
        return url.removeprefix(settings.STATIC_URL) in hashed

    def add_security_headers(headers, path, url):
        for name, value in security.items():
            headers[name] = value

    return WhiteNoise(
        application,
        root=settings.STATIC_ROOT,
        prefix=settings.STATIC_URL,
        immutable_file_test=is_hashed,
        add_headers_function=add_security_headers,
    )
