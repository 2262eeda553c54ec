"""A directory of plain-text files, and the story lines of an export file, are imported by preparing each new story
beforehand (in worker processes when there are many) and writing it in its own transaction: the database ends up
as the ordinary path leaves it."""

import json

import pytest
from django.db import connection
from django.db.models.signals import m2m_changed, post_save

from dateline.accounts.models import Author
from dateline.articles.models import NewsNumber, Section, Story, Tag
from dateline.articles.signals import story_imported
from dateline.images.models import Image
from dateline.newsroom.models import Revision
from dateline.ops import checkpoints
from dateline.search import search
from dateline.transfer import bulk, reimport
from dateline.transfer.formats.plaintext import import_file
from dateline.transfer.report import Report

from .factories import run_import, write
from .processes import run_dateline
from .test_export import empty_the_site, export, newsroom

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
    return [getattr(story, name) for name in STORY_FIELDS], (revision.version, revision.changed, data), indexed(story)


def indexed(story):
    """What the search index holds for a story."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT headline, summary, body, tags, authors FROM search_fts WHERE rowid = %s", [story.pk])
        else:
            cursor.execute(
                "SELECT headline, summary, body, tags, authors FROM search_pgdocument WHERE story_id = %s", [story.pk]
            )
        return cursor.fetchone()


def test_bulk_import_stores_what_the_ordinary_path_stores(tmp_path):
    """Story, first revision and search document are the same, field for field, as those import_file() writes."""
    ordinary, fast = tmp_path / "ordinary", tmp_path / "bulk"
    for path in files(ordinary, 100, 3):
        import_file(path, Report())
    report = Report()
    bulk.import_files(files(fast, 200, 3), report, other=None)
    assert (report.imported, report.updated, report.refused) == (3, 0, [])
    for n in range(3):
        assert as_stored(200 + n) == as_stored(100 + n)


def test_worker_processes_prepare_many_files_in_order(tmp_path, monkeypatch):
    """With workers (forced here for six files), every story is written, in the files' order, and searchable."""
    monkeypatch.setattr(bulk, "POOL_AFTER", 2)
    monkeypatch.setattr(bulk, "WINDOW", 2)
    monkeypatch.setattr(bulk.os, "cpu_count", lambda: 3)
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
    with checkpoints.checkpoints_apart():
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_autocheckpoint")
            assert cursor.fetchone()[0] == checkpoints.IMPORT_CHECKPOINT_PAGES
        connection.close()  # as starting the workers does
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_autocheckpoint")
            assert cursor.fetchone()[0] == checkpoints.IMPORT_CHECKPOINT_PAGES
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_autocheckpoint")
        assert cursor.fetchone()[0] == 1000


def test_a_file_gone_before_it_is_read_is_refused_with_the_reason(tmp_path):
    """A file that cannot be read is reported as the ordinary path reports it."""
    report = Report()
    bulk.import_files([tmp_path / "gone.txt"], report, other=None)
    assert report.refused == [f"{tmp_path / 'gone.txt'}: cannot be read (No such file or directory)"]


# Export files


@pytest.fixture
def media(settings, tmp_path):
    settings.SITE_URL = "https://news.example"
    settings.MEDIA_ROOT = tmp_path / "media"


def site_stories():
    """Every story as stored, with its revision, search document, links and notes; what it links to by its natural
    key (slug, file name), as the ids differ from one import to the next."""
    sections = dict(Section.objects.values_list("pk", "slug"))
    images = dict(Image.objects.values_list("pk", "file"))
    authors = dict(Author.objects.values_list("pk", "slug"))
    stories = {}
    for story in Story.objects.order_by("news_id"):
        fields = {field.attname: field.value_from_object(story) for field in Story._meta.concrete_fields}
        [revision] = Revision.objects.filter(story=story)
        data = {**revision.data, "authors": [authors[pk] for pk in revision.data["authors"]]}
        for row in (fields, data):
            row.pop("id", None)
            row["section_id"], row["lead_image_id"] = sections.get(row["section_id"]), images.get(row["lead_image_id"])
        stories[story.news_id] = {
            "fields": fields,
            "revision": (revision.version, revision.changed, data),
            "indexed": indexed(story),
            "tags": sorted(story.tags.values_list("name", flat=True)),
            "authors": sorted(story.authors.values_list("slug", flat=True)),
            "corrections": list(story.corrections.values_list("kind", "text", "created_at")),
            "live": list(story.live_entries.values_list("body", "created_at", "is_pinned")),
        }
    return stories


def import_each_line_the_ordinary_way(path):
    report, writer = Report(), bulk.Writer(Report())
    for number, line in enumerate(path.read_bytes().splitlines(keepends=True), start=1):
        reimport.import_line(path, number, line, report, writer)
    return report


