import re
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from dateline.articles.models import FrontPage, Story

from .factories import make_author, make_section, make_story

pytestmark = pytest.mark.django_db
FOOTER = re.compile(r"Page Generated in (\d+\.\d{4}) sec")


class Elements(HTMLParser):
    """Counts start tags and keeps the root element's attributes."""

    def __init__(self, html):
        super().__init__()
        self.counts, self.root = {}, {}
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.counts[tag] = self.counts.get(tag, 0) + 1
        if tag == "html":
            self.root = dict(attrs)


@pytest.fixture
def seed_story():
    return make_story(
        "Foreign combat forces to leave Iraq in 15 days: Military",
        news_id=318214,
        published_at=datetime(2021, 11, 24, 3, 50, tzinfo=UTC),
        body="<p>First paragraph.</p>\n<p>Second paragraph.</p>",
        section=make_section("Middle East"),
    )


def test_short_url_redirects_permanently_to_canonical_url(client, seed_story):
    """/news/<id> answers 301 with the slugged canonical address."""
    response = client.get("/news/318214")
    assert response.status_code == 301
    assert response["Location"] == "/news/318214/foreign-combat-forces-to-leave-iraq-in-15-days-military"


def test_wrong_slug_redirects_to_canonical_url(client, seed_story):
    """An outdated or mistyped slug still finds the story, by a 301."""
    response = client.get("/news/318214/old-headline")
    assert response.status_code == 301
    assert response["Location"] == seed_story.get_absolute_url()


def test_story_page_shows_news_id_dateline_headline_and_body(client, seed_story):
    """The page shows the reference elements: number, GMT dateline, one h1, body paragraphs, section."""
    response = client.get(seed_story.get_absolute_url())
    assert response.status_code == 200
    assert b"News ID: 318214" in response.content
    assert b"Published: <time" in response.content
    assert b">0350 GMT November 24, 2021</time>" in response.content
    assert b"<h1>Foreign combat forces to leave Iraq in 15 days: Military</h1>" in response.content
    assert b"<p>First paragraph.</p>" in response.content
    assert b"Middle East" in response.content
    assert Elements(response.content.decode()).counts["h1"] == 1


def test_story_page_shows_byline(client, seed_story):
    """Authors appear as the byline, each linked to their page."""
    seed_story.authors.add(make_author("Amira Haddad"), make_author("Omar Farouk"))
    response = client.get(seed_story.get_absolute_url())
    assert re.search(
        rb'By <a class="author" href="/author/(amira-haddad|omar-farouk)">(Amira Haddad|Omar Farouk)</a>, <a',
        response.content,
    )


def test_story_page_has_comment_form_with_security_key_and_refresh_link(client, seed_story):
    """Under the story: the comment form, its captcha labelled Security Key, and a refresh link."""
    response = client.get(seed_story.get_absolute_url())
    assert b'<label for="id_captcha_1">Security Key:</label>' in response.content
    assert b'class="captcha-image"' in response.content
    assert re.search(rb'<a href="" class="captcha-refresh" data-url="/captcha/refresh/">refresh</a>', response.content)
    assert b'name="email"' in response.content


def test_footer_and_server_timing_report_the_same_real_time(client, seed_story):
    """The footer's seconds and the Server-Timing header's milliseconds are one measurement."""
    response = client.get(seed_story.get_absolute_url())
    seconds = float(FOOTER.search(response.content.decode())[1])
    header = re.fullmatch(r"app;dur=(\d+\.\d)", response["Server-Timing"])
    assert header, response["Server-Timing"]
    assert 0 < seconds < 5
    assert float(header[1]) == pytest.approx(seconds * 1000, abs=0.05)
    assert b"<!--dateline" not in response.content


def test_rtl_story_sets_lang_and_dir(client):
    """A Persian story's page is <html lang="fa" dir="rtl">."""
    story = make_story("خروج نیروهای خارجی", language="fa")
    root = Elements(client.get(story.get_absolute_url()).content.decode()).root
    assert root == {"lang": "fa", "dir": "rtl"}


def test_unicode_slug_is_kept_and_served(client):
    """Non-Latin headlines keep their letters in the slug, and the URL works."""
    story = make_story("خروج نیروهای خارجی", language="fa")
    assert story.slug == "خروج-نیروهای-خارجی"
    assert client.get(story.get_absolute_url()).status_code == 200


