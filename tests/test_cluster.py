"""Two Dateline servers on one PostgreSQL and one Redis, as behind a load balancer (issue 6)."""

import json
import os
import re
import time
import urllib.parse
from contextlib import ExitStack

import pytest

from .processes import editor_token, fetch, free_port, postgres_url, run_dateline, scratch_postgres_database, serving

SEED = 318214
CAPTCHA_ANSWER = "from captcha.models import CaptchaStore; print(CaptchaStore.objects.get(hashkey={key!r}).response)"


def call(base, token, method, path, payload=None):
    """An API call with the right HTTP method (fetch only GETs and POSTs)."""
    import urllib.request

    data = json.dumps(payload).encode() if payload is not None else None
    request = urllib.request.Request(f"{base}/api/v1{path}", data=data, method=method)
    request.add_header("Authorization", f"Bearer {token}")
    request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def within(seconds, check):
    """True once `check()` is true, trying until `seconds` have passed."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.05)
    return check()


def page(base, path):
    return fetch(base + path)[2]


def post_comment(base, parts, answer, cookie, body):
    """A reader's comment sent to `base` with form parts (token, key, stamp) fetched elsewhere."""
    fields = {
        "name": "Rana",
        "body": body,
        "csrfmiddlewaretoken": parts["csrf_token"],
        "captcha_0": parts["captcha"]["key"],
        "captcha_1": answer,
        "issued": parts["issued"],
    }
    data = urllib.parse.urlencode(fields).encode()
    return fetch(f"{base}/comments/{SEED}", data=data, headers={"Cookie": cookie}, follow=False)[0]


@pytest.fixture
def cluster(tmp_path):
    """Servers A and B (separate var/ folders, one SECRET_KEY) on a scratch PostgreSQL database and the Redis."""
    url = postgres_url()
    if not url or not os.environ.get("REDIS_URL"):
        pytest.skip("PostgreSQL + Redis only: run under .ci/services.sh (make test-pg)")
    with ExitStack() as stack:
        database = stack.enter_context(scratch_postgres_database(url))
        common = {"DATABASE_URL": database, "SECRET_KEY": "cluster-" + "k" * 50, "COMMENTS_MIN_SECONDS": "0"}
        env_a = {**common, "DATELINE_VAR": str(tmp_path / "a")}
        env_b = {**common, "DATELINE_VAR": str(tmp_path / "b")}
        run_dateline("migrate", "--noinput", "-v0", env=env_a)
        run_dateline("demo", env=env_a)
        token = editor_token(env_a)
        bases = []
        for name, env in (("a", env_a), ("b", env_b)):
            port = free_port()
            log = stack.enter_context(open(tmp_path / f"serve-{name}.log", "w"))
            stack.enter_context(serving(env, port, log))
            bases.append(f"http://127.0.0.1:{port}")
        yield (*bases, token, env_a)


def test_story_published_on_a_is_served_by_b_within_a_second(cluster):
    """B's cached pages follow a publish and an edit made through A."""
    a, b, token, _ = cluster
    page(b, "/"), page(b, "/")  # B's front page is now cached
    seed_url = f"/news/{SEED}/foreign-combat-forces-to-leave-iraq-in-15-days-military"
    page(b, seed_url)
    status, story = call(a, token, "POST", "/stories", {"headline": "Ceasefire holds in Basra", "summary": "Calm.",
                                                          "body_html": "<p>Calm returned.</p>"})  # fmt: skip
    assert status == 201
    assert call(a, token, "POST", f"/stories/{story['news_id']}/publish")[0] == 200
    assert within(1.0, lambda: "Ceasefire holds in Basra" in page(b, "/"))
    version = call(a, token, "GET", f"/stories/{SEED}")[1]["version"]
    body = "<p>Edited on server A.</p>"
    assert call(a, token, "PATCH", f"/stories/{SEED}", {"version": version, "body_html": body})[0] == 200
    assert within(1.0, lambda: "Edited on server A." in page(b, seed_url))


def test_comment_key_from_a_works_on_b_once_and_is_moderated_on_a(cluster):
    """A security key fetched on A is accepted by B, only once; the comment, approved on A, shows on B."""
    a, b, token, env_a = cluster
    status, headers, body = fetch(a + "/comments/form-parts")
    parts = json.loads(body)
    cookie = "csrftoken=" + re.search(r"csrftoken=([^;]+)", headers["Set-Cookie"])[1]
    answer = run_dateline("shell", "-c", CAPTCHA_ANSWER.format(key=parts["captcha"]["key"]), env=env_a).split()[-1]
    assert post_comment(b, parts, answer, cookie, "Posted on B with A's key.") == 302
    assert post_comment(a, parts, answer, cookie, "The same key again, on A.") == 400
    pending = call(a, token, "GET", "/comments?status=pending")[1]["items"]
    assert [comment["body"] for comment in pending] == ["Posted on B with A's key."]
    assert call(a, token, "POST", f"/comments/{pending[0]['id']}/approve")[0] == 200
    seed_url = f"/news/{SEED}/foreign-combat-forces-to-leave-iraq-in-15-days-military"
    assert within(1.0, lambda: "Posted on B with A&#x27;s key." in page(b, seed_url))
