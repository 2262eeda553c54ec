"""Where cached pages and the keys' change times live, shared by every worker (and, with Redis, every node).

A page is stored with the moment its rendering started and the keys it depends on; `invalidate(keys)` notes, per
key, the moment it changed. A page is current while every one of its keys last changed before it started: reading
a page and checking its keys is one query (SQLite) or one round trip (Redis). Times come from one clock: this
machine's for the SQLite file, the Redis server's (`TIME`) for Redis, so nodes' clocks need not agree.
"""

import json
import sqlite3
import threading
import time
from dataclasses import dataclass


@dataclass
class Page:
    status: str
    headers: list
    body: bytes
    etag: str
    keys: list
    started: float  # when rendering began, on the store's clock
    stale_at: float  # the safety-net bound, or the next scheduled story's time, whichever comes first
    stored_at: float
    story_id: int | None = None  # a story page counts a read on each hit

    def __post_init__(self):
        self.headers = [tuple(header) for header in self.headers]  # WSGI wants tuples; JSON gives lists

    def to_json(self):
        return json.dumps({k: v for k, v in self.__dict__.items() if k != "body"})


SCHEMA = """
CREATE TABLE IF NOT EXISTS pages (url TEXT PRIMARY KEY, meta TEXT NOT NULL, keys TEXT NOT NULL, body BLOB NOT NULL,
                                  started REAL NOT NULL, stale_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS changes (key TEXT PRIMARY KEY, at REAL NOT NULL);
"""
# The page, if no key it depends on changed since it started rendering and it is not past its bound.
READ = """
SELECT meta, body FROM pages
WHERE url = ? AND stale_at > ?
  AND NOT EXISTS (SELECT 1 FROM changes WHERE key IN (SELECT value FROM json_each(pages.keys)) AND at >= pages.started)
"""


class SQLiteStore:
    """A small SQLite file next to the database (var/pagecache.sqlite3): shared by the workers of one machine."""

    def __init__(self, path):
        self.path = str(path)
        self.local = threading.local()
        self.connection().executescript(SCHEMA)

    def connection(self):
        connection = getattr(self.local, "connection", None)
        if connection is None:
            connection = sqlite3.connect(self.path, timeout=10, isolation_level=None, check_same_thread=False)
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=NORMAL")
            self.local.connection = connection
        return connection

    def now(self):
        return time.time()

    def get(self, url):
        row = self.connection().execute(READ, (url, self.now())).fetchone()
        if row is None:
            return None
        return Page(body=row[1], **json.loads(row[0]))

    def put(self, url, page):
        self.connection().execute(
            "INSERT OR REPLACE INTO pages VALUES (?, ?, ?, ?, ?, ?)",
            (url, page.to_json(), json.dumps(page.keys), page.body, page.started, page.stale_at),
        )

    def invalidate(self, keys):
        at = self.now()
        self.connection().executemany(
            "INSERT INTO changes VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET at = excluded.at",
            [(key, at) for key in keys],
        )

    def clear(self):
        self.connection().executescript("DELETE FROM pages; DELETE FROM changes;")


# Redis: the page's keys are checked in the same round trip, by a script that reads the server's clock.
REDIS_READ = """
local page = redis.call('GET', KEYS[1])
if not page then return false end
local meta = cjson.decode(redis.call('GET', KEYS[2]) or 'null')
if not meta then return false end
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
if meta.stale_at <= now then return false end
for _, key in ipairs(meta.keys) do
  local at = redis.call('GET', ARGV[1] .. key)
  if at and tonumber(at) >= meta.started then return false end
end
return {redis.call('GET', KEYS[2]), page}
"""
REDIS_INVALIDATE = """
local t = redis.call('TIME')
local now = tostring(tonumber(t[1]) + tonumber(t[2]) / 1000000)
for _, key in ipairs(KEYS) do redis.call('SET', ARGV[1] .. key, now, 'EX', ARGV[2]) end
return now
"""


class RedisStore:
    """Redis (REDIS_URL): shared by every node. Change times outlive any page (kept for a day past the bound)."""

    PREFIX = "dateline:pagecache:"

    def __init__(self, url, seconds):
        import redis

        self.redis = redis.Redis.from_url(url)
        self.seconds = seconds
        self.read = self.redis.register_script(REDIS_READ)
        self.mark = self.redis.register_script(REDIS_INVALIDATE)

    def now(self):
        seconds, microseconds = self.redis.time()
        return seconds + microseconds / 1_000_000

    def get(self, url):
        found = self.read(keys=[self.PREFIX + "body:" + url, self.PREFIX + "meta:" + url], args=[self.PREFIX + "key:"])
        if not found:
            return None
        return Page(body=found[1], **json.loads(found[0]))

    def put(self, url, page):
        ttl = max(1, int(page.stale_at - page.started) + 1)
        pipe = self.redis.pipeline()
        pipe.set(self.PREFIX + "body:" + url, page.body, ex=ttl)
        pipe.set(self.PREFIX + "meta:" + url, page.to_json(), ex=ttl)
        pipe.execute()

    def invalidate(self, keys):
        if keys:
            self.mark(keys=list(keys), args=[self.PREFIX + "key:", self.seconds + 86400])

    def clear(self):
        for key in self.redis.scan_iter(self.PREFIX + "*"):
            self.redis.delete(key)
