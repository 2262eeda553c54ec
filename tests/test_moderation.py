import pytest
from django.contrib.auth.models import Permission, User

from dateline.comments.models import Comment

from .factories import make_comment, make_story

pytestmark = pytest.mark.django_db
CHANGELIST = "/admin/comments/comment/"


def staff(*permissions):
    user = User.objects.create_user("editor", password="unused-in-tests", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=permissions))
    return user


@pytest.fixture
def pending():
    story = make_story("Moderated story")
    return [make_comment(story, f"Comment {n}", status=Comment.Status.PENDING) for n in range(3)]


def act(client, action, comments):
    return client.post(CHANGELIST, {"action": action, "_selected_action": [c.pk for c in comments]}, follow=True)


@pytest.mark.parametrize(
    ("action", "status"),
    [
        ("mark_approved", Comment.Status.APPROVED),
        ("mark_rejected", Comment.Status.REJECTED),
        ("mark_spam", Comment.Status.SPAM),
    ],
)
def test_moderator_changes_status_in_bulk(client, pending, action, status):
    """A moderator approves, rejects or marks as spam several comments at once."""
    client.force_login(staff("view_comment", "change_comment", "moderate_comment"))
    response = act(client, action, pending[:2])
    assert response.status_code == 200
    assert b"2 comments marked" in response.content
    assert [c.status for c in Comment.objects.order_by("pk")] == [status, status, Comment.Status.PENDING]


def test_approved_comment_appears_on_the_story(client, pending):
    """Approving in the admin puts the comment under the story."""
    client.force_login(staff("view_comment", "change_comment", "moderate_comment"))
    act(client, "mark_approved", pending[:1])
    page = client.get(pending[0].story.get_absolute_url())
    assert b"Comment 0" in page.content
    assert b"Comment 1" not in page.content


def test_staff_without_moderate_permission_cannot_moderate(client, pending):
    """Staff who may only view comments get no moderation actions, and posting one changes nothing."""
    client.force_login(staff("view_comment", "change_comment"))
    assert b"mark_approved" not in client.get(CHANGELIST).content
    act(client, "mark_approved", pending)
    assert set(Comment.objects.values_list("status", flat=True)) == {Comment.Status.PENDING}


def test_anonymous_visitor_is_sent_to_login(client, pending):
    """The moderation list needs a staff login."""
    response = client.post(CHANGELIST, {"action": "mark_approved", "_selected_action": [pending[0].pk]})
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert Comment.objects.filter(status=Comment.Status.APPROVED).count() == 0


def test_moderators_can_filter_pending_comments(client, pending):
    """The list filters by status, so the queue of pending comments is one click away."""
    make_comment(pending[0].story, "Already fine", status=Comment.Status.APPROVED)
    client.force_login(staff("view_comment", "change_comment", "moderate_comment"))
    response = client.get(CHANGELIST, {"status__exact": "pending"})
    assert b"Comment 0" in response.content
    assert b"Already fine" not in response.content
