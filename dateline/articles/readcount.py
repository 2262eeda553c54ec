"""Reads counted on the server for the "most read" box: one number per story and day, no cookie, no tracker.

Nothing about the reader is stored: not an address, not an identifier, only that a story was read once more today.
Machines are not readers: crawlers, link previewers, HTTP libraries, headless browsers (automation, not people),
browser prefetches and requests without a User-Agent are not counted. `count_read` is the one entry point, so a
page cache that answers without rendering the story can call it too.
"""

import datetime as dt
import itertools
import re
from functools import lru_cache

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
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
    prefetch = "prefetch" in request.headers.get("Sec-Purpose", request.headers.get("Purpose", ""))
    return request.method == "GET" and not prefetch and names_a_reader(request.headers.get("User-Agent", ""))


@lru_cache(maxsize=1024)
def names_a_reader(agent):
    """Whether a User-Agent is a browser's (readers use a few; each is checked once, as every hit asks)."""
    return bool(agent.strip()) and not NOT_READERS.search(agent)


def add_read(story_id, day, times=1):
    """Add `times` to the story's count for `day` in a single UPDATE; the day's first read creates the row.

    Two first reads at once: one INSERT wins, the other hits the unique constraint inside its savepoint
    and falls back to the UPDATE, so no read is lost on SQLite or PostgreSQL.
    """
    views = StoryViews.objects.filter(story_id=story_id, day=day)
    if views.update(count=F("count") + times):
        return
    try:
        with transaction.atomic():
            StoryViews.objects.create(story_id=story_id, day=day, count=times)
    except IntegrityError:
        views.update(count=F("count") + times)


def most_read(days=None, limit=5, edition=None):
    """The `limit` published stories read most over the last `days` days (today included), most read first;
    only one edition's stories when `edition` is given.

    `days` defaults to the MOST_READ_DAYS setting (2: today and yesterday). The few days' counts are ranked first,
    then which of the top ones are public (from an index), then those stories: three quick queries (more only
    when many of the most read are no longer public), however many stories the site has.
    """
    days = days or getattr(settings, "MOST_READ_DAYS", MOST_READ_DAYS)
    since = today() - dt.timedelta(days=days - 1)
    ranked = StoryViews.objects.filter(day__gte=since).values("story").annotate(reads=Sum("count"))
    ranked = ranked.order_by("-reads", "-story")
    published = Story.objects.published() if edition is None else Story.objects.published().in_edition(edition)
    chosen, batch = {}, limit * 4
    for start in itertools.count(0, batch):
        reads = {row["story"]: row["reads"] for row in ranked[start : start + batch]}
        chosen |= {pk: reads[pk] for pk in published.filter(pk__in=reads).values_list("pk", flat=True)}
        if len(chosen) >= limit or len(reads) < batch:
            break
    top = sorted(chosen, key=lambda pk: (-chosen[pk], -pk))[:limit]
    stories = Story.objects.select_related("section").in_bulk(top)
    for pk, story in stories.items():
        story.reads = chosen[pk]
    return [stories[pk] for pk in top]


def today():
    """Today in UTC: days are counted in GMT, like the datelines."""
    return timezone.now().astimezone(dt.UTC).date()
