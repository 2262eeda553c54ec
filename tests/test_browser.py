"""A reader's journey in a real Chromium, driven by Playwright against the live server."""

import io
import re
from pathlib import Path

import pytest
from captcha.models import CaptchaStore
from django.core.management import call_command

from dateline.comments.models import Comment

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


def refresh_security_key(page):
    """Click `refresh`; return the new key once the image and the hidden key have both changed."""
    from playwright.sync_api import expect

    image, key = page.locator(".captcha-image"), page.locator("input[name=captcha_0]")
    old_src, old_key = image.get_attribute("src"), key.input_value()
    page.get_by_role("link", name="refresh").click()
    expect(image).not_to_have_attribute("src", old_src)
    expect(key).not_to_have_value(old_key)
    return key.input_value()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_reader_refreshes_the_security_key_and_sends_a_comment(live_server, page):
    """A new security key keeps the reader's text; the solved key sends the comment to moderation."""
    from playwright.sync_api import expect

    call_command("demo", stdout=io.StringIO())
    page.goto(live_server.url + "/news/318214")
    expect(page.locator("h1")).to_have_text("Foreign combat forces to leave Iraq in 15 days: Military")
    expect(page.locator(".site-footer")).to_contain_text(re.compile(r"Page Generated in \d+\.\d{4} sec"))
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "story.png", full_page=True)

    name, body = "Rana from Basra", "Fifteen days is short.\nWho guards the bases afterwards?"
    page.fill("#id_name", name)
    page.fill("#id_body", body)
    key = refresh_security_key(page)
    expect(page.locator("#id_name")).to_have_value(name)
    expect(page.locator("#id_body")).to_have_value(body)

    page.fill("#id_captcha_1", CaptchaStore.objects.get(hashkey=key).response)
    page.get_by_role("button", name="Send comment").click()
    expect(page.get_by_text("Thank you. Your comment is awaiting moderation.")).to_be_visible()
    comment = Comment.objects.get(name=name)
    assert (comment.body, comment.status) == (body, Comment.Status.PENDING)
    assert page.console_errors == []
