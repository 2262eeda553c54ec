import time

from django.core.management.base import BaseCommand

from ...indexing import rebuild


class Progress:
    """'Indexed 1200/100000 (1%)' on standard error: rewritten in place on a terminal, one line per 10% otherwise."""

    def __init__(self, stream):
        self.stream = stream
        self.in_place = stream.isatty()
        self.next_tenth = 1

    def __call__(self, done, total):
        line = f"Indexed {done}/{total} ({done * 100 // total}%)"
        if self.in_place:
            self.stream.write("\r" + line, ending="\n" if done == total else "")
            self.stream.flush()
        elif done * 10 >= self.next_tenth * total:
            self.stream.write(line)
            self.next_tenth = done * 10 // total + 1


class Command(BaseCommand):
    help = "Rebuild the search index from every story."

    def handle(self, *args, **options):
        started = time.monotonic()
        count = rebuild(progress=Progress(self.stderr))
        self.stdout.write(f"Indexed {count} stories in {time.monotonic() - started:.1f} s.")
