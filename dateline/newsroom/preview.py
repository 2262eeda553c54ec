"""Preview links: a signed, expiring address that shows an unpublished story, as it will look, to anyone holding it.

The token signs the News ID and the expiry time, not a version: a link shows the latest saved text, so the lawyer
sent a link on Monday sees Tuesday's edits. A link cannot be withdrawn before it expires (short of changing
SECRET_KEY), hence a short default: `PREVIEW_LINK_DAYS` (7).
"""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone

SALT = "dateline.newsroom.preview"
DEFAULT_DAYS = 7


class LinkExpired(Exception):
    """The link was genuine but its time is up."""


def link_lifetime():
    return timedelta(days=getattr(settings, "PREVIEW_LINK_DAYS", DEFAULT_DAYS))


def preview_url(story, expires_in=None):
    """The path of a preview of `story` that works without an account until `expires_in` (default: the setting)."""
    expires_at = timezone.now() + (expires_in or link_lifetime())
    token = signing.dumps([story.news_id, int(expires_at.timestamp())], salt=SALT)
    return reverse("newsroom:preview", args=[token])


def news_id_from(token):
    """The News ID a token was made for; BadSignature when it was altered or made up, LinkExpired when too old."""
    try:
        news_id, expires = signing.loads(token, salt=SALT)
    except (TypeError, ValueError) as error:  # a genuine signature over another shape of payload
        raise signing.BadSignature("not a preview token") from error
    if timezone.now().timestamp() > expires:
        raise LinkExpired
    return news_id
