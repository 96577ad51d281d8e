"""True colours and every transparency: an embedded colour profile is applied (the stored
pixels are what a colour-managed conversion to sRGB gives), and every kind of transparency
PNG, GIF and WebP can carry is still transparent once stored."""

import io

import pytest
from django.urls import reverse
from images import (
    DISPLAY_P3,
    encoded,
    icc_profile,
    keyed_sixteen_bit_png,
    stored_image,
    upload,
)
from PIL import Image, ImageCms

from users.models import User

pytestmark = pytest.mark.django_db

# A P3 red, green, and a mid tone: far apart in P3 and sRGB.
P3_PATCHES = [(230, 30, 30), (30, 200, 40), (180, 120, 60)]


@pytest.fixture
def member(client):
    user = User.objects.create_user("ada", "ada@example.com", "a-long-password")
    client.force_login(user)
    return user


def patches(colours):
    image = Image.new("RGB", (16 * len(colours), 16))
    for index, colour in enumerate(colours):
        image.paste(colour, (16 * index, 0, 16 * index + 16, 16))
    return image


def centres(image, count):
    return [image.convert("RGB").getpixel((16 * index + 8, 8)) for index in range(count)]


def close(found, expected, tolerance):
    return all(abs(a - b) <= tolerance for a, b in zip(found, expected, strict=True))


@pytest.mark.parametrize(("fmt", "tolerance"), [("PNG", 1), ("JPEG", 6), ("WEBP", 6)])
def test_a_display_p3_image_is_stored_as_its_colour_managed_srgb_values(
    client, member, fmt, tolerance
):
    """The reference is littleCMS's conversion (ImageCms) of the same pixels from the same
    profile, a P3 matrix profile with a 2.2 gamma curve built by the test; lossy formats get
    the tolerance their own encoding needs."""
    profile = icc_profile(DISPLAY_P3)
    image = patches(P3_PATCHES)
    source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
    expected = centres(ImageCms.profileToProfile(image, source, srgb), len(P3_PATCHES))
    options = {"quality": 100} if fmt != "PNG" else {}

    post = client.post(
        reverse("profile"), {"avatar": upload(encoded(image, fmt, icc_profile=profile, **options))}
    )

    assert post.status_code == 302
    member.refresh_from_db()
    stored, _ = stored_image(member.avatar)
    assert "icc_profile" not in stored.info
    found = centres(stored, len(P3_PATCHES))
    for got, want, unconverted in zip(found, expected, P3_PATCHES, strict=True):
        assert close(got, want, tolerance), (got, want)
        assert not close(got, unconverted, tolerance), "the profile was ignored"


def test_an_image_with_a_damaged_profile_is_stored_with_its_values_as_srgb(client, member):
    image = patches([(180, 120, 60)])

    client.post(
        reverse("profile"),
        {"avatar": upload(encoded(image, "PNG", icc_profile=b"not a profile" * 10))},
    )

    member.refresh_from_db()
    assert centres(stored_image(member.avatar)[0], 1) == [(180, 120, 60)]


def half_transparent(mode):
    """A mode's image whose left half is opaque and right half transparent, by alpha."""
    opaque, clear = {"RGBA": ((200, 40, 40, 255), (0, 0, 0, 0)), "LA": ((120, 255), (0, 0))}[mode]
    image = Image.new(mode, (32, 16), clear)
    image.paste(opaque, (0, 0, 16, 16))
    return image


def keyed(mode):
    """An image whose right half is the colour PNG's tRNS (or a palette) marks transparent."""
    shown, hidden = {"RGB": ((200, 40, 40), (0, 255, 0)), "L": (120, 7), "P": (1, 0)}[mode]
    image = Image.new(mode, (32, 16), hidden)
    image.paste(shown, (0, 0, 16, 16))
    if mode == "P":
        image.putpalette([0, 255, 0, 200, 40, 40])
    return image, hidden


TRANSPARENT = {
    "PNG RGBA": lambda: encoded(half_transparent("RGBA"), "PNG"),
    "PNG grey with alpha (LA)": lambda: encoded(half_transparent("LA"), "PNG"),
    "PNG RGB with a transparent colour (tRNS)": lambda: encoded(
        keyed("RGB")[0], "PNG", transparency=keyed("RGB")[1]
    ),
    "PNG grey with a transparent grey (tRNS)": lambda: encoded(
        keyed("L")[0], "PNG", transparency=keyed("L")[1]
    ),
    # 16-bit samples: Pillow decodes the pixels to 8 bits but keeps the key in 16.
    "16-bit PNG RGB with a transparent colour (tRNS)": lambda: keyed_sixteen_bit_png(
        True, (0xC800, 0x2800, 0x2800), (0x00FF, 0xFF00, 0x0000)
    ),
    "16-bit PNG grey with a transparent grey (tRNS)": lambda: keyed_sixteen_bit_png(
        False, 0x7800, 0x0707
    ),
    "PNG palette with a transparent entry": lambda: encoded(keyed("P")[0], "PNG", transparency=0),
    "GIF with a transparent entry": lambda: encoded(keyed("P")[0], "GIF", transparency=0),
    "WebP with alpha": lambda: encoded(half_transparent("RGBA"), "WEBP", lossless=True),
}


@pytest.mark.parametrize("case", TRANSPARENT, ids=list(TRANSPARENT))
def test_every_kind_of_transparency_survives(client, member, case):
    assert (
        client.post(reverse("profile"), {"avatar": upload(TRANSPARENT[case]())}).status_code == 302
    )

    member.refresh_from_db()
    stored, _ = stored_image(member.avatar)
    assert stored.mode == "RGBA"
    assert stored.getpixel((8, 8))[3] == 255
    assert stored.getpixel((24, 8))[3] == 0
