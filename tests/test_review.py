"""Review in the desk: the diff since the last review, notes on passages (never public), and the editor's decision."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dateline.accounts.models import Author
from dateline.articles.models import Story
from dateline.articles.workflow import save_story, submit_for_review
from dateline.newsroom import textdiff
from dateline.newsroom.models import Note, Notice, Review
from dateline.newsroom.preview import preview_url

from . import test_html_validity, test_newsroom_admin
from .factories import make_member, make_section

pytestmark = pytest.mark.django_db
vnu, roles = test_html_validity.vnu, test_newsroom_admin.roles  # fixtures of those modules
check, readable = test_html_validity.check, test_html_validity.readable
SECRET = "Check the minister's quote with the tape"


@pytest.fixture
def reporter():
    return make_member("Reporter", email="reporter@news.example")


@pytest.fixture
def editor():
    return make_member("Editor", email="editor@news.example")


def write(user, headline="Talks open in Vienna", body="<p>Delegates met on Monday.</p><p>They will meet again.</p>"):
    """A story written in the newsroom by `user` and submitted for review."""
    story = Story(headline=headline, summary="Diplomats gather.", body=body)
    save_story(story, user)
    submit_for_review(story, user)
    return story


def edit(story, user, **fields):
    for name, value in fields.items():
        setattr(story, name, value)
    save_story(story, user, based_on=story.version)
    return story


def review_url(story):
    return reverse("newsroom:review", args=[story.news_id])


def decide(client, story, decision, **data):
    return client.post(review_url(story), {"decision": decision, "based_on": story.version, **data})


def note(client, story, passage, text):
    return client.post(reverse("newsroom:add-note", args=[story.news_id]), {"passage": passage, "text": text})


# The diff


def test_new_story_shows_everything_is_new(client, reporter, editor):
    """A story never reviewed, with a single version, is shown as new."""
    story = write(reporter, body="<p>Delegates met.</p>")
    Story.objects.filter(pk=story.pk).update(version=1)  # one revision only: as an import leaves it
    story.revisions.exclude(version=1).delete()
    client.force_login(editor)
    response = client.get(review_url(story))
    assert response.status_code == 200
    assert "New story: everything is new." in response.content.decode()


def test_diff_since_last_review_shows_only_later_changes(client, reporter, editor):
    """After an approval, the page marks only the words changed since the approved version."""
    story = write(reporter)
    edit(story, reporter, body="<p>Delegates met on Tuesday.</p><p>They will meet again.</p>")
    Review.objects.create(story=story, version=story.version, decision=Review.Decision.APPROVED, reviewer=editor)
    edit(story, reporter, headline="Talks stall in Vienna", body="<p>Delegates met on Tuesday.</p><p>They left.</p>")
    client.force_login(editor)

    content = client.get(review_url(story)).content.decode()

    diff = content[content.index('id="changes-title"') : content.index('id="notes-title"')]
    assert '<del><span class="visually-hidden">deleted: </span>open</del>' in diff
    assert '<ins><span class="visually-hidden">inserted: </span>stall</ins>' in diff
    assert "Paragraph 2" in diff and "<ins><span" in diff and "left.</ins>" in diff
    assert "Monday" not in diff  # changed before the approved version
    assert "Paragraph 1" not in diff


def test_diff_escapes_the_text(client, reporter, editor):
    """Markup typed as text in a headline reaches the diff escaped."""
    story = write(reporter)
    Review.objects.create(story=story, version=story.version, decision=Review.Decision.APPROVED, reviewer=editor)
    edit(story, reporter, headline="Talks <script>alert(1)</script> stall")
    client.force_login(editor)
    content = client.get(review_url(story)).content.decode()
    assert "<script>alert" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content


def test_nothing_changed_since_review(client, reporter, editor):
    """A story unchanged since its last review says so."""
    story = write(reporter)
    Review.objects.create(story=story, version=story.version, decision=Review.Decision.APPROVED, reviewer=editor)
    client.force_login(editor)
    assert "Nothing changed since the last review." in client.get(review_url(story)).content.decode()


# Notes


def test_note_is_anchored_to_its_passage_and_listed(client, reporter, editor):
    """A note on a passage marks its words in the story text and is listed, linked to them."""
    story = write(reporter)
    client.force_login(editor)

    response = note(client, story, "met on Monday", "Which Monday?")

    created = Note.objects.get(story=story)
    assert response.status_code == 302 and response.url.endswith(f"#note-{created.pk}")
    assert (created.author, created.version) == (editor, story.version)
    content = client.get(review_url(story)).content.decode()
    assert f'Delegates <mark id="passage-{created.pk}">met on Monday</mark><a class="note-ref" href="#note-' in content
    assert f'<li id="note-{created.pk}">' in content and f'<a href="#passage-{created.pk}">met on Monday</a>' in content
    assert "Which Monday?" in content


def test_reporter_answers_with_a_note_and_resolves_it(client, reporter):
    """The writer may add notes to their own story and resolve their own."""
    story = write(reporter)
    client.force_login(reporter)
    note(client, story, "", "Confirmed with the embassy.")
    answer = Note.objects.get(story=story)
    client.post(reverse("newsroom:resolve-note", args=[story.news_id, answer.pk]))
    answer.refresh_from_db()
    assert answer.resolved_at is not None


def test_reporter_cannot_resolve_an_editors_note(client, reporter, editor):
    """Only a note's author or an editor resolves it."""
    story = write(reporter)
    remark = Note.objects.create(story=story, text=SECRET, author=editor)
    client.force_login(reporter)
    response = client.post(reverse("newsroom:resolve-note", args=[story.news_id, remark.pk]))
    remark.refresh_from_db()
    assert response.status_code == 403 and remark.resolved_at is None


