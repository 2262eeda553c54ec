"""What the index holds for a story: its words, field by field, HTML stripped and normalised."""

from collections import defaultdict
from dataclasses import dataclass, replace

from dateline.articles.models import Story

from .text import html_to_text, normalize


@dataclass(frozen=True)
class Document:
    story_id: int
    language: str
    headline: str
    summary: str
    body: str
    tags: str
    authors: str


def document(story, tags="", authors=""):
    """The Document of a story in memory; `tags` and `authors` are the names, joined by spaces."""
    return Document(
        story_id=story.pk,
        language=story.language,
        headline=normalize(story.headline),
        summary=normalize(story.summary),
        body=html_to_text(story.body),
        tags=normalize(tags),
        authors=normalize(authors),
    )


def with_links(document, tags, authors):
    """The document of a story in memory given the names of its tags and authors (in any order)."""
    return replace(document, tags=normalize(joined(tags)), authors=normalize(joined(authors)))


def joined(names):
    return " ".join(sorted(names))


def documents(story_ids):
    """The Documents of these stories, read in three queries however many there are."""
    ids = list(story_ids)
    tags = names(Story.tags.through.objects.filter(story_id__in=ids), "tag__name")
    authors = names(Story.authors.through.objects.filter(story_id__in=ids), "author__name")
    stories = Story.objects.filter(pk__in=ids).only("pk", "language", "headline", "summary", "body")
    return [document(story, tags.get(story.pk, ""), authors.get(story.pk, "")) for story in stories]


def names(links, name_field):
    """story id → the linked names joined by spaces, from a many-to-many through queryset."""
    found = defaultdict(list)
    for story_id, name in links.values_list("story_id", name_field):
        found[story_id].append(name)
    return {story_id: joined(parts) for story_id, parts in found.items()}
