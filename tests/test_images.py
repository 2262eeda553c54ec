"""Images: uploads validated by decoding, stored clean under random names, resized, served and rendered."""

import re
import struct
import zlib
from html.parser import HTMLParser
from io import BytesIO

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from PIL import ExifTags
from PIL import Image as PILImage

from dateline.images.forms import ImageForm
from dateline.images.models import Image, Rendition

RED, BLUE = (220, 20, 20), (20, 20, 220)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def picture_bytes(width=400, height=200, image_format="JPEG", mode="RGB", **options):
    """A picture whose left half is red and right half blue (transparent, in RGBA)."""
    image = PILImage.new(mode, (width, height), RED)
    image.paste((*BLUE, 0) if mode == "RGBA" else BLUE, (width // 2, 0, width, height))
    buffer = BytesIO()
    image.save(buffer, format=image_format, **options)
    return buffer.getvalue()


def photo_with_exif():
    """A 400×200 JPEG from a camera held upright (Orientation 6), with a GPS position and a comment."""
    exif = PILImage.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.Make] = "SpyCam"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef], gps[ExifTags.GPS.GPSLatitude] = "N", (51.0, 30.0, 12.0)
    gps[ExifTags.GPS.GPSLongitudeRef], gps[ExifTags.GPS.GPSLongitude] = "W", (0.0, 7.0, 39.0)
    return picture_bytes(exif=exif, comment=b"shot at the safe house")


def upload(data, name="photo.jpg"):
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def store(data, name="photo.jpg", **fields):
    return Image.objects.create(file=upload(data, name), **fields)


def stored_files(root):
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def form_errors(data, name="photo.jpg"):
    form = ImageForm(data={"alt_text": "A picture"}, files={"file": upload(data, name)})
    assert not form.is_valid()
    return " ".join(form.errors["file"])


def bomb_png(width=100_000, height=100_000):
    """A tiny PNG whose header claims `width`×`height` pixels."""

    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\0" * 64)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


# Storing


@pytest.mark.django_db
def test_exif_is_stripped_from_the_stored_original(media_root):
    """The stored original carries no EXIF (no GPS position, no camera) and no comment."""
    image = store(photo_with_exif())
    with PILImage.open(image.file.path) as stored:
        assert not stored.getexif() and "exif" not in stored.info and "comment" not in stored.info
    raw = image.file.read()
    assert b"Exif" not in raw and b"SpyCam" not in raw and b"safe house" not in raw


@pytest.mark.django_db
def test_original_is_turned_upright_by_its_exif_orientation():
    """A photo marked "rotate 90° clockwise" is stored upright: 200×400, the red half on top."""
    image = store(photo_with_exif())
    assert (image.width, image.height) == (200, 400)
    with PILImage.open(image.file.path) as stored:
        assert stored.size == (200, 400)
        top, bottom = stored.convert("RGB").getpixel((100, 50)), stored.convert("RGB").getpixel((100, 350))
    assert top[0] > 180 > top[2] and bottom[2] > 180 > bottom[0]


@pytest.mark.django_db
def test_stored_name_is_random_with_the_extension_of_the_detected_format():
    """A JPEG uploaded as "Passport scan.PNG" is stored as images/YYYY/MM/<32 hex digits>.jpg."""
    image = store(picture_bytes(), name="Passport scan.PNG")
    assert re.fullmatch(r"images/\d{4}/\d{2}/[0-9a-f]{32}\.jpg", image.file.name)


@pytest.mark.django_db
def test_png_stays_png_and_keeps_its_transparency():
    """A transparent PNG is stored as PNG with its alpha channel."""
    image = store(picture_bytes(image_format="PNG", mode="RGBA"), name="logo.png")
    assert image.file.name.endswith(".png")
    with PILImage.open(image.file.path) as stored:
        assert stored.format == "PNG" and stored.mode == "RGBA" and stored.getpixel((399, 0))[3] == 0


