"""The site's editions (see dateline.articles.editions): the middleware that reads the edition from the URL, and
the links between editions that every page offers (the header's switcher, a front page's hreflang alternates)."""

from django.middleware.locale import LocaleMiddleware
from django.urls import reverse
from django.utils import translation
from django.utils.functional import SimpleLazyObject
from django.utils.text import capfirst

from dateline.articles.editions import current_edition, editions, local_name, reading


class EditionMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware, with the URL alone deciding the language: `/fa/…` is Persian, an unprefixed URL
    is the default edition's whatever the browser prefers. As nothing varies with Accept-Language, responses do
    not say `Vary: Accept-Language` (which would split a cache's copies by every browser's preference)."""

    def process_response(self, request, response):
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


def edition_links():
    """Each edition's front page: code, local name, URL, and whether it is the one being read."""
    current = current_edition()
    links = []
    for code in editions():
        with reading(code):
            url = reverse("articles:front")
        links.append({"code": code, "name": capfirst(local_name(code)), "url": url, "current": code == current})
    return links


def edition_switcher(request):
    """Context processor: `editions`, the links to every edition when the site has more than one (computed only
    when a template reads them)."""
    return {"editions": SimpleLazyObject(lambda: edition_links() if len(editions()) > 1 else [])}
