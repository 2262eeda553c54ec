"""Desk pages in English and Persian: zero Nu Html Checker errors, zero axe-core violations and zero CSP violations
in a real Chromium."""

from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from dateline.accounts.models import Author
from dateline.articles.models import Story
from dateline.comments.models import Comment
from dateline.newsroom.models import FollowUp, Note, Notice, PlannedItem

from .factories import make_comment, make_member, make_section, make_story
from .processes import postgres_url
from .test_browser import ARTIFACTS
from .test_html_validity import check, readable, vnu  # noqa: F401  (the checker's fixture)
from .test_newsroom_admin import roles  # noqa: F401  (the role groups again, after a transactional flush)

AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
LANGUAGES = ["en", "fa"]
# What a page's markup and scripts are does not depend on the database: checked once, by make test (CI's time).
pytestmark = pytest.mark.skipif(bool(postgres_url()), reason="the desk's markup is checked once, on SQLite")


def desk_content():
    """An editor's desk with something in every list: a draft, a story in review, a scheduled and a live story."""
    editor = make_member("Editor", first_name="Omar", last_name="Aziz")
    Author.objects.for_user(editor)
    section = make_section("World")
    live = make_story(headline="Forces leave the base", section=section, created_by=editor)
    make_story(published=False, headline="Draft on water", created_by=editor, status=Story.Status.DRAFT)
    make_story(published=False, headline="Review me", status=Story.Status.REVIEW)
    PlannedItem.objects.create(slug="basra-water", assignee=editor, state="assigned", section=section)
    Notice.objects.create(
        user=editor, text="Your story was approved.", url=reverse("newsroom:write", args=[live.news_id])
    )
    make_comment(live, status=Comment.Status.PENDING)
    Note.objects.create(story=live, passage="leave", text="Which base?", author=editor)
    FollowUp.objects.create(
        story=live, sentence="They will leave within 15 days.", phrase="within 15 days", due=timezone.localdate()
    )
    return editor, live


def desk_paths(live):
    return {
        "home": reverse("newsroom:home"),
        "stories": reverse("newsroom:stories") + "?q=forces",
        "write-new": reverse("newsroom:write-new"),
        "write": reverse("newsroom:write", args=[live.news_id]),
        "notices": reverse("newsroom:notices"),
        "comments": reverse("newsroom:comments"),
        "calendar": reverse("newsroom:calendar"),
        "plan-list": reverse("newsroom:plan-list"),
        "plan-new": reverse("newsroom:plan-new"),
        "review": reverse("newsroom:review", args=[live.news_id]),
    }


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_desk_pages_are_valid_html(client, vnu, tmp_path, language):  # noqa: F811
    """Every desk page kind has no Nu Html Checker error, in English and in Persian."""
    editor, live = desk_content()
    client.force_login(editor)
    (tmp_path / "pages").mkdir()
    for name, path in desk_paths(live).items():
        response = client.get(path, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200, name
        (tmp_path / "pages" / f"{name}.html").write_bytes(response.content)
    errors = check(vnu, tmp_path / "pages")
    assert not errors, "The Nu Html Checker found errors:\n" + readable(errors)


def axe_violations(page):
    """axe-core's violations on the page as loaded (WCAG 2.x A and AA rules)."""
    result = page.evaluate("axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']})")
    return [f"{v['id']}: {v['help']} ({[n['target'] for n in v['nodes']][:3]})" for v in result["violations"]]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", LANGUAGES)
def test_desk_pages_have_no_axe_or_csp_violations(live_server, browser, roles, language):  # noqa: F811
    """Each desk page, loaded by an editor in Chromium, passes axe-core and logs no error (CSP refusals included)."""
    if not AXE.exists():
        pytest.skip("no node_modules/axe-core: run `npm ci --ignore-scripts` first")
    editor, live = desk_content()
    context = browser.new_context(locale=language, extra_http_headers={"Accept-Language": language})
    context.add_init_script(path=str(AXE))  # as the browser's own script: outside the page's policy, so not counted
    log_in(context, live_server.url, editor)
    failures = {}
    for name, path in desk_paths(live).items():
        page = context.new_page()
        errors = []
        page.on("console", lambda message, errors=errors: message.type == "error" and errors.append(message.text))
        page.on("pageerror", lambda error, errors=errors: errors.append(str(error)))
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=ARTIFACTS / f"desk-{name}-{language}.png", full_page=True)
        violations = axe_violations(page)
        if violations or errors:
            failures[name] = {"axe": violations, "console": errors}
        page.close()
    context.close()
    assert not failures, failures


def log_in(context, base, user, password="unused-in-tests"):
    page = context.new_page()
    page.goto(f"{base}/admin/login/?next=/newsroom/")
    page.fill("#id_username", user.get_username())
    page.fill("#id_password", password)
    page.click("input[type=submit]")
    page.wait_for_url(f"{base}/newsroom/")
    page.close()
