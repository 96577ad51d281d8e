"""The site's own look on every page: its name, its icon, messages, and its error pages."""

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.urls import path, reverse
from django.utils.html import escape
from images import photo, upload

from config import urls as site_urls
from users.models import User

pytestmark = pytest.mark.django_db


def fails(request):
    raise RuntimeError("something broke")


def forbidden(request):
    raise PermissionDenied


def suspicious(request):
    raise SuspiciousOperation("a malformed request")


# The site's URLs and three that fail, for the tests marked urls(__name__).
urlpatterns = [
    path("fails/", fails),
    path("forbidden/", forbidden),
    path("suspicious/", suspicious),
    *site_urls.urlpatterns,
]
handler500 = site_urls.handler500


@pytest.fixture
def member(client):
    user = User.objects.create_user("ada", "ada@example.com", "a-long-password")
    client.force_login(user)
    return user


def test_every_page_title_and_header_carry_the_site_name(client):
    page = client.get("/").content.decode()

    assert f"<title>Home · {escape(settings.SITE_NAME)}</title>" in page
    assert f'<a class="brand" href="/">{escape(settings.SITE_NAME)}</a>' in page


def test_the_admin_carries_the_site_name(admin_client):
    page = admin_client.get(reverse("admin:index")).content.decode()

    assert f"<title>Administration | {escape(settings.SITE_NAME)}</title>" in page
    assert f'<a href="/admin/">{escape(settings.SITE_NAME)}</a>' in page


def test_pages_link_the_favicon_and_favicon_ico_leads_to_it(client):
    page = client.get("/").content.decode()
    ico = client.get("/favicon.ico")
    icon = client.get(ico.url)

    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in page
    assert ico.status_code == 302
    assert ico.url == "/static/favicon.svg"
    assert icon.status_code == 200
    assert icon.headers["Content-Type"] == "image/svg+xml"


def test_an_upload_and_a_removal_each_say_they_worked(client, member):
    uploaded = client.post(reverse("profile"), {"avatar": upload(photo())}, follow=True)
    removed = client.post(reverse("remove_avatar"), follow=True)

    assert "Your new avatar is saved." in uploaded.content.decode()
    assert "Your avatar is removed." in removed.content.decode()
    # A message is shown once.
    assert "Your avatar is removed." not in client.get(reverse("profile")).content.decode()


def test_a_refused_upload_says_nothing_worked(client, member):
    page = client.post(reverse("profile"), {"avatar": upload(b"not an image")}).content.decode()

    assert "Your new avatar is saved." not in page
    assert 'class="errorlist' in page


def test_the_login_page_links_to_the_password_reset(client):
    page = client.get(reverse("login")).content.decode()

    assert f'href="{reverse("password_reset")}"' in page


def test_a_missing_page_gets_the_sites_404_page(client, member):
    response = client.get("/no/such/page/")

    assert response.status_code == 404
    page = response.content.decode()
    assert "There is no page here" in page
    assert escape(settings.SITE_NAME) in page
    assert "Log out" in page  # the whole site's header, for the logged-in user


@pytest.mark.urls(__name__)
def test_a_forbidden_page_gets_the_sites_403_page(client):
    response = client.get("/forbidden/")

    assert response.status_code == 403
    assert "You are not allowed to see this page" in response.content.decode()


@pytest.mark.urls(__name__)
def test_a_bad_request_gets_the_sites_400_page(client):
    response = client.get("/suspicious/")

    assert response.status_code == 400
    assert "That request could not be understood" in response.content.decode()


def test_a_host_the_site_does_not_serve_gets_the_400_page(client):
    response = client.get("/", headers={"host": "scanner.example"})

    assert response.status_code == 400
    assert "That request could not be understood" in response.content.decode()


def broken_context_processor(request):
    raise RuntimeError("the session store is down")


@pytest.mark.urls(__name__)
def test_a_server_error_gets_the_sites_500_page_without_needing_the_request(client, settings):
    # Whatever failed may fail again while the error page renders: the 500 page uses no
    # context processor (this one would break every other page) and no static file.
    engine = settings.TEMPLATES[0]
    processors = [*engine["OPTIONS"]["context_processors"], f"{__name__}.broken_context_processor"]
    settings.TEMPLATES = [{**engine, "OPTIONS": {"context_processors": processors}}]
    client.raise_request_exception = False

    response = client.get("/fails/")

    assert response.status_code == 500
    page = response.content.decode()
    assert "Something went wrong on our side" in page
    assert f"<title>Server error · {escape(settings.SITE_NAME)}</title>" in page
    assert "/static/" not in page
