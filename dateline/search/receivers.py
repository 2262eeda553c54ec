"""The index follows every change to a story, its tags or its authors, in the transaction that makes the change.

Story.save() is the one path every change takes (workflow, admin, API, importers, demo), so post_save is the hook.
Whether a story may be shown is not indexed: results are filtered through Story.objects.published() when searched,
so publishing, unpublishing and a scheduled time arriving need no index change.
"""

from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save, pre_delete, pre_save
from django.dispatch import receiver

from dateline.accounts.models import Author
from dateline.articles.models import Story, Tag
from dateline.articles.signals import story_imported, story_prepared

from . import indexing

INDEXED_FIELDS = {"headline", "summary", "body", "language"}
LINKS = {Tag: Story.tags.through, Author: Story.authors.through}


@receiver(post_save, sender=Story)
def index_story(sender, instance, created, update_fields=None, **kwargs):
    if update_fields is None or INDEXED_FIELDS & set(update_fields):
        indexing.index_story(instance, created=created)


@receiver(story_prepared)
def prepare_document(sender, story, **kwargs):
    """The fast path of `dateline import` prepares a new story elsewhere: its document is made there too."""
    indexing.prepare(story)


@receiver(story_imported)
def index_imported(sender, story, tags, authors, **kwargs):
    indexing.index_imported(story, tags, authors)


@receiver(post_delete, sender=Story)
def forget_story(sender, instance, **kwargs):
    indexing.forget([instance.pk])


@receiver(m2m_changed, sender=Story.tags.through)
@receiver(m2m_changed, sender=Story.authors.through)
def reindex_linked(sender, instance, action, reverse, pk_set, **kwargs):
    """Tags or authors added to or removed from stories (from either side of the relation)."""
    if not reverse:
        if action in {"post_add", "post_remove", "post_clear"} and not indexing.waits_for_links(instance):
            indexing.reindex([instance.pk])
    elif action == "pre_clear":
        instance._search_story_ids = linked_story_ids(instance)
    elif action == "post_clear":
        indexing.reindex(getattr(instance, "_search_story_ids", []))
    elif action in {"post_add", "post_remove"}:
        indexing.reindex(pk_set)


@receiver(pre_save, sender=Tag)
@receiver(pre_save, sender=Author)
def note_old_name(sender, instance, **kwargs):
    stored = sender.objects.filter(pk=instance.pk).values_list("name", flat=True).first() if instance.pk else None
    instance._search_renamed = stored is not None and stored != instance.name


@receiver(post_save, sender=Tag)
@receiver(post_save, sender=Author)
def reindex_renamed(sender, instance, **kwargs):
    if getattr(instance, "_search_renamed", False):
        indexing.reindex(linked_story_ids(instance))


@receiver(pre_delete, sender=Tag)
@receiver(pre_delete, sender=Author)
def note_linked_stories(sender, instance, **kwargs):
    instance._search_story_ids = linked_story_ids(instance)


@receiver(post_delete, sender=Tag)
@receiver(post_delete, sender=Author)
def reindex_unlinked(sender, instance, **kwargs):
    indexing.reindex(getattr(instance, "_search_story_ids", []))


def linked_story_ids(tag_or_author):
    """Ids of the stories a tag or author is linked to."""
    through = LINKS[type(tag_or_author)]
    field = "tag_id" if isinstance(tag_or_author, Tag) else "author_id"
    return list(through.objects.filter(**{field: tag_or_author.pk}).values_list("story_id", flat=True))


@receiver(post_migrate)
def fill_new_index(sender, app_config=None, **kwargs):
    if app_config is not None and app_config.label == "search":
        indexing.fill_if_empty()
