"""The REST API, /api/v1/: reading, writing through the workflow, moderation, errors, caching and its docs."""

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
import time_machine
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dateline.accounts.models import Author
from dateline.api.models import ApiToken
from dateline.articles.models import Story, Tag
from dateline.comments.models import Comment

from .factories import make_author, make_comment, make_member, make_section, make_story

pytestmark = pytest.mark.django_db
DOCS = Path(__file__).resolve().parent.parent / "docs" / "api.md"
STORY_FIELDS = {
    "news_id",
    "url",
    "headline",
    "slug",
    "summary",
    "body_html",
    "language",
    "section",
    "tags",
    "authors",
    "reporting_credit",
    "story_type",
    "location",
    "status",
    "published_at",
    "updated_at",
    "version",
    "corrections",
}


def bearer(user):
    """Request headers carrying a new token of `user`."""
    _, raw = ApiToken.issue(user)
    return {"Authorization": f"Bearer {raw}"}


def post(client, path, data=None, user=None):
    return client.post(path, data or {}, content_type="application/json", headers=bearer(user) if user else {})


def patch(client, path, data, user):
    return client.patch(path, data, content_type="application/json", headers=bearer(user))


def new_story(**fields):
    return {"headline": "Port reopens", "summary": "Ships move again.", "body_html": "<p>Ships move.</p>", **fields}


def walk(client, path, **headers):
    """Every item of a paginated listing, following `next` to the end."""
    items, cursor = [], None
    while True:
        data = client.get(path, {"cursor": cursor} if cursor else {}, headers=headers).json()
        items += data["items"]
        cursor = data["next"]
        if cursor is None:
            return items


@pytest.fixture(autouse=True)
def _site_url_from_the_request(settings):
    settings.SITE_URL = ""


@pytest.fixture
def reporter():
    return make_member("Reporter", first_name="Rana", last_name="Khalil")


@pytest.fixture
def editor():
    return make_member("Editor")


@pytest.fixture
def moderator():
    return make_member("Moderator")


# Reading


def test_story_has_the_documented_fields(client):
    """A published story comes with exactly the documented fields and their values."""
    world = make_section("World")
    story = make_story("Forces to leave", section=world, language="en", location="BAGHDAD")
    story.tags.set([Tag.objects.create(name="Iraq")])
    story.authors.set([make_author("Amira Haddad")])
    data = client.get(f"/api/v1/stories/{story.news_id}").json()
    assert set(data) == STORY_FIELDS
    assert data["url"] == f"http://testserver/news/{story.news_id}/forces-to-leave"
    assert (data["headline"], data["section"], data["tags"]) == ("Forces to leave", "world", ["Iraq"])
    assert data["authors"] == [{"name": "Amira Haddad", "slug": "amira-haddad"}]
    assert (data["status"], data["version"], data["location"], data["story_type"]) == (
        "published",
        1,
        "BAGHDAD",
        "news",
    )
    assert data["body_html"] == story.body


def test_story_times_are_iso_8601_in_utc(client):
    """`published_at` and `updated_at` are ISO 8601 with a Z."""
    story = make_story(published_at=datetime(2021, 11, 24, 3, 50, tzinfo=UTC))
    data = client.get(f"/api/v1/stories/{story.news_id}").json()
    assert data["published_at"] == "2021-11-24T03:50:00Z"
    assert data["updated_at"].endswith("Z")
    assert abs(datetime.fromisoformat(data["updated_at"]) - story.updated_at) < timedelta(milliseconds=1)


def test_story_url_uses_site_url_when_set(client, settings):
    """With SITE_URL set, `url` is on it, whatever host the request named."""
    settings.SITE_URL = "https://news.example"
    story = make_story("Forces to leave")
    data = client.get(f"/api/v1/stories/{story.news_id}").json()
    assert data["url"] == f"https://news.example/news/{story.news_id}/forces-to-leave"


def test_draft_is_not_found_without_a_token(client):
    """Readers cannot see drafts: 404, as if there were none."""
    story = make_story(published=False)
    response = client.get(f"/api/v1/stories/{story.news_id}")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_scheduled_story_is_not_found_before_its_time(client):
    """A story scheduled for later is not there for readers yet."""
    story = make_story(ago=-timedelta(hours=1))
    assert client.get(f"/api/v1/stories/{story.news_id}").status_code == 404


