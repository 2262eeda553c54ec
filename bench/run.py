"""`make bench`: Dateline's figures against issue #5's targets, on the embedded default (SQLite, no Redis).

    .venv/bin/python bench/run.py [--stories N] [--rebuild] [--quick] [--import-files N] [--out-dir DIR]

Builds a scratch site DIR/site-<N> (DIR: var/bench; reused when it holds the same data, --rebuild to force):
migrate, then `bench/benchdata.py --stories N`.
Then, with `dateline serve --workers 2` on a loopback port, per page kind: the hot footer and Server-Timing
figures of a cached page, the first request of pages no one asked for yet (cold, distinct URLs on the warm
process), wrk against the cached page (and the story page with PAGE_CACHE=0), search times, the import rate
(bench/import_bench.py), the workers' memory over a 60 s wrk run across 2,000 story pages, and the database
queries per page (Django's test client, two objects per kind), the newsroom desk's server times (bench/desk.py).
Prints a table and PASS/MISS per target, and
writes the figures to DIR/<UTC timestamp>.json and DIR/latest.json. N: --stories, else BENCH_STORIES, else 100000.
"""

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import time
from math import ceil
from pathlib import Path
from urllib.parse import urlencode

from desk import desk_figures, desk_targets
from measure import (
    BROWSER,
    ROOT,
    SERVER_ONLY,
    Client,
    bench_data,
    dateline,
    dateline_server,
    describe,
    fmt,
    machine,
    median,
    parse_wrk,
    percentile,
    rss_mb,
    setup_django,
    site_env,
    verdict,
    worker_pids,
    write_json,
    wrk,
    wrk_command,
)

KINDS = ["story", "front", "section", "tag", "author", "search", "feed", "sitemap"]
COLD_TARGETS = ["story", "front", "section", "tag"]
PLANS = {
    "full": dict(stories=100_000, wrk=10, rss=60, imports=20_000, hot=200, cold_stories=300, cold=100, searches=50),
    "quick": dict(stories=2_000, wrk=3, rss=10, imports=500, hot=50, cold_stories=60, cold=20, searches=20),
}
RSS_PATHS = 2000
LUA = Path(__file__).resolve().parent / "paths.lua"


def options():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, help="stories in the scratch site (default BENCH_STORIES or 100000)")
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--rebuild", action="store_true", help="build the scratch site again even if it exists")
    parser.add_argument("--quick", action="store_true", help="2,000 stories, 3 s wrk runs, 500 import files")
    parser.add_argument("--import-files", type=int, help="files for bench/import_bench.py (0: skip)")
    parser.add_argument("--wrk-seconds", type=int)
    parser.add_argument("--rss-seconds", type=int)
    parser.add_argument("--out-dir", type=Path, default=ROOT / "var" / "bench")
    args = parser.parse_args()
    plan = dict(PLANS["quick" if args.quick else "full"])
    stories = args.stories or os.environ.get("BENCH_STORIES")
    overrides = {"stories": stories, "wrk": args.wrk_seconds, "rss": args.rss_seconds, "imports": args.import_files}
    plan.update({key: int(value) for key, value in overrides.items() if value is not None})
    return args, plan


# The scratch site


def build_site(out_dir, stories, seed, rebuild):
    """The scratch site's directory, migrated and filled; an existing one with the same data is reused."""
    directory = out_dir / f"site-{stories}"
    marker, wanted = directory / "bench-site.json", {"data": "bench-data", "stories": stories, "seed": seed}
    if not rebuild and marker.exists() and json.loads(marker.read_text()) == wanted:
        print(f"Reusing {directory}", flush=True)
        dateline("migrate", "--noinput", "--verbosity", "0", env=site_env(directory), timeout=3600)  # new code's
        return directory
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)
    env = site_env(directory)
    started = time.monotonic()
    dateline("migrate", "--noinput", "--verbosity", "0", env=env, timeout=600)
    bench_data("--stories", str(stories), "--seed", str(seed), env=env, timeout=4 * 3600)
    marker.write_text(json.dumps(wanted))
    print(f"Built {directory} in {time.monotonic() - started:.0f} s", flush=True)
    return directory


# What to request


