"""IPTC ninjs 2.x files into stories: `import_ninjs` reads a file, articles.ninjs maps each document to story fields
(`from_ninjs`), and `save_ninjs_story` writes them.

A file is one ninjs document, a JSON array of them, or JSON lines (one document a line). A line may also be a story
line of `dateline export` (`{"kind": "story", "ninjs": {…}, "dateline": {…}}`): its `dateline` extension carries
what ninjs cannot say (section, tags, bylines, status, corrections, live entries…), and its News ID is kept.

A document from elsewhere is keyed on its `uri`: our own short URLs (on SITE_URL) name the News ID; another
agency's `uri` is remembered (ImportedItem, source "ninjs"), so importing its next version updates the story.
"""

import codecs
import json
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import DatabaseError, connections, router, transaction
from django.utils import timezone
from django.utils.text import slugify

from dateline.accounts.models import Author
from dateline.articles import ninjs
from dateline.articles.models import Correction, LiveEntry, Section, Story
from dateline.images.models import Image, Rendition

from ..report import Refused
from ..stories import announce, imported, link, plain_text, remember, story_numbered, tags_named

SOURCE = "ninjs"  # ImportedItem.source of another agency's documents, keyed on their `uri`


# Reading


def parse_file(path):
    """(line, StoryData or Refused) for each document in the file; a bad document never stops the others.

    JSON lines are read one at a time, so a file of any size takes little memory.
    """
    with open(path, "rb") as file:
        first = file.readline().removeprefix(codecs.BOM_UTF8)
        if not is_json_line(first):
            yield from read_document(first + file.read())
            return
        yield 1, parsed(first)
        for number, line in enumerate(file, start=2):
            if line.strip():
                yield number, parsed(line)


def is_json_line(line):
    try:
        return isinstance(json.loads(line), dict)
    except ValueError:
        return False


def read_document(data):
    """One JSON document, or an array of them (the item number stands in for a line)."""
    try:
        data = json.loads(data)
    except ValueError as error:
        yield getattr(error, "lineno", None), Refused(f"not JSON ({error})", getattr(error, "lineno", None))
        return
    items = data if isinstance(data, list) else [data]
    for number, item in enumerate(items, start=1):
        result = story_data_or_refusal(item)
        if isinstance(result, Refused) and isinstance(data, list):
            result.message = f"item {number}: {result.message}"
        yield None, result


def parsed(line):
    try:
        item = json.loads(line)
    except ValueError as error:
        return Refused(f"not JSON ({error})")
    return story_data_or_refusal(item)


def story_data_or_refusal(item):
    try:
        return story_data(item)
    except Refused as refusal:
        return refusal
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        return Refused(f"a field is missing or of the wrong type ({error!r})")


def story_data(item):
    """StoryData (articles.ninjs) from a ninjs document or an export's story line."""
    if not isinstance(item, dict):
        raise Refused("a document must be a JSON object")
    if "kind" in item:
        if item["kind"] != "story":
            raise Refused(f"a {item['kind']!r} line is not a story (import the export file as a whole)")
        with refusing():
            return ninjs.from_ninjs(object_at(item, "ninjs"), object_at(item, "dateline"))
    with refusing():
        return ninjs.from_ninjs(item, None)


@contextmanager
def refusing():
    """What the ninjs mapping finds wrong (articles.ninjs.Invalid), as the importers' Refused."""
    try:
        yield
    except ninjs.Invalid as error:
        raise Refused(error.message) from None


def time_of(value, name):
    """articles.ninjs.time_of, refusing a time that does not parse."""
    with refusing():
        return ninjs.time_of(value, name)


def object_at(item, key):
    value = item.get(key)
    if not isinstance(value, dict):
        raise Refused(f"{key!r} must be a JSON object")
    return value


# Writing


def import_ninjs(path, report):
    """Import every story in a ninjs file, each in its own transaction; refusals name the line and the reason."""
    try:
        total = line_count(path)
        for line, result in parse_file(path):
            record(report, path, line, result)
            if line:
                report.advance(path, line, total)
    except OSError as error:
        report.refused.append(f"{path}: cannot be read ({error.strerror})")


def line_count(path):
    """How many lines the file has (for the progress of JSON lines), counted without keeping them."""
    with open(path, "rb") as file:
        return sum(1 for _ in file)


def record(report, path, line, result):
    if isinstance(result, Refused):
        result.line = result.line or line
        report.refused.append(result.located(path))
        return
    try:
        with transaction.atomic():
            created = save_ninjs_story(result)[1]
    except Refused as refusal:
        refusal.line = refusal.line or line
        report.refused.append(refusal.located(path))
        return
    except (KeyError, TypeError, ValueError, ValidationError, DatabaseError) as error:
        report.refused.append(Refused(f"cannot be stored ({error})", line).located(path))
        return
    report.saved(created)


