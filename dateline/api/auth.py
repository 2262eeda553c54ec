"""Who is calling: `Authorization: Bearer <token>` names a user; no header at all is a reader.

Two rate limits hold here, before any view runs (so a refused request does nothing): wrong tokens per address
(API_AUTH_FAILURE_RATE, so tokens cannot be guessed) and writes per token, or per address for a write without a valid
token (API_WRITE_RATE). Both are counted in the shared cache, so they hold across servers on Redis.
"""

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from ninja.security import HttpBearer

from dateline.accounts.ratelimit import client_ip, hit, parse_rate, wait

from .models import ApiToken

WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class RateLimited(Exception):
    """Over a limit: answered 429 with Retry-After (see v1/errors.py)."""

    def __init__(self, seconds, detail):
        super().__init__(detail)
        self.seconds, self.detail = seconds, detail


def limit_writes(request, scope, key):
    """Count a write (reads are not counted); RateLimited when `key` has made too many in this window."""
    if request.method in WRITES and (seconds := hit(scope, key, parse_rate(settings.API_WRITE_RATE))):
        raise RateLimited(seconds, f"Too many writes: try again in {seconds} s.")


class TokenAuth(HttpBearer):
    """A live token of an active user; anything else is refused with 401."""

    def __call__(self, request):
        """The token's user; a write without one counts against its address (as would any anonymous write)."""
        user = super().__call__(request)
        if user is None:
            limit_writes(request, "api-write-address", client_ip(request))
        return user

    def authenticate(self, request, token):
        address, failures = client_ip(request), parse_rate(settings.API_AUTH_FAILURE_RATE)
        if seconds := wait("api-auth", address, failures):
            raise RateLimited(seconds, f"Too many wrong tokens from your address: try again in {seconds} s.")
        found = ApiToken.objects.find(token)
        if found is None:
            hit("api-auth", address, failures)
            return None
        limit_writes(request, "api-write", found.key_hash)
        found.note_use()
        return found.user


def anonymous(request):
    """A reader without a token. A request that brings a wrong or revoked token is refused, not served as a reader."""
    if "Authorization" in request.headers:
        return None
    return AnonymousUser()


token_required = [TokenAuth()]
token_optional = [*token_required, anonymous]
# For a route anyone may call. django-ninja lists the token as needed; `{}` (added to that list) is the OpenAPI way
# to say it is welcome but not needed.
ANYONE = {"auth": token_optional, "openapi_extra": {"security": [{}]}}
