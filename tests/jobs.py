"""Jobs that only the tests queue: each writes a line to a file when it starts and when it ends."""

import time
from pathlib import Path

from dateline.ops.jobs import task


@task()
def tally(path, name, seconds=0.0):
    """Note `name started` in the file at `path`, wait `seconds`, note `name done`."""
    with Path(path).open("a") as log:
        log.write(f"{name} started\n")
    time.sleep(seconds)
    with Path(path).open("a") as log:
        log.write(f"{name} done\n")
    return name


@task()
def fail(message):
    raise RuntimeError(message)
