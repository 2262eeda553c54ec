"""Importers: each turns a file into stories, one transaction per story, and refuses bad input whole."""

import unicodedata

from django.conf import settings
from django.db import transaction
from django.utils.text import Truncator

from ..html import paragraphs_to_html
from ..models import Story
from . import plaintext
from .report import Refused, Report
from .signals import announce
from .stories import story_numbered

__all__ = ["Refused", "Report", "fill_plaintext_story", "import_file"]

SUMMARY_CHARS = 300


def import_file(path, report, data=None):
    """Import one file in its own transaction; a refusal is recorded in the report, never half-written. `data`: the
    file's bytes, when the caller has read them already."""
    try:
        data = path.read_bytes() if data is None else data
    except OSError as error:
        report.refused.append(f"{path}: cannot be read ({error.strerror})")
        return
    try:
        parsed = plaintext.parse(data)
        with transaction.atomic():
            created = save_plaintext_story(parsed)
    except Refused as refusal:
        report.refused.append(refusal.located(path))
        return
    report.saved(created)


def save_plaintext_story(parsed):
    """Create or update the story with this News ID. True when it is new."""
    story = story_numbered(parsed.news_id) or Story(news_id=parsed.news_id)
    created = story.pk is None
    fill_plaintext_story(story, parsed)
    story.save()
    announce(story, created)
    return created


def fill_plaintext_story(story, parsed):
    """Give a story the content of a parsed file. A new story is published; an update keeps the editors' decision
    (an unpublished story stays unpublished)."""
    story.headline = parsed.headline
    story.body = paragraphs_to_html(parsed.paragraphs)
    story.summary = summary_of(parsed.paragraphs[0])
    story.language = parsed.language or settings.LANGUAGE_CODE
    story.published_at = parsed.published_at
    if story.pk is None:
        story.status = Story.Status.PUBLISHED


def summary_of(paragraph):
    """The paragraph cut to SUMMARY_CHARS characters, as Truncator.chars cuts it; a paragraph that fits (most do) is
    only NFC-normalised, as Truncator would return it, without its walk over every character."""
    text = unicodedata.normalize("NFC", paragraph)
    return text if len(text) <= SUMMARY_CHARS else Truncator(text).chars(SUMMARY_CHARS)
