"""Reads counted on the server for the "most read" box: one number per story and day, no cookie, no tracker.

Nothing about the reader is stored: not an address, not an identifier, only that a story was read once more today.
Machines are not readers: crawlers, link previewers, HTTP libraries, headless browsers (automation, not people),
browser prefetches and requests without a User-Agent are not counted. `count_read` is the one entry point, so a
page cache that answers without rendering the story can call it too.
"""

import datetime as dt
import re

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, OuterRef, Subquery, Sum
from django.utils import timezone

from .models import Story, StoryViews

MOST_READ_DAYS = 2
NOT_READERS = re.compile(
    r"bot|crawl|spider|slurp|archiver|facebookexternalhit|embedly|preview|linkexpanding|whatsapp|"
    r"curl|wget|python|httpx|aiohttp|go-http-client|java/|okhttp|libwww|http\.rb|"
    r"headless|phantomjs|lighthouse|pagespeed|pingdom|uptime|monitor",
    re.IGNORECASE,
)


def count_read(request, story):
    """One more read of `story` today, if a reader (not a machine) asked for the page; True when counted."""
    if not is_reader(request):
        return False
    add_read(story.pk, today())
    return True


def is_reader(request):
    """A GET from a browser that names itself and is not prefetching: bots and empty User-Agents are not readers."""
    agent = request.headers.get("User-Agent", "")
    prefetch = "prefetch" in request.headers.get("Sec-Purpose", request.headers.get("Purpose", ""))
    return request.method == "GET" and bool(agent.strip()) and not prefetch and not NOT_READERS.search(agent)


def add_read(story_id, day):
    """Add one to the story's count for `day` in a single UPDATE; the day's first read creates the row.

    Two first reads at once: one INSERT wins, the other hits the unique constraint inside its savepoint
    and falls back to the UPDATE, so no read is lost on SQLite or PostgreSQL.
    """
    views = StoryViews.objects.filter(story_id=story_id, day=day)
    if views.update(count=F("count") + 1):
        return
    try:
        with transaction.atomic():
            StoryViews.objects.create(story_id=story_id, day=day, count=1)
    except IntegrityError:
        views.update(count=F("count") + 1)


def most_read(days=None, limit=5, edition=None):
    """The `limit` published stories read most over the last `days` days (today included), most read first;
    only one edition's stories when `edition` is given.

    `days` defaults to the MOST_READ_DAYS setting (2: today and yesterday). One query, with the section.
    """
    days = days or getattr(settings, "MOST_READ_DAYS", MOST_READ_DAYS)
    since = today() - dt.timedelta(days=days - 1)
    window = StoryViews.objects.filter(day__gte=since)
    published = Story.objects.published() if edition is None else Story.objects.published().in_edition(edition)
    totals = window.filter(story__in=published).values("story").annotate(reads=Sum("count"))
    top = totals.order_by("-reads", "-story").values("story")[:limit]
    reads = window.filter(story=OuterRef("pk")).values("story").annotate(reads=Sum("count")).values("reads")
    stories = Story.objects.published().filter(pk__in=Subquery(top)).annotate(reads=Subquery(reads))
    return list(stories.select_related("section").order_by("-reads", "-pk"))


def today():
    """Today in UTC: days are counted in GMT, like the datelines."""
    return timezone.now().astimezone(dt.UTC).date()
