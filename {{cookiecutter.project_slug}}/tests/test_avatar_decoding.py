"""An avatar is decoded once per upload, and never while a database transaction is open
(SQLite locks the whole database for the length of a write transaction), whatever path
stores it: the profile form, the admin, avatar.save() in a shell, or assignment then save()."""

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.urls import reverse
from images import photo, upload

from users import avatars
from users.models import User

# Transactional: each test's own transaction would otherwise be open around everything.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def decodes(monkeypatch):
    """Whether a transaction was open at each decode; the real decode still runs."""
    seen = []
    real_fitted = avatars.fitted

    def watched(image):
        seen.append(connection.in_atomic_block)
        return real_fitted(image)

    monkeypatch.setattr(avatars, "fitted", watched)
    return seen


@pytest.fixture
def member():
    return User.objects.create_user("ada", "ada@example.com", "a-long-password")


def test_the_profile_form_decodes_an_upload_once_outside_any_transaction(client, member, decodes):
    client.force_login(member)

    response = client.post(reverse("profile"), {"avatar": upload(photo())})

    assert response.status_code == 302
    member.refresh_from_db()
    assert member.avatar
    assert decodes == [False]


def test_the_admin_decodes_an_upload_once_outside_any_transaction(client, decodes):
    admin = User.objects.create_superuser("root", "root@example.com", "a-long-password")
    client.force_login(admin)
    page = reverse("admin:users_user_change", args=[admin.pk])
    form = {
        "username": "root",
        "email": "root@example.com",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
        "is_active": "on",
        "is_staff": "on",
        "is_superuser": "on",
        "avatar": upload(photo()),
    }

    response = client.post(page, form)

    assert response.status_code == 302, response.content.decode()[-2000:]
    admin.refresh_from_db()
    assert admin.avatar
    assert decodes == [False]


def test_avatar_save_in_a_shell_decodes_once_outside_any_transaction(member, decodes):
    member.avatar.save("me.jpg", ContentFile(photo()))

    member.refresh_from_db()
    assert member.avatar.name.endswith(".webp")
    assert decodes == [False]


def test_assignment_then_save_decodes_once_outside_any_transaction(member, decodes):
    member.avatar = ContentFile(photo(), name="me.jpg")
    member.save()

    member.refresh_from_db()
    assert member.avatar.name.endswith(".webp")
    assert decodes == [False]


def test_a_refused_upload_is_read_once(client, member, decodes, monkeypatch):
    opened = []
    real_open = avatars.Image.open

    def watched_open(*args, **kwargs):
        opened.append(1)
        return real_open(*args, **kwargs)

    monkeypatch.setattr(avatars.Image, "open", watched_open)
    client.force_login(member)

    response = client.post(reverse("profile"), {"avatar": upload(b"not an image")})

    assert response.status_code == 400
    assert len(opened) == 1
    assert decodes == []
