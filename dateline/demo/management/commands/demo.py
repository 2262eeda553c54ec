from django.conf import settings
from django.core.management.base import BaseCommand

from dateline.newsroom.setup import needs_setup, setup_path

from ... import comments, stories


class Command(BaseCommand):
    help = "Load the demo newsroom (the reference story, sections, authors, a few hundred stories). Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--site", help="The site's address, for the newsroom link it prints (default: SITE_URL).")

    def handle(self, *args, site=None, **options):
        added_stories = stories.load()
        added_comments = comments.load(stories.SEED_NEWS_ID)
        self.stdout.write(f"Demo content ready: {added_stories} stories and {added_comments} comments added.")
        site = (site or settings.SITE_URL or "http://127.0.0.1:8000").rstrip("/")
        if needs_setup():
            self.stdout.write(f"Open the newsroom: {site}{setup_path()}")
            self.stdout.write("  (that link creates the site's first administrator; it works once, for 24 hours)")
        else:
            self.stdout.write(f"The newsroom: {site}/newsroom/")
