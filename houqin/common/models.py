"""Base models shared by every domain app, and the change log of business rows."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
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
