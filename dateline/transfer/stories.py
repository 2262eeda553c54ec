"""Writing what the feed and WordPress importers read: stories keyed on their source's id, and the tags,
sections and bylines they name (found when they exist, made when they do not: the models' managers,
`Tag.objects.for_name`, `Section.objects.for_slug`, `Author.objects.for_name`)."""

import hashlib
import html
import re
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db import connections, router
from django.utils.html import strip_tags
from django.utils.text import Truncator

from dateline.articles.models import ImportedItem, Section, Story, Tag
from dateline.articles.signals import story_imported

from .report import Refused

MAX_KEY = 500
SUMMARY_CHARS = 300
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
SPACES = re.compile(r"\s+")
LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*")
MAX_HEADLINE = 300
MAX_LANGUAGE = 35


@dataclass
class ImportedStory:
    """A story as a source describes it; `status` is applied to a new story only (see save_imported_story)."""

    source: str
    key: str
    headline: str
    body: str
    status: str
    published_at: datetime | None = None
    summary: str = ""
    language: str = ""
    slug: str = ""
    revised_at: datetime | None = None
    section: Section | None = None
    tags: list = field(default_factory=list)
    authors: list = field(default_factory=list)


def fit(text):
    """A source or key that fits its column: itself, or a digest of it when it is too long."""
    text = CONTROL.sub("", str(text))
    return text if len(text) <= MAX_KEY else "sha256:" + hashlib.sha256(text.encode()).hexdigest()


def plain_text(markup):
    """The text of an HTML fragment (or of text with entities) on one line: no tags, no control characters."""
    return SPACES.sub(" ", CONTROL.sub("", html.unescape(strip_tags(markup or "")))).strip()


def headline_from(title):
    """A headline from a source's title, or Refused when it is empty or too long."""
    headline = plain_text(title)
    if not headline:
        raise Refused("has no title")
    if len(headline) > MAX_HEADLINE:
        raise Refused(f"title is {len(headline)} characters long; the limit is {MAX_HEADLINE}")
    return headline


def summary_from(body):
    """A summary for a source that gives none: the start of the body's text."""
    return Truncator(plain_text(body)).chars(SUMMARY_CHARS)


def language_or_default(value):
    """A source's language tag when it is a valid BCP 47 code, else the site's language."""
    value = (value or "").strip()
    if value and len(value) <= MAX_LANGUAGE and LANGUAGE_TAG.fullmatch(value):
        return value
    return settings.LANGUAGE_CODE


def imported(source, key):
    """The record of an earlier import of this item, or None."""
    return ImportedItem.objects.filter(source=fit(source), key=fit(key)).first()


def remember(source, key, **targets):
    """Note that this item came from this source (story=, author=), so a second import finds it."""
    ImportedItem.objects.update_or_create(source=fit(source), key=fit(key), defaults=targets)


def save_imported_story(item):
    """Create or update the story this source item became: the story, and True when it is new.

    A new story takes the source's status; an update refreshes the content and keeps the editors' status (an
    unpublished story stays unpublished), as the plain-text importer does. Call inside a transaction.
    """
    record = imported(item.source, item.key)
    story = record.story if record and record.story else Story()
    created = story.pk is None
    for name in ("headline", "section", "revised_at"):
        setattr(story, name, getattr(item, name))
    story.body = item.body.replace("\x00", "")  # PostgreSQL stores no NUL in text
    story.slug = item.slug or story.slug
    story.summary = item.summary or summary_from(item.body)
    story.language = language_or_default(item.language)
    if item.published_at or created:
        story.published_at = item.published_at
    if created:
        story.status = item.status
    story.save()
    link(story, created, item.tags, item.authors)
    remember(item.source, item.key, story=story)
    announce(story, created, item.tags, item.authors)
    return story, created


def announce(story, created, tags=(), authors=()):
    """Tell the listeners that an import saved `story` with these tags and bylines; call inside its transaction."""
    story_imported.send(Story, story=story, created=created, tags=list(tags), authors=list(authors))


def story_numbered(news_id):
    """The story with this News ID, or None. An import asks this for every story, and most are new: then it costs one
    small query, in SQL (building any ORM query cost more than running it); a story that exists is then read."""
    with connections[router.db_for_read(Story)].cursor() as cursor:
        cursor.execute(f"SELECT id FROM {Story._meta.db_table} WHERE news_id = %s", [news_id])
        found = cursor.fetchone()
    return Story.objects.get(pk=found[0]) if found else None


def link(story, created, tags, authors):
    """Give a just-saved story these tags and bylines. A new story has none to replace, so they are only added, and
    with none to add its relations are not touched at all (most imported stories have none)."""
    for name, items in (("tags", tags), ("authors", authors)):
        if not created:
            getattr(story, name).set(items)
        elif items:
            getattr(story, name).add(*items)


def tags_named(names):
    """Tags for a source's names (their text only), each once, in order; empty names are ignored."""
    return Tag.objects.for_names(plain_text(name) for name in names)
