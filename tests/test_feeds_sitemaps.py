"""Feeds and sitemaps, refereed by real parsers (feedparser, lxml)."""

from datetime import UTC, datetime, timedelta

import feedparser
import pytest
from lxml import etree

from .factories import make_author, make_section, make_story

pytestmark = pytest.mark.django_db
SITEMAP_NS = {
    "s": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}


@pytest.fixture(autouse=True)
def _public_host(settings):
    settings.ALLOWED_HOSTS = ["news.example.org", "testserver"]


@pytest.fixture
def stories():
    section = make_section("Middle East")
    author = make_author("Amira Haddad")
    seed = make_story(
        "Foreign combat forces to leave Iraq in 15 days: Military",
        news_id=318214,
        published_at=datetime(2021, 11, 24, 3, 50, tzinfo=UTC),
        section=section,
        summary="A senior Iraqi military official said Wednesday all foreign combat forces will leave Iraq.",
    )
    seed.authors.add(author)
    recent = make_story("Talks resume", ago=timedelta(hours=3), section=section)
    make_story("A draft", published=False, section=section)
    make_story("Scheduled", ago=-timedelta(hours=3), section=section)
    return seed, recent


def parse(client, url):
    response = client.get(url, HTTP_HOST="news.example.org")
    assert response.status_code == 200, url
    return response, feedparser.parse(response.content)


@pytest.mark.parametrize(
    "url", ["/rss.xml", "/atom.xml", "/section/middle-east/rss.xml", "/section/middle-east/atom.xml"]
)
def test_feeds_parse_cleanly_with_every_field(client, stories, url):
    """feedparser reads each feed without a bozo flag; entries carry title, link, id, dates, summary."""
    _, feed = parse(client, url)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.feed.title and feed.feed.link
    titles = [entry.title for entry in feed.entries]
    assert titles == ["Talks resume", "Foreign combat forces to leave Iraq in 15 days: Military"]
    seed = feed.entries[1]
    assert seed.link == "http://news.example.org/news/318214/foreign-combat-forces-to-leave-iraq-in-15-days-military"
    assert seed.id == "http://news.example.org/news/318214"
    assert seed.published_parsed[:5] == (2021, 11, 24, 3, 50)
    assert seed.summary


def test_feed_dates_use_rfc822_in_rss_and_rfc3339_in_atom(client, stories):
    """RSS says `Wed, 24 Nov 2021 03:50:00 +0000`; Atom says `2021-11-24T03:50:00+00:00`."""
    rss = client.get("/rss.xml").content.decode()
    atom = client.get("/atom.xml").content.decode()
    assert "<pubDate>Wed, 24 Nov 2021 03:50:00 +0000</pubDate>" in rss
    assert "<published>2021-11-24T03:50:00+00:00</published>" in atom


def test_feed_guid_stays_when_the_slug_changes(client, stories):
    """The GUID is built on the News ID, so editing a headline does not make readers see a new item."""
    seed, _ = stories
    before = {e.title: e.id for e in feedparser.parse(client.get("/rss.xml").content).entries}
    seed.slug = "new-slug"
    seed.save()
    after = {e.title: e.id for e in feedparser.parse(client.get("/rss.xml").content).entries}
    assert before == after


def test_author_and_tag_feeds_list_their_stories(client, stories):
    """Per-author feeds list that author's published stories only."""
    _, feed = parse(client, "/author/amira-haddad/rss.xml")
    assert [entry.title for entry in feed.entries] == ["Foreign combat forces to leave Iraq in 15 days: Military"]
    assert feed.entries[0].author == "Amira Haddad"


def test_feeds_use_site_url_when_set(client, stories, settings):
    """With SITE_URL, feed links are on it whatever host the request named."""
    settings.SITE_URL = "https://news.example.org"
    _, feed = parse(client, "/rss.xml")
    assert all(entry.link.startswith("https://news.example.org/news/") for entry in feed.entries)


def test_sitemap_index_uses_site_url_when_set(client, stories, settings):
    """With SITE_URL, the index lists its parts on it (as the parts list pages on it), whatever host was asked."""
    settings.SITE_URL = "https://news.example.org"
    for prefix in ("", "/fa"):
        index = etree.fromstring(client.get(f"{prefix}/sitemap.xml").content)
        parts = index.xpath("//s:sitemap/s:loc/text()", namespaces=SITEMAP_NS)
        assert parts and all(part.startswith(f"https://news.example.org{prefix}/sitemap-") for part in parts)


