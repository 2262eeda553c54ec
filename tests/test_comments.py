import re
from datetime import timedelta

import pytest
from captcha.models import CaptchaStore
from django.test import Client
from django.utils import timezone
from django.utils.html import escape

from dateline.comments.forms import issue_stamp
from dateline.comments.models import Comment

from .factories import make_comment, make_story

pytestmark = pytest.mark.django_db
HOSTILE = [
    "<script>alert('x')</script>",
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)">click</a>',
    "<svg/onload=alert(1)>",
    "&lt;script&gt;already escaped&lt;/script&gt;",
]


@pytest.fixture
def story():
    return make_story("Talks resume in Geneva")


def captcha_fields(client, story):
    """Open the story page and solve its security key, as a reader would."""
    html = client.get(story.get_absolute_url()).content.decode()
    key = re.search(r'name="captcha_0" value="([0-9a-f]+)"', html)[1]
    issued = re.search(r'name="issued" value="([^"]+)"', html)[1]
    answer = CaptchaStore.objects.get(hashkey=key).response
    return {"captcha_0": key, "captcha_1": answer, "issued": issued}


def post(client, story, **fields):
    data = {"name": "Dana", "email": "dana@example.org", "body": "Well reported.", **fields}
    return client.post(f"/comments/{story.news_id}", data)


def test_right_key_stores_pending_comment_and_says_so(client, story):
    """A solved key stores the comment as pending and tells the reader it awaits moderation."""
    response = post(client, story, **captcha_fields(client, story))
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert (comment.name, comment.email, comment.body, comment.status) == (
        "Dana", "dana@example.org", "Well reported.", Comment.Status.PENDING,
    )  # fmt: skip
    page = client.get(response["Location"])
    assert b"Thank you. Your comment is awaiting moderation." in page.content


def test_wrong_key_keeps_everything_the_reader_typed(client, story):
    """A wrong security key re-shows the form with an error and the reader's text."""
    fields = {**captcha_fields(client, story), "captcha_1": "wrong"}
    response = post(client, story, body="My long, careful comment.\nSecond line.", **fields)
    assert response.status_code == 400
    html = response.content.decode()
    assert "The security key was wrong or has expired" in html
    assert 'value="Dana"' in html
    assert 'value="dana@example.org"' in html
    assert "My long, careful comment.\nSecond line.</textarea>" in html
    assert Comment.objects.count() == 0


def test_expired_key_is_refused_with_text_kept(client, story):
    """A key older than CAPTCHA_TIMEOUT is refused like a wrong one, and the text stays."""
    fields = captcha_fields(client, story)
    CaptchaStore.objects.filter(hashkey=fields["captcha_0"]).update(expiration=timezone.now() - timedelta(seconds=1))
    response = post(client, story, body="Written slowly.", **fields)
    assert response.status_code == 400
    assert b"The security key was wrong or has expired" in response.content
    assert b"Written slowly.</textarea>" in response.content
    assert Comment.objects.count() == 0


def test_wrong_key_page_offers_a_fresh_key(client, story):
    """After a wrong answer the form carries a new security key, not the spent one."""
    fields = {**captcha_fields(client, story), "captcha_1": "wrong"}
    html = post(client, story, **fields).content.decode()
    new_key = re.search(r'name="captcha_0" value="([0-9a-f]+)"', html)[1]
    assert new_key != fields["captcha_0"]
    assert CaptchaStore.objects.filter(hashkey=new_key).exists()


def test_key_works_only_once(client, story):
    """Replaying a solved key is refused and stores nothing more."""
    fields = captcha_fields(client, story)
    assert post(client, story, **fields).status_code == 302
    replay = post(client, story, body="Second try", **fields)
    assert replay.status_code == 400
    assert Comment.objects.count() == 1


def test_missing_key_is_refused(client, story):
    """Leaving out the captcha entirely is refused."""
    fields = captcha_fields(client, story)
    del fields["captcha_0"], fields["captcha_1"]
    assert post(client, story, **fields).status_code == 400
    assert Comment.objects.count() == 0


def test_csrf_token_is_required(story):
    """A post without the CSRF token is refused (403)."""
    client = Client(enforce_csrf_checks=True)
    response = post(client, story, **captcha_fields(client, story))
    assert response.status_code == 403
    assert Comment.objects.count() == 0


def test_honeypot_filled_is_refused_with_text_kept(client, story):
    """A robot that fills the hidden field is refused; the text is still on the form."""
    response = post(client, story, leave_blank="http://spam.example", **captcha_fields(client, story))
    assert response.status_code == 400
    assert b"Well reported.</textarea>" in response.content
    assert Comment.objects.count() == 0


