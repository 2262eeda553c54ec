"""Every error is JSON with a `detail` and the status that says what went wrong; bad input never gives a 500."""

from django.core.exceptions import PermissionDenied, RequestDataTooBig, SuspiciousOperation, ValidationError
from django.http import Http404
from ninja.errors import AuthenticationError

from dateline.articles.workflow import Conflict

from ..auth import RateLimited


def register(api):
    """Install the handlers on `api` (django-ninja keeps its own for HttpError and its 422 validation errors)."""

    def reply(request, status, detail, **extra):
        return api.create_response(request, {"detail": detail, **extra}, status=status)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        response = reply(request, 401, "A valid token is needed: send `Authorization: Bearer <token>`.")
        response["WWW-Authenticate"] = "Bearer"
        return response

    @api.exception_handler(RateLimited)
    def rate_limited(request, exc):
        response = reply(request, 429, exc.detail, retry_after=exc.seconds)
        response["Retry-After"] = str(exc.seconds)
        return response

    @api.exception_handler(PermissionDenied)
    def forbidden(request, exc):
        return reply(request, 403, str(exc) or "You may not do this.")

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return reply(request, 404, "Not found.")

    @api.exception_handler(Conflict)
    def conflict(request, exc):
        detail = f"Someone saved this story since the version you sent: it is now at version {exc.current_version}."
        return reply(request, 409, detail, version=exc.current_version)

    @api.exception_handler(ValidationError)
    def invalid(request, exc):
        return reply(request, 422, " ".join(exc.messages))

    @api.exception_handler(RequestDataTooBig)
    def too_big(request, exc):
        return reply(request, 413, "The request body is too large.")

    @api.exception_handler(SuspiciousOperation)
    def bad_request(request, exc):
        return reply(request, 400, "Bad request.")