def common_words(count, rng):
    """Words readers search for: the news words benchdata.py writes about."""
    from benchdata import NEWS_WORDS

    words = sorted(set(NEWS_WORDS))
    return rng.sample(words, min(count, len(words)))


def story_paths(rng, count):
    from dateline.articles.models import Story

    pks = list(Story.objects.published().values_list("pk", flat=True))
    chosen = rng.sample(pks, min(count, len(pks)))
    found = {}
    for start in range(0, len(chosen), 500):
        batch = Story.objects.filter(pk__in=chosen[start : start + 500]).only("news_id", "slug", "language")
        found.update({story.pk: story.get_absolute_url() for story in batch})
    return [found[pk] for pk in chosen]


def listed(model, relation, rng, count):
    """`count` tags or authors chosen at random among those with stories (an empty list page makes fewer queries)."""
    from dateline.articles.models import Story

    through = getattr(Story, relation).through
    ids = sorted(set(through.objects.values_list(f"{model._meta.model_name}_id", flat=True)))
    return list(model.objects.filter(pk__in=rng.sample(ids, min(count, len(ids)))))


def section_paths(per_page):
    """Every section's front, and the paths of its first three pages that exist (a page past the last is a 404)."""
    from django.db.models import Count

    from dateline.articles.models import Section, Story

    listed = Story.objects.published().values("section").annotate(n=Count("pk")).order_by()
    counts = {row["section"]: row["n"] for row in listed}
    sections = list(Section.objects.all())
    pages = [
        (section.get_absolute_url(), n)
        for section in sections[1:]
        for n in range(1, min(3, ceil(counts.get(section.pk, 0) / per_page)) + 1)
    ]
    return [s.get_absolute_url() for s in sections], [f"{url}?page={n}" if n > 1 else url for url, n in pages]


def catalogue(rng, plan):
    """Per page kind: the hot path, distinct cold paths, and three paths for the query counts (the first warms up)."""
    from django.conf import settings
    from django.urls import reverse

    from dateline.accounts.models import Author
    from dateline.articles.models import Story, Tag

    cold = plan["cold"]
    stories = story_paths(rng, 4 + plan["cold_stories"])
    pages = ceil(Story.objects.published().count() / settings.STORIES_PER_PAGE)
    numbers = rng.sample(range(2, max(3, min(pages, 1000) + 1)), min(cold - 1, max(1, pages - 1)))
    front = ["/", *(f"/?page={n}" for n in numbers)]
    sections, section_pages = section_paths(settings.STORIES_PER_PAGE)
    tags = listed(Tag, "tags", rng, cold + 4)
    authors = [a.get_absolute_url() for a in listed(Author, "authors", rng, cold + 4)]
    words = common_words(max(cold, plan["searches"]) + 3, rng)
    tag_feeds = [reverse("feeds:tag-rss", kwargs={"slug": tag.slug}) for tag in tags]
    return {
        "story": {"hot": stories[0], "cold": stories[4:], "queries": stories[1:4]},
        "front": {"hot": "/", "cold": front, "queries": ["/?page=4", "/?page=2", "/?page=3"]},
        "section": {
            "hot": sections[0],
            "cold": rng.sample(section_pages, min(cold, len(section_pages))),
            "queries": [sections[-1], sections[1], sections[2 % len(sections)]],
        },
        "tag": {"hot": tags[0].get_absolute_url(), "cold": [t.get_absolute_url() for t in tags[4:]]}
        | {"queries": [t.get_absolute_url() for t in tags[1:4]]},
        "author": {"hot": authors[0], "cold": authors[4:], "queries": authors[1:4]},
        "search": {"hot": f"/search?q={words[0]}", "cold": [f"/search?q={w}" for w in words[3 : cold + 3]]}
        | {"queries": [f"/search?q={w}" for w in words[:3]], "words": words},
        "feed": {"hot": reverse("feeds:rss"), "cold": tag_feeds[4:], "queries": tag_feeds[1:4]},
        "sitemap": {"hot": reverse("sitemaps:news"), "cold": [], "queries": [reverse("sitemaps:news")] * 2},
    }


# Measurements through the server


