"""Rate limits on comment posts: per address, per story, counted in the cache, refused with a clear 429."""

import pytest
import time_machine
from captcha.conf import settings as captcha_settings
from django.test import RequestFactory

from dateline.accounts import ratelimit
from dateline.comments.forms import issue_stamp
from dateline.comments.models import Comment

from .factories import make_story

pytestmark = pytest.mark.django_db
START = "2026-03-02 10:00:05+00:00"  # early in a minute: the tests' posts all fall in one window


@pytest.fixture(autouse=True)
def _passing_security_keys(monkeypatch):
    """The security key is not what these tests are about: "PASSED" solves it."""
    monkeypatch.setattr(captcha_settings, "CAPTCHA_TEST_MODE", True)


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def post(client, story, address="203.0.113.7", answer="PASSED", **headers):
    data = {"name": "Dana", "body": f"Comment from {address}.", "captcha_0": "x", "captcha_1": answer}
    return client.post(f"/comments/{story.news_id}", {**data, "issued": issue_stamp()}, REMOTE_ADDR=address, **headers)


def test_sixth_comment_in_a_minute_from_one_address_is_refused_with_retry_after(client, clock):
    """Five posts a minute from an address pass; the sixth gets 429, Retry-After and the wait in words."""
    story = make_story()
    assert [post(client, story).status_code for _ in range(5)] == [302] * 5
    response = post(client, story)
    assert response.status_code == 429
    assert response["Retry-After"] == "55"
    assert "You have sent several comments in a short time; please wait 55 seconds." in response.content.decode()
    assert Comment.objects.count() == 5


def test_refused_comment_keeps_the_readers_text(client, clock):
    """The refusal shows the story page with the form and what the reader wrote."""
    story = make_story()
    for _ in range(5):
        post(client, story)
    response = client.post(
        f"/comments/{story.news_id}",
        {"name": "Dana", "body": "My careful, long comment.", "captcha_0": "x", "captcha_1": "PASSED"},
        REMOTE_ADDR="203.0.113.7",
    )
    assert response.status_code == 429
    assert 'id="comment-form"' in response.content.decode()
    assert "My careful, long comment." in response.content.decode()


def test_another_address_may_still_post(client, clock):
    """One address at its limit does not stop another."""
    story = make_story()
    for _ in range(6):
        post(client, story)
    assert post(client, story, address="198.51.100.9").status_code == 302


def test_limit_ends_with_the_minute(client, clock):
    """After Retry-After seconds the address may post again."""
    story = make_story()
    for _ in range(6):
        post(client, story)
    clock.shift(55)
    assert post(client, story).status_code == 302


def test_wrong_security_keys_count_too(client, clock):
    """Failed answers use up the allowance: guessing keys is limited like posting."""
    story = make_story()
    assert [post(client, story, answer="wrong").status_code for _ in range(5)] == [400] * 5
    assert post(client, story).status_code == 429
    assert Comment.objects.count() == 0


def test_story_limit_counts_every_address(client, clock, settings):
    """COMMENTS_RATE_PER_STORY caps a story's posts from all addresses together; other stories are unaffected."""
    settings.COMMENTS_RATE_PER_STORY = "3/m"
    story, other = make_story(), make_story()
    assert [post(client, story, address=f"198.51.100.{n}").status_code for n in range(3)] == [302] * 3
    assert post(client, story, address="198.51.100.99").status_code == 429
    assert post(client, other, address="198.51.100.99").status_code == 302


def test_address_refusals_do_not_count_against_the_story(client, clock, settings):
    """One sender over its own limit cannot close a story's comments for everyone."""
    settings.COMMENTS_RATE_PER_STORY = "6/m"
    story = make_story()
    for _ in range(20):
        post(client, story)
    assert post(client, story, address="198.51.100.9").status_code == 302


def test_x_forwarded_for_is_ignored_unless_proxies_are_trusted(client, clock):
    """Without TRUSTED_PROXIES a client cannot pick a new address per post by sending X-Forwarded-For."""
    story = make_story()
    statuses = [post(client, story, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}").status_code for n in range(6)]
    assert statuses == [302] * 5 + [429]


def test_trusted_proxy_gives_the_address_it_saw(client, clock, settings):
    """With TRUSTED_PROXIES=1 the last X-Forwarded-For entry is the client: one reader per address behind it."""
    settings.TRUSTED_PROXIES = 1
    story = make_story()
    for _ in range(6):
        post(client, story, address="10.0.0.2", HTTP_X_FORWARDED_FOR="192.0.2.1")
    assert post(client, story, address="10.0.0.2", HTTP_X_FORWARDED_FOR="192.0.2.2").status_code == 302
    assert Comment.objects.filter(ip_address="192.0.2.2").count() == 1


def test_trusted_proxy_entries_left_of_it_are_not_believed(settings):
    """Entries the client wrote before the proxy's own are ignored; a malformed one gives no address."""
    settings.TRUSTED_PROXIES = 1
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 192.0.2.5")
    assert ratelimit.client_ip(request) == "192.0.2.5"
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="<script>")
    assert ratelimit.client_ip(request) is None


@pytest.mark.parametrize(("text", "rate"), [("5/m", (5, 60)), ("20/10m", (20, 600)), ("100/hour", (100, 3600))])
def test_rates_read_as_count_per_period(text, rate):
    """Rates are written N/period with s, m, h or d."""
    assert ratelimit.parse_rate(text) == ratelimit.Rate(*rate)


@pytest.mark.parametrize("text", ["5", "0/m", "five/m", "5/week"])
def test_malformed_rate_is_refused(text):
    """A rate that cannot be read fails loudly."""
    with pytest.raises(Exception, match="N/period"):
        ratelimit.parse_rate(text)


def test_a_failing_cache_lets_requests_through(monkeypatch):
    """A cache outage is not an outage of commenting: the request is allowed (and the failure logged)."""
    monkeypatch.setattr(ratelimit.cache, "add", lambda *args, **kwargs: 1 / 0)
    assert ratelimit.hit("test", "key", ratelimit.Rate(1, 60)) == 0
