"""Database upkeep that is not a migration."""

import logging

from django.db import DatabaseError, connection

logger = logging.getLogger(__name__)


def analyze():
    """Give SQLite's query planner fresh statistics (sqlite_stat1), so it picks the right index on a large site.

    Sampled (analysis_limit), so it takes well under a second on a 100,000-story database. PostgreSQL keeps its
    own statistics (autovacuum), so nothing is done there. A database that cannot be written (read-only, disk full)
    is served with the statistics it has.
    """
    if connection.vendor != "sqlite":
        return
    try:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA analysis_limit=1000")
            cursor.execute("ANALYZE")
    except DatabaseError:
        logger.warning("planner statistics not refreshed", exc_info=True)
