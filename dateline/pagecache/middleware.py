"""The page cache: public pages served from a thin WSGI layer in front of Django, exactly as current as the data.

`PageCache(app)` wraps Django's WSGI application (see dateline/wsgi.py). An anonymous GET of a public page (no
session cookie, no query but `?page=N`) is looked up in a store every worker shares (store.py): a current copy is
sent without entering Django, its footer figure written at send time. Otherwise Django renders the page, and a 200
HTML or XML response without cookies is stored with the keys it depends on (keys.py). A change to any of those keys
makes the page stale at once, on every worker; a page is also stale past PAGE_CACHE_SECONDS and once a scheduled
story's publication time arrives. Pages rendered for the cache carry nothing per reader: the comment form's key
and token are fetched when a reader starts a comment (see dateline/comments). Parts many pages show alike (the
header, an edition's most-read box) are rendered once and kept in the same store, with their own keys
(SharedParts).
"""

import hashlib
import logging
import re
import threading
import time
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache

from django.conf import settings

from dateline.articles.pagekeys import DEPENDS, PARTS, READ, SHARED

from .store import Page

logger = logging.getLogger(__name__)
BYPASS = frozenset({"admin", "newsroom", "api", "captcha", "comments", "search", "static", "media", "favicon.ico"})
PRIVATE_COOKIES = re.compile(r"(?:^|;)\s*(?:sessionid|messages)=")
PAGE_QUERY = re.compile(r"(?:page=\d{1,6})?")
CACHEABLE_TYPES = ("text/html", "application/rss+xml", "application/atom+xml", "application/xml", "text/xml")
PER_READER = re.compile(rb'name="csrfmiddlewaretoken"|name="captcha_0" value="[0-9a-f]')
DROPPED_HEADERS = {"content-length", "server-timing", "date", "age", "x-cache", "etag", "cache-control"}
STALE_WHILE_REVALIDATE = 30
batching = ContextVar("dateline_pagecache_batching", default=None)


def enabled():
    return getattr(settings, "PAGE_CACHE", False)


@cache
def store():
    """The shared store: Redis when REDIS_URL is set, else a SQLite file under var/."""
    from .store import RedisStore, SQLiteStore

    if settings.REDIS_URL:
        return RedisStore(settings.REDIS_URL, settings.PAGE_CACHE_SECONDS)
    return SQLiteStore(settings.VAR_DIR / "pagecache.sqlite3")


def invalidate(keys):
    """Every cached page that depends on one of `keys` (`story:12`, `comments:12`, `stories`, …) is stale from now."""
    batch = batching.get()
    if batch is not None:
        batch.update(keys)
    elif enabled() and keys:
        try:
            store().invalidate(list(keys))
        except Exception:  # a store outage must not fail a save that has committed; PAGE_CACHE_SECONDS bounds it
            logger.exception("page cache not invalidated for %s", sorted(keys)[:10])


@contextmanager
def batched():
    """Within this block, invalidations are collected and made once at its end: an import of thousands of stories
    makes one call to the store, not one per commit. Pages showing what the block changes may lag until it ends
    (PAGE_CACHE_SECONDS at most); none is served stale after it."""
    if batching.get() is not None:  # already batching: the outer block invalidates
        yield
        return
    token = batching.set(set())
    try:
        yield
    finally:
        keys = batching.get()
        batching.reset(token)
        invalidate(keys)


def clear():
    """Forget every stored page: a server starting may run new code and templates that render pages differently."""
    if enabled():
        try:
            store().clear()
        except Exception:
            logger.exception("page cache not cleared")


def anonymous_read(environ):
    """A GET or HEAD by no one in particular (no session, no API token)."""
    if environ.get("REQUEST_METHOD") not in ("GET", "HEAD") or environ.get("HTTP_AUTHORIZATION"):
        return False
    return not PRIVATE_COOKIES.search(environ.get("HTTP_COOKIE", ""))


