"""bench/run.py, as `make bench --quick` runs it: a real scratch site, real servers, wrk; every figure in its JSON."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
KINDS = ["story", "front", "section", "tag", "author", "search", "feed", "sitemap"]

pytestmark = pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is not installed")


@pytest.fixture(scope="module")
def figures(tmp_path_factory):
    """One short run: a tiny site, 1 s wrk runs, a 2 s memory run, 20 import files."""
    out = tmp_path_factory.mktemp("bench")
    argv = [sys.executable, "bench/run.py", "--quick", "--stories", "300", "--wrk-seconds", "1", "--rss-seconds", "2"]
    argv += ["--import-files", "20", "--out-dir", str(out)]
    result = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, timeout=240)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "| target | measured | limit | verdict |" in result.stdout
    return json.loads((out / "latest.json").read_text())


def test_every_page_kind_has_hot_wrk_and_query_figures(figures):
    """Each page kind answered 200 in the hot loop, from the cache (but search), and wrk got answers without errors."""
    for kind in KINDS:
        page = figures["pages"][kind]
        assert page["hot"]["status"] == 200, kind
        assert page["hot"]["server_timing_p50_ms"] >= 0, kind
        assert page["wrk"]["rps"] > 0 and page["wrk"]["errors"] == 0, kind
        assert page["wrk"]["p50_ms"] <= page["wrk"]["p99_ms"], kind
        if kind != "search":
            assert page["hot"]["hits"] == page["hot"]["requests"], kind


def test_footer_figures_are_read_from_the_pages(figures):
    """HTML pages carry a footer figure: a hit takes well under 10 ms; an uncached search takes more than nothing."""
    for kind in ["story", "front", "section", "tag", "author"]:
        assert 0 <= figures["pages"][kind]["hot"]["footer_p50_s"] < 0.01, kind
    assert figures["pages"]["search"]["hot"]["footer_p50_s"] > 0
    assert figures["pages"]["feed"]["hot"]["footer_p50_s"] is None  # an RSS feed has no footer


def test_cold_requests_were_cache_misses(figures):
    """The cold figures come from first requests that Django rendered (every one a miss), within 0 < p50 <= p99."""
    for kind in ["story", "front", "section", "tag", "author", "feed"]:
        cold = figures["pages"][kind]["cold"]
        assert cold["n"] > 0 and cold["misses"] == cold["n"] and cold["not_200"] == 0, kind
        assert 0 < cold["p50_ms"] <= cold["p99_ms"], kind


def test_queries_are_constant_across_objects_of_a_kind(figures):
    """Two objects of each kind (two stories, two tags, …) take as many database queries."""
    for kind in KINDS:
        counts = figures["pages"][kind]["queries"]
        assert len(counts) == (1 if kind == "sitemap" else 2) and min(counts) > 0, kind
        assert len(set(counts)) == 1, f"{kind}: {counts} queries"


def test_search_import_and_memory_figures(figures):
    """Search times in and out of process, the import figures or why there are none, and the workers' memory."""
    for where in ("function", "page"):
        assert figures["search"][where]["one_word"] > 0
    assert figures["import"]["status"] in {"ok", "not run"}
    if figures["import"]["status"] == "ok":
        assert figures["import"]["import_stories_per_s"] > 0
    workers = figures["memory"]["workers"]
    assert len(workers) == 2 and all(20 < w["start_mb"] <= w["max_mb"] < 2000 for w in workers)


def test_targets_have_a_verdict(figures):
    targets = {t["target"]: t for t in figures["targets"]}
    assert "worker RSS max" in targets and "cold p50, story" in targets
    assert all(t["pass"] in (True, False, None) for t in targets.values())
