from django.conf import settings


def absolute_url(path, request=None):
    """`path` made absolute: on SITE_URL when it is set, else on the request's scheme, host and port."""
    if settings.SITE_URL:
        return settings.SITE_URL + path
    return request.build_absolute_uri(path)
