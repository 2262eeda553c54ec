"""Imported stories get what a story saved in the newsroom gets: a first revision and a place in the search index,
in the same transaction as the story, so a file that fails leaves neither behind."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from dateline import pagecache
from dateline.articles.models import Story
from dateline.newsroom.models import Revision
from dateline.search import search
from dateline.search.models import FtsDocument, PgDocument

from .factories import make_author, make_story, run_import, write
from .test_pagecache import get

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(autouse=True)
def site(settings, tmp_path):
    settings.SITE_URL = "https://news.example"
    settings.MEDIA_ROOT = tmp_path / "media"


def plain_text(headline="Ceasefire holds in the northern hills", news_id=318214, body="Shops opened again."):
    return f"News ID: {news_id}\nPublished: 0350 GMT November 24, 2021\n\n{headline}\n\n{body}\n\nMore to come.\n"


def ninjs(headline, uri="urn:agency:1", **fields):
    return {"uri": uri, "headlines": [{"value": headline}], "bodies": [{"value": "<p>Talks resume.</p>"}], **fields}


def imported(*paths):
    """Run `dateline import`; its summary line. Every item must import."""
    out, err, error = run_import(*paths)
    assert error is None, err
    return out


def index_rows():
    """How many stories the search index holds, whichever database runs the tests."""
    return (FtsDocument if connection.vendor == "sqlite" else PgDocument).objects.count()


def found(words):
    return [story.headline for story in search(words)[:10]]


def only_revision(story):
    (revision,) = Revision.objects.filter(story=story)
    return revision


# Every importer


def test_a_plain_text_story_has_one_revision_with_its_content(tmp_path):
    """The imported file's headline and body are kept as the story's first version, saved by nobody."""
    imported(write(tmp_path / "story.txt", plain_text()))
    story = Story.objects.get()
    revision = only_revision(story)
    assert (revision.version, revision.user, revision.changed) == (story.version, None, [])
    assert revision.data["headline"] == "Ceasefire holds in the northern hills"
    assert revision.data["body"] == story.body and "Shops opened again." in story.body


def test_a_plain_text_story_is_found_by_search(tmp_path):
    """Search finds the story by a word of its headline as soon as the import ends."""
    imported(write(tmp_path / "story.txt", plain_text()))
    assert found("ceasefire northern") == ["Ceasefire holds in the northern hills"]


def test_a_ninjs_story_has_one_revision_with_its_tags_and_bylines(tmp_path):
    """A ninjs document's subjects and people are in its revision, as the newsroom keeps them."""
    doc = ninjs("Grain corridor reopens", subjects=[{"name": "Trade"}], people=[{"name": "Amira Haddad"}])
    imported(write(tmp_path / "story.json", json.dumps(doc)))
    story = Story.objects.get()
    revision = only_revision(story)
    assert revision.data["headline"] == "Grain corridor reopens" and revision.data["tags"] == ["Trade"]
    assert revision.data["authors"] == [story.authors.get().pk]
    assert found("grain corridor") == ["Grain corridor reopens"]


def test_feed_entries_each_have_one_revision_and_are_found(tmp_path):
    """Every story an RSS feed gives has exactly one revision, with the entry's categories as tags."""
    run_import(FIXTURES / "feed-rss.xml")  # two of its entries are refused on purpose
    stories = Story.objects.all()
    assert stories and all(story.revisions.count() == 1 for story in stories)
    basra = Story.objects.get(headline="Basra oil exports reach a two-year high")
    assert only_revision(basra).data["tags"] == ["Energy", "Iraq"]
    assert "Basra oil exports reach a two-year high" in found("basra oil exports")


def test_wordpress_posts_each_have_one_revision_and_are_found(tmp_path):
    """Every post of a WordPress export becomes a story with exactly one revision."""
    run_import(FIXTURES / "wordpress-export.xml")
    stories = Story.objects.all()
    assert stories and all(story.revisions.count() == 1 for story in stories)
    harbour = Story.objects.get(headline="Harbour reopens after storm")
    assert only_revision(harbour).data["headline"] == "Harbour reopens after storm"
    assert "Harbour reopens after storm" in found("harbour reopens storm")


def export_file(tmp_path, *options):
    path = tmp_path / "site.jsonl"
    call_command("export", str(path), *options, stderr=StringIO())
    return path