@pytest.mark.parametrize(
    "fields",
    [
        {"published": False},
        {"status": Story.Status.REVIEW, "published_at": None},
        {"status": Story.Status.UNPUBLISHED},
        {"ago": -timedelta(hours=1)},
    ],
    ids=["draft", "in-review", "unpublished", "scheduled"],
)
def test_story_not_visible_to_public_is_404(client, fields):
    """Drafts, stories in review, unpublished and scheduled stories are not found, at either URL."""
    story = make_story("Secret plans", **fields)
    assert client.get(f"/news/{story.news_id}").status_code == 404
    assert client.get(story.get_absolute_url()).status_code == 404


def test_unknown_story_is_404_page(client):
    """An unknown News ID gets the site's 404 page."""
    response = client.get("/news/99999999")
    assert response.status_code == 404
    assert b"Page not found" in response.content


def test_front_page_leads_with_editors_choice_then_latest_first(client):
    """The chosen lead comes first; the rest follow newest first, without the lead again."""
    lead = make_story("The lead", ago=timedelta(days=30))
    make_story("Older news", ago=timedelta(hours=5))
    newer = make_story("Newer news", ago=timedelta(hours=1))
    FrontPage.objects.create(language="en", lead=lead)
    html = client.get("/").content.decode()
    assert html.index("The lead") < html.index("Newer news") < html.index("Older news")
    assert html.count("The lead") == 1
    assert newer.summary in html


def test_front_page_falls_back_to_latest_when_lead_is_not_public(client):
    """An unpublished lead is never shown; the latest story leads instead."""
    hidden = make_story("Pulled story", status=Story.Status.UNPUBLISHED)
    make_story("Latest news")
    FrontPage.objects.create(language="en", lead=hidden)
    html = client.get("/").content.decode()
    assert "Pulled story" not in html
    assert "Latest news" in html


def test_lists_never_show_unpublished_or_scheduled_stories(client):
    """Front and section pages list only what the public may see."""
    section = make_section("Politics")
    make_story("Visible story", section=section)
    make_story("Draft story", published=False, section=section)
    make_story("Scheduled story", ago=-timedelta(minutes=5), section=section)
    for url in ["/", section.get_absolute_url()]:
        html = client.get(url).content.decode()
        assert "Visible story" in html
        assert "Draft story" not in html
        assert "Scheduled story" not in html


def test_front_page_is_paginated(client, settings):
    """Older stories move to later pages, linked with rel=next."""
    settings.STORIES_PER_PAGE = 2
    for hours in range(1, 6):
        make_story(f"Story {hours}h ago", ago=timedelta(hours=hours))
    first, second = client.get("/"), client.get("/?page=2")
    assert b'rel="next"' in first.content
    assert b"Story 5h ago" not in first.content
    assert b"Story 5h ago" in second.content or b"Story 5h ago" in client.get("/?page=3").content


def test_section_page_lists_only_its_stories(client):
    """/section/<slug> shows that section's stories, newest first."""
    sport, business = make_section("Sport"), make_section("Business")
    make_story("Final score", section=sport, ago=timedelta(hours=2))
    make_story("Transfer news", section=sport)
    make_story("Markets rally", section=business)
    response = client.get(reverse("articles:section", kwargs={"slug": "sport"}))
    html = response.content.decode()
    assert "<h1>Sport</h1>" in html
    assert html.index("Transfer news") < html.index("Final score")
    assert "Markets rally" not in html


def test_section_with_unicode_slug(client):
    """A section named in Persian is served at its Persian slug."""
    section = make_section("خاورمیانه")
    make_story("Story in it", section=section)
    assert section.slug == "خاورمیانه"
    assert b"Story in it" in client.get(section.get_absolute_url()).content


def test_story_page_query_count_is_constant(client, django_assert_max_num_queries):
    """The story page costs a fixed number of queries, however many authors and comments."""
    story = make_story("Counted")
    for n in range(5):
        story.authors.add(make_author(f"Author {n}"))
    with django_assert_max_num_queries(12):
        client.get(story.get_absolute_url())


def test_canonical_link_uses_request_host_or_site_url(client, seed_story, settings):
    """The canonical URL is absolute: on the request's host and port, or on SITE_URL when set."""
    path = seed_story.get_absolute_url()
    html = client.get(path, HTTP_HOST="127.0.0.1:8123").content.decode()
    assert f'<link rel="canonical" href="http://127.0.0.1:8123{path}">' in html
    settings.SITE_URL = "https://news.example.org"
    html = client.get(path).content.decode()
    assert f'<link rel="canonical" href="https://news.example.org{path}">' in html


def test_navigation_marks_the_current_section(client):
    """On a section page and its stories, the header's link to that section has aria-current."""
    section = make_section("Business")
    story = make_story("Markets rally", section=section)
    for url in [section.get_absolute_url(), story.get_absolute_url()]:
        assert b'<a href="/section/business" aria-current="page">Business</a>' in client.get(url).content
