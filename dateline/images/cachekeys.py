"""What images tell the page cache (dateline/pagecache): a page showing an image depends on `image:<id>`, which
saving or deleting the image changes."""

from dateline.pagecache.keys import watch

from .models import Image


def image_key(image_id):
    return f"image:{image_id}"


def connect():
    """Listen to the images shown on public pages (ImagesConfig.ready)."""
    watch(Image, image_key)
