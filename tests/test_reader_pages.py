"""The reader's side of the newsroom: the story page's elements, live updates, section, tag and author pages."""

import html as entities
import io
import re
from datetime import UTC, datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image as Pillow

from dateline.articles.models import Correction, LiveEntry, Story, Tag
from dateline.demo import stories as demo
from dateline.images.models import Image

from .factories import make_author, make_section, make_story

pytestmark = pytest.mark.django_db
PUBLISHED = datetime(2021, 11, 24, 3, 50, tzinfo=UTC)
HIDDEN = [
    {"published": False},
    {"status": Story.Status.REVIEW, "published_at": None},
    {"status": Story.Status.UNPUBLISHED},
    {"ago": -timedelta(hours=1)},
]


def text(html):
    """The page's text as a reader sees it: tags dropped, white space collapsed."""
    return entities.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html)))


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def box(html, name):
    """The HTML of the story page's box of that class (`related`, `most-read`), or '' when it is absent."""
    match = re.search(rf'<section class="story-links {name}".*?</section>', html, re.DOTALL)
    return match[0] if match else ""


def hidden_stories(**fields):
    """One story in each state the public may not see: draft, in review, unpublished, scheduled."""
    return [make_story(f"Hidden {n}", **{**state, **fields}) for n, state in enumerate(HIDDEN)]


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


# The story page


def test_byline_links_each_author_to_their_page(client):
    """Each author in the byline links to /author/<slug>."""
    story = make_story()
    story.authors.add(make_author("Amira Haddad"), make_author("Omar Farouk"))
    html = page(client, story.get_absolute_url())
    assert re.search(
        r'By <a class="author" href="/author/(amira-haddad|omar-farouk)">(Amira Haddad|Omar Farouk)</a>, <a', html
    )
    assert '<a class="author" href="/author/omar-farouk">Omar Farouk</a>' in html


def test_byline_ends_with_reporting_credit(client):
    """A reporting credit follows the authors: "By …, with reporting by Reuters"."""
    story = make_story(reporting_credit="Reuters")
    story.authors.add(make_author("Amira Haddad"))
    html = page(client, story.get_absolute_url())
    assert 'By <a class="author" href="/author/amira-haddad">Amira Haddad</a>, with reporting by Reuters</p>' in html


def test_location_opens_the_story(client):
    """The dateline place leads the body: "BAGHDAD —"."""
    story = make_story(location="BAGHDAD", body="<p>Forces left.</p>")
    assert "BAGHDAD — Forces left." in text(page(client, story.get_absolute_url()))


def test_story_page_links_its_section_and_the_parent_section(client):
    """The story names its section, and the section above it, as links."""
    iraq = make_section("Iraq", parent=make_section("Middle East"))
    html = page(client, make_story(section=iraq).get_absolute_url())
    assert '<a href="/section/middle-east">Middle East</a> › <a href="/section/iraq">Iraq</a>' in html


def test_story_page_links_its_tags(client):
    """Each tag is a link to its tag page."""
    story = make_story()
    story.tags.add(Tag.objects.create(name="Iraq"), Tag.objects.create(name="Security forces"))
    html = page(client, story.get_absolute_url())
    assert '<a href="/tag/iraq" rel="tag">Iraq</a>' in html
    assert '<a href="/tag/security-forces" rel="tag">Security forces</a>' in html


def test_corrections_and_updates_show_with_their_time(client):
    """Notes read "Correction, 1215 GMT November 25, 2021: …" and "Update, …", oldest first."""
    story = make_story()
    Correction.objects.create(
        story=story,
        kind="update",
        text="Adds the ministry's statement.",
        created_at=datetime(2021, 11, 26, 8, 5, tzinfo=UTC),
    )
    Correction.objects.create(
        story=story,
        text="An earlier version misspelt the general's name.",
        created_at=datetime(2021, 11, 25, 12, 15, tzinfo=UTC),
    )
    shown = text(page(client, story.get_absolute_url()))
    correction = "Correction, 1215 GMT November 25, 2021: An earlier version misspelt the general's name."
    update = "Update, 0805 GMT November 26, 2021: Adds the ministry's statement."
    assert correction in shown
    assert shown.index("Correction, 1215") < shown.index(update)


def test_updated_line_shows_when_revised_after_publishing(client):
    """A story revised after it was published says "Updated: HHMM GMT Month D, YYYY" under Published."""
    story = make_story(published_at=PUBLISHED, revised_at=datetime(2021, 11, 24, 9, 5, tzinfo=UTC))
    html = page(client, story.get_absolute_url())
    assert 'Updated: <time datetime="2021-11-24T09:05:00Z">0905 GMT November 24, 2021</time>' in html
    assert html.index("Published:") < html.index("Updated:")


