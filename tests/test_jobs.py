"""Background jobs: queued in the database, run by `dateline worker`, at least once, visible to admins."""

import os
import signal
import subprocess
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from dateline.articles.models import Story
from dateline.articles.signals import story_went_live
from dateline.articles.workflow import publish
from dateline.ops import jobs
from dateline.ops.models import WorkerBeat

from .factories import make_member, make_story, run_due_jobs
from .jobs import fail, tally
from .processes import DATELINE, environment, postgres_url, run_dateline, scratch_postgres_database, wait_until

pytestmark = pytest.mark.django_db


@pytest.fixture
def went_live():
    announced = []

    def listener(sender, story, **kwargs):
        announced.append(story.pk)

    story_went_live.connect(listener)
    yield announced
    story_went_live.disconnect(listener)


def test_a_scheduled_story_is_announced_by_a_job_at_its_time(went_live, time_machine):
    """Scheduling queues a job for the story's time; when it is due, the story is announced as live, once."""
    editor, at = make_member("Editor"), timezone.now() + timedelta(hours=2)
    story = make_story(published=False)
    publish(story, editor, at=at)
    job = DBTaskResult.objects.get(task_path="dateline.articles.tasks.go_live")
    assert job.run_after == at
    run_due_jobs()
    assert went_live == [] and DBTaskResult.objects.get().status == TaskResultStatus.READY
    time_machine.move_to(at + timedelta(seconds=1))
    run_due_jobs()
    assert went_live == [story.pk]
    assert DBTaskResult.objects.get().status == TaskResultStatus.SUCCESSFUL


def test_a_story_unpublished_before_its_time_is_not_announced(went_live, time_machine):
    editor, at = make_member("Editor"), timezone.now() + timedelta(hours=2)
    story = make_story(published=False)
    publish(story, editor, at=at)
    Story.objects.filter(pk=story.pk).update(status=Story.Status.UNPUBLISHED)
    time_machine.move_to(at + timedelta(seconds=1))
    run_due_jobs()
    assert went_live == []
    assert DBTaskResult.objects.get().return_value is False


def test_a_story_published_now_queues_no_go_live_job():
    publish(make_story(published=False), make_member("Editor"))
    assert not DBTaskResult.objects.exists()


def test_the_running_job_of_a_worker_not_heard_of_is_queued_again(settings, tmp_path):
    """A job marked running by a worker without a recent beat goes back to the queue; a live worker's job stays."""
    settings.JOBS_LEASE_SECONDS = 30
    long_ago = timezone.now() - timedelta(minutes=5)
    orphan, kept = (tally.enqueue(str(tmp_path / "log"), name) for name in ("orphan", "kept"))
    DBTaskResult.objects.filter(pk=orphan.id).update(status="RUNNING", started_at=long_ago, worker_ids=["dead"])
    DBTaskResult.objects.filter(pk=kept.id).update(status="RUNNING", started_at=long_ago, worker_ids=["alive"])
    WorkerBeat.objects.create(worker_id="dead", host="a", pid=1, seen_at=long_ago)
    jobs.beat("alive")
    assert jobs.requeue_orphans() == 1
    assert DBTaskResult.objects.get(pk=orphan.id).status == TaskResultStatus.READY
    assert DBTaskResult.objects.get(pk=kept.id).status == TaskResultStatus.RUNNING
    assert list(WorkerBeat.objects.values_list("worker_id", flat=True)) == ["alive"]


def test_a_job_just_started_is_not_taken_from_its_worker(settings, tmp_path):
    """A worker that claimed a job a moment ago and has not beaten yet keeps it."""
    job = tally.enqueue(str(tmp_path / "log"), "fresh")
    DBTaskResult.objects.filter(pk=job.id).update(status="RUNNING", started_at=timezone.now(), worker_ids=["new"])
    assert jobs.requeue_orphans() == 0


