"""Background jobs: Django's tasks API (the django-tasks backport until Django 6) on a database queue.

Apps define jobs with `@task()` from here, so moving to Django 6's `django.tasks` changes this import only. The
queue is django-tasks-db's table, on SQLite or PostgreSQL, shared by every `dateline worker` on every node.

Jobs run at least once: a worker killed mid-job (`kill -9`, a lost node) leaves its job marked running; each worker
says it is alive every few seconds, and any worker puts back in the queue the running jobs of a worker not heard of
for JOBS_LEASE_SECONDS. So every job must be safe to run twice.
"""

import logging
import os
import socket
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, close_old_connections
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from .models import WorkerBeat

try:
    from django.tasks import task  # Django 6
except ImportError:
    from django_tasks import task

__all__ = ["task", "retry", "beat", "requeue_orphans", "run_again", "beat_interval"]
logger = logging.getLogger("dateline.jobs")


def retry(job, attempt, delays, *args):
    """After attempt number `attempt` of `job(*args, attempt)` failed, queue the next one `delays[attempt - 1]`
    seconds later; returns when, or None once every delay is used up (the caller gives up)."""
    if attempt > len(delays):
        return None
    at = timezone.now() + timedelta(seconds=delays[attempt - 1])
    job.using(run_after=at).enqueue(*args, attempt + 1)
    return at


def beat_interval():
    """Seconds between a worker's signs of life: several per lease, so one slow write does not lose it."""
    return max(settings.JOBS_LEASE_SECONDS / 5, 0.2)


def beat(worker_id):
    """Say that `worker_id` is alive."""
    defaults = {"seen_at": timezone.now(), "host": socket.gethostname()[:255], "pid": os.getpid()}
    WorkerBeat.objects.update_or_create(worker_id=worker_id, defaults=defaults)


def forget(worker_id):
    """A worker that stops cleanly takes its beat with it."""
    WorkerBeat.objects.filter(worker_id=worker_id).delete()


def requeue_orphans():
    """Put back in the queue the running jobs whose worker is no longer heard of; returns how many."""
    cutoff = timezone.now() - timedelta(seconds=settings.JOBS_LEASE_SECONDS)
    WorkerBeat.objects.filter(seen_at__lt=cutoff).delete()
    alive = set(WorkerBeat.objects.values_list("worker_id", flat=True))
    requeued = 0
    for job in DBTaskResult.objects.running().filter(started_at__lt=cutoff).only("id", "started_at", "worker_ids"):
        if job.worker_ids and job.worker_ids[-1] in alive:
            continue
        logger.warning("Job %s: its worker %s stopped mid-job; queued again", job.pk, job.worker_ids[-1:])
        running = DBTaskResult.objects.filter(pk=job.pk, status=TaskResultStatus.RUNNING, started_at=job.started_at)
        requeued += running.update(status=TaskResultStatus.READY, started_at=None)
    return requeued


def run_again(jobs):
    """Queue failed jobs again, to run as soon as a worker is free (the admin's "Run again"); returns how many."""
    failed = jobs.filter(status=TaskResultStatus.FAILED)
    again = {"status": TaskResultStatus.READY, "finished_at": None, "exception_class_path": "", "traceback": ""}
    return failed.update(**again, started_at=None, run_after=get_date_max())


def keep_beating(worker_id, stopped):
    """A worker's second thread: sign of life and orphan recovery until `stopped` is set."""
    while not stopped.wait(beat_interval()):
        try:
            beat(worker_id)
            requeue_orphans()
        except DatabaseError:  # a locked SQLite or a PostgreSQL failover: try again next beat
            logger.exception("Worker %s could not record its beat", worker_id)
        finally:
            close_old_connections()
