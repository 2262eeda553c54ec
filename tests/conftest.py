import os

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM calls around it are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _static_files_without_collectstatic(settings):
    """Tests read static files from the apps, so they need no `collectstatic` run first."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.STATIC_ROOT, settings.WHITENOISE_USE_FINDERS = None, True


@pytest.fixture(autouse=True)
def _no_comment_delay(settings):
    """Only the test of the minimum delay waits; the others post at once."""
    settings.COMMENTS_MIN_SECONDS = 0
