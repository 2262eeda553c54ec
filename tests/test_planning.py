"""The story budget at /newsroom/plan/: the week calendar and list with their filters, suggested follow-ups on
their days with accept and dismiss, the planned-item form, starting the draft, who may do what, and query counts."""

import re
import shutil
from datetime import date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dateline.accounts.models import Author
from dateline.articles import workflow
from dateline.articles.models import Story
from dateline.newsroom.models import FollowUp, Notice, PlannedItem, Review

from .factories import make_member, make_section, make_story
from .test_html_validity import VNU_JAR, check, readable

pytestmark = pytest.mark.django_db
CALENDAR = reverse("newsroom:calendar")
LIST = reverse("newsroom:plan-list")
SENTENCE = "All foreign combat forces will leave Iraq within 15 days."


def at(day, hour=10):
    return timezone.make_aware(datetime.combine(day, datetime.min.time()) + timedelta(hours=hour))


def plan(slug, day, **fields):
    return PlannedItem.objects.create(slug=slug, due_at=at(day), **fields)


def suggest(day=date(2021, 11, 26), story=None, phrase="within 15 days"):
    story = story or make_story("Forces to leave Iraq", body=f"<p>{SENTENCE}</p>")
    return FollowUp.objects.create(story=story, sentence=SENTENCE, phrase=phrase, due=day)


def day_of(response, day):
    """The HTML of one day of the calendar."""
    html = response.content.decode()
    chunks = html.split('<li class="plan-day')
    return next(chunk for chunk in chunks if f'id="day-{day:%Y-%m-%d}"' in chunk)


@pytest.fixture
def editor(client):
    user = make_member("Editor", first_name="Edna", last_name="Editor")
    client.force_login(user)
    return user


def test_calendar_shows_planned_items_and_follow_ups_on_their_days(client, editor):
    """A planned item and a suggested follow-up each appear under their own day, the follow-up with its phrase,
    a link to its story and its sentence quoted."""
    plan("budget-vote", date(2021, 11, 24))
    follow_up = suggest(date(2021, 11, 26))

    response = client.get(CALENDAR, {"week": "2021-W47"})

    assert response.status_code == 200
    assert "budget-vote" in day_of(response, date(2021, 11, 24))
    friday = day_of(response, date(2021, 11, 26))
    assert "within 15 days" in friday and f'<blockquote cite="{follow_up.story.get_absolute_url()}">' in friday
    assert f'href="{follow_up.story.get_absolute_url()}#:~:text=All%20foreign' in friday
    assert "budget-vote" not in friday and "within 15 days" not in day_of(response, date(2021, 11, 24))


def test_calendar_has_seven_day_headings_and_links_to_the_weeks_around(client, editor):
    """Monday to Sunday, a heading each, with previous and next week links."""
    response = client.get(CALENDAR, {"week": "2021-W47"})
    content = response.content.decode()
    assert len(re.findall(r'<h2 id="day-2021-11-(?:2[2-8])">', content)) == 7
    assert '?week=2021-W46" rel="prev"' in content and '?week=2021-W48" rel="next"' in content


def test_today_is_marked_as_the_current_date(client, editor):
    """This week's calendar marks today, and only today, with aria-current="date"."""
    response = client.get(CALENDAR)
    content = response.content.decode()
    assert content.count('aria-current="date"') == 1
    assert 'aria-current="date"' in day_of(response, timezone.localdate())


def test_an_unreadable_week_shows_this_week(client, editor):
    """?week=nonsense falls back to the current week rather than an error."""
    response = client.get(CALENDAR, {"week": "2021-W99"})
    assert response.status_code == 200 and 'aria-current="date"' in response.content.decode()


