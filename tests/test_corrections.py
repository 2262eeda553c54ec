"""Typed corrections: correction, clarification, update, retraction, editor's note — on the story, in its JSON-LD,
on /corrections and its feeds, and in the API."""

import json
import re

import feedparser
import pytest

from dateline.api.models import ApiToken
from dateline.articles.models import Correction

from .factories import make_member, make_story

pytestmark = pytest.mark.django_db
KINDS = {
    "correction": "Correction", "clarification": "Clarification", "update": "Update",
    "retraction": "Retraction", "editors-note": "Editor’s note",
}  # fmt: skip


@pytest.fixture
def story():
    return make_story("Talks resume in Baghdad")


def structured_data(page):
    return json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)[1])


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_shows_on_the_story_with_its_label_and_time(client, story, kind):
    note = Correction.objects.create(story=story, kind=kind, text="A note for readers.")
    page = client.get(story.get_absolute_url()).content.decode()
    assert f'id="correction-{note.pk}"' in page and f"<strong>{KINDS[kind]}, <time" in page
    assert "A note for readers." in page


def test_the_story_json_ld_carries_its_corrections(client, story):
    Correction.objects.create(story=story, kind="clarification", text="The talks are informal.")
    data = structured_data(client.get(story.get_absolute_url()).content.decode())
    [comment] = data["correction"]
    assert comment["@type"] == "CorrectionComment" and comment["text"] == "Clarification: The talks are informal."
    assert comment["url"].endswith(f"{story.get_absolute_url()}#correction-{story.corrections.get().pk}")


def test_the_corrections_page_lists_every_note_newest_first(client, story):
    other = make_story("Rivers rise")
    Correction.objects.create(story=story, kind="correction", text="First.")
    Correction.objects.create(story=other, kind="retraction", text="Second.")
    make_story("A draft", published=False).corrections.create(text="Not shown.")
    page = client.get("/corrections").content.decode()
    assert page.index("Second.") < page.index("First.") and "Not shown." not in page
    assert f'href="{other.get_absolute_url()}#correction-' in page


@pytest.mark.parametrize("path", ["/corrections/rss.xml", "/corrections/atom.xml"])
def test_the_corrections_feeds_read_cleanly(client, story, path):
    Correction.objects.create(story=story, kind="update", text="Talks moved to Friday.")
    feed = feedparser.parse(client.get(path).content)
    assert feed.bozo == 0
    [entry] = feed.entries
    assert entry.title == "Update: Talks resume in Baghdad" and "Talks moved to Friday." in entry.summary


def test_the_corrections_json_feed(client, story):
    note = Correction.objects.create(story=story, kind="editors-note", text="This story was updated.")
    [item] = client.get("/corrections/feed.json").json()["items"]
    assert item["title"] == "Editor’s note: Talks resume in Baghdad"
    assert item["id"] == f"http://testserver/news/{story.news_id}#correction-{note.pk}"


def bearer(user):
    return {"Authorization": f"Bearer {ApiToken.issue(user)[1]}"}


def post_correction(client, story, user, payload):
    path = f"/api/v1/stories/{story.news_id}/corrections"
    return client.post(path, payload, content_type="application/json", headers=bearer(user))


def test_an_editor_adds_a_correction_through_the_api(client, story):
    response = post_correction(client, story, make_member("Editor"), {"kind": "retraction", "text": "Retracted."})
    assert response.status_code == 201 and response.json()["kind"] == "retraction"
    [note] = client.get(f"/api/v1/stories/{story.news_id}").json()["corrections"]
    assert (note["kind"], note["text"]) == ("retraction", "Retracted.") and note["at"]


def test_a_reporter_may_not_add_corrections(client, story):
    response = post_correction(client, story, make_member("Reporter"), {"kind": "correction", "text": "No."})
    assert response.status_code in (403, 404) and not story.corrections.exists()


def test_a_story_never_published_takes_no_correction(client):
    draft = make_story(published=False)
    response = post_correction(client, draft, make_member("Editor"), {"kind": "correction", "text": "Too soon."})
    assert response.status_code == 422 and "published stories" in response.json()["detail"]


def test_an_unknown_kind_is_refused(client, story):
    response = post_correction(client, story, make_member("Editor"), {"kind": "apology", "text": "Sorry."})
    assert response.status_code == 422 and not story.corrections.exists()
