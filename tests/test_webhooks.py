"""Webhooks: signed (Standard Webhooks) events to registered endpoints, retried, logged, never to private addresses."""

import io
import json
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from standardwebhooks import Webhook

from dateline.articles.models import Correction, Story
from dateline.articles.workflow import publish, save_story, unpublish
from dateline.comments.models import Comment
from dateline.comments.moderation import moderate
from dateline.ops import outbound
from dateline.webhooks.models import Delivery, Endpoint
from dateline.webhooks.tasks import RETRY_DELAYS

from .factories import make_comment, make_member, make_story, run_due_jobs
from .processes import Recorder, recording

pytestmark = pytest.mark.django_db


class Receiver(Recorder):
    """A real HTTP receiver on loopback (answering 204 unless told otherwise)."""

    def __init__(self):
        super().__init__(status=204)

    @property
    def url(self):
        return super().url + "/hooks/dateline"

    @property
    def requests(self):
        """(headers, body text) of each request received."""
        return [(headers, body.decode()) for _, _, headers, body in self.calls]

    def events(self, secret):
        """The bodies received, each verified as Standard Webhooks says (a bad signature raises)."""
        return [Webhook(secret).verify(body, headers) for headers, body in self.requests]


@pytest.fixture
def receiver(settings):
    settings.WEBHOOKS_ALLOW_PRIVATE = True  # the receiver is on loopback
    settings.SITE_URL = "https://news.example.org"
    with recording(Receiver()) as server:
        yield server


def add_endpoint(url, events="story.published,story.updated,story.unpublished,story.corrected,comment.approved"):
    """`dateline webhook add`, as an admin runs it: (endpoint, the secret on the last line of its output)."""
    out = io.StringIO()
    call_command("webhook", "add", url, "--events", events, stdout=out)
    secret = out.getvalue().splitlines()[-1]
    return Endpoint.objects.get(url=url), secret


def test_publishing_sends_the_api_story_signed_so_a_standard_library_verifies_it(receiver, client):
    endpoint, secret = add_endpoint(receiver.url, "story.published")
    assert secret.startswith("whsec_") and secret == endpoint.secret
    story = make_story(published=False)
    publish(story, make_member("Editor"))
    run_due_jobs()
    [event] = receiver.events(secret)
    assert event["type"] == "story.published"
    assert event["data"] == client.get(f"/api/v1/stories/{story.news_id}").json()
    headers = receiver.requests[0][0]
    assert headers["webhook-id"].startswith("msg_") and headers["content-type"] == "application/json"
    assert abs(int(headers["webhook-timestamp"]) - timezone.now().timestamp()) < 60


def test_a_tampered_body_fails_verification(receiver):
    _, secret = add_endpoint(receiver.url, "story.published")
    publish(make_story(published=False), make_member("Editor"))
    run_due_jobs()
    headers, body = receiver.requests[0]
    with pytest.raises(Exception, match="signature"):
        Webhook(secret).verify(body.replace("published", "pub1ished"), headers)


def test_each_change_is_its_own_event_and_a_draft_is_none(receiver):
    _, secret = add_endpoint(receiver.url)
    editor = make_member("Editor")
    draft = make_story(published=False)
    save_story(draft, editor)  # a draft: no event
    story = make_story(published=False)
    publish(story, editor)
    story.headline = "A new headline"
    save_story(story, editor)
    Correction.objects.create(story=story, text="An earlier version misspelt a name.")
    comment = make_comment(story, status=Comment.Status.PENDING)
    moderate(comment, Comment.Status.APPROVED)
    unpublish(story, editor)
    run_due_jobs()
    events = receiver.events(secret)
    assert [event["type"] for event in events] == [
        "story.published", "story.updated", "story.corrected", "comment.approved", "story.unpublished",
    ]  # fmt: skip
    assert events[1]["data"]["headline"] == "A new headline"
    assert events[3]["data"]["id"] == comment.pk and events[3]["data"]["status"] == "approved"


def test_imported_comments_are_not_announced(receiver):
    """Comments an import brings in approved are history, not news: no comment.approved for them."""
    add_endpoint(receiver.url, "comment.approved")
    make_comment(make_story(), status=Comment.Status.APPROVED)
    run_due_jobs()
    assert receiver.requests == []


def test_an_endpoint_receives_only_the_events_it_chose(receiver):
    _, secret = add_endpoint(receiver.url, "comment.approved")
    publish(make_story(published=False), make_member("Editor"))
    run_due_jobs()
    assert receiver.requests == []


def test_a_scheduled_story_is_announced_at_its_time_not_when_scheduled(receiver, time_machine):
    _, secret = add_endpoint(receiver.url, "story.published")
    at = timezone.now() + timedelta(hours=1)
    publish(make_story(published=False), make_member("Editor"), at=at)
    run_due_jobs()
    assert receiver.requests == []
    time_machine.move_to(at + timedelta(seconds=1))
    run_due_jobs()
    assert [event["type"] for event in receiver.events(secret)] == ["story.published"]


