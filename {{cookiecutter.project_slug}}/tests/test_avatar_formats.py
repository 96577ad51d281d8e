"""What phones send is accepted (HEIC from iPhones, AVIF), with the same limits as every
other format; anything else is refused with one message naming the accepted formats."""

import pytest
from django.urls import reverse
from images import encoded, picture, stored_image, upload
from pillow_heif import register_heif_opener

from users.avatars import NOT_ACCEPTED
from users.models import User

pytestmark = pytest.mark.django_db

register_heif_opener()  # so the test can write HEIC


@pytest.fixture
def member(client):
    user = User.objects.create_user("ada", "ada@example.com", "a-long-password")
    client.force_login(user)
    return user


def post_avatar(client, data, name):
    return client.post(reverse("profile"), {"avatar": upload(data, name=name)})


@pytest.mark.parametrize(("fmt", "name"), [("HEIF", "IMG_0001.HEIC"), ("AVIF", "photo.avif")])
def test_heic_and_avif_photos_are_stored_as_webp(client, member, fmt, name):
    data = encoded(picture((640, 480)), fmt, quality=90)

    response = post_avatar(client, data, name)

    assert response.status_code == 302
    member.refresh_from_db()
    image, _ = stored_image(member.avatar)
    assert image.format == "WEBP"
    assert image.size == (512, 384)
    red = image.convert("RGB").getpixel((64, 192))
    assert red[0] > 170 and red[1] < 80 and red[2] < 80


@pytest.mark.parametrize("fmt", ["HEIF", "AVIF"])
def test_a_heic_or_avif_too_large_to_decode_is_refused_from_its_header(client, member, fmt):
    # 4096×4000: 16.4 megapixels, within the pixel limit, over the memory budget.
    data = encoded(picture((4096, 4000)), fmt, quality=10)

    response = post_avatar(client, data, "big")

    assert response.status_code == 400
    assert "of memory to read, more than the 100.0\xa0MB this site allows" in (
        response.content.decode()
    )


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (encoded(picture(), "BMP"), "picture.bmp"),
        (encoded(picture(), "TIFF"), "scan.tiff"),
        (b"%PDF-1.7 not a picture", "document.pdf"),
        (b"not an image at all", "IMG_0002.heic"),
        (b"not an image at all", "no-extension"),
    ],
    ids=["BMP", "TIFF", "a PDF", "text named .heic", "no extension"],
)
def test_anything_else_gets_one_message_naming_the_accepted_formats(client, member, data, name):
    response = post_avatar(client, data, name)

    page = response.content.decode()
    assert response.status_code == 400
    assert NOT_ACCEPTED in page
    assert "extension" not in page.lower()
    member.refresh_from_db()
    assert not member.avatar
