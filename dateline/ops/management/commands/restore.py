import sqlite3
import tarfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from .backup import database, is_sqlite, media_archive, pg_command, run

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_MAGIC = b"PGDMP"


def check_format(path, magic, kind):
    with open(path, "rb") as f:
        if f.read(len(magic)) != magic:
            raise CommandError(f"{path} is not a {kind} backup; this site runs on {kind}.")


def restore_sqlite(db, path):
    """Copy the backup over the live database through the backup API, in one step that other connections see."""
    check_format(path, SQLITE_MAGIC, "SQLite")
    source, target = sqlite3.connect(path), sqlite3.connect(db["NAME"], timeout=20)
    try:
        if source.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise CommandError(f"{path} is damaged (SQLite integrity check failed); nothing was changed.")
        source.backup(target)
    finally:
        target.close()
        source.close()


def restore_postgresql(db, path):
    """pg_restore in one transaction: the database is the backup's, or (on any error) unchanged."""
    check_format(path, PG_MAGIC, "PostgreSQL")
    args = ("--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction", str(path))
    run(*pg_command("pg_restore", db, *args))


def restore_media(path):
    with tarfile.open(media_archive(path)) as archive:
        members = [m for m in archive.getmembers() if m.name == "media" or m.name.startswith("media/")]
        for member in members:
            member.name = member.name.removeprefix("media").lstrip("/") or "."
        archive.extractall(settings.MEDIA_ROOT, members=members, filter="data")


class Command(BaseCommand):
    help = "Replace the database (and with --media the uploads) with a backup made by `dateline backup`."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="The backup file to restore.")
        parser.add_argument("--media", action="store_true", help="Also unpack PATH.media.tar.gz into MEDIA_ROOT.")
        parser.add_argument("--yes", action="store_true", help="Overwrite the current database without asking.")

    def handle(self, *args, path, media, yes, **options):
        if not path.is_file():
            raise CommandError(f"No backup at {path}.")
        if media and not media_archive(path).is_file():
            raise CommandError(f"No uploads archive at {media_archive(path)}.")
        db = database()
        if not yes:
            raise CommandError(f"This replaces everything in the database {db['NAME']}; run again with --yes to do it.")
        connections.close_all()
        (restore_sqlite if is_sqlite(db) else restore_postgresql)(db, path)
        self.stdout.write(f"Database restored from {path}.")
        if media:
            restore_media(path)
            self.stdout.write(f"Uploads restored from {media_archive(path)}.")