def test_calendar_filters_by_desk_and_person(client, editor):
    """?desk= keeps that section's items and follow-ups; ?person= that person's assignments."""
    world, sport = make_section("World"), make_section("Sport")
    reporter = make_member("Reporter")
    plan("world-item", date(2021, 11, 24), section=world, assignee=reporter)
    plan("sport-item", date(2021, 11, 24), section=sport)
    suggest(story=make_story("Sport story", section=sport), phrase="next week")

    by_desk = client.get(CALENDAR, {"week": "2021-W47", "desk": world.pk}).content.decode()
    by_person = client.get(CALENDAR, {"week": "2021-W47", "person": reporter.pk}).content.decode()

    assert "world-item" in by_desk and "sport-item" not in by_desk and "next week</strong>" not in by_desk
    assert "world-item" in by_person and "sport-item" not in by_person


def test_follow_up_filter_by_person_keeps_the_stories_they_wrote(client, editor):
    """?person= shows the follow-ups of that person's stories only."""
    reporter = make_member("Reporter")
    theirs = make_story("Their story")
    theirs.authors.set([Author.objects.for_user(reporter)])
    suggest(story=theirs, phrase="theirs within 15 days")
    suggest(phrase="others within 15 days")
    content = client.get(CALENDAR, {"week": "2021-W47", "person": reporter.pk}).content.decode()
    assert "theirs within 15 days" in content and "others within 15 days" not in content


def test_accepting_a_follow_up_makes_an_assigned_planned_item(client, editor):
    """Accept: an assigned planned item due on the follow-up's day, notes quoting the sentence, linked from the
    follow-up; the assignee gets a notice."""
    reporter = make_member("Reporter")
    follow_up = suggest(date(2021, 12, 9))

    response = client.post(reverse("newsroom:follow-up-accept", args=[follow_up.pk]), {"assignee": reporter.pk})

    follow_up.refresh_from_db()
    item = follow_up.planned_item
    assert response.status_code == 302 and response["Location"].endswith("?week=2021-W49")
    assert (follow_up.state, follow_up.decided_by) == (FollowUp.State.ACCEPTED, editor)
    assert (item.state, item.assignee, timezone.localdate(item.due_at)) == ("assigned", reporter, date(2021, 12, 9))
    assert SENTENCE in item.notes and item.slug.endswith("-follow-up")
    assert Notice.objects.filter(user=reporter, url=reverse("newsroom:plan-item", args=[item.pk])).exists()


def test_an_accepted_follow_up_leaves_the_calendar_for_its_planned_item(client, editor):
    """After accepting, the day shows the planned item and no longer the suggestion."""
    follow_up = suggest(date(2021, 11, 26))
    client.post(reverse("newsroom:follow-up-accept", args=[follow_up.pk]), {"assignee": editor.pk})
    friday = day_of(client.get(CALENDAR, {"week": "2021-W47"}), date(2021, 11, 26))
    assert "Suggested follow-up" not in friday and "-follow-up</a>" in friday


def test_accepting_needs_someone_to_assign(client, editor):
    """Accept without an assignee changes nothing and says why."""
    follow_up = suggest()
    response = client.post(reverse("newsroom:follow-up-accept", args=[follow_up.pk]), {}, follow=True)
    follow_up.refresh_from_db()
    assert follow_up.state == FollowUp.State.SUGGESTED and not PlannedItem.objects.exists()
    assert "Choose who writes the follow-up." in response.content.decode()


def test_dismissing_a_follow_up_takes_it_off_the_calendar(client, editor):
    """Dismiss: the follow-up is dismissed, by this editor, and no longer shown."""
    follow_up = suggest(date(2021, 11, 26))
    response = client.post(reverse("newsroom:follow-up-dismiss", args=[follow_up.pk]), {"next": LIST})
    follow_up.refresh_from_db()
    assert response["Location"] == LIST
    assert (follow_up.state, follow_up.decided_by) == (FollowUp.State.DISMISSED, editor)
    assert "within 15 days</strong>" not in client.get(CALENDAR, {"week": "2021-W47"}).content.decode()


