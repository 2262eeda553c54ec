"""Rate limits on the API: writes per token (or per address without one), wrong tokens per address; 429 with
Retry-After and the JSON error, and nothing done."""

import pytest
import time_machine

from dateline.api.models import ApiToken
from dateline.articles.models import Story

from .factories import make_member

pytestmark = pytest.mark.django_db
START = "2026-11-26 12:00:05+00:00"  # early in a minute: each test's requests fall in one window


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def limits(settings):
    settings.API_WRITE_RATE, settings.API_AUTH_FAILURE_RATE = "3/m", "4/m"


def token_of(user):
    return {"Authorization": f"Bearer {ApiToken.issue(user)[1]}"}


def create(client, headers, headline="Port reopens", **extra):
    data = {"headline": headline, "summary": "Ships are moving.", "body_html": "<p>Ships are moving.</p>"}
    return client.post("/api/v1/stories", data, content_type="application/json", headers=headers, **extra)


def test_writes_over_the_limit_are_refused_and_do_nothing(client, limits):
    """The fourth write in a minute gets 429, Retry-After and the JSON error; its story is not created."""
    headers = token_of(make_member("Reporter"))
    assert [create(client, headers, f"Story {n}").status_code for n in range(3)] == [201, 201, 201]
    refused = create(client, headers, "One too many")
    assert refused.status_code == 429
    assert refused["Retry-After"] == "55"
    assert refused.json() == {"detail": "Too many writes: try again in 55 s.", "retry_after": 55}
    assert not Story.objects.filter(headline="One too many").exists()
    assert Story.objects.count() == 3


def test_every_kind_of_write_counts(client, limits):
    """Creating, editing, publishing and unpublishing share one allowance; the refused unpublish changes nothing."""
    headers = token_of(make_member("Editor"))
    news_id = create(client, headers).json()["news_id"]
    edit = {"headline": "Port reopens at dawn", "version": 1}
    path = f"/api/v1/stories/{news_id}"
    assert client.patch(path, edit, content_type="application/json", headers=headers).status_code == 200
    assert client.post(f"{path}/publish", {}, content_type="application/json", headers=headers).status_code == 200
    assert client.post(f"{path}/unpublish", {}, content_type="application/json", headers=headers).status_code == 429
    assert Story.objects.published().filter(news_id=news_id).exists()


def test_another_token_and_reads_are_not_held_back(client, limits):
    """One token at its limit does not stop another token, nor reads with the limited one."""
    reporter = make_member("Reporter")
    headers = token_of(reporter)
    for n in range(4):
        create(client, headers, f"Story {n}")
    assert create(client, token_of(reporter), "From a second token").status_code == 201
    assert all(client.get("/api/v1/stories", headers=headers).status_code == 200 for _ in range(10))


def test_the_limit_ends_with_its_window(client, limits, clock):
    """After Retry-After seconds the token may write again."""
    headers = token_of(make_member("Reporter"))
    for n in range(3):
        create(client, headers, f"Story {n}")
    refused = create(client, headers)
    assert refused.status_code == 429
    clock.shift(int(refused["Retry-After"]))
    assert create(client, headers).status_code == 201


def test_the_default_is_sixty_writes_a_minute(client):
    """Without a setting, API_WRITE_RATE is 60/m."""
    headers = token_of(make_member("Reporter"))
    statuses = [create(client, headers, f"Story {n}").status_code for n in range(61)]
    assert statuses == [201] * 60 + [429]


def test_writes_without_a_token_are_limited_per_address(client, limits):
    """Writes that bring no token are refused 401, and past the write limit 429, counted per address."""
    statuses = [create(client, {}).status_code for _ in range(4)]
    assert statuses == [401, 401, 401, 429]
    assert create(client, {}, REMOTE_ADDR="192.0.2.7").status_code == 401
    assert not Story.objects.exists()


def test_wrong_tokens_are_limited_per_address(client, limits):
    """Guessing tokens from one address stops after a few; then even a right token from there waits, while another
    address is served."""
    wrong = {"Authorization": "Bearer not-a-token"}
    statuses = [client.get("/api/v1/stories", headers=wrong).status_code for _ in range(6)]
    assert statuses == [401, 401, 401, 401, 429, 429]
    assert client.get("/api/v1/stories", headers=wrong)["Retry-After"] == "55"
    right = token_of(make_member("Reporter"))
    assert create(client, right).status_code == 429
    assert not Story.objects.exists()
    assert create(client, right, REMOTE_ADDR="192.0.2.7").status_code == 201


def test_wrong_token_guessing_ends_with_its_window(client, limits, clock):
    """An address refused for wrong tokens is served again once its window ends."""
    wrong = {"Authorization": "Bearer not-a-token"}
    for _ in range(5):
        client.get("/api/v1/stories", headers=wrong)
    clock.shift(55)
    assert create(client, token_of(make_member("Reporter"))).status_code == 201


def test_the_openapi_document_lists_the_429(client):
    """Write operations document the 429 and its body."""
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path, method in [("/api/v1/stories", "post"), ("/api/v1/comments/{id}/approve", "post")]:
        assert "429" in paths[path][method]["responses"]
