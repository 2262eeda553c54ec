"""What Dateline stores of an upload: the picture turned upright and re-encoded without its metadata, and
smaller renditions of it for `srcset`.

Re-encoding drops EXIF (camera, GPS position, time), XMP, comments and text chunks. The colour profile and
transparency are kept: without them colours shift and transparent areas turn black. An animated GIF, PNG or
WebP is kept as its first frame.
"""

import uuid
from dataclasses import dataclass
from io import BytesIO

from django.core.files.base import ContentFile
from PIL import Image as PILImage
from PIL import ImageOps

from .validation import FORMATS, refusing_bad_images, validate_upload

RENDITION_WIDTHS = (320, 640, 1024, 1600)
KEPT_INFO = ("icc_profile", "transparency")
ORIGINAL_OPTIONS = {"JPEG": {"quality": 90, "optimize": True}, "WEBP": {"quality": 90}, "PNG": {}, "GIF": {}}


@dataclass
class Prepared:
    """An upload ready to store: the clean original and its renditions, largest first."""

    original: ContentFile
    width: int
    height: int
    renditions: list  # of (width, height, ContentFile)


def prepare_upload(file):
    """Validate `file` (raising ValidationError) and return what to store of it, under a new random name."""
    image_format = validate_upload(file)
    with refusing_bad_images():
        with PILImage.open(file, formats=[image_format]) as source:
            upright = ImageOps.exif_transpose(source)
        kept = {key: upright.info[key] for key in KEPT_INFO if key in upright.info}
        upright.info = {}  # JPEG and GIF would otherwise copy comments from here
        stem = uuid.uuid4().hex
        name = f"{stem}.{FORMATS[image_format][0]}"
        original = encode(upright, image_format, name, **ORIGINAL_OPTIONS[image_format], **kept)
        return Prepared(original, *upright.size, renditions=list(renditions(upright, stem, kept.get("icc_profile"))))


def encode(image, image_format, name, **options):
    buffer = BytesIO()
    image.save(buffer, format=image_format, **options)
    return ContentFile(buffer.getvalue(), name=name)


def renditions(upright, stem, icc_profile=None):
    """(width, height, file) for each rendition width narrower than the picture, largest first.

    Each is resized from the one before: as sharp as resizing from the original, and much faster. Opaque
    pictures become JPEG (which every browser and link preview shows), transparent ones WebP.
    """
    transparent = upright.has_transparency_data
    base = upright.convert("RGBA" if transparent else "RGB")
    if upright.mode != base.mode:
        icc_profile = None  # a CMYK or greyscale profile would misdescribe the converted pixels
    image_format, extension = ("WEBP", "webp") if transparent else ("JPEG", "jpg")
    options = {"quality": 80} if transparent else {"quality": 82, "optimize": True, "progressive": True}
    for width in sorted((w for w in RENDITION_WIDTHS if w < upright.width), reverse=True):
        height = max(1, round(upright.height * width / upright.width))
        base = base.resize((width, height), PILImage.Resampling.LANCZOS, reducing_gap=3.0)
        name = f"{stem}-{width}.{extension}"
        yield width, height, encode(base, image_format, name, icc_profile=icc_profile, **options)
