"""A private file's bytes, once the view has said who may have them, sent by the fastest part
that can: a bucket's link signed for PRIVATE_LINK_SECONDS; the web server in front, which says
how it sends files in X-Sendfile-Type (the shipped nginx: X-Accel-Redirect to its internal
location; Apache: X-Sendfile), believed only from DJANGO_TRUSTED_PROXIES; or else the app
itself, in blocks, with Range (development, or the Procfile process alone on a platform).

Every answer is a download under the name the user gave (RFC 6266's filename*, as Django
encodes it), never shown in the site's own origin, never cached.
"""

import mimetypes
import re
from urllib.parse import quote

from django.conf import settings
from django.http import HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.utils.http import content_disposition_header

from media_storage.services import bucket_service_of

PRIVATE_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "private, no-store",
    "Content-Security-Policy": "sandbox; default-src 'none'",
}
# deploy/nginx.conf's internal location over the private root.
NGINX_PREFIX = "/private-files/"
BLOCK = 256 * 1024
RANGE = re.compile(r"bytes=(\d*)-(\d*)")


def download(request, file, filename):
    """The answer to a download of file (a FieldFile of the private storage) under filename,
    once the caller has checked that the request may have it."""
    name, storage = file.name, file.storage
    disposition = content_disposition_header(True, filename)
    service = bucket_service_of(type(storage))
    web_server = web_server_sends(request)
    if service is not None:
        response = HttpResponseRedirect(service.download_url(storage, name, disposition))
    elif web_server == "X-Accel-Redirect":
        response = HttpResponse(content_type=content_type(filename))
        response["X-Accel-Redirect"] = NGINX_PREFIX + quote(name)
    elif web_server == "X-Sendfile":
        response = HttpResponse(content_type=content_type(filename))
        response["X-Sendfile"] = storage.path(name)
    else:
        response = streamed(request, file, filename)
    response["Content-Disposition"] = disposition
    for header, value in PRIVATE_HEADERS.items():
        response[header] = value
    return response


def web_server_sends(request):
    """How the web server in front sends a file it is given, as it says in X-Sendfile-Type, or
    None. Only the shipped web server's word counts: it sets the header on every request,
    replacing what a client sent; from anywhere else the header is ignored."""
    if request.META.get("REMOTE_ADDR") in settings.TRUSTED_PROXIES:
        return request.headers.get("X-Sendfile-Type")
    return None


def content_type(filename):
    guessed, _ = mimetypes.guess_type(filename)
    return guessed or "application/octet-stream"


def streamed(request, file, filename):
    """The app sends the file itself, a block at a time (bounded memory), or the one range of
    bytes asked for (206), as web servers do."""
    size = file.size
    start, end = 0, size - 1
    asked = RANGE.fullmatch(request.headers.get("Range", "").strip())
    if asked and "If-Range" not in request.headers:
        first, last = asked.groups()
        if first:
            start, end = int(first), min(int(last), size - 1) if last else size - 1
        elif last:
            start = max(size - int(last), 0)
        if not (first or last) or start > end:
            response = HttpResponse(status=416)
            response["Content-Range"] = f"bytes */{size}"
            return response
    opened = file.storage.open(file.name, "rb")
    response = StreamingHttpResponse(blocks(opened, start, end + 1 - start))
    if (start, end) != (0, size - 1):
        response.status_code = 206
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
    response["Content-Type"] = content_type(filename)
    response["Content-Length"] = str(end + 1 - start)
    response["Accept-Ranges"] = "bytes"
    return response


def blocks(file, start, length):
    with file:
        file.seek(start)
        while length > 0:
            block = file.read(min(BLOCK, length))
            if not block:
                return
            length -= len(block)
            yield block