def public_page(environ):
    """A public page with no query but a page number (what an anonymous read of it gets is kept)."""
    if not PAGE_QUERY.fullmatch(environ.get("QUERY_STRING", "")):
        return False
    segments = environ.get("PATH_INFO", "/").lstrip("/").split("/", 2)
    if segments[0] in settings.EDITIONS and len(segments) > 1:
        segments = segments[1:]
    return segments[0] not in BYPASS


def page_url(environ):
    """The cache's name for the page: scheme, host, path and query (the path names the edition)."""
    scheme = environ.get("HTTP_X_FORWARDED_PROTO") if settings.SECURE_PROXY_SSL_HEADER else None
    host = environ.get("HTTP_HOST") or environ.get("SERVER_NAME", "")
    query = environ.get("QUERY_STRING", "")
    return f"{scheme or environ.get('wsgi.url_scheme', 'http')}://{host}{environ.get('PATH_INFO', '/')}?{query}"


def cache_control():
    seconds = settings.PAGE_CACHE_SECONDS
    return f"public, max-age=0, s-maxage={seconds}, stale-while-revalidate={STALE_WHILE_REVALIDATE}"


def storable(status, headers, body):
    """A 200 HTML or XML page that sets no cookie, is not private and holds nothing per reader."""
    if not status.startswith("200 "):
        return False
    named = {name.lower(): value for name, value in headers}
    if "set-cookie" in named or not named.get("content-type", "").startswith(CACHEABLE_TYPES):
        return False
    if re.search(r"private|no-store|no-cache", named.get("cache-control", "")):
        return False
    return not PER_READER.search(body)


def next_scheduled():
    """When the next scheduled story goes live (a store-clock timestamp), or infinity."""
    from django.utils import timezone

    from dateline.articles.models import Story

    upcoming = Story.objects.filter(status=Story.Status.PUBLISHED, published_at__gt=timezone.now())
    at = upcoming.order_by("published_at").values_list("published_at", flat=True).first()
    return at.timestamp() if at else float("inf")


def etag_of(body):
    return f'W/"{hashlib.blake2b(body, digest_size=12).hexdigest()}"'


def matches(etag, environ):
    wanted = environ.get("HTTP_IF_NONE_MATCH", "")
    return bool(wanted) and (wanted.strip() == "*" or etag in [tag.strip() for tag in wanted.split(",")])


