"""What is stored for an avatar: a new image, upright, small and free of metadata; and what is
refused, with the reason, changing nothing. The table of inputs in docs/uploads.md is this
file's."""

import re
from pathlib import Path

import pytest
from django.urls import reverse
from images import (
    SERIAL_NUMBER,
    animation,
    encoded,
    gif_with_frames,
    mpo,
    photo,
    picture,
    png_with_chunk_before_end,
    png_with_header,
    sixteen_bit_png,
    stored_image,
    upload,
)
from PIL import Image

from users.models import User

pytestmark = pytest.mark.django_db

UPLOADS_DOC = Path(__file__).resolve().parent.parent / "docs" / "uploads.md"
STORED_NAME = re.compile(r"avatars/[0-9a-f]{32}\.webp")


@pytest.fixture
def member(client):
    user = User.objects.create_user("ada", "ada@example.com", "a-long-password")
    client.force_login(user)
    return user


def post_avatar(client, file):
    return client.post(reverse("profile"), {"avatar": file})


def stored_files(media_root):
    files = Path(media_root).rglob("*")
    return sorted(str(p.relative_to(media_root)) for p in files if p.is_file())


def big_photo():
    return encoded(picture((2000, 1000)), "JPEG", quality=90)


# (what is uploaded, the bytes, what docs/uploads.md says is stored)
ACCEPTED = {
    "a JPEG photo with GPS position and camera serial number in EXIF": (
        photo(),
        "a WebP of the pixels alone, no metadata",
    ),
    "a PNG or WebP with the same EXIF": (photo("PNG"), "a WebP of the pixels alone, no metadata"),
    "a photo with EXIF orientation 6 (taken with the phone on its side)": (
        photo(orientation=6),
        "turned upright, the orientation tag dropped",
    ),
    "a progressive JPEG, a CMYK JPEG, a JPEG with a multi-picture index (MPO)": (
        mpo(),
        "accepted, stored as WebP",
    ),
    "a 16-bit PNG": (sixteen_bit_png(), "accepted, tones kept (not clipped to white)"),
    "an animated GIF or WebP": (animation("GIF"), "its first frame only"),
    "a 2000×1000 photo": (big_photo(), "fitted in 512×512: 512×256"),
    "an image with HTML or `<script>` appended, in a text chunk or a GIF comment": (
        png_with_chunk_before_end(b"tEXt", b"Comment\0<script>alert(1)</script>"),
        "accepted; none of those bytes is stored",
    ),
}

PNG_OVER_THE_LIMIT = encoded(picture((8, 8)), "PNG") + b"\0" * (5 * 1024 * 1024)
# (what is uploaded, the bytes, the message the user reads)
REFUSED = {
    "HTML, SVG or JavaScript named `.png`": (
        b"<!doctype html><script>alert(1)</script>",
        "Only JPEG, PNG, GIF, WebP, HEIC and AVIF images are accepted.",
    ),
    "BMP, TIFF": (
        encoded(picture(), "BMP"),
        "Only JPEG, PNG, GIF, WebP, HEIC and AVIF images are accepted.",
    ),
    "a truncated JPEG or GIF": (
        photo(size=(256, 256))[:-300],
        "The image is damaged or incomplete: it could not be read.",
    ),
    "an empty file": (b"", "The submitted file is empty."),
    "a file one byte over the size limit": (
        PNG_OVER_THE_LIMIT[:5_000_001],
        "The file is 5.0\xa0MB (5,000,001 bytes); the limit is 5.0\xa0MB (5,000,000 bytes).",
    ),
    "a header of 8000×8000 (a decompression bomb)": (
        png_with_header(8000, 8000),
        "The image is 8,000×8,000 pixels; the limit is 16,777,216 pixels.",
    ),
    "a GIF whose second frame is 8000×8000": (
        gif_with_frames((10, 10), (8000, 8000)),
        "The image is 8,000×8,000 pixels; the limit is 16,777,216 pixels.",
    ),
    "a 4096×4096 WebP": (
        encoded(Image.new("RGB", (4096, 4096)), "WEBP", quality=10),
        "needs 268.5\xa0MB of memory to read, more than the 100.0\xa0MB this site allows",
    ),
    "a 1×16,777,216 PNG": (
        png_with_header(1, 16_777_216),
        "needs 151.0\xa0MB of memory to read",
    ),
}


@pytest.mark.parametrize("case", ACCEPTED, ids=list(ACCEPTED))
def test_an_accepted_upload_is_stored_as_a_new_small_webp_under_a_random_name(
    client, member, media_root, case
):
    response = post_avatar(client, upload(ACCEPTED[case][0], name="../../x.png"))

    assert response.status_code == 302
    member.refresh_from_db()
    assert STORED_NAME.fullmatch(member.avatar.name)
    assert stored_files(media_root) == [member.avatar.name]
    image, data = stored_image(member.avatar)
    assert image.format == "WEBP"
    assert max(image.size) <= 512
    assert getattr(image, "n_frames", 1) == 1


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_gps_and_camera_metadata_never_reach_storage(client, member, fmt):
    post_avatar(client, upload(photo(fmt)))

    member.refresh_from_db()
    image, data = stored_image(member.avatar)
    assert dict(image.getexif()) == {}
    assert not {"exif", "icc_profile", "xmp"} & set(image.info)
    assert SERIAL_NUMBER.encode() not in data
    assert b"EXIF" not in data and b"XMP " not in data


