"""The audit log: publish, schedule, unpublish, delete, restore and role changes, read-only in the admin."""

from datetime import timedelta

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, Permission, User
from django.test import RequestFactory
from django.utils import timezone

from dateline.articles.workflow import delete_story, publish, unpublish
from dateline.newsroom.admin_audit import AuditEntryAdmin, RevisionAdmin
from dateline.newsroom.models import AuditEntry, Revision
from dateline.newsroom.receivers import changes_by

from .factories import make_story

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    user = User.objects.create_user("editor", password="unused-in-tests", is_staff=True)
    user.groups.add(Group.objects.get(name="Editor"))
    return user


@pytest.fixture
def reporter():
    return User.objects.create_user("reporter", password="unused-in-tests", is_staff=True)


def entries(action):
    return list(AuditEntry.objects.filter(action=action).order_by("pk"))


def test_publishing_is_recorded(editor):
    """Publishing writes a "publish" entry naming the editor and the story."""
    story = make_story("Ceasefire agreed", published=False)
    publish(story, editor)
    [entry] = entries(AuditEntry.Action.PUBLISH)
    assert (entry.user, entry.news_id, entry.subject) == (editor, story.news_id, str(story))
    assert entry.details["status"] == "published"


def test_scheduling_is_recorded(editor):
    """Publishing at a future time writes a "schedule" entry with that time."""
    story = make_story("Results at noon", published=False)
    at = timezone.now() + timedelta(hours=4)
    publish(story, editor, at=at)
    [entry] = entries(AuditEntry.Action.SCHEDULE)
    assert entry.details["published_at"] == at.isoformat()
    assert not entries(AuditEntry.Action.PUBLISH)


def test_unpublishing_is_recorded(editor):
    """Unpublishing writes an "unpublish" entry."""
    story = make_story("Retracted claim")
    unpublish(story, editor)
    [entry] = entries(AuditEntry.Action.UNPUBLISH)
    assert (entry.user, entry.news_id, entry.details["status"]) == (editor, story.news_id, "unpublished")


def test_deleting_is_recorded_and_outlives_the_story(editor):
    """Deleting writes a "delete" entry that still names the story after it is gone."""
    story = make_story("Duplicate story")
    news_id, name = story.news_id, str(story)
    delete_story(story, editor)
    [entry] = entries(AuditEntry.Action.DELETE)
    assert (entry.user, entry.news_id, entry.subject) == (editor, news_id, name)


def test_adding_a_role_is_recorded(reporter):
    """Putting a user in a group writes a "role" entry naming the user and the group added."""
    reporter.groups.add(Group.objects.get(name="Reporter"))
    [entry] = entries(AuditEntry.Action.ROLE)
    assert entry.subject == "reporter"
    assert entry.details == {"user": "reporter", "kind": "groups", "added": ["Reporter"]}


def test_removing_a_role_is_recorded(reporter):
    """Taking a user out of a group writes a "role" entry with the group removed."""
    reporter.groups.add(Group.objects.get(name="Reporter"))
    reporter.groups.remove(Group.objects.get(name="Reporter"))
    removal = {"user": "reporter", "kind": "groups", "removed": ["Reporter"]}
    assert entries(AuditEntry.Action.ROLE)[-1].details == removal


def test_setting_roles_records_what_came_and_went(reporter):
    """Replacing a user's groups records the removed and the added ones."""
    reporter.groups.add(Group.objects.get(name="Reporter"))
    reporter.groups.set([Group.objects.get(name="Editor")])
    details = [entry.details for entry in entries(AuditEntry.Action.ROLE)[1:]]
    assert {"user": "reporter", "kind": "groups", "removed": ["Reporter"]} in details
    assert {"user": "reporter", "kind": "groups", "added": ["Editor"]} in details


def test_clearing_roles_is_recorded(reporter):
    """Clearing a user's groups records each one removed."""
    reporter.groups.add(*Group.objects.filter(name__in=["Reporter", "Moderator"]))
    reporter.groups.clear()
    assert entries(AuditEntry.Action.ROLE)[-1].details["removed"] == ["Moderator", "Reporter"]


def test_removing_a_role_the_user_never_had_records_nothing(reporter):
    """Only real changes are recorded."""
    reporter.groups.remove(Group.objects.get(name="Admin"))
    assert not entries(AuditEntry.Action.ROLE)


def test_role_change_from_the_group_side_is_recorded(reporter):
    """Adding users to a group records an entry for each user."""
    other = User.objects.create_user("other")
    Group.objects.get(name="Moderator").user_set.add(reporter, other)
    recorded = sorted((entry.subject, entry.details["added"][0]) for entry in entries(AuditEntry.Action.ROLE))
    assert recorded == [("other", "Moderator"), ("reporter", "Moderator")]


def test_permission_change_is_recorded(reporter):
    """Giving a user a permission directly is a role change too, named app_label.codename."""
    reporter.user_permissions.add(Permission.objects.get(codename="publish_story"))
    [entry] = entries(AuditEntry.Action.ROLE)
    assert entry.details == {"user": "reporter", "kind": "permissions", "added": ["articles.publish_story"]}


def test_role_change_names_the_actor_when_told(reporter, editor):
    """Code that knows who is acting (the admin) names them with changes_by."""
    with changes_by(editor, reporter):
        reporter.groups.add(Group.objects.get(name="Reporter"))
    assert entries(AuditEntry.Action.ROLE)[-1].user == editor


def test_role_change_has_no_actor_otherwise(reporter):
    """Without changes_by (the shell, a script) the entry names no actor rather than guessing."""
    reporter.groups.add(Group.objects.get(name="Reporter"))
    assert entries(AuditEntry.Action.ROLE)[-1].user is None


@pytest.mark.parametrize(("model", "model_admin"), [(AuditEntry, AuditEntryAdmin), (Revision, RevisionAdmin)])
def test_admin_lets_nobody_add_change_or_delete(model, model_admin):
    """Even a superuser can only read the audit log and the revisions in the admin."""
    request = RequestFactory().get("/admin/")
    request.user = User.objects.create_superuser("root", password="unused-in-tests")
    registered = model_admin(model, admin.site)
    assert registered.has_view_permission(request)
    assert not registered.has_add_permission(request)
    assert not registered.has_change_permission(request)
    assert not registered.has_delete_permission(request)


@pytest.mark.parametrize(("model", "model_admin"), [(AuditEntry, AuditEntryAdmin), (Revision, RevisionAdmin)])
def test_admin_configuration_passes_checks(model, model_admin):
    """The list columns, filters and searches name real fields."""
    assert model_admin(model, admin.site).check() == []


def test_role_change_in_the_admin_names_who_made_it(client, reporter):
    """Giving a user a role on the admin's user page records the acting admin."""
    boss = User.objects.create_superuser("boss", password="unused-in-tests")
    client.force_login(boss)
    form = {
        "username": "reporter",
        "is_active": "on",
        "is_staff": "on",
        "groups": [Group.objects.get(name="Editor").pk],
        "date_joined_0": "2025-01-01",
        "date_joined_1": "00:00:00",
    }
    response = client.post(f"/admin/auth/user/{reporter.pk}/change/", form)
    assert response.status_code == 302
    [entry] = entries(AuditEntry.Action.ROLE)
    assert (entry.user, entry.details["added"]) == (boss, ["Editor"])
