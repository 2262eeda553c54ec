"""Which pages a change touches: dependency keys (surrogate keys).

While a page renders for the cache, every watched object it loads adds its key (`story:12`, `section:3`, `tag:7`,
`author:2`, `image:5`, …), and the comment section adds `comments:<story id>`. Every page depends on `sections` (the
navigation) and on the lists of stories it shows: `stories` (every list: the front page, feeds, sitemaps) unless the
view names narrower ones (`list:section:<id>`, `list:tag:<id>`, `list:author:<id>`, `list:translations:<id>`, see
dateline/articles/pagekeys.py). Saving or deleting an object changes its key; a story change that can move it on or
off a list changes `stories` and the lists it was and is on. Changes are noted once the transaction commits, so a
page rendered from the old rows is never stored as current.
"""

from contextvars import ContextVar

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_init, post_save, pre_delete

from dateline.accounts.models import Author, AuthorLink
from dateline.articles.models import Correction, FrontPage, LiveEntry, Section, Story, Tag
from dateline.articles.pagekeys import EVERY_LIST, author_list, section_list, tag_list, translations_list
from dateline.comments.models import Comment
from dateline.images.models import Image

EVERY_PART = ("sections",)  # the navigation: on every page, and the parts pages share (pagecache.SharedParts)
EVERY_PAGE = (EVERY_LIST, *EVERY_PART)
# Story fields that decide which lists show a story, and where.
LISTING = ("status", "published_at", "section_id", "language", "translation_of_id")
INSTANCE_KEYS = {Story: "story", Section: "section", Tag: "tag", Author: "author", Image: "image"}

# A story's many-to-many relations that put it on lists: the field and the list key of the other side.
RELATIONS = {Story.tags.through: ("tags", tag_list), Story.authors.through: ("authors", author_list)}
NOT_LOADED = object()
recording = ContextVar("dateline_pagecache_recording", default=None)


def record(*keys):
    """Note that the page being rendered for the cache depends on `keys` (nothing when none is)."""
    keys_seen = recording.get()
    if keys_seen is not None:
        keys_seen.update(keys)


def listing(story):
    """Where the story is listed, or None when a field was not loaded (never loaded here: that would query)."""
    values = tuple(story.__dict__.get(field, NOT_LOADED) for field in LISTING)
    return None if NOT_LOADED in values else values


def loaded(sender, instance, **kwargs):
    """post_init: a watched object was loaded while rendering; a story remembers where it was listed."""
    if sender is Story:
        instance._pagecache_listing = listing(instance)
    if instance.pk is not None:
        record(f"{INSTANCE_KEYS[sender]}:{instance.pk}")


def changed(*keys):
    """After the commit, every page depending on one of `keys` is out of date."""
    from . import invalidate

    transaction.on_commit(lambda: invalidate(keys))


def instance_saved(sender, instance, created=False, **kwargs):
    keys = [f"{INSTANCE_KEYS[sender]}:{instance.pk}"]
    deleted = kwargs.get("signal") is post_delete
    if sender is Story and moved(instance, created, deleted):
        keys += [EVERY_LIST, *story_lists(instance, created, deleted)]
    if sender is Story:
        instance._pagecache_listing = listing(instance)
    changed(*keys)


def moved(story, created, deleted):
    """Whether a save or delete can put the story on a list, take it off, or move it: only a story that is or was
    published can."""
    was = None if created else getattr(story, "_pagecache_listing", None)
    now = listing(story)
    if was is None or now is None:  # new, or not all known: it may have moved
        return created is False or story.status == Story.Status.PUBLISHED
    if Story.Status.PUBLISHED not in (now[0], was[0]):
        return False
    return deleted or was != now


def story_lists(story, created, deleted):
    """The lists the story was and is on: its sections, translations, tags and authors (noted before a delete)."""
    places = [place for place in (getattr(story, "_pagecache_listing", None), listing(story)) if place]
    keys = {section_list(section) for _, _, section, _, _ in places if section}
    keys |= {translations_list(original or story.pk) for *_, original in places}
    if deleted:
        return keys | getattr(story, "_pagecache_relations", set())
    if created:  # just created: no tags or bylines yet (adding them is heard by m2m_changed)
        return keys
    return keys | relation_lists(story)


def relation_lists(story):
    tags = story.tags.values_list("pk", flat=True)
    return {*map(tag_list, tags), *map(author_list, story.authors.values_list("pk", flat=True))}


def story_deleting(sender, instance, **kwargs):
    """pre_delete: its tags and bylines are gone by post_delete."""
    instance._pagecache_relations = relation_lists(instance)


def section_saved(sender, instance, **kwargs):
    """A renamed, moved or reordered section can change the navigation of every page."""
    changed(f"section:{instance.pk}", "sections")


def part_of_story_saved(sender, instance, **kwargs):
    """A correction or live entry belongs to its story's page."""
    changed(f"story:{instance.story_id}")


def front_page_saved(sender, instance, **kwargs):
    changed("stories")


def author_link_saved(sender, instance, **kwargs):
    changed(f"author:{instance.author_id}")


def comment_saved(sender, instance, **kwargs):
    """A comment shows only once approved: approving it, or changing or removing an approved one, touches its
    story's comment section."""
    was = getattr(instance, "_pagecache_status", None)
    if Comment.Status.APPROVED in (was, instance.status) or kwargs.get("signal") is post_delete:
        changed(f"comments:{instance.story_id}")
    instance._pagecache_status = instance.status


def comment_loaded(sender, instance, **kwargs):
    instance._pagecache_status = instance.status


def story_relations_changed(sender, instance, action, reverse, pk_set=None, **kwargs):
    """Tags and bylines decide the tag and author pages a story is listed on (and its related stories)."""
    field, list_key = RELATIONS[sender]
    if action == "pre_clear":  # which ones is not known after the clear
        pk_set = set(getattr(instance, "stories" if reverse else field).values_list("pk", flat=True))
    elif action not in ("post_add", "post_remove"):
        return
    if reverse:  # changed from the tag's or author's side
        changed(list_key(instance.pk), *(f"story:{pk}" for pk in pk_set))
    else:
        changed(f"story:{instance.pk}", *map(list_key, pk_set))


def connect():
    """Listen to the models whose changes show on public pages."""
    for model in INSTANCE_KEYS:
        post_init.connect(loaded, sender=model, dispatch_uid=f"pagecache-loaded-{model.__name__}")
    for model in (Story, Tag, Author, Image):
        for signal in (post_save, post_delete):
            signal.connect(instance_saved, sender=model, dispatch_uid=f"pagecache-{signal}-{model.__name__}")
    receivers = [
        (Section, section_saved),
        (Correction, part_of_story_saved),
        (LiveEntry, part_of_story_saved),
        (FrontPage, front_page_saved),
        (AuthorLink, author_link_saved),
        (Comment, comment_saved),
    ]
    for model, receiver in receivers:
        post_save.connect(receiver, sender=model, dispatch_uid=f"pagecache-save-{model.__name__}")
        post_delete.connect(receiver, sender=model, dispatch_uid=f"pagecache-delete-{model.__name__}")
    pre_delete.connect(story_deleting, sender=Story, dispatch_uid="pagecache-story-deleting")
    post_init.connect(comment_loaded, sender=Comment, dispatch_uid="pagecache-comment-loaded")
    for through in RELATIONS:
        m2m_changed.connect(story_relations_changed, sender=through, dispatch_uid=f"pagecache-m2m-{through.__name__}")
