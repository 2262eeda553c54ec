"""Who is calling: `Authorization: Bearer <token>` names a user; no header at all is a reader."""

from django.contrib.auth.models import AnonymousUser
from ninja.security import HttpBearer

from .models import ApiToken


class TokenAuth(HttpBearer):
    """A live token of an active user; anything else is refused with 401."""

    def authenticate(self, request, token):
        found = ApiToken.objects.find(token)
        if found is None:
            return None
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
