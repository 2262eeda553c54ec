"""What an importer reports: refusals that say where and why, and the run's counts."""

from dataclasses import dataclass, field


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
    """What an import run did, for the summary line."""

    imported: int = 0
    updated: int = 0
    refused: list = field(default_factory=list)

    def __str__(self):
        return f"Imported {self.imported}, updated {self.updated}, refused {len(self.refused)}."
