"""The body editor's image upload (newsroom.uploads): staff with the permission store a picture, and get back
what the body's <figure> needs; anything else is refused in JSON."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PILImage

from dateline.images.models import Image

from .factories import make_member

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def picture(name="harbour.jpg", width=800, height=400):
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), (20, 20, 220)).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def test_reporter_uploads_a_picture_and_gets_its_renditions(client):
    """An upload is stored as an Image with renditions; the answer gives its id, src, srcset and texts."""
    client.force_login(make_member("Reporter"))
    response = client.post(
        reverse("newsroom:image-upload"), {"file": picture(), "alt_text": "The harbour", "credit": "AP"}
    )
    assert response.status_code == 201
    answer, image = response.json(), Image.objects.get()
    assert answer["id"] == image.pk and answer["alt"] == "The harbour" and answer["credit"] == "AP"
    assert answer["src"] == image.src_url() and " 320w" in answer["srcset"]
    assert image.uploaded_by.username == "reporter"


def test_a_file_that_is_not_a_picture_is_refused_with_the_reason(client):
    """Text named .jpg is refused (judged by decoding, not by name) with a message for the writer."""
    client.force_login(make_member("Reporter"))
    fake = SimpleUploadedFile("notes.jpg", b"not a picture at all", content_type="image/jpeg")
    response = client.post(reverse("newsroom:image-upload"), {"file": fake})
    assert response.status_code == 400
    assert "not a picture Dateline can read" in response.json()["error"]
    assert not Image.objects.exists()


def test_readers_and_staff_without_the_permission_are_refused(client):
    """Without images.add_image (or logged out) the answer is 403 and nothing is stored."""
    assert client.post(reverse("newsroom:image-upload"), {"file": picture()}).status_code == 403
    client.force_login(make_member("Moderator"))
    assert client.post(reverse("newsroom:image-upload"), {"file": picture()}).status_code == 403
    assert not Image.objects.exists()


def test_upload_needs_the_csrf_token():
    """The endpoint is CSRF-protected like every other form post."""
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(make_member("Reporter"))
    assert client.post(reverse("newsroom:image-upload"), {"file": picture()}).status_code == 403