@pytest.fixture
def written(monkeypatch):
    """The News IDs of the stories the writer inserted itself (not through the ordinary path)."""
    news_ids = []
    insert = bulk.Writer.insert

    def noting(writer, prepared):
        news_ids.append(prepared.news_id)
        return insert(writer, prepared)

    monkeypatch.setattr(bulk.Writer, "insert", noting)
    return news_ids


def test_export_lines_store_what_the_ordinary_path_stores(tmp_path, media, written):
    """Stories with a section, tags, bylines, a lead image, corrections and live entries: rows, revision, search
    document, links and notes are the same, field for field, as those the ordinary path writes."""
    newsroom()
    _, path = export(tmp_path)
    empty_the_site()
    report = import_each_line_the_ordinary_way(path)
    assert report.refused == [] and written == []
    ordinary = site_stories()
    empty_the_site()
    report = Report()
    reimport.import_export_file(path, report)
    assert report.refused == [] and sorted(written) == sorted(ordinary)
    assert site_stories() == ordinary
    assert Story.objects.get(headline="Port reopens").tags.count() == 2


def test_worker_processes_prepare_export_lines_in_order(tmp_path, media, monkeypatch, written):
    """With workers (forced here), every line is imported in order: sections, tags and bylines before the stories
    that name them, bad lines refused by their number."""
    monkeypatch.setattr(bulk, "POOL_AFTER", 2)
    monkeypatch.setattr(bulk, "WINDOW", 3)
    monkeypatch.setattr(bulk.os, "cpu_count", lambda: 3)
    newsroom()
    lines, path = export(tmp_path)
    empty_the_site()
    with path.open("a") as file:
        file.write("{broken\n")
    out, err, error = run_import(path)
    assert out.strip() == f"Imported {len(lines)}, updated 0, refused 1."
    assert err.startswith(f"{path}:{len(lines) + 1}: ")
    assert len(written) == 6
    port = Story.objects.get(headline="Port reopens")
    assert port.section.slug == "middle-east"
    assert sorted(port.tags.values_list("slug", flat=True)) == ["iraq", "shipping"]
    assert [story.headline for story in search("port reopens")[:1]] == ["Port reopens"]


def story_line(news_id, headline, **extension):
    ninjs = {"uri": f"urn:test:{news_id}", "headlines": [{"value": headline}], "bodies": [{"value": "<p>Text.</p>"}]}
    published = {"news_id": news_id, "status": "published", "published_at": "2024-05-01T08:00:00Z"}
    line = {"kind": "story", "ninjs": ninjs, "dateline": {**published, **extension}}
    return json.dumps(line)


def test_what_a_line_changes_is_looked_up_again(tmp_path):
    """A byline renamed by an author line between two stories: the second story is indexed under the new name."""
    author = {"kind": "author", "slug": "amira", "name": "Amira Haddad"}
    renamed = {**author, "name": "Amira Haddad-Salem"}
    lines = [json.dumps(author), story_line(1, "First", authors=["amira"])]
    lines += [json.dumps(renamed), story_line(2, "Second", authors=["amira"])]
    path = write(tmp_path / "site.jsonl", "\n".join(lines))
    report = Report()
    reimport.import_export_file(path, report)
    assert report.refused == []
    assert indexed(Story.objects.get(news_id=2))[-1] == "Amira Haddad-Salem"
    assert sorted(story.news_id for story in search("salem")[:5]) == [1, 2]  # the first reindexed by the rename


def test_what_a_refused_story_made_is_not_remembered(tmp_path, written):
    """A story refused after its tag was made (its byline is unknown): the tag goes with it, and the next story
    with that tag makes it again rather than pointing at the tag that was rolled back."""
    lines = [story_line(1, "First", tags=["Fresh"], authors=["nobody"]), story_line(2, "Second", tags=["Fresh"])]
    path = write(tmp_path / "site.jsonl", "\n".join(lines))
    report = Report()
    reimport.import_export_file(path, report)
    assert report.refused == [f"{path}:1: no author has the slug 'nobody'"]
    assert written == [1, 2] and list(Story.objects.values_list("news_id", flat=True)) == [2]
    assert list(Story.objects.get(news_id=2).tags.values_list("name", flat=True)) == ["Fresh"]
    assert Tag.objects.count() == 1


BACKGROUND_CHECKPOINTS = """
import os, time
from django.db import connection
from dateline.ops import checkpoints
from dateline.articles.models import Story
checkpoints.CHECKPOINT_SECONDS = 0.01
database = connection.settings_dict["NAME"]
with connection.cursor() as cursor:
    cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
before = os.path.getsize(database)
with checkpoints.checkpoints_apart(), checkpoints.checkpoints_behind():
    for n in range(200):
        Story.objects.create(headline=f"Story {n}", body="<p>" + "Text. " * 300 + "</p>")
    deadline = time.monotonic() + 10
    while os.path.getsize(database) < before + 200 * 1800 and time.monotonic() < deadline:
        time.sleep(0.05)
    print(before, os.path.getsize(database))
"""