def test_own_draft_is_visible_with_a_token(client, reporter):
    """A reporter's token shows them their own draft."""
    story = make_story(published=False, created_by=reporter)
    response = client.get(f"/api/v1/stories/{story.news_id}", headers=bearer(reporter))
    assert response.status_code == 200
    assert response.json()["status"] == "draft"


def test_someone_elses_draft_is_not_found_for_a_reporter(client, reporter):
    """A reporter cannot read another reporter's draft."""
    story = make_story(published=False, created_by=make_member("Reporter", "other"))
    assert client.get(f"/api/v1/stories/{story.news_id}", headers=bearer(reporter)).status_code == 404


def test_editor_sees_any_draft(client, editor):
    """An editor's token shows every draft."""
    story = make_story(published=False)
    assert client.get(f"/api/v1/stories/{story.news_id}", headers=bearer(editor)).status_code == 200


def test_story_list_is_newest_first_and_only_published(client):
    """Readers get published stories, newest first; no drafts, nothing scheduled."""
    old, new = make_story(ago=timedelta(days=2)), make_story(ago=timedelta(hours=1))
    make_story(published=False)
    make_story(ago=-timedelta(hours=1))
    data = client.get("/api/v1/stories").json()
    assert [item["news_id"] for item in data["items"]] == [new.news_id, old.news_id]
    assert data["next"] is None


def test_story_list_costs_the_same_queries_for_any_page_size(client, django_assert_num_queries):
    """A page of stories is four queries (stories with sections, their tags, their authors, their corrections),
    however long."""
    for n in range(25):
        story = make_story(section=make_section(f"Section {n}"))
        story.tags.set([Tag.objects.create(name=f"Tag {n}")])
        story.authors.set([make_author(f"Author {n}")])
    with django_assert_num_queries(4):
        assert len(client.get("/api/v1/stories", {"limit": 25}).json()["items"]) == 25


def test_story_list_with_a_token_adds_own_drafts(client, reporter):
    """With a token, the list also has the drafts the caller may edit, and only those."""
    published, own = make_story(), make_story(published=False, created_by=reporter)
    make_story(published=False)
    items = client.get("/api/v1/stories", headers=bearer(reporter)).json()["items"]
    assert {item["news_id"] for item in items} == {published.news_id, own.news_id}


def filter_fixtures():
    """Two stories that differ in section, tag, author and language; returns (the one to find, its filters)."""
    wanted = make_story(section=make_section("Sport"), language="ar", ago=timedelta(hours=1))
    wanted.tags.set([Tag.objects.create(name="Football Cup")])
    wanted.authors.set([make_author("Amira Haddad")])
    other = make_story(section=make_section("World"), ago=timedelta(days=3))
    other.tags.set([Tag.objects.create(name="Iraq")])
    other.authors.set([make_author("Sami Nour")])
    return wanted, other


@pytest.mark.parametrize(
    "query",
    [
        {"section": "sport"},
        {"tag": "Football Cup"},
        {"tag": "football-cup"},
        {"author": "amira-haddad"},
        {"language": "ar"},
        {"since": (timezone.now() - timedelta(days=1)).isoformat()},
    ],
)
def test_story_list_filters(client, query):
    """Each filter (section slug, tag name or slug, author slug, language, since) keeps only matching stories."""
    wanted, _ = filter_fixtures()
    items = client.get("/api/v1/stories", query).json()["items"]
    assert [item["news_id"] for item in items] == [wanted.news_id]


def test_cursor_walks_every_story_once(client):
    """Following `next` visits every published story exactly once, newest first."""
    same_time = timezone.now() - timedelta(hours=2)
    stories = [make_story(published_at=same_time) for _ in range(5)] + [
        make_story(ago=timedelta(days=d)) for d in range(9)
    ]
    items = walk(client, "/api/v1/stories?limit=4")
    expected = sorted(stories, key=lambda s: (s.published_at, s.news_id), reverse=True)
    assert [item["news_id"] for item in items] == [story.news_id for story in expected]


def test_cursor_is_not_thrown_by_new_stories(client):
    """A story published while a client walks the list neither repeats nor shifts the pages."""
    stories = [make_story(ago=timedelta(hours=h)) for h in range(1, 6)]
    first = client.get("/api/v1/stories", {"limit": 2}).json()
    make_story(ago=timedelta(minutes=1))
    rest = client.get("/api/v1/stories", {"limit": 10, "cursor": first["next"]}).json()
    seen = [item["news_id"] for item in first["items"] + rest["items"]]
    assert seen == [story.news_id for story in stories]


@pytest.mark.parametrize("cursor", ["nonsense", "W1siMjAyMSJdXQ", "x" * 1500])
def test_bad_cursor_is_400(client, cursor):
    """A cursor the API did not hand out is refused with 400."""
    make_story()
    response = client.get("/api/v1/stories", {"cursor": cursor})
    assert response.status_code == 400
    assert "cursor" in response.json()["detail"]


def test_cursor_of_another_listing_is_400(client):
    """A tags cursor does not work on stories."""
    for name in ("a", "b", "c"):
        Tag.objects.create(name=name)
    cursor = client.get("/api/v1/tags", {"limit": 1}).json()["next"]
    assert client.get("/api/v1/stories", {"cursor": cursor}).status_code == 400


def test_sections_list_slugs_and_parents(client):
    """/sections lists every section with its parent's slug."""
    world = make_section("World", position=1)
    make_section("Middle East", parent=world, position=2)
    items = client.get("/api/v1/sections").json()["items"]
    assert [(s["slug"], s["parent"]) for s in items] == [("world", None), ("middle-east", "world")]
    assert set(items[0]) == {"name", "slug", "parent", "position", "description"}


def test_tags_list_walks_every_tag(client):
    """/tags pages through every tag by slug."""
    for name in ["Iraq", "Oil", "Elections", "Football"]:
        Tag.objects.create(name=name)
    items = walk(client, "/api/v1/tags?limit=3")
    assert [t["name"] for t in items] == ["Elections", "Football", "Iraq", "Oil"]
    assert set(items[0]) == {"name", "slug", "description"}


def test_authors_list_walks_every_author(client):
    """/authors pages through every byline by slug."""
    make_author("Sami Nour", role="Correspondent")
    make_author("Amira Haddad")
    items = walk(client, "/api/v1/authors?limit=1")
    assert [(a["slug"], a["role"]) for a in items] == [("amira-haddad", ""), ("sami-nour", "Correspondent")]
    assert set(items[0]) == {"name", "slug", "role", "bio"}


# Caching


@pytest.mark.parametrize("path", ["/api/v1/stories", "/api/v1/sections", "/api/v1/tags", "/api/v1/authors"])
def test_anonymous_reads_may_be_cached_for_a_minute(client, path):
    """What anyone may read is publicly cacheable for 60 seconds, varying on the token."""
    response = client.get(path)
    assert response["Cache-Control"] == "public, max-age=60"
    assert "Authorization" in response["Vary"]


def test_anonymous_story_may_be_cached(client):
    """One published story is publicly cacheable too."""
    story = make_story()
    assert client.get(f"/api/v1/stories/{story.news_id}")["Cache-Control"] == "public, max-age=60"


def test_reads_with_a_token_are_not_stored(client, editor):
    """Nothing read with a token is kept by any cache."""
    story = make_story(published=False)
    response = client.get(f"/api/v1/stories/{story.news_id}", headers=bearer(editor))
    assert response["Cache-Control"] == "private, no-store"


def test_errors_are_not_cached(client):
    """A 404 for a reader is not kept either."""
    assert client.get("/api/v1/stories/999999")["Cache-Control"] == "private, no-store"


# Writing


def test_create_makes_a_draft_at_version_1(client, reporter):
    """POST /stories answers 201 with a new draft, at version 1, by the caller, not yet public."""
    response = post(client, "/api/v1/stories", new_story(), reporter)
    assert response.status_code == 201
    data = response.json()
    story = Story.objects.get(news_id=data["news_id"])
    assert (data["status"], data["version"], story.version) == ("draft", 1, 1)
    assert story.created_by == reporter
    assert data["authors"] == [{"name": "Rana Khalil", "slug": "rana-khalil"}]
    assert Author.objects.get(user=reporter).name == "Rana Khalil"
    assert not Story.objects.published().filter(pk=story.pk).exists()


def test_create_keeps_a_revision(client, reporter):
    """A story made through the API has its first revision, like one made in the admin."""
    news_id = post(client, "/api/v1/stories", new_story(), reporter).json()["news_id"]
    revisions = Story.objects.get(news_id=news_id).revisions.all()
    assert [(r.version, r.user) for r in revisions] == [(1, reporter)]


def test_create_with_every_optional_field(client, editor):
    """Section, tags (new ones made), language, authors and the rest are taken."""
    make_section("Sport")
    Tag.objects.create(name="Football")
    guest = make_author("Wire Service")
    payload = new_story(
        section="sport",
        tags=["Football", "World Cup", "football"],
        language="ar",
        authors=["rana", "wire-service"],
        story_type="analysis",
        location="DOHA",
        reporting_credit="Reuters",
    )
    make_member("Reporter", "rana")
    data = post(client, "/api/v1/stories", payload, editor).json()
    assert (data["section"], data["language"], data["story_type"]) == ("sport", "ar", "analysis")
    assert data["tags"] == ["Football", "World Cup"]
    assert {a["slug"] for a in data["authors"]} == {"rana", guest.slug}
    assert (data["location"], data["reporting_credit"]) == ("DOHA", "Reuters")


def test_create_with_an_unknown_section_is_422(client, editor):
    """A section slug that does not exist is refused, and no story is made."""
    response = post(client, "/api/v1/stories", new_story(section="nowhere"), editor)
    assert response.status_code == 422
    assert "nowhere" in response.json()["detail"]
    assert not Story.objects.exists()


def test_create_with_an_unknown_author_makes_nothing(client, editor):
    """An unknown author is refused with 422, and the tags named with it are not left behind."""
    response = post(client, "/api/v1/stories", new_story(tags=["Brand new"], authors=["ghost"]), editor)
    assert response.status_code == 422
    assert not Story.objects.exists() and not Tag.objects.exists()


def test_moderator_cannot_create_stories(client, moderator):
    """Moderators handle comments only: writing a story is 403."""
    response = post(client, "/api/v1/stories", new_story(), moderator)
    assert response.status_code == 403
    assert response.json()["detail"] == "You may not write stories."


def test_patch_changes_the_fields_sent(client, reporter):
    """PATCH with the current version changes what it sends, keeps the rest, and moves the version up."""
    story = make_story(published=False, created_by=reporter)
    response = patch(client, f"/api/v1/stories/{story.news_id}", {"version": 1, "headline": "New headline"}, reporter)
    assert response.status_code == 200
    story.refresh_from_db()
    assert (story.headline, story.version, response.json()["version"]) == ("New headline", 2, 2)
    assert story.summary.startswith("Summary of story")
    assert story.revisions.first().changed == ["headline"]


def test_patch_can_clear_the_section_and_tags(client, editor):
    """`"section": null` and `"tags": []` remove them."""
    story = make_story(section=make_section("World"))
    story.tags.set([Tag.objects.create(name="Iraq")])
    data = patch(client, f"/api/v1/stories/{story.news_id}", {"version": 1, "section": None, "tags": []}, editor).json()
    assert (data["section"], data["tags"]) == (None, [])


def test_patch_with_a_stale_version_is_409_and_changes_nothing(client, editor):
    """A PATCH based on an old version gets 409 with the current version, and the story stays as it was."""
    story = make_story(published=False)
    story.headline = "Saved by someone else"
    story.save()
    response = patch(
        client, f"/api/v1/stories/{story.news_id}", {"version": 1, "headline": "Mine", "tags": ["New"]}, editor
    )
    assert response.status_code == 409
    assert response.json()["version"] == 2 and "version 2" in response.json()["detail"]
    story.refresh_from_db()
    assert (story.headline, story.version) == ("Saved by someone else", 2)
    assert not Tag.objects.exists()


def test_patch_needs_a_version(client, editor):
    """A PATCH without `version` is refused with 422."""
    story = make_story()
    response = patch(client, f"/api/v1/stories/{story.news_id}", {"headline": "No version"}, editor)
    assert response.status_code == 422


def test_reporter_cannot_patch_a_story_they_cannot_edit(client, reporter):
    """A published story by someone else is visible to a reporter but not theirs to change: 403."""
    story = make_story()
    response = patch(client, f"/api/v1/stories/{story.news_id}", {"version": 1, "headline": "Mine now"}, reporter)
    assert response.status_code == 403
    story.refresh_from_db()
    assert story.headline != "Mine now"


def test_reporter_patching_an_invisible_story_gets_404(client, reporter):
    """Another reporter's draft is not there for them at all."""
    story = make_story(published=False, created_by=make_member("Reporter", "other"))
    response = patch(client, f"/api/v1/stories/{story.news_id}", {"version": 1, "headline": "x"}, reporter)
    assert response.status_code == 404


def test_reporter_cannot_publish(client, reporter):
    """A reporter's token cannot publish their own draft: 403, and it stays a draft."""
    story = make_story(published=False, created_by=reporter)
    response = post(client, f"/api/v1/stories/{story.news_id}/publish", user=reporter)
    assert response.status_code == 403
    assert response.json()["detail"] == "You may not publish stories."
    story.refresh_from_db()
    assert story.status == Story.Status.DRAFT


def test_editor_publishes_at_once(client, editor):
    """An editor's publish puts the story on the site immediately."""
    story = make_story(published=False)
    response = post(client, f"/api/v1/stories/{story.news_id}/publish", user=editor)
    assert response.status_code == 200 and response.json()["status"] == "published"
    assert Story.objects.published().filter(pk=story.pk).exists()
    assert client.get(f"/api/v1/stories/{story.news_id}").status_code == 200


def test_editor_schedules_a_story_that_appears_by_itself(client, editor):
    """With a future `published_at`, the story is hidden until that moment and public from then on."""
    story = make_story(published=False)
    with time_machine.travel(datetime(2030, 1, 1, 8, 0, tzinfo=UTC), tick=False) as clock:
        response = post(
            client, f"/api/v1/stories/{story.news_id}/publish", {"published_at": "2030-01-01T09:00:00Z"}, editor
        )
        assert response.json()["published_at"] == "2030-01-01T09:00:00Z"
        assert not Story.objects.published().filter(pk=story.pk).exists()
        clock.move_to(datetime(2030, 1, 1, 9, 0, tzinfo=UTC))
        assert Story.objects.published().filter(pk=story.pk).exists()


def test_editor_unpublishes_at_once(client, editor):
    """Unpublishing takes the story off the site immediately."""
    story = make_story()
    response = post(client, f"/api/v1/stories/{story.news_id}/unpublish", user=editor)
    assert response.json()["status"] == "unpublished"
    assert not Story.objects.published().filter(pk=story.pk).exists()
    assert client.get(f"/api/v1/stories/{story.news_id}").status_code == 404


def test_reporter_cannot_unpublish(client, reporter):
    """Unpublishing is an editor's call: 403 for a reporter."""
    story = make_story()
    assert post(client, f"/api/v1/stories/{story.news_id}/unpublish", user=reporter).status_code == 403
    assert Story.objects.published().filter(pk=story.pk).exists()


def test_revisions_list_who_changed_what(client, editor):
    """/revisions lists every version, newest first, with who saved it and what changed."""
    news_id = post(client, "/api/v1/stories", new_story(), editor).json()["news_id"]
    patch(client, f"/api/v1/stories/{news_id}", {"version": 1, "summary": "Changed."}, editor)
    response = client.get(f"/api/v1/stories/{news_id}/revisions", headers=bearer(editor))
    items = response.json()["items"]
    assert [(r["version"], r["user"], r["changed"]) for r in items] == [(2, "editor", ["summary"]), (1, "editor", [])]
    assert items[0]["created_at"].endswith("Z")
    assert response["Cache-Control"] == "private, no-store"


def test_revisions_are_not_for_readers(client):
    """Without a token, revisions are 401."""
    story = make_story()
    assert client.get(f"/api/v1/stories/{story.news_id}/revisions").status_code == 401


def test_revisions_of_a_story_one_cannot_edit_are_403(client, reporter):
    """A reporter cannot read the history of someone else's published story."""
    story = make_story()
    assert client.get(f"/api/v1/stories/{story.news_id}/revisions", headers=bearer(reporter)).status_code == 403


# Comments


def test_moderator_lists_pending_comments(client, moderator):
    """/comments?status=pending gives the queue, oldest first, with the story's News ID."""
    story = make_story()
    first = make_comment(story, "First", status=Comment.Status.PENDING)
    second = make_comment(story, "Second", status=Comment.Status.PENDING)
    make_comment(story, "Already shown")
    data = client.get("/api/v1/comments", {"status": "pending"}, headers=bearer(moderator)).json()
    assert [c["id"] for c in data["items"]] == [first.pk, second.pk]
    assert set(data["items"][0]) == {"id", "news_id", "name", "body", "status", "created_at"}
    assert data["items"][0]["news_id"] == story.news_id


def test_editor_may_list_comments(client, editor):
    """Editors moderate too."""
    assert client.get("/api/v1/comments", headers=bearer(editor)).status_code == 200


def test_reporter_cannot_list_comments(client, reporter):
    """Reporters do not moderate: 403."""
    assert client.get("/api/v1/comments", headers=bearer(reporter)).status_code == 403


def test_comments_need_a_token(client):
    """The moderation queue is not public: 401."""
    assert client.get("/api/v1/comments").status_code == 401


@pytest.mark.parametrize("action, status", [("approve", "approved"), ("reject", "rejected"), ("spam", "spam")])
def test_moderator_decides_on_a_comment(client, moderator, action, status):
    """approve, reject and spam set the comment's status."""
    comment = make_comment(make_story(), status=Comment.Status.PENDING)
    response = post(client, f"/api/v1/comments/{comment.pk}/{action}", user=moderator)
    assert response.status_code == 200 and response.json()["status"] == status
    comment.refresh_from_db()
    assert comment.status == status


def test_reporter_cannot_approve_a_comment(client, reporter):
    """A reporter's approve is 403 and the comment stays pending."""
    comment = make_comment(make_story(), status=Comment.Status.PENDING)
    assert post(client, f"/api/v1/comments/{comment.pk}/approve", user=reporter).status_code == 403
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING


def test_moderating_a_missing_comment_is_404(client, moderator):
    """An unknown comment id is 404 JSON."""
    response = post(client, "/api/v1/comments/987654/approve", user=moderator)
    assert response.status_code == 404 and response.json() == {"detail": "Not found."}


# Bad input: always a JSON 4xx, never a 500


def test_malformed_json_is_400(client, editor):
    """A body that is not JSON is refused with 400."""
    response = client.post("/api/v1/stories", "{headline: ", content_type="application/json", headers=bearer(editor))
    assert response.status_code == 400
    assert response.json()["detail"].startswith("Cannot parse request body")


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"headline": "Only a headline"},
        {"headline": 5, "summary": "s", "body_html": "b"},
        {"headline": "h", "summary": ["s"], "body_html": "b"},
        {"headline": "   ", "summary": "s", "body_html": "b"},
        {"headline": "x" * 100_000, "summary": "s", "body_html": "b"},
        {"headline": "h\x00", "summary": "s", "body_html": "b"},
        {"headline": "h\ud800", "summary": "s", "body_html": "b"},
        new_story(tags="Iraq"),
        new_story(tags=[""]),
        new_story(tags=["x" * 101]),
        new_story(language="not a language"),
        new_story(story_type="gossip"),
        new_story(authors=[None]),
        ["a", "list"],
        "a string",
        None,
    ],
)
def test_invalid_story_is_422(client, editor, payload):
    """Missing fields, wrong types, blank or huge texts and unknown choices are refused with 422 JSON."""
    response = (
        post(client, "/api/v1/stories", payload, editor)
        if payload is not None
        else post(client, "/api/v1/stories", None, editor)
    )
    assert response.status_code in (400, 422)
    assert "detail" in response.json()
    assert not Story.objects.exists()


def test_unknown_fields_are_ignored(client, editor):
    """Fields the API does not know (including ones it sets itself) are ignored."""
    response = post(
        client, "/api/v1/stories", new_story(status="published", version=99, news_id=424242, colour="red"), editor
    )
    data = response.json()
    assert (response.status_code, data["status"], data["version"]) == (201, "draft", 1)
    assert data["news_id"] != 424242


@pytest.mark.parametrize("news_id", ["99999999999999999999999", "-1", "0", "abc"])
def test_impossible_news_ids_are_422(client, news_id):
    """A News ID that cannot exist (too big for the database, negative, not a number) is refused, not a crash."""
    response = client.get(f"/api/v1/stories/{news_id}")
    assert response.status_code in (404, 422)
    assert "detail" in response.json()


@pytest.mark.parametrize("query", [{"since": "yesterday"}, {"limit": "0"}, {"limit": "1000"}, {"section": "\x00"}])
def test_bad_filters_are_422(client, query):
    """Filters that make no sense are refused with 422."""
    response = client.get("/api/v1/stories", query)
    assert response.status_code == 422
    assert "detail" in response.json()


def test_oversized_body_is_413(client, editor, settings):
    """A request body past Django's limit is refused with JSON, not an HTML error page."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = post(client, "/api/v1/stories", new_story(body_html="<p>" + "x" * 5000 + "</p>"), editor)
    assert response.status_code == 413
    assert response.json() == {"detail": "The request body is too large."}


def test_publish_with_a_bad_time_is_422(client, editor):
    """`published_at` must be an ISO 8601 time."""
    story = make_story(published=False)
    response = post(client, f"/api/v1/stories/{story.news_id}/publish", {"published_at": "tomorrow"}, editor)
    assert response.status_code == 422
    story.refresh_from_db()
    assert story.status == Story.Status.DRAFT


HOSTILE = [
    '<script>alert("x")</script><p>text</p>',
    '<img src="x" onerror="alert(1)">',
    '<a href="javascript:alert(1)">link</a>',
    '<iframe src="https://evil.example/"></iframe>',
    '<p style="background:url(javascript:alert(1))">styled</p>',
    "<svg><script>alert(1)</script></svg>",
    '<form action="https://evil.example"><input name="password"></form>',
]


@pytest.mark.parametrize("html", HOSTILE)
def test_hostile_html_is_made_inert_in_storage_and_output(client, editor, html):
    """Scripts, handlers, javascript: links, foreign frames, styles and forms do not survive a save through the API."""
    data = post(client, "/api/v1/stories", new_story(body_html=html), editor).json()
    stored = Story.objects.get(news_id=data["news_id"]).body
    for text in (stored, data["body_html"]):
        assert not re.search(r"<script|onerror|javascript:|evil\.example|style=|<form|<input", text, re.I)


ODD_TEXT = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["", " ", "\x00", "\ud800", "x" * 2000, "<script>", "٣١٨", "null", "-1", "2021-13-45T99:00"]),
)
JSON_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), ODD_TEXT),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(ODD_TEXT, inner, max_size=3),
    max_leaves=6,
)
STORY_KEYS = ["headline", "summary", "body_html", "section", "tags", "language", "authors", "story_type", "version"]
PAYLOADS = st.dictionaries(st.sampled_from(STORY_KEYS), JSON_VALUES, max_size=len(STORY_KEYS)) | JSON_VALUES


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(payload=PAYLOADS, method=st.sampled_from(["post", "patch", "publish"]))
def test_no_payload_gets_a_500(client, editor, payload, method):
    """Whatever JSON a client sends to a write endpoint, the answer is a JSON success or 4xx, never a 500."""
    story = make_story(published=False)
    path = {"post": "/api/v1/stories", "patch": f"/api/v1/stories/{story.news_id}"}.get(method)
    path = path or f"/api/v1/stories/{story.news_id}/publish"
    send = client.patch if method == "patch" else client.post
    # Encoded here: the test client would send a bare string as raw (un-encodable) text, not as JSON.
    response = send(path, json.dumps(payload), content_type="application/json", headers=bearer(editor))
    assert response.status_code < 500
    assert response["Content-Type"].startswith("application/json")


FILTERS = ["section", "tag", "author", "language", "since", "cursor", "limit"]  # (a URL cannot carry a lone surrogate)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=st.dictionaries(st.sampled_from(FILTERS), ODD_TEXT.filter(lambda text: text != "\ud800")))
def test_no_filter_gets_a_500(client, query):
    """Whatever the listing's filters say, the answer is a JSON 200 or 4xx."""
    response = client.get("/api/v1/stories", query)
    assert response.status_code < 500
    assert response["Content-Type"].startswith("application/json")


# The OpenAPI document and the docs


def openapi(client):
    return client.get("/api/v1/openapi.json").json()


def api_routes():
    """Every route under /api/v1/ that Django would answer, as OpenAPI spells paths."""
    routes = set()

    def visit(patterns, prefix):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                visit(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern) and route.startswith("api/v1/"):
                routes.add("/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route))

    visit(get_resolver().url_patterns, "")
    return routes - {"/api/v1/", "/api/v1/openapi.json", "/api/v1/docs"}


def test_openapi_document_lists_every_route(client):
    """No endpoint is missing from the OpenAPI document."""
    assert set(openapi(client)["paths"]) == api_routes()


def test_every_operation_is_documented(client):
    """Each method and path of the OpenAPI document has its section in docs/api.md."""
    docs = DOCS.read_text()
    operations = [f"{method.upper()} {path}" for path, ops in openapi(client)["paths"].items() for method in ops]
    assert operations and [op for op in operations if f"`{op}`" not in docs] == []


def test_read_endpoints_say_the_token_is_optional(client):
    """In the OpenAPI document, reads accept no token or a token; writes need one."""
    paths = openapi(client)["paths"]
    assert sorted(paths["/api/v1/stories"]["get"]["security"], key=len) == [{}, {"TokenAuth": []}]
    assert paths["/api/v1/stories"]["post"]["security"] == [{"TokenAuth": []}]


def test_docs_page_loads_nothing_from_elsewhere(client):
    """/api/v1/docs uses the bundled Swagger UI from our static files, with no inline script."""
    response = client.get("/api/v1/docs")
    html = response.content.decode()
    assert response.status_code == 200
    sources = re.findall(r'<script[^>]*src="([^"]+)"', html)
    assert sources and all(src.startswith("/static/") for src in sources)
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
    assert all('type="application/json"' in attributes for attributes in inline)
    assert "cdn" not in html.lower() and "style=" not in html


def test_openapi_document_is_a_valid_openapi_description(client):
    """/api/v1/openapi.json passes the OpenAPI specification's own validator."""
    from openapi_spec_validator import validate

    document = client.get("/api/v1/openapi.json").json()
    validate(document)
    assert document["info"]["title"] == "Dateline API"


def schema_values(schema):
    """A hypothesis strategy for values of (roughly) an OpenAPI parameter schema, and some that break it."""
    kinds = {s.get("type") for s in [schema, *schema.get("anyOf", [])]}
    strategies = [st.text(max_size=40), st.integers(min_value=-(2**70), max_value=2**70)]
    if "boolean" in kinds:
        strategies.append(st.booleans())
    if "string" in kinds and schema.get("format") == "date-time":
        strategies.append(st.datetimes().map(lambda moment: moment.isoformat()))
    if enum := schema.get("enum"):
        strategies.append(st.sampled_from(enum))
    return st.one_of(strategies)


def openapi_operations():
    """Every (method, path, parameters) the API documents, read from its own OpenAPI document."""
    from dateline.api.v1.api import api

    document = api.get_openapi_schema(path_prefix="/api/v1")
    return [
        (method, path, operation.get("parameters", []))
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in {"get", "post", "patch"}
    ]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_every_documented_operation_answers_without_a_500(client, editor, data):
    """Hypothesis calls each operation of the OpenAPI document with generated parameters: never a 500."""
    method, path, parameters = data.draw(st.sampled_from(openapi_operations()))
    query = {}
    for parameter in parameters:
        value = str(data.draw(schema_values(parameter.get("schema", {}))))
        if parameter["in"] == "path":
            path = path.replace("{" + parameter["name"] + "}", quote(value, safe="") or "0")
        elif parameter["in"] == "query" and data.draw(st.booleans()):
            query[parameter["name"]] = value
    headers = bearer(editor) if data.draw(st.booleans()) else {}
    if method == "get":
        response = client.get(path, query, headers=headers)
    else:
        body = json.dumps(data.draw(JSON_VALUES))
        send = client.patch if method == "patch" else client.post
        response = send(f"{path}?{urlencode(query)}", body, content_type="application/json", headers=headers)
    assert response.status_code < 500, (method, path, query, response.content[:300])


def test_the_property_test_covers_every_operation():
    """The generated calls draw from all operations: reads, writes, moderation, search, ninjs."""
    paths = {path for _, path, _ in openapi_operations()}
    assert {"/api/v1/stories", "/api/v1/stories/{news_id}/ninjs", "/api/v1/search", "/api/v1/comments"} <= paths
    assert len(openapi_operations()) >= 15