def test_news_sitemap_writes_languages_as_google_news_takes_them(client, stories):
    """A story in en-US is listed as "en" (Google's schema refuses "en-US"); ar-EG is "ar"; zh-cn, zh-tw stay whole."""
    from django.utils import timezone

    from dateline.articles.models import Story
    from dateline.articles.templatetags.articles import news_language

    Story.objects.filter(news_id=318214).update(language="en-US", published_at=timezone.now())
    news = etree.fromstring(client.get("/news-sitemap.xml").content)
    assert set(news.xpath("//news:language/text()", namespaces=SITEMAP_NS)) == {"en"}
    assert [news_language(code) for code in ("ar-EG", "fa", "zh-TW", "zh_CN")] == ["ar", "fa", "zh-tw", "zh-cn"]


def test_atom_feed_names_an_author_for_entries_without_a_byline(client, stories):
    """RFC 4287: an entry with no <author> takes the feed's, so the feed names the publication."""
    feed = etree.fromstring(client.get("/atom.xml").content)
    atom = {"a": "http://www.w3.org/2005/Atom"}
    assert feed.xpath("/a:feed/a:author/a:name/text()", namespaces=atom) == ["Dateline"]


def test_pages_announce_their_feeds(client, stories):
    """Every page links the site's RSS and Atom feeds for autodiscovery."""
    html = client.get("/").content.decode()
    assert '<link rel="alternate" type="application/rss+xml"' in html
    assert 'href="/atom.xml"' in html


def test_sitemap_index_points_at_story_sitemap_with_lastmod(client, stories):
    """sitemap.xml is an index; the story sitemap lists public stories with lastmod, drafts never."""
    index = etree.fromstring(client.get("/sitemap.xml", HTTP_HOST="news.example.org").content)
    parts = index.xpath("//s:sitemap/s:loc/text()", namespaces=SITEMAP_NS)
    assert "http://news.example.org/sitemap-stories.xml" in parts
    urlset = etree.fromstring(client.get("/sitemap-stories.xml", HTTP_HOST="news.example.org").content)
    locations = urlset.xpath("//s:url/s:loc/text()", namespaces=SITEMAP_NS)
    assert "http://news.example.org/news/318214/foreign-combat-forces-to-leave-iraq-in-15-days-military" in locations
    assert len(locations) == 2
    lastmods = urlset.xpath("//s:url/s:lastmod/text()", namespaces=SITEMAP_NS)
    assert "2021-11-24" in lastmods


def test_news_sitemap_lists_the_last_48_hours_with_news_fields(client, stories):
    """The Google News sitemap has only recent stories, with publication name, language, date and title."""
    tree = etree.fromstring(client.get("/news-sitemap.xml").content)
    urls = tree.xpath("//s:url", namespaces=SITEMAP_NS)
    assert len(urls) == 1
    news = urls[0].xpath("news:news", namespaces=SITEMAP_NS)[0]
    assert news.xpath("news:title/text()", namespaces=SITEMAP_NS) == ["Talks resume"]
    assert news.xpath("news:publication/news:name/text()", namespaces=SITEMAP_NS) == ["Dateline"]
    assert news.xpath("news:publication/news:language/text()", namespaces=SITEMAP_NS) == ["en"]
    published = news.xpath("news:publication_date/text()", namespaces=SITEMAP_NS)[0]
    assert datetime.fromisoformat(published) > datetime.now(UTC) - timedelta(hours=48)


def test_robots_txt_points_at_the_sitemaps(client):
    """robots.txt names both sitemaps with absolute URLs and keeps crawlers out of the newsroom."""
    text = client.get("/robots.txt", HTTP_HOST="news.example.org").content.decode()
    assert "Sitemap: http://news.example.org/sitemap.xml" in text
    assert "Sitemap: http://news.example.org/news-sitemap.xml" in text
    assert "Disallow: /admin/" in text