def save_ninjs_story(data, announced=True):
    """Create or update the story `data` describes (with its tags, bylines, notes and entries): (story, is it new).

    An export restores everything, status included. A foreign document's status applies to a new story only: an
    update keeps the editors' decision, as the other importers do. `announced=False` keeps the save from the
    listeners (no revision is made): for an export line that carries the story's own revisions.
    """
    story = existing_story(data) or Story(news_id=data.news_id)
    created = story.pk is None
    fill_story(story, data)
    story.section = section_of(data.section)
    story.lead_image = image_for(data.lead_image)
    story.save()
    tags, authors = tags_named(data.tags), authors_for(data.authors)
    link(story, created, tags, authors)
    replace_notes(story, data, created)
    keep_times(story, data)
    if data.news_id is None:
        remember(SOURCE, data.uri, story=story)
    if announced:
        announce(story, created, tags, authors)
    return story, created


def fill_story(story, data):
    """Give a story the fields `data` sets by value: all but its section and lead image, which are looked up."""
    created = story.pk is None
    for name in ("headline", "body", "summary", "language", "story_type", "location", "reporting_credit"):
        setattr(story, name, getattr(data, name))
    if created or data.is_export:
        story.status, story.published_at = data.status, data.published_at
    story.revised_at, story.is_demo = data.revised_at, data.is_demo
    story.lead_image_caption, story.lead_image_credit = data.lead_image_caption, data.lead_image_credit
    story.slug = slugify(data.slug, allow_unicode=True)[:255] if data.slug else ""
    if created and data.version:
        story.version = data.version - 1  # save() counts this save: the story keeps the version it was exported at


def section_of(described):
    """The section a file names (by slug; made with its name when missing), or None."""
    if not described:
        return None
    return Section.objects.for_slug(described["slug"], plain_text(described.get("name", "")))


def existing_story(data):
    """The story with this News ID or, for another agency's document, the one its `uri` became before."""
    if data.news_id is not None:
        return story_numbered(data.news_id)
    record = imported(SOURCE, data.uri)
    return record.story if record else None


def keep_times(story, data):
    """Creation and last-saved times as the file gives them (a save sets them to now otherwise).

    The UPDATE is written in SQL (the fields still prepare the values): an export sets them for every story, and
    building the ORM's query cost more than running it."""
    columns = [Story._meta.get_field(name) for name in ("created_at", "updated_at") if getattr(data, name)]
    if not columns:
        return
    connection = connections[router.db_for_write(Story)]
    values = [column.get_db_prep_save(getattr(data, column.name), connection) for column in columns]
    assignments = ", ".join(f"{connection.ops.quote_name(column.column)} = %s" for column in columns)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {Story._meta.db_table} SET {assignments} WHERE id = %s", [*values, story.pk])
    for column in columns:
        setattr(story, column.name, getattr(data, column.name))


def authors_for(bylines):
    """Authors by slug (our export) or by name (a foreign byline; made when missing, without an account)."""
    authors = []
    for byline in bylines:
        author = Author.objects.filter(slug=byline["slug"]).first() if byline.get("slug") else None
        if author is None and byline.get("name"):
            author = Author.objects.for_name(plain_text(byline["name"]))
        if author is None:
            raise Refused(f"no author has the slug {byline.get('slug')!r}")
        if author not in authors:
            authors.append(author)
    return authors


def replace_notes(story, data, created):
    """Corrections and live entries as the file lists them (an export lists them all); a new story has none yet."""
    if data.corrections is not None:
        if not created:
            story.corrections.all().delete()
        for note in data.corrections:
            created_at = time_of(note.get("created_at"), "correction created_at") or timezone.now()
            kind = note.get("kind") if note.get("kind") in Correction.Kind.values else Correction.Kind.CORRECTION
            Correction.objects.create(story=story, kind=kind, text=str(note.get("text", "")), created_at=created_at)
    if data.live_entries is not None:
        if not created:
            story.live_entries.all().delete()
        for entry in data.live_entries:
            created_at = time_of(entry.get("created_at"), "live entry created_at") or timezone.now()
            LiveEntry.objects.create(
                story=story,
                body=str(entry.get("body", "")),
                created_at=created_at,
                is_pinned=entry.get("is_pinned") is True,
            )


def image_for(described):
    """The image an export names, relinked when its file is in this site's media storage; else None."""
    if not described or not isinstance(described.get("file"), str):
        return None
    name = described["file"]
    found = Image.objects.filter(file=name).first()
    if found or not default_storage.exists(name):
        return found
    return restore_image(described)


def restore_image(described):
    """An Image row for files already in storage (copied with the media folder): no re-processing."""
    texts = {key: str(described.get(key, "")) for key in ("alt_text", "caption", "credit")}
    image = Image.objects.create(
        file=described["file"],
        width=int(described.get("width") or 0),
        height=int(described.get("height") or 0),
        **texts,
    )
    for rendition in described.get("renditions") or []:
        if isinstance(rendition, dict) and default_storage.exists(str(rendition.get("file", ""))):
            Rendition.objects.create(
                image=image, file=rendition["file"], width=int(rendition["width"]), height=int(rendition["height"])
            )
    return image
