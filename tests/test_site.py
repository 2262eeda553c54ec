"""The installation: settings from the environment, the database file, demo content, the production server."""

import json
import os
import re
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.core.management import call_command

from dateline.accounts.models import Author
from dateline.articles.models import FrontPage, Section, Story
from dateline.ops.management.commands.serve import server_command

DATELINE = [sys.executable, "-m", "dateline"]
SHOW_SETTINGS = "from django.conf import settings as s; import json; print(json.dumps({k: getattr(s, k) for k in %r}))"


def environment(**env):
    """This process's environment without the test-only async switch, plus `env`."""
    return {**{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}, **env}


def run_dateline(*args, env, timeout=60):
    return subprocess.run([*DATELINE, *args], env=environment(**env), capture_output=True, text=True, timeout=timeout)


def read_settings(tmp_path, names, **env):
    code = "import django; django.setup(); " + SHOW_SETTINGS % (names,)
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=environment(DJANGO_SETTINGS_MODULE="dateline.settings", DATELINE_VAR=str(tmp_path), **env),
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def test_defaults_are_safe_for_the_embedded_mode(tmp_path):
    """With no environment: DEBUG off, loopback hosts, plain HTTP, SQLite under var/."""
    s = read_settings(tmp_path, ["DEBUG", "ALLOWED_HOSTS", "SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "SITE_URL"])
    assert s == {
        "DEBUG": False,
        "ALLOWED_HOSTS": ["127.0.0.1", "localhost", "[::1]"],
        "SECURE_SSL_REDIRECT": False,
        "SESSION_COOKIE_SECURE": False,
        "SITE_URL": "",
    }


def test_secret_key_is_generated_once_and_kept(tmp_path):
    """Without SECRET_KEY, a key is made on first start, saved under var/ (mode 600) and reused."""
    first = read_settings(tmp_path, ["SECRET_KEY"])["SECRET_KEY"]
    second = read_settings(tmp_path, ["SECRET_KEY"])["SECRET_KEY"]
    assert first == second and len(first) >= 50
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600


def test_environment_overrides(tmp_path):
    """DEBUG, ALLOWED_HOSTS, HTTPS, SITE_URL, SECRET_KEY and DATABASE_URL come from the environment."""
    s = read_settings(
        tmp_path,
        [
            "DEBUG",
            "ALLOWED_HOSTS",
            "SECURE_SSL_REDIRECT",
            "SECURE_HSTS_SECONDS",
            "CSRF_COOKIE_SECURE",
            "SITE_URL",
            "SECRET_KEY",
        ],
        DEBUG="1",
        ALLOWED_HOSTS="news.example.org, www.news.example.org",
        HTTPS="1",
        SITE_URL="https://news.example.org/",
        SECRET_KEY="k" * 60,
    )
    assert s["DEBUG"] is True
    assert s["ALLOWED_HOSTS"] == ["news.example.org", "www.news.example.org"]
    assert s["SECURE_SSL_REDIRECT"] is s["CSRF_COOKIE_SECURE"] is True
    assert s["SECURE_HSTS_SECONDS"] >= 31536000
    assert s["SITE_URL"] == "https://news.example.org"
    assert s["SECRET_KEY"] == "k" * 60
    db = read_settings(tmp_path, ["DATABASES"], DATABASE_URL="postgres://u:p@db.example.org:5433/news")["DATABASES"]
    assert (db["default"]["ENGINE"], db["default"]["HOST"], db["default"]["PORT"]) == (
        "django.db.backends.postgresql", "db.example.org", 5433,
    )  # fmt: skip


def test_a_bad_flag_fails_loudly(tmp_path):
    """DEBUG=maybe is an error at start-up, not a guess."""
    with pytest.raises(subprocess.CalledProcessError) as error:
        read_settings(tmp_path, ["DEBUG"], DEBUG="maybe")
    assert "DEBUG must be 0 or 1" in error.value.stderr


def test_production_settings_pass_the_deploy_check(tmp_path):
    """`dateline check --deploy --fail-level WARNING` passes with HTTPS=1 and a SECRET_KEY."""
    result = run_dateline(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env={"DATELINE_VAR": str(tmp_path), "HTTPS": "1", "SECRET_KEY": "s" * 20 + "Q7x!" * 12},
    )
    assert result.returncode == 0, result.stderr


def test_migrate_makes_a_sqlite_database_in_wal_mode(tmp_path):
    """The embedded database lives under var/ and runs in WAL mode."""
    result = run_dateline("migrate", "--noinput", "-v0", env={"DATELINE_VAR": str(tmp_path), "DATABASE_URL": ""})
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(tmp_path / "dateline.sqlite3") as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


@pytest.mark.django_db
def test_demo_content_is_complete_and_idempotent():
    """`dateline demo` loads the seed story as the lead, sections, authors and ~300 stories; twice changes nothing."""
    call_command("demo", stdout=open(os.devnull, "w"))
    counts = Story.objects.count(), Section.objects.count(), Author.objects.count()
    call_command("demo", stdout=open(os.devnull, "w"))
    assert (Story.objects.count(), Section.objects.count(), Author.objects.count()) == counts
    assert counts[0] >= 300 and counts[1] >= 5 and counts[2] >= 5
    assert {"World", "Middle East", "Politics", "Business", "Sport"} <= set(
        Section.objects.values_list("name", flat=True)
    )
    assert FrontPage.objects.get(language="en").lead.news_id == 318214
    assert not Story.objects.filter(is_demo=False).exists()
    dates = Story.objects.exclude(news_id=318214).values_list("published_at", flat=True)
    assert (max(dates) - min(dates)).days >= 60


def test_server_command_runs_granian_in_wsgi_mode():
    """`dateline serve` uses granian's WSGI interface with the requested host, port and workers."""
    program, argv = server_command("0.0.0.0", 8123, 3)
    assert Path(program).name == "granian"
    assert argv[argv.index("--interface") + 1] == "wsgi"
    assert argv[argv.index("--port") + 1] == "8123"
    assert argv[argv.index("--workers") + 1] == "3"
    assert argv[-1] == "dateline.wsgi:application"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def served_site(tmp_path):
    """A real `dateline serve` on a fresh embedded database with the demo content."""
    env = {"DATELINE_VAR": str(tmp_path), "DATABASE_URL": "", "REDIS_URL": ""}
    for args in (["migrate", "--noinput", "-v0"], ["demo"]):
        assert run_dateline(*args, env=env).returncode == 0
    port = free_port()
    server = subprocess.Popen([*DATELINE, "serve", "--port", str(port), "--workers", "1"], env=environment(**env))
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_production_server_serves_the_seed_story_and_static_files(served_site):
    """Through granian: /news/318214 redirects, the page has the footer, CSS comes hashed and compressed."""
    with urllib.request.urlopen(served_site + "/news/318214") as response:
        assert response.url.endswith("/news/318214/foreign-combat-forces-to-leave-iraq-in-15-days-military")
        html = response.read().decode()
        assert re.search(r"app;dur=\d+\.\d", response.headers["Server-Timing"])
    assert "News ID: 318214" in html and "Published: " in html
    assert re.search(r"Page Generated in \d+\.\d{4} sec", html)
    css = re.search(r'href="(/static/dateline/site\.[0-9a-f]{12}\.css)"', html)[1]
    request = urllib.request.Request(served_site + css, headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request) as response:
        assert response.headers["Content-Encoding"] == "gzip"
        assert "immutable" in response.headers["Cache-Control"]


def test_favicon_ico_leads_to_the_site_icon(client):
    """/favicon.ico redirects to the icon, so no page logs a 404 for it."""
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200


def test_media_go_to_shared_s3_storage_when_configured(tmp_path):
    """MEDIA_S3_BUCKET switches uploads to django-storages' S3 backend with the given endpoint."""
    s = read_settings(
        tmp_path,
        ["STORAGES"],
        MEDIA_S3_BUCKET="dateline-media",
        MEDIA_S3_ENDPOINT_URL="https://minio.internal:9000",
    )
    default = s["STORAGES"]["default"]
    assert default["BACKEND"] == "storages.backends.s3.S3Storage"
    assert default["OPTIONS"]["bucket_name"] == "dateline-media"
    assert default["OPTIONS"]["endpoint_url"] == "https://minio.internal:9000"
    assert read_settings(tmp_path, ["STORAGES"])["STORAGES"]["default"]["BACKEND"].endswith("FileSystemStorage")
