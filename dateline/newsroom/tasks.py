"""The newsroom's background jobs."""

from django.db import transaction

from dateline.articles.models import Story
from dateline.ops.jobs import task

from .followups import suggest_follow_ups


class Batch:
    """The stories one transaction imported, whose promises one job reads once it commits."""

    def __init__(self):
        self.ids = []

    def queue(self):
        find_follow_ups.enqueue(self.ids)


def find_follow_ups_later(story):
    """Queue the reading of an imported story's promises: one job for all that a transaction writes (an import's
    batch), once it commits (at once outside one). A rolled-back transaction's batch is gone with its callbacks."""
    connection = transaction.get_connection()
    batch = getattr(connection, "follow_up_batch", None)
    if batch is None or not any(callback == batch.queue for _ids, callback, _robust in connection.run_on_commit):
        batch = connection.follow_up_batch = Batch()
        batch.ids.append(story.pk)
        transaction.on_commit(batch.queue)  # outside a transaction: now
    else:
        batch.ids.append(story.pk)


@task()
def find_follow_ups(story_ids):
    """Read imported stories' dated promises after the import, not during it (~1.5 ms a story, most of what the fast
    path spends on one). Safe to run twice: a follow-up already found is kept as it is."""
    return sum(suggest_follow_ups(story) for story in Story.objects.published().filter(pk__in=story_ids))
