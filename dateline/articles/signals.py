"""What the articles app announces; the newsroom keeps revisions and the audit log from these."""

from django.dispatch import Signal

# sender=Story; story, user, changed (list of field names; empty for a new story's first save)
story_saved = Signal()
# sender=Story; story, user, action ("publish", "schedule", "unpublish", "delete")
story_status_changed = Signal()
