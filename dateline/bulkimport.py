"""Importing many plain-text story files quickly, each still in its own transaction (`dateline import DIRECTORY`).

Most of the work on a file is Python: reading and parsing it, sanitising the body, building the search document and
the first revision, and Django compiling the INSERTs. For a story that is new (the usual case in an import), all of
it is done beforehand, in other processes when the machine has more than one core (`prepare`). What remains for the
writing process is one transaction of prepared statements per file (`Writer`): reserve the News ID, insert the
story, its search document and its first revision, commit. The result is what `Story.save()`, the search index's
`post_save` and the newsroom's `story_imported` receivers make of a new story (tests compare the two, row by row);
a story whose News ID exists already takes that ordinary path, as every other importer does.
"""

import dataclasses
import multiprocessing
import os
from collections import deque
from contextlib import contextmanager

from django.db import connections, router, transaction
from django.db.backends.signals import connection_created
from django.db.models.sql import InsertQuery

from dateline import pagecache
from dateline.articles.importers import Refused, fill_plaintext_story, plaintext, save_plaintext_story
from dateline.articles.importers.detect import Format, sniff_file
from dateline.articles.importers.stories import story_numbered
from dateline.articles.models import NewsNumber, Story
from dateline.articles.pagekeys import EVERY_LIST
from dateline.newsroom.models import Revision
from dateline.newsroom.revisions import first_revision
from dateline.search import indexing
from dateline.search.documents import document

# Below this many files an import is done in this process: starting workers costs more than it saves.
POOL_AFTER = 200
CHUNK = 32  # files a worker prepares per hand-over
WINDOW = 1000  # files handed to the workers at a time: at most two windows are prepared ahead of the writing
# SQLite copies its write-ahead log into the database every so many pages (1000 by default). A story's commit
# rewrites the same index pages as the last one's, so copying less often copies each of them once for many commits:
# measured, 15% more stories a second, for a log of up to 40 MB while the import runs.
IMPORT_CHECKPOINT_PAGES = 10_000
DEFAULT_CHECKPOINT_PAGES = 1000  # SQLite's


@dataclasses.dataclass
class Prepared:
    """A plain-text file made ready to write as a new story: the parsed file (for the ordinary path, should its
    News ID exist), the story's and its revision's column values, and its search document."""

    parsed: object
    story: list
    revision: list
    document: object


class Rows:
    """One model's INSERT, compiled by Django once; `values(obj)` prepares a row as Django's compiler does."""

    def __init__(self, model):
        self.model = model
        self.fields = [field for field in model._meta.concrete_fields if not field.primary_key]
        query = InsertQuery(model)
        query.insert_values(self.fields, [model()])
        self.compiler = query.get_compiler(using=router.db_for_write(model))
        self.compiler.returning_fields = [model._meta.pk]
        [(self.sql, _)] = self.compiler.as_sql()

    def values(self, obj):
        return [self.compiler.prepare_value(field, self.compiler.pre_save_val(field, obj)) for field in self.fields]

    def insert(self, values):
        """Insert one prepared row; its primary key."""
        with connections[router.db_for_write(self.model)].cursor() as cursor:
            cursor.execute(self.sql, values)
            return cursor.fetchone()[0] if cursor.description else cursor.lastrowid  # RETURNING, where supported

    def position(self, name):
        return self.fields.index(self.model._meta.get_field(name))


def prepare(path):
    """A file made ready to write (Prepared), or Refused, or the Format of a file for another importer."""
    try:
        format, data = sniff_file(path)
        if format != Format.PLAIN_TEXT:
            return format
        parsed = plaintext.parse(path.read_bytes() if data is None else data)
    except Refused as refusal:
        return refusal
    except OSError as error:
        return Refused(f"cannot be read ({error.strerror})")
    story = Story(news_id=parsed.news_id)
    fill_plaintext_story(story, parsed)
    story.prepare_to_save()
    rows = statements()
    revision = rows[Revision].values(first_revision(story))
    return Prepared(parsed, rows[Story].values(story), revision, document(story))


_statements = {}


def statements():
    """This process's compiled INSERTs (compiled at first use, in the writing process and in each worker)."""
    if not _statements:
        _statements.update({Story: Rows(Story), Revision: Rows(Revision)})
    return _statements


class Writer:
    """Writes prepared files, one transaction each, and counts them in the report."""

    def __init__(self, report):
        self.report, self.rows = report, statements()
        self.revision_story = self.rows[Revision].position("story")

    def write(self, prepared):
        news_id = prepared.parsed.news_id
        with transaction.atomic():
            # A number above all those given so far is on no story: the usual case, an archive imported in order.
            created = NewsNumber.reserve(news_id) or story_numbered(news_id) is None
            if created:
                self.insert(prepared)
            else:
                save_plaintext_story(prepared.parsed)
        self.report.saved(created)

    def insert(self, prepared):
        story_id = self.rows[Story].insert(prepared.story)
        indexing.add([dataclasses.replace(prepared.document, story_id=story_id)])
        revision = list(prepared.revision)
        revision[self.revision_story] = story_id
        self.rows[Revision].insert(revision)
        # A new story joins the lists; no page showed it before (ids are never reused), so no other key changes.
        transaction.on_commit(lambda: pagecache.invalidate([EVERY_LIST]))


def import_files(paths, report, other):
    """Import plain-text story files, in this order; `other(path, report)` imports a file of another format."""
    with preparing(paths) as outcomes:
        writer = Writer(report)
        for path, outcome in zip(paths, outcomes, strict=True):
            if isinstance(outcome, Prepared):
                writer.write(outcome)
            elif isinstance(outcome, Refused):
                report.refused.append(outcome.located(path))
            else:
                other(path, report)


@contextmanager
def checkpoints_apart():
    """Within the block, SQLite checkpoints its log every IMPORT_CHECKPOINT_PAGES pages (on the connection open now
    and any opened meanwhile: the workers' start closes this process's)."""
    connection = connections[router.db_for_write(Story)]

    def space_out(sender, connection, **kwargs):
        checkpoint_every(connection, IMPORT_CHECKPOINT_PAGES)

    if connection.vendor != "sqlite":
        yield
        return
    connection_created.connect(space_out)
    if connection.connection is not None:
        space_out(None, connection)
    try:
        yield
    finally:
        connection_created.disconnect(space_out)
        if connection.connection is not None:
            checkpoint_every(connection, DEFAULT_CHECKPOINT_PAGES)


def checkpoint_every(connection, pages):
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA wal_autocheckpoint = {int(pages)}")


@contextmanager
def preparing(paths):
    """prepare() of each path, in order: by worker processes when there are many files and cores to spare."""
    workers = min(len(paths) // POOL_AFTER, (os.cpu_count() or 1) - 1)
    if workers < 1:
        yield map(prepare, paths)
        return
    connections.close_all()  # a forked worker must not share this process's database connections
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        yield windows(pool, paths)


def windows(pool, paths):
    """The pool's prepare() of each path, handed out WINDOW paths at a time, the next window while this one is read."""
    ahead = deque()
    for start in range(0, len(paths), WINDOW):
        ahead.append(pool.imap(prepare, paths[start : start + WINDOW], chunksize=CHUNK))
        if len(ahead) > 1:
            yield from ahead.popleft()
    while ahead:
        yield from ahead.popleft()
