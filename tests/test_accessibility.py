"""Keyboard, screen-reader and no-JavaScript use of the reader pages, in a real Chromium, with a real flite."""

import re
import shutil

import pytest
from captcha.models import CaptchaStore
from django.test import Client

from dateline.articles.models import Tag

from .factories import make_author, make_comment, make_section, make_story

needs_flite = pytest.mark.skipif(not shutil.which("flite"), reason="no flite on PATH: the audio key needs it")

# Contrast of each element's own text against the first opaque background behind it (WCAG 2 formula).
LOW_CONTRAST_JS = """() => {
  const rgb = (value) => value.match(/[\\d.]+/g).map(Number);
  const luminance = ([r, g, b]) => [r, g, b].map((c) => {
    c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }).reduce((sum, c, i) => sum + c * [0.2126, 0.7152, 0.0722][i], 0);
  const background = (element) => {
    for (; element; element = element.parentElement) {
      const color = rgb(getComputedStyle(element).backgroundColor);
      if (color.length < 4 || color[3] === 1) return color.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const low = [];
  for (const element of document.body.querySelectorAll("*")) {
    const ownText = [...element.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    const style = getComputedStyle(element);
    if (!ownText || !element.checkVisibility() || element.closest(".visually-hidden, .trap")) continue;
    const [a, b] = [luminance(rgb(style.color)), luminance(background(element))];
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    const size = parseFloat(style.fontSize), bold = parseInt(style.fontWeight) >= 700;
    const needed = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
    if (ratio < needed) low.push(`${element.tagName.toLowerCase()}.${element.className}: ${ratio.toFixed(2)}`);
  }
  return low;
}"""


@pytest.fixture
def story():
    """A story with a section, a tag, an author and a published comment."""
    story = make_story("Talks resume in Geneva", section=make_section("World"), location="GENEVA")
    story.tags.add(Tag.objects.create(name="Diplomacy"))
    story.authors.add(make_author())
    make_comment(story, name="Rana", body="Good news at last.")
    return story


def key_answer(page):
    """The answer to the security key now on the page."""
    return CaptchaStore.objects.get(hashkey=page.locator("input[name=captcha_0]").input_value()).response


def send_comment(page, answer, body="Fifteen days is short."):
    """Fill in and send the comment form, past the browser's own checks (so the server's are what answers)."""
    page.locator("#comment-form").evaluate("form => { form.noValidate = true; }")
    page.fill("#id_name", "Rana from Basra")
    page.fill("#id_body", body)
    page.fill("#id_captcha_1", answer)
    page.get_by_role("button", name="Send comment").click()


# The audio alternative, through the test client


@needs_flite
@pytest.mark.django_db
def test_security_key_offers_a_listen_link_next_to_its_image(story):
    """Beside the key's image (with its text alternative) is a `listen to the key` link to the spoken key."""
    html = Client().get(story.get_absolute_url()).content.decode()
    key = re.search(r'name="captcha_0" value="([0-9a-f]+)"', html)[1]
    assert 'alt="Security key: type the characters in this image"' in html
    assert f'<a href="/captcha/audio/{key}.wav" class="captcha-audio" type="audio/wav">listen to the key</a>' in html


@needs_flite
@pytest.mark.django_db
def test_listen_link_answers_with_the_key_spoken_as_wav(story):
    """The audio link returns a WAV file of the spoken key."""
    client = Client()
    html = client.get(story.get_absolute_url()).content.decode()
    audio_url = re.search(r'href="(/captcha/audio/[0-9a-f]+\.wav)"', html)[1]
    response = client.get(audio_url)
    audio = b"".join(response.streaming_content) if response.streaming else response.content
    assert (response.status_code, response["Content-Type"]) == (200, "audio/wav")
    assert audio[:4] == b"RIFF" and audio[8:12] == b"WAVE" and len(audio) > 10_000


