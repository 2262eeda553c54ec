"""Read replicas (DATABASE_REPLICA_URLS): reads go to a replica, writes and everything in a write path to the primary.

A request stays on the primary from its start when it may write (any method but GET, HEAD, OPTIONS), from its
first write otherwise, and for any query inside a transaction (`atomic`), so an editor always reads what they have
just saved and optimistic locking compares against the primary's version. Readers' pages, feeds and the API's
GETs go to a replica picked at random. Migrations run on the primary only; replicas copy them.
"""

import random
from contextvars import ContextVar

from django.core.signals import request_started
from django.db import DEFAULT_DB_ALIAS, connections

PRIMARY = DEFAULT_DB_ALIAS
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
pinned = ContextVar("dateline_pinned_to_primary", default=False)


def start_request(sender, environ=None, **kwargs):
    """Each request starts unpinned, unless it may write."""
    pinned.set(bool(environ) and environ.get("REQUEST_METHOD", "GET") not in SAFE_METHODS)


request_started.connect(start_request, dispatch_uid="dateline.ops.replicas")


def replicas():
    return [alias for alias in connections if alias != PRIMARY]


class ReplicaRouter:
    """Routes as the module says; every database holds the same data, so relations across them are allowed."""

    def db_for_read(self, model, **hints):
        if pinned.get() or connections[PRIMARY].in_atomic_block or not replicas():
            return PRIMARY
        return random.choice(replicas())

    def db_for_write(self, model, **hints):
        pinned.set(True)
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == PRIMARY
