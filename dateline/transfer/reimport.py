"""Reading a `dateline export` file back (export.py writes it): each line in its own transaction, new stories
prepared beforehand by the fast path (bulk.py)."""

import json

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction

from dateline.accounts.models import Author, AuthorLink
from dateline.articles.models import Section, Story, Tag
from dateline.comments.models import Comment
from dateline.newsroom.models import Revision

from . import bulk
from .formats.ninjs import image_for, line_count, save_ninjs_story, story_data, time_of
from .report import Refused


def import_export_file(path, report):
    """Import a `dateline export` file line by line, each object in its own transaction.

    A bad line is refused with its number and the reason, and the rest still import; importing the same file
    again updates what is there and adds nothing twice. New stories are prepared beforehand (bulk.py).
    """
    writer = bulk.Writer(report)
    try:
        total = line_count(path)
        with bulk.prepared_lines(path, total) as lines:
            for number, line, prepared in lines:
                if line.strip():
                    import_line(path, number, line, report, writer, prepared)
                report.advance(path, number, total)
    except OSError as error:
        report.refused.append(f"{path}: cannot be read ({error.strerror})")


def import_line(path, number, line, report, writer, prepared=None):
    """Import one line; `prepared` is its story made ready by bulk.prepare_line, when it could be."""
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
    story, created = save_ninjs_story(story_data(item), announced=revisions is None)
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
