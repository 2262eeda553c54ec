"""A Redis cache whose failure is not an outage: errors are logged and read as misses, writes as no-ops.

Django's RedisCache raises when Redis is down, which would turn every page that touches the cache into a 500.
This one answers from the database instead (a miss), logs the failure, and leaves Redis alone for a moment
(`RETRY_SECONDS`) so a dead or unreachable Redis costs no time per request. Caching resumes by itself when Redis
is back: redis-py reconnects on the next command.
"""

import logging
import time

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)
RETRY_SECONDS = 2.0
TIMEOUTS = {"socket_connect_timeout": 1, "socket_timeout": 1}  # an unreachable Redis must not hang a page


def tolerant(fallback):
    """Decorate a cache method: on a Redis error (or while Redis is resting after one) return `fallback(args)`."""

    def decorate(method):
        def wrapper(self, *args, **kwargs):
            if time.monotonic() < self.resting_until:
                return fallback(*args, **kwargs)
            try:
                return method(self, *args, **kwargs)
            except RedisError as error:
                self.resting_until = time.monotonic() + RETRY_SECONDS
                logger.warning("Cache unavailable (%s: %s); serving without it", type(error).__name__, error)
                return fallback(*args, **kwargs)

        wrapper.__name__, wrapper.__doc__ = method.__name__, method.__doc__
        return wrapper

    return decorate


def miss(key, default=None, *args, **kwargs):
    return default


def missing_key(key, *args, **kwargs):
    raise ValueError(f"Key {key!r} not found (the cache is unavailable)")


def nothing(*args, **kwargs):
    return None


class TolerantRedisCache(RedisCache):
    """RedisCache with timeouts, whose errors become misses (get), False (add, delete, touch) or no-ops (set)."""

    def __init__(self, server, params):
        options = {**TIMEOUTS, **params.get("OPTIONS", {})}
        super().__init__(server, {**params, "OPTIONS": options})
        self.resting_until = 0.0

    get = tolerant(miss)(RedisCache.get)
    set = tolerant(nothing)(RedisCache.set)
    add = tolerant(lambda *a, **k: False)(RedisCache.add)
    touch = tolerant(lambda *a, **k: False)(RedisCache.touch)
    delete = tolerant(lambda *a, **k: False)(RedisCache.delete)
    has_key = tolerant(lambda *a, **k: False)(RedisCache.has_key)
    incr = tolerant(missing_key)(RedisCache.incr)
    get_many = tolerant(lambda *a, **k: {})(RedisCache.get_many)
    set_many = tolerant(lambda *a, **k: [])(RedisCache.set_many)
    delete_many = tolerant(nothing)(RedisCache.delete_many)
    clear = tolerant(lambda *a, **k: False)(RedisCache.clear)
