"""Background work of the shared machinery: sending notifications by e-mail and to group
robots (webhooks). A failed delivery is enqueued again, at most ``MAX_ATTEMPTS`` times in all,
with the attempt number as an argument; nothing sleeps."""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Q
from django.utils import timezone
from django_tasks import task

from houqin.common.models import Notification, NotificationPreference, WebhookEndpoint

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
WEBHOOK_TIMEOUT_SECONDS = 5
WEBHOOK_TEXT_LIMIT = 1000
RETRY_DELAY = timedelta(minutes=1)
EMAIL = NotificationPreference.Channel.EMAIL
WEBHOOK = NotificationPreference.Channel.WEBHOOK


class DeliveryError(Exception):
    """A channel did not accept the message; the task tries again later."""


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Follow no redirect: a webhook that answers 3xx has failed (no SSRF by redirection)."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def email_address(user: Any) -> str:
    """The user's e-mail address, or "" (accounts have no e-mail field yet)."""
    return str(getattr(user, "email", "") or "").strip()


def webhook_text(notification: Notification, kind_label: str) -> str:
    text = f"【{kind_label}】{notification.title}"
    if notification.body:
        text = f"{text}\n{notification.body}"
    return text[:WEBHOOK_TEXT_LIMIT]


def post_json(url: str, payload: dict[str, Any]) -> None:
    """POST payload as JSON to an https URL: 5 s timeout, no redirects. The answer is read
    only to tell success from failure (WeCom and DingTalk answer 200 with ``errcode``)."""
    if not url.startswith("https://"):
        raise DeliveryError("webhook URL is not https")
    if (urlsplit(url).hostname or "").lower() not in settings.HOUQIN_WEBHOOK_HOSTS:
        raise DeliveryError("webhook host is not in HOUQIN_WEBHOOK_HOSTS")
    request = urllib.request.Request(  # noqa: S310  (scheme checked above)
        url,
        data=json.dumps(payload, ensure_ascii=False).encode("utf-8"),
        headers={"Content-Type": "application/json; charset=utf-8", "User-Agent": "Houqin"},
        method="POST",
    )
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=WEBHOOK_TIMEOUT_SECONDS) as response:
            status = getattr(response, "status", 200)
            answer = response.read(65536)
    except (urllib.error.URLError, OSError, ValueError) as error:
        raise DeliveryError(type(error).__name__) from error
    if not 200 <= int(status) < 300:
        raise DeliveryError(f"HTTP {status}")
    try:
        errcode = json.loads(answer or b"{}").get("errcode", 0)
    except (ValueError, AttributeError):
        errcode = 0
    if errcode not in (0, None):
        raise DeliveryError(f"errcode {errcode}")


def _send_email(notification: Notification) -> str:
    address = email_address(notification.recipient)
    if not address:
        return "skipped"
    message = notification.body
    if notification.link:
        message = f"{message}\n\n{notification.link}".strip()
    try:
        send_mail(f"【后勤】{notification.title}", message, None, [address])
    except Exception as error:  # SMTP and socket errors alike
        raise DeliveryError(type(error).__name__) from error
    return "sent"


def _endpoints(notification: Notification) -> list[WebhookEndpoint]:
    return list(
        WebhookEndpoint.objects.filter(organization_id=notification.organization_id, active=True)
        .filter(Q(kind="") | Q(kind=notification.kind))
        .order_by("pk")
    )


def _post_webhook(notification: Notification, endpoint_id: int) -> str:
    from houqin.common.notifications import NOTIFICATION_KINDS

    endpoint = (
        WebhookEndpoint.objects.filter(
            pk=endpoint_id, organization_id=notification.organization_id, active=True
        )
        .filter(Q(kind="") | Q(kind=notification.kind))
        .first()
    )
    if endpoint is None:
        return "skipped"
    label = NOTIFICATION_KINDS.get(notification.kind, notification.kind)
    post_json(
        endpoint.url, {"msgtype": "text", "text": {"content": webhook_text(notification, label)}}
    )
    return "sent"


def enqueue_delivery(
    notification_id: int, channel: str, attempt: int = 1, endpoint_id: int | None = None
) -> None:
    """Put a delivery on the task queue; a retry waits a little when the backend can defer."""
    job = deliver_notification
    if attempt > 1 and job.get_backend().supports_defer:
        job = job.using(run_after=timezone.now() + RETRY_DELAY * (attempt - 1))
    job.enqueue(notification_id, channel, attempt, endpoint_id)


@task()
def deliver_notification(
    notification_id: int, channel: str, attempt: int = 1, endpoint_id: int | None = None
) -> str:
    """Send one notification on one channel ("email" or "webhook"). A webhook delivery
    without an endpoint fans out to one task per matching endpoint of the organization.
    On failure the delivery is enqueued again until ``MAX_ATTEMPTS`` attempts were made."""
    notification = (
        Notification.objects.select_related("recipient").filter(pk=notification_id).first()
    )
    if notification is None:
        return "gone"
    try:
        if channel == EMAIL:
            return _send_email(notification)
        if channel == WEBHOOK and endpoint_id is None:
            for endpoint in _endpoints(notification):
                enqueue_delivery(notification_id, channel, 1, endpoint.pk)
            return "fanned out"
        if channel == WEBHOOK and endpoint_id is not None:
            return _post_webhook(notification, endpoint_id)
    except DeliveryError as error:
        if attempt < MAX_ATTEMPTS:
            logger.warning(
                "notification %s via %s failed (attempt %s): %s; retrying",
                notification_id,
                channel,
                attempt,
                error,
            )
            enqueue_delivery(notification_id, channel, attempt + 1, endpoint_id)
            return "retrying"
        logger.error(
            "notification %s via %s failed after %s attempts: %s",
            notification_id,
            channel,
            attempt,
            error,
        )
        return "failed"
    return "unknown channel"