@pytest.mark.django_db
def test_renditions_are_made_at_each_width_narrower_than_the_original():
    """A 2000×1000 picture gets renditions 320×160, 640×320, 1024×512 and 1600×800, each file of that size."""
    image = store(picture_bytes(2000, 1000))
    renditions = list(image.renditions.all())
    assert [(r.width, r.height) for r in renditions] == [(320, 160), (640, 320), (1024, 512), (1600, 800)]
    for rendition in renditions:
        with PILImage.open(rendition.file.path) as stored:
            assert stored.size == (rendition.width, rendition.height) and stored.format == "JPEG"


@pytest.mark.django_db
def test_no_rendition_is_as_wide_as_the_original():
    """A 700 pixel wide picture gets only the 320 and 640 renditions."""
    image = store(picture_bytes(700, 350))
    assert list(image.renditions.values_list("width", flat=True)) == [320, 640]


@pytest.mark.django_db
def test_transparent_renditions_are_webp():
    """Renditions of a transparent picture are WebP with alpha, not JPEG on black."""
    image = store(picture_bytes(800, 400, image_format="PNG", mode="RGBA"), name="logo.png")
    rendition = image.renditions.first()
    with PILImage.open(rendition.file.path) as stored:
        assert stored.format == "WEBP" and stored.mode == "RGBA"
        assert stored.getpixel((rendition.width - 1, 0))[3] == 0


@pytest.mark.django_db
def test_replacing_the_file_replaces_renditions_and_removes_old_files(media_root, django_capture_on_commit_callbacks):
    """A new file for an image gives new renditions; the old original and renditions leave storage."""
    image = store(picture_bytes(1200, 600))
    old_files = stored_files(media_root)
    with django_capture_on_commit_callbacks(execute=True):
        image.file = upload(picture_bytes(700, 700))
        image.save()
    assert list(image.renditions.values_list("width", "height")) == [(320, 320), (640, 640)]
    assert not set(old_files) & set(stored_files(media_root))
    assert len(stored_files(media_root)) == 3


@pytest.mark.django_db
def test_deleting_an_image_deletes_its_files(media_root, django_capture_on_commit_callbacks):
    """Deleting an image removes its original and renditions from storage."""
    image = store(picture_bytes(1200, 600))
    with django_capture_on_commit_callbacks(execute=True):
        image.delete()
    assert stored_files(media_root) == [] and not Rendition.objects.exists()


@pytest.mark.django_db
def test_editing_text_keeps_the_stored_files(media_root):
    """Changing the alt text of a stored image makes no new files."""
    image = store(picture_bytes(700, 350))
    files = stored_files(media_root)
    image.alt_text = "Protesters in the square"
    image.save()
    assert stored_files(media_root) == files


def test_has_alt_text_ignores_blanks():
    """Alt text of spaces only counts as no alt text."""
    assert not Image(alt_text="   ").has_alt_text and Image(alt_text="A dog").has_alt_text


# Refusing


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"Just some notes, not a picture.\n" * 10, "notes.jpg", "is not a picture Dateline can read"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "x.svg", "SVG files are not"),
        (b"<!DOCTYPE html><html><script>alert(1)</script></html>", "page.jpg", "is not a picture Dateline can read"),
        (picture_bytes(image_format="BMP"), "old.jpg", "BMP files are not accepted"),
        (picture_bytes(image_format="TIFF"), "scan.jpg", "TIFF files are not accepted"),
        (picture_bytes(1000, 1000)[:3000], "cut.jpg", "is not a picture Dateline can read"),
        (picture_bytes(image_format="PNG")[:-30] + b"\0" * 30, "bad.png", "is not a picture Dateline can read"),
        (bomb_png(), "bomb.png", "too many pixels; the limit is 50 megapixels"),
    ],
    ids=["text", "svg", "html", "bmp", "tiff", "truncated", "corrupt", "bomb"],
)
@pytest.mark.django_db
def test_bad_upload_is_refused_with_a_clear_message(media_root, data, name, message):
    """Non-images, SVG, HTML, other formats, broken files and decompression bombs are refused, nothing stored."""
    assert message in form_errors(data, name)
    assert stored_files(media_root) == [] and not Image.objects.exists()


