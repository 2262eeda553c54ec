"""JSON Feed 1.1 beside every RSS/Atom feed, and WebSub: hubs named by the feeds, pinged on publish and correction."""

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs

import feedparser
import jsonschema
import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from dateline.articles.models import Correction, Tag
from dateline.articles.workflow import publish

from .factories import make_author, make_member, make_section, make_story, run_due_jobs
from .processes import Recorder, recording

pytestmark = pytest.mark.django_db
# feedparser's last release (6.0.14) does not read JSON Feed: the 1.1 specification, as a JSON Schema, referees it.
SCHEMA = json.loads((Path(__file__).parent / "fixtures" / "jsonfeed-1.1.schema.json").read_text())
FEEDS = ["/feed.json", "/section/middle-east/feed.json", "/tag/iraq/feed.json", "/author/amira-haddad/feed.json"]


@pytest.fixture(autouse=True)
def _public_host(settings):
    settings.ALLOWED_HOSTS = ["news.example.org", "testserver"]


@pytest.fixture
def seed():
    story = make_story(
        "Foreign combat forces to leave Iraq in 15 days: Military",
        news_id=318214,
        published_at=datetime(2021, 11, 24, 3, 50, tzinfo=UTC),
        section=make_section("Middle East"),
        summary="All foreign combat forces will leave Iraq within 15 days.",
    )
    story.authors.add(make_author("Amira Haddad"))
    story.tags.add(Tag.objects.create(name="Iraq", slug="iraq"))
    make_story("A draft", published=False, section=story.section)
    return story


@pytest.mark.parametrize("url", FEEDS)
def test_every_json_feed_reads_cleanly_with_the_story(client, seed, url):
    """Each JSON Feed is valid JSON Feed 1.1; the item carries id, url, title, html, summary, dates, author, tags."""
    response = client.get(url, HTTP_HOST="news.example.org")
    assert response["Content-Type"] == "application/feed+json; charset=utf-8"
    feed = response.json()
    jsonschema.validate(feed, SCHEMA, format_checker=jsonschema.FormatChecker())
    assert feed["feed_url"] == "http://news.example.org" + url and "hubs" not in feed
    [item] = feed["items"]
    assert item["id"] == "http://news.example.org/news/318214"
    assert item["url"] == "http://news.example.org/news/318214/foreign-combat-forces-to-leave-iraq-in-15-days-military"
    assert item["title"] == seed.headline and item["authors"] == [{"name": "Amira Haddad"}]
    assert datetime.fromisoformat(item["date_published"]) == seed.published_at
    assert item["summary"] == seed.summary and item["tags"] == ["Middle East", "Iraq"]
    assert item["content_html"] == seed.body


def test_each_edition_has_its_json_feed(client, seed):
    make_story("نیروهای خارجی عراق را ترک می‌کنند", language="fa", slug="نیروها")
    items = client.get("/fa/feed.json").json()["items"]
    assert [item["title"] for item in items] == ["نیروهای خارجی عراق را ترک می‌کنند"]
    assert client.get("/fa/feed.json").json()["language"] == "fa"


def test_pages_link_their_json_feed(client, seed):
    page = client.get("/").content.decode()
    assert '<link rel="alternate" type="application/feed+json"' in page and 'href="/feed.json"' in page
    section = client.get("/section/middle-east").content.decode()
    assert 'href="/section/middle-east/feed.json"' in section


@pytest.mark.parametrize("url", ["/rss.xml", "/atom.xml", "/feed.json", "/section/middle-east/atom.xml"])
def test_feeds_name_their_hubs(client, seed, settings, url):
    """With WEBSUB_HUBS set, each feed names each hub and itself, in the document and in a Link header."""
    settings.WEBSUB_HUBS = ["https://hub.example.org/", "https://pubsubhubbub.appspot.com/"]
    response = client.get(url, HTTP_HOST="news.example.org")
    self_url = "http://news.example.org" + url
    hubs = '<https://hub.example.org/>; rel="hub", <https://pubsubhubbub.appspot.com/>; rel="hub"'
    assert response["Link"] == f'{hubs}, <{self_url}>; rel="self"'
    if url.endswith(".json"):
        jsonschema.validate(response.json(), SCHEMA)
        assert [hub["url"] for hub in response.json()["hubs"]] == settings.WEBSUB_HUBS
    else:
        feed = feedparser.parse(response.content)
        assert feed.bozo == 0
        assert [link.href for link in feed.feed.links if link.rel == "hub"] == settings.WEBSUB_HUBS


class Hub(Recorder):
    """A WebSub hub on loopback (answering 204 unless told otherwise)."""

    def __init__(self):
        super().__init__(status=204)

    @property
    def url(self):
        return super().url + "/"

    @property
    def pings(self):
        return [parse_qs(body.decode()) for _, _, _, body in self.calls]


@pytest.fixture
def hub(settings):
    settings.SITE_URL = "https://news.example.org"
    with recording(Hub()) as server:
        settings.WEBSUB_HUBS = [server.url]
        yield server


def test_a_publish_pings_the_hub_with_every_feed_the_story_is_on(hub, seed):
    story = make_story(published=False, section=seed.section)
    story.tags.add(Tag.objects.get(slug="iraq"))
    story.authors.add(*seed.authors.all())
    publish(story, make_member("Editor"))
    run_due_jobs()
    [ping] = hub.pings
    assert ping["hub.mode"] == ["publish"]
    base = "https://news.example.org"
    assert set(ping["hub.url"]) == {
        *(f"{base}/{name}" for name in ("rss.xml", "atom.xml", "feed.json")),
        *(f"{base}/section/middle-east/{name}" for name in ("rss.xml", "atom.xml", "feed.json")),
        *(f"{base}/tag/iraq/{name}" for name in ("rss.xml", "atom.xml", "feed.json")),
        *(f"{base}/author/amira-haddad/{name}" for name in ("rss.xml", "atom.xml", "feed.json")),
    }


def test_a_correction_pings_the_hub(hub, seed):
    Correction.objects.create(story=seed, text="An earlier version gave the wrong date.")
    run_due_jobs()
    assert len(hub.pings) == 1 and f"{'https://news.example.org'}/feed.json" in hub.pings[0]["hub.url"]


def test_a_scheduled_story_pings_at_its_time(hub, seed, time_machine):
    at = timezone.now() + timedelta(hours=1)
    publish(make_story(published=False), make_member("Editor"), at=at)
    run_due_jobs()
    assert hub.pings == []
    time_machine.move_to(at + timedelta(seconds=1))
    run_due_jobs()
    assert len(hub.pings) == 1


def test_a_hub_that_fails_is_tried_again(hub, seed, time_machine):
    hub.status = 503
    publish(make_story(published=False), make_member("Editor"))
    run_due_jobs()
    hub.status = 204
    time_machine.move_to(timezone.now() + timedelta(seconds=11))
    run_due_jobs()
    assert len(hub.pings) == 2
    assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() == 2


def test_without_hubs_nothing_is_queued(seed, settings):
    settings.WEBSUB_HUBS = []
    publish(make_story(published=False), make_member("Editor"))
    assert not DBTaskResult.objects.filter(task_path__contains="websub").exists()
