"""The backend for the database in use: SQLite FTS5 or PostgreSQL full-text search.

A backend has the readers `count(stories, query, limit)`, `ranked_ids(stories, query, order=, start=, stop=)`
((story id, rank) pairs; a higher rank is better) and `decorate(stories, query)` (sets each story's `snippet`),
and the writers `replace(documents)`, `insert(documents)`, `remove(story_ids)`, `clear()`, `finish()`, plus
`is_empty()`. `stories` is always a queryset chained from Story.objects.published().
"""

from django.db import connection


def backend():
    """The backend for the default database."""
    if connection.vendor == "postgresql":
        from . import postgresql

        return postgresql
    from . import sqlite

    return sqlite
