"""`make bench-peers`: Dateline and the peer systems (nginx static, Wagtail, WordPress, Ghost) in one pass.

    .venv/bin/python bench/peers.py [--systems "static wagtail wagtail-cached wordpress ghost"] [--rebuild]

With the peers' folder (PEERS_DIR, default ../shared/peers beside the repository): writes their workload with
gen_articles.py ($WORK/articles.jsonl, 2,001 articles), loads it into a scratch Dateline site (var/bench/peers-site),
measures `dateline serve --workers 2` with their run-wrk.sh (system `dateline`: article, home, search for "Iraq"),
then runs their run-all.sh for the peers into the same results file (installing a chosen system first when it is not
under $WORK yet), and prints summarize.py's table, Dateline's ratios to each peer and issue #5's peer targets.
Writes var/bench/peers-<UTC timestamp>.json. Without the folder: Dateline's own figures on the demo content only.
Loopback only. env: PEERS_DIR, WORK (default ${TMPDIR:-/tmp}/peers), SYSTEMS (the default of --systems).
"""

import argparse
import csv
import hashlib
import html
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from measure import (
    ROOT,
    dateline,
    dateline_server,
    describe,
    fmt,
    machine,
    setup_django,
    site_env,
    varnish_in_front,
    verdict,
    write_json,
    wrk,
)

SEED_SLUG = "foreign-combat-forces-to-leave-iraq-in-15-days-military"
DEFAULT_SYSTEMS = "static wagtail wagtail-cached wordpress ghost"
# How run-all.sh installs a system (its `setup` step, one system at a time) and the directory that shows it is done.
INSTALL = {
    "wagtail": ("wagtail", [["wagtail-setup.sh", "setup"]]),
    "wagtail-cached": ("wagtail", [["wagtail-setup.sh", "setup"]]),
    "wordpress": ("wordpress", [["wordpress-setup.sh", "setup"], ["wordpress-setup.sh", "stop"]]),
    "ghost": ("ghost", [["ghost-setup.sh", "setup"]]),
}
# Issue #5: Dateline's req/s on the article page at least this many times the peer's (the same bar is also shown for
# the other pages both serve, as information).
TARGETS = {"wagtail-nocache": 10, "wagtail-sitecache": 2, "static-nginx": 0.5}
EDGE_SYSTEM, EDGE_TARGET = "dateline-varnish", 0.9  # issue #14: behind Varnish, at least 0.9x nginx's static file
SUMMARY_CHARS = 200


def options():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--systems", default=os.environ.get("SYSTEMS", DEFAULT_SYSTEMS))
    parser.add_argument("--rebuild", action="store_true", help="load the workload into a new Dateline site")
    parser.add_argument("--out-dir", type=Path, default=ROOT / "var" / "bench")
    parser.add_argument("--timeout", type=int, default=5400, help="seconds allowed for the peers' run-all.sh")
    return parser.parse_args()


# Dateline's site with the shared workload


def load_articles(jsonl):
    """Each line of the workload as a published story with its slug, headline, time and paragraphs."""
    from django.utils.text import Truncator

    from dateline.articles.models import NewsNumber, Story
    from dateline.search.indexing import rebuild

    stories = []
    for number, line in enumerate(jsonl.read_text(encoding="utf-8").splitlines(), start=1):
        article = json.loads(line)
        stories.append(
            Story(
                news_id=number,
                headline=article["headline"],
                slug=article["slug"],
                summary=Truncator(article["paragraphs"][0]).chars(SUMMARY_CHARS),
                body="".join(f"<p>{html.escape(p)}</p>" for p in article["paragraphs"]),
                language="en",
                status=Story.Status.PUBLISHED,
                published_at=datetime.fromisoformat(article["published"].replace("Z", "+00:00")),
                version=1,
            )
        )
    Story.objects.bulk_create(stories, batch_size=500)
    NewsNumber.reserve(len(stories))
    return len(stories), rebuild()


def peers_site(out_dir, jsonl, rebuild):
    """var/bench/peers-site, migrated and holding the workload (reused while the workload is the same)."""
    directory = out_dir / "peers-site"
    marker = directory / "workload.sha256"
    digest = hashlib.sha256(jsonl.read_bytes()).hexdigest()
    fresh = rebuild or not marker.exists() or marker.read_text() != digest
    if fresh:
        shutil.rmtree(directory, ignore_errors=True)
        directory.mkdir(parents=True)
    dateline("migrate", "--noinput", "--verbosity", "0", env=site_env(directory), timeout=600)  # new code's, too
    setup_django(directory)
    if fresh:
        stories, indexed = load_articles(jsonl)
        marker.write_text(digest)
        print(f"Loaded {stories} stories into {directory} ({indexed} indexed)", flush=True)
    from django.db import connection

    from dateline.articles.models import Story

    article = Story.objects.get(slug=SEED_SLUG).get_absolute_url()
    connection.close()
    return directory, article


