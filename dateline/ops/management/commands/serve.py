import os
import shutil
import sys
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from dateline import pagecache

from ...sqlite import analyze


class Command(BaseCommand):
    help = "Serve Dateline with the production server (granian, WSGI; gunicorn if granian is missing)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)

    def handle(self, *args, host, port, workers, **options):
        call_command("collectstatic", interactive=False, verbosity=0)
        pagecache.clear()  # pages stored by the previous release may carry its templates
        analyze()
        self.stdout.write(f"Dateline at http://{'[' + host + ']' if ':' in host else host}:{port}/ ({workers} workers)")
        sys.stdout.flush()
        os.execv(*server_command(host, port, workers))


def server_command(host, port, workers):
    """(program, argv) for the WSGI server; the server re-imports Dateline in each worker."""
    bin_dir = Path(sys.executable).parent
    granian = shutil.which("granian", path=str(bin_dir)) or shutil.which("granian")
    if granian:
        # A few threads per worker: Django's views hold the GIL; more threads only queue on it and on
        # SQLite's write lock (measured: 333 req/s, max latency 143 ms with 4 threads; 284 req/s, max 1.2 s by default).
        # Backpressure above the connections a worker holds: with 16, 32 busy keep-alive connections starved a new
        # one (an editor publishing) for the whole of a 60 s load run; the requests queue for the threads instead.
        argv = ["granian", "--interface", "wsgi", "--no-ws", "--host", host, "--port", str(port)]
        tuning = ["--workers", str(workers), "--blocking-threads", "4", "--backpressure", "128"]
        # On Ctrl-C or SIGTERM a worker that served pages sometimes never stops (granian 2.8): stop waiting after 10 s.
        tuning += ["--workers-kill-timeout", "10"]
        return granian, [*argv, *tuning, "--log-level", "warning", "dateline.wsgi:application"]
    gunicorn = shutil.which("gunicorn", path=str(bin_dir)) or shutil.which("gunicorn")
    if gunicorn:
        argv = ["gunicorn", "--bind", f"{host}:{port}", "--workers", str(workers), "dateline.wsgi:application"]
        return gunicorn, argv
    raise CommandError("Neither granian nor gunicorn is installed.")