def test_an_exported_story_imported_again_has_one_revision_at_its_version(tmp_path):
    """An export without revisions gives each story one revision, at the version it was exported at."""
    story = make_story("Election results certified")
    story.save()  # version 2
    path = export_file(tmp_path)
    Story.objects.all().delete()
    imported(path)
    story = Story.objects.get()
    assert story.version == 2
    assert list(story.revisions.values_list("version", "data__headline")) == [(2, "Election results certified")]
    assert found("election certified") == ["Election results certified"]


def test_an_export_with_revisions_keeps_exactly_its_own(tmp_path):
    """`export --revisions` carries each story's history; importing it adds no revision of its own."""
    kept = make_story("Port reopens")
    Revision.objects.create(story=kept, version=1, changed=[], data={"headline": "Port reopens"})
    make_story("No history yet")
    path = export_file(tmp_path, "--revisions")
    Story.objects.all().delete()
    imported(path)
    assert list(Revision.objects.values_list("story__headline", "version")) == [("Port reopens", 1)]


# Failure


def test_a_line_failing_after_its_story_was_saved_leaves_no_story_revision_or_index_row(tmp_path):
    """An export line naming a byline this site lacks fails after its story row was written: all of it goes."""
    make_author("Amira Haddad")
    lines = []
    for headline, author in [("Dam inspection passes", "amira-haddad"), ("Bridge tolls rise", "nobody")]:
        line = {"kind": "story", "ninjs": ninjs(headline), "dateline": {"news_id": len(lines) + 7, "authors": [author]}}
        lines.append(json.dumps(line))
    out, err, error = run_import(write(tmp_path / "site.jsonl", "\n".join(lines)))
    assert error is not None and "nobody" in err
    assert list(Story.objects.values_list("headline", flat=True)) == ["Dam inspection passes"]
    assert Revision.objects.count() == 1 and index_rows() == 1
    assert found("bridge tolls") == []


# Importing again


def test_importing_the_same_file_again_adds_no_story_and_no_revision(tmp_path):
    """A second import of an unchanged file finds its story and keeps its one revision."""
    path = write(tmp_path / "story.txt", plain_text())
    imported(path)
    assert "updated 1" in imported(path)
    assert Story.objects.count() == Revision.objects.count() == index_rows() == 1


def test_importing_the_same_feed_again_adds_no_revision():
    """A feed imported twice leaves one revision per story."""
    run_import(FIXTURES / "feed-rss.xml")
    revisions = Revision.objects.count()
    run_import(FIXTURES / "feed-rss.xml")
    assert Revision.objects.count() == revisions == Story.objects.count()


def test_an_edited_file_imported_again_adds_a_revision_naming_what_changed(tmp_path):
    """A changed headline makes a second revision whose changed fields name it; search finds the new words."""
    imported(write(tmp_path / "story.txt", plain_text()))
    imported(write(tmp_path / "story.txt", plain_text(headline="Ceasefire broken in the northern hills")))
    story = Story.objects.get()
    latest, first = story.revisions.all()
    assert (latest.version, first.version) == (story.version, 1)
    assert "headline" in latest.changed and "body" not in latest.changed
    assert found("ceasefire broken") == ["Ceasefire broken in the northern hills"]


# The page cache


@pytest.fixture
def page_cache(tmp_path, settings):
    """A page cache of its own, as `dateline serve` runs it."""
    settings.PAGE_CACHE, settings.VAR_DIR = True, tmp_path
    pagecache.store.cache_clear()
    yield
    pagecache.store.cache_clear()


@pytest.mark.django_db(transaction=True)
def test_pages_cached_before_an_import_are_current_after_it(tmp_path, page_cache):
    """The feed lists a newly imported story, and an updated story's page shows its new headline, at once."""
    path = write(tmp_path / "story.txt", plain_text())
    imported(path)
    story = Story.objects.get()
    for page in ("/rss.xml", story.get_absolute_url()):
        get(page)
        assert get(page).cache == "hit"
    imported(write(tmp_path / "other.txt", plain_text(headline="Grain corridor reopens", news_id=318215)))
    imported(write(path, plain_text(headline="Ceasefire broken in the northern hills")))
    assert b"Grain corridor reopens" in get("/rss.xml").body
    assert b"Ceasefire broken in the northern hills" in get(story.get_absolute_url()).body
