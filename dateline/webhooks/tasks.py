"""Delivering webhooks, as jobs: one attempt per job, retried with backoff for more than a day.

Safe to run twice (jobs run at least once): an attempt carries the delivery's `webhook-id`, the same every time, so
a receiver drops a repeat; and a job runs only if its attempt is the delivery's next one.
"""

import logging
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from standardwebhooks import Webhook

from dateline.ops import outbound
from dateline.ops.jobs import retry, task

from .models import Attempt, Delivery

logger = logging.getLogger("dateline.webhooks")
# Seconds before each retry: the first within a minute, the last about 28 hours after the event.
RETRY_DELAYS = [5, 5 * 60, 30 * 60, 2 * 3600, 5 * 3600, 10 * 3600, 10 * 3600]
USER_AGENT = "Dateline-Webhooks/1 (+https://www.standardwebhooks.com/)"


@task()
def deliver(delivery_id, attempt):
    """Make attempt number `attempt` of a delivery, and queue the next one if it fails."""
    delivery = Delivery.objects.select_related("endpoint").filter(pk=delivery_id).first()
    if delivery is None or delivery.state != Delivery.State.PENDING or delivery.attempts != attempt - 1:
        return "already done"
    if not delivery.endpoint.is_active:
        Delivery.objects.filter(pk=delivery.pk).update(state=Delivery.State.FAILED, next_attempt_at=None)
        return "endpoint disabled"
    result = post(delivery)
    with transaction.atomic():
        result.save()
        conclude(delivery, attempt, result)
    return result.status_code or result.error


def post(delivery):
    """One signed POST of the delivery's body; its outcome as an unsaved Attempt."""
    endpoint, now = delivery.endpoint, timezone.now()
    headers = {
        "content-type": "application/json",
        "user-agent": USER_AGENT,
        "webhook-id": delivery.message_id,
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": Webhook(endpoint.secret).sign(delivery.message_id, now, delivery.body),
    }
    started, attempt = time.monotonic(), Attempt(delivery=delivery)
    try:
        response = outbound.request(
            "POST", endpoint.url, body=delivery.body.encode(), headers=headers,
            timeout=settings.WEBHOOKS_TIMEOUT, allow_private=settings.WEBHOOKS_ALLOW_PRIVATE,
        )  # fmt: skip
        attempt.status_code = response.status
    except outbound.Refused as error:
        attempt.error = f"refused: {error}"[:500]
    except outbound.FAILURES as error:
        attempt.error = f"{type(error).__name__}: {error}"[:500]
    attempt.response_ms = round((time.monotonic() - started) * 1000)
    return attempt


def conclude(delivery, attempt, result):
    """Record the attempt on the delivery: delivered, queued again, or failed for good (disabling the endpoint)."""
    delivery.attempts = attempt
    if result.succeeded:
        delivery.state, delivery.delivered_at, delivery.next_attempt_at = Delivery.State.DELIVERED, timezone.now(), None
    elif later := retry(deliver, attempt, RETRY_DELAYS, delivery.pk):
        delivery.next_attempt_at = later
    else:
        delivery.state, delivery.next_attempt_at = Delivery.State.FAILED, None
        disable(delivery.endpoint, f"{attempt} attempts of {delivery.message_id} failed; last: {result}")
    delivery.save(update_fields=["attempts", "state", "delivered_at", "next_attempt_at"])


def disable(endpoint, reason):
    """An endpoint that keeps failing stops receiving; the administrators are told (by e-mail and in /admin/)."""
    endpoint.is_active, endpoint.disabled_reason = False, reason[:300]
    endpoint.save(update_fields=["is_active", "disabled_reason"])
    logger.error("Webhook endpoint %s disabled: %s", endpoint.url, reason)
    subject = f"Webhook endpoint disabled: {endpoint.url}"
    text = (
        f"Dateline stopped sending events to {endpoint.url}.\n\n{reason}\n\n"
        "Fix the receiver, then tick “active” on the endpoint in /admin/ › Webhooks to resume."
    )
    transaction.on_commit(lambda: send_mail(subject, text, None, administrators(), fail_silently=True))


def administrators():
    superusers = get_user_model().objects.filter(is_superuser=True, is_active=True).exclude(email="")
    return sorted({*superusers.values_list("email", flat=True), *(email for _, email in settings.ADMINS)})
