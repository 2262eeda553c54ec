"""Preview links: signed, expiring, for readers without an account; and the staff page that hands them out."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from dateline.articles.models import Story
from dateline.articles.workflow import save_story
from dateline.newsroom.preview import preview_url

from .factories import make_member, make_story

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft():
    return make_story("Budget leaks before the vote", published=False, body="<p>The draft budget text.</p>")


def tampered(url):
    """The same link with one character of its payload changed."""
    prefix = reverse("newsroom:preview", args=["x"])[:-1]
    token = url[len(prefix) :]
    return prefix + ("A" if token[0] != "A" else "B") + token[1:]


def test_link_shows_a_draft_to_a_reader_without_an_account(client, draft):
    """An anonymous visitor with the link reads the unpublished story."""
    response = client.get(preview_url(draft))
    assert response.status_code == 200
    assert b"Budget leaks before the vote" in response.content
    assert b"The draft budget text." in response.content


def test_draft_is_not_public_without_the_link(client, draft):
    """The story's own address stays a 404 while it is a draft."""
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_preview_shows_a_banner_and_asks_not_to_be_indexed(client, draft):
    """The preview says it is not published and carries noindex, in the page and in a header."""
    response = client.get(preview_url(draft))
    assert "Preview — not published" in response.content.decode()
    assert b'<meta name="robots" content="noindex">' in response.content
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_preview_offers_no_comment_form(client, draft):
    """Comments cannot be posted on an unpublished story, so the preview shows no comment section."""
    response = client.get(preview_url(draft))
    assert b'id="comments"' not in response.content


def test_preview_is_not_cached_and_sends_no_referrer(client, draft):
    """The page is never cached, and links in the draft do not carry the token to other sites."""
    response = client.get(preview_url(draft))
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "no-referrer"


def test_link_shows_the_latest_saved_text(client, draft):
    """A link made before an edit shows the edited story."""
    url = preview_url(draft)
    draft.headline = "Budget vote delayed"
    save_story(draft, make_member("Editor"))
    assert b"Budget vote delayed" in client.get(url).content


def test_tampered_link_is_404(client, draft):
    """A link whose token was changed finds nothing."""
    assert client.get(tampered(preview_url(draft))).status_code == 404


def test_made_up_link_is_404(client):
    """A token that was never signed finds nothing."""
    assert client.get(reverse("newsroom:preview", args=["not-a-token"])).status_code == 404


def test_expired_link_is_refused(client, draft):
    """After its lifetime the link answers 410 Gone with a message, and the story is not shown."""
    url = preview_url(draft, expires_in=timedelta(days=2))
    with time_machine.travel(timezone.now() + timedelta(days=2, minutes=1)):
        response = client.get(url)
    assert response.status_code == 410
    assert b"This preview link has expired" in response.content
    assert b"Budget leaks" not in response.content


def test_link_works_until_it_expires(client, draft):
    """Just before its expiry the link still works."""
    url = preview_url(draft, expires_in=timedelta(days=2))
    with time_machine.travel(timezone.now() + timedelta(days=2) - timedelta(minutes=1)):
        assert client.get(url).status_code == 200


def test_default_lifetime_comes_from_the_setting(client, draft, settings):
    """PREVIEW_LINK_DAYS sets how long a link lives when no lifetime is given."""
    settings.PREVIEW_LINK_DAYS = 1
    url = preview_url(draft)
    with time_machine.travel(timezone.now() + timedelta(days=1, minutes=1)):
        assert client.get(url).status_code == 410


def test_link_to_a_deleted_story_is_404(client, draft):
    """Deleting the story ends its previews."""
    url = preview_url(draft)
    draft.delete()
    assert client.get(url).status_code == 404


def test_link_to_a_story_now_published_leads_to_it(client, draft):
    """Once the story is public, the preview link sends the reader to the story itself."""
    url = preview_url(draft)
    Story.objects.filter(pk=draft.pk).update(status=Story.Status.PUBLISHED, published_at=timezone.now())
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == draft.get_absolute_url()


def test_scheduled_story_can_be_previewed(client):
    """A story scheduled for later is previewed like a draft."""
    story = make_story("Embargoed results", ago=-timedelta(hours=3))
    response = client.get(preview_url(story))
    assert response.status_code == 200
    assert b"Embargoed results" in response.content


def test_staff_page_gives_the_absolute_link(client, draft, settings):
    """An editor gets the full address to copy, which opens the preview."""
    settings.SITE_URL = "https://news.example.org"
    client.force_login(make_member("Editor"))
    response = client.get(reverse("newsroom:preview-link", args=[draft.news_id]))
    assert response.status_code == 200
    link = response.context["link"]
    assert link.startswith("https://news.example.org/newsroom/preview/")
    assert f'value="{link}"'.encode() in response.content
    client.logout()
    assert client.get(link.removeprefix(settings.SITE_URL)).status_code == 200


def test_staff_who_may_not_edit_get_no_link(client, draft):
    """A reporter who did not write the story gets 403, not a link."""
    client.force_login(make_member("Reporter"))
    assert client.get(reverse("newsroom:preview-link", args=[draft.news_id])).status_code == 403


def test_link_page_needs_a_staff_login(client, draft):
    """Visitors are sent to the admin login."""
    response = client.get(reverse("newsroom:preview-link", args=[draft.news_id]))
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
