"""Turning the names a client sends (section slug, tag names, usernames) into rows."""

from django.contrib.auth import get_user_model
from django.http import Http404
from ninja.errors import HttpError

from dateline.accounts.models import Author
from dateline.articles.models import Section, Tag
from dateline.articles.permissions import visible_stories


def visible_story(user, news_id):
    """The story if `user` may read it; 404 otherwise (a story one may not see is not there)."""
    story = visible_stories(user).filter(news_id=news_id).select_related("section").first()
    if story is None:
        raise Http404("No story has this News ID.")
    return story


def section_by_slug(slug):
    if slug is None:
        return None
    section = Section.objects.filter(slug=slug).first()
    if section is None:
        raise HttpError(422, f"No section has the slug {slug!r}.")
    return section


def tags_by_name(names):
    """The tags with these names (or slugs), in order and without repeats; missing ones are created."""
    return Tag.objects.for_names(names)


def bylines(names):
    """The Author for each username (made for users without one) or, failing that, each author slug."""
    User = get_user_model()
    authors = []
    for name in names:
        user = User.objects.filter(**{User.USERNAME_FIELD: name}).first()
        author = byline_of(user) if user else Author.objects.filter(slug=name).first()
        if author is None:
            raise HttpError(422, f"No user or author is called {name!r}.")
        if author not in authors:
            authors.append(author)
    return authors


def byline_of(user):
    return Author.objects.for_user(user)
