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
def _fresh_cache():
    """Each test starts with an empty cache: no rate-limit counts (or cached pages) left by another."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _site_language():
    """Each test starts in the site's language: a request to another edition leaves its language active."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _no_comment_delay(settings):
    """Only the test of the minimum delay waits; the others post at once."""
    settings.COMMENTS_MIN_SECONDS = 0


CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():
    """One Chromium for the session; skipped where it or Playwright is missing."""
    executable = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    if not os.access(executable, os.X_OK):
        pytest.skip(f"no Chromium at {executable} (install it, or set CHROMIUM to its path)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright cannot be imported", exc_type=ImportError)
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A fresh page that keeps what the browser reports as errors (CSP violations, failed loads, script errors)."""
    context = browser.new_context()
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda message: message.type == "error" and page.console_errors.append(message.text))
    page.on("pageerror", lambda error: page.console_errors.append(str(error)))
    yield page
    context.close()
