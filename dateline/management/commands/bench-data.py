"""`dateline bench-data --stories 100000`: fill the database with a news site of realistic size for benchmarks."""

import sys
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from dateline import pagecache
from dateline.accounts.models import Author
from dateline.articles.models import Section, Story, Tag
from dateline.benchdata import Site, fast_writes, wipe
from dateline.database import analyze
from dateline.search.indexing import rebuild


class Progress:
    """One line per phase on standard error, rewritten in place: 'stories [#####-----] 50,000/100,000 41,000/s'."""

    def __init__(self, stream, quiet):
        self.stream, self.quiet, self.phase, self.started = stream, quiet, None, time.monotonic()

    def __call__(self, phase, done, total):
        if self.quiet:
            return
        if phase != self.phase:
            self.end()
            self.phase, self.started = phase, time.monotonic()
        rate = done / max(time.monotonic() - self.started, 1e-6)
        filled = 30 * done // max(total, 1)
        bar = "#" * filled + "-" * (30 - filled)
        self.stream.write(f"\r{phase:<9} [{bar}] {done:,}/{total:,} {rate:,.0f}/s")
        self.stream.flush()

    def end(self):
        if self.phase and not self.quiet:
            self.stream.write(f" {time.monotonic() - self.started:.1f} s\n")
        self.phase = None


class Command(BaseCommand):
    help = (
        "Fill the (migrated) database with a news site of realistic size for benchmarks: stories over ten years, "
        "30 sections, 2,000 tags, 300 authors, approved comments, reads, and the search index."
    )

    def add_arguments(self, parser):
        parser.add_argument("--stories", type=int, default=100_000, help="how many stories (default 100,000)")
        parser.add_argument("--comments", type=int, help="how many approved comments (default: twice the stories)")
        parser.add_argument("--tags", type=int, default=2000, help="how many tags (default 2,000)")
        parser.add_argument("--authors", type=int, default=300, help="how many authors (default 300)")
        parser.add_argument("--seed", type=int, default=2026, help="the same seed builds the same site")
        parser.add_argument("--replace", action="store_true", help="delete every story, tag, section and author first")

    def handle(self, *args, stories, comments, tags, authors, seed, replace, verbosity=1, **options):
        if min(stories, tags, authors) < 1:
            raise CommandError("--stories, --tags and --authors must be at least 1")
        try:
            present = Story.objects.exists()
        except DatabaseError as error:
            raise CommandError(f"the database is not ready ({error}): run `dateline migrate` first") from error
        if present and not replace:
            raise CommandError("the database already holds stories: use --replace to delete them first")
        progress = Progress(sys.stderr, quiet=verbosity == 0)
        started = time.monotonic()
        fast_writes()
        if replace:
            wipe([Story, Section, Tag, Author], progress)
        comments = stories * 2 if comments is None else comments
        Site(stories, comments, seed=seed, progress=progress, tags=tags, authors=authors).build()
        progress("search", 0, stories)
        rebuild(progress=lambda done, total: progress("search", done, total))
        progress.end()
        analyze()
        pagecache.clear()
        if verbosity:
            self.stdout.write(f"Built {stories:,} stories in {time.monotonic() - started:.1f} s.")
