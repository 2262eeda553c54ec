import json
from collections import Counter

from django.conf import settings
from django.core.management.base import BaseCommand

from ...export import export_lines

PROGRESS_EVERY = 1000
FALLBACK_SITE_URL = "http://localhost:8000"


class Command(BaseCommand):
    help = (
        "Write every section, tag, author, story (IPTC ninjs 2.2 with a `dateline` extension) and approved comment "
        "as JSON lines to PATH ('-' for standard output)."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", metavar="PATH")
        parser.add_argument("--revisions", action="store_true", help="Include every story's saved versions.")
        parser.add_argument("--site-url", help="The site's address for the absolute URLs (default: SITE_URL).")

    def handle(self, *args, path, revisions, site_url, **options):
        base = (site_url or settings.SITE_URL or FALLBACK_SITE_URL).rstrip("/")
        if not (site_url or settings.SITE_URL):
            self.stderr.write(f"SITE_URL is not set: the addresses in the export use {base}.")
        lines = export_lines(lambda site_path: base + site_path, revisions=revisions)
        if path == "-":
            counts = self.write(lines, self.stdout.write)
        else:
            with open(path, "w", encoding="utf-8") as file:
                counts = self.write(lines, lambda text: file.write(text + "\n"))
        summary = ", ".join(f"{counts[kind]} {kind}s" for kind in ("section", "tag", "author", "story", "comment"))
        self.stderr.write(f"Exported {summary}.".replace("storys", "stories"))

    def write(self, lines, write):
        """Write each object as one line; note the progress on standard error. Returns the counts by kind."""
        counts = Counter()
        for number, item in enumerate(lines, start=1):
            write(json.dumps(item, ensure_ascii=False, separators=(",", ":")))
            counts[item["kind"]] += 1
            if number % PROGRESS_EVERY == 0:
                self.stderr.write(f"{number} objects written…")
        return counts
