"""How fast the outside world hears of a publish (issue #14): webhook delivery latency and edge purge latency.

    .venv/bin/python bench/integrations.py [--publishes 100] [--purges 20]

A scratch demo site (SQLite, or PostgreSQL when DATABASE_URL is a postgres:// URL), `dateline serve` and one
`dateline worker` as `make run` starts them. Webhooks: a receiver on loopback (WEBHOOKS_ALLOW_PRIVATE=1), N
publishes through the API; latency = the delivery's arrival minus the publish call's return. Purges: Varnish
(deploy/varnish.vcl) in front, when varnishd is installed; latency = from the publish call's return until the front
page through Varnish shows the story. Prints p50, p90 and max of each. Loopback only.
"""

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack, nullcontext
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.measure import varnish_in_front  # noqa: E402
from tests.processes import (  # noqa: E402
    DATELINE,
    Recorder,
    editor_token,
    environment,
    fetch,
    free_port,
    postgres_url,
    recording,
    run_dateline,
    scratch_postgres_database,
    serving,
    stop,
)
from tests.test_faults import api  # noqa: E402


def publish(base, token, headline):
    """(news_id, the moment the publish call returned)."""
    status, story = api(base, token, "POST", "/stories", {"headline": headline, "summary": "", "body_html": "<p>x</p>"})
    assert status == 201, story
    assert api(base, token, "POST", f"/stories/{story['news_id']}/publish")[0] == 200
    return str(story["news_id"]), time.monotonic()


def spread(seconds):
    ordered = sorted(seconds)
    p90 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.9))]
    return f"p50 {statistics.median(ordered) * 1000:.0f} ms, p90 {p90 * 1000:.0f} ms, max {ordered[-1] * 1000:.0f} ms"


def webhook_latencies(base, token, env, count):
    with recording(Recorder(status=204)) as receiver:
        run_dateline("webhook", "add", receiver.url + "/hook", "--events", "story.published", env=env)
        published = dict(publish(base, token, f"Webhook bench {n}") for n in range(count))
        deadline = time.monotonic() + 60
        while len(receiver.calls) < count and time.monotonic() < deadline:
            time.sleep(0.05)
    arrivals = {}
    for (*_, body), at in zip(receiver.calls, receiver.times):  # noqa: B905 (a request cut off by the stop has no body)
        arrivals.setdefault(str(json.loads(body)["data"]["news_id"]), at)
    return [arrivals[news_id] - at for news_id, at in published.items() if news_id in arrivals]


def purge_latencies(base, edge, token, count):
    latencies = []
    for n in range(count):
        fetch(edge + "/"), fetch(edge + "/")  # cached at the edge
        headline = f"Purge bench {n}"
        _, at = publish(base, token, headline)
        while headline not in fetch(edge + "/")[2]:
            time.sleep(0.01)
        latencies.append(time.monotonic() - at)
    return latencies


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--publishes", type=int, default=100)
    parser.add_argument("--purges", type=int, default=20)
    args = parser.parse_args()
    with ExitStack() as stack:
        directory = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="dateline-integrations-")))
        database = stack.enter_context(scratch_postgres_database(postgres_url()) if postgres_url() else nullcontext())
        port = free_port()
        env = {"DATELINE_VAR": str(directory), "DATABASE_URL": database or "", "REDIS_URL": "",
               "WEBHOOKS_ALLOW_PRIVATE": "1", "API_WRITE_RATE": "100000/m"}  # fmt: skip
        edge_port = stack.enter_context(varnish_in_front(port))
        if edge_port:
            env |= {"EDGE_CACHE": "varnish", "EDGE_CACHE_URL": f"http://127.0.0.1:{edge_port}"}
        run_dateline("migrate", "--noinput", "-v0", env=env)
        run_dateline("demo", env=env)
        run_dateline("worker", "--batch", "-v0", env=env)
        stack.enter_context(serving(env, port, stack.enter_context(open(directory / "serve.log", "w"))))
        worker = subprocess.Popen([*DATELINE, "worker", "-v0"], env=environment(**env))
        stack.callback(stop, worker)
        base, token = f"http://127.0.0.1:{port}", editor_token(env)
        hooks = webhook_latencies(base, token, env, args.publishes)
        print(f"Webhook delivery, publish to receiver, {len(hooks)}/{args.publishes} delivered: {spread(hooks)}")
        if edge_port:
            purges = purge_latencies(base, f"http://127.0.0.1:{edge_port}", token, args.purges)
            print(f"Purge through Varnish, publish to the front page showing it, {len(purges)}: {spread(purges)}")
        else:
            print("Purge latency: not measured (varnishd is not installed)")


if __name__ == "__main__":
    main()
