"""The body editor in a real browser: pastes from Word, Google Docs and web pages come out as the body's
structure, images upload with their alt text, embeds go in by URL, words are counted and the direction followed;
and readers' embeds ask nothing of the provider until clicked."""

import io
from pathlib import Path

import pytest
from PIL import Image as PILImage

from dateline.articles.embeds import resolve
from dateline.articles.html import clean_html

from .factories import make_member, make_story
from .processes import postgres_url
from .test_newsroom_journey import PASSWORD

CLIPBOARD = Path(__file__).parent / "fixtures" / "clipboard"
# The editor runs in the browser whatever the database: driven once, by make test (CI's time is bounded).
pytestmark = pytest.mark.skipif(bool(postgres_url()), reason="the body editor is driven once, on SQLite")
PASTED = {
    "word365.html": [
        "<h2>Water-sharing talks resume</h2>",
        "<strong>Thursday</strong>",
        "<em>officials said</em>",
        "<ul><li><p>Quotas for the dry season</p></li><li><p>A joint monitoring body</p></li></ul>",
        "<ol><li><p>Sign the draft</p></li><li><p>Meet again in March</p></li></ol>",
        "<blockquote><p><em>“We are closer than ever,” the envoy said.</em></p></blockquote>",
    ],
    "google-docs.html": [
        "<h2>Talks resume in Basra</h2>",
        "<p>Negotiators met on <strong>Thursday</strong>, <em>officials said</em>. Read the ",
        '<a href="https://example.org/report" rel="noopener noreferrer">report</a>',
        "<ul><li><p>Quotas for the dry season</p></li><li><p>A joint monitoring body</p></li></ul>",
    ],
    "web-page-chrome.html": [
        "<h3>Talks resume in Basra</h3>",
        "<p>Negotiators met on <strong>Thursday</strong>, <em>officials said</em>. ",
        "<blockquote><p>“We are closer than ever.”</p></blockquote>",
        "<ul><li><p>Quotas for the dry season</p></li><li><p>A joint monitoring body</p></li></ul>",
    ],
}
PASTE = """(html) => {
  const editor = document.querySelector(".prose-editor .tiptap");
  editor.focus();
  const data = new DataTransfer();
  data.setData("text/html", html);
  data.setData("text/plain", "plain");
  editor.dispatchEvent(new ClipboardEvent("paste", {clipboardData: data, bubbles: true, cancelable: true}));
}"""


def writing_page(browser, live_server):
    """A reporter on the admin's new-story form, its body editor ready."""
    make_member("Reporter", username="rana").set_password(PASSWORD)
    from django.contrib.auth.models import User

    user = User.objects.get(username="rana")
    user.set_password(PASSWORD)
    user.save()
    context = browser.new_context()
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda message: message.type == "error" and page.console_errors.append(message.text))
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "rana")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.goto(f"{live_server.url}/admin/articles/story/add/")
    page.wait_for_selector(".prose-editor .tiptap")
    return page


def body_of(page):
    return page.input_value("#id_body")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("fixture", sorted(PASTED))
