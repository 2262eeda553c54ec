"""The API matches its OpenAPI document: schemathesis, a schema-driven fuzzer, calls every operation as each role
(and anonymously) and checks every answer against the document: no server error, no undocumented status code, no
body or header that breaks the document."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from dateline.api.models import ApiToken
from dateline.wsgi import application

from .factories import make_comment, make_member, make_section, make_story
from .processes import postgres_url

# What the document promises. (Not "the API accepts every schema-valid request": a well-formed cursor from nowhere or
# a story another reporter owns is rightly refused with a documented 400, 403 or 404.)
CHECKS = [
    not_a_server_error, status_code_conformance, content_type_conformance,
    response_schema_conformance, response_headers_conformance,
]  # fmt: skip
ROLES = ["Reporter", "Editor", "Moderator", "Admin", None]
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture
def newsroom(db):
    """Something to read and write: a section, stories in several states, a pending comment.

    The fuzzer calls the WSGI application, whose request signals would close the test's database connection (and
    its transaction) after each call; Django's test client holds them off the same way."""
    section = make_section("World", slug="world")
    story = make_story("A published story", news_id=318214, section=section)
    make_story("A draft", published=False)
    make_comment(story, status="pending")
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(params=ROLES)
def role(request, settings, newsroom):
    """(role, its token) for each role, and anonymous."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # these users never log in
    return request.param, request.param and ApiToken.issue(make_member(request.param))[1]


@pytest.mark.skipif(
    bool(postgres_url()), reason="the document does not depend on the database: fuzzed once, by make test"
)
@schema.parametrize()
@settings(
    max_examples=6, deadline=None, derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)  # fmt: skip
def test_every_answer_matches_the_document(case, role):
    _, token = role
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    case.call_and_validate(headers=headers, checks=CHECKS)


def test_each_enum_has_its_own_name_in_the_document(client):
    """A story's status and a comment's status are two enums: a generated client must accept both."""
    from dateline.articles.models import Story
    from dateline.comments.models import Comment

    components = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    assert components["StoryStatus"]["enum"] == list(Story.Status.values)
    assert components["CommentStatus"]["enum"] == list(Comment.Status.values)
    assert components["StoryOut"]["properties"]["status"]["$ref"].endswith("/StoryStatus")


def test_a_validation_error_is_documented_as_it_is_sent(client, newsroom):
    """django-ninja's 422 lists the fields at fault; the document says so (and still allows a sentence)."""
    response = client.get("/api/v1/stories?limit=1000")
    assert response.status_code == 422 and isinstance(response.json()["detail"], list)
    document = client.get("/api/v1/openapi.json").json()
    invalid = document["paths"]["/api/v1/stories"]["get"]["responses"]["422"]["content"]["application/json"]
    assert invalid["schema"]["$ref"].endswith("/InvalidOut")
