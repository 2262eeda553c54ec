"""Who may do what with a story: the one set of rules the admin and the API both ask.

Roles are groups (Reporter, Editor, Moderator, Admin) holding these permissions:
- articles.add_story / change_story: write stories; without edit_any_story, only one's own drafts.
- articles.edit_any_story: edit anyone's story in any status.
- articles.publish_story: publish, schedule, unpublish.
"""

from django.db.models import Q

from .models import Story

OWN_EDITABLE = {Story.Status.DRAFT, Story.Status.REVIEW}


def is_own(user, story):
    return story.created_by_id == user.pk or story.authors.filter(user=user).exists()


def can_edit(user, story):
    if not user.is_active or not user.has_perm("articles.change_story"):
        return False
    if user.has_perm("articles.edit_any_story"):
        return True
    return story.status in OWN_EDITABLE and is_own(user, story)


def can_publish(user):
    return user.is_active and user.has_perm("articles.publish_story")


def can_delete(user, story):
    return user.is_active and user.has_perm("articles.delete_story") and can_edit(user, story)


def editable_stories(user):
    """The stories this user may open for editing."""
    stories = Story.objects.all()
    if not user.is_active or not user.has_perm("articles.change_story"):
        return stories.none()
    if user.has_perm("articles.edit_any_story"):
        return stories
    return stories.filter(Q(created_by=user) | Q(authors__user=user), status__in=OWN_EDITABLE).distinct()


def visible_stories(user):
    """What a user may read: everything published, plus what they may edit."""
    published = Story.objects.published()
    if not user.is_authenticated:
        return published
    return Story.objects.filter(Q(pk__in=published.values("pk")) | Q(pk__in=editable_stories(user).values("pk")))
