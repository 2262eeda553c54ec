"""The reader's journeys in a real Chromium, in the English edition and the Persian one (right to left)."""

import io
from pathlib import Path

import pytest
from captcha.models import CaptchaStore
from django.core.management import call_command

from dateline.comments.models import Comment
from dateline.demo.other_editions import SEED_TRANSLATIONS
from dateline.demo.stories import SEED_NEWS_ID

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
SCREENS = {"phone": (375, 812), "desktop": (1280, 900)}
SEED_HEADLINE = "Foreign combat forces to leave Iraq in 15 days: Military"
EDITIONS = {
    "en": {
        "front": "/",
        "dir": "ltr",
        "headline": SEED_HEADLINE,
        "section": "Middle East",
        "page_two": "Page 2",
        "older": "Older stories",
        "query": "Iraq",
        "search": "Search",
        "refresh": "refresh",
        "send": "Send comment",
        "wrong_key": "The security key was wrong or has expired. Please type the new one.",
        "awaiting": "Thank you. Your comment is awaiting moderation.",
        "read_in": "این خبر را به زبان فارسی بخوانید",
        "translation": ("fa", SEED_TRANSLATIONS["fa"]["headline"]),
    },
    "fa": {
        "front": "/fa/",
        "dir": "rtl",
        "headline": SEED_TRANSLATIONS["fa"]["headline"],
        "section": "خاورمیانه",
        "page_two": "صفحهٔ ۲",
        "older": "خبرهای قدیمی‌تر",
        "query": "عراق",
        "search": "جست‌وجو",
        "refresh": "تازه‌سازی",
        "send": "ارسال دیدگاه",
        "wrong_key": "کد امنیتی نادرست بود یا منقضی شده است. لطفاً کد تازه را وارد کنید.",
        "awaiting": "سپاس. دیدگاه شما در انتظار بررسی است.",
        "read_in": "Read this story in English",
        "translation": ("en", SEED_HEADLINE),
    },
}
editions = pytest.mark.parametrize("edition", EDITIONS)


@pytest.fixture
def demo(live_server, settings):
    """The demo newsroom behind a live server, two stories to a page so that sections page."""
    settings.STORIES_PER_PAGE = 2
    call_command("demo", stdout=io.StringIO())
    return live_server.url


def expect_edition(page, edition):
    from playwright.sync_api import expect

    expect(page.locator("html")).to_have_attribute("lang", edition)
    expect(page.locator("html")).to_have_attribute("dir", EDITIONS[edition]["dir"])


def open_lead_story(page, url, edition):
    """From the edition's front page to its lead story, the reference story in the edition's language."""
    from playwright.sync_api import expect

    page.goto(url + EDITIONS[edition]["front"])
    expect_edition(page, edition)
    page.locator(".lead .story-item-headline a").click()
    expect(page.locator("h1")).to_have_text(EDITIONS[edition]["headline"])
    expect_edition(page, edition)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@editions
def test_reader_opens_the_lead_story_and_switches_to_its_translation(demo, page, edition):
    """Front page → story (screenshots at phone and desktop widths) → its translation, in the other edition."""
    from playwright.sync_api import expect

    open_lead_story(page, demo, edition)
    ARTIFACTS.mkdir(exist_ok=True)
    for screen, (width, height) in SCREENS.items():
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=ARTIFACTS / f"story-{edition}-{screen}.png", full_page=True)
    page.get_by_role("link", name=EDITIONS[edition]["read_in"]).click()
    language, headline = EDITIONS[edition]["translation"]
    expect(page.locator("h1")).to_have_text(headline)
    expect_edition(page, language)
    assert page.console_errors == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@editions
def test_reader_pages_through_a_section_and_searches(demo, page, edition):
    """The header's section link, its second page, then a search from the header that leads to a story."""
    from playwright.sync_api import expect

    texts = EDITIONS[edition]
    page.goto(demo + texts["front"])
    page.locator(".sections").get_by_role("link", name=texts["section"], exact=True).click()
    expect(page.locator("h1")).to_have_text(texts["section"])
    page.get_by_role("link", name=texts["older"]).click()
    expect(page.locator(".pagination")).to_contain_text(texts["page_two"])
    expect_edition(page, edition)

    page.fill("#site-search-q", texts["query"])
    page.locator(".site-search").get_by_role("button", name=texts["search"]).click()
    first = page.locator(".search-results a").first
    headline = first.inner_text()
    first.click()
    expect(page.locator("h1")).to_have_text(headline)
    assert page.console_errors == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@editions
def test_reader_comments_after_a_wrong_key_and_a_refresh(demo, page, edition):
    """A wrong key: error shown, text kept; `refresh`; the right key: "awaiting moderation", in the edition's words."""
    from playwright.sync_api import expect

    texts = EDITIONS[edition]
    open_lead_story(page, demo, edition)
    name, body = "Rana from Basra", "Fifteen days is short.\nWho guards the bases afterwards?"
    page.fill("#id_name", name)
    page.fill("#id_body", body)
    page.fill("#id_captcha_1", "WRONG")
    page.get_by_role("button", name=texts["send"]).click()
    expect(page.get_by_text(texts["wrong_key"])).to_be_visible()
    expect(page.locator("#id_body")).to_have_value(body)
    expect_edition(page, edition)

    image, key = page.locator(".captcha-image"), page.locator("input[name=captcha_0]")
    old_src, old_key = image.get_attribute("src"), key.input_value()
    page.get_by_role("link", name=texts["refresh"], exact=True).click()
    expect(image).not_to_have_attribute("src", old_src)
    expect(key).not_to_have_value(old_key)
    page.fill("#id_captcha_1", CaptchaStore.objects.get(hashkey=key.input_value()).response)
    page.get_by_role("button", name=texts["send"]).click()
    expect(page.get_by_text(texts["awaiting"])).to_be_visible()
    expect_edition(page, edition)
    comment = Comment.objects.get(name=name)
    assert (comment.body, comment.status, comment.story.language) == (body, Comment.Status.PENDING, edition)
    assert comment.story.news_id == SEED_NEWS_ID or comment.story.translation_of.news_id == SEED_NEWS_ID
    # The form sent back with errors answers 400 on purpose; Chromium reports that status, and nothing else.
    assert [error for error in page.console_errors if "status of 400" not in error] == []