def test_posting_too_fast_is_refused(client, story, settings):
    """A reply sent sooner than the minimum after the form was shown is refused, text kept."""
    settings.COMMENTS_MIN_SECONDS = 60
    response = post(client, story, **captcha_fields(client, story))
    assert response.status_code == 400
    assert b"That was quick!" in response.content
    assert Comment.objects.count() == 0


def test_tampered_form_stamp_is_refused(client, story):
    """A forged `issued` value does not pass the signature check."""
    fields = {**captcha_fields(client, story), "issued": issue_stamp()[:-3] + "abc"}
    assert post(client, story, **fields).status_code == 400


def test_comment_over_5000_characters_is_refused_with_clear_message(client, story):
    """A 1 MB body is refused with the limit in the message; nothing is stored."""
    response = post(client, story, body="x" * 1_000_000, **captcha_fields(client, story))
    assert response.status_code == 400
    assert b"at most 5000 characters" in response.content
    assert Comment.objects.count() == 0


def test_name_over_80_characters_is_refused(client, story):
    """Names are limited to 80 characters."""
    response = post(client, story, name="n" * 81, **captcha_fields(client, story))
    assert response.status_code == 400
    assert b"at most 80 characters" in response.content


@pytest.mark.parametrize("payload", HOSTILE)
def test_hostile_comment_is_stored_as_text_and_rendered_inert(client, story, payload):
    """Markup in a comment is kept as typed and shown escaped, never as HTML."""
    post(client, story, name=payload[:80], body=payload, **captcha_fields(client, story))
    comment = Comment.objects.get()
    assert comment.body == payload
    Comment.objects.update(status=Comment.Status.APPROVED)
    html = client.get(story.get_absolute_url()).content.decode()
    assert payload not in html
    assert escape(payload) in html


def test_control_characters_are_removed_and_line_breaks_kept(client, story):
    """Control characters are dropped; line breaks show as <br>."""
    post(client, story, name="Da\x1bna\x7f", body="First\x07 line\r\nSecond line", **captcha_fields(client, story))
    comment = Comment.objects.get()
    assert (comment.name, comment.body) == ("Dana", "First line\nSecond line")
    Comment.objects.update(status=Comment.Status.APPROVED)
    assert b"First line<br>Second line" in client.get(story.get_absolute_url()).content


def test_nul_character_is_removed(client, story):
    """A NUL byte (which PostgreSQL cannot store) is dropped from the text, not stored."""
    post(client, story, body="Hello\x00 world", **captcha_fields(client, story))
    assert Comment.objects.get().body == "Hello world"


def test_blank_comment_is_refused(client, story):
    """A comment of only spaces and control characters is refused as empty."""
    response = post(client, story, body=" \x00\x07 \n ", **captcha_fields(client, story))
    assert response.status_code == 400
    assert b"This field is required." in response.content


def test_pending_rejected_and_spam_comments_are_not_shown(client, story):
    """Only approved comments appear under the story."""
    make_comment(story, "Approved words", status=Comment.Status.APPROVED)
    for status in [Comment.Status.PENDING, Comment.Status.REJECTED, Comment.Status.SPAM]:
        make_comment(story, f"Hidden {status} words", status=status)
    html = client.get(story.get_absolute_url()).content.decode()
    assert "Approved words" in html
    assert "Hidden" not in html


def test_email_is_never_shown(client, story):
    """A commenter's e-mail address stays private."""
    make_comment(story, email="private@example.org")
    assert b"private@example.org" not in client.get(story.get_absolute_url()).content


def test_comments_on_unpublished_story_are_refused(client):
    """No comment can be posted on a story the public cannot see."""
    draft = make_story("Draft", published=False)
    assert client.post(f"/comments/{draft.news_id}", {"name": "x", "body": "y"}).status_code == 404


def test_refresh_link_without_javascript_leads_back_to_the_form(client, story):
    """Following `refresh` from the error page (a GET) returns to the story's form with a new key."""
    response = client.get(f"/comments/{story.news_id}")
    assert response.status_code == 302
    assert response["Location"] == story.get_absolute_url() + "#comment-form"


def test_captcha_refresh_gives_a_new_key_and_image(client):
    """The refresh endpoint used by the link answers with a new key and its image URL."""
    response = client.get("/captcha/refresh/", headers={"X-Requested-With": "XMLHttpRequest"})
    data = response.json()
    assert CaptchaStore.objects.filter(hashkey=data["key"]).exists()
    assert data["image_url"] == f"/captcha/image/{data['key']}/"
    assert client.get(data["image_url"])["Content-Type"] == "image/png"


def test_without_moderation_comments_appear_at_once(client, story, settings):
    """With COMMENTS_MODERATION off, a comment is approved and shown immediately."""
    settings.COMMENTS_MODERATION = False
    response = post(client, story, body="Straight to the page", **captcha_fields(client, story))
    page = client.get(response["Location"])
    assert b"Thank you. Your comment is published." in page.content
    assert b"Straight to the page" in page.content
