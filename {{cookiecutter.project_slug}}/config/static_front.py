"""Hashed static files answered from memory, before Django, in the production web process.

WhiteNoiseMiddleware still serves every static file (under runserver, it alone does); this only
makes its commonest answers fast: granian sends a body of one bytes object in one write, but a
file in 8 KB blocks read from Python. Each answer is the middleware path's own, built at start:
WhiteNoise's StaticFile picks 304 or the encoding, SecurityMiddleware (directly before
WhiteNoise, storage.E007) adds its headers. Everything else goes to Django unchanged: other
files, methods, ranges, and requests Django does not see as HTTPS, so those are redirected as
on the middleware path, never answered without HSTS.
"""

import os
from io import BytesIO

from django.conf import settings
from django.core.handlers.wsgi import WSGIRequest
from django.http import HttpResponse
from django.middleware.security import SecurityMiddleware
from whitenoise.middleware import WhiteNoiseMiddleware

# Memory per worker process: no file above MAX_FILE_BYTES (its variants counted together),
# and MAX_TOTAL_BYTES in all, smallest files first; the rest is served by the middleware.
MAX_FILE_BYTES = 512 * 1024
MAX_TOTAL_BYTES = 32 * 1024 * 1024
# Distinct (scheme, proxy header) pairs whose HTTPS verdict is remembered.
MAX_SCHEMES = 64


class StaticFront:
    def __init__(self, application):
        self.application = application
        whitenoise = WhiteNoiseMiddleware()
        self.security = SecurityMiddleware(application)
        proxy = settings.SECURE_PROXY_SSL_HEADER
        self.proxy_header = proxy[0] if proxy else None
        self.secure = {}
        self.files = {}
        self.bytes = 0
        for size, url, static_file in sorted(hashed_files(whitenoise), key=lambda f: f[0]):
            if size <= MAX_FILE_BYTES and self.bytes + size <= MAX_TOTAL_BYTES:
                # PATH_INFO as WSGI gives it: UTF-8 bytes read as Latin-1.
                key = url.encode().decode("latin-1")
                self.files[key] = InMemoryFile(static_file, self.with_security_headers)
                self.bytes += size

    def __call__(self, environ, start_response):
        answer = self.answer(environ)
        if answer is None:
            return self.application(environ, start_response)
        status, headers, body = answer
        start_response(status, headers)
        return [body] if body else []

    def answer(self, environ):
        """(status line, headers, body) from memory, or None: then Django answers."""
        found = self.files.get(environ.get("PATH_INFO"))
        method = environ["REQUEST_METHOD"]
        if (
            found is None
            or method not in ("GET", "HEAD")
            or "HTTP_RANGE" in environ
            or not self.is_secure(environ)
        ):
            return None
        status, headers, body = found.answer(environ)
        return status, headers, body if method == "GET" else b""

    def is_secure(self, environ):
        """Django's verdict, remembered: a request object costs more than the rest of the answer.
        It depends on these two values only (HttpRequest.scheme)."""
        key = (environ.get("wsgi.url_scheme"), environ.get(self.proxy_header))
        verdict = self.secure.get(key)
        if verdict is None:
            verdict = WSGIRequest(environ).is_secure()
            if len(self.secure) < MAX_SCHEMES:
                self.secure[key] = verdict
        return verdict

    def with_security_headers(self, status, headers):
        """Status line and headers of WhiteNoiseMiddleware's answer after SecurityMiddleware."""
        response = HttpResponse(status=status)
        del response["Content-Type"]  # as WhiteNoiseMiddleware.serve: WhiteNoise's own only
        for name, value in headers:
            response[name] = value
        self.security.process_response(https_request(), response)
        return f"{response.status_code} {response.reason_phrase}", list(response.items())


class InMemoryFile:
    """One static file's answers to GET and HEAD without Range, computed once."""

    def __init__(self, static_file, with_security_headers):
        self.static_file = static_file
        not_modified = static_file.not_modified_response
        self.not_modified = (*with_security_headers(not_modified.status, not_modified.headers), b"")
        self.by_path = {}
        for _, path, headers in static_file.alternatives:
            with open(path, "rb") as file:
                self.by_path[path] = (*with_security_headers(200, headers), file.read())

    def answer(self, environ):
        # StaticFile.get_response's own steps after its method check, with the body in memory.
        if self.static_file.is_not_modified(environ):
            return self.not_modified
        path, _ = self.static_file.get_path_and_headers(environ)
        return self.by_path[path]


def hashed_files(whitenoise):
    """(bytes of all variants, url, StaticFile) of each file the middleware calls immutable."""
    for url, static_file in whitenoise.files.items():
        variants = getattr(static_file, "alternatives", ())  # a Redirect has none
        paths = [path for _, path, _ in variants]
        if paths and whitenoise.immutable_file_test(min(paths, key=len), url):
            yield sum(os.path.getsize(path) for path in paths), url, static_file


def https_request():
    """A request as the site receives it: over HTTPS."""
    environ = {"REQUEST_METHOD": "GET", "wsgi.input": BytesIO(), "wsgi.url_scheme": "https"}
    environ["SERVER_NAME"], environ["SERVER_PORT"] = "localhost", "443"
    return WSGIRequest(environ)
