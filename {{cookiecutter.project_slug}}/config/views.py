"""Site-wide views: the favicon's old address, the 500 page, the password reset."""

from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import views as auth_views
from django.http import HttpResponseServerError
from django.shortcuts import redirect
from django.template import loader
from django.templatetags.static import static


def favicon(request):
    """Browsers and feed readers ask for /favicon.ico whatever a page links to: send them to
    the static file. Not a permanent redirect, as its hashed name changes with its content."""
    return redirect(static("favicon.svg"))


def server_error(request):
    """The 500 page, rendered as Django's own handler renders it: without the request or the
    context processors, so nothing that failed in the request (the database, the session) is
    touched again; only the site's name is added.
    https://docs.djangoproject.com/en/5.2/ref/views/#the-500-server-error-view
    """
    page = loader.render_to_string("500.html", {"SITE_NAME": settings.SITE_NAME})
    return HttpResponseServerError(page)


class PasswordResetForm(auth_forms.PasswordResetForm):
    def save(self, **options):
        # The link names the configured domain, never the Host header the request sent.
        return super().save(**{**options, "domain_override": settings.SITE_DOMAIN})


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm
