"""The editors' admin: saving through the workflow, optimistic locking, scheduling, autosave, dashboard, editor."""

from datetime import timedelta

import pytest
import time_machine
from django.apps import apps as django_apps
from django.contrib.auth.management import create_permissions
from django.utils import timezone

from dateline.accounts.models import Author
from dateline.articles import workflow
from dateline.articles.models import Story, Tag
from dateline.comments.models import Comment
from dateline.newsroom.models import AuditEntry, Revision
from dateline.newsroom.roles import sync_roles

from .factories import make_comment, make_member, make_story
from .test_browser import ARTIFACTS
from .test_roles import CHANGELIST, act, change, form_data, local

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client):
    user = make_member("Editor")
    client.force_login(user)
    return user


@pytest.fixture
def roles():
    """The role groups again: a transactional test's flush empties what the migrations filled in."""
    for app_config in django_apps.get_app_configs():
        create_permissions(app_config, verbosity=0)
    sync_roles(django_apps)


def autosave(client, story, **changes):
    return client.post(f"{CHANGELIST}{story.pk}/autosave/", form_data(story, **changes))


def test_conflicting_save_keeps_the_text_and_saves_nothing(client, editor):
    """A save based on an old version shows the conflict, keeps the editor's text, and changes nothing."""
    story = make_story("The original headline", published=False)
    loaded = form_data(story, headline="My rewritten headline", body="<p>My careful new paragraph.</p>")
    story.headline = "Someone else's headline"
    workflow.save_story(story, make_member("Editor", "other-editor"), based_on=story.version)
    revisions = Revision.objects.count()

    response = client.post(f"{CHANGELIST}{story.pk}/change/", loaded)

    content = response.content.decode()
    assert response.status_code == 200
    assert f"This story was changed by someone else since you opened it (now version {story.version})" in content
    assert 'value="My rewritten headline"' in content
    assert "My careful new paragraph." in content
    story.refresh_from_db()
    assert story.headline == "Someone else's headline"
    assert Revision.objects.count() == revisions


def test_save_records_one_revision_by_the_editor_with_the_final_tags(client, editor):
    """One save makes one revision, credited to the editor, holding the tags chosen in the form."""
    story = make_story(published=False)
    tag = Tag.objects.create(name="Elections")

    change(client, story, headline="Revised headline", tags=[tag.pk])

    revision = Revision.objects.get(story=story)
    story.refresh_from_db()
    assert (revision.version, revision.user, revision.data["tags"]) == (story.version, editor, ["Elections"])
    assert revision.data["headline"] == "Revised headline"


def test_publish_action_sets_published_at_and_makes_the_story_public(client, editor):
    """ "Publish now" stamps the publication time and the story appears to readers."""
    story = make_story("Ready to go", published=False, status=Story.Status.REVIEW)

    act(client, "publish_now", [story])

    story.refresh_from_db()
    assert story.published_at <= timezone.now()
    assert Story.objects.published().filter(pk=story.pk).exists()
    assert client.get(story.get_absolute_url()).status_code == 200
    assert AuditEntry.objects.filter(action="publish", news_id=story.news_id, user=editor).exists()


def test_scheduled_story_is_public_only_from_its_time(client, editor):
    """A story published for a future time stays hidden until then and appears by itself at that moment."""
    start = timezone.now().replace(microsecond=0)
    story = make_story("Embargoed report", published=False)
    with time_machine.travel(start, tick=False):
        change(client, story, status="published", **local(start + timedelta(hours=2)))
        assert not Story.objects.published().filter(pk=story.pk).exists()
        assert AuditEntry.objects.filter(action="schedule", news_id=story.news_id).exists()
    with time_machine.travel(start + timedelta(hours=2, seconds=1), tick=False):
        assert Story.objects.published().filter(pk=story.pk).exists()


def test_scheduled_stories_are_marked_in_the_list(client, editor):
    """The story list shows a scheduled story as "Scheduled", distinct from published ones."""
    make_story("Tomorrow's story", ago=-timedelta(days=1))
    content = client.get(CHANGELIST).content.decode()
    assert 'class="story-status story-status-scheduled">Scheduled<' in content


def test_scheduled_and_live_are_one_queryset_method_and_one_property_each():
    """scheduled() holds the published stories whose time is still to come, published() the others; a story's
    is_scheduled and is_live say the same of it, and drafts are neither."""
    later, out, draft = make_story("Later", ago=-timedelta(hours=1)), make_story("Out"), make_story(published=False)
    assert list(Story.objects.scheduled()) == [later] and list(Story.objects.published()) == [out]
    assert [(s.is_scheduled, s.is_live) for s in (later, out, draft)] == [(True, False), (False, True), (False, False)]
    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        assert not Story.objects.scheduled().exists() and Story.objects.get(pk=later.pk).is_live


def test_status_filter_tells_scheduled_from_published(client, editor):
    """The list's status filter: "Scheduled" shows the stories still to come, "Published" those out."""
    make_story("Tomorrow's story", ago=-timedelta(days=1)), make_story("Yesterday's story", ago=timedelta(days=1))
    scheduled = client.get(CHANGELIST, {"state": "scheduled"}).content.decode()
    live = client.get(CHANGELIST, {"state": "published"}).content.decode()
    assert "Tomorrow&#x27;s story" in scheduled and "Yesterday&#x27;s story" not in scheduled
    assert "Yesterday&#x27;s story" in live and "Tomorrow&#x27;s story" not in live


def test_admin_site_is_the_newsrooms(client, editor, settings):
    """`admin.site` is the newsroom's site: its header names the site, its index is the dashboard."""
    from django.contrib import admin

    from dateline.newsroom.admin_site import NewsroomAdminSite

    settings.SITE_NAME = "Basra Daily"
    response = client.get("/admin/")
    assert isinstance(admin.site, NewsroomAdminSite)
    assert "Basra Daily newsroom" in response.content.decode()
    assert response.templates[0].name == "newsroom/dashboard.html"


def test_search_finds_a_story_by_its_news_id(client, editor):
    """Searching for a News ID finds exactly that story; a word finds headlines."""
    make_story("Wanted story", news_id=318214), make_story("Other story", news_id=318215)
    content = client.get(CHANGELIST, {"q": "318214"}).content.decode()
    assert "Wanted story" in content and "Other story" not in content
    assert "Other story" in client.get(CHANGELIST, {"q": "Other"}).content.decode()


def test_reporter_cannot_open_another_reporters_story_by_its_address(client):
    """A reporter who types another's story id into the address gets no form, and posting to it changes nothing."""
    story = make_story("Not yours", published=False, created_by=make_member("Reporter", "author-of-it"))
    client.force_login(make_member("Reporter"))
    url = f"{CHANGELIST}{story.pk}/change/"

    assert client.get(url).status_code == 302
    client.post(url, form_data(story, headline="Tampered"))
    assert client.post(f"{CHANGELIST}{story.pk}/autosave/", form_data(story, headline="Tampered")).status_code == 403
    story.refresh_from_db()
    assert story.headline == "Not yours"


def test_new_story_belongs_to_its_writer_with_their_byline(client):
    """A reporter's new story records them as its creator and offers their byline by default."""
    user = make_member("Reporter")
    author = Author.objects.create(name="Amira Haddad", user=user)
    client.force_login(user)
    assert client.get(f"{CHANGELIST}add/").context["adminform"].form["authors"].value() == [author.pk]

    client.post(f"{CHANGELIST}add/", form_data(headline="My first story", body="<p>Text.</p>", authors=[author.pk]))

    story = Story.objects.get(headline="My first story")
    assert (story.created_by, list(story.authors.all()), story.status) == (user, [author], Story.Status.DRAFT)


def test_refused_bulk_action_changes_nothing_and_says_why(client, editor):
    """Submitting a published story for review is refused, and the drafts chosen with it stay drafts."""
    draft, published = make_story(published=False), make_story("Already out")

    response = act(client, "submit_for_review", [draft, published])

    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("Nothing was changed" in m and "Already out" in m and "unpublish it first" in m for m in messages)
    assert [Story.objects.get(pk=s.pk).status for s in (draft, published)] == ["draft", "published"]


def test_dashboard_lists_scheduled_in_review_and_pending_comments(client, editor):
    """The admin index shows what is scheduled (next first), in review, and the comments waiting, with links."""
    later = make_story("Later story", ago=-timedelta(days=2))
    sooner = make_story("Sooner story", ago=-timedelta(days=1))
    review = make_story("Story to check", published=False, status=Story.Status.REVIEW)
    make_comment(make_story(), "Please moderate me", status=Comment.Status.PENDING)

    content = client.get("/admin/").content.decode()

    assert content.index("Sooner story") < content.index("Later story")
    assert f"{CHANGELIST}{sooner.pk}/change/" in content and f"{CHANGELIST}{later.pk}/change/" in content
    assert f"{CHANGELIST}{review.pk}/change/" in content
    assert "1 comment waiting" in content
    assert "/admin/comments/comment/?status__exact=pending" in content


def test_autosave_saves_the_draft_and_answers_the_new_version(client, editor):
    """Autosave stores the draft's text and answers the version the form must carry next."""
    story = make_story(published=False)
    response = autosave(client, story, body="<p>Half-written paragraph</p>")
    story.refresh_from_db()
    assert response.status_code == 200
    assert response.json()["version"] == story.version
    assert story.body == "<p>Half-written paragraph</p>"
    assert story.status == Story.Status.DRAFT


def test_stale_autosave_is_refused_with_409(client, editor):
    """An autosave based on an old version answers 409 with the current version and saves nothing."""
    story = make_story(published=False)
    stale = form_data(story, body="<p>Stale text</p>")
    workflow.save_story(story, editor, based_on=story.version)
    response = client.post(f"{CHANGELIST}{story.pk}/autosave/", stale)
    story.refresh_from_db()
    assert response.status_code == 409
    assert response.json()["version"] == story.version
    assert "Stale text" not in story.body


def test_autosave_leaves_the_status_alone(client, editor):
    """Autosave keeps the text only: a status chosen but not yet saved waits for the Save button."""
    story = make_story(published=False)
    autosave(client, story, status="published")
    story.refresh_from_db()
    assert story.status == Story.Status.DRAFT


def test_body_is_edited_with_the_prose_editor(client, editor):
    """The story form's body is a django-prose-editor, started by a module script without an inline import map."""
    content = client.get(f"{CHANGELIST}add/").content.decode()
    assert "data-django-prose-editor-newsroom" in content
    assert 'src="/static/newsroom/body-editor.js" type="module"' in content
    assert "importmap" not in content


def test_change_form_offers_autosave_for_drafts_only(client, editor):
    """A draft's form is marked for autosave; a published story's is not."""
    draft, published = make_story(published=False), make_story()
    assert "data-autosave-url" in client.get(f"{CHANGELIST}{draft.pk}/change/").content.decode()
    assert "data-autosave-url" not in client.get(f"{CHANGELIST}{published.pk}/change/").content.decode()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_editor_writes_a_story_in_the_prose_editor_under_the_csp(live_server, page, client, roles):
    """In Chromium the body editor loads with no CSP violation, formats text, and its HTML is what gets stored."""
    from playwright.sync_api import expect

    client.force_login(make_member("Editor"))
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page.goto(f"{live_server.url}{CHANGELIST}add/")
    body = page.locator(".prose-editor .tiptap")
    expect(body).to_be_visible()
    page.fill("#id_headline", "Typed in the browser")
    body.click()
    page.keyboard.type("A first paragraph.")
    page.get_by_title("Bold").first.click()
    page.keyboard.type(" Strong words.")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "story-editor.png", full_page=True)
    page.click("input[name=_save]")

    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    assert page.console_errors == []
    story = Story.objects.get(headline="Typed in the browser")
    assert story.body == "<p>A first paragraph.<strong> Strong words.</strong></p>"


def test_change_form_links_to_revisions_and_a_preview_link(client, editor):
    """An unpublished story's form links to its revisions and to a preview link to share."""
    story = make_story(published=False)
    content = client.get(f"{CHANGELIST}{story.pk}/change/").content.decode()
    assert f'href="/newsroom/stories/{story.news_id}/revisions"' in content
    assert f'href="/newsroom/stories/{story.news_id}/preview-link"' in content


def test_editor_deletes_a_story_with_its_revisions_and_comments(client, editor):
    """Deleting goes through the workflow: the story goes with its trail and comments, and the audit log says so."""
    story = make_story("Doomed story", published=False)
    workflow.save_story(story, editor, based_on=story.version)
    make_comment(story)

    client.post(f"{CHANGELIST}{story.pk}/delete/", {"post": "yes"})

    assert not Story.objects.filter(pk=story.pk).exists()
    assert AuditEntry.objects.filter(action="delete", news_id=story.news_id, user=editor).exists()


def test_unpublishing_from_the_form_is_audited(client, editor):
    """Setting a published story to Unpublished in the form takes it down at once and records who did it."""
    story = make_story("Taken down")
    change(client, story, status="unpublished")
    assert not Story.objects.published().filter(pk=story.pk).exists()
    assert AuditEntry.objects.filter(action="unpublish", news_id=story.news_id, user=editor).exists()
    client.logout()
    assert client.get(story.get_absolute_url()).status_code == 404


def test_published_story_goes_back_to_draft_only_through_unpublishing(client, editor):
    """Setting a published story straight back to draft is refused with the reason; it stays published."""
    story = make_story()
    response = change(client, story, status="draft")
    assert "Unpublish the story before sending it back to draft or review." in response.content.decode()
    story.refresh_from_db()
    assert story.status == Story.Status.PUBLISHED


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_draft_is_autosaved_and_recovered_after_a_crash(live_server, page, client, roles, monkeypatch):
    """Typing in a draft saves it in the background; text typed after that survives a closed tab, to be restored."""
    from playwright.sync_api import expect

    monkeypatch.setattr("dateline.newsroom.admin.AUTOSAVE_SECONDS", 1)
    client.force_login(make_member("Editor"))
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    story = make_story("Draft in progress", published=False, body="<p>Start.</p>")
    url = f"{live_server.url}{CHANGELIST}{story.pk}/change/"
    page.goto(url)
    body = page.locator(".prose-editor .tiptap")
    body.click()
    page.keyboard.press("End")
    page.keyboard.type(" Saved by itself.")
    expect(page.locator(".autosave-status")).to_contain_text("Draft saved at")
    story.refresh_from_db()
    assert story.body == "<p>Start. Saved by itself.</p>"
    assert page.input_value("#id_based_on") == str(story.version)

    monkeypatch.setattr("dateline.newsroom.admin.AUTOSAVE_SECONDS", 3600)
    page.goto(url)
    page.locator(".prose-editor .tiptap").click()
    page.keyboard.press("End")
    page.keyboard.type(" Typed before the crash.")
    page.goto(url)  # the tab is gone before any save
    page.get_by_role("button", name="Restore the text kept in this browser").click()
    expect(page.locator(".prose-editor .tiptap")).to_contain_text("Saved by itself. Typed before the crash.")
    assert page.console_errors == []


def test_editor_publishes_a_new_story_straight_from_the_add_form(client, editor):
    """A new story saved as Published is public at once, in one save through the workflow: one revision."""
    client.post(f"{CHANGELIST}add/", form_data(headline="Breaking", body="<p>Now.</p>", status="published"))
    story = Story.objects.published().get(headline="Breaking")
    assert story.created_by == editor
    assert list(story.revisions.values_list("version", flat=True)) == [story.version]


def test_autosave_of_an_invalid_form_answers_400_with_the_errors(client, editor):
    """An autosave the form refuses (no headline) answers 400 with the field errors and saves nothing."""
    story = make_story("Kept headline", published=False)
    response = autosave(client, story, headline="")
    assert response.status_code == 400
    assert "headline" in response.json()["errors"]
    story.refresh_from_db()
    assert story.headline == "Kept headline"


def test_publishing_a_body_image_without_alt_text_is_refused_with_the_reason(client, editor):
    """The change form says the body's image needs alternative text, and the story stays unpublished."""
    story = make_story("Pictures", published=False, status=Story.Status.REVIEW)
    body = '<p>Text</p><figure data-image="3"><img src="/media/a.jpg" alt=""></figure>'
    response = change(client, story, body=body, status=Story.Status.PUBLISHED)
    assert response.status_code == 200
    assert "image in the body has no alternative text" in response.content.decode()
    assert not Story.objects.published().filter(pk=story.pk).exists()


def test_publish_action_refuses_a_story_whose_body_image_lacks_alt_text(client, editor):
    """ "Publish now" changes nothing and says the body's image needs alternative text."""
    body = '<figure data-image="3"><img src="/media/a.jpg" alt=""></figure>'
    story = make_story("Pictures", published=False, status=Story.Status.REVIEW, body=body)
    response = act(client, "publish_now", [story])
    assert "image in the body has no alternative text" in client.get(response.url).content.decode()
    assert not Story.objects.published().filter(pk=story.pk).exists()
