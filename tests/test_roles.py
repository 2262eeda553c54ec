"""The role × action matrix: each role does exactly what it may through the admin, proven in the database."""

from datetime import timedelta

import pytest
from django.utils import timezone

from dateline.articles.models import Story
from dateline.comments.models import Comment

from .factories import make_comment, make_member, make_story

pytestmark = pytest.mark.django_db
CHANGELIST = "/admin/articles/story/"
ROLES = ["Reporter", "Editor", "Moderator", "Admin"]


def local(moment):
    """A time as the admin's split date and time fields take it."""
    moment = timezone.localtime(moment)
    return {"published_at_0": moment.strftime("%Y-%m-%d"), "published_at_1": moment.strftime("%H:%M:%S")}


def form_data(story=None, **changes):
    """What the story change form posts: the story's current values with `changes` applied."""
    story = story or Story(headline="", body="")
    data = {
        "headline": story.headline,
        "slug": story.slug,
        "summary": story.summary,
        "body": story.body,
        "section": story.section_id or "",
        "tags": [tag.pk for tag in story.tags.all()] if story.pk else [],
        "authors": [author.pk for author in story.authors.all()] if story.pk else [],
        "reporting_credit": story.reporting_credit,
        "story_type": story.story_type,
        "location": story.location,
        "language": story.language,
        "lead_image": story.lead_image_id or "",
        "lead_image_caption": story.lead_image_caption,
        "lead_image_credit": story.lead_image_credit,
        "status": story.status,
        **(local(story.published_at) if story.published_at else {"published_at_0": "", "published_at_1": ""}),
        "based_on": story.version if story.pk else "",
    }
    for prefix in ("corrections", "live_entries"):
        data |= {f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0, f"{prefix}-MAX_NUM_FORMS": 1000}
    return data | changes


def change(client, story, **changes):
    return client.post(f"{CHANGELIST}{story.pk}/change/", form_data(story, **changes))


def act(client, action, stories, url=CHANGELIST):
    return client.post(url, {"action": action, "_selected_action": [s.pk for s in stories]})


def status_of(story):
    story.refresh_from_db()
    return story.status


# Each action does its thing as `user` and answers whether it happened, judging by the database.


def view_story_list(client, user):
    make_story("Listed story", published=False, created_by=user)
    response = client.get(CHANGELIST)
    return response.status_code == 200 and b"Listed story" in response.content


def add_story(client, user):
    client.post(f"{CHANGELIST}add/", form_data(headline="Added story", body="<p>New.</p>", status="draft"))
    return Story.objects.filter(headline="Added story").exists()


def edit(client, story):
    change(client, story, headline="Edited headline")
    story.refresh_from_db()
    return story.headline == "Edited headline"


def edit_own_draft(client, user):
    return edit(client, make_story(published=False, created_by=user))


def edit_others_draft(client, user):
    return edit(client, make_story(published=False, created_by=make_member("Reporter", "someone-else")))


def edit_published_story(client, user):
    return edit(client, make_story(created_by=user))


def submit_for_review(client, user):
    story = make_story(published=False, created_by=user)
    act(client, "submit_for_review", [story])
    return status_of(story) == Story.Status.REVIEW


def publish(client, user):
    story = make_story(published=False, created_by=user, status=Story.Status.REVIEW)
    act(client, "publish_now", [story])
    return status_of(story) == Story.Status.PUBLISHED


def schedule(client, user):
    story = make_story(published=False, created_by=user)
    change(client, story, status="published", **local(timezone.now() + timedelta(days=1)))
    story.refresh_from_db()
    return story.status == Story.Status.PUBLISHED and story.is_scheduled


def unpublish(client, user):
    story = make_story(created_by=user)
    act(client, "unpublish", [story])
    return status_of(story) == Story.Status.UNPUBLISHED


def delete(client, user):
    story = make_story(published=False, created_by=user)
    client.post(f"{CHANGELIST}{story.pk}/delete/", {"post": "yes"})
    return not Story.objects.filter(pk=story.pk).exists()


def moderate_comments(client, user):
    comment = make_comment(make_story(), status=Comment.Status.PENDING)
    act(client, "mark_approved", [comment], url="/admin/comments/comment/")
    comment.refresh_from_db()
    return comment.status == Comment.Status.APPROVED


MATRIX = {
    # action: the roles allowed to do it (Reporter, Editor, Moderator, Admin)
    view_story_list: {"Reporter", "Editor", "Admin"},
    add_story: {"Reporter", "Editor", "Admin"},
    edit_own_draft: {"Reporter", "Editor", "Admin"},
    edit_others_draft: {"Editor", "Admin"},
    edit_published_story: {"Editor", "Admin"},
    submit_for_review: {"Reporter", "Editor", "Admin"},
    publish: {"Editor", "Admin"},
    schedule: {"Editor", "Admin"},
    unpublish: {"Editor", "Admin"},
    delete: {"Editor", "Admin"},
    moderate_comments: {"Editor", "Moderator", "Admin"},
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", MATRIX, ids=lambda action: action.__name__)
def test_role_may_do_exactly_what_the_matrix_allows(client, role, action):
    """Each role's action through the admin takes effect when the matrix allows it, and changes nothing otherwise."""
    user = make_member(role)
    client.force_login(user)
    assert action(client, user) is (role in MATRIX[action])


def test_moderator_is_refused_the_story_list(client):
    """A moderator asking for the story list gets 403: stories are not theirs to see in the admin."""
    client.force_login(make_member("Moderator"))
    assert client.get(CHANGELIST).status_code == 403


def test_reporter_is_not_offered_publishing_actions(client):
    """A reporter's story list offers submitting for review, but not publishing or unpublishing."""
    user = make_member("Reporter")
    make_story(published=False, created_by=user)
    client.force_login(user)
    content = client.get(CHANGELIST).content.decode()
    assert 'value="submit_for_review"' in content
    assert 'value="publish_now"' not in content
    assert 'value="unpublish"' not in content


def test_reporter_posting_published_status_gets_a_form_error(client):
    """A reporter who posts status=published anyway sees why it was refused, and the story stays a draft."""
    user = make_member("Reporter")
    story = make_story(published=False, created_by=user)
    client.force_login(user)
    response = change(client, story, status="published")
    assert response.status_code == 200
    assert "Only an editor may publish or unpublish a story" in response.content.decode()
    assert status_of(story) == Story.Status.DRAFT


def test_reporter_status_choices_are_draft_and_review(client):
    """The status menu a reporter sees holds only Draft and In review."""
    user = make_member("Reporter")
    story = make_story(published=False, created_by=user)
    client.force_login(user)
    choices = client.get(f"{CHANGELIST}{story.pk}/change/").context["adminform"].form["status"].field.widget.choices
    assert [value for value, label in choices] == ["draft", "review"]
