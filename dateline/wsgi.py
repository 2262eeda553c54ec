"""WSGI entry point. Notes the request's arrival, so the footer counts all the time spent on it."""

import os
from time import perf_counter

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dateline.settings")
django_application = get_wsgi_application()


def application(environ, start_response):
    environ["dateline.started"] = perf_counter()
    return django_application(environ, start_response)
