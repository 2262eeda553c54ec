"""Comments brought in with imported stories (from a WordPress export), each imported once.

A comment is keyed on its source's id; once imported it is the moderators' to decide, so importing again adds the
comments that are new and leaves the ones already here (and any a moderator deleted) alone.
"""

import html
import re
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_email, validate_ipv46_address
from django.utils.html import strip_tags

from dateline.comments.models import NAME_MAX, Comment

from .stories import imported, remember

# WordPress's wp:comment_approved values; others ("trash", "post-trashed") are not imported.
WORDPRESS_STATUS = {"1": Comment.Status.APPROVED, "0": Comment.Status.PENDING, "spam": Comment.Status.SPAM}
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass
class ImportedComment:
    key: str
    name: str
    body: str
    status: str
    email: str = ""
    created_at: datetime | None = None
    ip_address: str = ""


def import_comments(story, source, comments):
    """Add to the story the comments not imported before; the number added. Call inside the story's transaction."""
    added = 0
    for comment in comments:
        if not imported(source, comment.key):
            add_comment(story, comment)
            remember(source, comment.key, story=story)
            added += 1
    return added


def add_comment(story, comment):
    """A comment row with the source's author, text, status and time (plain text, as readers' comments are)."""
    row = Comment.objects.create(
        story=story,
        name=as_text(comment.name)[:NAME_MAX] or "Anonymous",
        email=valid_or_blank(comment.email, validate_email),
        body=as_text(comment.body),
        status=comment.status,
        ip_address=valid_or_blank(comment.ip_address, validate_ipv46_address) or None,
    )
    if comment.created_at:  # created_at is set on insert; the source's time replaces it
        Comment.objects.filter(pk=row.pk).update(created_at=comment.created_at)
    return row


def as_text(markup):
    """Comment text without markup or control characters, keeping its line breaks."""
    return CONTROL.sub("", html.unescape(strip_tags(markup or ""))).strip()


def valid_or_blank(value, validate, max_length=254):
    value = (value or "").strip()
    if len(value) > max_length:
        return ""
    try:
        validate(value)
    except ValidationError:
        return ""
    return value
