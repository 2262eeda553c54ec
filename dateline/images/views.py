"""Uploaded images served by Dateline itself, for the embedded mode (`dateline serve`, files under MEDIA_ROOT).

WhiteNoise serves only static files, so this view serves media. With shared storage in production
(django-storages: S3 and the like) the storage's `url()` points at the storage or its CDN, and this view is
unused: it answers 404 for any storage that is not a local FileSystemStorage.
"""

from pathlib import PurePosixPath

from django.core.files.storage import FileSystemStorage, default_storage
from django.http import Http404
from django.views.decorators.http import require_safe
from django.views.static import serve

from .validation import CONTENT_TYPES

# Names under images/ are random and never reused, so browsers and proxies may keep those files for good.
FOREVER = "public, max-age=31536000, immutable"
AN_HOUR = "public, max-age=3600"


@require_safe
def media(request, path):
    """An image file from local storage, with its true Content-Type; 404 for anything else."""
    content_type = CONTENT_TYPES.get(PurePosixPath(path).suffix.lower())
    if content_type is None or not is_plain(path) or not isinstance(default_storage, FileSystemStorage):
        raise Http404
    response = serve(request, path, document_root=default_storage.location)
    response["Content-Type"] = content_type
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = FOREVER if path.startswith("images/") else AN_HOUR
    return response


def is_plain(path):
    """A relative path of ordinary names: no `..`, no hidden files, no backslashes or NULs."""
    parts = path.split("/")
    return "\\" not in path and "\0" not in path and all(part and not part.startswith(".") for part in parts)