def test_paste_into_the_editor_gives_the_body_structure(live_server, browser, fixture):
    """A paste of what Word, Google Docs or Chrome put on the clipboard shows (and stores) headings, emphasis,
    links, lists and quotes, and none of their clutter."""
    page = writing_page(browser, live_server)
    page.evaluate(PASTE, (CLIPBOARD / fixture).read_text())
    page.wait_for_function("document.querySelector('#id_body').value.length > 0")
    stored = clean_html(body_of(page))
    for fragment in PASTED[fixture]:
        assert fragment in stored, (fragment, stored)
    for clutter in ["·", "mso", "style=", "ads.push", "class="]:
        assert clutter not in body_of(page)
    assert page.console_errors == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_words_and_reading_time_are_counted_live_and_direction_is_followed(live_server, browser):
    """Persian words count by whitespace under the editor; a dir set on the textarea turns the editor around."""
    page = writing_page(browser, live_server)
    assert page.get_attribute(".prose-editor .tiptap", "dir") == "auto"
    page.locator(".prose-editor .tiptap").click()
    page.keyboard.type("مذاکرات آب در بصره از سر گرفته شد")
    page.wait_for_function("document.querySelector('.body-editor-stats').textContent.startsWith('8 words')")
    assert page.text_content(".body-editor-stats") == "8 words · 1 min read"
    page.evaluate("document.querySelector('#id_body').setAttribute('dir', 'rtl')")
    page.wait_for_function("document.querySelector('.prose-editor .tiptap').getAttribute('dir') === 'rtl'")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_embed_button_inserts_an_embed_by_url(live_server, browser):
    """The Embed button asks for an address, the desk resolves it, and the body gets the embed element."""
    page = writing_page(browser, live_server)
    page.locator(".prose-editor .tiptap").click()
    page.click(".prose-menubar button[data-name=embed]")
    page.fill(".prose-editor-dialog input[name=url]", "https://youtu.be/dQw4w9WgXcQ")
    page.click(".prose-editor-dialog button[type=submit]")
    page.wait_for_selector(".prose-editor .tiptap .body-embed")
    assert 'data-src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"' in body_of(page)
    page.click(".prose-menubar button[data-name=embed]")
    page.fill(".prose-editor-dialog input[name=url]", "https://example.com/video/1")
    page.click(".prose-editor-dialog button[type=submit]")
    page.wait_for_selector(".body-editor-message.error")
    assert "example.com" in page.text_content(".body-editor-message")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_image_button_uploads_and_asks_for_alt_text(live_server, browser, settings, tmp_path):
    """An image chosen with the Image button is uploaded; its alt text, caption and credit go into the figure."""
    settings.MEDIA_ROOT = tmp_path
    buffer = io.BytesIO()
    PILImage.new("RGB", (700, 400), (20, 20, 220)).save(buffer, "JPEG")
    picture = tmp_path / "harbour.jpg"
    picture.write_bytes(buffer.getvalue())
    page = writing_page(browser, live_server)
    page.locator(".prose-editor .tiptap").click()
    with page.expect_file_chooser() as chooser:
        page.click(".prose-menubar button[data-name=image]")
    chooser.value.set_files(str(picture))
    page.wait_for_selector(".prose-editor-dialog input[name=alt]")
    assert page.locator(".body-image.missing-alt").count() == 1
    page.fill(".prose-editor-dialog input[name=alt]", "The harbour at dawn")
    page.fill(".prose-editor-dialog input[name=caption]", "Basra's harbour")
    page.fill(".prose-editor-dialog input[name=credit]", "AP")
    page.click(".prose-editor-dialog button[type=submit]")
    page.wait_for_function("document.querySelector('#id_body').value.includes('The harbour at dawn')")
    body = clean_html(body_of(page))
    assert '<figure data-image="' in body and 'alt="The harbour at dawn"' in body and " 320w" in body
    assert '<figcaption>Basra\'s harbour <span class="credit">AP</span></figcaption>' in body.replace("&#39;", "'")
    assert page.locator(".body-image.missing-alt").count() == 0


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_reader_embed_contacts_the_provider_only_after_the_click(live_server, page):
    """The story page sends no request to YouTube until the reader clicks; then the player loads, CSP allowing."""
    story = make_story("Talks resume", body=f"<p>Watch:</p>{resolve('https://youtu.be/dQw4w9WgXcQ').to_html()}")
    third_party = []
    page.on("request", lambda request: "youtube" in request.url and third_party.append(request.url))
    page.route("https://www.youtube-nocookie.com/**", lambda route: route.fulfill(body="<p>player</p>"))
    page.goto(f"{live_server.url}{story.get_absolute_url()}")
    page.wait_for_selector(".embed-load:not([hidden])")
    assert third_party == [] and page.locator("iframe").count() == 0
    page.click(".embed-load")
    page.wait_for_selector("iframe.embed-frame")
    page.wait_for_timeout(300)
    assert third_party == ["https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"]
    assert page.console_errors == []


