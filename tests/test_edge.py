"""An edge cache in front: pages name their keys, and a change purges exactly the pages that show it.

Varnish runs for real (deploy/varnish.vcl, in front of two nodes). Fastly and Cloudflare cannot run here: their
purge APIs are played by a local HTTP server that records the calls, following their documented requests."""

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from dateline import pagecache
from dateline.ops import edge

from .factories import run_due_jobs
from .processes import (
    DATELINE,
    Recorder,
    editor_token,
    environment,
    fetch,
    free_port,
    postgres_url,
    recording,
    run_dateline,
    serving,
    start_varnish,
    stop,
    stop_varnish,
    wait_until,
)
from .test_faults import api

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def recorder():
    with recording(Recorder()) as server:
        yield server


def test_long_keys_are_hashed_the_same_in_headers_and_purges():
    long = "list:translations:" + "9" * 40
    assert pagecache.edge_key("story:12") == "story:12"
    assert re.fullmatch(r"h[0-9a-f]{16}", pagecache.edge_key(long))


@pytest.mark.django_db
def test_a_change_queues_a_purge_of_exactly_its_keys_at_varnish(settings, recorder, tmp_path):
    settings.EDGE_CACHE, settings.EDGE_CACHE_URL = "varnish", [recorder.url]
    settings.PAGE_CACHE, settings.VAR_DIR = True, tmp_path
    edge.connect()
    try:
        pagecache.invalidate({"story:12", "list:section:3"})
        run_due_jobs()
    finally:
        pagecache.listeners.remove(edge.queue_purge)
    [(method, path, headers, _)] = recorder.calls
    assert (method, path, headers["xkey-purge"]) == ("PURGE", "/", "list:section:3 story:12")


@pytest.mark.django_db
def test_fastly_is_purged_by_surrogate_key_as_its_api_says(settings, recorder):
    settings.EDGE_CACHE, settings.EDGE_CACHE_URL = "fastly", [recorder.url]
    settings.FASTLY_SERVICE_ID, settings.FASTLY_API_TOKEN = "SU1Z0isxPaozGVKXdv0eY", "fastly-token"
    edge.queue_purge({"story:12", "stories"})
    run_due_jobs()
    [(method, path, headers, body)] = recorder.calls
    assert (method, path) == ("POST", "/service/SU1Z0isxPaozGVKXdv0eY/purge")
    assert headers["fastly-key"] == "fastly-token"
    assert json.loads(body) == {"surrogate_keys": ["stories", "story:12"]}


@pytest.mark.django_db
def test_cloudflare_is_purged_by_cache_tag_in_batches_of_30(settings, recorder):
    settings.EDGE_CACHE, settings.EDGE_CACHE_URL = "cloudflare", [recorder.url]
    settings.CLOUDFLARE_ZONE_ID, settings.CLOUDFLARE_API_TOKEN = "023e105f4ecef8ad9ca31a8372d0c353", "cf-token"
    edge.queue_purge({f"story:{n}" for n in range(45)})
    run_due_jobs()
    assert [call[1] for call in recorder.calls] == ["/zones/023e105f4ecef8ad9ca31a8372d0c353/purge_cache"] * 2
    assert recorder.calls[0][2]["authorization"] == "Bearer cf-token"
    assert sorted(len(json.loads(call[3])["tags"]) for call in recorder.calls) == [15, 30]


@pytest.mark.django_db
def test_a_failed_purge_is_tried_again(settings, time_machine):
    from django.utils import timezone

    settings.EDGE_CACHE, settings.EDGE_CACHE_URL = "varnish", [f"http://127.0.0.1:{free_port()}"]  # nothing there
    edge.queue_purge({"story:12"})
    run_due_jobs()
    from django_tasks_db.models import DBTaskResult

    retry = DBTaskResult.objects.filter(status="READY").get()
    assert retry.args_kwargs["args"] == [["story:12"], 2]
    assert (retry.run_after - timezone.now()).total_seconds() <= edge.RETRY_DELAYS[0]


# Varnish itself, for real, in front of two nodes.


def two_node_vcl(port_a, port_b):
    """deploy/varnish.vcl with its backend replaced by two nodes in a round robin, as docs/deploy.md shows."""
    vcl = (ROOT / "deploy" / "varnish.vcl").read_text()
    backends = (
        f'backend node_a {{ .host = "127.0.0.1"; .port = "{port_a}"; }}\n'
        f'backend node_b {{ .host = "127.0.0.1"; .port = "{port_b}"; }}\n'
        "sub vcl_init { new nodes = directors.round_robin(); nodes.add_backend(node_a); nodes.add_backend(node_b); }"
    )
    vcl = re.sub(r"backend default \{[^}]*\}", backends, vcl)
    vcl = vcl.replace("import xkey;", "import xkey;\nimport directors;")
    return vcl.replace("sub vcl_recv {", "sub vcl_recv {\n    set req.backend_hint = nodes.backend();", 1)


