"""A directory of plain-text files is imported by preparing each new story beforehand (in worker processes when
there are many) and writing it in its own transaction: the database ends up as the ordinary path leaves it."""

import json

import pytest
from django.db import connection

from dateline import bulkimport
from dateline.articles.importers import Report, import_file
from dateline.articles.models import NewsNumber, Story
from dateline.newsroom.models import Revision
from dateline.search import search

from .factories import run_import, write

pytestmark = pytest.mark.django_db(transaction=True)  # workers are forked: this process's connection is closed
STORY_FIELDS = ["headline", "slug", "summary", "body", "language", "status", "published_at", "version", "story_type"]


def story_file(directory, news_id, headline, *paragraphs, name=None):
    body = "\n\n".join(paragraphs or ["Shops opened again in the market <b>town</b> & the port."])
    text = f"News ID: {news_id}\nPublished: 0350 GMT November 24, 2021\n\n{headline}\n\n{body}\n"
    return write(directory / (name or f"{news_id}.txt"), text)


def files(directory, first, count):
    return [story_file(directory, first + n, f"Ceasefire holds in the north, day {n}") for n in range(count)]


def as_stored(news_id):
    """What the database holds for one story, apart from its identity and the moments it was written."""
    story = Story.objects.get(news_id=news_id)
    revision = Revision.objects.get(story=story)
    data = {key: value for key, value in revision.data.items() if key != "news_id"}
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT headline, summary, body, tags, authors FROM search_fts WHERE rowid = %s", [story.pk])
        else:
            cursor.execute(
                "SELECT headline, summary, body, tags, authors FROM search_pgdocument WHERE story_id = %s", [story.pk]
            )
        indexed = cursor.fetchone()
    return [getattr(story, name) for name in STORY_FIELDS], (revision.version, revision.changed, data), indexed


def test_bulk_import_stores_what_the_ordinary_path_stores(tmp_path):
    """Story, first revision and search document are the same, field for field, as those import_file() writes."""
    ordinary, bulk = tmp_path / "ordinary", tmp_path / "bulk"
    for path in files(ordinary, 100, 3):
        import_file(path, Report())
    report = Report()
    bulkimport.import_files(files(bulk, 200, 3), report, other=None)
    assert (report.imported, report.updated, report.refused) == (3, 0, [])
    for n in range(3):
        assert as_stored(200 + n) == as_stored(100 + n)


def test_worker_processes_prepare_many_files_in_order(tmp_path, monkeypatch):
    """With workers (forced here for six files), every story is written, in the files' order, and searchable."""
    monkeypatch.setattr(bulkimport, "POOL_AFTER", 2)
    monkeypatch.setattr(bulkimport, "WINDOW", 2)
    monkeypatch.setattr(bulkimport.os, "cpu_count", lambda: 3)
    paths = files(tmp_path, 300, 6)
    out, err, error = run_import(tmp_path)
    assert (error, out.strip()) == (None, "Imported 6, updated 0, refused 0.")
    assert list(Story.objects.order_by("pk").values_list("news_id", flat=True)) == list(range(300, 306))
    assert Revision.objects.count() == 6 and len(paths) == 6
    assert [story.news_id for story in search("ceasefire day 4")[:5]] == [304]


def test_a_known_news_id_updates_the_story_through_the_ordinary_path(tmp_path):
    """A file whose News ID is on a story already updates that story and adds a revision, as import_file does."""
    story_file(tmp_path, 400, "Ceasefire holds")
    run_import(tmp_path)
    story_file(tmp_path, 400, "Ceasefire breaks down")
    out, err, error = run_import(tmp_path)
    assert out.strip() == "Imported 0, updated 1, refused 0."
    story = Story.objects.get(news_id=400)
    assert story.headline == "Ceasefire breaks down" and story.revisions.count() == 2


def test_numbers_below_the_highest_given_are_checked_against_existing_stories(tmp_path):
    """Files out of order: a number below the sequence's last is new when no story has it, an update when one does."""
    story_file(tmp_path, 900, "Latest first")
    run_import(tmp_path)
    story_file(tmp_path / "older", 500, "An older story")
    story_file(tmp_path / "again", 900, "Latest first, corrected")
    out, err, error = run_import(tmp_path / "older", tmp_path / "again")
    assert out.strip() == "Imported 1, updated 1, refused 0."
    assert Story.objects.get(news_id=900).headline == "Latest first, corrected"
    assert NewsNumber.objects.get().last == 900


def test_a_bad_file_among_good_ones_is_refused_alone(tmp_path):
    """A malformed file is reported with its path and line; the files around it are imported."""
    files(tmp_path, 600, 2)
    write(tmp_path / "602.txt", "News ID: 602\nPublished: yesterday\n\nHeadline\n\nBody.\n")
    out, err, error = run_import(tmp_path)
    assert out.strip() == "Imported 2, updated 0, refused 1."
    assert f"{tmp_path / '602.txt'}:2:" in err
    assert Story.objects.count() == 2 and Revision.objects.count() == 2


def test_files_of_other_formats_in_the_directory_go_to_their_importer(tmp_path):
    """A ninjs document next to story files is imported by the ninjs importer."""
    files(tmp_path, 700, 1)
    document = {"uri": "urn:agency:1", "headlines": [{"value": "Grain corridor reopens"}]}
    document["bodies"] = [{"value": "<p>Talks resume.</p>"}]
    write(tmp_path / "agency.json", json.dumps(document))
    out, err, error = run_import(tmp_path)
    assert (error, out.strip()) == (None, "Imported 2, updated 0, refused 0.")
    assert set(Story.objects.values_list("headline", flat=True)) == {
        "Ceasefire holds in the north, day 0",
        "Grain corridor reopens",
    }


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's write-ahead log only")
def test_checkpoints_are_spaced_out_while_importing_and_back_to_the_default_after():
    """The import spaces SQLite's checkpoints out while it runs, on a connection opened meanwhile too, and leaves
    the connection as it found it."""
    with bulkimport.checkpoints_apart():
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_autocheckpoint")
            assert cursor.fetchone()[0] == bulkimport.IMPORT_CHECKPOINT_PAGES
        connection.close()  # as starting the workers does
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_autocheckpoint")
            assert cursor.fetchone()[0] == bulkimport.IMPORT_CHECKPOINT_PAGES
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_autocheckpoint")
        assert cursor.fetchone()[0] == 1000


def test_a_file_gone_before_it_is_read_is_refused_with_the_reason(tmp_path):
    """A file that cannot be read is reported as the ordinary path reports it."""
    report = Report()
    bulkimport.import_files([tmp_path / "gone.txt"], report, other=None)
    assert report.refused == [f"{tmp_path / 'gone.txt'}: cannot be read (No such file or directory)"]
