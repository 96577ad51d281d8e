"""One way to make a plain HTTP request to a server on loopback."""

import urllib.error
import urllib.request
from dataclasses import dataclass


@dataclass
class Response:
    status: int
    headers: dict  # lower-case names
    body: bytes


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirect, urllib.request.ProxyHandler({}))


def fetch(url, headers=None, *, method="GET", data=None, timeout=10):
    """A request without following redirects or any proxy; errors are responses too."""
    request = urllib.request.Request(url, headers=headers or {}, method=method, data=data)
    try:
        with _opener.open(request, timeout=timeout) as answer:
            status, found, body = answer.status, answer.headers, answer.read()
    except urllib.error.HTTPError as error:
        status, found, body = error.code, error.headers, error.read()
    return Response(status, {name.lower(): value for name, value in found.items()}, body)


def status_or_none(url, headers=None, *, timeout=2):
    """The status of a GET, or None when nothing answers (refused, reset, timed out)."""
    try:
        return fetch(url, headers, timeout=timeout).status
    except OSError:
        return None