def cold_figures(client, paths):
    """The first request of each path: Server-Timing p50/p99, and how many were misses indeed."""
    answers = [client.get(path) for path in paths]
    times = [a.server_ms for a in answers if a.status == 200 and a.server_ms is not None]
    return {
        "n": len(paths),
        "p50_ms": percentile(times, 50) if times else None,
        "p99_ms": percentile(times, 99) if times else None,
        "misses": sum(a.cache == "miss" for a in answers),
        "not_200": sum(a.status != 200 for a in answers),
    }


def hot_figures(client, path, count):
    """After a warm-up, `count` sequential requests of one page: footer and Server-Timing medians."""
    for _ in range(20):
        client.get(path)
    answers = [client.get(path) for _ in range(count)]
    footers = [a.footer_s for a in answers if a.footer_s is not None]
    return {
        "requests": count,
        "hits": sum(a.cache == "hit" for a in answers),
        "footer_p50_s": median(footers),
        "footer_mean_s": sum(footers) / len(footers) if footers else None,
        "server_timing_p50_ms": median([a.server_ms for a in answers if a.server_ms is not None]),
        "bytes": len(answers[-1].body),
        "status": answers[-1].status,
    }


def memory_run(port, pid, paths_file, seconds):
    """wrk over many story pages for `seconds` while the workers' VmRSS is sampled every second."""
    workers = worker_pids(pid)
    samples = {w: [rss_mb(w)] for w in workers}
    command = wrk_command(f"http://127.0.0.1:{port}", seconds, script=LUA, script_args=[str(paths_file)])
    load = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    try:
        while load.poll() is None:
            time.sleep(1)
            for w in workers:
                samples[w].append(rss_mb(w))
        output = load.communicate(timeout=seconds + 60)[0]
    finally:
        if load.poll() is None:
            load.kill()
    per_worker = []
    for w, values in samples.items():
        values = [v for v in values if v is not None]
        per_worker.append({"pid": w, "start_mb": values[0], "end_mb": values[-1], "max_mb": max(values)})
    return {
        "seconds": seconds,
        "paths": len(paths_file.read_text().split()),
        "wrk": parse_wrk(output),
        "workers": per_worker,
    }


def through_server(directory, plan, pages, story_pool):
    """Everything measured against `dateline serve --workers 2` with the page cache, then with PAGE_CACHE=0."""
    per_kind = {kind: {"url": pages[kind]["hot"]} for kind in KINDS}
    figures = {"pages": per_kind}
    with dateline_server(site_env(directory), directory / "serve.log") as (port, pid):
        figures["idle_workers_mb"] = [rss_mb(w) for w in worker_pids(pid)]
        client = Client(port)
        client.get("/robots.txt")
        warmed = {pages[kind]["queries"][0] for kind in KINDS}
        for path in warmed:  # a warm process: every kind's code and templates loaded once, on pages measured no more
            client.get(path)
        print("cold ...", flush=True)
        for kind in KINDS:
            cold = [path for path in pages[kind]["cold"] if path not in warmed]
            per_kind[kind]["cold"] = cold_figures(client, cold) if cold else None
        print("hot ...", flush=True)
        for kind in KINDS:
            per_kind[kind]["hot"] = hot_figures(client, pages[kind]["hot"], plan["hot"])
        print("wrk ...", flush=True)
        for kind in KINDS:
            per_kind[kind]["wrk"] = wrk(f"http://127.0.0.1:{port}{pages[kind]['hot']}", plan["wrk"])
            time.sleep(1)
        words = pages["search"]["words"]
        figures["search_page"] = search_page_figures(client, words, plan["searches"])
        client.close()
        print(f"memory: {plan['rss']} s of wrk over {len(story_pool)} story pages ...", flush=True)
        paths_file = directory / "rss-paths.txt"
        paths_file.write_text("\n".join(story_pool) + "\n")
        figures["memory"] = memory_run(port, pid, paths_file, plan["rss"])
    with dateline_server(site_env(directory, PAGE_CACHE="0"), directory / "serve.log") as (port, pid):
        Client(port).get(pages["story"]["hot"])  # templates loaded; its first request is not what wrk measures
        figures["story_uncached_wrk"] = wrk(f"http://127.0.0.1:{port}{pages['story']['hot']}", plan["wrk"])
    return figures


def search_queries(words, count, rng):
    one = words[:count]
    three = [" ".join(rng.sample(words[:30], 3)) for _ in range(count)]
    return one, three


