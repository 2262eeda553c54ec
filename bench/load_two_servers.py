"""Load on two Dateline servers sharing PostgreSQL and Redis (issue 6): wrk on both for 60 s at 64 connections
in all, while an editor publishes a story every second and readers post comments (under the per-address limit).
Prints requests/s, error responses and each server's memory at the start and the end. Loopback only.

    .ci/services.sh .venv/bin/python bench/load_two_servers.py [--seconds 60]
"""

import argparse
import json
import re
import subprocess
import sys
import tempfile
import threading
import urllib.parse
from contextlib import ExitStack
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.processes import (  # noqa: E402
    editor_token,
    fetch,
    free_port,
    postgres_url,
    run_dateline,
    scratch_postgres_database,
    serving,
)

SEED_PATH = "/news/318214/foreign-combat-forces-to-leave-iraq-in-15-days-military"


def rss_mb(pid):
    """Resident memory of a process and its children (granian workers), in MB."""
    pids = [pid, *map(int, subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split())]
    total = 0
    for each in pids:
        status = Path(f"/proc/{each}/status").read_text()
        total += int(re.search(r"VmRSS:\s+(\d+)", status)[1])
    return total / 1024, len(pids) - 1


def editor(base, token, stop, counts):
    while not stop.is_set():
        try:
            publish_one(base, token, counts)
        except OSError as error:  # a timeout under load is a figure too, not the end of the run
            counts["failed"] = counts.get("failed", 0) + 1
            print(f"editor: {error}", file=sys.stderr)
        stop.wait(1)


def publish_one(base, token, counts):
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    payload = {"headline": f"Live load story {counts['published']}", "summary": "s", "body_html": "<p>b</p>"}
    status, _, body = fetch(f"{base}/api/v1/stories", json.dumps(payload).encode(), headers, timeout=60)
    if status == 201:
        news_id = json.loads(body)["news_id"]
        if fetch(f"{base}/api/v1/stories/{news_id}/publish", b"{}", headers, timeout=60)[0] == 200:
            counts["published"] += 1


ANSWER = "from captcha.models import CaptchaStore; print(CaptchaStore.objects.get(hashkey={key!r}).response)"


def reader(base, env, stop, counts):
    while not stop.is_set():
        try:
            comment_once(base, env, counts)
        except OSError as error:
            counts["failed"] = counts.get("failed", 0) + 1
            print(f"reader: {error}", file=sys.stderr)
        stop.wait(15)  # 4 a minute: under the default 5 per address


def comment_once(base, env, counts):
    status, headers, body = fetch(base + "/comments/form-parts", timeout=60)
    parts = json.loads(body)
    answer = run_dateline("shell", "-c", ANSWER.format(key=parts["captcha"]["key"]), env=env).split()[-1]
    fields = {"name": "Load", "body": "A comment under load.", "csrfmiddlewaretoken": parts["csrf_token"],
              "captcha_0": parts["captcha"]["key"], "captcha_1": answer, "issued": parts["issued"]}  # fmt: skip
    cookie = "csrftoken=" + re.search(r"csrftoken=([^;]+)", headers["Set-Cookie"])[1]
    data = urllib.parse.urlencode(fields).encode()
    status = fetch(f"{base}/comments/318214", data, {"Cookie": cookie}, timeout=60, follow=False)[0]
    counts[status] = counts.get(status, 0) + 1


def wrk(base, seconds, connections):
    argv = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", base + SEED_PATH]
    return subprocess.Popen(argv, stdout=subprocess.PIPE, text=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=60)  # the bound: wrk stops by itself
    parser.add_argument("--connections", type=int, default=64)
    args = parser.parse_args()
    url = postgres_url()
    if not url:
        sys.exit("Run under .ci/services.sh (PostgreSQL + Redis).")
    with ExitStack() as stack, tempfile.TemporaryDirectory() as tmp:
        database = stack.enter_context(scratch_postgres_database(url))
        common = {"DATABASE_URL": database, "SECRET_KEY": "load-" + "k" * 50, "COMMENTS_MIN_SECONDS": "0"}
        envs = [{**common, "DATELINE_VAR": f"{tmp}/{name}"} for name in "ab"]
        run_dateline("migrate", "--noinput", "-v0", env=envs[0])
        run_dateline("demo", env=envs[0])
        token = editor_token(envs[0])
        servers, bases = [], []
        for name, env in zip("ab", envs, strict=True):
            port = free_port()
            log = stack.enter_context(open(f"{tmp}/serve-{name}.log", "w"))
            servers.append(stack.enter_context(serving(env, port, log, workers=2)))
            bases.append(f"http://127.0.0.1:{port}")
        start_memory = [rss_mb(server.pid) for server in servers]
        stop, counts, comments = threading.Event(), {"published": 0}, {}
        threads = [threading.Thread(target=editor, args=(bases[0], token, stop, counts)),
                   threading.Thread(target=reader, args=(bases[1], envs[1], stop, comments))]  # fmt: skip
        for thread in threads:
            thread.start()
        loads = [wrk(base, args.seconds, args.connections // 2) for base in bases]
        outputs = [load.communicate()[0] for load in loads]
        end_memory = [rss_mb(server.pid) for server in servers]
        stop.set()
        for thread in threads:
            thread.join()
        for name, output, before, after in zip("AB", outputs, start_memory, end_memory, strict=True):
            rate = re.search(r"Requests/sec:\s+([\d.]+)", output)[1]
            errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
            socket_errors = re.search(r"Socket errors: (.*)", output)
            p50, p99 = (re.search(rf"^\s*{p}%\s+(\S+)", output, re.M)[1] for p in (50, 99))
            print(f"server {name}: {rate} req/s, p50 {p50}, p99 {p99}, non-2xx/3xx {errors[1] if errors else 0}, "
                  f"socket errors: {socket_errors[1] if socket_errors else 'none'}, "
                  f"RSS {before[0]:.0f} MB -> {after[0]:.0f} MB ({after[1]} workers)")  # fmt: skip
        print(f"editor published {counts['published']} stories; reader comment posts by status: {comments}")


if __name__ == "__main__":
    main()