def test_a_decided_follow_up_cannot_be_decided_again(client, editor):
    """Dismissed, it can no longer be accepted: no planned item is made."""
    follow_up = suggest()
    client.post(reverse("newsroom:follow-up-dismiss", args=[follow_up.pk]))
    client.post(reverse("newsroom:follow-up-accept", args=[follow_up.pk]), {"assignee": editor.pk})
    follow_up.refresh_from_db()
    assert follow_up.state == FollowUp.State.DISMISSED and not PlannedItem.objects.exists()


def test_a_reporter_sees_planning_but_cannot_accept_or_dismiss(client):
    """A reporter sees the calendar and its suggestions without the buttons; accept and dismiss answer 403."""
    client.force_login(make_member("Reporter"))
    follow_up = suggest(date(2021, 11, 26))
    content = client.get(CALENDAR, {"week": "2021-W47"}).content.decode()
    assert "within 15 days" in content and "follow-up-accept" not in content and ">Accept<" not in content
    assert client.post(reverse("newsroom:follow-up-accept", args=[follow_up.pk]), {"assignee": 1}).status_code == 403
    assert client.post(reverse("newsroom:follow-up-dismiss", args=[follow_up.pk])).status_code == 403
    follow_up.refresh_from_db()
    assert follow_up.state == FollowUp.State.SUGGESTED


def test_a_moderator_cannot_see_planning(client):
    """Planning is for those who write stories: a moderator gets 403 on every planning page."""
    client.force_login(make_member("Moderator"))
    item = plan("secret", date(2021, 11, 24))
    for url in (CALENDAR, LIST, reverse("newsroom:plan-new"), reverse("newsroom:plan-item", args=[item.pk])):
        assert client.get(url).status_code == 403


def test_planning_asks_whoever_is_not_logged_in_to_log_in(client):
    """Anonymous visitors are sent to the login page."""
    response = client.get(CALENDAR)
    assert response.status_code == 302 and reverse("admin:login") in response["Location"]


def test_list_shows_the_same_items_sorted_by_due(client, editor):
    """The list has every planned item, soonest first, or latest first with ?sort=-due; and the suggestions."""
    plan("later", date(2021, 12, 20))
    plan("sooner", date(2021, 11, 20))
    suggest()
    soonest = client.get(LIST).content.decode()
    latest = client.get(LIST, {"sort": "-due"}).content.decode()
    assert soonest.index("sooner") < soonest.index("later") and latest.index("later") < latest.index("sooner")
    assert 'aria-sort="ascending"' in soonest and 'aria-sort="descending"' in latest
    assert "within 15 days" in soonest


def test_list_filters_by_desk(client, editor):
    """?desk= on the list keeps that desk's items."""
    world = make_section("World")
    plan("world-item", date(2021, 11, 24), section=world)
    plan("other-item", date(2021, 11, 24))
    content = client.get(LIST, {"desk": world.pk}).content.decode()
    assert "world-item" in content and "other-item" not in content


def test_new_planned_item_form_saves_and_returns_to_its_week(client, editor):
    """The form labels every field; a valid post adds the item, planned by this user, and shows its week."""
    world = make_section("World")
    form = client.get(reverse("newsroom:plan-new"), {"due": "2021-12-09"}).content.decode()
    for field in ("slug", "section", "assignee", "due_at", "length", "notes", "state"):
        assert f'<label for="id_{field}"' in form
    assert 'value="2021-12-09T09:00"' in form

    data = {"slug": "iraq-troops-leave", "section": world.pk, "assignee": editor.pk, "due_at": "2021-12-09T09:00",
            "length": "600", "notes": "Check the last convoy.", "state": "assigned"}  # fmt: skip
    response = client.post(reverse("newsroom:plan-new"), data)

    item = PlannedItem.objects.get(slug="iraq-troops-leave")
    assert response["Location"] == f"{CALENDAR}?week=2021-W49"
    assert (item.section, item.assignee, item.length, item.created_by) == (world, editor, 600, editor)


