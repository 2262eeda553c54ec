from django.core.management.base import BaseCommand

from dateline.articles import demo as articles_demo
from dateline.comments import demo as comments_demo


class Command(BaseCommand):
    help = "Load the demo newsroom (the reference story, sections, authors, a few hundred stories). Idempotent."

    def handle(self, *args, **options):
        stories = articles_demo.load()
        comments = comments_demo.load(articles_demo.SEED_NEWS_ID)
        self.stdout.write(f"Demo content ready: {stories} stories and {comments} comments added.")
