"""What an avatar may be, and the name it is stored under.

An upload is accepted only if it is small enough, decodes in full as a JPEG, PNG, GIF or WebP
image of a sane size, and carries no markup a browser could run. It is stored under a random
name, so no user-supplied text reaches the storage path.
"""

import re
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from PIL import Image

# Pillow's format name -> the extension the stored file gets (and so its Content-Type).
FORMATS = {"JPEG": "jpg", "PNG": "png", "GIF": "gif", "WEBP": "webp"}
# Enough for a 16-megapixel photo; a bigger header is refused before any pixel is decoded.
MAX_PIXELS = 4096 * 4096
# Markup that would make a browser treat the file as a page or a script: an image that also
# carries it (a polyglot) is refused, whatever else it decodes as.
MARKUP = re.compile(
    rb"<\s*(?:script|html|svg|iframe|object|embed|body|\?php|!doctype)|javascript:", re.IGNORECASE
)
CHUNK = 64 * 1024


def contains_markup(file):
    file.seek(0)
    tail = b""
    for chunk in iter(lambda: file.read(CHUNK), b""):
        if MARKUP.search(tail + chunk):
            return True
        tail = chunk[-32:]
    return False


def image_format(file):
    """The Pillow format of an upload, after decoding it in full; ValidationError if unfit."""
    limit = settings.MAX_UPLOAD_SIZE
    if file.size > limit:
        raise ValidationError(
            f"The file is {filesizeformat(file.size)}; the limit is {filesizeformat(limit)}.",
            code="too_large",
        )
    if contains_markup(file):
        raise ValidationError("The file contains web page or script code.", code="markup")
    file.seek(0)
    try:
        with Image.open(file) as image:
            if image.format not in FORMATS:
                raise ValidationError(
                    f"{image.format} images are not accepted: use JPEG, PNG, GIF or WebP.",
                    code="format",
                )
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise ValidationError(
                    f"The image is {width}×{height} pixels; the limit is {MAX_PIXELS:,} pixels.",
                    code="too_many_pixels",
                )
            image.load()  # truncated or corrupt data fails here, not in a browser
            return image.format
    except ValidationError:
        raise
    except Exception as error:  # Pillow raises many types for bad data, bombs included
        raise ValidationError("The file is not a valid image.", code="invalid") from error
    finally:
        file.seek(0)


def validate_avatar(file):
    """Model-field validator, so the admin and every form apply the same rules."""
    if not getattr(file, "_committed", True):  # only new uploads; stored files were checked
        image_format(file)


def avatar_path(instance, filename):
    """avatars/<random>.<extension of the image's format>: nothing of the user's file name.

    The upload was validated already; reading its header again is enough for the format.
    """
    file = instance.avatar.file
    file.seek(0)
    with Image.open(file) as image:
        extension = FORMATS[image.format]
    file.seek(0)
    return f"avatars/{uuid.uuid4().hex}.{extension}"
