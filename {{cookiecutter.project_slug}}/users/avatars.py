"""Avatars: what an upload may be, and the new image that is stored in its place.

No byte the user sent is stored. An upload is read from its headers first (format, size of
every frame, the memory its decoding needs) and refused there if it is too big; otherwise it
is decoded once, at reduced size where the format allows (JPEG), turned upright by its EXIF
orientation, cut to its first frame, fitted in 512×512 pixels, converted to sRGB from its
colour profile, and written as a new WebP file with no metadata. So a photo's GPS position,
camera serial number or a script hidden in its bytes never reaches storage, and a browser only
ever gets a small, clean image.
"""

import io
import re
import struct
import threading
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from PIL import Image, ImageCms, ImageMath, ImageOps
from pillow_heif import register_heif_opener

register_heif_opener()  # HEIC, what iPhones save; Pillow reads AVIF itself
Image.init()  # every codec plugin imported at start-up, not during a user's first upload

# Pillow's format names; MPO is the JPEG with a multi-picture index many phones write.
ACCEPTED = {"JPEG", "MPO", "PNG", "GIF", "WEBP", "HEIF", "AVIF"}
NOT_ACCEPTED = "Only JPEG, PNG, GIF, WebP, HEIC and AVIF images are accepted."
# What the file picker offers.
MEDIA_TYPES = [
    "image/jpeg",
    "image/png",
    "image/gif",
    "image/webp",
    "image/heic",
    "image/heif",
    "image/avif",
]
SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
# The avatar is shown at 8rem; 512 pixels stay sharp on a screen of three pixels per point.
SIDE = 512
# Enough for a 16-megapixel photo, checked for every frame before any pixel is decoded.
MAX_PIXELS = 4096 * 4096
MAX_FRAMES = 10_000
# Decoding one upload may use at most this much memory, estimated from its header (see
# docs/uploads.md), and a process decodes at most two at once.
DECODE_BUDGET = 100_000_000
DECODING = threading.BoundedSemaphore(2)
# Bytes per pixel while decoding, as measured: Pillow's storage of the mode, plus
# the full-size copies made before resizing (a palette image becomes RGB or RGBA; resizing
# with alpha premultiplies it into another copy; 16-bit becomes 32-bit, then 8-bit). WebP's
# decoder keeps its own canvas and copies of it.
PIXEL_BYTES = {"1": 1, "L": 1, "RGB": 4, "I;16": 7, "I": 9, "P": 5, "LA": 8, "RGBA": 8}
TRANSPARENT_PALETTE_PIXEL_BYTES = 9
WEBP_PIXEL_BYTES = 16
# HEIC and AVIF, measured: the decoder's YCbCr planes and RGB output, then Pillow's copy. A
# 12-megapixel HEIC (an iPhone's default) fits the budget; a 24-megapixel one does not.
WHOLE_DECODE_PIXEL_BYTES = {"HEIF": 8, "AVIF": 10}


def megabytes(size):
    """A size as people read it: MB of 1,000,000 bytes, as file browsers and phones count."""
    return f"{size / 1_000_000:.1f}\xa0MB"


def refuse(message, code):
    # Codes of our own: a form field would replace a message whose code it also uses.
    raise ValidationError(message, code=f"avatar_{code}")


def check_size(file):
    limit = settings.MAX_UPLOAD_SIZE
    if file.size > limit:
        refuse(
            f"The file is {megabytes(file.size)} ({file.size:,} bytes); the limit is "
            f"{megabytes(limit)} ({limit:,} bytes).",
            "too_large",
        )


def check_pixels(width, height):
    if width * height > MAX_PIXELS:
        refuse(
            f"The image is {width:,}×{height:,} pixels; the limit is {MAX_PIXELS:,} pixels.",
            "too_many_pixels",
        )


# A GIF's data is a chain of sub-blocks, each a length byte and that many bytes, ended by a
# zero byte. Matched by the regular expression engine (C), not byte by byte in Python: a chain
# of 1-byte sub-blocks filling 5 MB takes a tenth of a second instead of seconds. Possessive,
# so it keeps no backtracking state.
SUB_BLOCK = b"|".join(re.escape(bytes([n])) + rb"[\s\S]{" + b"%d" % n + b"}" for n in range(1, 256))
SUB_BLOCKS = re.compile(b"(?:" + SUB_BLOCK + rb")*+\x00")
# Pillow skips any byte between blocks that does not start one; so does the scan.
BETWEEN_BLOCKS = re.compile(b"[^!,;]*+")


