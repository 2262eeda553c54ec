"""The newsroom's day end to end in Chromium, with screenshots in test-artifacts/: a reporter with no instructions
finds an assignment and files a story with an inline image, an embed and pasted Google Docs text; an editor reviews
the diff, leaves a note and schedules it; it goes live; a correction is added; a follow-up is accepted from the
calendar. The steps each person takes are counted and printed."""

import io
import re
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.utils import timezone
from PIL import Image as PILImage

from dateline.articles.models import Correction, Story
from dateline.demo.stories import SEED_NEWS_ID
from dateline.newsroom.models import FollowUp, Note, PlannedItem, Review

from .factories import run_due_jobs
from .test_body_editor import PASTE
from .test_browser import ARTIFACTS
from .test_newsroom_admin import roles  # noqa: F401  (the role groups again, after a transactional flush)

PASSWORD = "correct-horse-battery-staple-42"
CLIPBOARD = Path(__file__).resolve().parent / "fixtures" / "clipboard" / "google-docs.html"
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


class Person:
    """One person's browser, counting the steps they take (a click, a field filled, a paste, a file chosen)."""

    def __init__(self, browser, base, user, name):
        self.base, self.name, self.steps = base, name, []
        self.page = browser.new_context(viewport={"width": 1440, "height": 1000}).new_page()
        self.errors = []
        self.page.on("console", lambda message: message.type == "error" and self.errors.append(message.text))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.goto(f"{base}/newsroom/")
        self.step("fill", "#id_username", user.get_username())
        self.step("fill", "#id_password", PASSWORD)
        self.step("click", "input[type=submit]")
        self.page.wait_for_url(f"{base}/newsroom/")

    def step(self, action, *args, **kwargs):
        self.steps.append(f"{action} {args[0] if args else ''}")
        return getattr(self.page, action)(*args, **kwargs)

    def shot(self, label):
        ARTIFACTS.mkdir(exist_ok=True)
        self.page.screenshot(path=ARTIFACTS / f"journey-{self.name}-{label}.png", full_page=True)


def member(username, role, first_name):
    user = User.objects.create_user(username, password=PASSWORD, is_staff=True, first_name=first_name)
    user.groups.add(Group.objects.get(name=role))
    return user


def picture(tmp_path):
    buffer = io.BytesIO()
    PILImage.new("RGB", (900, 500), (30, 90, 160)).save(buffer, "JPEG")
    path = tmp_path / "basra-harbour.jpg"
    path.write_bytes(buffer.getvalue())
    return path


