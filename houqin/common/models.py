"""Base models shared by every domain app."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models

if TYPE_CHECKING:
    from houqin.accounts.models import User


class OrgScopedQuerySet(models.QuerySet):
    """The one way a view or API reaches business rows: ``for_user(user, action)``."""

    def for_user(self, user: User | Any, action: str = "view") -> OrgScopedQuerySet:
        if not getattr(user, "is_authenticated", False) or user.organization_id is None:
            return self.none()
        return self.filter(organization_id=user.organization_id)


class OrgScoped(models.Model):
    """A business row: it belongs to one organization and carries its stamps."""

    organization = models.ForeignKey(
        "org.Organization", on_delete=models.PROTECT, related_name="+", verbose_name="所属单位"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = OrgScopedQuerySet.as_manager()

    class Meta:
        abstract = True
