"""Revisions: a full copy of a story's fields after every save, to compare and restore.

Restoring brings back a revision's *content* (headline, slug, summary, body, section, tags, authors, image…), never
its editorial state (status, publication time, News ID, creator): restoring a draft-era version of a published story
keeps it published, and nobody gains a way around `can_publish` by restoring.
"""

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst

from dateline.accounts.models import Author
from dateline.articles.models import Story, Tag
from dateline.articles.permissions import can_edit
from dateline.articles.workflow import save_story
from dateline.ops.inserts import PreparedInsert

from .models import AuditEntry, Revision

SKIPPED = {"id", "version", "updated_at", "created_at"}
RELATIONS = ("tags", "authors")
# Editorial state and identity: shown in a diff, never copied back by a restore.
KEPT_ON_RESTORE = {"news_id", "status", "published_at", "revised_at", "created_by_id", "is_demo"}
# Leading space; then tags (kept whole, so markup reads as markup), words and a stray "<", each with its trailing space.
TOKENS = re.compile(r"\s+|<[^<>]*>\s*|[^\s<]+\s*|<\s*")
DELETED, INSERTED = "<del>{}</del>{}", "<ins>{}</ins>{}"


def snapshot(story, tags=None, authors=None):
    """The story's editable content as JSON-ready data (tags by name, authors by id).

    `tags` and `authors`, when the caller has just set them, spare reading them back."""
    data = {f.attname: f.value_from_object(story) for f in story._meta.concrete_fields if f.attname not in SKIPPED}
    data["tags"] = sorted(story.tags.values_list("name", flat=True) if tags is None else [tag.name for tag in tags])
    data["authors"] = sorted(story.authors.values_list("pk", flat=True) if authors is None else [a.pk for a in authors])
    encoder = DjangoJSONEncoder()
    return {key: encoder.default(value) if hasattr(value, "isoformat") else value for key, value in data.items()}


def record_revision(story, user, changed):
    """Keep the story as saved by `user`; `changed` gains tags and authors when they differ from the last revision."""
    data = snapshot(story)
    previous = story.revisions.filter(version__lt=story.version).first()
    if previous is not None:
        changed = [*changed, *(name for name in RELATIONS if previous.data.get(name) != data[name])]
    return Revision.objects.create(
        story=story,
        version=story.version,
        user=user if user and user.pk else None,
        changed=changed,
        data=data,
    )


def record_import(story, created, tags, authors):
    """Keep an imported story as a revision (by nobody), unless it is exactly what the last revision holds: importing
    the same file again adds no revision. A new story has no revision to compare with, so none is read."""
    if created:
        if insert_prepared_revision(story, tags, authors):
            return None
        revision = first_revision(story, tags, authors)
        revision.save()
        return revision
    data = snapshot(story, tags, authors)
    previous = story.revisions.first()
    if previous is not None and previous.data == data:
        return None
    changed = [name for name in data if previous.data.get(name) != data[name]] if previous else []
    return Revision.objects.create(story=story, version=story.version, changed=changed, data=data)


def first_revision(story, tags=(), authors=()):
    """The revision (unsaved, by nobody) a story begins with when an import creates it."""
    return Revision(story_id=story.pk, version=story.version, changed=[], data=snapshot(story, tags, authors))


_inserts = {}


def revision_insert():
    """This process's compiled INSERT of a Revision (the fast path of an import writes one per story)."""
    if not _inserts:
        _inserts[Revision] = PreparedInsert(Revision)
    return _inserts[Revision]


def prepare_first_revision(story):
    """Make a new story's first revision row before the story is saved (in the fast path's worker processes), for
    record_import to write."""
    story._newsroom_first_revision = revision_insert().values(first_revision(story))


def insert_prepared_revision(story, tags, authors):
    """Write the first revision prepare_first_revision made (its snapshot made again when the story was given links
    since); False when nothing was prepared."""
    values = story.__dict__.pop("_newsroom_first_revision", None)
    if values is None:
        return False
    insert = revision_insert()
    if tags or authors or story.section_id or story.lead_image_id:
        insert.set(values, "data", snapshot(story, tags, authors))
    insert.set(values, "story", story.pk)
    insert.insert(values)
    return True


