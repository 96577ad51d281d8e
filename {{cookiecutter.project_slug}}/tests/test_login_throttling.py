"""Failed logins and password-reset requests are limited per account and address, counted
where every process sees them, and an attacker elsewhere cannot lock a real user out."""

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse

from users.models import User

pytestmark = pytest.mark.django_db

ATTACKER, USER, PROXY = "203.0.113.7", "198.51.100.20", "127.0.0.1"
PASSWORD = "the-right-passphrase"


@pytest.fixture(autouse=True)
def ada():
    cache.clear()  # the reset counters live in the cache
    return User.objects.create_user("ada", "ada@example.com", PASSWORD)


def log_in(client, password, address, username="ada", path="/accounts/login/", **headers):
    data = {"username": username, "password": password}
    return client.post(path, data, REMOTE_ADDR=address, **headers)


def test_the_fifth_failure_locks_the_account_and_address_and_says_when_to_try_again(client):
    failures = [log_in(client, "wrong", ATTACKER).status_code for _ in range(5)]

    refused = log_in(client, PASSWORD, ATTACKER)  # the sixth: even the right password

    assert failures == [200] * 4 + [429]  # the form again with its error, then the lock
    assert refused.status_code == 429
    assert "Try again in 15 minutes" in refused.content.decode()
    assert refused["Retry-After"] == "900"


def test_the_documented_command_unlocks_an_account_early(client):
    for _ in range(5):
        log_in(client, "wrong", ATTACKER)

    call_command("axes_reset_username", "ada")

    assert log_in(client, PASSWORD, ATTACKER).status_code == 302


def test_failures_from_another_address_never_lock_the_real_user_out(client):
    for _ in range(10):
        log_in(client, "wrong", ATTACKER)

    assert log_in(client, PASSWORD, USER).status_code == 302


def test_one_address_is_locked_after_twenty_failures_over_any_accounts(client):
    for number in range(20):
        log_in(client, "wrong", ATTACKER, username=f"guess{number}")

    assert log_in(client, PASSWORD, ATTACKER).status_code == 429
    assert log_in(client, PASSWORD, USER).status_code == 302


def test_a_successful_login_forgets_that_accounts_failures_from_that_address(client):
    for _ in range(4):
        log_in(client, "wrong", ATTACKER)
    assert log_in(client, PASSWORD, ATTACKER).status_code == 302
    client.logout()

    again = [log_in(client, "wrong", ATTACKER).status_code for _ in range(5)]

    assert again == [200] * 4 + [429]


def test_the_attackers_own_successful_login_leaves_the_count_of_guesses_at_others(client):
    User.objects.create_user("eve", password=PASSWORD)  # the attacker's own account
    for number in range(19):
        log_in(client, "wrong", ATTACKER, username=f"guess{number}")

    assert log_in(client, PASSWORD, ATTACKER, username="eve").status_code == 302
    client.logout()

    assert log_in(client, "wrong", ATTACKER, username="guess19").status_code == 429


def test_the_admin_login_is_throttled_too(client):
    admin = "/admin/login/"
    for _ in range(5):
        log_in(client, "wrong", ATTACKER, path=admin)

    assert log_in(client, PASSWORD, ATTACKER, path=admin).status_code == 429


def test_a_forwarded_address_a_client_sends_itself_is_ignored(client):
    for number in range(6):
        forged = {"HTTP_X_FORWARDED_FOR": f"192.0.2.{number}"}
        response = log_in(client, "wrong", ATTACKER, **forged)

    assert response.status_code == 429


def test_behind_the_web_server_the_address_it_saw_is_the_clients(client):
    # nginx and Apache append the address they saw to what the client sent.
    via_proxy = {"HTTP_X_FORWARDED_FOR": f"192.0.2.1, {ATTACKER}"}
    for _ in range(5):
        log_in(client, "wrong", PROXY, **via_proxy)

    assert log_in(client, PASSWORD, PROXY, **via_proxy).status_code == 429
    user = {"HTTP_X_FORWARDED_FOR": USER}
    assert log_in(client, PASSWORD, PROXY, **user).status_code == 302


def ask_reset(client, email, address):
    return client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=address)


def test_password_reset_emails_to_one_address_are_limited_without_saying_so(client):
    pages = [ask_reset(client, "ada@example.com", f"192.0.2.{n}") for n in range(7)]

    assert [page.status_code for page in pages] == [302] * 7
    assert len(mail.outbox) == 5


def test_password_reset_requests_from_one_address_are_limited(client):
    pages = [ask_reset(client, f"u{n}@example.com", ATTACKER) for n in range(6)]

    assert [page.status_code for page in pages] == [302] * 5 + [429]
    assert "Try again in 60 minutes" in pages[-1].content.decode()
