"""Test images as uploads: what cameras, phones and attackers send."""

import io
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

GPS, SERIAL = 0x8825, 0xA431  # EXIF tags: GPS position, camera body serial number
SERIAL_NUMBER = "SN-4242-CAMERA"


def upload(content, name="upload.png", content_type="image/png"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def encoded(image, fmt, **options):
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **options)
    return buffer.getvalue()


def picture(size=(64, 48), colour=(200, 40, 40)):
    """An image whose left half is colour and right half white: its orientation shows."""
    image = Image.new("RGB", size, "white")
    image.paste(colour, (0, 0, size[0] // 2, size[1]))
    return image


def exif(orientation=1):
    """EXIF with a GPS position, a camera serial number and an orientation."""
    tags = Image.Exif()
    tags[0x0112] = orientation
    tags[SERIAL] = SERIAL_NUMBER
    tags.get_ifd(GPS).update({1: "N", 2: (48.0, 51.0, 29.0), 3: "E", 4: (2.0, 17.0, 40.0)})
    return tags


def photo(fmt="JPEG", orientation=1, size=(64, 48), **options):
    return encoded(picture(size), fmt, exif=exif(orientation), **options)


def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_with_header(width, height, rows=b""):
    """A PNG whose header claims width x height, with rows (or nothing) as its pixel data."""
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", zlib.compress(rows, 9))
        + png_chunk(b"IEND", b"")
    )


def png_with_chunk_before_end(kind, data):
    image = encoded(picture(), "PNG")
    end = image.rindex(b"IEND") - 4
    return image[:end] + png_chunk(kind, data) + image[end:]


def gif_with_frames(*sizes):
    """A GIF whose frames claim the given sizes; only the first holds real pixels."""
    first = encoded(Image.new("P", sizes[0]), "GIF")
    extra = b""
    for width, height in sizes[1:]:
        extra += b"," + struct.pack("<HHHHB", 0, 0, width, height, 0) + b"\x02\x02\x4c\x01\x00"
    return first[:-1] + extra + b";"


def gif_padded_before_a_frame(frame_size, sub_block=1, garbage=0, total=5_000_000):
    """A GIF of the worst layout for a header scan: a comment of sub_block-byte sub-blocks
    (and garbage bytes Pillow skips) filling the file, then a frame of frame_size."""
    first = encoded(Image.new("P", (10, 10)), "GIF")[:-1]
    frame = gif_with_frames((10, 10), frame_size)[len(first) : -1]
    room = total - len(first) - len(frame) - garbage - 4
    blocks = room // (sub_block + 1)
    comment = b"!\xfe" + (bytes([sub_block]) + b"x" * sub_block) * blocks + b"\x00"
    return first + comment + b"?" * garbage + frame + b";"


def animation(fmt, colours=("red", "blue"), size=(32, 32)):
    frames = [Image.new("RGB", size, colour) for colour in colours]
    return encoded(frames[0], fmt, save_all=True, append_images=frames[1:], duration=100)


def mpo():
    """A JPEG with a multi-picture index, as many phone cameras write."""
    left, right = picture(), picture(colour=(40, 40, 200))
    return encoded(left, "MPO", save_all=True, append_images=[right])


def sixteen_bit_png():
    return encoded(Image.linear_gradient("L").convert("I;16").point(lambda v: v * 256), "PNG")


def keyed_sixteen_bit_png(colour, shown, hidden, size=(32, 16)):
    """A 16-bit PNG, RGB (colour) or grey, whose left half is shown and right half hidden,
    the value its tRNS chunk marks transparent (16-bit samples: a tuple of three, or one)."""
    width, height = size
    sample = ">HHH" if colour else ">H"
    as_tuple = (lambda v: v) if colour else (lambda v: (v,))
    row = b"\0" + b"".join(
        struct.pack(sample, *as_tuple(shown if x < width // 2 else hidden)) for x in range(width)
    )
    header = struct.pack(">IIBBBBB", width, height, 16, 2 if colour else 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"tRNS", struct.pack(sample, *as_tuple(hidden)))
        + png_chunk(b"IDAT", zlib.compress(row * height, 9))
        + png_chunk(b"IEND", b"")
    )


def stored_image(field):
    """The stored avatar, decoded; the file is closed again."""
    with field.storage.open(field.name) as file:
        data = file.read()
    image = Image.open(io.BytesIO(data))
    image.load()
    return image, data


def icc_profile(primaries, gamma=2.2):
    """A minimal ICC v2 display profile: red, green and blue primaries (XYZ, D50-adapted),
    a D50 white point and one gamma curve. Pillow creates only sRGB, LAB and XYZ profiles."""

    def fixed(value):
        return struct.pack(">i", round(value * 65536))

    def xyz(x, y, z):
        return b"XYZ \0\0\0\0" + fixed(x) + fixed(y) + fixed(z)

    curve = b"curv\0\0\0\0" + struct.pack(">IH", 1, round(gamma * 256)) + b"\0\0"
    red, green, blue = (xyz(*primary) for primary in primaries)
    tags = [
        (b"wtpt", xyz(0.9642, 1.0, 0.8249)),
        (b"rXYZ", red),
        (b"gXYZ", green),
        (b"bXYZ", blue),
        (b"rTRC", curve),
        (b"gTRC", curve),
        (b"bTRC", curve),
    ]
    offset = 128 + 4 + 12 * len(tags)
    table, data = b"", b""
    for signature, body in tags:
        table += signature + struct.pack(">II", offset + len(data), len(body))
        data += body + b"\0" * (-len(body) % 4)
    size = offset + len(data)
    header = (
        struct.pack(">I4sI4s4s4s", size, b"\0" * 4, 0x02100000, b"mntr", b"RGB ", b"XYZ ")
        + b"\0" * 12
        + b"acsp"
        + b"\0" * 24
        + struct.pack(">I", 0)
        + fixed(0.9642)
        + fixed(1.0)
        + fixed(0.8249)
        + b"\0" * 48
    )
    assert len(header) == 128
    return header + struct.pack(">I", len(tags)) + table + data


# Display P3's primaries, adapted to D50 as in the profiles phones embed.
DISPLAY_P3 = [(0.5151, 0.2412, -0.0011), (0.2920, 0.6922, 0.0419), (0.1571, 0.0666, 0.7841)]
