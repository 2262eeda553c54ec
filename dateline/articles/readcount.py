"""Reads counted on the server for the "most read" box: one number per story and day, no cookie, no tracker.

Nothing about the reader is stored: not an address, not an identifier, only that a story was read once more today.
Machines are not readers: crawlers, link previewers, HTTP libraries, headless browsers (automation, not people),
browser prefetches and requests without a User-Agent are not counted. `count_read` counts a read of a page Django
sends; `reads.count` one the page cache sends without rendering it (dateline/wsgi.py gives it to the cache).
"""

import datetime as dt
import itertools
import logging
import re
import threading
import time
from functools import lru_cache

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone

from .models import Story, StoryViews

logger = logging.getLogger(__name__)
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


class Reads:
    """Reads of pages the page cache sends, written to the database at most once a second per process (and at exit)."""

    FLUSH_SECONDS = 1.0

    def __init__(self):
        self.pending, self.lock, self.flushed = {}, threading.Lock(), time.monotonic()

    def count(self, story_pk, environ):
        """One more read of the story today, if a reader asked for the page (`environ`: the request's WSGI environ)."""
        if not is_reader(_Request(environ)):
            return
        with self.lock:
            key = (story_pk, today())
            self.pending[key] = self.pending.get(key, 0) + 1
            due = time.monotonic() - self.flushed >= self.FLUSH_SECONDS
        if due:
            self.flush()

    def flush(self):
        with self.lock:
            pending, self.pending, self.flushed = self.pending, {}, time.monotonic()
        if not pending:
            return
        try:
            with transaction.atomic():
                for (story_pk, day), times in pending.items():
                    add_read(story_pk, day, times)
        except Exception:  # the database is busy or away: keep the reads for the next flush, serve the page anyway
            logger.warning("reads not written yet", exc_info=True)
            with self.lock:
                for key, times in pending.items():
                    self.pending[key] = self.pending.get(key, 0) + times


class _Request:
    """What is_reader looks at, read from the WSGI environ (quicker than Django's HttpHeaders, which reads every
    header)."""

    method = "GET"

    def __init__(self, environ):
        self.environ, self.headers = environ, self

    def get(self, name, default=None):
        return self.environ.get("HTTP_" + name.upper().replace("-", "_"), default)


reads = Reads()
