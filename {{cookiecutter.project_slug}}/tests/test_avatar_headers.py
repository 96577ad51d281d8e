"""A header scan costs what the header costs, and misses no frame: every frame of a GIF
Pillow would find is checked, however its bytes are laid out."""

import pytest
from django.urls import reverse
from images import gif_padded_before_a_frame, upload

from users.models import User

pytestmark = pytest.mark.django_db

TOO_LARGE = "The image is 8,000×8,000 pixels; the limit is 16,777,216 pixels."


@pytest.fixture
def member(client):
    user = User.objects.create_user("ada", "ada@example.com", "a-long-password")
    client.force_login(user)
    return user


@pytest.mark.parametrize(
    "layout",
    [
        {"sub_block": 1},
        {"sub_block": 255},
        {"sub_block": 128},
        {"sub_block": 1, "garbage": 1_000_000},
    ],
    ids=["1-byte sub-blocks", "255-byte sub-blocks", "128-byte sub-blocks", "garbage between"],
)
def test_an_oversized_frame_after_five_megabytes_of_padding_is_refused(client, member, layout):
    data = gif_padded_before_a_frame((8000, 8000), **layout)
    assert len(data) <= 5_000_000

    response = client.post(reverse("profile"), {"avatar": upload(data, name="a.gif")})

    assert response.status_code == 400
    assert TOO_LARGE in response.content.decode()
    member.refresh_from_db()
    assert not member.avatar


def test_the_same_padding_before_a_small_frame_is_accepted(client, member):
    data = gif_padded_before_a_frame((10, 10))

    response = client.post(reverse("profile"), {"avatar": upload(data, name="a.gif")})

    assert response.status_code == 302
    member.refresh_from_db()
    assert member.avatar