@pytest.mark.parametrize(
    "revised_at",
    [None, PUBLISHED + timedelta(seconds=5), PUBLISHED - timedelta(hours=1)],
    ids=["never-revised", "same-minute", "before-publishing"],
)
def test_no_updated_line_unless_revised_after_publishing(client, revised_at):
    """No "Updated:" line for a story not revised since it was published (within the minute it shows)."""
    story = make_story(published_at=PUBLISHED, revised_at=revised_at)
    assert "Updated:" not in page(client, story.get_absolute_url())


@pytest.mark.parametrize("story_type, label", [("analysis", "Analysis"), ("opinion", "Opinion")])
def test_story_type_is_labelled(client, story_type, label):
    """Analysis, opinion and the other non-news types carry their label above the headline."""
    html = page(client, make_story(story_type=story_type).get_absolute_url())
    assert f'<p class="story-type">{label}</p>' in html


def test_news_carries_no_type_label(client):
    """Plain news needs no label."""
    assert 'class="story-type"' not in page(client, make_story().get_absolute_url())


def test_lead_image_shows_with_caption_and_credit(client, settings, tmp_path):
    """The lead image appears with the story's caption and credit, or the image's own when the story gives none."""
    settings.MEDIA_ROOT = tmp_path
    png = io.BytesIO()
    Pillow.new("RGB", (40, 30), "red").save(png, "PNG")
    image = Image.objects.create(
        file=SimpleUploadedFile("red.png", png.getvalue()), alt_text="A red square", caption="Own caption", credit="AP"
    )
    story = make_story(lead_image=image, lead_image_caption="Troops at the base.")
    html = page(client, story.get_absolute_url())
    assert '<figcaption>Troops at the base. <span class="credit">AP</span></figcaption>' in html


def test_related_stories_share_tags_first_then_section_newest_first(client):
    """Related: stories sharing a tag (newest first), then others from the section (newest first)."""
    section, tag = make_section("World"), Tag.objects.create(name="Water")
    story = make_story("The story", section=section)
    story.tags.add(tag)
    make_story("Section, new", section=section, ago=timedelta(minutes=5))
    make_story("Section, old", section=section, ago=timedelta(days=3))
    make_story("Tagged, old", ago=timedelta(days=9)).tags.add(tag)
    make_story("Tagged, new", ago=timedelta(days=2)).tags.add(tag)
    make_story("Unrelated")
    related = text(box(page(client, story.get_absolute_url()), "related"))
    order = ["Tagged, new", "Tagged, old", "Section, new", "Section, old"]
    assert [related.index(headline) for headline in order] == sorted(related.index(h) for h in order)
    assert "Unrelated" not in related
    assert "The story" not in related


def test_related_stories_by_tags_alone(client):
    """A story without a section still finds stories sharing its tags, and only those."""
    tag = Tag.objects.create(name="Water")
    story = make_story("The story")
    story.tags.add(tag)
    make_story("Tagged story").tags.add(tag)
    make_story("Untagged story")
    related = box(page(client, story.get_absolute_url()), "related")
    assert "Tagged story" in related
    assert "Untagged story" not in related


def test_related_stories_are_published_only(client):
    """Drafts, stories in review, unpublished and scheduled stories are never related."""
    section = make_section("World")
    story = make_story(section=section)
    hidden_stories(section=section)
    assert box(page(client, story.get_absolute_url()), "related") == ""


def test_related_stories_are_at_most_five(client):
    """The related box lists five stories at most."""
    section = make_section("World")
    story = make_story(section=section)
    for _ in range(7):
        make_story(section=section)
    assert box(page(client, story.get_absolute_url()), "related").count("<li") == 5


# Live updates


def test_live_entries_pinned_first_then_newest_first(client):
    """A live story lists its entries: pinned first, then newest first."""
    story = make_story(story_type=Story.Type.LIVE)
    now = datetime.now(UTC)
    for minutes, body, pinned in [
        (30, "Oldest", False),
        (20, "Pinned", True),
        (10, "Middle", False),
        (1, "Newest", False),
    ]:
        LiveEntry.objects.create(
            story=story, body=f"<p>{body} entry</p>", created_at=now - timedelta(minutes=minutes), is_pinned=pinned
        )
    html = page(client, story.get_absolute_url())
    positions = [html.index(f"<p>{body} entry</p>") for body in ["Pinned", "Newest", "Middle", "Oldest"]]
    assert positions == sorted(positions)


def test_live_entry_shows_its_time(client):
    """Each entry carries its time in the dateline format, in a <time> element."""
    story = make_story(story_type=Story.Type.LIVE)
    LiveEntry.objects.create(
        story=story, body="<p>Convoy arrives.</p>", created_at=datetime(2021, 11, 25, 12, 15, tzinfo=UTC)
    )
    assert '<time datetime="2021-11-25T12:15:00Z">1215 GMT November 25, 2021</time>' in page(
        client, story.get_absolute_url()
    )


