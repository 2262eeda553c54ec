"""What an importer reports: refusals that say where and why, what was skipped, and the run's counts."""

from dataclasses import dataclass, field

# Files with more items than this report their progress (to `Report.progress`, when one is set).
PROGRESS_AFTER = 200


class Refused(Exception):
    """Input that cannot become a story. Says where (line) and what is wrong."""

    def __init__(self, message, line=None):
        super().__init__(message)
        self.message = message
        self.line = line

    def located(self, path):
        return f"{path}:{self.line}: {self.message}" if self.line else f"{path}: {self.message}"


@dataclass
class Report:
    """What an import run did, for the summary line.

    `skipped` lists items a source holds that Dateline does not take (a WordPress attachment, menu item, page):
    not an error. `progress(source, done, total)`, when set, hears how far a large file has got.
    """

    imported: int = 0
    updated: int = 0
    refused: list = field(default_factory=list)
    skipped: list = field(default_factory=list)
    progress: object = field(default=None, compare=False, repr=False)

    def __str__(self):
        counts = f"Imported {self.imported}, updated {self.updated}, refused {len(self.refused)}"
        return f"{counts}, skipped {len(self.skipped)}." if self.skipped else f"{counts}."

    def saved(self, created):
        """Count one story stored: new (imported) or already known (updated)."""
        if created:
            self.imported += 1
        else:
            self.updated += 1

    def advance(self, source, done, total):
        """Pass a large file's progress on to whoever listens."""
        if self.progress and total > PROGRESS_AFTER:
            self.progress(source, done, total)
