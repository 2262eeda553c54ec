"""The page cache: public pages served from a thin WSGI layer in front of Django, exactly as current as the data.

`middleware.PageCache` wraps Django's WSGI application; dateline/wsgi.py builds it and gives it what it needs from
the apps (the footer's stamp, the read counter, the next scheduled story's time), so the page cache imports none of
them. An anonymous GET of a public page (no session cookie, no query but `?page=N`, not under a prefix of
PAGE_CACHE_BYPASS) is looked up in a store every worker shares (store.py): a current copy is sent without entering
Django, its footer figure written at send time. Otherwise Django renders the page, and a 200 HTML or XML response
without cookies is stored with the keys it depends on (keys.py). A change to any of those keys makes the page stale
at once, on every worker; a page is also stale past PAGE_CACHE_SECONDS and once a scheduled story's publication
time arrives. Pages rendered for the cache carry nothing per reader: the comment form's key and token are fetched
when a reader starts a comment (see dateline/comments). Parts many pages show alike (the header, an edition's
most-read box) are rendered once and kept in the same store, with their own keys (middleware.SharedParts).

Apps talk to it through hints.py (what a page shows) and keys.py (what a page depends on, what a change touches);
each app keeps its own keys in its `cachekeys.py`. This module: the store, and invalidating pages.
"""

import hashlib
import logging
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache

from django.conf import settings

from .store import RedisStore, SQLiteStore

logger = logging.getLogger(__name__)
batching = ContextVar("dateline_pagecache_batching", default=None)
listeners = []  # called with the keys of each invalidation (ops.edge purges an edge cache with them)
LONG_KEY = 40


def on_invalidate(listener):
    """Call `listener(keys)` whenever pages depending on `keys` become stale (once per batch)."""
    if listener not in listeners:
        listeners.append(listener)


def edge_key(key):
    """A key as edge caches see it (Surrogate-Key, xkey): as it is, or hashed when long, so headers stay short."""
    return key if len(key) <= LONG_KEY else "h" + hashlib.blake2b(key.encode(), digest_size=8).hexdigest()


def enabled():
    return getattr(settings, "PAGE_CACHE", False)


@cache
def store():
    """The shared store: Redis when REDIS_URL is set, else a SQLite file under var/."""
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
        for listener in listeners:
            listener(set(keys))


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
