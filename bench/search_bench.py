"""Search timing: build N stories of realistic text in a temporary SQLite database, then time common queries.

    .venv/bin/python bench/search_bench.py [--stories 5000] [--queries 50] [--database-url URL]

Prints the build and index times and, for one-word and three-word queries, p50/p95 of what the search page
does (count the matches, fetch the first page with snippets) and of a whole GET /search through Django.
With --database-url (e.g. a scratch PostgreSQL database) that database is used instead; it is migrated and filled.
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def configure(database_url):
    """Django set up on a fresh database: a temporary SQLite file unless a URL is given."""
    workdir = Path(tempfile.mkdtemp(prefix="dateline-search-bench-"))
    os.environ["DATELINE_VAR"] = str(workdir)
    os.environ["DATABASE_URL"] = database_url or f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dateline.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.ALLOWED_HOSTS = ["testserver"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    call_command("migrate", verbosity=0)
    return workdir


def timed(function, repeat):
    times = []
    for argument in repeat:
        started = time.perf_counter()
        function(argument)
        times.append((time.perf_counter() - started) * 1000)
    return times


def run_query(text):
    from dateline.search import search

    results = search(text)
    results.count()
    results[:20]


def get_page(client):
    def get(text):
        response = client.get("/search", {"q": text})
        assert response.status_code == 200

    return get


def figures(label, times):
    times = sorted(times)
    p95 = times[max(0, int(len(times) * 0.95) - 1)]
    print(f"  {label:<34} p50 {statistics.median(times):7.2f} ms   p95 {p95:7.2f} ms   max {times[-1]:7.2f} ms")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=5000)
    parser.add_argument("--queries", type=int, default=50)
    parser.add_argument("--database-url", default="")
    arguments = parser.parse_args()
    rng = random.Random(20261126)
    workdir = configure(arguments.database_url)
    from benchdata import NEWS_WORDS, Site
    from django.db import connection
    from django.test import Client

    from dateline.search.indexing import rebuild

    started = time.perf_counter()
    Site(arguments.stories, 0, seed=20261126).build()
    built = time.perf_counter() - started
    started = time.perf_counter()
    indexed = rebuild()
    index_time = time.perf_counter() - started
    print(f"Search benchmark on {connection.vendor} ({workdir}):")
    print(f"  built {arguments.stories} stories in {built:.1f} s; indexed {indexed} in {index_time:.1f} s")

    one_word = [rng.choice(NEWS_WORDS) for _ in range(arguments.queries)]
    three_words = [" ".join(rng.sample(NEWS_WORDS[:100], 3)) for _ in range(arguments.queries)]
    run_query("warm up")
    client = Client()
    figures("one word: count + first page", timed(run_query, one_word))
    figures("three words: count + first page", timed(run_query, three_words))
    figures("one word: GET /search", timed(get_page(client), one_word))
    figures("three words: GET /search", timed(get_page(client), three_words))


if __name__ == "__main__":
    main()
