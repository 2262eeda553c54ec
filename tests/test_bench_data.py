"""bench/benchdata.py: a site of realistic shape for benchmarks, built with bulk inserts."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from bench import benchdata
from dateline.accounts.models import Author
from dateline.articles.html import clean_html
from dateline.articles.models import Section, Story, Tag
from dateline.articles.readcount import most_read
from dateline.comments.models import Comment
from dateline.search import search

from .factories import make_author, make_comment, make_section, make_story
from .processes import environment

pytestmark = pytest.mark.django_db
SCRIPT = Path(benchdata.__file__)


def build(**options):
    call_command(benchdata.Command(), **{"stories": 300, "verbosity": 0, **options})


def headlines():
    return list(Story.objects.order_by("news_id").values_list("headline", flat=True))


def test_builds_the_asked_numbers_of_everything():
    """300 stories, 30 sections (some nested), 2,000 tags, 300 authors, 600 approved comments, and reads."""
    build()
    assert Story.objects.published().count() == 300
    assert Section.objects.count() == 30 and Section.objects.filter(parent__isnull=False).count() == 23
    assert Tag.objects.count() == 2000 and Author.objects.count() == 300
    assert Comment.objects.approved().count() == Comment.objects.count() == 600
    assert len(most_read()) == 5  # the front's most-read box is full


def test_every_story_has_tags_bylines_and_clean_news_text():
    """1-5 tags, 1-2 authors, 6-10 paragraphs of a few hundred words, a body as Story.save() would store it, and
    publication times spread over ten years."""
    build(tags=50, authors=20)
    for story in Story.objects.prefetch_related("tags", "authors"):
        assert 1 <= len(story.tags.all()) <= 5 and 1 <= len(story.authors.all()) <= 2
        assert 6 <= story.body.count("<p>") <= 10 and 300 <= len(story.body.split()) <= 800
        assert clean_html(story.body) == story.body and story.version == 1
    assert len(Story.objects.dates("published_at", "year")) >= 10


def test_pages_show_the_stories(client):
    """The newest story is on its page, the front, and its section, tag and author pages."""
    build()
    story = Story.objects.published().latest_first().first()
    pages = [story.get_absolute_url(), "/", story.section.get_absolute_url()]
    pages += [story.tags.first().get_absolute_url(), story.authors.first().get_absolute_url()]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200 and story.headline in response.content.decode(), url


def test_search_finds_a_word_of_a_story_body():
    build()
    story = Story.objects.order_by("news_id")[150]
    word = max(clean_html(story.body).replace("<p>", " ").replace("</p>", " ").replace(".", "").split(), key=len)
    assert story in list(search(word)[:300])


def test_stories_written_later_get_the_next_news_ids():
    build(tags=50, authors=20)
    assert make_story().news_id == Story.objects.order_by("news_id")[299].news_id + 1


def test_the_same_seed_builds_the_same_site():
    build(seed=7, tags=50, authors=20)
    first = headlines()
    build(seed=7, tags=50, authors=20, replace=True)
    assert headlines() == first
    build(seed=8, tags=50, authors=20, replace=True)
    assert headlines() != first


def test_refuses_a_database_that_has_stories():
    make_story("A story of the newsroom")
    with pytest.raises(CommandError, match="--replace"):
        build()
    assert headlines() == ["A story of the newsroom"]


def test_replace_deletes_the_stories_and_what_hangs_on_them():
    """Comments, sections, tags and authors of the earlier site go too; search finds only the new stories."""
    story = make_story("Zanzibarian ferry story", section=make_section("Ferries"))
    story.authors.add(make_author())
    make_comment(story)
    assert search("Zanzibarian").count() == 1
    build(tags=50, authors=20, replace=True)
    assert Story.objects.count() == 300 and Comment.objects.count() == 600
    assert Section.objects.count() == 30 and Tag.objects.count() == 50 and Author.objects.count() == 20
    assert not Section.objects.filter(name="Ferries").exists() and search("Zanzibarian").count() == 0
    assert Client().get(Story.objects.latest_first().first().get_absolute_url()).status_code == 200


def test_progress_goes_to_standard_error_unless_quiet(capsys):
    build(stories=50, tags=50, authors=20, verbosity=1)
    lines = capsys.readouterr().err.split("\n")
    assert [line.split("\r")[-1].split()[0] for line in lines if line] == ["text", "stories", "comments", "search"]
    build(stories=50, tags=50, authors=20, replace=True, verbosity=1)
    lines = capsys.readouterr().err.split("\n")
    assert [line.split("\r")[-1].split()[0] for line in lines if line][0] == "delete"
    build(stories=50, tags=50, authors=20, replace=True)
    assert capsys.readouterr().err == ""


def test_asks_for_migrate_on_a_new_database(tmp_path):
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--stories", "10"],
        env=environment(DATELINE_VAR=str(tmp_path), DATABASE_URL=""),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0 and "dateline migrate" in result.stderr
