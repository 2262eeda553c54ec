"""Importing many stories quickly, each still in its own transaction: the plain-text files of `dateline import
DIRECTORY`, and the story lines of a `dateline export` file.

Most of the work on a story is Python: reading and parsing it, sanitising the body, building the search document and
the first revision, and Django compiling the INSERTs. For a story that is new (the usual case in an import), all of
it is done beforehand, in other processes when the machine has more than one core (`prepare_file`, `prepare_line`):
the story's row, and what the receivers of `articles.signals.story_prepared` make ready on it (the search document,
the first revision's snapshot). What remains for the writing process is one transaction per story (`Writer`):
reserve the News ID, look up what the story links to (section, tags, bylines, lead image: remembered for the next
stories), insert the story and its links as prepared statements, and send what an ordinary save sends (post_save,
m2m_changed, story_imported), so the search index's, the page cache's and the newsroom's receivers write their part
as they do for any story (tests compare the two paths, row by row); commit. A story whose News ID exists already
takes the ordinary path, as every other importer does.
"""

import dataclasses
import functools
import json
import multiprocessing
import os
from collections import deque
from contextlib import contextmanager
from itertools import islice

from django.db import connections, router, transaction
from django.db.models.signals import m2m_changed, post_save

from dateline.articles.models import NewsNumber, Story
from dateline.articles.signals import story_imported, story_prepared
from dateline.ops.checkpoints import checkpoints_behind
from dateline.ops.inserts import PreparedInsert

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
    """A story made ready to write as a new one: the Story in memory (with what the receivers of `story_prepared` made
    ready on it) and its row's column values; `links` (an export line's StoryData, without its text) is what is
    still to look up."""

    news_id: int
    story: Story
    values: list
    links: object = None


_statements = {}


def statements():
    """This process's compiled INSERTs (compiled at first use, in the writing process and in each worker)."""
    if not _statements:
        _statements[Story] = PreparedInsert(Story)
        _statements.update(
            {link.through: PreparedInsert(link.through, returning=False) for link in (Story.tags, Story.authors)}
        )
    return _statements


def prepared_story(story):
    """Prepared for a Story in memory whose fields are all set (but links). The receivers of `story_prepared` do
    their costly part now, in the worker (the search document, the first revision's snapshot)."""
    story.prepare_to_save()
    story_prepared.send(Story, story=story)
    return Prepared(story.news_id, story, statements()[Story].values(story))


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
    return prepared_story(story)


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
    prepared = prepared_story(story)
    for name in ("created_at", "updated_at"):  # the file's, where it gives them (an export always does)
        if getattr(data, name):
            statements()[Story].set(prepared.values, name, getattr(data, name))
            setattr(story, name, getattr(data, name))
    if linked:
        prepared.links = dataclasses.replace(data, headline="", body="", summary="")
    return prepared


class Writer:
    """Writes prepared stories, each in the caller's transaction; remembers what they link to until `forget()`.

    A story written here sends what `Story.save()`, `story.tags.add()` and the importers send (post_save,
    m2m_changed, story_imported), so their receivers write the search index, the revision and the page cache's keys
    for it as for any other story. Not pre_save: the row was prepared before (receivers of story_prepared see the
    story then)."""

    def __init__(self, report):
        self.report, self.rows = report, statements()
        self.alias = router.db_for_write(Story)
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
        story, values = prepared.story, list(prepared.values)
        links = self.look_up(prepared.links) if prepared.links else NO_LINKS
        if prepared.links:
            story.section, story.lead_image = links.section, links.lead_image
            self.rows[Story].set(values, "section", story.section_id)
            self.rows[Story].set(values, "lead_image", story.lead_image_id)
        story.pk = self.rows[Story].insert(values)
        story._state.adding, story._state.db = False, self.alias
        post_save.send(Story, instance=story, created=True, update_fields=None, raw=False, using=self.alias)
        self.link(story, Story.tags, links.tags)
        self.link(story, Story.authors, links.authors)
        if prepared.links and (prepared.links.corrections or prepared.links.live_entries):
            replace_notes(story, prepared.links, created=True)
        story_imported.send(Story, story=story, created=True, tags=links.tags, authors=links.authors)

    def link(self, story, related, objs):
        """A new story's rows in the many-to-many table of `related` (Story.tags, Story.authors), announced as
        `related.add()` announces them."""
        if not objs:
            return
        own, other = related.field.m2m_column_name(), related.field.m2m_reverse_name()
        pk_set = {obj.pk for obj in objs}
        announce = functools.partial(
            m2m_changed.send,
            related.through,
            instance=story,
            reverse=False,
            model=related.field.related_model,
            pk_set=pk_set,
            using=self.alias,
        )
        announce(action="pre_add")
        self.rows[related.through].insert_ids({own: story.pk, other: obj.pk} for obj in objs)
        announce(action="post_add")

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


NO_LINKS = Links(section=None, lead_image=None, tags=[], authors=[])


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
