"""WSGI entry point. Notes the request's arrival, so the footer counts all the time spent on it, and puts the page
cache (dateline.pagecache) in front of Django: cached public pages are answered without entering Django. The page
cache imports no app; what it needs from them is given here."""

import atexit
import os
from time import perf_counter

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dateline.settings")
django_application = get_wsgi_application()

from dateline.articles import cachekeys, readcount, timing  # noqa: E402 (needs Django set up)
from dateline.pagecache.middleware import PageCache  # noqa: E402

cached_application = PageCache(
    django_application,
    stamp=timing.stamp,  # the footer's "Page Generated in N sec", written when a page is sent
    count_read=readcount.reads.count,  # a read of a story page sent from the cache, for "most read"
    expires_at=cachekeys.next_scheduled,  # a page stored now is stale when the next scheduled story goes live
)
atexit.register(readcount.reads.flush)


def application(environ, start_response):
    environ["dateline.started"] = perf_counter()
    return cached_application(environ, start_response)
