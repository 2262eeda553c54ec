"""Importing many stories quickly, each still in its own transaction: the plain-text files of `dateline import
DIRECTORY`, and the story lines of a `dateline export` file.

Most of the work on a story is Python: reading and parsing it, sanitising the body, building the search document and
the first revision, and Django compiling the INSERTs. For a story that is new (the usual case in an import), all of
it is done beforehand, in other processes when the machine has more than one core (`prepare_file`, `prepare_line`).
What remains for the writing process is one transaction of prepared statements per story (`Writer`): reserve the
News ID, look up what the story links to (section, tags, bylines, lead image: remembered for the next stories),
insert the story, its search document, its first revision and its links, commit. The result is what `Story.save()`,
the search index's and page cache's receivers and the newsroom's `story_imported` receiver make of a new story
(tests compare the two, row by row); a story whose News ID exists already takes that ordinary path, as every other
importer does.
"""

import dataclasses
import json
import multiprocessing
import os
from collections import deque
from contextlib import contextmanager
from itertools import islice

from django.db import connections, router, transaction

from dateline import pagecache
from dateline.articles.cachekeys import author_list_key as author_list
from dateline.articles.cachekeys import section_list_key as section_list
from dateline.articles.cachekeys import tag_list_key as tag_list
from dateline.articles.models import NewsNumber, Story
from dateline.newsroom.models import Revision
from dateline.newsroom.revisions import first_revision
from dateline.ops.checkpoints import checkpoints_behind
from dateline.ops.inserts import PreparedInsert
from dateline.pagecache.hints import EVERY_LIST
from dateline.search import indexing
from dateline.search.documents import document, with_links

from .detect import Format, sniff_file
from .formats import plaintext
from .formats.ninjs import authors_for, fill_story, image_for, replace_notes, section_of, story_data
from .report import Refused
from .stories import story_numbered, tags_named

# Below this many stories an import is done in this process: starting workers costs more than it saves.
POOL_AFTER = 200
CHUNK = 32  # stories a worker prepares per hand-over
WINDOW = 1000  # stories handed to the workers at a time: at most two windows are prepared ahead of the writing


@dataclasses.dataclass
class Prepared:
    """A story made ready to write as a new one: its row's and first revision's column values and its search
    document; `links` (an export line's StoryData, without its text) is what is still to look up, and `snapshot`
    the revision's data to complete with it."""

    news_id: int
    story: list
    revision: list
    document: object
    links: object = None
    snapshot: dict | None = None


_statements = {}


def statements():
    """This process's compiled INSERTs (compiled at first use, in the writing process and in each worker)."""
    if not _statements:
        _statements.update({Story: PreparedInsert(Story), Revision: PreparedInsert(Revision)})
        _statements.update(
            {link.through: PreparedInsert(link.through, returning=False) for link in (Story.tags, Story.authors)}
        )
    return _statements


def prepared_story(story):
    """Prepared for a Story in memory whose fields are all set (but links), and its first Revision."""
    story.prepare_to_save()
    rows = statements()
    revision = first_revision(story)
    values = rows[Story].values(story), rows[Revision].values(revision)
    return Prepared(story.news_id, *values, document(story)), revision


def prepare_file(path):
    """A plain-text file made ready to write (Prepared), or Refused, or the Format of a file for another importer."""
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
    plaintext.fill_plaintext_story(story, parsed)
    return prepared_story(story)[0]


def prepare_line(line):
    """An export file's story line made ready to write, or None: the writer then imports the line the ordinary way
    (a line of another kind, a story with the revisions `export --revisions` wrote, a line it refuses)."""
    try:
        item = json.loads(line)
        if not isinstance(item, dict) or item.get("kind") != "story":
            return None
        if (item.get("dateline") or {}).get("revisions") is not None:  # as reimport.import_story reads it
            return None
        data = story_data(item)
    except (Refused, ValueError, KeyError, TypeError, AttributeError):
        return None
    story = Story(news_id=data.news_id)
    fill_story(story, data)
    linked = data.section or data.tags or data.authors or data.lead_image or data.corrections or data.live_entries
    prepared, revision = prepared_story(story)
    for name in ("created_at", "updated_at"):  # the file's, where it gives them (an export always does)
        if getattr(data, name):
            statements()[Story].set(prepared.story, name, getattr(data, name))
    if linked:
        prepared.links = dataclasses.replace(data, headline="", body="", summary="")
        prepared.snapshot = revision.data
    return prepared