def test_admins_see_a_failed_job_with_its_error_and_run_it_again(client):
    """The jobs list shows the failure's last line; "Run again" queues the failed job (and only failed ones)."""
    failed = fail.enqueue("the receiver was down")
    run_due_jobs()
    done = tally.enqueue("/dev/null", "fine")
    run_due_jobs()
    client.force_login(make_member("Editor", is_superuser=True))
    listing = client.get(reverse("admin:django_tasks_database_dbtaskresult_changelist") + "?status__exact=FAILED")
    assert listing.status_code == 200
    assert "RuntimeError: the receiver was down" in listing.content.decode()
    response = client.post(
        reverse("admin:django_tasks_database_dbtaskresult_changelist"),
        {"action": "run_again", "_selected_action": [failed.id, done.id]},
        follow=True,
    )
    assert "1 failed job queued again." in response.content.decode()
    assert DBTaskResult.objects.get(pk=failed.id).status == TaskResultStatus.READY
    assert DBTaskResult.objects.get(pk=done.id).status == TaskResultStatus.SUCCESSFUL


def test_staff_without_the_permission_cannot_run_jobs_again(client):
    failed = fail.enqueue("down")
    run_due_jobs()
    client.force_login(make_member("Editor"))
    url = reverse("admin:django_tasks_database_dbtaskresult_changelist")
    client.post(url, {"action": "run_again", "_selected_action": [failed.id]})
    assert DBTaskResult.objects.get(pk=failed.id).status == TaskResultStatus.FAILED


# Real workers, in their own processes, on a scratch site (SQLite, or PostgreSQL under `make test-pg`).


@pytest.fixture
def scratch_site(tmp_path):
    env = {"DATELINE_VAR": str(tmp_path / "var"), "DATABASE_URL": "", "REDIS_URL": "", "JOBS_LEASE_SECONDS": "2"}
    if url := postgres_url():
        with scratch_postgres_database(url) as scratch:
            env["DATABASE_URL"] = scratch
            run_dateline("migrate", "--noinput", "-v0", env=env)
            yield env
    else:
        run_dateline("migrate", "--noinput", "-v0", env=env)
        yield env


def enqueue(env, log, *names, seconds=0.0):
    script = f"from tests.jobs import tally\nfor name in {list(names)!r}: tally.enqueue({str(log)!r}, name, {seconds})"
    run_dateline("shell", "-c", script, env=env)


def start_worker(env, *args):
    argv = [*DATELINE, "worker", "--interval", "0.1", "--no-startup-delay", "-v0", *args]
    return subprocess.Popen(argv, env=environment(**env), start_new_session=True)


def test_a_job_whose_worker_is_killed_mid_job_runs_again_on_another(scratch_site, tmp_path):
    """`kill -9` of a worker mid-job: another worker runs the job again, to the end, once more."""
    log = tmp_path / "jobs.log"
    enqueue(scratch_site, log, "slow", seconds=30)
    first = start_worker(scratch_site)
    wait_until(lambda: log.exists() and "slow started" in log.read_text(), 60)
    os.killpg(first.pid, signal.SIGKILL)
    first.wait()
    enqueue(scratch_site, log, "after", seconds=0)
    second = start_worker(scratch_site)
    try:
        wait_until(lambda: "after done" in log.read_text() and log.read_text().count("slow started") == 2, 120)
    finally:
        os.killpg(second.pid, signal.SIGTERM)
        second.wait(timeout=60)
    assert log.read_text().count("slow started") == 2  # the killed attempt, then the one that finished


def test_workers_sharing_the_queue_run_each_job_once(scratch_site, tmp_path):
    """Two workers drain one queue of 40 jobs: every job runs, none twice."""
    log = tmp_path / "jobs.log"
    names = [f"job{n}" for n in range(40)]
    enqueue(scratch_site, log, *names)
    workers = [start_worker(scratch_site, "--batch") for _ in range(2)]
    for worker in workers:
        assert worker.wait(timeout=120) == 0
    lines = log.read_text().splitlines()
    assert sorted(lines) == sorted([f"{name} started" for name in names] + [f"{name} done" for name in names])
