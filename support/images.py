"""Test images: a PNG made without any imaging library, and Pillow for the rest."""

import io
import struct
import zlib

from PIL import Image


def png(rgb, size=(12, 8)):
    """A real PNG image of one colour."""
    width, height = size
    rows = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))

    def chunk(kind, data):
        crc = struct.pack(">I", zlib.crc32(kind + data))
        return struct.pack(">I", len(data)) + kind + data + crc

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def pixels(data):
    """An image's size and RGB pixels, however it is encoded."""
    with Image.open(io.BytesIO(data)) as image:
        return image.size, image.convert("RGB").tobytes()


def photo_with_gps(size=(64, 48), orientation=6):
    """A JPEG as a phone writes it on its side: EXIF orientation, GPS position, serial number;
    its left half red, its right half white."""
    image = Image.new("RGB", size, "white")
    image.paste((200, 40, 40), (0, 0, size[0] // 2, size[1]))
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0xA431] = "SN-4242-CAMERA"
    exif.get_ifd(0x8825).update({1: "N", 2: (48.0, 51.0, 29.0), 3: "E", 4: (2.0, 17.0, 40.0)})
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()