def test_the_log_is_copied_into_the_database_in_the_background(tmp_path):
    """While workers prepare, a thread checkpoints SQLite's log: the database file (on disk: the tests' own is in
    memory) takes the stories' pages though the writer's own checkpoints are 40,000 pages apart."""
    env = {"DATELINE_VAR": str(tmp_path), "DATABASE_URL": "", "REDIS_URL": ""}
    run_dateline("migrate", "--noinput", "--verbosity", "0", env=env)
    before, after = map(int, run_dateline("shell", "-c", BACKGROUND_CHECKPOINTS, env=env).split()[-2:])
    assert after >= before + 200 * 1800


# The indexes a new story is written into


def test_optional_links_are_indexed_only_where_a_story_has_one():
    """Lead image, creator and translation links, and who saved a revision, are indexed for the rows that have one;
    a story's section and a revision's story are looked up through indexes that start with them. Each lookup is
    served by an index, and a new story without links writes in none of these."""
    partial = {Story: ["lead_image", "created_by", "translation_of"], Revision: ["user"]}
    covered = {Story: "section_id", Revision: "story_id"}
    with connection.cursor() as cursor:
        for model, links in partial.items():
            constraints = connection.introspection.get_constraints(cursor, model._meta.db_table)
            assert [covered[model]] not in [c["columns"] for c in constraints.values() if c["index"]]
            for link in links:
                name = f"{model._meta.model_name}_{link}"
                assert constraints[name]["columns"] == [f"{link}_id"]
                if connection.vendor == "sqlite":
                    cursor.execute("SELECT sql FROM sqlite_master WHERE name = %s", [name])
                else:
                    cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = %s", [name])
                condition = cursor.fetchone()[0].split(" WHERE ")[1]
                assert condition.strip("()").replace('"', "") == f"{link}_id IS NOT NULL"
    if connection.vendor == "sqlite":
        for model, lookup, index in [
            *((Story, link, f"story_{link}") for link in partial[Story]),
            (Story, "section", "story_section_listing"),
            (Revision, "user", "revision_user"),
            (Revision, "story", "sqlite_autoindex_newsroom_revision_1"),  # one_revision_per_version
        ]:
            assert f"USING INDEX {index} " in model.objects.filter(**{lookup: 7}).explain()


# One write path: what the fast path writes, receivers hear


@pytest.fixture
def heard():
    """What a receiver connected now (as one added later would be) hears: post_save of a story, a story's tags or
    bylines added (m2m_changed), story_imported. Each as (signal, News ID, detail)."""
    calls = []

    def saved(sender, instance, created, **kwargs):
        calls.append(("post_save", instance.news_id, created))

    def linked(sender, instance, action, pk_set, **kwargs):
        if action == "post_add":
            calls.append((sender._meta.model_name, instance.news_id, len(pk_set)))

    def imported(sender, story, created, **kwargs):
        calls.append(("story_imported", story.news_id, created))

    receivers = [(post_save, saved, Story), (story_imported, imported, Story)]
    receivers += [(m2m_changed, linked, Story.tags.through), (m2m_changed, linked, Story.authors.through)]
    for signal, receiver, sender in receivers:
        signal.connect(receiver, sender=sender, dispatch_uid=f"test-heard-{receiver.__name__}")
    yield calls
    for signal, receiver, sender in receivers:
        signal.disconnect(receiver, sender=sender, dispatch_uid=f"test-heard-{receiver.__name__}")


def test_a_receiver_added_later_hears_every_story_the_fast_path_writes(tmp_path, monkeypatch, heard):
    """300 plain-text files, prepared by a worker process and written by the fast path: a receiver of post_save
    and one of story_imported, connected by nobody the fast path knows, each run once for every story."""
    monkeypatch.setattr(bulk.os, "cpu_count", lambda: 2)  # one worker, as on a two-core machine
    report, written_ids = Report(), list(range(5000, 5300))
    bulk.import_files(files(tmp_path, 5000, 300), report, other=None)
    assert (report.imported, report.refused) == (300, [])
    assert [news_id for signal, news_id, created in heard if signal == "post_save" and created] == written_ids
    assert [news_id for signal, news_id, created in heard if signal == "story_imported" and created] == written_ids
    assert len(heard) == 600 and Revision.objects.count() == 300


def test_a_receiver_added_later_hears_the_tags_and_bylines_the_fast_path_links(tmp_path, written, heard):
    """An export line's story written by the fast path: its tags and bylines are announced as `add()` announces
    them, between its post_save and its story_imported."""
    lines = [json.dumps({"kind": "author", "slug": "amira", "name": "Amira Haddad"})]
    lines.append(story_line(7, "Port reopens", tags=["Iraq", "Shipping"], authors=["amira"]))
    reimport.import_export_file(write(tmp_path / "site.jsonl", "\n".join(lines)), Report())
    assert written == [7]
    assert heard == [("post_save", 7, True), ("story_tags", 7, 2), ("story_authors", 7, 1), ("story_imported", 7, True)]
