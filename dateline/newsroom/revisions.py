"""Revisions: a full copy of a story's fields after every save, to compare and restore."""

from django.core.serializers.json import DjangoJSONEncoder

from .models import Revision

SKIPPED = {"id", "version", "updated_at", "created_at"}


def snapshot(story):
    """The story's editable content as JSON-ready data (tags by name, authors by id)."""
    data = {f.attname: f.value_from_object(story) for f in story._meta.concrete_fields if f.attname not in SKIPPED}
    data["tags"] = sorted(story.tags.values_list("name", flat=True))
    data["authors"] = sorted(story.authors.values_list("pk", flat=True))
    encoder = DjangoJSONEncoder()
    return {key: encoder.default(value) if hasattr(value, "isoformat") else value for key, value in data.items()}


def record_revision(story, user, changed):
    return Revision.objects.create(
        story=story,
        version=story.version,
        user=user if user and user.pk else None,
        changed=changed,
        data=snapshot(story),
    )
