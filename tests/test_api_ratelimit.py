"""Rate limits on the API: writes per token, wrong tokens per address; 429 with Retry-After, and nothing done."""

import pytest
import time_machine

from dateline.api.models import ApiToken
from dateline.articles.models import Story

from .factories import make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def limits(settings):
    settings.API_WRITE_RATE, settings.API_AUTH_FAILURE_RATE = "3/m", "4/m"


def token_of(user):
    return {"Authorization": f"Bearer {ApiToken.issue(user)[1]}"}


def create(client, headers, headline="Port reopens", **extra):
    data = {"headline": headline, "summary": "Ships are moving.", "body_html": "<p>Ships are moving.</p>"}
    return client.post("/api/v1/stories", data, content_type="application/json", headers=headers, **extra)


def test_writes_over_the_limit_are_refused_and_do_nothing(client, limits):
    headers = token_of(make_member("Reporter"))
    assert [create(client, headers, f"Story {n}").status_code for n in range(3)] == [201, 201, 201]
    refused = create(client, headers, "One too many")
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert refused.json()["retry_after"] == int(refused["Retry-After"])
    assert "Too many writes" in refused.json()["detail"]
    assert not Story.objects.filter(headline="One too many").exists()
    assert Story.objects.count() == 3


def test_another_token_and_reads_are_not_held_back(client, limits):
    reporter = make_member("Reporter")
    headers = token_of(reporter)
    for n in range(4):
        create(client, headers, f"Story {n}")
    assert create(client, token_of(reporter), "From a second token").status_code == 201
    assert all(client.get("/api/v1/stories", headers=headers).status_code == 200 for _ in range(10))


def test_the_limit_ends_with_its_window(client, limits):
    headers = token_of(make_member("Reporter"))
    with time_machine.travel("2026-11-26 12:00:01Z", tick=False) as clock:
        for n in range(3):
            create(client, headers, f"Story {n}")
        assert create(client, headers).status_code == 429
        clock.shift(60)
        assert create(client, headers).status_code == 201


def test_the_default_is_sixty_writes_a_minute(client):
    headers = token_of(make_member("Reporter"))
    statuses = [create(client, headers, f"Story {n}").status_code for n in range(61)]
    assert statuses.count(201) == 60 and statuses[-1] == 429


def test_wrong_tokens_are_limited_per_address(client, limits):
    """Guessing tokens from one address stops after a few; then even a right token from there waits, while another
    address is served."""
    wrong = {"Authorization": "Bearer not-a-token"}
    statuses = [client.get("/api/v1/stories", headers=wrong).status_code for _ in range(6)]
    assert statuses == [401, 401, 401, 401, 429, 429]
    right = token_of(make_member("Reporter"))
    assert create(client, right).status_code == 429
    assert not Story.objects.exists()
    assert create(client, right, REMOTE_ADDR="192.0.2.7").status_code == 201


def test_the_openapi_document_lists_the_429(client):
    operation = client.get("/api/v1/openapi.json").json()["paths"]["/api/v1/stories"]["post"]
    assert "429" in operation["responses"]