def public_outputs(client, story, tmp_path):
    """Everything the public (or a partner) may receive about a story, as text."""
    client.logout()
    pages = [
        story.get_absolute_url(),
        "/rss.xml",
        "/atom.xml",
        "/feed.json",
        "/sitemap.xml",
        "/news-sitemap.xml",
        f"/api/v1/stories/{story.news_id}",
        f"/api/v1/stories/{story.news_id}/ninjs",
    ]
    texts = []
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        texts.append(response.content.decode())
    for part in ("news", "stories", "sections"):
        response = client.get(f"/sitemap-{part}.xml")
        texts.append(response.content.decode() if response.status_code == 200 else "")
    exported = tmp_path / "site.jsonl"
    call_command("export", str(exported), "--revisions", stderr=StringIO())
    texts.append(exported.read_text())
    return texts


def test_notes_appear_nowhere_public(client, reporter, editor, settings, tmp_path):
    """A note's text and passage are in no story page, feed, sitemap, API answer, ninjs or export."""
    settings.SITE_URL = "https://news.example"
    story = write(reporter, body="<p>Delegates met on Monday.</p>")
    client.force_login(editor)
    note(client, story, "met on Monday", SECRET)
    decide(client, story, "publish")
    story.refresh_from_db()
    assert story.is_live

    texts = public_outputs(client, story, tmp_path)

    assert "Delegates met on Monday" in texts[0]
    assert not [text for text in texts if SECRET in text]


def test_notes_are_not_in_the_preview(client, reporter):
    """A preview link shows the draft without its notes."""
    story = write(reporter)
    Note.objects.create(story=story, passage="Delegates", text=SECRET, author=reporter)
    client.logout()
    content = client.get(preview_url(story)).content.decode()
    assert "Delegates met on Monday." in content and SECRET not in content


# Decisions


def test_send_back_makes_a_draft_and_tells_the_writer(client, reporter, editor, django_capture_on_commit_callbacks):
    """Sending back returns the story to draft, records the review and leaves the writer a notice with the message."""
    story = write(reporter)
    client.force_login(editor)

    with django_capture_on_commit_callbacks(execute=True):
        response = decide(client, story, "send-back", message="Needs a second source.")

    assert response.status_code == 302
    story.refresh_from_db()
    assert story.status == Story.Status.DRAFT
    assert story.reviews.get().decision == Review.Decision.SENT_BACK
    notice = Notice.objects.get(user=reporter)
    assert "sent “Talks open in Vienna” back to you. Needs a second source." in notice.text
    assert notice.url == reverse("newsroom:write", args=[story.news_id])
    assert not Notice.objects.filter(user=editor).exists()
    assert mail.outbox == []  # no mail server configured


