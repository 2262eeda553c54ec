"""Upload checks: only real JPEG, PNG, WebP and GIF pictures within the byte and pixel limits get in.

A file is judged by decoding it with Pillow, never by its name or the browser's Content-Type. SVG and HTML are
refused (Pillow cannot decode them, and both can carry scripts).
"""

from contextlib import contextmanager

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image as PILImage

# Pillow's format name → (the extension we store, the Content-Type we serve).
FORMATS = {
    "JPEG": ("jpg", "image/jpeg"),
    "PNG": ("png", "image/png"),
    "WEBP": ("webp", "image/webp"),
    "GIF": ("gif", "image/gif"),
}
CONTENT_TYPES = {f".{extension}": content_type for extension, content_type in FORMATS.values()}
ACCEPT = ",".join(content_type for _extension, content_type in FORMATS.values())

MESSAGES = {
    "not_image": _("This file is not a picture Dateline can read. Upload a JPEG, PNG, WebP or GIF image."),
    "unsupported_format": _("%(format)s files are not accepted. Upload a JPEG, PNG, WebP or GIF image."),
    "too_large": _("This file is %(size)s; the limit is %(limit)s. Upload a smaller file."),
    "too_many_pixels": _("This image has too many pixels; the limit is %(limit)s megapixels. Upload a smaller image."),
}


def max_bytes():
    return getattr(settings, "IMAGES_MAX_BYTES", 20 * 1024 * 1024)


def max_pixels():
    return getattr(settings, "IMAGES_MAX_PIXELS", 50_000_000)


def refusal(code, **params):
    """The ValidationError that tells the uploader why their file was refused."""
    return ValidationError(MESSAGES[code], code=code, params=params or None)


def validate_upload(file):
    """Return Pillow's name for the format of `file` (a key of FORMATS); raise ValidationError saying why not."""
    check_size(file)
    with refusing_bad_images():
        image_format = check_header(file)
        file.seek(0)
        with PILImage.open(file, formats=[image_format]) as image:
            image.load()  # verify() checks structure and checksums; only decoding finds truncated pixel data
    file.seek(0)
    return image_format


def check_size(file):
    if file.size > max_bytes():
        raise refusal("too_large", size=filesizeformat(file.size), limit=filesizeformat(max_bytes()))


def check_header(file):
    """Open `file` as one of our formats, check its pixel count before decoding anything, and verify it."""
    file.seek(0)
    try:
        image = PILImage.open(file, formats=list(FORMATS))
    except PILImage.UnidentifiedImageError:
        raise refusal_for_unknown(file) from None
    with image:
        width, height = image.size
        if width * height > max_pixels():
            raise refusal("too_many_pixels", limit=f"{max_pixels() / 1_000_000:g}")
        image.verify()
        return image.format


def refusal_for_unknown(file):
    """`unsupported_format` naming the format when we can tell what the file is, else `not_image`."""
    file.seek(0)
    head = file.read(2048).lower()
    if b"<svg" in head:
        return refusal("unsupported_format", format="SVG")
    file.seek(0)
    try:
        with PILImage.open(file) as image:  # reads the header only, to name the format
            return refusal("unsupported_format", format=image.format)
    except Exception:
        return refusal("not_image")


@contextmanager
def refusing_bad_images():
    """Turn whatever Pillow raises on hostile or broken input into a ValidationError with a clear message.

    Pillow raises DecompressionBombError past twice its own limit (about 179 megapixels); below that, our own
    pixel limit refuses first (see check_header), so its DecompressionBombWarning only matters if an operator
    raises IMAGES_MAX_PIXELS above about 89 megapixels.
    """
    try:
        yield
    except ValidationError:
        raise
    except (PILImage.DecompressionBombError, PILImage.DecompressionBombWarning):
        raise refusal("too_many_pixels", limit=f"{max_pixels() / 1_000_000:g}") from None
    except Exception:
        # Pillow reports broken files with many exception types (OSError, SyntaxError, ValueError, struct.error…).
        raise refusal("not_image") from None
