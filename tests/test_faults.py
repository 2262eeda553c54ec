"""Faults injected into real processes: a full or read-only disk, Redis down, PostgreSQL restarted, `kill -9`.

In each, nothing that was acknowledged is lost and nothing is half-written.
"""

import http.client
import json
import os
import shlex
import signal
import sqlite3
import subprocess
import threading
import time
import urllib.request
from glob import glob
from pathlib import Path

import pytest

from .processes import (
    DATELINE,
    editor_token,
    environment,
    fetch,
    free_port,
    postgres_url,
    redis_keys,
    run_dateline,
    scratch_postgres_database,
    serving,
    start_redis,
    stop,
    wait_for,
)

SEED = 318214


def api(base, token, method, path, payload=None):
    """(status, JSON body) of an API call made with the editor's token."""
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    data = json.dumps(payload).encode() if payload is not None else None
    request = urllib.request.Request(base + "/api/v1" + path, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def edit_seed_story(base, token, body):
    """Save a new body on the seed story, based on its current version."""
    version = api(base, token, "GET", f"/stories/{SEED}")[1]["version"]
    return api(base, token, "PATCH", f"/stories/{SEED}", {"version": version, "body_html": body})


@pytest.fixture
def small_disk(tmp_path):
    """A 48 MB tmpfs (a real file system that can fill up or turn read-only); skipped where it cannot be mounted."""
    disk = tmp_path / "disk"
    disk.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=48m", "tmpfs", str(disk)], capture_output=True).returncode:
        pytest.skip("needs root to mount a small tmpfs")
    yield disk
    subprocess.run(["umount", "-l", str(disk)], check=True)


@pytest.fixture
def small_disk_env(small_disk, tmp_path):
    """A demo site whose database lives on the small disk (the rest under tmp_path); yields (env, token)."""
    database = small_disk / "dateline.sqlite3"
    env = {"DATELINE_VAR": str(tmp_path / "var"), "DATABASE_URL": f"sqlite:///{database}", "REDIS_URL": ""}
    run_dateline("migrate", "--noinput", "-v0", env=env)
    run_dateline("demo", env=env)
    return env, editor_token(env)


@pytest.fixture
def site_on_small_disk(small_disk_env, small_disk, tmp_path):
    """The small-disk site, served; yields (base URL, token, database path)."""
    env, token = small_disk_env
    port = free_port()
    with open(tmp_path / "serve.log", "w") as log, serving(env, port, log):
        yield f"http://127.0.0.1:{port}", token, small_disk / "dateline.sqlite3"


def fill(disk):
    """Write until the disk is full; return the filler to remove."""
    filler = disk / "filler"
    with open(filler, "wb", buffering=0) as f:  # unbuffered: nothing left to flush (and fail) on close
        try:
            while True:
                f.write(b"\0" * 65536)
        except OSError:
            pass
    return filler


def query(database, sql, *params):
    """The rows of one query, on a connection closed at once (an open file would keep the disk busy)."""
    db = sqlite3.connect(database)
    try:
        return db.execute(sql, params).fetchall()
    finally:
        db.close()


def integrity(database):
    return query(database, "PRAGMA integrity_check")[0][0]


def seed_row(database):
    return query(database, "SELECT body, version FROM articles_story WHERE news_id = ?", SEED)[0]


def test_disk_full_refuses_a_save_clearly_and_corrupts_nothing(site_on_small_disk, small_disk):
    """A full disk: the editor gets a 503 saying nothing was changed; the story and the database stay intact."""
    base, token, database = site_on_small_disk
    before = api(base, token, "GET", f"/stories/{SEED}")[1]
    query(database, "PRAGMA wal_checkpoint(TRUNCATE)")  # no room left in the write-ahead log either
    filler = fill(small_disk)
    status, answer = edit_seed_story(base, token, "<p>" + "A long new paragraph. " * 20000 + "</p>")
    assert status == 503 and "nothing was changed" in answer["detail"]
    filler.unlink()
    assert integrity(database) == "ok"
    assert api(base, token, "GET", f"/stories/{SEED}")[1] == before
    assert edit_seed_story(base, token, "<p>Saved once there is room.</p>")[0] == 200


def test_read_only_disk_refuses_a_save_clearly_and_corrupts_nothing(small_disk_env, small_disk, tmp_path):
    """A database on a read-only disk: a 503 for the editor's save; once writable, saving works without a restart."""
    env, token = small_disk_env
    port, database = free_port(), small_disk / "dateline.sqlite3"
    base = f"http://127.0.0.1:{port}"
    before = seed_row(database)
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)  # files are open only while serving
    try:
        with open(tmp_path / "serve.log", "w") as log, serving(env, port, log):
            change = {"version": before[1], "body_html": "<p>Written to a read-only disk.</p>"}
            status, answer = api(base, token, "PATCH", f"/stories/{SEED}", change)
            assert status == 503 and "nothing was changed" in answer["detail"]
            subprocess.run(["mount", "-o", "remount,rw", str(small_disk)], check=True)
            assert integrity(database) == "ok"
            assert seed_row(database) == before
            assert edit_seed_story(base, token, "<p>Saved once writable.</p>")[0] == 200
    finally:
        subprocess.run(["mount", "-o", "remount,rw", str(small_disk)], capture_output=True)