def gif_frames(data):
    """(width, height) of the screen and of every frame of a GIF, from its headers alone:
    every frame Pillow would find, whatever lies between them."""
    width, height, flags = struct.unpack_from("<HHB", data, 6)
    yield width, height
    at = 13 + (3 << ((flags & 7) + 1) if flags & 0x80 else 0)  # the global colour table
    while (at := BETWEEN_BLOCKS.match(data, at).end()) < len(data):
        kind = data[at : at + 1]
        if kind == b",":  # an image descriptor, its colour table, the LZW code size
            left, top, width, height, flags = struct.unpack_from("<HHHHB", data, at + 1)
            yield left + width, top + height
            at += 11 + (3 << ((flags & 7) + 1) if flags & 0x80 else 0)
        elif kind == b"!":  # an extension and its label
            at += 2
        else:  # the trailer
            return
        chain = SUB_BLOCKS.match(data, at)
        if chain is None:  # cut short: Pillow finds no more frames either
            return
        at = chain.end()


def check_frames(image, file):
    """Every frame within the pixel limit, first frame or not; the rest is never decoded."""
    check_pixels(*image.size)
    if image.format == "GIF":
        file.seek(0)
        for count, (width, height) in enumerate(gif_frames(file.read())):
            if count > MAX_FRAMES:
                refuse(f"The image has more than {MAX_FRAMES:,} frames.", "too_many_frames")
            check_pixels(width, height)
    # A WebP animation's frames lie within its canvas, which is image.size.


