"""A request body over the limit is refused with a 413 page before a byte of it is read."""

import io

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


class Unreadable(io.RawIOBase):
    """A request body that fails the test if anything reads it."""

    def readable(self):
        return True

    def readinto(self, buffer):
        raise AssertionError("the body was read")


def post_declaring(length):
    return Client().post(
        "/profile/",
        data=b"",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(length),
        **{"wsgi.input": Unreadable()},
    )


def test_a_body_over_the_limit_gets_a_413_page_without_being_read(settings):
    response = post_declaring(settings.MAX_REQUEST_BODY + 1)

    assert response.status_code == 413
    page = response.content.decode()
    assert "Uploads are limited to 5.0\xa0MB" in page
    assert 'href="/profile/"' in page


def test_a_body_of_200_megabytes_is_refused_the_same_way():
    assert post_declaring(200 * 1024 * 1024).status_code == 413


def test_a_body_within_the_limit_reaches_the_view(settings):
    response = Client().post("/accounts/login/", {"username": "x", "password": "y"})

    assert response.status_code == 200  # the login form again, with its error


def test_the_limit_leaves_room_for_the_rest_of_the_form(settings):
    assert settings.MAX_REQUEST_BODY == settings.MAX_UPLOAD_SIZE + 1_000_000


def test_the_page_nginx_shows_for_a_body_over_its_limit_is_the_sites_own():
    response = Client().get("/errors/413/")

    assert response.status_code == 413
    assert "Uploads are limited to 5.0\xa0MB" in response.content.decode()
    assert '<link rel="stylesheet"' in response.content.decode()
