"""WebSub (W3C): feeds name their hubs (WEBSUB_HUBS), and a publish or a correction pings each hub, as a job, with
the feeds the story is on, so subscribers hear of it at once instead of polling."""

import logging
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from dateline.ops import outbound
from dateline.ops.jobs import retry, task

from .links import absolute_url
from .models import Story
from .signals import story_corrected, story_status_changed, story_went_live

logger = logging.getLogger("dateline.websub")
FORMATS = ("rss", "atom", "json")
RETRY_DELAYS = [10, 60, 600, 3600]


def link_header(feed_url):
    """The HTTP Link header a feed carries: its hubs and itself (WebSub §4)."""
    return ", ".join([*(f'<{hub}>; rel="hub"' for hub in settings.WEBSUB_HUBS), f'<{feed_url}>; rel="self"'])


def topics(story):
    """Every feed that lists the story, in every format: the edition's, its section's, its tags' and authors'."""
    with translation.override(story.language):
        names = [(f"feeds:{kind}", {}) for kind in FORMATS]
        for prefix, slugs in [
            ("section", [story.section.slug] if story.section else []),
            ("tag", story.tags.values_list("slug", flat=True)),
            ("author", story.authors.values_list("slug", flat=True)),
        ]:
            names += [(f"feeds:{prefix}-{kind}", {"slug": slug}) for slug in slugs for kind in FORMATS]
        return [absolute_url(reverse(name, kwargs=kwargs)) for name, kwargs in names]


def announce(story):
    """Queue one ping per hub (none without WEBSUB_HUBS)."""
    if settings.WEBSUB_HUBS:
        urls = topics(story)
        for hub in settings.WEBSUB_HUBS:
            ping.enqueue(hub, urls, 1)


@task()
def ping(hub, urls, attempt):
    """Tell `hub` that the feeds at `urls` changed (`hub.mode=publish`); retried a few times if the hub fails.

    Safe to run twice: a hub fetches the feeds again, nothing more."""
    body = urlencode([("hub.mode", "publish"), *(("hub.url", url) for url in urls)], doseq=True).encode()
    headers = {"content-type": "application/x-www-form-urlencoded", "user-agent": "Dateline-WebSub/1"}
    try:
        response = outbound.request("POST", hub, body=body, headers=headers, timeout=10, allow_private=True)
        failure = None if 200 <= response.status < 300 else f"HTTP {response.status}"
    except (outbound.Refused, *outbound.FAILURES) as error:
        failure = f"{type(error).__name__}: {error}"
    if failure and not retry(ping, attempt, RETRY_DELAYS, hub, urls):
        raise RuntimeError(f"WebSub hub {hub} failed {attempt} times; last: {failure}")
    return failure or "ok"


def status_changed(sender, story, action, **kwargs):
    if action == "publish":
        announce(story)


def went_live(sender, story, **kwargs):
    announce(story)


def corrected(sender, story, **kwargs):
    announce(story)


def connect():
    """ArticlesConfig.ready."""
    story_status_changed.connect(status_changed, sender=Story, dispatch_uid="websub-status")
    story_went_live.connect(went_live, sender=Story, dispatch_uid="websub-went-live")
    story_corrected.connect(corrected, sender=Story, dispatch_uid="websub-corrected")