def test_a_photo_taken_on_its_side_is_stored_upright(client, member):
    # Orientation 6: the camera's sensor was turned; viewers rotate it 90° clockwise.
    post_avatar(client, upload(photo(orientation=6, size=(64, 48))))

    member.refresh_from_db()
    image, _ = stored_image(member.avatar)
    assert image.size == (48, 64)
    red, white = image.convert("RGB").getpixel((24, 8)), image.convert("RGB").getpixel((24, 56))
    assert red[0] > 150 and red[1] < 100  # the red half is now on top
    assert min(white) > 200


def test_a_large_photo_is_fitted_in_512_pixels(client, member):
    post_avatar(client, upload(big_photo()))

    member.refresh_from_db()
    assert stored_image(member.avatar)[0].size == (512, 256)


@pytest.mark.parametrize("fmt", ["GIF", "WEBP"])
def test_an_animation_keeps_its_first_frame_only(client, member, fmt):
    post_avatar(client, upload(animation(fmt, colours=("red", "blue"))))

    member.refresh_from_db()
    image, _ = stored_image(member.avatar)
    assert getattr(image, "n_frames", 1) == 1
    red, green, blue = image.convert("RGB").getpixel((16, 16))
    assert red > 240 and green < 20 and blue < 20  # the first frame was red, the second blue


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("progressive JPEG", encoded(picture(), "JPEG", progressive=True)),
        ("CMYK JPEG", encoded(picture().convert("CMYK"), "JPEG")),
        ("MPO", mpo()),
        ("16-bit PNG", sixteen_bit_png()),
        ("palette PNG with transparency", encoded(Image.new("P", (9, 9)), "PNG", transparency=0)),
        ("GIF", encoded(picture().convert("P"), "GIF")),
        ("WebP", encoded(picture(), "WEBP")),
    ],
)
def test_what_cameras_and_phones_produce_is_accepted(client, member, name, data):
    assert post_avatar(client, upload(data)).status_code == 302

    member.refresh_from_db()
    assert stored_image(member.avatar)[0].format == "WEBP"


def test_a_sixteen_bit_png_keeps_its_tones(client, member):
    post_avatar(client, upload(sixteen_bit_png()))

    member.refresh_from_db()
    image, _ = stored_image(member.avatar)
    darkest, lightest = image.convert("L").getextrema()
    assert darkest < 10 and lightest > 245


def test_transparency_is_kept(client, member):
    post_avatar(client, upload(encoded(Image.new("RGBA", (9, 9), (0, 0, 0, 0)), "PNG")))
    member.refresh_from_db()
    assert stored_image(member.avatar)[0].mode == "RGBA"


@pytest.mark.parametrize(
    "data",
    [
        encoded(picture(), "PNG") + b"<img src=x onerror=alert(1)>",
        png_with_chunk_before_end(b"tEXt", b"Comment\0<details open ontoggle=alert(1)>"),
        png_with_chunk_before_end(b"tEXt", "C\0<script>".encode("utf-16")),
        encoded(picture().convert("P"), "GIF", comment=b"<img src=x onerror=alert(1)>"),
        encoded(picture(), "JPEG", comment=b"<svG onload=alert(1)>"),
    ],
    ids=["png+html", "details ontoggle", "utf-16 script", "gif comment", "jpeg comment"],
)
def test_markup_in_an_image_never_reaches_storage_and_honest_bytes_are_never_refused(
    client, member, data
):
    assert post_avatar(client, upload(data)).status_code == 302

    member.refresh_from_db()
    _, stored = stored_image(member.avatar)
    for word in (b"alert", b"onerror", b"ontoggle", b"script", "script".encode("utf-16-le")):
        assert word not in stored


@pytest.fixture
def with_avatar(client, member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        post_avatar(client, upload(photo()))
    member.refresh_from_db()
    return member.avatar.name


@pytest.mark.parametrize("case", REFUSED, ids=list(REFUSED))
def test_a_refused_upload_says_why_and_changes_nothing(
    client, member, with_avatar, media_root, case
):
    data, message = REFUSED[case]
    before = stored_files(media_root)

    response = post_avatar(client, upload(data))

    assert response.status_code == 400
    assert message in response.content.decode()
    member.refresh_from_db()
    assert member.avatar.name == with_avatar
    assert stored_files(media_root) == before


def test_the_uploads_page_lists_exactly_the_inputs_tested_here():
    rows = re.findall(r"^\| (.+?) \| (.+?) \|$", UPLOADS_DOC.read_text(encoding="utf-8"), re.M)
    table = {left: right for left, right in rows}
    outcomes = {case: outcome for case, (_, outcome) in ACCEPTED.items()}
    outcomes |= {case: f'"{message}"' for case, (_, message) in REFUSED.items()}

    listed = {case: table.get(case, "").replace("\\|", "|") for case in outcomes}
    assert listed == {case: outcome.replace("\xa0", " ") for case, outcome in outcomes.items()}
