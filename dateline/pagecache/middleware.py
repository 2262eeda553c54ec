"""The WSGI layer in front of Django: hits answered here, misses rendered by Django and stored (see __init__.py)."""

import hashlib
import logging
import re
import time

from django.conf import settings

from . import edge_key, enabled, store
from .hints import DEPENDS, PARTS, READ, SHARED
from .keys import EVERY_PAGE, EVERY_PART, recording
from .store import Page

logger = logging.getLogger(__name__)
PRIVATE_COOKIES = re.compile(r"(?:^|;)\s*(?:sessionid|messages)=")
PAGE_QUERY = re.compile(r"(?:page=\d{1,6})?")
CACHEABLE_TYPES = (
    "text/html", "application/rss+xml", "application/atom+xml", "application/feed+json", "application/xml", "text/xml",
)  # fmt: skip
PER_READER = re.compile(rb'name="csrfmiddlewaretoken"|name="captcha_0" value="[0-9a-f]')
DROPPED_HEADERS = {
    "content-length", "server-timing", "date", "age", "x-cache", "etag", "cache-control",
    "surrogate-key", "xkey", "cache-tag",  # the page's keys: written again from the keys it is stored with
}  # fmt: skip
STALE_WHILE_REVALIDATE = 30


def anonymous_read(environ):
    """A GET or HEAD by no one in particular (no session, no API token)."""
    if environ.get("REQUEST_METHOD") not in ("GET", "HEAD") or environ.get("HTTP_AUTHORIZATION"):
        return False
    return not PRIVATE_COOKIES.search(environ.get("HTTP_COOKIE", ""))


def public_page(environ, bypass):
    """A public page with no query but a page number, under none of the `bypass` prefixes (what an anonymous read
    of it gets is kept)."""
    if not PAGE_QUERY.fullmatch(environ.get("QUERY_STRING", "")):
        return False
    segments = environ.get("PATH_INFO", "/").lstrip("/").split("/", 2)
    if segments[0] in settings.EDITIONS and len(segments) > 1:
        segments = segments[1:]
    return segments[0] not in bypass


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


def edge_headers(keys):
    """What an edge cache in front needs to purge exactly this page: its keys (Fastly's and Varnish xkey's headers;
    Cloudflare's too with EDGE_CACHE=cloudflare)."""
    names = sorted({edge_key(key) for key in keys})
    headers = [("Surrogate-Key", " ".join(names)), ("xkey", " ".join(names))]
    if getattr(settings, "EDGE_CACHE", "") == "cloudflare":
        headers.append(("Cache-Tag", ",".join(names)))
    return headers


def etag_of(body):
    return f'W/"{hashlib.blake2b(body, digest_size=12).hexdigest()}"'


def matches(etag, environ):
    wanted = environ.get("HTTP_IF_NONE_MATCH", "")
    return bool(wanted) and (wanted.strip() == "*" or etag in [tag.strip() for tag in wanted.split(",")])


class PageCache:
    """The WSGI layer: hits answered here, misses rendered by Django (with nothing per reader) and stored.

    What it needs from the apps is given, so that it imports none: `stamp(body, started)` writes the footer's figure
    into a page being sent and returns (body, Server-Timing value); `count_read(story_id, environ)` counts a read of
    a story page sent; `expires_at()` is when a page stored now must go at the latest (the next scheduled story's
    publication, a timestamp). The prefixes it leaves to Django are PAGE_CACHE_BYPASS, read once here.
    """

    def __init__(self, app, *, stamp, count_read, expires_at):
        self.app, self.stamp, self.count_read, self.expires_at = app, stamp, count_read, expires_at
        self.bypass = frozenset(settings.PAGE_CACHE_BYPASS)

    def __call__(self, environ, start_response):
        if not enabled() or not anonymous_read(environ):
            return self.app(environ, start_response)
        if not public_page(environ, self.bypass):  # a search page, say: not kept, but its header is the one pages share
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
        headers = [*page.headers, ("ETag", page.etag), ("Cache-Control", cache_control()), ("X-Cache", "hit")]
        headers.append(("Age", str(max(0, int(time.time() - page.stored_at)))))
        if page.story_id and environ["REQUEST_METHOD"] == "GET":
            self.count_read(page.story_id, environ)
        if matches(page.etag, environ):
            _, timing = self.stamp(b"", environ["dateline.started"])
            start_response("304 Not Modified", [*headers, ("Server-Timing", timing)])
            return [b""]
        body, timing = self.stamp(page.body, environ["dateline.started"])
        start_response(page.status, [*headers, ("Content-Length", str(len(body))), ("Server-Timing", timing)])
        return [b"" if environ["REQUEST_METHOD"] == "HEAD" else body]

    def miss(self, url, environ, start_response):
        started = store().now()
        status, headers, body, keys = self.render(environ)
        get = environ["REQUEST_METHOD"] == "GET"
        if environ.get(READ) and status.startswith("200 ") and get:
            self.count_read(environ[READ], environ)
        if get and storable(status, headers, body):
            kept = [(name, value) for name, value in headers if name.lower() not in DROPPED_HEADERS]
            kept += edge_headers(keys)
            page = Page(status, kept, body, etag_of(body), sorted(keys), started, None, time.time(), environ.get(READ))
            self.keep(url, page, environ[PARTS])
            headers = [*kept, ("ETag", page.etag), ("Cache-Control", cache_control()), ("X-Cache", "miss")]
        else:
            headers = [(name, value) for name, value in headers if name.lower() not in {"content-length"}]
        body, timing = self.stamp(body, environ["dateline.started"])
        start_response(status, [*headers, ("Content-Length", str(len(body))), ("Server-Timing", timing)])
        return [body]

    def render(self, environ):
        """Django's answer rendered for the cache: (status, headers, body, the keys the page depends on)."""
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
        return captured["s"], captured["h"], body, keys

    def keep(self, url, page, parts):
        """Store the page, with its bound: PAGE_CACHE_SECONDS, the next scheduled story or its parts', the soonest."""
        try:  # these read the database: during an outage Django's answer is passed on, not stored
            page.stale_at = min(page.started + settings.PAGE_CACHE_SECONDS, self.expires_at(), parts.stale_at)
            store().put(url, page)
        except Exception:
            logger.exception("page not stored")


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
