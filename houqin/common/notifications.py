"""Notifications: an in-app inbox first, e-mail and group robots (webhooks) as channels sent
after the commit by ``houqin.common.tasks.deliver_notification``. Domain apps register their
kinds in ``NOTIFICATION_KINDS`` (``NOTIFICATION_KINDS["finding"] = "问题整改"``) and call
``notify`` from their services."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from houqin.common.models import Notification, NotificationPreference, WebhookEndpoint
from houqin.common.tasks import email_address, enqueue_delivery

NOTIFICATION_KINDS: dict[str, str] = {"workflow": "流程变更", "system": "系统通知"}

Channel = NotificationPreference.Channel
OPTIONAL_CHANNELS: tuple[str, ...] = (Channel.EMAIL, Channel.WEBHOOK)


def _check_link(link: str) -> str:
    link = link.strip()
    if link and (not link.startswith("/") or link.startswith("//") or "\\" in link):
        raise ValidationError("通知链接只能是本站内的路径。")
    return link


def notify(
    *,
    recipients: Iterable[Any],
    kind: str,
    title: str,
    body: str = "",
    link: str = "",
    target: models.Model | None = None,
) -> list[Notification]:
    """发通知：给每位（启用的）接收人写一条站内信（一次批量插入），事务提交后按各人的通知设置排队
    发送电子邮件和群机器人消息。kind 必须已在 NOTIFICATION_KINDS 中登记；link 只能是本站路径。

    Not wrapped in its own transaction: the one INSERT is atomic, and the deliveries wait for
    the commit of the caller's transaction."""
    if kind not in NOTIFICATION_KINDS:
        raise ValidationError(f"未登记的通知类别：{kind}")
    if not title.strip():
        raise ValidationError("通知标题不能为空。")
    link = _check_link(link)
    people = list({user.pk: user for user in recipients if user.is_active}.values())
    if not people:
        return []
    content_type = ContentType.objects.get_for_model(type(target)) if target is not None else None
    now = timezone.now()
    created = Notification.objects.bulk_create(
        [
            Notification(
                recipient=user,
                organization_id=user.organization_id,
                kind=kind,
                title=title.strip()[:200],
                body=body.strip(),
                link=link,
                content_type=content_type,
                object_id=str(target.pk) if target is not None else "",
                created_at=now,
            )
            for user in people
        ]
    )
    transaction.on_commit(partial(deliveries_schedule, created), robust=True)
    return created


def deliveries_schedule(notifications: list[Notification]) -> None:
    """After the commit: one e-mail task per recipient who wants e-mail and has an address,
    one webhook task per organization whose robot should hear of it (not one per person)."""
    if not notifications:
        return
    kind = notifications[0].kind
    off = set(
        NotificationPreference.objects.filter(
            user_id__in=[n.recipient_id for n in notifications], kind=kind, enabled=False
        ).values_list("user_id", "channel")
    )
    first_per_org: dict[int, int] = {}
    for notification in notifications:
        user = notification.recipient
        if (user.pk, Channel.EMAIL) not in off and email_address(user):
            enqueue_delivery(notification.pk, Channel.EMAIL)
        if (user.pk, Channel.WEBHOOK) not in off:
            first_per_org.setdefault(notification.organization_id, notification.pk)
    if not first_per_org:
        return
    endpoints = WebhookEndpoint.objects.filter(
        organization_id__in=first_per_org, active=True
    ).filter(Q(kind="") | Q(kind=kind))
    for organization_id, endpoint_id in endpoints.values_list("organization_id", "pk"):
        enqueue_delivery(first_per_org[organization_id], Channel.WEBHOOK, 1, endpoint_id)


def notification_list(*, user: Any) -> QuerySet[Notification]:
    """The user's inbox: unread first, then newest first."""
    return (
        Notification.objects.filter(recipient=user)
        .annotate(
            is_read=Case(
                When(read_at__isnull=True, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .only("id", "kind", "title", "body", "link", "created_at", "read_at")
        .order_by("is_read", "-created_at", "-id")
    )


def notification_get(*, user: Any, pk: int) -> Notification | None:
    """One of the user's own notifications (None for anyone else's)."""
    return Notification.objects.filter(recipient=user, pk=pk).first()


def unread_count(user: Any) -> int:
    """How many unread notifications the user has (one COUNT query; 0 when signed out)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def kind_label(kind: str) -> str:
    return NOTIFICATION_KINDS.get(kind, kind)


def notification_mark_read(*, notification: Notification, actor: Any) -> Notification:
    """标为已读：只能标自己的通知；已读的保持原来的已读时间。"""
    if notification.recipient_id != actor.pk:
        raise ValidationError("只能处理发给自己的通知。")
    now = timezone.now()
    changed = Notification.objects.filter(
        pk=notification.pk, recipient=actor, read_at__isnull=True
    ).update(read_at=now)
    if changed:
        notification.read_at = now
    return notification


def notification_mark_all_read(*, actor: Any) -> int:
    """把自己的未读通知全部标为已读，返回标记的条数。"""
    return Notification.objects.filter(recipient=actor, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def notification_preferences(*, user: Any) -> dict[tuple[str, str], bool]:
    """(kind, channel) → on, for every registered kind and every channel (inbox always on)."""
    stored = {
        (kind, channel): enabled
        for kind, channel, enabled in NotificationPreference.objects.filter(user=user).values_list(
            "kind", "channel", "enabled"
        )
    }
    result: dict[tuple[str, str], bool] = {}
    for kind in NOTIFICATION_KINDS:
        result[(kind, Channel.INBOX)] = True
        for channel in OPTIONAL_CHANNELS:
            result[(kind, channel)] = stored.get((kind, channel), True)
    return result


@transaction.atomic
def notification_preferences_set(*, user: Any, enabled: set[tuple[str, str]]) -> None:
    """保存通知设置：enabled 中列出的（类别, 渠道）为开，其余已登记类别的邮件和群机器人为关；
    站内信始终开启。"""
    NotificationPreference.objects.bulk_create(
        [
            NotificationPreference(
                user=user, kind=kind, channel=channel, enabled=(kind, channel) in enabled
            )
            for kind in NOTIFICATION_KINDS
            for channel in OPTIONAL_CHANNELS
        ],
        update_conflicts=True,
        unique_fields=["user", "kind", "channel"],
        update_fields=["enabled"],
    )
