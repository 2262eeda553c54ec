import importlib
import importlib.util
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import router

from dateline import pagecache
from dateline.articles.models import Story
from dateline.ops.checkpoints import checkpoints_apart

from ... import bulk
from ...detect import Format, sniff, sniff_file
from ...formats.feeds import fetch, import_feed, is_url
from ...formats.plaintext import import_file
from ...formats.wordpress import import_wordpress
from ...report import Refused, Report

# Importers built elsewhere, found when installed: (module, function).
OPTIONAL_IMPORTERS = {
    Format.NINJS: ("dateline.transfer.formats.ninjs", "import_ninjs"),
    Format.EXPORT: ("dateline.transfer.reimport", "import_export_file"),
}
# What a URL may hold: these importers take the fetched bytes.
URL_IMPORTERS = {Format.FEED: import_feed, Format.WORDPRESS: import_wordpress}


def story_files(path):
    """The file itself, or every visible file under a directory, in a stable order."""
    if path.is_dir():
        return sorted(
            p
            for p in path.rglob("*")
            if p.is_file() and not any(part.startswith(".") for part in p.relative_to(path).parts)
        )
    return [path]


def importer_for(format):
    """The function that imports a file of this format: importer(path, report)."""
    if format == Format.PLAIN_TEXT:
        return import_file
    if format in URL_IMPORTERS:
        return URL_IMPORTERS[format]
    module, name = OPTIONAL_IMPORTERS[format]
    if importlib.util.find_spec(module) is None:
        return None
    return getattr(importlib.import_module(module), name)


def import_path(file, report):
    """Import one file with the importer its content calls for."""
    try:
        format, data = sniff_file(file)
    except Refused as refusal:
        report.refused.append(refusal.located(file))
        return
    if format == Format.PLAIN_TEXT and data is not None:
        import_file(file, report, data=data)
        return
    importer = importer_for(format)
    if importer is None:
        report.refused.append(f"{file}: is {format}, which this installation cannot import yet")
        return
    importer(file, report)


def import_url(url, report):
    """Fetch a URL once and import it as the feed or WordPress export it holds."""
    try:
        data = fetch(url)
        format = sniff(data)
    except Refused as refusal:
        report.refused.append(refusal.located(url))
        return
    if format not in URL_IMPORTERS:
        report.refused.append(f"{url}: is {format}; a URL can give an RSS or Atom feed or a WordPress export")
        return
    URL_IMPORTERS[format](url, report, data=data)


class Progress:
    """'path: 1200/5000 items (24%)' on standard error: in place on a terminal, one line per 10% otherwise."""

    def __init__(self, stream):
        self.stream = stream
        self.in_place = stream.isatty()
        self.next_tenth = {}

    def __call__(self, source, done, total):
        line = f"{source}: {done}/{total} items ({done * 100 // total}%)"
        if self.in_place:
            self.stream.write("\r" + line, ending="\n" if done == total else "")
            self.stream.flush()
        elif done * 10 >= self.next_tenth.get(source, 1) * total:
            self.stream.write(line)
            self.next_tenth[source] = done * 10 // total + 1


class Command(BaseCommand):
    help = (
        "Import stories from files, directories (recursively) and URLs: the plain-text story format, RSS and Atom "
        "feeds, WordPress exports (WXR), ninjs and Dateline exports. The format is read from each file's content."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH", help="a file, a directory, or an http(s) URL")

    def handle(self, *args, paths, verbosity=1, **options):
        report = Report(progress=Progress(self.stderr) if verbosity else None)
        # One commit per file, one page-cache invalidation per import, SQLite's checkpoints spaced out meanwhile.
        with pagecache.batched(), checkpoints_apart(router.db_for_write(Story)):
            for location in paths:
                self.import_location(location, report)
        for refusal in report.refused:
            self.stderr.write(refusal)
        if verbosity > 1:
            for skipped in report.skipped:
                self.stdout.write(skipped)
        self.stdout.write(str(report))
        if report.refused:
            raise CommandError(f"{len(report.refused)} refused", returncode=1)

    def import_location(self, location, report):
        if is_url(location):
            import_url(location, report)
            return
        path = Path(location)
        if not path.exists():
            report.refused.append(f"{path}: no such file or directory")
            return
        bulk.import_files(story_files(path), report, other=import_path)
