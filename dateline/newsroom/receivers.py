"""The newsroom's trail of every story change: a revision per save, an audit entry per status change."""

from django.dispatch import receiver

from dateline.articles.signals import story_saved, story_status_changed

from .models import AuditEntry
from .revisions import record_revision


@receiver(story_saved)
def keep_revision(sender, story, user, changed, **kwargs):
    record_revision(story, user, changed)


@receiver(story_status_changed)
def audit_status_change(sender, story, user, action, **kwargs):
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
