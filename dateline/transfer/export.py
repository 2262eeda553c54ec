"""The `dateline export` format: a whole site as JSON lines (`export_lines`); reimport.py reads them back.

One object a line, each with a `kind`, in the order an import needs them: sections (parents first), tags, authors,
stories, approved comments. A story line is `{"kind": "story", "ninjs": <ninjs 2.2>, "dateline": <extension>}`:
the ninjs document stays valid against IPTC's schema, and the extension carries what ninjs cannot say losslessly.
Readers' e-mail and IP addresses, pending or rejected comments, user accounts and API tokens are never written.
"""

from dateline.accounts.models import Author
from dateline.articles.models import Section, Story, Tag
from dateline.articles.ninjs import iso, story_ninjs
from dateline.comments.models import Comment

CHUNK = 500  # rows per query while streaming: memory stays flat, queries grow by one per chunk (and prefetch)


def export_lines(absolute, *, revisions=False):
    """Every object of the site as a dict with its `kind`; `absolute(path)` makes site paths absolute URLs."""
    yield from section_lines()
    yield from tag_lines()
    yield from author_lines(absolute)
    yield from story_lines(absolute, revisions)
    yield from comment_lines()


def section_lines():
    """Sections, each after its parent, so an import can link them as it goes."""
    sections = list(Section.objects.select_related("parent").order_by("position", "name", "pk"))
    written = set()
    while len(written) < len(sections):
        for section in sections:
            if section.pk not in written and (section.parent_id is None or section.parent_id in written):
                written.add(section.pk)
                yield {
                    "kind": "section",
                    "name": section.name,
                    "slug": section.slug,
                    "parent": section.parent.slug if section.parent else None,
                    "position": section.position,
                    "description": section.description,
                }


def tag_lines():
    for tag in Tag.objects.order_by("slug").iterator(chunk_size=CHUNK):
        yield {"kind": "tag", "name": tag.name, "slug": tag.slug, "description": tag.description}


def author_lines(absolute):
    authors = Author.objects.order_by("slug").select_related("user", "photo").prefetch_related("links")
    for author in authors.prefetch_related("photo__renditions").iterator(chunk_size=CHUNK):
        yield {
            "kind": "author",
            "name": author.name,
            "slug": author.slug,
            "role": author.role,
            "bio": author.bio,
            "user": author.user.get_username() if author.user else None,
            "photo": image_data(author.photo, absolute),
            "links": [{"label": link.label, "url": link.url, "position": link.position} for link in author.links.all()],
            "is_demo": author.is_demo,
        }


def story_lines(absolute, revisions):
    related = ["tags", "authors", "corrections", "live_entries", "lead_image__renditions"]
    stories = Story.objects.order_by("news_id").select_related("section", "lead_image")
    stories = stories.prefetch_related(*related, *(["revisions__user"] if revisions else []))
    for story in stories.iterator(chunk_size=CHUNK):
        yield {
            "kind": "story",
            "ninjs": story_ninjs(story, absolute),
            "dateline": extension(story, absolute, revisions),
        }
        forget_prefetched(story)


def forget_prefetched(obj):
    """Drop what was prefetched for `obj`: each prefetched queryset points back at it, and that cycle would keep
    every chunk in memory until Python's rare full garbage collection."""
    for related in obj.__dict__.pop("_prefetched_objects_cache", {}).values():
        for item in related._result_cache or []:
            forget_prefetched(item)


def extension(story, absolute, revisions):
    """What ninjs cannot carry without loss, by our own names."""
    data = {
        "news_id": story.news_id,
        "section": story.section.slug if story.section else None,
        "tags": [tag.name for tag in story.tags.all()],
        "authors": [author.slug for author in story.authors.all()],
        "story_type": story.story_type,
        "status": story.status,
        "published_at": iso(story.published_at),
        "revised_at": iso(story.revised_at),
        "location": story.location,
        "reporting_credit": story.reporting_credit,
        "lead_image": image_data(story.lead_image, absolute),
        "lead_image_caption": story.lead_image_caption,
        "lead_image_credit": story.lead_image_credit,
        "corrections": [
            {"kind": note.kind, "text": note.text, "created_at": iso(note.created_at)}
            for note in story.corrections.all()
        ],
        "live_entries": [
            {"body": entry.body, "created_at": iso(entry.created_at), "is_pinned": entry.is_pinned}
            for entry in story.live_entries.all()
        ],
        "is_demo": story.is_demo,
    }
    if revisions:
        data["revisions"] = [revision_data(revision) for revision in story.revisions.all()]
    return data


def image_data(image, absolute):
    """An image by its stored file name (relinked on import when the media folder comes along) and its address."""
    if image is None:
        return None
    return {
        "file": image.file.name,
        "url": absolute(image.file.url),
        "width": image.width,
        "height": image.height,
        "alt_text": image.alt_text,
        "caption": image.caption,
        "credit": image.credit,
        "renditions": [{"file": r.file.name, "width": r.width, "height": r.height} for r in image.renditions.all()],
    }


def revision_data(revision):
    return {
        "version": revision.version,
        "user": revision.user.get_username() if revision.user else None,
        "created_at": iso(revision.created_at),
        "changed": revision.changed,
        "data": revision.data,
    }


def comment_lines():
    """Approved comments only, and never the reader's e-mail or IP address."""
    comments = Comment.objects.approved().order_by("pk").values_list("story__news_id", "name", "body", "created_at")
    for news_id, name, body, created_at in comments.iterator(chunk_size=CHUNK * 4):
        yield {"kind": "comment", "news_id": news_id, "name": name, "body": body, "created_at": iso(created_at)}