def test_planned_item_form_edits_and_shows_errors(client, editor):
    """Editing saves the change; a missing slug shows the error and saves nothing."""
    item = plan("old-slug", date(2021, 11, 24))
    url = reverse("newsroom:plan-item", args=[item.pk])
    bad = client.post(url, {"slug": "", "state": "idea"})
    assert bad.status_code == 200 and "errorlist" in bad.content.decode()
    client.post(url, {"slug": "new-slug", "state": "idea", "due_at": "2021-11-25T08:00"})
    item.refresh_from_db()
    assert item.slug == "new-slug" and timezone.localdate(item.due_at) == date(2021, 11, 25)


def test_start_the_draft_makes_a_linked_draft_and_opens_it(client, editor):
    """Start the draft: a draft story, headline from the slug, section from the desk, byline the assignee's,
    linked to the item; the writing screen opens."""
    world, reporter = make_section("World"), make_member("Reporter", first_name="Rana", last_name="Reporter")
    item = plan("iraq-troops-leave", date(2021, 12, 9), section=world, assignee=reporter)

    response = client.post(reverse("newsroom:plan-draft", args=[item.pk]))

    item.refresh_from_db()
    story = item.story
    assert response["Location"] == reverse("newsroom:write", args=[story.news_id])
    assert (story.status, story.headline, story.section) == (Story.Status.DRAFT, "Iraq troops leave", world)
    assert [author.user for author in story.authors.all()] == [reporter]
    assert item.state == PlannedItem.State.ASSIGNED


def test_starting_the_draft_twice_opens_the_same_draft(client, editor):
    """A second click opens the draft already begun rather than making another."""
    item = plan("one-draft", date(2021, 12, 9))
    first = client.post(reverse("newsroom:plan-draft", args=[item.pk]))
    second = client.post(reverse("newsroom:plan-draft", args=[item.pk]))
    assert first["Location"] == second["Location"] and Story.objects.count() == 1


def test_an_idea_drafted_by_its_writer_becomes_their_assignment(client):
    """A reporter drafting an unassigned idea is assigned it and bylined."""
    reporter = make_member("Reporter")
    client.force_login(reporter)
    item = plan("my-idea", date(2021, 12, 9))
    client.post(reverse("newsroom:plan-draft", args=[item.pk]))
    item.refresh_from_db()
    assert (item.assignee, item.state) == (reporter, PlannedItem.State.ASSIGNED)
    assert item.story.authors.get().user == reporter


def test_the_planned_items_state_follows_its_story(editor):
    """Sent for review, the item is filed; approved, edited; published, published."""
    item = plan("follows", date(2021, 12, 9), assignee=editor, state=PlannedItem.State.ASSIGNED)
    story = make_story(published=False)
    item.story = story
    item.save()
    workflow.submit_for_review(story, editor)
    item.refresh_from_db()
    assert item.state == PlannedItem.State.FILED
    Review.objects.create(story=story, version=story.version, decision=Review.Decision.APPROVED, reviewer=editor)
    item.refresh_from_db()
    assert item.state == PlannedItem.State.EDITED
    workflow.publish(story, editor)
    item.refresh_from_db()
    assert item.state == PlannedItem.State.PUBLISHED


def test_planning_pages_carry_no_inline_script_or_style(client, editor):
    """Under the strict CSP: no style attribute, no inline script, on the calendar, the list and the form."""
    suggest()
    plan("an-item", date(2021, 11, 24))
    for url in (f"{CALENDAR}?week=2021-W47", LIST, reverse("newsroom:plan-new")):
        content = client.get(url).content.decode()
        assert "style=" not in content and not re.search(r"<script(?![^>]*\bsrc=)", content)


