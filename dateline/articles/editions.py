"""Editions: one per language in settings.EDITIONS. The default edition (LANGUAGE_CODE) has the unprefixed URLs,
each other one lives under its language code (/ar/, /fa/). A story belongs to the edition of its language; a story
in a language that has no edition belongs to the default one. The URL prefix decides the active language, so the
active language is the edition being read."""

from contextlib import contextmanager

from django.conf import settings
from django.db.models import Q
from django.utils import translation


def editions():
    """The edition codes, the default first."""
    return list(settings.EDITIONS)


def default_edition():
    return settings.LANGUAGE_CODE


def edition_of(language):
    """The edition a text in `language` belongs to: `fa-IR` → `fa`; a language with no edition → the default."""
    base = (language or "").split("-")[0].lower()
    return base if base in editions() else default_edition()


def current_edition():
    """The edition of this request (its URL prefix, activated by the locale middleware)."""
    return edition_of(translation.get_language())


def local_name(code):
    """`fa` → فارسی, `fr` → français: a language's name in itself (the code when Django does not know it)."""
    try:
        return translation.get_language_info(code)["name_local"]
    except KeyError:
        return code


def in_edition(edition, field="language"):
    """A filter for rows (stories, sections) whose `field` language belongs to `edition`."""
    if edition != default_edition():
        return language_is(edition, field)
    others = Q()
    for other in editions():
        if other != edition:
            others |= language_is(other, field)
    return ~others if others else Q()


def language_is(code, field):
    """`code` itself or a regional variant of it (`fa`, `fa-IR`)."""
    return Q(**{field: code}) | Q(**{f"{field}__istartswith": f"{code}-"})


@contextmanager
def reading(edition):
    """Inside this block, URLs and interface texts are the edition's."""
    with translation.override(edition):
        yield
