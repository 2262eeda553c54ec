import threading

from django.core.management.base import CommandError
from django_tasks_db.management.commands import db_worker

from ... import jobs

# How often an idle worker looks for due jobs: a webhook or a purge waits for this at most (one small query).
POLL_SECONDS = 0.25


class Worker(db_worker.Worker):
    """django-tasks-db's worker, which also says it is alive and recovers the jobs of workers that died."""

    def run(self):
        jobs.beat(self.worker_id)
        jobs.requeue_orphans()
        stopped = threading.Event()
        beating = threading.Thread(target=jobs.keep_beating, args=(self.worker_id, stopped), daemon=True)
        beating.start()
        try:
            super().run()
        finally:
            stopped.set()
            beating.join()
            jobs.forget(self.worker_id)


class Command(db_worker.Command):
    help = "Run background jobs (webhooks, purges, scheduled publishing …): one or more per node, sharing one queue."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.set_defaults(interval=POLL_SECONDS)

    def handle(self, *, verbosity, queue_name, exclude_queues, reload, **options):
        """As django-tasks-db's db_worker, without --reload (a reload would stop a job midway)."""
        self.configure_logging(verbosity)
        queue_names = queue_name.split(",")
        excluded = exclude_queues.split(",") if exclude_queues else []
        if excluded and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        names = ("interval", "batch", "backend_name", "startup_delay", "max_tasks", "worker_id")
        given = {name: options[name] for name in names}
        worker = Worker(queue_names=queue_names, excluded_queue_names=excluded, **given)
        worker.configure_signals()
        worker.run()
