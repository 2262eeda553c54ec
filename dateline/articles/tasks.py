"""The articles' background jobs."""

from datetime import datetime

from dateline.ops.jobs import task

from .models import Story
from .signals import story_went_live


def schedule_go_live(story):
    """Queue the moment a scheduled story becomes public (its page was already right on request: this announces it)."""
    go_live.using(run_after=story.published_at).enqueue(story.pk, story.published_at.isoformat())


@task()
def go_live(story_id, published_at):
    """At a scheduled story's time, announce it, unless it was unpublished or moved to another time meanwhile.

    Safe to run twice: the announcement's listeners (page and edge caches) only mark pages stale."""
    at = datetime.fromisoformat(published_at)
    story = Story.objects.published().filter(pk=story_id, published_at=at).first()
    if story is None:
        return False
    story_went_live.send(Story, story=story)
    return True
