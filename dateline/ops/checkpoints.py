"""SQLite's write-ahead log during a long run of commits (an import): checkpoints spaced out, and copied in the
background meanwhile."""

import logging
import threading
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.backends.signals import connection_created

logger = logging.getLogger(__name__)

# SQLite copies its write-ahead log into the database every so many pages (1000 by default), and syncs both files to
# disk then. A story's commit rewrites the same index pages as the last one's, so copying less often copies each of
# them once for many commits; and while workers prepare, a thread copies the log in the background (CHECKPOINT_SECONDS)
# so that the writer's own checkpoints find little left to copy and sync. Measured on 20,000 stories, 3,425 instead of
# 2,724 stories a second for the SQL alone, with a log of up to 160 MB while the import runs.
IMPORT_CHECKPOINT_PAGES = 40_000
DEFAULT_CHECKPOINT_PAGES = 1000  # SQLite's
CHECKPOINT_SECONDS = 0.05


@contextmanager
def checkpoints_apart(alias=DEFAULT_DB_ALIAS):
    """Within the block, SQLite checkpoints its log every IMPORT_CHECKPOINT_PAGES pages (on the connection open now
    and any opened meanwhile: a forked worker's start closes this process's)."""
    connection = connections[alias]

    def space_out(sender, connection, **kwargs):
        checkpoint_every(connection, IMPORT_CHECKPOINT_PAGES)

    if connection.vendor != "sqlite":
        yield
        return
    connection_created.connect(space_out)
    if connection.connection is not None:
        space_out(None, connection)
    try:
        yield
    finally:
        connection_created.disconnect(space_out)
        if connection.connection is not None:
            checkpoint_every(connection, DEFAULT_CHECKPOINT_PAGES)


def checkpoint_every(connection, pages):
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA wal_autocheckpoint = {int(pages)}")


@contextmanager
def checkpoints_behind(alias=DEFAULT_DB_ALIAS):
    """Within the block, a thread copies SQLite's log into the database every CHECKPOINT_SECONDS, with a passive
    checkpoint: it waits for no one and blocks no one, and it syncs the files outside this process's lock (the
    writing goes on meanwhile). A checkpoint the writer then makes finds little left to copy and sync."""
    if connections[alias].vendor != "sqlite":
        yield
        return
    done = threading.Event()
    thread = threading.Thread(target=checkpoint_until, args=(alias, done), name="checkpoints", daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join()


def checkpoint_until(alias, done):
    connection = connections[alias]  # this thread's own
    try:
        while not done.wait(CHECKPOINT_SECONDS):
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA wal_checkpoint(PASSIVE)")
    except DatabaseError:  # the writer's own checkpoints still copy the log
        logger.exception("background checkpoints stopped")
    finally:
        connection.close()
