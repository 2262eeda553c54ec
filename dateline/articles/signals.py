"""What the articles app announces; the newsroom keeps revisions and the audit log from these."""

from django.dispatch import Signal

# sender=Story; story, user, changed (list of field names; empty for a new story's first save)
story_saved = Signal()
# sender=Story; story, user, action ("publish", "schedule", "unpublish", "delete")
story_status_changed = Signal()
# sender=Story; story. A scheduled story's time came (a job at that moment, articles.tasks.go_live): it is public now
story_went_live = Signal()