class PageCache:
    """The WSGI layer: hits answered here, misses rendered by Django (with nothing per reader) and stored."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        if not enabled() or not anonymous_read(environ):
            return self.app(environ, start_response)
        if not public_page(environ):  # a search page, say: not kept, but its header is the one pages share
            environ[PARTS] = SharedParts(set())
            return self.app(environ, start_response)
        url = page_url(environ)
        try:
            page = store().get(url)
        except Exception:  # the store is down (Redis unreachable…): Django answers, as without a cache
            logger.exception("page cache unavailable")
            return self.app(environ, start_response)
        if page is not None:
            return self.hit(page, environ, start_response)
        return self.miss(url, environ, start_response)

    def hit(self, page, environ, start_response):
        from dateline.timing import stamp

        headers = [*page.headers, ("ETag", page.etag), ("Cache-Control", cache_control()), ("X-Cache", "hit")]
        headers.append(("Age", str(max(0, int(time.time() - page.stored_at)))))
        if page.story_id and environ["REQUEST_METHOD"] == "GET":
            reads.count(page.story_id, environ)
        if matches(page.etag, environ):
            _, timing = stamp(b"", environ["dateline.started"])
            start_response("304 Not Modified", [*headers, ("Server-Timing", timing)])
            return [b""]
        body, timing = stamp(page.body, environ["dateline.started"])
        start_response(page.status, [*headers, ("Content-Length", str(len(body))), ("Server-Timing", timing)])
        return [b"" if environ["REQUEST_METHOD"] == "HEAD" else body]

    def miss(self, url, environ, start_response):
        from dateline.timing import stamp

        from .keys import EVERY_PAGE, recording

        started = store().now()
        keys = set(EVERY_PAGE)
        environ[SHARED], environ[DEPENDS], environ[PARTS] = True, keys, SharedParts(keys)
        token = recording.set(keys)
        captured = {}
        try:
            result = self.app(environ, lambda status, headers, exc_info=None: captured.update(s=status, h=headers))
            try:
                body = b"".join(result)
            finally:
                getattr(result, "close", lambda: None)()
        finally:
            recording.reset(token)
        status, headers = captured["s"], captured["h"]
        if environ.get(READ) and status.startswith("200 ") and environ["REQUEST_METHOD"] == "GET":
            reads.count(environ[READ], environ)
        kept = [(name, value) for name, value in headers if name.lower() not in DROPPED_HEADERS]
        if environ["REQUEST_METHOD"] == "GET" and storable(status, headers, body):
            etag = etag_of(body)
            try:  # these read the database: during an outage Django's answer (a 503) is passed on, not stored
                stale_at = min(started + settings.PAGE_CACHE_SECONDS, next_scheduled(), environ[PARTS].stale_at)
                page = Page(status, kept, body, etag, sorted(keys), started, stale_at, time.time(), environ.get(READ))
                store().put(url, page)
            except Exception:
                logger.exception("page not stored")
            headers = [*kept, ("ETag", etag), ("Cache-Control", cache_control()), ("X-Cache", "miss")]
        else:
            headers = [(name, value) for name, value in headers if name.lower() not in {"content-length"}]
        body, timing = stamp(body, environ["dateline.started"])
        start_response(status, [*headers, ("Content-Length", str(len(body))), ("Server-Timing", timing)])
        return [body]


class SharedParts:
    """The parts a page rendered for the cache shares with many others (an edition's most-read box), kept in the
    store like pages: rendered once, then current while none of the keys they depend on changes, for at most
    PAGE_CACHE_SECONDS. A page showing a part depends on the part's keys and goes stale no later than it."""

    def __init__(self, page_keys):
        self.page_keys, self.stale_at = page_keys, float("inf")

    def __call__(self, name, render):
        """The part's HTML: from the store when current, else from `render()` (and then stored)."""
        url = f"part:{name}"
        try:
            part = store().get(url) or self.render(url, render)
        except Exception:  # the store is down: the page is rendered whole, as without a cache
            logger.exception("page cache unavailable")
            return render()
        self.page_keys.update(part.keys)
        self.stale_at = min(self.stale_at, part.stale_at)
        return part.body.decode()

    def render(self, url, render):
        from .keys import EVERY_PART, recording

        started, keys = store().now(), set(EVERY_PART)
        token = recording.set(keys)
        try:
            body = str(render()).encode()
        finally:
            recording.reset(token)
        stale_at = started + settings.PAGE_CACHE_SECONDS
        part = Page("200 OK", [], body, "", sorted(keys), started, stale_at, time.time())
        store().put(url, part)
        return part


class Reads:
    """Reads counted on hits, written to the database at most once a second per process (and at exit)."""

    FLUSH_SECONDS = 1.0

    def __init__(self):
        self.pending, self.lock, self.flushed = {}, threading.Lock(), time.monotonic()

    def count(self, story_pk, environ):
        from dateline.articles.readcount import is_reader, today

        if not is_reader(_Request(environ)):
            return
        with self.lock:
            key = (story_pk, today())
            self.pending[key] = self.pending.get(key, 0) + 1
            due = time.monotonic() - self.flushed >= self.FLUSH_SECONDS
        if due:
            self.flush()

    def flush(self):
        from django.db import transaction

        from dateline.articles.readcount import add_read

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
    """What readcount.is_reader looks at, read from the WSGI environ (quicker than Django's HttpHeaders, which
    reads every header)."""

    method = "GET"

    def __init__(self, environ):
        self.environ, self.headers = environ, self

    def get(self, name, default=None):
        return self.environ.get("HTTP_" + name.upper().replace("-", "_"), default)


reads = Reads()
