"""What the import's shortcuts must keep: News IDs given by files are never handed out again (whatever order they
come in, and on a second import), the summary is the first paragraph cut as Truncator cuts it, and a story found by
its News ID is updated in place."""

import json
from datetime import UTC, datetime

import pytest
from django.utils.text import Truncator

from dateline.articles.models import NewsNumber, Story
from dateline.transfer.formats.plaintext import summary_of

from .factories import make_story, run_import, story, write

pytestmark = pytest.mark.django_db


def story_file(news_id, headline, first_paragraph="Shops opened again."):
    return f"News ID: {news_id}\nPublished: 0350 GMT November 24, 2021\n\n{headline}\n\n{first_paragraph}\n\nMore.\n"


def imported(*paths):
    out, err, error = run_import(*paths)
    assert error is None, err
    return out


def test_a_story_made_after_an_import_gets_a_number_past_every_imported_one(tmp_path):
    write(tmp_path / "a" / "1.txt", story_file(5000, "High number first"))
    write(tmp_path / "b" / "2.txt", story_file(20, "Low number after"))
    assert imported(tmp_path) == "Imported 2, updated 0, refused 0.\n"
    assert NewsNumber.objects.get().last == 5000
    assert make_story("Written in the newsroom").news_id == 5001


def test_importing_again_keeps_the_sequence_and_updates_the_stories(tmp_path):
    write(tmp_path / "1.txt", story_file(300, "First headline"))
    imported(tmp_path)
    first = story("First headline")
    NewsNumber.next()  # the newsroom has handed out 301 since
    write(tmp_path / "1.txt", story_file(300, "Second headline"))
    assert imported(tmp_path) == "Imported 0, updated 1, refused 0.\n"
    again = Story.objects.get(news_id=300)
    assert (again.pk, again.headline, again.version) == (first.pk, "Second headline", 2)
    assert NewsNumber.objects.get().last == 301


def test_the_first_number_ever_reserved_starts_the_sequence():
    assert not NewsNumber.objects.exists()
    NewsNumber.reserve(42)
    NewsNumber.reserve(7)
    assert NewsNumber.objects.get().last == 42


@pytest.mark.parametrize(
    "paragraph",
    [
        "Short.",
        "x" * 300,
        "y" * 301,
        "Cafe\u0301 " * 80,  # decomposed accents: NFC makes them one character each
        "e\u0301" * 299 + "abc",
        "A sentence of words. " * 40,
    ],
)
def test_the_summary_is_what_truncator_gives(paragraph):
    assert summary_of(paragraph) == Truncator(paragraph).chars(300)


def test_an_imported_story_takes_its_first_paragraph_as_summary(tmp_path):
    long = "word " * 100
    write(tmp_path / "1.txt", story_file(1, "Long first paragraph", long))
    imported(tmp_path / "1.txt")
    assert story("Long first paragraph").summary == Truncator(long.strip()).chars(300)


def test_an_imported_document_keeps_its_creation_and_version_times(tmp_path):
    doc = {
        "uri": "urn:agency:times",
        "headlines": [{"value": "Dated from the file"}],
        "bodies": [{"value": "<p>Talks resume.</p>"}],
        "contentcreated": "2024-03-01T08:15:00Z",
        "versioncreated": "2024-03-01T09:00:00+02:00",
    }
    imported(write(tmp_path / "doc.json", json.dumps(doc)))
    stored = story("Dated from the file")
    assert stored.created_at == datetime(2024, 3, 1, 8, 15, tzinfo=UTC)
    assert stored.updated_at == datetime(2024, 3, 1, 7, 0, tzinfo=UTC)