def search_page_figures(client, words, count):
    one, three = search_queries(words, count, random.Random(3))
    timed = {}
    for label, queries in (("one_word", one), ("three_words", three)):
        answers = [client.get("/search?" + urlencode({"q": q})) for q in queries]
        timed[label] = median([a.server_ms for a in answers if a.server_ms is not None])
    return timed


# Measurements in this process


def search_function_figures(words, count):
    """dateline.search.search(): count the matches and fetch the first page, as the search page does."""
    from django.conf import settings

    from dateline.search import search

    one, three = search_queries(words, count, random.Random(3))
    search(words[0]).count()  # warm up
    timed = {}
    for label, queries in (("one_word", one), ("three_words", three)):
        times = []
        for text in queries:
            started = time.perf_counter()
            results = search(text)
            results.count()
            list(results[: settings.STORIES_PER_PAGE])
            times.append((time.perf_counter() - started) * 1000)
        timed[label] = median(times)
    return timed


def query_counts(paths):
    """Database queries Django makes for each path (the first one warms up and is not reported)."""
    from django.db import connection
    from django.test import Client as DjangoClient
    from django.test.utils import CaptureQueriesContext

    client = DjangoClient(HTTP_USER_AGENT=BROWSER)
    counts = []
    for path in paths:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        if response.status_code != 200:
            raise RuntimeError(f"{path} answered {response.status_code} in the test client")
        counts.append(len(captured))
    return counts[1:]


def import_figures(files):
    """bench/import_bench.py's figures (the JSON object on its last line), or why there are none."""
    script = ROOT / "bench" / "import_bench.py"
    if files <= 0 or not script.exists():
        return {"status": "not run", "reason": "skipped (--import-files 0)" if files <= 0 else f"no {script.name}"}
    env = {k: v for k, v in os.environ.items() if k not in ("DATELINE_VAR", *SERVER_ONLY)}
    command = [sys.executable, str(script), "--files", str(files)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=3600, env=env, cwd=ROOT)
    lines = result.stdout.strip().splitlines()
    if result.returncode or not lines:
        return {"status": "failed", "reason": (result.stderr or result.stdout)[-500:]}
    return {"status": "ok", **json.loads(lines[-1])}


# Report


def targets(figures):
    """(target, measured, limit, passed) per issue #5 target."""
    pages, rows = figures["pages"], []
    for kind in KINDS:
        footer = pages[kind]["hot"]["footer_p50_s"]
        if kind != "search" and footer is not None:
            rows.append((f"hot footer p50, {kind}", f"{footer:.6f} s", "<= 0.0004 s", footer <= 0.0004))
    for kind in COLD_TARGETS:
        cold = pages[kind]["cold"]
        rows.append((f"cold p50, {kind}", f"{fmt(cold['p50_ms'])} ms", "<= 10 ms", (cold["p50_ms"] or 1e9) <= 10))
        rows.append((f"cold p99, {kind}", f"{fmt(cold['p99_ms'])} ms", "<= 50 ms", (cold["p99_ms"] or 1e9) <= 50))
    for kind in KINDS:
        counts = pages[kind]["queries"]
        if kind != "sitemap":
            rows.append((f"constant queries, {kind}", "/".join(map(str, counts)), "equal", len(set(counts)) == 1))
    search = figures["search"]
    for where in ("function", "page"):
        for label in ("one_word", "three_words"):
            value = search[where][label]
            rows.append((f"search p50, {where}, {label}", f"{fmt(value)} ms", "<= 20 ms", value <= 20))
    imported = figures["import"]
    for key in ("import_stories_per_s", "export_import_stories_per_s", "linked_export_import_stories_per_s"):
        value = imported.get(key)
        passed = None if value is None else value >= 2000
        rows.append((key.replace("_", " "), fmt(value, 0) + "/s" if value else imported["status"], ">= 2000/s", passed))
    rows += desk_targets(figures["desk"])
    biggest = max(w["max_mb"] for w in figures["memory"]["workers"])
    rows.append(("worker RSS max", f"{biggest:.0f} MB", "< 150 MB", biggest < 150))
    return rows


