"""What the articles app announces; the newsroom keeps revisions and the audit log from these."""

from django.db.models.signals import post_save
from django.dispatch import Signal

# sender=Story; story, user, changed (list of field names; empty for a new story's first save)
story_saved = Signal()
# sender=Story; story, user, action ("publish", "schedule", "unpublish", "delete")
story_status_changed = Signal()
# sender=Story; story. A scheduled story's time came (a job at that moment, articles.tasks.go_live): it is public now
story_went_live = Signal()
# sender=Story; story (saved), created (True for a new story), tags and authors (what the import just set them to).
# Every importer sends it, the fast path of `dateline import` included; the newsroom keeps the revision from it.
story_imported = Signal()
# sender=Story; story (in memory, its fields final, not saved yet). The fast path of `dateline import` sends it in the
# processes that prepare new stories, before it writes them: a receiver of post_save or story_imported may do its
# costly part here and keep the result on the story, under a name of its own, for when the story is written.
story_prepared = Signal()
# sender=Story; story, correction. A correction (of any kind) was added to a public story, however it was added
# (the admin, the API): webhooks and WebSub hubs hear of it.
story_corrected = Signal()


def correction_added(sender, instance, created, raw=False, **kwargs):
    if created and not raw and instance.story.is_live:
        story_corrected.send(type(instance.story), story=instance.story, correction=instance)


def connect():
    """ArticlesConfig.ready."""
    from .models import Correction

    post_save.connect(correction_added, sender=Correction, dispatch_uid="articles-correction-added")
