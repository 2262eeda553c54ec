"""The footer's "Page Generated in N sec" and the Server-Timing header: one honest measurement.

Templates print MARKER where the figure goes; `stamp()` writes in the time elapsed since the request reached
the server process, at the moment the response is ready to be sent. Anything that serves a page (Django,
or a cache in front of it) stamps at send time, so a cached page reports the time it took, not the time
it took when first rendered.
"""

from time import perf_counter

from django.utils.safestring import mark_safe

MARKER = "<!--dateline:generated-in-->"
_MARKER_BYTES = MARKER.encode()


def generation_marker(request):
    """Context processor: the place where the footer's figure goes."""
    return {"generated_in": mark_safe(MARKER)}


def stamp(body, started, now=None):
    """Return (body with the figure written in, Server-Timing header value)."""
    seconds = round((now or perf_counter()) - started, 4)
    at = body.rfind(_MARKER_BYTES)
    if at >= 0:
        body = b"%s%.4f%s" % (body[:at], seconds, body[at + len(_MARKER_BYTES) :])
    return body, f"app;dur={seconds * 1000:.1f}"


class PageTimingMiddleware:
    """Outermost middleware: stamps every response Django renders."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = request.META.get("dateline.started") or perf_counter()
        response = self.get_response(request)
        if response.streaming:
            return response
        response.content, response["Server-Timing"] = stamp(response.content, started)
        if response.has_header("Content-Length"):
            response["Content-Length"] = str(len(response.content))
        return response