def test_widget_takes_the_story_language_and_names_its_endpoints():
    """A Persian story's editor is right to left; the config tells the script where to upload and resolve."""
    from dateline.newsroom.forms import BodyEditorWidget

    html = BodyEditorWidget(language="fa").render("body", "<p>سلام</p>")
    assert 'dir="rtl"' in html and 'lang="fa"' in html
    assert "/newsroom/images/upload" in html and "/newsroom/embeds/resolve" in html


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_pull_quote_button_wraps_the_paragraph(live_server, browser):
    """The toolbar's Pull quote button turns the paragraph into <blockquote class="pullquote">."""
    page = writing_page(browser, live_server)
    page.locator(".prose-editor .tiptap").click()
    page.keyboard.type("We are closer than ever.")
    page.click(".prose-menubar button[data-name=pullquote]")
    page.wait_for_function("document.querySelector('#id_body').value.includes('pullquote')")
    assert body_of(page) == '<blockquote class="pullquote"><p>We are closer than ever.</p></blockquote>'
    assert page.console_errors == []


PASTE_FILE = """async () => {
  const canvas = document.createElement("canvas");
  canvas.width = 500; canvas.height = 300;
  canvas.getContext("2d").fillRect(0, 0, 500, 300);
  const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/png"));
  const data = new DataTransfer();
  data.items.add(new File([blob], "pasted.png", {type: "image/png"}));
  const editor = document.querySelector(".prose-editor .tiptap");
  editor.focus();
  editor.dispatchEvent(new ClipboardEvent("paste", {clipboardData: data, bubbles: true, cancelable: true}));
}"""


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_pasted_image_file_is_uploaded_into_the_body(live_server, browser, settings, tmp_path):
    """Pasting a picture uploads it and puts its figure in the body, asking for its alt text."""
    settings.MEDIA_ROOT = tmp_path
    page = writing_page(browser, live_server)
    page.evaluate(PASTE_FILE)
    page.wait_for_selector(".prose-editor-dialog input[name=alt]")
    page.fill(".prose-editor-dialog input[name=alt]", "A black square")
    page.click(".prose-editor-dialog button[type=submit]")
    page.wait_for_function("document.querySelector('#id_body').value.includes('A black square')")
    from dateline.images.models import Image

    image = Image.objects.get()
    assert f'<figure data-image="{image.pk}"><img src="{image.src_url()}"' in body_of(page)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_older_iframe_and_stored_embeds_survive_an_edit(live_server, browser):
    """A story's stored embed, image and an older body's player iframe come back unchanged from the editor."""
    body = (
        '<p>Text</p><iframe src="https://player.vimeo.com/video/1" title="Clip"></iframe>'
        f"{resolve('https://mastodon.social/@dateline/1').to_html()}"
        '<figure data-image="4"><img src="/media/a.jpg" alt="A"><figcaption>Cap <span class="credit">AP</span>'
        "</figcaption></figure>"
    )
    page = writing_page(browser, live_server)
    from django.contrib.auth.models import User

    story = make_story("Old", published=False, body=body, created_by=User.objects.get(username="rana"))
    page.goto(f"{live_server.url}/admin/articles/story/{story.pk}/change/")
    page.wait_for_selector(".prose-editor .tiptap .body-embed")
    page.locator(".prose-editor .tiptap p").click()
    page.keyboard.type(" more")
    page.wait_for_function("document.querySelector('#id_body').value.includes('more')")
    assert clean_html(body_of(page)) == clean_html(body.replace("Text", "Text more"))


DROP_FILE = PASTE_FILE.replace(
    'editor.dispatchEvent(new ClipboardEvent("paste", {clipboardData: data, bubbles: true, cancelable: true}));',
    "const box = editor.getBoundingClientRect();\n"
    '  editor.dispatchEvent(new DragEvent("drop", {dataTransfer: data, bubbles: true, cancelable: true,\n'
    "    clientX: box.left + 10, clientY: box.top + 10}));",
)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_dropped_image_file_is_uploaded_into_the_body(live_server, browser, settings, tmp_path):
    """Dropping a picture on the editor uploads it and puts its figure in the body."""
    settings.MEDIA_ROOT = tmp_path
    page = writing_page(browser, live_server)
    page.evaluate(DROP_FILE)
    page.wait_for_selector(".prose-editor-dialog input[name=alt]")
    page.fill(".prose-editor-dialog input[name=alt]", "A dropped square")
    page.click(".prose-editor-dialog button[type=submit]")
    page.wait_for_function("document.querySelector('#id_body').value.includes('A dropped square')")
    assert "<figure data-image=" in body_of(page)
