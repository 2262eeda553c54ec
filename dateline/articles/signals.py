"""What the articles app announces; the newsroom keeps revisions and the audit log from these."""

from django.dispatch import Signal

# sender=Story; story, user, changed (list of field names; empty for a new story's first save)
story_saved = Signal()
# sender=Story; story, user, action ("publish", "schedule", "unpublish", "delete")
story_status_changed = Signal()
# sender=Story; story (saved), created (True for a new story), tags and authors (what the import just set them to).
# Every importer sends it, the fast path of `dateline import` included; the newsroom keeps the revision from it.
story_imported = Signal()
