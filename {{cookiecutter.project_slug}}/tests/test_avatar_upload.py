from pathlib import Path

import pytest
from django.urls import reverse
from PIL import Image

from users.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(client):
    user = User.objects.create_user("ada", "ada@example.com", "a-long-password")
    client.force_login(user)
    return user


def test_profile_asks_anonymous_visitors_to_log_in(client):
    response = client.get(reverse("profile"))

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_an_uploaded_avatar_is_stored_under_media_root_avatars(client, member, media_root, png):
    response = client.post(reverse("profile"), {"avatar": png()})

    assert response.status_code == 302
    member.refresh_from_db()
    stored = Path(member.avatar.path)
    assert stored.parent == Path(media_root) / "avatars"
    with Image.open(stored) as image, Image.open(png()) as uploaded:
        assert image.format == "WEBP"
        assert image.size == uploaded.size
        assert image.convert("RGB").tobytes() == uploaded.convert("RGB").tobytes()


def test_the_profile_page_shows_the_avatar_under_media_url(client, member, settings, png):
    client.post(reverse("profile"), {"avatar": png()})

    page = client.get(reverse("profile")).content.decode()

    member.refresh_from_db()
    assert f'<img src="{settings.MEDIA_URL}avatars/' in page
    assert member.avatar.url.startswith(settings.MEDIA_URL)
    assert member.avatar.url in page


def test_replacing_the_avatar_removes_the_old_file(
    client, member, png, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("profile"), {"avatar": png("first.png", "red")})
    member.refresh_from_db()
    first = Path(member.avatar.path)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("profile"), {"avatar": png("second.png", "blue")})
    member.refresh_from_db()

    second = Path(member.avatar.path)
    assert second != first
    assert second.exists()
    assert not first.exists()