def test_a_failed_delivery_is_retried_within_a_minute_with_the_same_webhook_id(receiver, time_machine):
    """A 500: logged with its status and response time; retried 5 s later with the same id and a fresh signature."""
    _, secret = add_endpoint(receiver.url, "story.published")
    receiver.status = 500
    publish(make_story(published=False), make_member("Editor"))
    run_due_jobs()
    delivery = Delivery.objects.get()
    [attempt] = delivery.log.all()
    assert attempt.status_code == 500 and attempt.response_ms is not None
    assert delivery.state == Delivery.State.PENDING
    assert delivery.next_attempt_at - attempt.at <= timedelta(minutes=1)
    receiver.status = 200
    time_machine.move_to(delivery.next_attempt_at + timedelta(seconds=1))
    run_due_jobs()
    first, second = (headers for headers, _ in receiver.requests)
    assert first["webhook-id"] == second["webhook-id"]
    assert len(receiver.events(secret)) == 2  # both verify: the receiver drops the repeat by its id
    assert Delivery.objects.get().state == Delivery.State.DELIVERED


def test_retries_last_more_than_a_day_then_the_endpoint_is_disabled_and_admins_told(
    receiver, time_machine, django_capture_on_commit_callbacks
):
    make_member("Editor", username="admin", is_superuser=True, email="admin@example.org")
    endpoint, _ = add_endpoint(receiver.url, "story.published")
    receiver.status = 503
    published = timezone.now()
    publish(make_story(published=False), make_member("Editor"))
    run_due_jobs()
    for delay in RETRY_DELAYS:
        time_machine.move_to(timezone.now() + timedelta(seconds=delay + 1))
        with django_capture_on_commit_callbacks(execute=True):
            run_due_jobs()
    assert len(receiver.requests) == len(RETRY_DELAYS) + 1
    assert timezone.now() - published > timedelta(days=1)
    endpoint.refresh_from_db()
    assert not endpoint.is_active and "last: HTTP 503" in endpoint.disabled_reason
    assert Delivery.objects.get().state == Delivery.State.FAILED
    assert "Webhook endpoint disabled" in mail.outbox[-1].subject and mail.outbox[-1].to == ["admin@example.org"]
    publish(make_story(published=False), make_member("Editor", username="editor2"))
    run_due_jobs()
    assert len(receiver.requests) == len(RETRY_DELAYS) + 1  # a disabled endpoint receives nothing


def test_a_job_run_twice_sends_once(receiver):
    """Jobs run at least once: a repeated delivery job finds its attempt done and sends nothing."""
    add_endpoint(receiver.url, "story.published")
    publish(make_story(published=False), make_member("Editor"))
    run_due_jobs()
    from dateline.webhooks.tasks import deliver

    deliver.enqueue(Delivery.objects.get().pk, 1)
    run_due_jobs()
    assert len(receiver.requests) == 1


def test_deliveries_to_private_addresses_are_refused(receiver, settings):
    """SSRF: without WEBHOOKS_ALLOW_PRIVATE=1, a loopback endpoint is never called; the log says why."""
    settings.WEBHOOKS_ALLOW_PRIVATE = False
    add_endpoint(receiver.url, "story.published")
    publish(make_story(published=False), make_member("Editor"))
    run_due_jobs()
    assert receiver.requests == []
    assert Delivery.objects.get().log.get().error.startswith("refused: 127.0.0.1 is a private or loopback address")


@pytest.mark.parametrize("url", ["http://localhost/", "http://10.0.0.7/", "http://[::1]/", "http://169.254.169.254/",
                                 "http://[::ffff:127.0.0.1]/", "http://0.0.0.0/", "ftp://example.org/"])  # fmt: skip
def test_outgoing_calls_refuse_what_is_not_public(url):
    with pytest.raises(outbound.Refused):
        outbound.request("POST", url)


def test_the_command_lists_and_removes_endpoints():
    endpoint, _ = add_endpoint("https://hooks.example.org/in", "story.published,story.updated")
    out = io.StringIO()
    call_command("webhook", "list", stdout=out)
    assert out.getvalue() == f"{endpoint.pk}\tactive\tstory.published,story.updated\thttps://hooks.example.org/in\n"
    call_command("webhook", "remove", str(endpoint.pk), stdout=io.StringIO())
    assert not Endpoint.objects.exists()
    with pytest.raises(CommandError, match="No webhook endpoint"):
        call_command("webhook", "remove", str(endpoint.pk))


def test_the_command_refuses_unknown_events_and_bad_urls():
    with pytest.raises(CommandError, match="choose from: story.published"):
        call_command("webhook", "add", "https://hooks.example.org/", "--events", "story.deleted")
    with pytest.raises(CommandError, match="Not an http"):
        call_command("webhook", "add", "file:///etc/passwd")
    assert not Endpoint.objects.exists()


def test_only_admins_manage_webhooks(client):
    """Endpoints hold signing secrets: an editor (staff) cannot see them; an administrator can."""
    add_endpoint("https://hooks.example.org/in", "story.published")
    url = reverse("admin:webhooks_endpoint_changelist")
    client.force_login(make_member("Editor"))
    assert client.get(url).status_code == 403
    client.force_login(make_member("Editor", username="admin", is_superuser=True))
    assert client.get(url).status_code == 200


def test_the_delivery_log_shows_status_and_response_time(receiver, client):
    add_endpoint(receiver.url, "story.published")
    publish(make_story(published=False), make_member("Editor"))
    run_due_jobs()
    client.force_login(make_member("Editor", username="admin", is_superuser=True))
    delivery = Delivery.objects.get()
    page = client.get(reverse("admin:webhooks_delivery_change", args=[delivery.pk])).content.decode()
    assert delivery.message_id in page and "204" in page
    assert json.loads(delivery.body)["type"] == "story.published"
    assert Story.objects.count() == 1
