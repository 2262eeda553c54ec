"""The writing screen in a real Chromium: the editor, the preview that follows the text, a conflict merged."""

import pytest
from django.contrib.auth.models import Group, User

from dateline.articles.models import Story

from .test_browser import ARTIFACTS
from .test_newsroom_admin import roles  # noqa: F401  (the role groups again, after a transactional flush)

PASSWORD = "correct-horse-battery-staple-42"
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def member(username, role, **fields):
    user = User.objects.create_user(username, password=PASSWORD, is_staff=True, **fields)
    user.groups.add(Group.objects.get(name=role))
    return user


def desk(browser, base, user, locale="en"):
    """A fresh browser context logged in as `user`, on the desk's home; its page records console errors."""
    context = browser.new_context(locale=locale, extra_http_headers={"Accept-Language": locale})
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda message: message.type == "error" and page.console_errors.append(message.text))
    page.on("pageerror", lambda error: page.console_errors.append(str(error)))
    page.goto(f"{base}/newsroom/")
    page.fill("#id_username", user.get_username())
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{base}/newsroom/")
    return page


def test_a_reporter_writes_and_the_preview_follows_the_text(live_server, browser, roles):  # noqa: F811
    """Typed text reaches the preview frame unsaved; Save keeps it; no script or policy error on the way."""
    from playwright.sync_api import expect

    reporter = desk(browser, live_server.url, member("rana", "Reporter", first_name="Rana"))
    reporter.get_by_role("link", name="New story").click()
    reporter.fill("#id_headline", "Water-sharing talks resume in Basra")
    reporter.fill("#id_summary", "Negotiators met again on Thursday.")
    reporter.locator(".prose-editor .tiptap").click()
    reporter.keyboard.type("Negotiators from both provinces met again on Thursday.")
    reporter.get_by_role("button", name="Save", exact=True).click()
    expect(reporter.locator(".messages")).to_contain_text("Saved")
    story = Story.objects.get(headline="Water-sharing talks resume in Basra")
    assert "both provinces" in story.body and story.status == Story.Status.DRAFT

    reporter.fill("#id_headline", "Water talks resume in Basra after a year")
    preview = reporter.frame_locator("iframe[name=preview-frame]")
    expect(preview.locator("h1")).to_have_text("Water talks resume in Basra after a year", timeout=10_000)
    assert Story.objects.get(pk=story.pk).headline == "Water-sharing talks resume in Basra"  # the preview saved nothing
    ARTIFACTS.mkdir(exist_ok=True)
    reporter.screenshot(path=ARTIFACTS / "desk-writing-preview.png", full_page=True)
    assert reporter.console_errors == []
