"""What stories, sections, tags and front pages tell the page cache (dateline/pagecache): the keys pages depend on,
and which of them a change touches.

A page rendered for the cache depends on each story, section and tag it loads (`story:12`, `section:3`, `tag:7`),
on the navigation (`sections`) and on the lists of stories it shows: `stories` (every list: the front page, feeds,
sitemaps) unless the view names narrower ones through `pagecache.hints.lists()` (`list:section:<id>`,
`list:tag:<id>`, `list:author:<id>`, `list:translations:<id>`, built here). Saving or deleting an object changes
its key; a story change that can move it on or off a list changes `stories` and the lists it was and is on; a
section change, the navigation; a correction or live entry, its story's page; a front page, every list.
"""

from django.db.models.signals import m2m_changed, post_delete, post_init, pre_delete

from dateline.pagecache.hints import EVERY_LIST, NAVIGATION
from dateline.pagecache.keys import changed, on_change, watch

from . import signals
from .models import Correction, FrontPage, LiveEntry, Section, Story, Tag

# Story fields that decide which lists show a story, and where.
LISTING = ("status", "published_at", "section_id", "language", "translation_of_id")
NOT_LOADED = object()


def story_key(story_id):
    return f"story:{story_id}"


def section_key(section_id):
    return f"section:{section_id}"


def tag_key(tag_id):
    return f"tag:{tag_id}"


def section_list_key(section_id):
    return f"list:section:{section_id}"


def tag_list_key(tag_id):
    return f"list:tag:{tag_id}"


def author_list_key(author_id):
    return f"list:author:{author_id}"


def translations_list_key(original_id):
    """The stories linked as translations of one original (the original included)."""
    return f"list:translations:{original_id}"


# A story's many-to-many relations that put it on lists: the field and the list key of the other side.
CORRECTIONS_LIST = "list:corrections"  # /corrections and its feeds
RELATIONS = {Story.tags.through: ("tags", tag_list_key), Story.authors.through: ("authors", author_list_key)}


def next_scheduled():
    """When the next scheduled story goes live (a timestamp), or infinity: no page stored now is current after."""
    upcoming = Story.objects.scheduled()
    at = upcoming.order_by("published_at").values_list("published_at", flat=True).first()
    return at.timestamp() if at else float("inf")


def listing(story):
    """Where the story is listed, or None when a field was not loaded (never loaded here: that would query)."""
    values = tuple(story.__dict__.get(field, NOT_LOADED) for field in LISTING)
    return None if NOT_LOADED in values else values


def story_loaded(sender, instance, **kwargs):
    """post_init: a story remembers where it was listed."""
    instance._pagecache_listing = listing(instance)


def story_saved(sender, instance, created=False, **kwargs):
    keys = [story_key(instance.pk)]
    deleted = kwargs.get("signal") is post_delete
    if moved(instance, created, deleted):
        keys += [EVERY_LIST, *story_lists(instance, created, deleted)]
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
    keys = {section_list_key(section) for _, _, section, _, _ in places if section}
    keys |= {translations_list_key(original or story.pk) for *_, original in places}
    if deleted:
        return keys | getattr(story, "_pagecache_relations", set())
    if created:  # just created: no tags or bylines yet (adding them is heard by m2m_changed)
        return keys
    return keys | relation_lists(story)


def relation_lists(story):
    tags = story.tags.values_list("pk", flat=True)
    return {*map(tag_list_key, tags), *map(author_list_key, story.authors.values_list("pk", flat=True))}


def story_deleting(sender, instance, **kwargs):
    """pre_delete: its tags and bylines are gone by post_delete."""
    instance._pagecache_relations = relation_lists(instance)


def story_went_live(sender, story, **kwargs):
    """A scheduled story's time came: the pages that list it change now (stored copies already expire by then)."""
    changed(story_key(story.pk), EVERY_LIST, *story_lists(story, created=False, deleted=False))


def section_saved(sender, instance, **kwargs):
    """A renamed, moved or reordered section can change the navigation of every page."""
    changed(section_key(instance.pk), NAVIGATION)


def part_of_story_saved(sender, instance, **kwargs):
    """A live entry belongs to its story's page."""
    changed(story_key(instance.story_id))


def correction_saved(sender, instance, **kwargs):
    """A correction shows on its story's page and on /corrections (and its feeds)."""
    changed(story_key(instance.story_id), CORRECTIONS_LIST)


def front_page_saved(sender, instance, **kwargs):
    changed(EVERY_LIST)


def story_relations_changed(sender, instance, action, reverse, pk_set=None, **kwargs):
    """Tags and bylines decide the tag and author pages a story is listed on (and its related stories)."""
    field, list_key = RELATIONS[sender]
    if action == "pre_clear":  # which ones is not known after the clear
        pk_set = set(getattr(instance, "stories" if reverse else field).values_list("pk", flat=True))
    elif action not in ("post_add", "post_remove"):
        return
    if reverse:  # changed from the tag's or author's side
        changed(list_key(instance.pk), *map(story_key, pk_set))
    else:
        changed(story_key(instance.pk), *map(list_key, pk_set))


def connect():
    """Listen to the articles' models whose changes show on public pages (ArticlesConfig.ready)."""
    watch(Story, story_key, saved=story_saved)
    watch(Section, section_key, saved=section_saved)
    watch(Tag, tag_key)
    post_init.connect(story_loaded, sender=Story, dispatch_uid="pagecache-story-loaded")
    pre_delete.connect(story_deleting, sender=Story, dispatch_uid="pagecache-story-deleting")
    on_change(Correction, correction_saved)
    on_change(LiveEntry, part_of_story_saved)
    on_change(FrontPage, front_page_saved)
    signals.story_went_live.connect(story_went_live, dispatch_uid="pagecache-story-went-live")
    for through in RELATIONS:
        m2m_changed.connect(story_relations_changed, sender=through, dispatch_uid=f"pagecache-m2m-{through.__name__}")