def demo_site(out_dir):
    """Without the peers' workload: a scratch site with the demo content (the seed story is in it)."""
    directory = out_dir / "peers-demo-site"
    directory.mkdir(parents=True, exist_ok=True)
    dateline("migrate", "--noinput", "--verbosity", "0", env=site_env(directory), timeout=600)
    dateline("demo", env=site_env(directory), timeout=600)
    setup_django(directory)
    from django.db import connection

    from dateline.articles.models import Story

    article = Story.objects.get(slug=SEED_SLUG).get_absolute_url()
    connection.close()
    return directory, article


def pages(article):
    return {"article": article, "home": "/", "search": "/search?q=Iraq"}


# Running the peers' scripts


def run_script(argv, env, timeout):
    """Run one of the peers' scripts in a process group of its own, bounded: on timeout the group is ended."""
    process = subprocess.Popen(argv, env=env, start_new_session=True)
    try:
        return process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGTERM)  # run-all.sh's trap stops the servers it started
        process.wait(timeout=60)
        raise
    except BaseException:
        os.killpg(process.pid, signal.SIGTERM)
        raise


def measure_dateline(peers_dir, directory, article, env):
    """run-wrk.sh on Dateline's three pages, right after `dateline serve --workers 2` started (as for the peers);
    then on the article and home pages through Varnish (deploy/varnish.vcl) in front of the same server."""
    with dateline_server(site_env(directory), directory / "serve.log") as (port, _):
        for case, path in pages(article).items():
            run_script([str(peers_dir / "run-wrk.sh"), "dateline", case, f"http://127.0.0.1:{port}{path}"], env, 600)
        with varnish_in_front(port) as edge_port:
            for case, path in list(pages(article).items())[:2] if edge_port else []:
                url = f"http://127.0.0.1:{edge_port}{path}"
                run_script([str(peers_dir / "run-wrk.sh"), EDGE_SYSTEM, case, url], env, 600)


def install_missing(peers_dir, systems, env, timeout):
    """Install, as run-all.sh's `setup` does, the chosen systems that are not under $WORK yet (one at a time, so that
    choosing Wagtail does not install WordPress and Ghost too)."""
    done = set()
    for system in systems:
        if system not in INSTALL or INSTALL[system][0] in done:
            continue
        folder, steps = INSTALL[system]
        done.add(folder)
        if (Path(env["WORK"]) / folder).exists():
            continue
        print(f"Installing {folder} under {env['WORK']} ...", flush=True)
        for step in steps:
            run_script([str(peers_dir / step[0]), *step[1:]], env, timeout)


def summarize(peers_dir, results):
    table = subprocess.run(
        [sys.executable, str(peers_dir / "summarize.py"), str(results)], capture_output=True, text=True, timeout=60
    )
    return table.stdout


def read_results(results):
    with open(results, newline="") as f:
        return {(row["system"], row["case"]): row for row in csv.DictReader(f, delimiter="\t")}


def ratios(rows):
    """Dateline against every peer on each page both serve: req/s ratio and p50 ratio (both > 1: Dateline better)."""
    found = []
    for (system, case), peer in rows.items():
        ours = rows.get(("dateline", case))
        if system.startswith("dateline") or ours is None:
            continue
        rps = float(ours["rps_median"]) / max(float(peer["rps_median"]), 1e-9)
        p50 = float(peer["p50_ms_median"]) / max(float(ours["p50_ms_median"]), 1e-9)
        found.append({"peer": system, "page": case, "rps_ratio": rps, "p50_ratio": p50})
    return found


def edge_ratios(rows):
    """Dateline behind Varnish against nginx serving the same page as a file: (page, req/s ratio) per page."""
    found = []
    for (system, case), row in rows.items():
        nginx = rows.get(("static-nginx", case))
        if system == EDGE_SYSTEM and nginx:
            found.append((case, float(row["rps_median"]) / max(float(nginx["rps_median"]), 1e-9)))
    return found


def print_edge_ratios(found):
    header = f"| Dateline behind Varnish / nginx static, req/s (target >= {EDGE_TARGET}x) | page | verdict |"
    print(f"\n{header}\n|---|---|---|")
    for case, ratio in found:
        print(f"| {ratio:.2f}x | {case} | {verdict(ratio >= EDGE_TARGET)} |")


