"""Moving a whole site: `export_lines` writes it as JSON lines, `import_export_file` reads them back.

One object a line, each with a `kind`, in the order an import needs them: sections (parents first), tags, authors,
stories, approved comments. A story line is `{"kind": "story", "ninjs": <ninjs 2.2>, "dateline": <extension>}`:
the ninjs document stays valid against IPTC's schema, and the extension carries what ninjs cannot say losslessly.
Readers' e-mail and IP addresses, pending or rejected comments, user accounts and API tokens are never written.
"""

import json

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction

from dateline import bulkimport
from dateline.accounts.models import Author, AuthorLink
from dateline.api.ninjs import iso, story_ninjs
from dateline.articles.importers import Refused
from dateline.articles.importers.ninjs import image_for, line_count, save_story, story_data, time_of
from dateline.articles.models import Section, Story, Tag
from dateline.comments.models import Comment
from dateline.newsroom.models import Revision

CHUNK = 500  # rows per query while streaming: memory stays flat, queries grow by one per chunk (and prefetch)


# Export


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


# Import


def import_export_file(path, report):
    """Import a `dateline export` file line by line, each object in its own transaction.

    A bad line is refused with its number and the reason, and the rest still import; importing the same file
    again updates what is there and adds nothing twice. New stories are prepared beforehand (dateline.bulkimport).
    """
    writer = bulkimport.Writer(report)
    try:
        total = line_count(path)
        with bulkimport.export_lines(path, total) as lines:
            for number, line, prepared in lines:
                if line.strip():
                    import_line(path, number, line, report, writer, prepared)
                report.advance(path, number, total)
    except OSError as error:
        report.refused.append(f"{path}: cannot be read ({error.strerror})")


def import_line(path, number, line, report, writer, prepared=None):
    """Import one line; `prepared` is its story made ready by bulkimport.prepare_line, when it could be."""
    try:
        with transaction.atomic():
            created = prepared is not None and writer.new_story(prepared)
            if not created:  # not prepared, or the story exists: the ordinary path
                created = import_item(json.loads(line), writer)
    except ValueError as error:  # JSON, dates and numbers that do not parse
        refused = str(error)
    except Refused as refusal:
        refused = refusal.message
    except (KeyError, TypeError, AttributeError) as error:
        refused = f"a field is missing or of the wrong type ({error!r})"
    except (ValidationError, DatabaseError) as error:
        refused = f"cannot be stored ({error})"
    else:
        report.saved(created)
        return
    writer.forget()  # what it looked up may have been rolled back
    report.refused.append(f"{path}:{number}: {refused}")


def import_item(item, writer):
    """Import one decoded line the ordinary way: True when it made a new object."""
    importer = IMPORTERS.get(item.get("kind")) if isinstance(item, dict) else None
    if importer is None:
        raise Refused("not an export line (a JSON object with a known 'kind')")
    if importer in CHANGES_LINKS:
        writer.forget()
    return importer(item)


def import_section(item):
    parent = None
    if item.get("parent"):
        parent = Section.objects.filter(slug=item["parent"]).first()
        if parent is None:
            raise Refused(f"its parent section {item['parent']!r} is not in the file before it")
    fields = {"name": item["name"], "parent": parent, "position": int(item.get("position") or 0)}
    section, created = Section.objects.update_or_create(
        slug=item["slug"], defaults={**fields, "description": item.get("description") or ""}
    )
    return created


def import_tag(item):
    defaults = {"name": item["name"], "description": item.get("description") or ""}
    return Tag.objects.update_or_create(slug=item["slug"], defaults=defaults)[1]


def import_author(item):
    """An author by slug; linked to the user of the same username when this site has one."""
    User = get_user_model()
    user = User.objects.filter(**{User.USERNAME_FIELD: item["user"]}).first() if item.get("user") else None
    defaults = {
        "name": item["name"],
        "role": item.get("role") or "",
        "bio": item.get("bio") or "",
        "photo": image_for(item.get("photo")),
        "is_demo": item.get("is_demo") is True,
    }
    if user is not None and not Author.objects.filter(user=user).exclude(slug=item["slug"]).exists():
        defaults["user"] = user
    author, created = Author.objects.update_or_create(slug=item["slug"], defaults=defaults)
    author.links.all().delete()
    for link in item.get("links") or []:
        AuthorLink.objects.create(author=author, label=link["label"], url=link["url"], position=link.get("position", 0))
    return created


def import_story(item):
    """A story and its history: the revisions the file carries (`export --revisions`), else a first one made now."""
    revisions = (item.get("dateline") or {}).get("revisions")
    story, created = save_story(story_data(item), announced=revisions is None)
    if revisions is not None:
        restore_revisions(story, revisions)
    return created


def restore_revisions(story, revisions):
    """The story's saved versions, as exported (who saved one is kept when this site has that user)."""
    User = get_user_model()
    for revision in revisions:
        user = User.objects.filter(**{User.USERNAME_FIELD: revision["user"]}).first() if revision.get("user") else None
        fields = {"user": user, "changed": revision.get("changed") or [], "data": revision["data"]}
        row, _ = Revision.objects.update_or_create(story=story, version=int(revision["version"]), defaults=fields)
        if created_at := time_of(revision.get("created_at"), "revision created_at"):
            Revision.objects.filter(pk=row.pk).update(created_at=created_at)


def import_comment(item):
    """An approved comment under its story; the same name, text and time is the same comment."""
    story = Story.objects.filter(news_id=int(item["news_id"])).first()
    if story is None:
        raise Refused(f"no story has the News ID {item['news_id']!r}")
    created_at = time_of(item.get("created_at"), "created_at")
    fields = {"story": story, "name": item["name"], "body": item["body"], "created_at": created_at}
    if Comment.objects.filter(**fields).exists():
        return False
    comment = Comment.objects.create(**{**fields, "status": Comment.Status.APPROVED})
    if created_at:
        Comment.objects.filter(pk=comment.pk).update(created_at=created_at)
    return True


CHANGES_LINKS = {import_section, import_tag, import_author}  # what an export's stories are linked to by name
IMPORTERS = {
    "section": import_section,
    "tag": import_tag,
    "author": import_author,
    "story": import_story,
    "comment": import_comment,
}
