"""The newsroom end to end in a real browser: a reporter writes, an editor publishes, a reader reads."""

import pytest
from django.contrib.auth.models import Group, User

from dateline.articles.models import Story

PASSWORD = "correct-horse-battery-staple-42"


def staff(username, role):
    user = User.objects.create_user(username, password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    return user


def log_in(browser, base, username):
    """A fresh browser context, logged in through the admin's login form."""
    page = browser.new_context().new_page()
    page.goto(f"{base}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    return page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_reporter_writes_editor_publishes_reader_reads(live_server, browser):
    """A reporter's story goes to review, an editor publishes it, and an anonymous reader sees it."""
    from playwright.sync_api import expect

    staff("rana", "Reporter")
    staff("omar", "Editor")

    reporter = log_in(browser, live_server.url, "rana")
    reporter.goto(f"{live_server.url}/admin/articles/story/add/")
    reporter.fill("#id_headline", "Water-sharing talks resume in Basra")
    reporter.fill("#id_summary", "Negotiators met again on Thursday.")
    reporter.locator(".prose-editor .tiptap").click()
    reporter.keyboard.type("Negotiators from both provinces met again on Thursday.")
    expect(reporter.locator("#id_status option")).to_have_count(2)  # draft and review only
    reporter.select_option("#id_status", "review")
    reporter.click("input[name=_save]")
    expect(reporter.locator(".messagelist")).to_contain_text("was added successfully")
    story = Story.objects.get(headline="Water-sharing talks resume in Basra")
    assert story.status == Story.Status.REVIEW and story.created_by.username == "rana"

    reader = browser.new_context().new_page()
    assert reader.goto(f"{live_server.url}/news/{story.news_id}").status == 404

    editor = log_in(browser, live_server.url, "omar")
    editor.goto(f"{live_server.url}/admin/")
    expect(editor.locator("body")).to_contain_text("Water-sharing talks resume in Basra")  # dashboard: in review
    editor.goto(f"{live_server.url}/admin/articles/story/{story.pk}/change/")
    editor.select_option("#id_status", "published")
    editor.click("input[name=_save]")
    expect(editor.locator(".messagelist")).to_contain_text("was changed successfully")

    response = reader.goto(f"{live_server.url}/news/{story.news_id}")
    assert response.status == 200
    expect(reader.locator("h1")).to_have_text("Water-sharing talks resume in Basra")
    expect(reader.locator(".story-body")).to_contain_text("Negotiators from both provinces met again on Thursday.")
    expect(reader.locator(".byline")).to_contain_text("rana")
