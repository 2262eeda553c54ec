import os
import shutil
import sqlite3
import subprocess
import tarfile
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections


def database():
    """The primary database's settings."""
    return connections[DEFAULT_DB_ALIAS].settings_dict


def is_sqlite(db):
    return db["ENGINE"] == "django.db.backends.sqlite3"


def media_archive(path):
    """Where `--media` keeps the uploads next to the database backup."""
    return Path(f"{path}.media.tar.gz")


def pg_command(program, db, *args):
    """(argv, env) for a PostgreSQL client program; the password goes in the environment, never on the command line."""
    argv = [program, "--host", db["HOST"] or "localhost", "--port", str(db["PORT"] or 5432)]
    argv += ["--username", db["USER"], "--dbname", db["NAME"], *args] if db["USER"] else ["--dbname", db["NAME"], *args]
    env = {**os.environ, "PGPASSWORD": db["PASSWORD"]} if db["PASSWORD"] else dict(os.environ)
    return argv, env


def run(argv, env):
    if not shutil.which(argv[0]):
        raise CommandError(f"{argv[0]} is not installed (Debian: apt install postgresql-client).")
    result = subprocess.run(argv, env=env, capture_output=True, text=True)
    if result.returncode:
        raise CommandError(f"{argv[0]} failed: {result.stderr.strip()}")


def backup_sqlite(db, path):
    """A consistent copy through SQLite's online backup API: safe while the site runs and writes (WAL included)."""
    partial = path.with_name(path.name + ".partial")
    source, target = sqlite3.connect(db["NAME"]), sqlite3.connect(partial)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()
    partial.replace(path)


def backup_postgresql(db, path):
    """pg_dump's custom format: compressed, restored by pg_restore, consistent while the site runs."""
    run(*pg_command("pg_dump", db, "--format=custom", "--no-owner", "--file", str(path)))


class Command(BaseCommand):
    help = "Back up the database to one file (SQLite online backup or pg_dump), and the uploads with --media."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="The backup file to write.")
        parser.add_argument("--media", action="store_true", help="Also archive MEDIA_ROOT into PATH.media.tar.gz.")

    def handle(self, *args, path, media, **options):
        db, started = database(), time.monotonic()
        path.parent.mkdir(parents=True, exist_ok=True)
        (backup_sqlite if is_sqlite(db) else backup_postgresql)(db, path)
        seconds = time.monotonic() - started
        self.stdout.write(f"Database backed up to {path} ({path.stat().st_size:,} bytes, {seconds:.2f} s).")
        if media:
            if settings.STORAGES["default"]["BACKEND"] != "django.core.files.storage.FileSystemStorage":
                raise CommandError("Uploads are in a bucket (MEDIA_S3_BUCKET): back it up with the store's tools.")
            Path(settings.MEDIA_ROOT).mkdir(parents=True, exist_ok=True)
            with tarfile.open(media_archive(path), "w:gz") as archive:
                archive.add(settings.MEDIA_ROOT, arcname="media")
            self.stdout.write(f"Uploads archived to {media_archive(path)}.")
