from django.conf import settings


def absolute_url(path, request=None):
    """`path` made absolute: on SITE_URL when it is set, else on the request's scheme, host and port; outside a
    request (a background job) without SITE_URL, on the first of ALLOWED_HOSTS over http, the best guess there is."""
    if settings.SITE_URL:
        return settings.SITE_URL + path
    if request is None:
        host = next((host for host in settings.ALLOWED_HOSTS if host not in ("*", "")), "localhost").lstrip(".")
        return f"http://{host}{path}"
    return request.build_absolute_uri(path)
