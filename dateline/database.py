"""Database upkeep that is not a migration."""

from django.db import connection


def analyze():
    """Give SQLite's query planner fresh statistics (sqlite_stat1), so it picks the right index on a large site.

    Sampled (analysis_limit), so it takes well under a second on a 100,000-story database. PostgreSQL keeps its
    own statistics (autovacuum), so nothing is done there.
    """
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA analysis_limit=1000")
            cursor.execute("ANALYZE")
