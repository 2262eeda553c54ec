"""Snippets come from the database with control characters around hits; escaping comes first, then the marks."""

from django.utils.html import escape
from django.utils.safestring import mark_safe

START, STOP = "\x02", "\x03"  # the index's text has no control characters (text.normalize), so these are free


def marked(text):
    """Escaped HTML of `text` with <mark> around the hits (and only there)."""
    return mark_safe(escape(text).replace(START, "<mark>").replace(STOP, "</mark>"))


def best_snippet(body, summary):
    """The body's snippet if it has a hit, else the summary's; with no hit at all, the summary (it is written to
    introduce the story), else the start of the body. Safe HTML."""
    with_hit = next((text for text in (body, summary) if text and START in text), None)
    return marked(with_hit or summary or body or "")
