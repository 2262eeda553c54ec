"""Importers: each turns a file into stories, one transaction per story, and refuses bad input whole."""

from django.conf import settings
from django.db import transaction
from django.utils.text import Truncator

from ..html import paragraphs_to_html
from ..models import Story
from . import plaintext
from .report import Refused, Report
from .signals import announce
from .stories import story_numbered

__all__ = ["Refused", "Report", "import_file"]


def import_file(path, report):
    """Import one file in its own transaction; a refusal is recorded in the report, never half-written."""
    try:
        data = path.read_bytes()
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
    story.headline = parsed.headline
    story.body = paragraphs_to_html(parsed.paragraphs)
    story.summary = Truncator(parsed.paragraphs[0]).chars(300)
    story.language = parsed.language or settings.LANGUAGE_CODE
    story.published_at = parsed.published_at
    if created:  # an update keeps the editors' decision (an unpublished story stays unpublished)
        story.status = Story.Status.PUBLISHED
    story.save()
    announce(story, created)
    return created