@pytest.fixture
def redis_port(tmp_path):
    return free_port()


def test_pages_render_without_redis_and_caching_resumes_when_it_is_back(tmp_path, redis_port):
    """Redis down: pages are 200 from the database and the failure is logged; Redis back: the cache fills again."""
    env = {"DATELINE_VAR": str(tmp_path), "DATABASE_URL": "", "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0"}
    redis = start_redis(redis_port, tmp_path)
    run_dateline("migrate", "--noinput", "-v0", env=env)
    run_dateline("demo", env=env)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    pages = ("/", f"/news/{SEED}", "/rss.xml", "/api/v1/stories")
    try:
        with open(tmp_path / "serve.log", "w") as log, serving(env, port, log):
            assert all(fetch(base + path)[0] == 200 for path in pages) and redis_keys(redis_port)  # the cache is in use
            stop(redis)
            for path in pages:
                assert fetch(base + path)[0] == 200, path
            assert "cache" in (tmp_path / "serve.log").read_text().lower()  # the failure is logged
            redis = start_redis(redis_port, tmp_path)
            time.sleep(2.5)  # the cache rests for 2 s after a failure
            assert not redis_keys(redis_port)  # a new, empty Redis
            assert all(fetch(base + path)[0] == 200 for path in pages) and redis_keys(redis_port)
    finally:
        stop(redis)


def pg_ctl(*args):
    """Run pg_ctl on the PostgreSQL of .ci/services.sh, as the postgres user when we are root."""
    program = sorted(glob("/usr/lib/postgresql/*/bin/pg_ctl"))[-1]
    argv = [program, "-D", os.environ["PGDATA_DIR"], *args]
    if os.getuid() == 0:
        argv = ["runuser", "-u", "postgres", "--", *argv]
    subprocess.run(argv, check=True, capture_output=True, cwd="/")


def start_options():
    """The options the server was started with (postmaster.opts), to start it again the same way."""
    words = shlex.split(Path(os.environ["PGDATA_DIR"], "postmaster.opts").read_text())
    options = words[1:]
    if "-D" in options:
        del options[options.index("-D") : options.index("-D") + 2]
    return shlex.join(options)


def test_postgresql_restart_gives_503_then_service_resumes(tmp_path):
    """PostgreSQL stopped while serving: a clear 503 page with Retry-After; started again: pages come back alone."""
    url = postgres_url()
    if not url or not os.environ.get("PGDATA_DIR"):
        pytest.skip("PostgreSQL only: run under .ci/services.sh (make test-pg), which exports PGDATA_DIR")
    with scratch_postgres_database(url) as database_url:
        env = {"DATELINE_VAR": str(tmp_path), "DATABASE_URL": database_url, "REDIS_URL": ""}
        run_dateline("migrate", "--noinput", "-v0", env=env)
        run_dateline("demo", env=env)
        port, options = free_port(), start_options()
        base = f"http://127.0.0.1:{port}"
        with open(tmp_path / "serve.log", "w") as log, serving(env, port, log, workers=2):
            assert fetch(base + f"/news/{SEED}")[0] == 200
            pg_ctl("-m", "fast", "-w", "stop")
            try:
                # Past the page cache (a query string), so Django and its database answer.
                outage = [fetch(base + f"/news/{SEED}?during-the-outage={n}") for n in range(4)]
            finally:
                pg_ctl("-w", "-t", "60", "-l", str(Path(os.environ["PGDATA_DIR"]).parent / "pgrun/restart.log"),
                       "-o", options, "start")  # fmt: skip
            for status, headers, body in outage:
                assert status == 503 and headers["Retry-After"] == "30"
                assert "Temporarily unavailable" in body and "Traceback" not in body
            assert all(fetch(base + f"/news/{SEED}")[0] == 200 for _ in range(4))


