from django.core.management.base import BaseCommand

from ... import comments, stories


class Command(BaseCommand):
    help = "Load the demo newsroom (the reference story, sections, authors, a few hundred stories). Idempotent."

    def handle(self, *args, **options):
        added_stories = stories.load()
        added_comments = comments.load(stories.SEED_NEWS_ID)
        self.stdout.write(f"Demo content ready: {added_stories} stories and {added_comments} comments added.")