def test_section_tag_and_author_pages_announce_their_own_feeds(client, stories):
    """A section's page links its RSS and Atom feeds, so a reader can follow just that section."""
    html = client.get("/section/middle-east").content.decode()
    assert 'type="application/rss+xml" title="Middle East (RSS)" href="/section/middle-east/rss.xml"' in html
    assert 'href="/section/middle-east/atom.xml"' in html
    assert 'href="/author/amira-haddad/rss.xml"' in client.get("/author/amira-haddad").content.decode()


def test_feeds_carry_full_text_or_summary_per_setting(client, stories, settings):
    """FEEDS_FULL_TEXT on: the body; off: the summary only."""
    seed, _ = stories
    full = feedparser.parse(client.get("/rss.xml").content).entries[1]
    assert full.summary == seed.body
    settings.FEEDS_FULL_TEXT = False
    short = feedparser.parse(client.get("/rss.xml").content).entries[1]
    assert short.summary == seed.summary


def test_lead_image_is_an_enclosure(client, stories, settings, tmp_path):
    """A story's lead image travels as an RSS enclosure with its URL, length and type."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image as PILImage

    from dateline.images.models import Image

    settings.MEDIA_ROOT = tmp_path
    buffer = io.BytesIO()
    PILImage.new("RGB", (800, 600), "#884422").save(buffer, "JPEG")
    seed, _ = stories
    seed.lead_image = Image.objects.create(file=SimpleUploadedFile("x.jpg", buffer.getvalue()), alt_text="A view")
    seed.save()
    entry = feedparser.parse(client.get("/rss.xml").content).entries[1]
    enclosure = entry.enclosures[0]
    assert enclosure.type == "image/jpeg"
    assert enclosure.href.startswith("http://testserver/media/images/")
    assert int(enclosure.length) == seed.lead_image.file.size


def test_robots_txt_lists_every_editions_sitemaps(client, settings):
    """Each edition's sitemap and news sitemap is announced, under its prefix."""
    text = client.get("/robots.txt", HTTP_HOST="news.example.org").content.decode()
    assert "Sitemap: http://news.example.org/fa/sitemap.xml" in text
    assert "Sitemap: http://news.example.org/ar/news-sitemap.xml" in text


@pytest.mark.parametrize("prefix", ["", "/fa", "/ar"])
def test_feeds_and_sitemaps_reverse_by_namespace_at_their_paths_in_every_edition(prefix):
    """`feeds:…` and `sitemaps:…` give the same paths as ever, under each edition's prefix."""
    from django.urls import reverse

    from dateline.articles.editions import reading

    with reading(prefix.strip("/") or "en"):
        paths = [reverse("feeds:rss"), reverse("feeds:atom"), reverse("feeds:section-rss", kwargs={"slug": "world"})]
        paths += [reverse(f"feeds:{kind}-atom", kwargs={"slug": "x"}) for kind in ("section", "tag", "author")]
        paths += [reverse("sitemaps:index"), reverse("sitemaps:part", kwargs={"section": "stories"})]
        paths += [reverse("sitemaps:news")]
    expected = ["/rss.xml", "/atom.xml", "/section/world/rss.xml", "/section/x/atom.xml", "/tag/x/atom.xml"]
    expected += ["/author/x/atom.xml", "/sitemap.xml", "/sitemap-stories.xml", "/news-sitemap.xml"]
    assert paths == [prefix + path for path in expected]


def test_edition_sitemap_index_links_its_parts_under_its_prefix(client, stories):
    """/fa/sitemap.xml points at /fa/sitemap-….xml (the index reverses its parts by their namespaced name)."""
    index = etree.fromstring(client.get("/fa/sitemap.xml", HTTP_HOST="news.example.org").content)
    locations = index.xpath("//s:loc/text()", namespaces=SITEMAP_NS)
    assert locations and all(loc.startswith("http://news.example.org/fa/sitemap-") for loc in locations)


def test_robots_txt_keeps_crawlers_out_of_the_prefixes_the_setting_marks(client, settings):
    """robots.txt disallows the PAGE_CACHE_BYPASS prefixes marked "disallow", in their order, and no other."""
    settings.PAGE_CACHE_BYPASS = {"newsroom": "disallow", "api": "allow", "drafts": "disallow"}
    text = client.get("/robots.txt", HTTP_HOST="news.example.org").content.decode()
    assert [line for line in text.splitlines() if line.startswith("Disallow:")] == [
        "Disallow: /newsroom/",
        "Disallow: /drafts/",
    ]
