"""Writing the index: one story as it is saved, a few after a tag or byline change, or all of them at once."""

from dataclasses import replace

from django.db import transaction

from dateline.articles.models import Story

from .backends import backend
from .documents import document, documents, with_links

BATCH = 1000


def index_story(story, created=False):
    """Index a story just saved. A new one has no tags or authors yet, so it costs no query to read them, and the
    index holds nothing for it (story ids are never reused), so nothing is deleted first."""
    if created:
        if not waits_for_links(story):
            backend().insert([document(story)])
    else:
        reindex([story.pk])


def prepare(story):
    """Make a new story's document before it is saved (in the fast path's worker processes)."""
    story._search_document = document(story)


def waits_for_links(story):
    """A story prepared by the fast path is indexed once, when its import says what it links to (index_imported):
    not when it is saved, nor again for each tag and byline added."""
    return "_search_document" in story.__dict__


def index_imported(story, tags, authors):
    """Index a story the fast path prepared, with the tags and bylines its import gave it."""
    made = story.__dict__.pop("_search_document", None)
    if made is not None:
        if tags or authors:
            made = with_links(made, [tag.name for tag in tags], [author.name for author in authors])
        backend().insert([replace(made, story_id=story.pk)])


def reindex(story_ids):
    """Index these stories again from what the database holds now."""
    ids = list(story_ids)
    for start in range(0, len(ids), BATCH):
        backend().replace(documents(ids[start : start + BATCH]))


def forget(story_ids):
    backend().remove(story_ids)


def rebuild(progress=None):
    """Index every story from scratch, in one transaction (readers see the old index until it is done).

    `progress(done, total)` is called after each batch. Returns the number of stories indexed.
    """
    search = backend()
    ids = list(Story.objects.order_by("pk").values_list("pk", flat=True))
    with transaction.atomic():
        search.clear()
        for start in range(0, len(ids), BATCH):
            search.insert(documents(ids[start : start + BATCH]))
            if progress:
                progress(min(start + BATCH, len(ids)), len(ids))
        search.finish()
    return len(ids)


def fill_if_empty():
    """After migrating: an index made for a site that already has stories is filled at once."""
    if backend().is_empty() and Story.objects.exists():
        rebuild()
