"""Editorial operations on stories: save with conflict detection, submit, publish, schedule, unpublish, delete.

The admin and the API call these, so both enforce the same rules (articles.permissions) and both leave the same
trail (the signals, from which the newsroom keeps revisions and the audit log).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dateline.accounts.models import Author

from .html import images_without_alt
from .models import Story
from .permissions import can_delete, can_edit, can_publish
from .signals import story_saved, story_status_changed
from .tasks import schedule_go_live

CONTENT_FIELDS = ["headline", "slug", "summary", "body", "section_id", "location", "story_type", "lead_image_id"]


class Conflict(Exception):
    """The story was saved by someone else since this edit began."""

    def __init__(self, current_version):
        super().__init__(f"the story is at version {current_version}")
        self.current_version = current_version


def save_story(story, user, *, based_on=None, tags=None, authors=None):
    """Save a story (new or changed) for `user`. `based_on`: the version the edit started from (stale → Conflict)."""
    if story.pk is None:
        if not user.has_perm("articles.add_story"):
            raise PermissionDenied("You may not write stories.")
        story.created_by = story.created_by or user
        authors = authors or [Author.objects.for_user(user)]  # a new story carries its writer's byline
    elif not can_edit(user, Story.objects.get(pk=story.pk)):
        raise PermissionDenied("You may not edit this story.")
    with transaction.atomic():
        changed = changed_fields(story, based_on)
        if story.pk and story.status == Story.Status.PUBLISHED and set(changed) & set(CONTENT_FIELDS):
            story.revised_at = timezone.now()
        story.save()
        if tags is not None:
            story.tags.set(tags)
        if authors is not None:
            story.authors.set(authors)
        story_saved.send(Story, story=story, user=user, changed=changed)
    return changed


def changed_fields(story, based_on):
    """Fields that differ from the stored story; raises Conflict when the stored one moved past `based_on`."""
    if story.pk is None:
        return []
    stored = Story.objects.select_for_update().get(pk=story.pk)
    if based_on is not None and stored.version != based_on:
        raise Conflict(stored.version)
    names = [f.attname for f in Story._meta.concrete_fields if f.attname not in {"version", "updated_at"}]
    return [name for name in names if getattr(stored, name) != getattr(story, name)]


def submit_for_review(story, user):
    if not can_edit(user, story):
        raise PermissionDenied("You may not edit this story.")
    story.status = Story.Status.REVIEW
    save_story(story, user)


def publish(story, user, at=None, **save_options):
    """Publish now, or at `at` (scheduled: it appears by itself at that moment). `save_options` as for save_story."""
    if not can_publish(user):
        raise PermissionDenied("You may not publish stories.")
    check_ready(story)
    now = timezone.now()
    story.status = Story.Status.PUBLISHED
    if at is not None:
        story.published_at = at
    elif story.published_at is None or story.published_at > now:
        story.published_at = now
    save_story(story, user, **save_options)
    action = "schedule" if story.published_at > now else "publish"
    if action == "schedule":
        schedule_go_live(story)
    story_status_changed.send(Story, story=story, user=user, action=action)


def check_ready(story):
    """What must be true before readers see a story; ValidationError says what is missing."""
    if story.lead_image_id and not story.lead_image.has_alt_text:
        raise ValidationError(_("The lead image needs alternative text before the story can be published."))
    if missing := images_without_alt(story.body):
        raise ValidationError(
            ngettext(
                "An image in the body has no alternative text; describe it before the story can be published.",
                "%(count)d images in the body have no alternative text; describe them before the story can be "
                "published.",
                missing,
            )
            % {"count": missing}
        )


def unpublish(story, user, **save_options):
    if not can_publish(user):
        raise PermissionDenied("You may not unpublish stories.")
    story.status = Story.Status.UNPUBLISHED
    save_story(story, user, **save_options)
    story_status_changed.send(Story, story=story, user=user, action="unpublish")


def delete_story(story, user):
    if not can_delete(user, story):
        raise PermissionDenied("You may not delete this story.")
    story_status_changed.send(Story, story=story, user=user, action="delete")
    story.delete()
