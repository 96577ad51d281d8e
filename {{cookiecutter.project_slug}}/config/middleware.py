"""A request body larger than the site accepts is refused before it is read."""

from django.conf import settings
from django.shortcuts import render
from django.urls import reverse

from users.avatars import megabytes


class RequestBodyLimitMiddleware:
    """413 for a request whose declared length is over its limit, whatever server is in
    front: the body is never read, so no time or disk goes on it. (Django reads no body
    without a Content-Length, so that is the whole check.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > body_limit(request.path_info):
            return too_large(request)
        return self.get_response(request)


def body_limit(path):
    """The private files' page takes a larger body than any other."""
    if path == reverse("files"):
        return settings.MAX_PRIVATE_FILE_SIZE + 1_000_000
    return settings.MAX_REQUEST_BODY


def too_large(request):
    """The 413 page; also the page nginx shows for a body over its limit (error_page)."""
    context = {
        "limit": megabytes(settings.MAX_UPLOAD_SIZE),
        "files_limit": megabytes(settings.MAX_PRIVATE_FILE_SIZE),
    }
    return render(request, "413.html", context, status=413)