def calendar_queries(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(CALENDAR, {"week": "2021-W47"}).status_code == 200
    return len(queries)


def test_calendar_queries_do_not_grow_with_its_items(client, editor):
    """One planned item and one follow-up, or six of each on different desks: the same number of queries."""
    section = make_section("World")
    plan("first", date(2021, 11, 22), section=section, assignee=editor, story=make_story(published=False))
    suggest(date(2021, 11, 22))
    few = calendar_queries(client)
    for n in range(5):
        desk = make_section(f"Desk {n}")
        plan(f"item-{n}", date(2021, 11, 23 + n), section=desk, assignee=make_member("Reporter", f"r{n}"),
             story=make_story(published=False))  # fmt: skip
        suggest(date(2021, 11, 23 + n), story=make_story(section=desk))
    assert calendar_queries(client) == few


@pytest.fixture
def nu_checker():
    """The Nu Html Checker's command, as test_html_validity runs it; skipped without Java or the jar."""
    java = shutil.which("java")
    if not java or not VNU_JAR.exists():
        pytest.skip("the Nu Html Checker needs Java and `npm ci --ignore-scripts`")
    return [java, "-jar", str(VNU_JAR), "--errors-only", "--format", "json"]


def test_planning_pages_are_valid_html(client, editor, nu_checker, tmp_path):
    """The calendar (with items and follow-ups), the list and the forms pass the Nu Html Checker."""
    item = plan("an-item", date(2021, 11, 24), section=make_section("World"), assignee=editor, length=500)
    suggest(date(2021, 11, 26))
    pages = {
        "calendar": f"{CALENDAR}?week=2021-W47",
        "list": LIST,
        "new": reverse("newsroom:plan-new"),
        "item": reverse("newsroom:plan-item", args=[item.pk]),
    }
    (tmp_path / "pages").mkdir()
    for name, url in pages.items():
        (tmp_path / "pages" / f"{name}.html").write_bytes(client.get(url).content)
    errors = check(nu_checker, tmp_path / "pages")
    assert not errors, "The Nu Html Checker found errors:\n" + readable(errors)


# In a real Chromium: keyboard, screen reader names, contrast, no JavaScript


@pytest.fixture
def roles():
    """The role groups again: a transactional test's flush empties what the migrations filled in."""
    from django.apps import apps as django_apps
    from django.contrib.auth.management import create_permissions

    from dateline.newsroom.roles import sync_roles

    for app_config in django_apps.get_app_configs():
        create_permissions(app_config, verbosity=0)
    sync_roles(django_apps)


def logged_in(page, client, live_server, user):
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_editor_accepts_a_follow_up_with_the_keyboard_alone(live_server, page, client, roles):
    """Tab reaches the Accept button of the day's suggestion (every field on the way named, text in AA contrast,
    no CSP error); Enter accepts it."""
    from playwright.sync_api import expect

    from .test_accessibility import LOW_CONTRAST_JS

    logged_in(page, client, live_server, make_member("Editor"))
    follow_up = suggest(date(2021, 11, 26))
    page.goto(f"{live_server.url}{CALENDAR}?week=2021-W47")
    expect(page.get_by_role("heading", name=re.compile("Friday 26 November"))).to_be_visible()
    for field in page.locator("input:not([type=hidden]), select, button").all():
        expect(field).to_have_accessible_name(re.compile(r"\w"))
    assert page.evaluate(LOW_CONTRAST_JS) == []
    accept = page.get_by_role("button", name="Accept")
    expect(accept).to_have_accessible_description("within 15 days")
    for _ in range(60):
        page.keyboard.press("Tab")
        if accept.evaluate("button => button === document.activeElement"):
            break
    expect(accept).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Follow-up accepted")
    follow_up.refresh_from_db()
    assert follow_up.state == FollowUp.State.ACCEPTED and page.console_errors == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_without_javascript_an_editor_dismisses_a_follow_up(live_server, browser, client, roles):
    """With scripts off, the calendar's Dismiss form still works."""
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    logged_in(page, client, live_server, make_member("Editor"))
    follow_up = suggest(date(2021, 11, 26))
    page.goto(f"{live_server.url}{CALENDAR}?week=2021-W47")
    page.get_by_role("button", name="Dismiss").click()
    page.wait_for_load_state()
    follow_up.refresh_from_db()
    assert follow_up.state == FollowUp.State.DISMISSED
    context.close()