def test_send_back_emails_the_writer_when_email_is_configured(
    client, reporter, editor, settings, django_capture_on_commit_callbacks
):
    """With a mail server configured, the notice also goes by e-mail, with a link to the story."""
    settings.EMAIL_HOST, settings.SITE_URL = "mail.news.example", "https://news.example"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    story = write(reporter)
    client.force_login(editor)

    with django_capture_on_commit_callbacks(execute=True):
        decide(client, story, "send-back", message="Needs a second source.")

    assert [message.to for message in mail.outbox] == [["reporter@news.example"]]
    assert "Needs a second source." in mail.outbox[0].body
    assert f"https://news.example/newsroom/stories/{story.news_id}/" in mail.outbox[0].body


def test_bylined_writers_are_told_too(client, reporter, editor):
    """A user with a byline on the story gets the notice as well as its creator."""
    story = write(reporter)
    colleague = make_member("Reporter", "colleague")
    story.authors.add(Author.objects.for_user(colleague))
    client.force_login(editor)
    decide(client, story, "approve")
    assert sorted(Notice.objects.values_list("user__username", flat=True)) == ["colleague", "reporter"]


def test_approve_and_schedule_publishes_in_the_future(client, reporter, editor):
    """Approve and schedule: the story is published at the chosen time, not before; the writer is told when."""
    story = write(reporter)
    at = timezone.localtime() + timedelta(days=1)
    client.force_login(editor)

    response = decide(client, story, "schedule", at=at.strftime("%Y-%m-%dT%H:%M"))

    assert response.status_code == 302
    story.refresh_from_db()
    assert story.status == Story.Status.PUBLISHED and story.published_at > timezone.now()
    assert not Story.objects.published().filter(pk=story.pk).exists()
    assert story.reviews.get().decision == Review.Decision.APPROVED
    assert "it is scheduled for" in Notice.objects.get(user=reporter).text


