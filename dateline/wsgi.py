"""WSGI entry point. Notes the request's arrival, so the footer counts all the time spent on it, and puts the page
cache (dateline.pagecache) in front of Django: cached public pages are answered without entering Django."""

import atexit
import os
from time import perf_counter

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dateline.settings")
django_application = get_wsgi_application()

from dateline.pagecache import PageCache, reads  # noqa: E402 (needs Django set up)

cached_application = PageCache(django_application)
atexit.register(reads.flush)


def application(environ, start_response):
    environ["dateline.started"] = perf_counter()
    return cached_application(environ, start_response)