def test_a_day_at_the_desk(live_server, browser, roles, settings, tmp_path, capsys):  # noqa: F811
    from playwright.sync_api import expect

    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("demo", stdout=io.StringIO())  # the reference story, published
    run_due_jobs()  # as make run's worker does: its follow-ups are found
    rana, omar = member("rana", "Reporter", "Rana"), member("omar", "Editor", "Omar")
    PlannedItem.objects.create(
        slug="basra-water-talks",
        assignee=rana,
        state=PlannedItem.State.ASSIGNED,
        due_at=timezone.now() + timedelta(hours=6),
    )

    # The reporter: finds the assignment on her first screen, starts its draft, writes, files.
    reporter = Person(browser, live_server.url, rana, "reporter")
    expect(reporter.page.locator("#assignments")).to_contain_text("basra-water-talks")
    reporter.shot("1-home")
    reporter.step("click", "#assignments >> text=basra-water-talks")
    reporter.step("click", "text=Start the draft")
    reporter.page.wait_for_selector(".prose-editor .tiptap")
    reporter.step("fill", "#id_headline", "Water-sharing talks resume in Basra")
    reporter.step("fill", "#id_summary", "Negotiators from both provinces met again on Thursday.")
    reporter.step("click", ".prose-editor .tiptap")
    reporter.page.keyboard.type("Negotiators met again on Thursday, a year after the talks broke down.")
    with reporter.page.expect_file_chooser() as chooser:
        reporter.step("click", ".prose-menubar button[data-name=image]")
    chooser.value.set_files(str(picture(tmp_path)))
    reporter.step("fill", ".prose-editor-dialog input[name=alt]", "Boats moored in Basra's harbour")
    reporter.step("fill", ".prose-editor-dialog input[name=caption]", "The harbour at Basra")
    reporter.step("click", ".prose-editor-dialog button[type=submit]")
    reporter.step("click", ".prose-menubar button[data-name=embed]")
    reporter.step("fill", ".prose-editor-dialog input[name=url]", "https://youtu.be/dQw4w9WgXcQ")
    reporter.step("click", ".prose-editor-dialog button[type=submit]")
    expect(reporter.page.locator("#id_body")).to_have_value(re.compile("youtube-nocookie"))
    reporter.step("click", ".prose-editor .tiptap p >> nth=0")  # back into the text, after its first paragraph
    reporter.page.keyboard.press("End")
    reporter.page.keyboard.press("Enter")
    reporter.step("evaluate", PASTE, CLIPBOARD.read_text())
    expect(reporter.page.locator("#id_body")).to_have_value(re.compile("Quotas for the dry season"))
    reporter.shot("2-writing")
    reporter.step("click", "button[name=action][value=submit]")
    expect(reporter.page.locator(".messages")).to_contain_text("Sent for review")
    story = Story.objects.get(headline="Water-sharing talks resume in Basra")
    assert story.status == Story.Status.REVIEW and story.plan.slug == "basra-water-talks"
    assert 'alt="Boats moored in Basra' in story.body and "youtube-nocookie" in story.body
    assert "<strong>" in story.body or "<li>" in story.body  # the Google Docs paste kept its structure
    assert 'id="docs-internal-guid' not in story.body and "style=" not in story.body
    reporter_steps = len(reporter.steps)

    # The editor: the story waits in review; the diff, a note on a passage, a schedule.
    editor = Person(browser, live_server.url, omar, "editor")
    expect(editor.page.locator("#in-review")).to_contain_text("Water-sharing talks resume in Basra")
    editor.step("click", "#in-review >> text=Water-sharing talks resume in Basra")
    expect(editor.page.locator("main")).to_contain_text("a year after the talks broke down")
    editor.shot("3-review")
    editor.step("fill", "textarea[name=passage]", "a year after the talks broke down")
    editor.step("fill", "textarea[name=text]", "Which month? Add the date the talks broke down.")
    editor.step("click", "button:has-text('Add note')")
    expect(editor.page.locator("main")).to_contain_text("Which month?")
    at = (timezone.localtime() + timedelta(minutes=2)).replace(second=0, microsecond=0)
    editor.step("check", "input[name=decision][value=schedule]")
    editor.step("fill", "input[name=at]", at.strftime("%Y-%m-%dT%H:%M"))
    editor.step("click", "button:has-text('Decide')")
    expect(editor.page.locator(".messages")).to_be_visible()
    editor.shot("4-scheduled")
    story.refresh_from_db()
    assert story.is_scheduled and story.published_at == at
    assert Note.objects.filter(story=story, passage__contains="broke down").exists()
    assert Review.objects.filter(story=story, decision=Review.Decision.APPROVED).exists()

    # It goes live by itself at its time (the go-live job announces it).
    reader = browser.new_context().new_page()
    assert reader.goto(f"{live_server.url}/news/{story.news_id}").status == 404
    with time_machine.travel(at + timedelta(seconds=5), tick=True):
        run_due_jobs()
        assert reader.goto(f"{live_server.url}/news/{story.news_id}").ok
        expect(reader.locator("h1")).to_have_text("Water-sharing talks resume in Basra")
        expect(reader.locator(".embed")).to_be_visible()  # a placeholder: nothing from YouTube before a click
        ARTIFACTS.mkdir(exist_ok=True)
        reader.screenshot(path=ARTIFACTS / "journey-reader-5-live.png", full_page=True)

        # A correction, from the writing screen.
        editor.page.goto(f"{live_server.url}/newsroom/stories/{story.news_id}/")
        editor.step("select_option", "#correction-kind", "correction")
        editor.step("fill", "#correction-text", "The talks broke down in November 2025, not December.")
        editor.step("click", "button:has-text('Add to the story')")
        assert Correction.objects.filter(story=story, kind="correction").exists()
        reader.reload()
        expect(reader.locator("main")).to_contain_text("The talks broke down in November 2025")

    # A follow-up of the reference story, accepted from the calendar on its due day.
    editor.page.goto(f"{live_server.url}/newsroom/plan/?week=2021-W49")
    follow_up = FollowUp.objects.get(story__news_id=SEED_NEWS_ID, due="2021-12-09")
    card = editor.page.locator(f"#follow-up-{follow_up.pk}")
    expect(card).to_contain_text("within 15 days")
    editor.shot("6-calendar")
    editor.step("select_option", f"#follow-up-{follow_up.pk}-assignee", str(rana.pk))
    editor.step("click", f"#follow-up-{follow_up.pk} button:has-text('Accept')")
    follow_up.refresh_from_db()
    assert follow_up.state == FollowUp.State.ACCEPTED and follow_up.planned_item.assignee == rana
    editor.shot("7-accepted")

    with capsys.disabled():
        print(f"\nreporter: {reporter_steps} steps (3 of them logging in); editor: {len(editor.steps)} steps")
    assert reporter_steps <= 20
    assert reporter.errors == [] and editor.errors == []