def test_news_story_shows_no_live_entries(client):
    """Entries belong to live stories only; a news story does not show them."""
    story = make_story()
    LiveEntry.objects.create(story=story, body="<p>Stray entry</p>")
    assert "Stray entry" not in page(client, story.get_absolute_url())


# Tag, author and section pages


def test_tag_page_lists_its_published_stories_newest_first(client):
    """/tag/<slug> lists the tag's published stories, newest first, and nothing else."""
    tag = Tag.objects.create(name="Drought")
    make_story("Older drought story", ago=timedelta(days=2)).tags.add(tag)
    make_story("Newer drought story").tags.add(tag)
    make_story("Untagged story")
    html = page(client, tag.get_absolute_url())
    assert "<h1>Drought</h1>" in html
    assert html.index("Newer drought story") < html.index("Older drought story")
    assert "Untagged story" not in html


def test_stories_published_at_the_same_moment_are_listed_by_news_id_on_every_list(client):
    """Ties in publication time are broken by the News ID, newest first, on the front page, the section, tag and
    author pages and their feeds alike (tag and author lists are sorted by another route than the others)."""
    section, tag, author = make_section("Weather"), Tag.objects.create(name="Storms"), make_author("Amira Haddad")
    at = {"published_at": PUBLISHED, "section": section}
    stories = [make_story(f"Storm bulletin {n}", **at) for n in (1, 2, 3)]
    for story in stories:
        story.tags.add(tag), story.authors.add(author)
    lists = [section.get_absolute_url(), tag.get_absolute_url(), author.get_absolute_url()]
    feeds = [("section", section), ("tag", tag), ("author", author)]
    lists += ["/", *(reverse(f"feeds:{kind}-rss", kwargs={"slug": obj.slug}) for kind, obj in feeds)]
    for url in lists:
        html = page(client, url)
        assert html.index("Storm bulletin 3") < html.index("Storm bulletin 2") < html.index("Storm bulletin 1"), url


def test_unknown_tag_or_author_is_404(client):
    """A tag or author that does not exist answers 404."""
    assert client.get("/tag/nothing").status_code == 404
    assert client.get("/author/nobody").status_code == 404


def test_author_page_shows_profile_and_stories(client):
    """/author/<slug> shows the author's name, role, bio and their published stories."""
    author = make_author("Amira Haddad", role="Middle East Correspondent", bio="Covers Iraq and Syria.")
    make_story("Her story").authors.add(author)
    make_story("Someone else's story")
    html = page(client, "/author/amira-haddad")
    assert "<h1>Amira Haddad</h1>" in html
    assert "Middle East Correspondent" in html
    assert "Covers Iraq and Syria." in html
    assert "Her story" in html
    assert "Someone else" not in html


def test_section_front_includes_subsection_stories(client):
    """A section's front lists its own stories and those of its sub-sections, at any depth."""
    world = make_section("World")
    europe = make_section("Europe", parent=world)
    france = make_section("France", parent=europe)
    make_story("World story", section=world)
    make_story("Europe story", section=europe)
    make_story("France story", section=france)
    make_story("Sport story", section=make_section("Sport"))
    html = page(client, world.get_absolute_url())
    assert all(headline in html for headline in ["World story", "Europe story", "France story"])
    assert "Sport story" not in html


def test_section_front_links_its_subsections(client):
    """A section's front links its direct sub-sections; a sub-section's page links back to its parent."""
    world = make_section("World")
    make_section("Europe", parent=world)
    assert '<li><a href="/section/europe">Europe</a></li>' in page(client, world.get_absolute_url())
    assert '<li><a href="/section/world">World</a></li>' in page(client, "/section/europe")


def test_subsection_page_does_not_list_the_parents_own_stories(client):
    """A sub-section's page shows only its stories, not those of the section above it."""
    world = make_section("World")
    europe = make_section("Europe", parent=world)
    make_story("World story", section=world)
    make_story("Europe story", section=europe)
    html = page(client, europe.get_absolute_url())
    assert "Europe story" in html
    assert "World story" not in html


@pytest.mark.parametrize("kind", ["section", "tag", "author"])
def test_lists_are_paginated(client, settings, kind):
    """Section, tag and author pages move older stories to later pages, linked with rel=next."""
    settings.STORIES_PER_PAGE = 2
    section, tag, author = make_section("World"), Tag.objects.create(name="Water"), make_author("Amira Haddad")
    for hours in range(1, 6):
        story = make_story(f"Story {hours}h ago", ago=timedelta(hours=hours), section=section)
        story.tags.add(tag)
        story.authors.add(author)
    url = {"section": section.get_absolute_url(), "tag": tag.get_absolute_url(), "author": "/author/amira-haddad"}[kind]
    first, last = page(client, url), page(client, f"{url}?page=3")
    assert 'rel="next"' in first
    assert "Story 1h ago" in first and "Story 5h ago" not in first
    assert "Story 5h ago" in last