def may_see_revisions(user, story):
    """Whoever may edit the story, and staff given `newsroom.view_revision` (editors), may read its history."""
    return can_edit(user, story) or user.has_perm("newsroom.view_revision")


# Restore


def restore_revision(revision, user, *, based_on=None):
    """Save the revision's content as the story's newest version (itself a revision) and note it in the audit log.

    Raises PermissionDenied when `user` may not edit the story, Conflict when it moved past `based_on`.
    """
    story = Story.objects.get(pk=revision.story_id)
    replaced = story.version
    with transaction.atomic():
        apply_content(story, revision.data)
        tags = tags_named(revision.data.get("tags", []))
        authors = Author.objects.filter(pk__in=revision.data.get("authors", []))
        save_story(story, user, based_on=based_on, tags=tags, authors=authors)
        AuditEntry.objects.create(
            action=AuditEntry.Action.RESTORE,
            user=user,
            subject=str(story)[:300],
            news_id=story.news_id,
            details={"restored": revision.version, "replaced": replaced, "version": story.version},
        )
    return story


def apply_content(story, data):
    """Copy a revision's content fields onto `story`; a section or image deleted since becomes empty."""
    for field in story._meta.concrete_fields:
        name = field.attname
        if name in SKIPPED or name in KEPT_ON_RESTORE or name not in data:
            continue
        value = data[name]
        if field.is_relation and value is not None and not field.related_model.objects.filter(pk=value).exists():
            value = None
        setattr(story, name, field.to_python(value))


def tags_named(names):
    """The tags with these names, made again if deleted since."""
    return Tag.objects.for_names(names)


# Compare


@dataclass
class FieldChange:
    """One field that differs between two revisions, each side escaped with the changed words marked."""

    name: str
    label: str
    old: SafeString
    new: SafeString


def compare(older, newer):
    """The fields that differ from revision `older` to `newer`, in the story's field order."""
    changes = []
    for name in dict.fromkeys([*newer.data, *older.data]):
        old, new = older.data.get(name), newer.data.get(name)
        if old != new:
            changes.append(field_change(name, old, new))
    return changes


def field_change(name, old, new):
    old_html, new_html = word_diff(shown(name, old), shown(name, new))
    return FieldChange(name, field_label(name), old_html, new_html)


def field_label(name):
    """The field's name as editors know it ("Headline", "Section"), for a stored field name."""
    try:
        return capfirst(Story._meta.get_field(name).verbose_name)
    except LookupError:
        return name


def shown(name, value):
    """A stored value as text an editor reads: names for sections, images, authors and users; labels for choices."""
    if value is None or value == "" or value == []:
        return ""
    if name == "tags":
        return ", ".join(value)
    try:
        field = Story._meta.get_field(name)
    except LookupError:
        return str(value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field.is_relation:
        return related_names(field.related_model, value if isinstance(value, list) else [value])
    return str(value)


def related_names(model, pks):
    """'Name, Other name' for these rows, '#7 (deleted)' for a row that is gone."""
    found = {obj.pk: str(obj) for obj in model.objects.filter(pk__in=pks)}
    return ", ".join(found.get(pk, f"#{pk} (deleted)") for pk in pks)


def word_diff(old, new):
    """Both texts escaped, words and tags removed from `old` in <del>, added in `new` in <ins>."""
    a, b = TOKENS.findall(old), TOKENS.findall(new)
    # Words compare without their trailing space, so a word before a change still matches itself. Autojunk (very
    # common words never start a match) keeps a 20,000-word body to about a second.
    matcher = SequenceMatcher(None, [t.strip() or t for t in a], [t.strip() or t for t in b])
    left, right = [], []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        before, after = "".join(a[i1:i2]), "".join(b[j1:j2])
        left.append(escape(before) if op == "equal" else marked(DELETED, before))
        right.append(escape(after) if op == "equal" else marked(INSERTED, after))
    return mark_safe("".join(left)), mark_safe("".join(right))  # every piece above is escaped


def marked(template, text):
    """`text` escaped inside <del> or <ins>, its trailing space left outside."""
    if not text:
        return ""
    words = text.rstrip()
    return format_html(template, words, text[len(words) :])
