"""Base models shared by every domain app, and the change log of business rows."""

from __future__ import annotations

import uuid
from pathlib import PurePosixPath
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import URLValidator
from django.db import models
from django.utils import timezone

READ_ACTIONS = frozenset({"view", "export"})


class OrgScopedQuerySet(models.QuerySet):
    """The one way a view or API reaches business rows: ``for_user(user, action)``.

    A user sees the rows of their own organization. A bureau reader (permission
    ``org.read_member_centers``) also reads, never writes, the rows of the centers under
    the bureau, for models that are ``bureau_visible``."""

    def for_user(self, user: Any, action: str = "view") -> OrgScopedQuerySet:
        if not getattr(user, "is_authenticated", False) or user.organization_id is None:
            return self.none()
        own = models.Q(organization_id=user.organization_id)
        if (
            action in READ_ACTIONS
            and getattr(self.model, "bureau_visible", False)
            and user.has_perm("org.read_member_centers")
        ):
            return self.filter(own | models.Q(organization__parent_id=user.organization_id))
        return self.filter(own)


class OrgScoped(models.Model):
    """A business row: it belongs to one organization and carries its stamps."""

    organization = models.ForeignKey(
        "org.Organization", on_delete=models.PROTECT, related_name="+", verbose_name="所属单位"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = OrgScopedQuerySet.as_manager()

    bureau_visible: ClassVar[bool] = True

    class Meta:
        abstract = True


class ChangeLogEntry(models.Model):
    """One change of a business row: who, when, from where, and each field before → after.
    Written by the service that makes the change, in the same transaction."""

    class Action(models.TextChoices):
        CREATE = "create", "新建"
        UPDATE = "update", "修改"
        DELETE = "delete", "删除"
        TRANSITION = "transition", "状态变更"

    organization = models.ForeignKey(
        "org.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="所属单位",
    )
    created_at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, verbose_name="对象类型")
    object_id = models.CharField("对象编号", max_length=64)
    object_repr = models.CharField("对象", max_length=200)
    action = models.CharField("操作", max_length=16, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="操作人",
    )
    actor_name = models.CharField("操作人姓名", max_length=80, blank=True)
    ip = models.GenericIPAddressField("地址", null=True, blank=True)
    changes = models.JSONField("变更内容", default=dict, blank=True)
    note = models.CharField("说明", max_length=300, blank=True)

    class Meta:
        verbose_name = "变更记录"
        verbose_name_plural = "变更记录"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="changelog_object_idx")]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.object_repr}"


def attachment_upload_to(instance: Any, filename: str) -> str:
    """A random name under attachments/<year>/<month>/: never the uploader's file name. The
    extension comes from the checked content (the service passes it as ``filename``)."""
    suffix = PurePosixPath(filename).suffix.lower()
    return f"attachments/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


def attachment_thumb_upload_to(instance: Any, filename: str) -> str:
    return f"attachments/thumbs/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.jpg"


class Attachment(OrgScoped):
    """A photo or file on any business row. Its type is checked by content, images are
    re-encoded without metadata, and it is served only by a view that checks who may see both
    the attachment and the row it belongs to (never from a public media URL)."""

    class Kind(models.TextChoices):
        IMAGE = "image", "图片"
        PDF = "pdf", "PDF"
        OFFICE = "office", "Office 文件"

    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", verbose_name="对象类型"
    )
    object_id = models.CharField("对象编号", max_length=64)
    parent = GenericForeignKey("content_type", "object_id")
    file = models.FileField("文件", upload_to=attachment_upload_to, max_length=200)
    original_name = models.CharField("原文件名", max_length=255)
    content_type_mime = models.CharField("文件类型", max_length=100)
    size = models.PositiveBigIntegerField("大小（字节）")
    kind = models.CharField("种类", max_length=8, choices=Kind.choices)
    thumbnail = models.ImageField(
        "缩略图", upload_to=attachment_thumb_upload_to, max_length=200, null=True, blank=True
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="上传人"
    )
    caption = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "附件"
        verbose_name_plural = "附件"
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="attachment_object_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["image", "pdf", "office"]),
                name="attachment_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.original_name

    @property
    def alt_text(self) -> str:
        return self.caption or self.original_name


class Notification(models.Model):
    """One message in a person's inbox. The inbox row is always written; e-mail and webhook
    copies are sent after the commit by ``deliver_notification``. Only its recipient sees it."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name="接收人",
    )
    organization = models.ForeignKey(
        "org.Organization", on_delete=models.PROTECT, related_name="+", verbose_name="所属单位"
    )
    kind = models.CharField("类别", max_length=32)
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    link = models.CharField("链接", max_length=300, blank=True)
    content_type = models.ForeignKey(
        ContentType,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="对象类型",
    )
    object_id = models.CharField("对象编号", max_length=64, blank=True)
    target = GenericForeignKey("content_type", "object_id")
    created_at = models.DateTimeField("时间", default=timezone.now)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)

    class Meta:
        verbose_name = "通知"
        verbose_name_plural = "通知"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="notification_target_idx"),
            models.Index(fields=["recipient", "read_at"], name="notification_unread_idx"),
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox_idx"),
        ]

    def __str__(self) -> str:
        return self.title


class NotificationPreference(models.Model):
    """Whether a person receives one kind of notification on one channel. No row means on;
    the inbox cannot be switched off (database constraint)."""

    class Channel(models.TextChoices):
        INBOX = "inbox", "站内信"
        EMAIL = "email", "电子邮件"
        WEBHOOK = "webhook", "群机器人"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
        verbose_name="用户",
    )
    kind = models.CharField("类别", max_length=32)
    channel = models.CharField("渠道", max_length=8, choices=Channel.choices)
    enabled = models.BooleanField("接收", default=True)

    class Meta:
        verbose_name = "通知设置"
        verbose_name_plural = "通知设置"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "channel"], name="notification_preference_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(channel__in=["inbox", "email", "webhook"]),
                name="notification_preference_channel_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(channel="inbox", enabled=False),
                name="notification_preference_inbox_on",
                violation_error_message="站内信不能关闭。",
            ),
        ]

    def __str__(self) -> str:
        state = "开" if self.enabled else "关"
        return f"{self.user_id} {self.kind}/{self.channel}: {state}"


class WebhookEndpoint(OrgScoped):
    """A group robot (企业微信 / 钉钉 style) that receives an organization's notifications:
    https only; a blank kind means every kind. Delivery follows no redirects."""

    name = models.CharField("名称", max_length=60)
    url = models.URLField(
        "地址",
        max_length=500,
        validators=[URLValidator(schemes=["https"], message="只能填写 https:// 开头的地址。")],
    )
    kind = models.CharField("通知类别", max_length=32, blank=True, help_text="留空表示全部类别。")
    active = models.BooleanField("启用", default=True)

    bureau_visible: ClassVar[bool] = False

    class Meta:
        verbose_name = "群机器人"
        verbose_name_plural = "群机器人"
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(url__startswith="https://"),
                name="webhook_endpoint_https",
                violation_error_message="只能填写 https:// 开头的地址。",
            ),
        ]

    def __str__(self) -> str:
        return self.name