class Writer:
    """Writes prepared stories, each in the caller's transaction; remembers what they link to until `forget()`."""

    def __init__(self, report):
        self.report, self.rows = report, statements()
        self.known = {}  # (kind, key) → what `each` found

    def write(self, prepared):
        """Write a new story in its own transaction and count it; False, writing nothing, when its News ID is taken."""
        with transaction.atomic():
            created = self.new_story(prepared)
        if created:
            self.report.saved(True)
        return created

    def new_story(self, prepared):
        """Write the story when its News ID is on none yet (True); else write nothing (False)."""
        # A number above all those given so far is on no story: the usual case, an archive imported in order.
        if not (NewsNumber.reserve(prepared.news_id) or story_numbered(prepared.news_id) is None):
            return False
        self.insert(prepared)
        return True

    def insert(self, prepared):
        story, revision, document = list(prepared.story), list(prepared.revision), prepared.document
        keys = [EVERY_LIST]  # a new story joins lists; no page showed it before (ids are never reused)
        if prepared.links:
            links = self.look_up(prepared.links)
            self.rows[Story].set(story, "section", links.section and links.section.pk)
            self.rows[Story].set(story, "lead_image", links.lead_image and links.lead_image.pk)
            snapshot = {
                **prepared.snapshot,
                "section_id": links.section and links.section.pk,
                "lead_image_id": links.lead_image and links.lead_image.pk,
                "tags": sorted(tag.name for tag in links.tags),
                "authors": sorted(author.pk for author in links.authors),
            }
            self.rows[Revision].set(revision, "data", snapshot)
            document = with_links(document, [tag.name for tag in links.tags], [a.name for a in links.authors])
            keys += [section_list(links.section.pk)] if links.section else []
            keys += [*(tag_list(tag.pk) for tag in links.tags), *(author_list(a.pk) for a in links.authors)]
        story_id = self.rows[Story].insert(story)
        indexing.add([dataclasses.replace(document, story_id=story_id)])
        self.rows[Revision].set(revision, "story", story_id)
        self.rows[Revision].insert(revision)
        if prepared.links:
            self.link(story_id, Story.tags, links.tags)
            self.link(story_id, Story.authors, links.authors)
            if prepared.links.corrections or prepared.links.live_entries:
                replace_notes(Story(pk=story_id), prepared.links, created=True)
        transaction.on_commit(lambda: pagecache.invalidate(keys))

    def link(self, story_id, related, objs):
        """A new story's rows in the many-to-many table of `related` (Story.tags, Story.authors)."""
        own, other = related.field.m2m_column_name(), related.field.m2m_reverse_name()
        self.rows[related.through].insert_ids({own: story_id, other: obj.pk} for obj in objs)

    def look_up(self, data):
        """The section, lead image, tags and bylines an export line names, found (or made) as the ordinary path
        finds them."""
        section = None
        if data.section:
            [section] = self.each("section", [data.section["slug"]], lambda slugs: [section_of(data.section)])
        bylines = [byline["slug"] for byline in data.authors]
        return Links(
            section=section,
            lead_image=image_for(data.lead_image),
            tags=self.each("tag", data.tags, tags_named),
            authors=self.each("author", bylines, lambda slugs: authors_for([{"slug": slug} for slug in slugs])),
        )

    def each(self, kind, keys, find):
        """find([key]) for each key, remembered for the next stories: what was found, each once, in order."""
        found = []
        for key in keys:
            if (kind, key) not in self.known:
                self.known[kind, key] = find([key])
            found += [obj for obj in self.known[kind, key] if obj not in found]
        return found

    def forget(self):
        """Look sections, tags and bylines up again from now on: a line changed them, or a transaction that looked
        them up was rolled back."""
        self.known.clear()


@dataclasses.dataclass
class Links:
    """What an export line's story links to, as found in this site."""

    section: object
    lead_image: object
    tags: list
    authors: list


def import_files(paths, report, other):
    """Import plain-text story files, in this order; `other(path, report)` imports a file of another format."""
    with preparing(prepare_file, paths, len(paths)) as outcomes:
        writer = Writer(report)
        for path, outcome in zip(paths, outcomes, strict=True):
            if isinstance(outcome, Prepared):
                if not writer.write(outcome):
                    plaintext.import_file(path, report)  # an update: the ordinary path
            elif isinstance(outcome, Refused):
                report.refused.append(outcome.located(path))
            else:
                other(path, report)


@contextmanager
def prepared_lines(path, count):
    """(number, line, Prepared or None) for each of the `count` lines of an export file (see prepare_line)."""
    with open(path, "rb") as lines, open(path, "rb") as to_prepare:  # read twice: by the writer, for the workers
        with preparing(prepare_line, to_prepare, count) as outcomes:
            numbered = enumerate(lines, start=1)
            yield ((number, line, outcome) for (number, line), outcome in zip(numbered, outcomes, strict=True))


@contextmanager
def preparing(function, items, count):
    """function(item) for each of the `count` items, in order: by worker processes when there are many and cores to
    spare (SQLite then checkpoints in the background meanwhile)."""
    workers = min(count // POOL_AFTER, (os.cpu_count() or 1) - 1)
    if workers < 1:
        yield map(function, items)
        return
    connections.close_all()  # a forked worker must not share this process's database connections
    with multiprocessing.get_context("fork").Pool(workers) as pool, checkpoints_behind(router.db_for_write(Story)):
        yield windows(pool, function, iter(items))


def windows(pool, function, items):
    """The pool's function(item) of each item, handed out WINDOW items at a time, the next window while this one is
    read."""
    ahead = deque()
    while window := list(islice(items, WINDOW)):
        ahead.append(pool.imap(function, window, chunksize=CHUNK))
        if len(ahead) > 1:
            yield from ahead.popleft()
    while ahead:
        yield from ahead.popleft()
