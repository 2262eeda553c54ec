"""The footer's "Page Generated in N sec" and the Server-Timing header: one honest measurement.

Templates print a marker where the figure goes; `stamp()` writes in the time elapsed since the request reached
the server process, at the moment the response is ready to be sent. Anything that serves a page (Django,
or a cache in front of it) stamps at send time, so a cached page reports the time it took, not the time
it took when first rendered.

The marker names the page's language (`<!--dateline:generated-in:fa-->`), and the figure is written as that
language writes numbers: `0.0012` in English, `۰/۰۰۱۲` in Persian. The Server-Timing header stays standard.
A marker without a language (MARKER) gets plain digits.
"""

import re
from functools import lru_cache
from time import perf_counter

from django.utils import translation
from django.utils.safestring import mark_safe

from dateline.pagecache.hints import SHARED

from .datelines import decimal_writing

MARKER = "<!--dateline:generated-in-->"
_MARKER = re.compile(rb"<!--dateline:generated-in(?::([A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*))?-->")
PLACES = 4  # as the reference page prints it (0/3907); a time under 0.0001 s gets microseconds (0.000031)
SMALL_PLACES = 6


def generation_marker(request):
    """Context processor: the place where the footer's figure goes, in the language of the page being rendered."""
    language = translation.get_language()
    return {"generated_in": mark_safe(f"<!--dateline:generated-in:{language}-->" if language else MARKER)}


def stamp(body, started, now=None):
    """Return (body with the figure written in, Server-Timing header value)."""
    seconds = (now or perf_counter()) - started
    places = PLACES if round(seconds, PLACES) else SMALL_PLACES  # a cached page: its real time, not 0.0000
    at = body.rfind(b"<!--dateline:generated-in")
    match = _MARKER.match(body, at) if at >= 0 else None
    if match:
        body = b"%s%s%s" % (body[:at], figure(seconds, places, match[1]).encode(), body[match.end() :])
    return body, f"app;dur={seconds * 1000:.{places - 3}f}"


def figure(seconds, places=PLACES, language=None):
    """The footer's figure: `0.0012`, or as `language` writes it."""
    text = f"{seconds:.{places}f}"
    return text.translate(writing(language.decode())) if language else text


@lru_cache(maxsize=64)
def writing(language):
    """How `language` writes the figure, looked up once: a page served from the cache is stamped in microseconds."""
    with translation.override(language):
        return decimal_writing()


class PageTimingMiddleware:
    """Outermost middleware: stamps every response Django renders."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = request.META.get("dateline.started") or perf_counter()
        response = self.get_response(request)
        if response.streaming or request.META.get(SHARED):  # the page cache stamps it when sent
            return response
        response.content, response["Server-Timing"] = stamp(response.content, started)
        if response.has_header("Content-Length"):
            response["Content-Length"] = str(len(response.content))
        return response