@pytest.mark.parametrize("kind", ["section", "tag", "author"])
def test_lists_never_show_unpublished_or_scheduled_stories(client, kind):
    """Section, tag and author pages list only what the public may see."""
    section, tag, author = make_section("World"), Tag.objects.create(name="Water"), make_author("Amira Haddad")
    for story in [make_story("Visible story", section=section), *hidden_stories(section=section)]:
        story.tags.add(tag)
        story.authors.add(author)
    url = {"section": section.get_absolute_url(), "tag": tag.get_absolute_url(), "author": "/author/amira-haddad"}[kind]
    html = page(client, url)
    assert "Visible story" in html
    assert "Hidden" not in html


# Query counts


def rich_story(n):
    """A story with `n` authors, tags, corrections, live entries and related stories in its section and tags."""
    section = make_section(f"Section {n}", parent=make_section(f"Parent {n}"))
    story = make_story(section=section, story_type=Story.Type.LIVE, reporting_credit="Reuters")
    for i in range(n):
        author, tag = make_author(f"Author {n}-{i}"), Tag.objects.create(name=f"Tag {n}-{i}")
        story.authors.add(author)
        story.tags.add(tag)
        Correction.objects.create(story=story, text=f"Correction {i}")
        LiveEntry.objects.create(story=story, body=f"<p>Entry {i}</p>")
        other = make_story(section=section)
        other.tags.add(tag)
        other.authors.add(author)
    return story


def test_story_page_query_count_does_not_grow_with_its_content(client):
    """A story with eight authors, tags, notes, entries and related stories costs what a story with one does."""
    small, large = rich_story(1), rich_story(8)
    assert queries(client, small.get_absolute_url()) == queries(client, large.get_absolute_url())


@pytest.mark.parametrize("kind", ["section", "tag", "author"])
def test_list_pages_cost_a_fixed_number_of_queries(client, django_assert_max_num_queries, kind):
    """Section, tag and author pages cost a few queries, however many stories, sections, tags and authors."""
    story = rich_story(8)
    tag, author = story.tags.first(), story.authors.first()
    url = {
        "section": story.section.parent.get_absolute_url(),
        "tag": tag.get_absolute_url(),
        "author": f"/author/{author.slug}",
    }[kind]
    with django_assert_max_num_queries(5):
        page(client, url)


LISTS = ["/", "/rss.xml", "/atom.xml", "/news-sitemap.xml", "/sitemap-stories.xml", "/search?q=story", "/sitemap.xml"]


@pytest.mark.parametrize("url", LISTS)
def test_front_page_feeds_sitemaps_and_search_cost_the_same_for_any_number_of_stories(client, url):
    """Listing many rich stories costs the queries that listing two does (no query per story)."""
    rich_story(1)
    few = queries(client, url)
    for n in range(2, 6):
        rich_story(n)
    assert queries(client, url) == few


# Demo content


def test_demo_content_shows_the_reader_side():
    """`dateline demo` tags every story (about twenty tags), adds live stories with entries and a correction."""
    demo.load()
    stories = Story.objects.filter(is_demo=True)
    assert not stories.filter(tags=None).exists()
    assert 15 <= Tag.objects.filter(stories__language="en").distinct().count() <= 25  # the English newsroom's
    live = stories.filter(story_type=Story.Type.LIVE)
    assert live.exists() and all(story.live_entries.count() >= 3 for story in live)
    assert Correction.objects.filter(story__in=stories).exists()


def test_author_page_shows_photo_role_bio_and_links(client, tmp_path, settings):
    """An author's profile shows their photo, role, biography and links."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image as PILImage

    from dateline.accounts.models import AuthorLink
    from dateline.images.models import Image

    settings.MEDIA_ROOT = tmp_path
    buffer = io.BytesIO()
    PILImage.new("RGB", (400, 400), "#336699").save(buffer, "JPEG")
    photo = Image.objects.create(file=SimpleUploadedFile("p.jpg", buffer.getvalue()), alt_text="Amira Haddad")
    author = make_author("Amira Haddad", role="Correspondent", bio="Covers Iraq.", photo=photo)
    AuthorLink.objects.create(author=author, label="Website", url="https://amira.example.org/")
    html = client.get(author.get_absolute_url()).content.decode()
    assert 'alt="Amira Haddad"' in html and 'class="author-photo"' in html
    assert "Correspondent" in html and "Covers Iraq." in html
    assert '<a href="https://amira.example.org/" rel="me noopener">Website</a>' in html
