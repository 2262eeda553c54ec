"""The newsroom's trail of every story change and role change: a revision per save, an audit entry per status change,
per restore (written by `revisions.restore_revision`) and per change of someone's groups or permissions.

Who changed a role: a signal does not know the acting user, and a thread-local or a middleware that guesses it would
be global state. So a role entry names the user whose roles changed and what was added or removed, and the acting
user only when the code making the change says who it is, with `changes_by`:

    with changes_by(request.user, form.instance):
        super().save_related(request, form, formsets, change)

Changes made without it (the shell, a script) are recorded with no actor; in the admin, Django's own LogEntry
("Changed Groups.") also names who saved the user.

From the same signals, the desk follows a story going public: its dated promises become suggested follow-ups
(`followups.suggest_follow_ups`), and the planned item it was drafted from moves to filed (sent for review), edited
(approved), then published.
"""

from contextlib import contextmanager

from django.contrib.auth import get_user_model
from django.db.models.signals import m2m_changed, post_save
from django.dispatch import receiver

from dateline.articles.models import Story
from dateline.articles.signals import (
    story_imported,
    story_prepared,
    story_saved,
    story_status_changed,
    story_went_live,
)

from . import tasks
from .followups import suggest_follow_ups
from .models import AuditEntry, PlannedItem, Review
from .revisions import prepare_first_revision, record_import, record_revision

User = get_user_model()


@receiver(story_saved)
def keep_revision(sender, story, user, changed, **kwargs):
    record_revision(story, user, changed)


@receiver(story_imported)
def keep_imported_revision(sender, story, created, tags, authors, **kwargs):
    """A story saved by `dateline import` gets its revision too (none when the import changed nothing)."""
    record_import(story, created, tags, authors)


@receiver(story_prepared)
def prepare_imported_revision(sender, story, **kwargs):
    """The fast path of `dateline import` prepares a new story elsewhere: its first snapshot is made there."""
    prepare_first_revision(story)


@receiver(story_status_changed)
def audit_status_change(sender, story, user, action, **kwargs):
    """Publish, schedule, unpublish and delete (sent before the row goes, so the story can still be named)."""
    AuditEntry.objects.create(
        action=action,
        user=user if user and user.pk else None,
        subject=str(story)[:300],
        news_id=story.news_id,
        details={
            "status": story.status,
            "published_at": story.published_at.isoformat() if story.published_at else None,
        },
    )


@receiver(story_status_changed)
def follow_publication(sender, story, action, **kwargs):
    """Published now (a scheduled story waits for story_went_live): its promises are suggested as follow-ups, and
    the planned item it came from is done."""
    if action == "publish":
        follow_scheduled_publication(sender, story)


@receiver(story_went_live)
def follow_scheduled_publication(sender, story, **kwargs):
    suggest_follow_ups(story)
    PlannedItem.objects.filter(story=story).update(state=PlannedItem.State.PUBLISHED)


@receiver(story_imported)
def follow_imported(sender, story, **kwargs):
    """An import (the demo's reference story among them) that brings a published story: its promises too, found by
    a job once the import is done, so that imports keep their pace."""
    if story.status == Story.Status.PUBLISHED:
        tasks.find_follow_ups_later(story)


@receiver(story_saved)
def file_planned_story(sender, story, changed, **kwargs):
    """A planned story sent for review has been filed."""
    if "status" in changed and story.status == Story.Status.REVIEW:
        early = [PlannedItem.State.IDEA, PlannedItem.State.ASSIGNED]
        PlannedItem.objects.filter(story=story, state__in=early).update(state=PlannedItem.State.FILED)


@receiver(post_save, sender=Review, dispatch_uid="newsroom-planned-item-edited")
def edit_planned_story(sender, instance, created, raw=False, **kwargs):
    """An editor's approval of a filed planned story: it has been edited."""
    if created and not raw and instance.decision == Review.Decision.APPROVED:
        filed = PlannedItem.objects.filter(story_id=instance.story_id, state=PlannedItem.State.FILED)
        filed.update(state=PlannedItem.State.EDITED)


@contextmanager
def changes_by(actor, *objects):
    """Name `actor` as who changes these users' (or groups') roles, in the audit entries written meanwhile."""
    for obj in objects:
        obj._role_change_actor = actor
    try:
        yield
    finally:
        for obj in objects:
            obj.__dict__.pop("_role_change_actor", None)


@receiver(m2m_changed, sender=User.groups.through, dispatch_uid="newsroom-audit-groups")
def audit_group_change(sender, instance, action, reverse, pk_set, **kwargs):
    audit_role_change(sender, instance, action, reverse, pk_set, kind="groups")


@receiver(m2m_changed, sender=User.user_permissions.through, dispatch_uid="newsroom-audit-permissions")
def audit_permission_change(sender, instance, action, reverse, pk_set, **kwargs):
    audit_role_change(sender, instance, action, reverse, pk_set, kind="permissions")


def audit_role_change(through, instance, action, reverse, pk_set, kind):
    """One "role" entry per user whose groups or permissions changed (whichever side the change was made from)."""
    if action in ("pre_remove", "pre_clear"):
        # Note what is really there before it goes: remove() may name rows that were never linked.
        instance._roles_leaving = linked(through, instance, reverse, pk_set)
        return
    if action == "post_add":
        changed, verb = set(pk_set or ()), "added"
    elif action in ("post_remove", "post_clear"):
        changed, verb = instance.__dict__.pop("_roles_leaving", set()), "removed"
    else:
        return
    if changed:
        write_role_entries(through, instance, reverse, changed, verb, kind)


def linked(through, instance, reverse, pk_set):
    """The ids on the other side of the link table that `instance` is linked to (among `pk_set`, when given)."""
    own, other = link_fields(through, reverse)
    rows = through.objects.filter(**{f"{own}_id": instance.pk})
    if pk_set is not None:
        rows = rows.filter(**{f"{other}_id__in": pk_set})
    return set(rows.values_list(f"{other}_id", flat=True))


def link_fields(through, reverse):
    """('user', 'group') for a user's groups; ('group', 'user') from the group's side."""
    user_field = next(f.name for f in through._meta.fields if f.is_relation and f.related_model is User)
    role_field = next(f.name for f in through._meta.fields if f.is_relation and f.related_model is not User)
    return (role_field, user_field) if reverse else (user_field, role_field)


def write_role_entries(through, instance, reverse, changed, verb, kind):
    role_model = through._meta.get_field(link_fields(through, False)[1]).related_model
    if reverse:  # group.user_set.add(...): one role for several users
        pairs = [(user, [role_name(instance)]) for user in User.objects.filter(pk__in=changed)]
    else:
        roles = role_model.objects.filter(pk__in=changed)
        if kind == "permissions":
            roles = roles.select_related("content_type")
        pairs = [(instance, sorted(role_name(role) for role in roles))]
    actor = getattr(instance, "_role_change_actor", None)
    for user, names in pairs:
        AuditEntry.objects.create(
            action=AuditEntry.Action.ROLE,
            user=actor if actor is not None and actor.pk else None,
            subject=user.get_username()[:300],
            details={"user": user.get_username(), "kind": kind, verb: names},
        )


def role_name(role):
    """A group's name; a permission as "app_label.codename"."""
    if hasattr(role, "codename"):
        return f"{role.content_type.app_label}.{role.codename}"
    return role.name
