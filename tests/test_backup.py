"""`dateline backup` and `dateline restore`: a round trip gives back every story, comment and user, field by field."""

import time

import pytest

from .processes import dumpdata, postgres_url, run_dateline, scratch_postgres_database

MODELS = ("articles.story", "comments.comment", "auth.user", "accounts.author", "articles.section", "articles.tag")
CHANGES = """
from django.contrib.auth.models import User
from dateline.articles.models import Story
from dateline.comments.models import Comment
Story.objects.filter(pk__in=list(Story.objects.values_list("pk", flat=True)[:50])).delete()
Story.objects.filter(news_id=318214).update(headline="Changed after the backup")
Comment.objects.update(body="Changed after the backup")
User.objects.filter(username="editor").delete()
User.objects.create_user("intruder", password="x")
"""
USERS = """
from django.contrib.auth.models import User
User.objects.create_user("editor", "editor@example.org", "a long pass phrase", first_name="Ed", is_staff=True)
User.objects.create_superuser("chief", "chief@example.org", "another pass phrase")
"""


@pytest.fixture
def sqlite_site(tmp_path):
    return {"DATELINE_VAR": str(tmp_path), "DATABASE_URL": "", "REDIS_URL": ""}


@pytest.fixture
def postgres_site(tmp_path):
    """A scratch database on the PostgreSQL that DATABASE_URL names (make test-pg), dropped afterwards."""
    url = postgres_url()
    if not url:
        pytest.skip("PostgreSQL only: DATABASE_URL is not a postgres:// URL (run `make test-pg`)")
    with scratch_postgres_database(url) as database_url:
        yield {"DATELINE_VAR": str(tmp_path), "DATABASE_URL": database_url, "REDIS_URL": ""}


def newsroom(env):
    """Migrate, load the demo newsroom (stories, comments) and two staff users."""
    run_dateline("migrate", "--noinput", "-v0", env=env)
    run_dateline("demo", env=env)
    run_dateline("shell", "-c", USERS, env=env)


def round_trip(env, backup):
    """Back up, change and delete things, restore; return the data before and after, and the backup's figures."""
    newsroom(env)
    before = dumpdata(env, *MODELS)
    started = time.monotonic()
    output = run_dateline("backup", str(backup), env=env)
    seconds = time.monotonic() - started
    run_dateline("shell", "-c", CHANGES, env=env)
    assert dumpdata(env, *MODELS) != before
    run_dateline("restore", str(backup), "--yes", env=env)
    print(f"backup: {backup.stat().st_size:,} bytes in {seconds:.2f} s (command included); {output.strip()}")
    return before, dumpdata(env, *MODELS)


def test_sqlite_round_trip_gives_back_every_row(sqlite_site, tmp_path):
    """On SQLite, restore brings back every story, comment and user exactly as they were backed up."""
    before, after = round_trip(sqlite_site, tmp_path / "backups" / "site.sqlite3")
    assert after == before
    assert '"model": "comments.comment"' in before and '"username": "editor"' in before


def test_postgresql_round_trip_gives_back_every_row(postgres_site, tmp_path):
    """On PostgreSQL (pg_dump/pg_restore), restore brings back every story, comment and user exactly."""
    before, after = round_trip(postgres_site, tmp_path / "site.dump")
    assert after == before
    assert (tmp_path / "site.dump").read_bytes().startswith(b"PGDMP")


def test_restore_refuses_without_yes(sqlite_site, tmp_path):
    """Without --yes, restore changes nothing and says how to go on."""
    run_dateline("migrate", "--noinput", "-v0", env=sqlite_site)
    run_dateline("shell", "-c", USERS, env=sqlite_site)
    run_dateline("backup", str(tmp_path / "site.sqlite3"), env=sqlite_site)
    run_dateline("shell", "-c", CHANGES, env=sqlite_site)
    changed = dumpdata(sqlite_site, *MODELS)
    with pytest.raises(AssertionError, match="--yes"):
        run_dateline("restore", str(tmp_path / "site.sqlite3"), env=sqlite_site)
    assert dumpdata(sqlite_site, *MODELS) == changed


def test_restore_refuses_a_file_that_is_not_a_backup(sqlite_site, tmp_path):
    """A file that is not an SQLite database is refused before anything is touched."""
    run_dateline("migrate", "--noinput", "-v0", env=sqlite_site)
    (tmp_path / "notes.txt").write_text("not a database")
    with pytest.raises(AssertionError, match="not a SQLite backup"):
        run_dateline("restore", str(tmp_path / "notes.txt"), "--yes", env=sqlite_site)


def test_media_go_into_the_archive_and_come_back(sqlite_site, tmp_path):
    """--media archives the uploads next to the backup, and restore --media puts them back."""
    run_dateline("migrate", "--noinput", "-v0", env=sqlite_site)
    picture = tmp_path / "media" / "images" / "2024" / "photo.jpg"
    picture.parent.mkdir(parents=True)
    picture.write_bytes(b"\xff\xd8 picture bytes")
    run_dateline("backup", str(tmp_path / "b" / "site.sqlite3"), "--media", env=sqlite_site)
    picture.unlink()
    run_dateline("restore", str(tmp_path / "b" / "site.sqlite3"), "--media", "--yes", env=sqlite_site)
    assert picture.read_bytes() == b"\xff\xd8 picture bytes"
