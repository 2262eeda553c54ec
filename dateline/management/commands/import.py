from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ...importers import Report, import_file


def story_files(path):
    """The file itself, or every visible file under a directory, in a stable order."""
    if path.is_dir():
        return sorted(
            p
            for p in path.rglob("*")
            if p.is_file() and not any(part.startswith(".") for part in p.relative_to(path).parts)
        )
    return [path]


class Command(BaseCommand):
    help = "Import stories from files and directories (recursively) in the plain-text story format."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path, metavar="PATH")

    def handle(self, *args, paths, **options):
        report = Report()
        for path in paths:
            if not path.exists():
                report.refused.append(f"{path}: no such file or directory")
                continue
            for file in story_files(path):
                import_file(file, report)
        for refusal in report.refused:
            self.stderr.write(refusal)
        self.stdout.write(str(report))
        if report.refused:
            raise CommandError(f"{len(report.refused)} file(s) refused", returncode=1)