def targets(found):
    """(peer, page, bar, measured ratio, passed): article rows are the issue's targets."""
    rows = [(r["peer"], r["page"], TARGETS[r["peer"]], r["rps_ratio"]) for r in found if r["peer"] in TARGETS]
    rows.sort(key=lambda row: row[1] != "article")
    return [(*row, row[3] >= row[2]) for row in rows]


def print_ratios(found, rows):
    print(
        "\nDateline vs each peer (req/s ratio = Dateline / peer; p50 ratio = peer p50 / Dateline p50; > 1: Dateline "
        "better)\n\n| peer | page | req/s ratio | p50 ratio |\n|---|---|---|---|"
    )
    for r in found:
        print(f"| {r['peer']} | {r['page']} | {r['rps_ratio']:.2f} | {r['p50_ratio']:.2f} |")
    print("\n| target: Dateline req/s >= | page | measured | verdict |\n|---|---|---|---|")
    for peer, page, bar, value, passed in rows:
        scope = "article (issue target)" if page == "article" else f"{page} (same bar, information)"
        print(f"| {bar}x {peer} | {scope} | {value:.2f}x | {verdict(passed)} |")
    for peer in sorted(set(TARGETS) - {r["peer"] for r in found}):
        print(f"| {TARGETS[peer]}x {peer} | article (issue target) | not measured | n/a |")


def with_peers(args, peers_dir, host):
    work = Path(os.environ.get("WORK") or Path(tempfile.gettempdir()) / "peers")
    results = work / f"results-{datetime.now(UTC).strftime('%Y%m%dT%H%M%SZ')}"
    results.mkdir(parents=True, exist_ok=True)
    systems = args.systems.split()
    env = {**os.environ, "WORK": str(work), "RESULTS": str(results), "SYSTEMS": " ".join(systems)}
    jsonl = work / "articles.jsonl"
    subprocess.run(["python3", str(peers_dir / "gen_articles.py"), "--out", str(jsonl)], check=True, timeout=300)
    directory, article = peers_site(args.out_dir, jsonl, args.rebuild)
    print(f"Dateline: {article}, results in {results}", flush=True)
    measure_dateline(peers_dir, directory, article, env)
    install_missing(peers_dir, systems, env, args.timeout)
    status = run_script([str(peers_dir / "run-all.sh")], env, args.timeout) if systems else 0
    rows = read_results(results / "results.tsv")
    found = ratios(rows)
    verdicts = targets(found)
    print(f"\nPeers pass, {describe(host)}; systems: dateline {' '.join(systems)}\n")
    if not systems:  # run-all.sh, when it ran, has printed the table of every system already
        print(summarize(peers_dir, results / "results.tsv"))
    print_ratios(found, verdicts)
    print_edge_ratios(edge := edge_ratios(rows))
    return {
        "edge": [{"page": case, "rps_ratio_to_nginx": ratio, "pass": ratio >= EDGE_TARGET} for case, ratio in edge],
        "results": str(results),
        "run_all_status": status,
        "systems": ["dateline", *systems],
        "rows": list(rows.values()),
        "ratios": found,
        "targets": [
            {
                "peer": peer,
                "page": page,
                "at_least": bar,
                "rps_ratio": value,
                "pass": passed,
                "issue_target": page == "article",
            }
            for peer, page, bar, value, passed in verdicts
        ],
    }


def without_peers(args, host):
    directory, article = demo_site(args.out_dir)
    figures = {}
    with dateline_server(site_env(directory), directory / "serve.log") as (port, _):
        for case, path in pages(article).items():
            figures[case] = wrk(f"http://127.0.0.1:{port}{path}", 10)
    print(f"\nDateline alone (demo content), {describe(host)}\n\n| page | req/s | p50 ms | p99 ms | errors |")
    print("|---|---|---|---|---|")
    for case, f in figures.items():
        print(f"| {case} | {f['rps']:.0f} | {fmt(f['p50_ms'], 2)} | {fmt(f['p99_ms'], 2)} | {f['errors']} |")
    return {"dateline": figures}


def main():
    args = options()
    peers_dir = Path(os.environ.get("PEERS_DIR") or ROOT.parent / "shared" / "peers").resolve()
    host = machine()
    if (peers_dir / "run-wrk.sh").exists():
        figures = with_peers(args, peers_dir, host)
    else:
        print(f"No peers folder at {peers_dir}: Dateline's own figures only.")
        figures = without_peers(args, host)
    path = write_json({"machine": host, "peers_dir": str(peers_dir), **figures}, args.out_dir, prefix="peers-")
    print(f"\nFigures written to {path}")


if __name__ == "__main__":
    main()
