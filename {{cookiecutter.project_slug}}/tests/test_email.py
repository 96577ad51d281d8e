"""Email: printed in development, sent as EMAIL_URL says in production, and the password
reset it carries works from the request to the new password."""

import re

import pytest
from django.contrib.auth import authenticate
from django.core import mail
from django.urls import reverse
from prod_env import PROD_ENV

from users.models import User

SHOW_EMAIL = """
from django.conf import settings
print(settings.EMAIL_BACKEND.rsplit(".", 2)[-2], settings.EMAIL_HOST, settings.EMAIL_PORT,
      settings.EMAIL_USE_TLS, settings.EMAIL_HOST_USER, settings.DEFAULT_FROM_EMAIL)
"""


@pytest.mark.django_db
def test_a_password_reset_by_email_sets_a_new_password(client, rf):
    User.objects.create_user("ada", "ada@example.com", "the-old-password")

    asked = client.post(reverse("password_reset"), {"email": "ada@example.com"}, follow=True)
    (message,) = mail.outbox
    link = re.search(r"https?://testserver(/\S+)", message.body).group(1)
    form = client.get(link, follow=True)  # the link leads to a form at an address of its own
    new_password = "a-brand-new-passphrase"
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
        follow=True,
    )

    assert "Check your email" in asked.content.decode()
    assert message.to == ["ada@example.com"]
    assert "Choose a new password" in form.content.decode()
    assert "Your password is changed" in done.content.decode()
    # As a login form asks: with its request (the login throttle needs the client's address).
    assert authenticate(rf.post("/"), username="ada", password=new_password) is not None
    assert authenticate(rf.post("/"), username="ada", password="the-old-password") is None
    # The link works once.
    assert "This link no longer works" in client.get(link, follow=True).content.decode()


@pytest.mark.django_db
def test_a_reset_for_an_unknown_address_sends_nothing_and_says_the_same(client):
    asked = client.post(reverse("password_reset"), {"email": "nobody@example.com"}, follow=True)

    assert mail.outbox == []
    assert "Check your email" in asked.content.decode()


def test_development_prints_email_to_the_console(run_django):
    result = run_django(SHOW_EMAIL, "config.settings.dev")

    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[0] == "console"


def test_production_sends_email_through_the_server_email_url_names(run_django):
    env = {
        **PROD_ENV,
        "EMAIL_URL": "smtp+tls://mailer:secret@smtp.example.net:587",
        "DJANGO_DEFAULT_FROM_EMAIL": "hello@example.net",
    }

    result = run_django(SHOW_EMAIL, "config.settings.prod", env)

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "smtp",
        "smtp.example.net",
        "587",
        "True",
        "mailer",
        "hello@example.net",
    ]


def test_production_without_email_url_uses_the_smtp_server_on_this_machine(run_django):
    result = run_django(SHOW_EMAIL, "config.settings.prod", PROD_ENV)

    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[:4] == ["smtp", "localhost", "25", "False"]


@pytest.mark.django_db
def test_a_reset_link_names_the_site_domain_not_the_host_the_client_sent(client, settings):
    settings.ALLOWED_HOSTS = ["example.com"]
    settings.SITE_DOMAIN = "www.example.org"
    User.objects.create_user("ada", "ada@example.com", "the-old-password")

    client.post(
        reverse("password_reset"), {"email": "ada@example.com"}, HTTP_HOST="example.com:31337"
    )

    (message,) = mail.outbox
    assert re.search(r"https?://www\.example\.org/accounts/reset/\S+", message.body)
    assert "31337" not in message.body
    assert "example.com" not in message.body.replace("ada@example.com", "")


def test_production_names_the_first_allowed_host_in_links_unless_told(run_django):
    show = "from django.conf import settings; print(settings.SITE_DOMAIN)"
    hosts = {**PROD_ENV, "DJANGO_ALLOWED_HOSTS": "example.org,www.example.org"}

    default = run_django(show, "config.settings.prod", hosts)
    told = run_django(show, "config.settings.prod", {**hosts, "DJANGO_SITE_DOMAIN": "example.net"})

    assert default.stdout.strip() == "example.org", default.stderr
    assert told.stdout.strip() == "example.net", told.stderr
