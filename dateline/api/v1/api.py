"""Version 1 of the API: django-ninja, with its OpenAPI document at /api/v1/openapi.json and docs at /api/v1/docs."""

from django.utils.cache import patch_vary_headers
from ninja import NinjaAPI, Swagger

from . import comments, directory, errors, search, stories

ANONYMOUS_MAX_AGE = 60


class DatelineAPI(NinjaAPI):
    def create_response(self, request, data, *, status=None, temporal_response=None):
        response = super().create_response(request, data, status=status, temporal_response=temporal_response)
        set_cache_headers(request, response)
        return response


def set_cache_headers(request, response):
    """Shared caches may keep what anyone may read (for a minute); nothing read with a token is kept."""
    anonymous = getattr(getattr(request, "auth", None), "is_anonymous", False)
    if request.method in ("GET", "HEAD") and response.status_code == 200 and anonymous:
        response["Cache-Control"] = f"public, max-age={ANONYMOUS_MAX_AGE}"
    else:
        response["Cache-Control"] = "private, no-store"
    patch_vary_headers(response, ["Authorization"])


api = DatelineAPI(
    title="Dateline API",
    version="1",
    description="Stories, sections, tags and authors for everyone; writing and moderation with a token. "
    "See docs/api.md.",
    urls_namespace="api:api-v1",
    # Swagger UI from django-ninja's own static files: no CDN, no inline script, so it runs under the site's CSP.
    docs=Swagger(settings={"validatorUrl": None, "persistAuthorization": False}),
)
errors.register(api)
api.add_router("", stories.router)
api.add_router("", directory.router)
api.add_router("", comments.router)
api.add_router("", search.router)