def decoding_memory(image):
    """Bytes that decoding this image would take, from its header."""
    width, height = image.size
    pixels, row_pointers = width * height, 8 * height
    if image.format in ("JPEG", "MPO"):
        output = 4 * max(pixels // 64, SIDE * SIDE)  # decoded at down to 1/8 scale
        if not image.info.get("progressive"):
            return output + row_pointers
        # A progressive JPEG keeps every coefficient (2 bytes) of every component in memory.
        h_max = max(h for _, h, _, _ in image.layer)
        v_max = max(v for _, _, v, _ in image.layer)
        samples = sum(pixels * h * v // (h_max * v_max) for _, h, v, _ in image.layer)
        return 2 * samples + output + row_pointers
    if image.format == "WEBP":
        return WEBP_PIXEL_BYTES * pixels + row_pointers
    if image.format in WHOLE_DECODE_PIXEL_BYTES:
        return WHOLE_DECODE_PIXEL_BYTES[image.format] * pixels + row_pointers
    if image.mode in ("P", "PA") and has_transparency(image):
        return TRANSPARENT_PALETTE_PIXEL_BYTES * pixels + row_pointers
    if has_transparency(image):  # converted to RGBA, which resizing premultiplies: 8 more
        return (PIXEL_BYTES.get(image.mode, 9) + 8) * pixels + row_pointers
    return PIXEL_BYTES.get(image.mode, 9) * pixels + row_pointers


def has_transparency(image):
    return image.mode == "PA" or "transparency" in image.info


def check_memory(image):
    needed = decoding_memory(image)
    if needed > DECODE_BUDGET:
        width, height = image.size
        refuse(
            f"The image is {width:,}×{height:,} pixels; as a {image.format} file that needs "
            f"{megabytes(needed)} of memory to read, more than the "
            f"{megabytes(DECODE_BUDGET)} this site allows. Save it smaller.",
            "too_much_memory",
        )


def fitted(image):
    """The first frame, decoded, upright and fitted in SIDE×SIDE, in sRGB, RGB or RGBA."""
    if image.format in ("JPEG", "MPO"):
        image.draft("RGB", (SIDE, SIDE))  # libjpeg decodes at 1/2, 1/4 or 1/8 scale
    sixteen_bit = bool(image.tile) and ";16" in str(image.tile[0].args)  # known before load()
    image.load()
    profile = image.info.get("icc_profile")
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        image = sixteen_bit_grey(image)
    elif image.mode in ("P", "PA") or "transparency" in image.info:
        if sixteen_bit and image.mode == "RGB":
            # Pillow reads 16-bit RGB as 8-bit but keeps tRNS's colour in 16 bits: compare
            # the high bytes (the low ones are gone), so near neighbours of the key go too.
            image.info["transparency"] = tuple(v >> 8 for v in image.info["transparency"])
        # A palette, or one colour marked transparent (PNG's tRNS on RGB or grey): as alpha.
        image = image.convert("RGBA" if has_transparency(image) else "RGB")
    image.thumbnail((SIDE, SIDE), Image.Resampling.LANCZOS)
    upright = ImageOps.exif_transpose(image)
    has_alpha = upright.mode in ("RGBA", "LA") and upright.getextrema()[-1][0] < 255
    mode = "RGBA" if has_alpha else "RGB"
    # Converted once fitted: a colour transform of at most SIDE×SIDE pixels.
    return in_srgb(upright, profile, mode) or upright.convert(mode)


def sixteen_bit_grey(image):
    """16-bit grey as 8-bit L, or LA where PNG's tRNS marks one grey value transparent."""
    grey = image.convert("I")
    key = image.info.get("transparency")
    eight_bit = grey.point(lambda value: value / 256).convert("L")
    if key is None:
        return eight_bit
    alpha = ImageMath.lambda_eval(lambda a: (a["grey"] != key) * 255, grey=grey).convert("L")
    eight_bit.putalpha(alpha)
    return eight_bit


def in_srgb(image, profile, mode):
    """The image converted from its embedded colour profile to sRGB, in mode; None without
    a profile, or with one that does not fit the image (then its values are taken as sRGB)."""
    if not profile:
        return None
    if image.mode == "LA":
        image = image.convert("RGBA")
    elif image.mode not in ("RGB", "RGBA", "L", "CMYK"):
        return None
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
        colour = image.convert("RGB") if image.mode == "RGBA" else image
        converted = ImageCms.profileToProfile(colour, source, SRGB, outputMode="RGB")
    except (OSError, ImageCms.PyCMSError):
        return None
    if mode == "RGBA":
        converted.putalpha(image.getchannel("A"))
    return converted


def encode(image, source_format):
    """WebP, with nothing but pixels: lossless for drawings (PNG, GIF), lossy for photos."""
    image.info.clear()
    output = io.BytesIO()
    if source_format in ("PNG", "GIF"):
        image.save(output, "WEBP", lossless=True, quality=80, method=4)
    else:
        image.save(output, "WEBP", quality=82, method=4)
    return output.getvalue()


def make_avatar(file):
    """The WebP bytes to store for an upload; ValidationError saying why if it is unfit."""
    check_size(file)
    file.seek(0)
    try:
        with Image.open(file) as image:  # reads the header only
            if image.format not in ACCEPTED:
                refuse(NOT_ACCEPTED, "format")
            check_frames(image, file)
            check_memory(image)
            source_format = image.format
            file.seek(0)
            with DECODING:
                return encode(fitted(image), source_format)
    except ValidationError:
        raise
    except Image.DecompressionBombError:
        refuse(f"The image is larger than {MAX_PIXELS:,} pixels.", "too_many_pixels")
    except Image.UnidentifiedImageError:
        refuse(NOT_ACCEPTED, "not_an_image")
    except Exception:  # Pillow raises many types for damaged data
        refuse("The image is damaged or incomplete: it could not be read.", "damaged")
    finally:
        file.seek(0)


def avatar_for(upload):
    """make_avatar(upload), done once: the result (or the refusal) is kept on the upload, so
    the form's validation and the model's store share one decode."""
    result = getattr(upload, "avatar_result", None)
    if result is None:
        try:
            result = make_avatar(upload)
        except ValidationError as refusal:
            result = refusal
        upload.avatar_result = result
    if isinstance(result, ValidationError):
        raise result
    return result


def validate_avatar(file):
    """Model-field validator: the admin and every form refuse what make_avatar refuses.

    The new image is kept with the upload, so storing it does not decode it again.
    """
    if not getattr(file, "_committed", True):
        avatar_for(file.file)


def avatar_path(instance, filename):
    """avatars/<random>.webp: nothing of the user's file name, whatever path saves it."""
    return f"avatars/{uuid.uuid4().hex}.webp"
