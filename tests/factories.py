"""Shared test data: small functions that make real rows."""

import itertools
from datetime import timedelta

from django.utils import timezone

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


def make_comment(story, body="A thoughtful remark.", status=Comment.Status.APPROVED, **fields):
    return Comment.objects.create(story=story, name=fields.pop("name", "Reader"), body=body, status=status, **fields)