def print_report(figures, rows):
    print(f"\nDateline benchmark: {figures['stories']} stories ({figures['data']}), {describe(figures['machine'])}")
    print(
        "\n| page | hot footer p50 s (mean) | hot Server-Timing p50 ms | cold p50 / p99 ms (n, misses) | wrk req/s | "
        "wrk p50 / p99 ms | wrk errors | queries (2 objects) |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for kind in KINDS:
        page = figures["pages"][kind]
        hot, cold, load = page["hot"], page["cold"], page["wrk"]
        cold_text = f"{fmt(cold['p50_ms'])} / {fmt(cold['p99_ms'])} ({cold['n']}, {cold['misses']})" if cold else "-"
        footer = "-" if hot["footer_p50_s"] is None else f"{hot['footer_p50_s']:.6f} ({hot['footer_mean_s']:.6f})"
        print(
            f"| {kind} | {footer} | {fmt(hot['server_timing_p50_ms'], 3)} | {cold_text} | {load['rps']:.0f} | "
            f"{fmt(load['p50_ms'], 2)} / {fmt(load['p99_ms'], 2)} | {load['errors']} | "
            f"{' / '.join(map(str, page['queries']))} |"
        )
    uncached, search = figures["story_uncached_wrk"], figures["search"]
    print(
        f"\nStory page with PAGE_CACHE=0 (full Django path), wrk: {uncached['rps']:.0f} req/s, "
        f"p50 {fmt(uncached['p50_ms'], 2)} ms, p99 {fmt(uncached['p99_ms'], 2)} ms, errors {uncached['errors']}"
    )
    print(
        f"Search p50: search() one word {fmt(search['function']['one_word'])} ms, three words "
        f"{fmt(search['function']['three_words'])} ms; GET /search one word {fmt(search['page']['one_word'])} ms, "
        f"three words {fmt(search['page']['three_words'])} ms (Server-Timing)"
    )
    print("Import: " + ", ".join(f"{k} {v}" for k, v in figures["import"].items()))
    print(
        "Newsroom desk, p50 / p90 ms: "
        + ", ".join(f"{k} {v['p50_ms']:.1f} / {v['p90_ms']:.1f}" for k, v in figures["desk"].items())
    )
    memory = figures["memory"]
    print(
        f"Worker RSS over {memory['seconds']} s of wrk across {memory['paths']} story pages "
        f"({memory['wrk']['rps']:.0f} req/s, {memory['wrk']['errors']} errors):"
    )
    for w in memory["workers"]:
        print(f"  worker {w['pid']}: start {w['start_mb']:.0f} MB, end {w['end_mb']:.0f} MB, max {w['max_mb']:.0f} MB")
    print("\n| target | measured | limit | verdict |\n|---|---|---|---|")
    for name, measured, limit, passed in rows:
        print(f"| {name} | {measured} | {limit} | {verdict(passed)} |")


def main():
    args, plan = options()
    host = machine()
    directory = build_site(args.out_dir, plan["stories"], args.seed, args.rebuild)
    setup_django(directory)
    from django.db import connection

    from dateline.articles.models import Story

    rng = random.Random(args.seed)
    pages = catalogue(rng, plan)
    story_pool = story_paths(rng, RSS_PATHS)
    stories = Story.objects.published().count()
    connection.close()
    served = through_server(directory, plan, pages, story_pool)
    search_page = served.pop("search_page")
    figures = {
        "machine": host,
        "stories": stories,
        "data": "bench-data",
        "site": str(directory),
        "plan": plan,
        "cold_method": "first request of distinct URLs (not cached yet) on the warm server with the page cache",
        **served,
        "search": {
            "function": search_function_figures(pages["search"]["words"], plan["searches"]),
            "page": search_page,
        },
    }
    for kind in KINDS:
        figures["pages"][kind]["queries"] = query_counts(pages[kind]["queries"])
    print("desk ...", flush=True)
    figures["desk"] = desk_figures()
    connection.close()
    print("import ...", flush=True)
    figures["import"] = import_figures(plan["imports"])
    rows = targets(figures)
    figures["targets"] = [dict(zip(("target", "measured", "limit", "pass"), row, strict=True)) for row in rows]
    path = write_json(figures, args.out_dir)
    print_report(figures, rows)
    print(f"\nFigures written to {path}")


if __name__ == "__main__":
    main()
