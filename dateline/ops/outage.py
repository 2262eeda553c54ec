"""A database that cannot be reached, or cannot take a write (disk full, read-only), answers 503, not a stack trace.

The page says what happened and that nothing was changed; `Retry-After` tells browsers, crawlers and load balancers
when to come back. The outage is logged. The next request tries the database again (`CONN_HEALTH_CHECKS`), so
service resumes by itself once the database is back.
"""

import logging
import sys

from django.core.signals import got_request_exception
from django.db import connections
from django.db.utils import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)
DATABASE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER = 30  # seconds: about as long as a database restart or a fail-over takes


def outage_response(request, error):
    """The 503 answer: JSON for the API, otherwise a plain page that needs no database to render."""
    logger.error("Database unavailable for %s %s: %s", request.method, request.path, error)
    for connection in connections.all(initialized_only=True):
        connection.close()  # the next request opens a fresh one (e.g. read-write again, or to the restarted server)
    if request.path.startswith("/api/"):
        detail = _("The database is unavailable; nothing was changed. Please try again shortly.")
        response = JsonResponse({"detail": detail}, status=503)
    else:
        response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return response


def note_database_error(sender, request=None, **kwargs):
    """Mark a request whose error, raised outside a view (in a middleware), was the database's."""
    error = sys.exc_info()[1]
    if request is not None and isinstance(error, DATABASE_ERRORS):
        request.database_error = error


got_request_exception.connect(note_database_error, dispatch_uid="dateline.ops.outage")


class DatabaseOutageMiddleware:
    """Turns OperationalError and InterfaceError into the 503 page (place it near the top of MIDDLEWARE)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        error = getattr(request, "database_error", None)
        if error is not None and response.status_code == 500:
            return outage_response(request, error)
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_ERRORS):
            return outage_response(request, exception)
        return None
