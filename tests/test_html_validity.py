"""Every public page kind passes the Nu Html Checker (npm's vnu-jar, run with the machine's Java) with zero errors."""

import io
import json
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from captcha.models import CaptchaStore
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from PIL import Image as Pillow

from dateline.accounts.models import Author
from dateline.articles.models import Correction, Story
from dateline.demo.stories import SEED_NEWS_ID
from dateline.images.models import Image

VNU_JAR = Path(__file__).resolve().parent.parent / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
pytestmark = pytest.mark.django_db


@pytest.fixture
def vnu():
    """The command that runs the checker; skipped where Java or the jar (`npm ci --ignore-scripts`) is missing."""
    java = shutil.which("java")
    if not java:
        pytest.skip("no java on PATH: the Nu Html Checker needs a Java runtime")
    if not VNU_JAR.exists():
        pytest.skip(f"no {VNU_JAR.relative_to(VNU_JAR.parents[3])}: run `npm ci --ignore-scripts` first")
    return [java, "-jar", str(VNU_JAR), "--errors-only", "--format", "json"]


def picture(tmp_path, name, alt_text):
    """A small stored picture with its renditions."""
    png = io.BytesIO()
    Pillow.new("RGB", (800, 500), "teal").save(png, "PNG")
    return Image.objects.create(file=SimpleUploadedFile(name, png.getvalue()), alt_text=alt_text)


def newsroom(tmp_path):
    """The demo newsroom, with a lead image and a bylined author with a photo on the reference story."""
    call_command("demo", stdout=io.StringIO())
    story = Story.objects.get(news_id=SEED_NEWS_ID)
    author = Author.objects.get(name="Amira Haddad")
    author.photo = picture(tmp_path, "amira.png", "Amira Haddad")
    author.save()
    author.links.create(label="Website", url="https://example.org/amira")
    story.lead_image = picture(tmp_path, "base.png", "Troops at the base")
    story.lead_image_caption = "Troops at the base."
    story.save()
    story.authors.add(author)
    return story


def wrong_key_page(client, story):
    """The story page as re-shown after a comment with a wrong security key."""
    html = client.get(story.get_absolute_url()).content.decode()
    key = re.search(r'name="captcha_0" value="([0-9a-f]+)"', html)[1]
    issued = re.search(r'name="issued" value="([^"]+)"', html)[1]
    assert CaptchaStore.objects.filter(hashkey=key).exists()
    data = {"name": "Dana", "email": "not-an-address", "body": "", "captcha_0": key, "captcha_1": "wrong"}
    return client.post(f"/comments/{story.news_id}", {**data, "issued": issued})


def public_pages(client, story):
    """Each page kind's name and response."""
    live = Story.objects.published().filter(story_type=Story.Type.LIVE).first()
    corrected = Correction.objects.first().story
    return {
        "front": client.get("/"),
        "front-page-2": client.get("/?page=2"),
        "story": client.get(story.get_absolute_url()),
        "story-live": client.get(live.get_absolute_url()),
        "story-corrected": client.get(corrected.get_absolute_url()),
        "section": client.get(story.section.get_absolute_url()),
        "tag": client.get(story.tags.first().get_absolute_url()),
        "author": client.get(story.authors.first().get_absolute_url()),
        "search": client.get("/search", {"q": "Iraq"}),
        "search-empty": client.get("/search"),
        "search-no-results": client.get("/search", {"q": "xylophonist"}),
        "comment-form-with-errors": wrong_key_page(client, story),
        "not-found": client.get("/news/1/no-such-story"),
        **edition_pages(client),
    }


def edition_pages(client):
    """The right-to-left editions' front pages and a story of each."""
    pages = {}
    for code in ("ar", "fa"):
        pages[f"front-{code}"] = client.get(f"/{code}/")
        story = Story.objects.published().filter(language=code).first()
        pages[f"story-{code}"] = client.get(story.get_absolute_url())
    return pages


# A page with one known error, so a run that checked nothing cannot pass.
CANARY = '<!DOCTYPE html><html lang="en"><head><title></title></head><body></body></html>'


def check(vnu, directory):
    """vnu's errors per file name, the canary's excluded once seen."""
    (directory / "canary.html").write_text(CANARY)
    result = subprocess.run([*vnu, str(directory)], capture_output=True, text=True, timeout=300)
    try:
        messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    except ValueError:
        pytest.fail(f"vnu did not answer in JSON (status {result.returncode}):\n{result.stderr}")
    errors = {}
    for message in messages:
        name = Path(unquote(urlparse(message.get("url", "")).path)).name or "?"
        errors.setdefault(name, []).append(message)
    assert errors.pop("canary.html", None), "vnu reported nothing on a page with an error: did it check the directory?"
    return errors


def readable(errors):
    lines = []
    for name, messages in sorted(errors.items()):
        for message in messages:
            where = f"{name}:{message.get('lastLine', '?')}:{message.get('lastColumn', '?')}"
            lines.append(f"{where}: {message['message']}\n    {message.get('extract', '').strip()}")
    return "\n".join(lines)


def test_every_public_page_kind_is_valid_html(client, vnu, tmp_path, settings):
    """Front, story, section, tag, author, search, the comment form with errors and the 404 page have no vnu errors."""
    settings.MEDIA_ROOT = tmp_path / "media"
    pages = public_pages(client, newsroom(tmp_path))
    statuses = {name: response.status_code for name, response in pages.items()}
    assert statuses == {**dict.fromkeys(pages, 200), "comment-form-with-errors": 400, "not-found": 404}
    (tmp_path / "pages").mkdir()
    for name, response in pages.items():
        (tmp_path / "pages" / f"{name}.html").write_bytes(response.content)
    errors = check(vnu, tmp_path / "pages")
    assert not errors, "The Nu Html Checker found errors:\n" + readable(errors)