def test_schedule_in_the_past_is_refused(client, reporter, editor):
    """A schedule time that has passed is refused, and the message typed is kept."""
    story = write(reporter)
    client.force_login(editor)
    past = (timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    response = decide(client, story, "schedule", at=past, message="Lovely piece.")
    assert response.status_code == 400
    assert "Choose a time in the future." in response.content.decode()
    assert "Lovely piece." in response.content.decode()
    assert not Review.objects.exists()


def test_approve_and_publish_now(client, reporter, editor):
    """Approve and publish now makes the story public and tells the writer."""
    story = write(reporter)
    client.force_login(editor)
    decide(client, story, "publish")
    assert Story.objects.published().filter(pk=story.pk).exists()
    assert "approved and published" in Notice.objects.get(user=reporter).text


def test_a_story_not_ready_is_not_published_and_the_message_is_kept(client, reporter, editor, settings, tmp_path):
    """A lead image without alternative text stops "publish now": the reason shown, the message kept, nothing done."""
    settings.MEDIA_ROOT = tmp_path
    story = write(reporter)
    edit(story, reporter, lead_image=test_html_validity.picture(tmp_path, "photo.png", alt_text=""))
    client.force_login(editor)

    response = decide(client, story, "publish", message="Great scoop.")

    content = response.content.decode()
    assert response.status_code == 400
    assert "The lead image needs alternative text" in content and "Great scoop." in content
    story.refresh_from_db()
    assert story.status == Story.Status.REVIEW
    assert not Review.objects.exists() and not Notice.objects.exists() and not Note.objects.exists()


def test_a_public_story_is_not_sent_back(client, reporter, editor):
    """Sending back would unpublish a story readers see: it is refused."""
    story = write(reporter)
    client.force_login(editor)
    decide(client, story, "publish")
    story.refresh_from_db()
    response = decide(client, story, "send-back")
    assert response.status_code == 400
    assert "This story is public" in response.content.decode()
    assert Story.objects.published().filter(pk=story.pk).exists()


def test_a_decision_on_a_stale_view_is_refused(client, reporter, editor):
    """When the story was saved since the page was shown, the decision is refused with a clear message."""
    story = write(reporter)
    shown = story.version
    edit(story, reporter, headline="Talks stall in Vienna")
    client.force_login(editor)

    for decision in ("approve", "send-back", "publish"):
        response = client.post(review_url(story), {"decision": decision, "based_on": shown})
        assert response.status_code == 409
        assert "Someone saved this story since you opened it" in response.content.decode()
    story.refresh_from_db()
    assert story.status == Story.Status.REVIEW
    assert not Review.objects.exists() and not Notice.objects.exists()


def test_reporter_cannot_decide(client, reporter):
    """A reporter may open the review of their own story but not decide on it."""
    story = write(reporter)
    client.force_login(reporter)
    assert client.get(review_url(story)).status_code == 200
    assert 'name="decision"' not in client.get(review_url(story)).content.decode()
    assert decide(client, story, "approve").status_code == 403
    assert not Review.objects.exists()


def test_reporter_cannot_open_the_review_of_others_stories(client, reporter):
    """Another reporter's story is closed to a reporter: its review and its notes."""
    story = write(make_member("Reporter", "other"))
    client.force_login(reporter)
    assert client.get(review_url(story)).status_code == 403
    assert note(client, story, "", "Hello").status_code == 403


def test_review_page_queries_do_not_grow_with_notes(client, reporter, editor):
    """The page reads a fixed number of rows, however many notes the story has."""
    story = write(reporter)
    client.force_login(editor)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(review_url(story)).status_code == 200
        return len(captured)

    Note.objects.create(story=story, passage="Delegates", text="One", author=editor)
    few = queries()
    Note.objects.bulk_create(Note(story=story, passage="again", text=f"N{n}", author=reporter) for n in range(10))
    assert queries() == few <= 12


def test_review_page_is_valid_html(client, reporter, editor, vnu, tmp_path):
    """The review page, with a diff, marks, notes and the decision form, passes the Nu Html Checker."""
    story = write(reporter)
    Review.objects.create(story=story, version=story.version, decision=Review.Decision.APPROVED, reviewer=editor)
    edit(story, reporter, headline="Talks stall in Vienna", section=make_section("World"))
    Note.objects.create(story=story, passage="met on Monday", text="Which Monday?", author=editor)
    Note.objects.create(story=story, text="Resolved already.", author=editor, resolved_at=timezone.now())
    client.force_login(editor)
    (tmp_path / "review.html").write_bytes(client.get(review_url(story)).content)
    errors = check(vnu, tmp_path)
    assert errors == {}, readable(errors)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_note_on_selection_fills_the_passage_under_the_csp(live_server, page, client, roles):
    """In Chromium, words selected in the story become the note's passage, and the note marks them; no CSP error."""
    from playwright.sync_api import expect

    story = write(make_member("Reporter"))
    client.force_login(make_member("Editor"))
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page.goto(f"{live_server.url}{review_url(story)}")
    page.evaluate(
        """() => {
            const text = [...document.querySelectorAll("#review-text p")].find(p => p.textContent.includes("Monday"));
            const node = text.firstChild, start = node.data.indexOf("met on Monday");
            const range = document.createRange();
            range.setStart(node, start);
            range.setEnd(node, start + "met on Monday".length);
            getSelection().removeAllRanges();
            getSelection().addRange(range);
        }"""
    )
    page.click("#note-on-selection")
    expect(page.locator("#id_passage")).to_have_value("met on Monday")
    page.fill("#id_text", "Which Monday?")
    page.get_by_role("button", name="Add note").click()

    expect(page.locator("#review-text mark")).to_have_text("met on Monday")
    assert page.console_errors == []


def test_body_blocks_are_compared_by_their_text():
    """Headings and list items count as paragraphs; markup is never compared, only the words, escaped."""
    old = "<h2>Background</h2><ul><li>One &amp; two</li></ul>"
    new = "<h2>Background</h2><ul><li>One &amp; <em>three</em></li></ul><p>New.</p>"
    changes = textdiff.body_changes(old, new)
    assert [(change.number, change.kind) for change in changes] == [(2, "changed"), (3, "inserted")]
    assert "One &amp; " in changes[0].html and "three</ins>" in changes[0].html and "<em>" not in changes[0].html
