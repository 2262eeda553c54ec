"""Editions: one per language in settings.EDITIONS. The default edition (LANGUAGE_CODE) has the unprefixed URLs,
each other one lives under its language code (/ar/, /fa/). A story belongs to the edition of its language; a story
in a language that has no edition belongs to the default one. The URL prefix decides the active language, so the
active language is the edition being read: EditionMiddleware reads it from the URL."""

from contextlib import contextmanager

from django.conf import settings
from django.db.models import Q
from django.middleware.locale import LocaleMiddleware
from django.urls import reverse
from django.utils import translation
from django.utils.text import capfirst


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


class EditionMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware, with the URL alone deciding the language: `/fa/…` is Persian, an unprefixed URL
    is the default edition's whatever the browser prefers. As nothing varies with Accept-Language, responses do
    not say `Vary: Accept-Language` (which would split a cache's copies by every browser's preference)."""

    def process_response(self, request, response):
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


def edition_links():
    """Each edition's front page: code, local name, URL, and whether it is the one being read (the header's
    switcher, a front page's hreflang alternates)."""
    current = current_edition()
    links = []
    for code in editions():
        with reading(code):
            url = reverse("articles:front")
        links.append({"code": code, "name": capfirst(local_name(code)), "url": url, "current": code == current})
    return links
