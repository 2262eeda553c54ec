"""What the importers announce. The newsroom keeps an imported story's revision from it, as it does for a story
saved in the newsroom (articles.signals.story_saved), without the importers knowing the newsroom exists."""

from django.dispatch import Signal

from ..models import Story

# sender=Story; story (saved), created (True for a new story), tags and authors (what the import just set them to)
story_imported = Signal()


def announce(story, created, tags=(), authors=()):
    """Tell the listeners that an import saved `story` with these tags and bylines; call inside its transaction."""
    story_imported.send(Story, story=story, created=created, tags=list(tags), authors=list(authors))
