"""Editorial rules that every path (admin, API) shares: articles.workflow and articles.permissions."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError

from dateline.articles import workflow
from dateline.articles.models import Story
from dateline.images.models import Image

from .factories import make_member, make_story

pytestmark = pytest.mark.django_db
NOON = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


def draft_by(user, headline="A draft"):
    story = Story(headline=headline, body="<p>Text</p>")
    workflow.save_story(story, user)
    return story


def test_reporter_cannot_publish():
    """A reporter's publish is refused and the story stays unpublished."""
    reporter = make_member("Reporter")
    story = draft_by(reporter)
    with pytest.raises(PermissionDenied):
        workflow.publish(story, reporter)
    assert not Story.objects.published().exists()


def test_reporter_submits_own_draft_for_review():
    """A reporter moves their own draft to review."""
    reporter = make_member("Reporter")
    story = draft_by(reporter)
    workflow.submit_for_review(story, reporter)
    assert Story.objects.get(pk=story.pk).status == Story.Status.REVIEW


def test_reporter_cannot_edit_another_reporters_draft():
    """Editing someone else's draft is refused, and nothing is saved."""
    story = draft_by(make_member("Reporter", "amira"))
    other = make_member("Reporter", "omar")
    story.headline = "Hijacked"
    with pytest.raises(PermissionDenied):
        workflow.save_story(story, other)
    assert Story.objects.get(pk=story.pk).headline == "A draft"


def test_reporter_cannot_edit_own_story_once_published():
    """Once published, a story is the editors' to change."""
    reporter = make_member("Reporter")
    story = draft_by(reporter)
    workflow.publish(story, make_member("Editor"))
    story.headline = "Quiet change"
    with pytest.raises(PermissionDenied):
        workflow.save_story(story, reporter)


def test_scheduled_story_appears_exactly_at_its_time():
    """A story scheduled for noon is hidden at 11:59:59 and public at 12:00:00, with no job run."""
    editor = make_member("Editor")
    with time_machine.travel(NOON - timedelta(hours=2), tick=False):
        story = draft_by(editor)
        workflow.publish(story, editor, at=NOON)
    with time_machine.travel(NOON - timedelta(seconds=1), tick=False):
        assert not Story.objects.published().filter(pk=story.pk).exists()
        assert Story.objects.get(pk=story.pk).is_scheduled
    with time_machine.travel(NOON, tick=False):
        assert Story.objects.published().filter(pk=story.pk).exists()


def test_unpublish_takes_effect_at_once():
    """An unpublished story leaves the public set immediately."""
    editor = make_member("Editor")
    story = draft_by(editor)
    workflow.publish(story, editor)
    workflow.unpublish(story, editor)
    assert not Story.objects.published().filter(pk=story.pk).exists()


def test_republishing_keeps_the_first_publication_time():
    """Unpublish then publish again: the dateline keeps the original time."""
    editor = make_member("Editor")
    story = draft_by(editor)
    with time_machine.travel(NOON, tick=False):
        workflow.publish(story, editor)
    workflow.unpublish(story, editor)
    workflow.publish(story, editor)
    assert Story.objects.get(pk=story.pk).published_at == NOON


def test_editing_a_published_story_sets_the_updated_time():
    """A content change after publication stamps revised_at; a draft edit does not."""
    editor = make_member("Editor")
    story = draft_by(editor)
    story.body = "<p>Changed before publication</p>"
    workflow.save_story(story, editor)
    assert story.revised_at is None
    workflow.publish(story, editor)
    story.body = "<p>Changed after publication</p>"
    workflow.save_story(story, editor)
    assert Story.objects.get(pk=story.pk).revised_at is not None


def test_stale_version_is_a_conflict_and_saves_nothing():
    """Two editors on one story: the second save, based on an old version, is refused."""
    editor = make_member("Editor")
    story = draft_by(editor)
    opened = story.version
    first = Story.objects.get(pk=story.pk)
    first.headline = "First editor's headline"
    workflow.save_story(first, editor, based_on=opened)
    second = Story.objects.get(pk=story.pk)
    second.headline = "Second editor's headline"
    with pytest.raises(workflow.Conflict):
        workflow.save_story(second, editor, based_on=opened)
    assert Story.objects.get(pk=story.pk).headline == "First editor's headline"


def test_lead_image_without_alt_text_blocks_publication():
    """A story whose lead image lacks alternative text cannot be published."""
    editor = make_member("Editor")
    story = draft_by(editor)
    story.lead_image = Image.objects.create(file="images/x.jpg", width=10, height=10)
    workflow.save_story(story, editor)
    with pytest.raises(ValidationError, match="alternative text"):
        workflow.publish(story, editor)
    assert not Story.objects.published().exists()


def test_news_ids_are_never_reused():
    """Deleting the newest story does not free its number."""
    editor = make_member("Editor")
    story = draft_by(editor)
    number = story.news_id
    workflow.delete_story(story, editor)
    assert draft_by(editor).news_id == number + 1


def test_imported_numbers_push_the_sequence_forward():
    """After a story arrives with News ID 318214, new stories are numbered after it."""
    make_story("Imported", news_id=318214)
    assert draft_by(make_member("Editor")).news_id == 318215


def test_moderator_cannot_write_stories():
    """A moderator may not edit stories at all."""
    story = draft_by(make_member("Editor"))
    story.headline = "Moderator was here"
    with pytest.raises(PermissionDenied):
        workflow.save_story(story, make_member("Moderator"))


def test_moderator_cannot_create_stories():
    """Writing a new story needs the add permission; a moderator has none."""
    with pytest.raises(PermissionDenied):
        draft_by(make_member("Moderator"))
    assert not Story.objects.exists()


def test_roles_exist_with_their_names_and_admin_holds_every_permission():
    """The four roles are groups with the contract names; Admin holds every permission, new apps' included."""
    from django.contrib.auth.models import Permission

    assert set(Group.objects.values_list("name", flat=True)) >= {"Reporter", "Editor", "Moderator", "Admin"}
    admin = Group.objects.get(name="Admin")
    assert admin.permissions.count() == Permission.objects.count()
    assert admin.permissions.filter(content_type__app_label="api").exists()


def test_body_image_without_alt_text_blocks_publication():
    """A story whose body holds an image without alternative text cannot be published, and the editor is told so."""
    editor = make_member("Editor")
    story = draft_by(editor)
    story.body = '<p>Text</p><figure data-image="1"><img src="/media/a.jpg" alt=""></figure>'
    workflow.save_story(story, editor)
    with pytest.raises(ValidationError, match="image in the body has no alternative text"):
        workflow.publish(story, editor)
    assert not Story.objects.published().exists()


def test_body_images_with_alt_text_publish():
    """Once every body image is described, the story publishes."""
    editor = make_member("Editor")
    story = draft_by(editor)
    story.body = '<figure data-image="1"><img src="/media/a.jpg" alt="The harbour at dawn"></figure>'
    workflow.save_story(story, editor)
    workflow.publish(story, editor)
    assert Story.objects.published().get() == story
