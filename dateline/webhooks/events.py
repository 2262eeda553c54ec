"""Which changes are events, and what each endpoint is sent: `{"type", "timestamp", "data"}`, where data is the
API's story or comment object as it was at that moment."""

import json

from django.utils import timezone
from ninja.renderers import NinjaJSONEncoder

from dateline.api.v1.comments import comment_data
from dateline.api.v1.schemas import CommentOut, StoryOut
from dateline.api.v1.stories import story_data
from dateline.articles.signals import story_corrected, story_saved, story_status_changed, story_went_live
from dateline.articles.workflow import CONTENT_FIELDS
from dateline.comments.signals import comment_approved

from .models import Delivery, Endpoint
from .tasks import deliver

# Status changes that are events (a scheduled story is announced when its time comes, by story_went_live).
STATUS_EVENTS = {"publish": "story.published", "unpublish": "story.unpublished", "delete": "story.unpublished"}


def announce(event, data):
    """Queue a delivery of `event` to every active endpoint subscribed to it; `data` is a callable (built once)."""
    endpoints = [endpoint for endpoint in Endpoint.objects.filter(is_active=True) if event in endpoint.events]
    if not endpoints:
        return []
    body = json.dumps({"type": event, "timestamp": timezone.now().isoformat(), "data": data()}, cls=NinjaJSONEncoder)
    deliveries = Delivery.objects.bulk_create(Delivery(endpoint=e, event=event, body=body) for e in endpoints)
    for delivery in deliveries:
        deliver.enqueue(delivery.pk, 1)
    return deliveries


def story_object(story):
    return lambda: StoryOut.model_validate(story_data(story, None)).model_dump()


def was_public(story):
    return story.published_at is not None and story.published_at <= timezone.now()


def status_changed(sender, story, action, **kwargs):
    if action in STATUS_EVENTS and (action == "publish" or was_public(story)):
        announce(STATUS_EVENTS[action], story_object(story))


def went_live(sender, story, **kwargs):
    announce("story.published", story_object(story))


def saved(sender, story, changed, **kwargs):
    """A public story's content changed (not its status: that is another event)."""
    if story.is_live and set(changed) & set(CONTENT_FIELDS) and not {"status", "published_at"} & set(changed):
        announce("story.updated", story_object(story))


def corrected(sender, story, **kwargs):
    announce("story.corrected", story_object(story))


def approved(sender, comment, **kwargs):
    announce("comment.approved", lambda: CommentOut.model_validate(comment_data(comment)).model_dump())


def connect():
    """Listen to the changes that are events (WebhooksConfig.ready)."""
    story_status_changed.connect(status_changed, dispatch_uid="webhooks-status")
    story_went_live.connect(went_live, dispatch_uid="webhooks-went-live")
    story_saved.connect(saved, dispatch_uid="webhooks-saved")
    story_corrected.connect(corrected, dispatch_uid="webhooks-corrected")
    comment_approved.connect(approved, dispatch_uid="webhooks-comment-approved")
