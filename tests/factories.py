"""Shared test data: small functions that make real rows."""

import html
import io
import itertools
import re
from datetime import timedelta

from django.contrib.auth.models import Group, User
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from dateline.accounts.models import Author
from dateline.articles.models import Section, Story
from dateline.comments.models import Comment

_numbers = itertools.count(1000)


def make_section(name="World", **fields):
    return Section.objects.create(name=name, **fields)


def make_author(name="Amira Haddad", **fields):
    return Author.objects.create(name=name, **fields)


def make_story(headline=None, *, published=True, ago=timedelta(hours=1), **fields):
    """A story; published an hour ago unless told otherwise (a negative `ago` schedules it)."""
    number = next(_numbers)
    defaults = {
        "headline": headline or f"Story number {number}",
        "summary": f"Summary of story {number}.",
        "body": f"<p>Body of story {number}.</p>",
        "status": Story.Status.PUBLISHED if published else Story.Status.DRAFT,
        "published_at": timezone.now() - ago if published else None,
    }
    return Story.objects.create(**{**defaults, **fields})


def make_member(role, username=None, **fields):
    """A staff user in one of the newsroom's groups (Reporter, Editor, Moderator, Admin), as the migration made them."""
    fields.setdefault("is_staff", True)
    user = User.objects.create_user(username or role.lower(), password="unused-in-tests", **fields)
    user.groups.add(Group.objects.get(name=role))
    return user


def make_comment(story, body="A thoughtful remark.", status=Comment.Status.APPROVED, **fields):
    return Comment.objects.create(story=story, name=fields.pop("name", "Reader"), body=body, status=status, **fields)


def write(path, content):
    """Write text (as UTF-8) or bytes to path, making its directories; the path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return path


def run_import(*paths, verbosity=1):
    """`dateline import PATH...`: its stdout, its stderr, and the CommandError it raised (or None)."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import", *map(str, paths), stdout=out, stderr=err, verbosity=verbosity)
    except CommandError as error:
        return out.getvalue(), err.getvalue(), error
    return out.getvalue(), err.getvalue(), None


def paragraphs(body):
    """The text of each <p> element of a stored body."""
    return [html.unescape(text) for text in re.findall(r"<p>(.*?)</p>", body, re.DOTALL)]


def story(headline):
    """The story with this headline."""
    return Story.objects.get(headline=headline)


def names(related):
    """The sorted names of a related manager's rows (tags, authors)."""
    return sorted(str(item) for item in related.all())


def run_due_jobs():
    """What one `dateline worker` does with the jobs that are due (jobs they queue included, once due), in this
    process and transaction: its loop would close the test's database connection between jobs."""
    options = dict(interval=0, batch=True, backend_name="default", startup_delay=False, max_tasks=None)
    worker = Worker(queue_names=["default"], excluded_queue_names=[], worker_id="test-worker", **options)
    while (job := DBTaskResult.objects.ready().first()) is not None:
        job.claim(worker.worker_id)
        worker.run_task(job)