@pytest.fixture
def edge_site(tmp_path):
    if not shutil.which("varnishd"):
        pytest.skip("needs Debian's varnish and varnish-modules (CI installs them)")
    if postgres_url():
        pytest.skip("Varnish in front of two nodes runs once, on SQLite, in make test (CI's time is bounded)")
    varnish_port, port_a, port_b = free_port(), free_port(), free_port()
    env = {
        "DATELINE_VAR": str(tmp_path / "var"), "DATABASE_URL": "", "REDIS_URL": "",
        "EDGE_CACHE": "varnish", "EDGE_CACHE_URL": f"http://127.0.0.1:{varnish_port}",
    }  # fmt: skip
    varnish = start_varnish(two_node_vcl(port_a, port_b), varnish_port)  # first, so the demo's purges reach it
    worker = None
    try:
        run_dateline("migrate", "--noinput", "-v0", env=env)
        run_dateline("demo", env=env)
        run_dateline("worker", "--batch", "--no-startup-delay", "-v0", env=env)  # the demo's purges, done
        with open(tmp_path / "a.log", "w") as log_a, open(tmp_path / "b.log", "w") as log_b:
            with serving(env, port_a, log_a), serving(env, port_b, log_b):
                argv = [*DATELINE, "worker", "--interval", "0.05", "--no-startup-delay", "-v0"]
                worker = subprocess.Popen(argv, env=environment(**env))
                edge, node_b = f"http://127.0.0.1:{varnish_port}", f"http://127.0.0.1:{port_b}"
                yield {"env": env, "edge": edge, "node_b": node_b}
    finally:
        if worker:
            stop(worker)
        stop_varnish(varnish)


def edge_get(site, path):
    """(status, headers, body) of a GET through Varnish."""
    return fetch(site["edge"] + path)


def test_varnish_serves_pages_and_a_change_on_one_node_purges_exactly_its_pages(edge_site):
    site, token = edge_site, editor_token(edge_site["env"])
    seed = "/news/318214/foreign-combat-forces-to-leave-iraq-in-15-days-military"
    pages = {"front": "/", "unrelated": "/section/sport", "seed": seed}
    for path in pages.values():
        edge_get(site, path)
        assert edge_get(site, path)[1]["X-Edge-Cache"] == "hit", path
    # A publish through node B shows on the front page through Varnish within a second.
    status, story = api(site["node_b"], token, "POST", "/stories", {"headline": "Edge test story", "summary": "",
                                                                     "body_html": "<p>First version.</p>",
                                                                     "section": "world"})  # fmt: skip
    assert status == 201
    assert api(site["node_b"], token, "POST", f"/stories/{story['news_id']}/publish")[0] == 200
    published = wait_until(lambda: "Edge test story" in edge_get(site, "/")[2], 5)
    assert published < 1.0
    assert edge_get(site, pages["unrelated"])[1]["X-Edge-Cache"] == "hit"  # the Sport page was left alone
    # An update purges the story's own page; a correction too.
    path = f"/news/{story['news_id']}"
    story_url = fetch(site["edge"] + path)[1].get("Content-Location") or path
    edge_get(site, path)
    patch = {"version": story["version"] + 1, "headline": "Edge test story, revised"}
    status, _ = api(site["node_b"], token, "PATCH", f"/stories/{story['news_id']}", patch)
    assert status == 200, _
    updated = wait_until(lambda: "Edge test story, revised" in edge_get(site, story_url)[2], 5)
    assert updated < 1.0
    correction = (
        "from dateline.articles.models import Correction, Story\n"
        f"Correction.objects.create(story=Story.objects.get(news_id={story['news_id']}), text='Edge correction.')"
    )
    run_dateline("shell", "-c", correction, env=site["env"])
    corrected = wait_until(lambda: "Edge correction." in edge_get(site, story_url)[2], 5)
    assert corrected < 1.0
    assert edge_get(site, pages["unrelated"])[1]["X-Edge-Cache"] == "hit"
    print(f"through Varnish: publish {published:.3f} s, update {updated:.3f} s, correction {corrected:.3f} s")


def test_nothing_per_reader_comes_through_varnish(edge_site):
    """No Set-Cookie, CSRF token or captcha key in any page an anonymous reader gets through the edge."""
    site = edge_site
    for path in ["/", "/news/318214/foreign-combat-forces-to-leave-iraq-in-15-days-military", "/section/world",
                 "/search?q=iraq", "/rss.xml", "/feed.json"]:  # fmt: skip
        for _ in range(2):
            status, headers, body = edge_get(site, path)
            assert status == 200, path
            assert "Set-Cookie" not in headers and "xkey" not in headers, path
            assert "csrfmiddlewaretoken" not in body and not re.search(r'name="captcha_0" value="[0-9a-f]', body), path