# Keyboard and landmarks, in Chromium


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_first_tab_shows_the_skip_link_and_enter_moves_focus_to_main(live_server, page, story):
    """The first Tab focuses the skip link, which comes into view with a focus outline; Enter puts focus on main."""
    from playwright.sync_api import expect

    page.goto(live_server.url + story.get_absolute_url())
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).not_to_be_in_viewport()
    page.keyboard.press("Tab")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    assert skip.evaluate("link => getComputedStyle(link).outlineStyle") == "solid"
    page.keyboard.press("Enter")
    expect(page.get_by_role("main")).to_be_focused()
    assert page.console_errors == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_story_page_has_one_banner_main_and_contentinfo_landmark(live_server, page, story):
    """Screen readers find the page's header, main content and footer as landmarks, one of each."""
    from playwright.sync_api import expect

    page.goto(live_server.url + story.get_absolute_url())
    for role in ("banner", "main", "contentinfo"):
        expect(page.get_by_role(role)).to_have_count(1)
    expect(page.get_by_role("navigation", name="Sections")).to_have_count(1)
    expect(page.get_by_role("search")).to_have_count(1)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("path", ["story", "/search?q=Geneva"])
def test_every_form_field_has_an_accessible_name(live_server, page, story, path):
    """Each input, text area, select and button on the page has a name a screen reader can say."""
    from playwright.sync_api import expect

    page.goto(live_server.url + (story.get_absolute_url() if path == "story" else path))
    fields = page.locator("input:not([type=hidden]), textarea, select, button")
    assert fields.count() >= 2
    for field in fields.all():
        if not field.evaluate("field => field.closest('[aria-hidden=true]')"):  # the robots' trap is hidden from all
            expect(field).to_have_accessible_name(re.compile(r"\w"))


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_wrong_key_is_announced_and_tied_to_the_fields_in_error(live_server, page, story):
    """After a wrong key, focus is on the live region with the summary; each wrong field is invalid and described."""
    from playwright.sync_api import expect

    page.goto(live_server.url + story.get_absolute_url())
    send_comment(page, "wrong", body="")
    errors = page.locator("#comment-errors[aria-live]")
    expect(errors).to_be_focused()
    expect(errors.get_by_role("alert")).to_have_text(
        "Your comment was not sent. Please correct the marked fields; your text is kept."
    )
    for name, message in [
        ("Comment:", "This field is required."),
        ("Security Key:", "The security key was wrong or has expired. Please type the new one."),
    ]:
        field = page.get_by_role("textbox", name=name, exact=True)
        expect(field).to_have_attribute("aria-invalid", "true")
        expect(field).to_have_accessible_description(message)
    expect(page.get_by_role("textbox", name="Name:", exact=True)).not_to_have_attribute("aria-invalid", "true")


@needs_flite
@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_refresh_gives_a_new_listen_link_with_the_new_key(live_server, page, story):
    """`refresh` changes the image and the audio link together, to the new key."""
    from playwright.sync_api import expect

    page.goto(live_server.url + story.get_absolute_url())
    listen, key = page.get_by_role("link", name="listen to the key"), page.locator("input[name=captcha_0]")
    old_key = key.input_value()
    page.get_by_role("link", name="refresh").click()
    expect(key).not_to_have_value(old_key)
    expect(listen).to_have_attribute("href", f"/captcha/audio/{key.input_value()}.wav")
    assert page.request.get(live_server.url + listen.get_attribute("href")).headers["content-type"] == "audio/wav"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_without_javascript_a_reader_refreshes_the_key_and_sends_a_comment(live_server, browser, story):
    """With JavaScript off, `refresh` reloads with a new key, a wrong key keeps the text, the right one sends."""
    from playwright.sync_api import expect

    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + story.get_absolute_url())
    old_key = page.locator("input[name=captcha_0]").input_value()
    page.get_by_role("link", name="refresh").click()
    expect(page.locator("input[name=captcha_0]")).not_to_have_value(old_key)
    send_comment(page, "wrong", body="Who guards the bases afterwards?")
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.locator("#id_body")).to_have_value("Who guards the bases afterwards?")
    page.fill("#id_captcha_1", key_answer(page))
    page.get_by_role("button", name="Send comment").click()
    expect(page.get_by_text("Thank you. Your comment is awaiting moderation.")).to_be_visible()
    context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_text_contrast_meets_wcag_aa_in_light_and_dark_mode(live_server, page, story, scheme):
    """Every text on the story page, its comment form errors included, has AA contrast in the system's colours."""
    page.emulate_media(color_scheme=scheme)
    page.goto(live_server.url + story.get_absolute_url())
    send_comment(page, "wrong", body="")
    assert page.evaluate(LOW_CONTRAST_JS) == []