@pytest.mark.django_db
def test_file_over_the_byte_limit_is_refused(settings):
    """A file larger than IMAGES_MAX_BYTES is refused, saying both sizes."""
    settings.IMAGES_MAX_BYTES = 1000
    data = picture_bytes(400, 400, quality=95)
    assert len(data) > 1000
    assert "the limit is 1000\xa0bytes" in form_errors(data)


@pytest.mark.django_db
def test_picture_over_the_pixel_limit_is_refused(settings):
    """A picture with more pixels than IMAGES_MAX_PIXELS is refused before it is decoded."""
    settings.IMAGES_MAX_PIXELS = 100_000
    assert "too many pixels; the limit is 0.1 megapixels" in form_errors(picture_bytes(400, 400))


@pytest.mark.django_db
def test_saving_a_bad_file_directly_is_refused_too(media_root):
    """Code that skips the form still cannot store a non-image: save() raises and stores nothing."""
    with pytest.raises(ValidationError):
        store(b"#!/bin/sh\nrm -rf /\n", name="run.gif")
    assert stored_files(media_root) == [] and not Image.objects.exists()


@pytest.mark.django_db
def test_valid_upload_passes_the_form():
    """A real JPEG passes the form, which then stores it."""
    form = ImageForm(data={"alt_text": "A picture"}, files={"file": upload(picture_bytes())})
    assert form.is_valid(), form.errors
    assert form.save().renditions.count() == 1


# Admin


@pytest.fixture
def admin_client_logged_in(client):
    user = get_user_model().objects.create_superuser("chief", "chief@example.org", "a long pass phrase")
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_admin_upload_stores_the_image_with_its_uploader(admin_client_logged_in):
    """Uploading in the admin stores the image with alt text, caption, credit and who uploaded it."""
    response = admin_client_logged_in.post(
        "/admin/images/image/add/",
        {"file": upload(picture_bytes(700, 350)), "alt_text": "Boats", "caption": "Harbour", "credit": "AP"},
    )
    assert response.status_code == 302
    image = Image.objects.get()
    assert (image.alt_text, image.caption, image.credit) == ("Boats", "Harbour", "AP")
    assert image.uploaded_by.username == "chief"


@pytest.mark.django_db
def test_admin_refuses_a_non_image_with_the_message(admin_client_logged_in, media_root):
    """The admin shows why a file was refused and stores nothing."""
    data = {"file": upload(b"GIF89a lies"), "alt_text": "x"}
    response = admin_client_logged_in.post("/admin/images/image/add/", data)
    assert response.status_code == 200
    assert "is not a picture Dateline can read" in response.content.decode()
    assert stored_files(media_root) == []


@pytest.mark.django_db
def test_admin_list_shows_thumbnails_and_searches(admin_client_logged_in):
    """The image list shows a thumbnail of each image and finds images by caption."""
    store(picture_bytes(700, 350), caption="Harbour at dawn")
    store(picture_bytes(700, 350), caption="Election night")
    response = admin_client_logged_in.get("/admin/images/image/", {"q": "harbour"})
    content = response.content.decode()
    assert content.count('width="80" height="40"') == 1
    assert "Harbour at dawn" in content and "Election night" not in content


@pytest.mark.django_db
def test_admin_change_form_shows_a_preview(admin_client_logged_in):
    """The change form of an image shows it 320 pixels wide."""
    image = store(picture_bytes(700, 350))
    response = admin_client_logged_in.get(f"/admin/images/image/{image.pk}/change/")
    assert f'src="{image.renditions.first().file.url}" width="320" height="160"' in response.content.decode()


# The picture partial


class Tags(HTMLParser):
    def __init__(self, html):
        super().__init__()
        self.tags = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def picture(**context):
    return Tags(render_to_string("images/_picture.html", context)).tags


@pytest.mark.django_db
def test_picture_lists_every_size_with_dimensions_alt_and_lazy_loading():
    """The partial renders one <img> with srcset of every size, width, height, alt, lazy loading."""
    image = store(picture_bytes(1200, 600), alt_text="Fishing boats in the harbour")
    sizes = {r.width: r.file.url for r in image.renditions.all()}
    [(tag, attrs)] = picture(image=image)
    assert tag == "img"
    assert attrs["srcset"] == f"{sizes[320]} 320w, {sizes[640]} 640w, {sizes[1024]} 1024w, {image.file.url} 1200w"
    assert attrs["src"] == sizes[1024]
    assert (attrs["width"], attrs["height"], attrs["sizes"]) == ("1200", "600", "100vw")
    assert attrs["alt"] == "Fishing boats in the harbour"
    assert (attrs["loading"], attrs["decoding"]) == ("lazy", "async")


