"""Lighthouse scores of a running Dateline, in Lighthouse's default mobile emulation, on Debian's Chromium.

    .venv/bin/python bench/lighthouse.py [--base-url http://127.0.0.1:8000] [--min 90] [--audits] [--wait S] [PATH ...]

PATHs default to the reference story (/news/318214, followed to its full address) and the front page; load the
demo content first (`dateline demo`). Runs `npx --no-install lighthouse` from the repository (`npm ci
--ignore-scripts` installs it), prints performance, accessibility, best practices and SEO per page, writes them to
var/bench/lighthouse-<timestamp>.json, and exits 1 if any score is below --min. --audits also lists what cost points.

The performance score moves from run to run on a busy machine (Lighthouse's docs, "Score variability", advise the
median of several runs): a page with a score below --min is measured twice more and judged by the median of three.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
DEFAULT_PATHS = ["/news/318214", "/"]
CHROME_FLAGS = (
    "--headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update "
    "--disable-sync --no-first-run"
)


def final_url(url, wait=0):
    """The address a reader ends up at, so Lighthouse measures the page and not a redirect; waits for the server."""
    deadline = time.monotonic() + wait
    while True:
        try:
            with urllib.request.urlopen(url, timeout=30) as response:
                return response.geturl()
        except (ConnectionError, urllib.error.URLError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.25)


ATTEMPTS = 3


def lighthouse(url, output):
    """Run Lighthouse on one URL; its JSON report is written to `output`.

    Chrome's trace recording sometimes fails on a busy machine (Lighthouse's NO_NAVSTART / NO_FCP runtime
    errors, which say "run Lighthouse again"): such a run is retried, up to ATTEMPTS times.
    """
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return run_lighthouse(url, output)
        except subprocess.CalledProcessError:
            if attempt == ATTEMPTS:
                raise
            print(f"Lighthouse failed on {url}; trying again ({attempt + 1}/{ATTEMPTS})", file=sys.stderr)


def run_lighthouse(url, output):
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROMIUM", "/usr/bin/chromium")}
    command = [
        "npx", "--no-install", "lighthouse", url, "--output=json", f"--output-path={output}", "--quiet",
        f"--chrome-flags={CHROME_FLAGS}", f"--only-categories={','.join(CATEGORIES)}",
    ]  # fmt: skip
    subprocess.run(command, cwd=ROOT, env=env, check=True, timeout=300)
    return json.loads(Path(output).read_text())


def scores(report):
    """Each category's score out of 100."""
    return {name: round((report["categories"][name]["score"] or 0) * 100) for name in CATEGORIES}


def lost_points(report):
    """The audits that cost points: category, audit id, its score and title."""
    lost = []
    for name in CATEGORIES:
        for ref in report["categories"][name]["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                lost.append({"category": name, "id": ref["id"], "score": audit["score"], "title": audit["title"]})
    return lost


RECHECKS = 2


def measure(url, workdir, least):
    """Scores and lost points of one page; the median of 1 + RECHECKS runs when a score is below `least`."""
    reports = [lighthouse(url, Path(workdir) / "0.json")]
    while len(reports) <= RECHECKS and min(scores(reports[0]).values()) < least:
        print(f"A score below {least} on {url}; measuring again ({len(reports) + 1}/{RECHECKS + 1})", file=sys.stderr)
        reports.append(lighthouse(url, Path(workdir) / f"{len(reports)}.json"))
    runs = [scores(report) for report in reports]
    median = {name: round(statistics.median(run[name] for run in runs)) for name in CATEGORIES}
    middle = min(reports, key=lambda report: abs(scores(report)["performance"] - median["performance"]))
    return {"scores": median, "runs": runs, "lost_points": lost_points(middle)}


def table(results):
    """One row per page, one column per category."""
    width = max(len("page"), *(len(url) for url, _ in results))
    header = f"{'page':<{width}}  " + "  ".join(f"{name:>14}" for name in CATEGORIES)
    rows = [
        f"{url:<{width}}  " + "  ".join(f"{result['scores'][name]:>14}" for name in CATEGORIES)
        for url, result in results
    ]
    return "\n".join([header, *rows])


def save(results, base_url):
    """Write the scores to var/bench/lighthouse-<timestamp>.json; return its path."""
    path = ROOT / "var" / "bench" / f"lighthouse-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"base_url": base_url, "pages": dict(results)}, indent=2) + "\n")
    return path


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", default=DEFAULT_PATHS, help="page paths (default: story and front page)")
    parser.add_argument("--base-url", default="http://127.0.0.1:8000", help="where Dateline runs")
    parser.add_argument("--min", type=int, default=90, help="lowest acceptable score (0-100)")
    parser.add_argument("--audits", action="store_true", help="also list the audits that cost points")
    parser.add_argument("--wait", type=float, default=0, help="seconds to wait for the server to answer")
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory(prefix="dateline-lighthouse-") as workdir:
        for path in args.paths:
            url = final_url(args.base_url.rstrip("/") + path, args.wait)
            results.append((url, measure(url, workdir, args.min)))
    print(table(results))
    if args.audits:
        for url, result in results:
            for audit in result["lost_points"]:
                print(f"{url}: {audit['category']} {audit['id']} ({audit['score']}): {audit['title']}")
    print(f"Saved to {save(results, args.base_url).relative_to(ROOT)}", flush=True)
    low = [
        (url, name, score) for url, result in results for name, score in result["scores"].items() if score < args.min
    ]
    for url, name, score in low:
        print(f"Below {args.min}: {name} {score} on {url}", file=sys.stderr)
    return 1 if low else 0


if __name__ == "__main__":
    sys.exit(main())