def test_kill_9_mid_stream_loses_nothing_acknowledged(tmp_path):
    """`kill -9` of the server amid story saves and moderation: every acknowledged write is there, whole."""
    env = {"DATELINE_VAR": str(tmp_path), "DATABASE_URL": "", "REDIS_URL": ""}
    run_dateline("migrate", "--noinput", "-v0", env=env)
    run_dateline("demo", env=env)
    run_dateline("shell", "-c", PENDING_COMMENTS, env=env)
    token, port = editor_token(env), free_port()
    base = f"http://127.0.0.1:{port}"
    with open(tmp_path / "serve.log", "w") as log:
        server = subprocess.Popen(
            [*DATELINE, "serve", "--port", str(port), "--workers", "2"],
            env=environment(**env),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: kill -9 reaches the workers too
        )
        wait_for(base + "/robots.txt")
        acknowledged = {"stories": {}, "comments": []}
        writers = [threading.Thread(target=write_stories, args=(base, token, n, acknowledged)) for n in range(3)]
        writers.append(threading.Thread(target=moderate_comments, args=(base, token, acknowledged)))
        for writer in writers:
            writer.start()
        time.sleep(3)
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()
        for writer in writers:
            writer.join()
    check_nothing_lost(tmp_path / "dateline.sqlite3", acknowledged)


PENDING_COMMENTS = """
from dateline.articles.models import Story
from dateline.comments.models import Comment
story = Story.objects.get(news_id=318214)
Comment.objects.bulk_create(Comment(story=story, name=f"Reader {i}", body=f"Pending {i}") for i in range(400))
"""


def write_stories(base, token, writer, acknowledged):
    """Create drafts until the server dies; note each one the server acknowledged (201)."""
    for i in range(10_000):
        headline = f"Writer {writer} story {i}"
        body = f"<p>{headline}: " + "words " * 500 + "</p>"
        try:
            status, story = api(
                base, token, "POST", "/stories", {"headline": headline, "summary": "", "body_html": body}
            )
        except (OSError, http.client.HTTPException):  # the server died, mid-answer perhaps
            return
        if status == 201:
            acknowledged["stories"][story["news_id"]] = (headline, story["body_html"], story["version"])


def moderate_comments(base, token, acknowledged):
    """Approve pending comments until the server dies; note each approval acknowledged (200)."""
    try:
        while pending := api(base, token, "GET", "/comments?status=pending&limit=100")[1]["items"]:
            for comment in pending:
                if api(base, token, "POST", f"/comments/{comment['id']}/approve")[0] == 200:
                    acknowledged["comments"].append(comment["id"])
    except (OSError, http.client.HTTPException):  # the server died, mid-answer perhaps
        return


def check_nothing_lost(database, acknowledged):
    assert acknowledged["stories"] and acknowledged["comments"], "the stream wrote nothing before the kill"
    with sqlite3.connect(database) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        stories = {
            row[0]: row[1:]
            for row in db.execute(
                "SELECT news_id, headline, body, version FROM articles_story WHERE headline LIKE 'Writer %'"
            )
        }
        for news_id, expected in acknowledged["stories"].items():
            assert stories[news_id] == expected
        # Nothing half-written: every story that is there (acknowledged or not) has its byline and its revision.
        half = db.execute(
            "SELECT count(*) FROM articles_story s WHERE s.headline LIKE 'Writer %' AND ("
            " NOT EXISTS (SELECT 1 FROM articles_story_authors a WHERE a.story_id = s.id)"
            " OR NOT EXISTS (SELECT 1 FROM newsroom_revision r WHERE r.story_id = s.id))"
        ).fetchone()[0]
        assert half == 0
        approved = {row[0] for row in db.execute("SELECT id FROM comments_comment WHERE status = 'approved'")}
        assert set(acknowledged["comments"]) <= approved
    saves, approvals = len(acknowledged["stories"]), len(acknowledged["comments"])
    print(f"kill -9: {saves} saves and {approvals} approvals acknowledged; {len(stories)} stories on disk, all whole")


@pytest.mark.django_db
def test_database_error_in_a_view_is_a_503_page(client, monkeypatch):
    """An OperationalError while rendering a page answers the plain 503 page with Retry-After, no traceback."""
    from django.db.utils import OperationalError

    def broken(*args, **kwargs):
        raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")

    monkeypatch.setattr("dateline.articles.models.StoryQuerySet.published", broken, raising=False)
    response = client.get("/?page=1")
    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert b"Temporarily unavailable" in response.content and b"Connection refused" not in response.content


@pytest.mark.django_db(transaction=True)
def test_router_sends_reads_to_replicas_and_write_paths_to_the_primary():
    """GETs read from a replica; a write, a transaction or an unsafe request pins the request to the primary."""
    from django.db import transaction

    from dateline.articles.models import Story
    from dateline.ops import replicas

    router = replicas.ReplicaRouter()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(replicas, "replicas", lambda: ["replica1"])
        replicas.start_request(None, environ={"REQUEST_METHOD": "GET"})
        assert router.db_for_read(Story) == "replica1"
        with transaction.atomic():
            assert router.db_for_read(Story) == "default"
        assert router.db_for_write(Story) == "default" and router.db_for_read(Story) == "default"
        replicas.start_request(None, environ={"REQUEST_METHOD": "POST"})
        assert router.db_for_read(Story) == "default"
        assert not router.allow_migrate("replica1", "articles")
    replicas.pinned.set(False)