@pytest.mark.django_db
def test_picture_takes_sizes_alt_and_loading_overrides():
    """`sizes`, `alt` (even empty, for decorative images) and `loading` given to the include win."""
    image = store(picture_bytes(700, 350), alt_text="Boats")
    [(_, attrs)] = picture(image=image, sizes="(min-width: 50em) 40em, 100vw", alt="", loading="eager")
    assert (attrs["sizes"], attrs["alt"], attrs["loading"]) == ("(min-width: 50em) 40em, 100vw", "", "eager")


@pytest.mark.django_db
def test_picture_never_offers_a_huge_original():
    """For a picture wider than the widest rendition, srcset stops at 1600w and best_url is that rendition."""
    image = store(picture_bytes(2000, 1000))
    [(_, attrs)] = picture(image=image)
    assert attrs["srcset"].endswith(" 1600w") and image.file.url not in attrs["srcset"]
    assert image.best_url() == image.renditions.get(width=1600).file.url
    assert (image.best().width, image.best().height) == (1600, 800)


@pytest.mark.django_db
def test_small_picture_offers_its_original():
    """A picture narrower than every rendition width is offered as itself."""
    image = store(picture_bytes(200, 100))
    [(_, attrs)] = picture(image=image)
    assert attrs["srcset"] == f"{image.file.url} 200w" and attrs["src"] == image.best_url() == image.file.url


def test_picture_renders_nothing_without_an_image():
    """A story without a lead image gets no <img> at all."""
    assert render_to_string("images/_picture.html", {"image": None}).strip() == ""


@pytest.mark.django_db
def test_picture_escapes_alt_text():
    """Alt text is escaped in the attribute."""
    image = store(picture_bytes(200, 100), alt_text='"><script>alert(1)</script>')
    html = render_to_string("images/_picture.html", {"image": image})
    assert "<script>" not in html and "&quot;&gt;&lt;script&gt;" in html


# Serving media


@pytest.mark.django_db
def test_media_view_serves_a_rendition_as_an_image(client):
    """An uploaded rendition is served with its image type, nosniff and a year-long immutable cache."""
    rendition = store(picture_bytes(700, 350)).renditions.first()
    response = client.get(rendition.file.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert b"".join(response.streaming_content).startswith(b"\xff\xd8")


@pytest.mark.django_db
def test_media_view_serves_webp_with_its_type(client):
    """A WebP rendition is served as image/webp."""
    rendition = store(picture_bytes(700, 350, image_format="PNG", mode="RGBA"), name="a.png").renditions.first()
    assert client.get(rendition.file.url)["Content-Type"] == "image/webp"


@pytest.mark.parametrize(
    "path",
    [
        "/media/../outside.png",
        "/media/images/../../outside.png",
        "/media/%2e%2e/outside.png",
        "/media/page.html",
        "/media/drawing.svg",
        "/media/.hidden.png",
        "/media/images/missing.png",
        "/media/images/",
    ],
)
@pytest.mark.django_db
def test_media_view_refuses_other_paths(client, media_root, path):
    """Paths out of MEDIA_ROOT, non-image files (even present ones) and missing files answer 404."""
    media_root.mkdir(parents=True)
    (media_root.parent / "outside.png").write_bytes(picture_bytes(image_format="PNG"))
    (media_root / "page.html").write_text("<script>alert(1)</script>")
    (media_root / "drawing.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    (media_root / ".hidden.png").write_bytes(picture_bytes(image_format="PNG"))
    assert client.get(path).status_code == 404


@pytest.mark.django_db
def test_media_view_is_unused_with_shared_storage(client, settings):
    """With storage that is not local files (S3 and the like), the view answers 404."""
    image = store(picture_bytes(200, 100))
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"}}
    assert client.get(f"/media/{image.file.name}").status_code == 404
