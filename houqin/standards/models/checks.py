"""What the drafting checker is told: a rule switched off for one clause of one standard,
with who did it, when and why (the reason shows wherever the check result does)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from houqin.common.models import OrgScoped
from houqin.standards.models.core import Standard


class CheckWaiver(OrgScoped):
    """A rule of the drafting check switched off for one clause (by its ``uid``, so the
    waiver follows the clause into later versions) with a recorded reason."""

    standard = models.ForeignKey(Standard, on_delete=models.CASCADE, related_name="waivers")
    clause_uid = models.UUIDField("条款标识")
    rule = models.CharField("规则", max_length=16)
    reason = models.CharField("理由", max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="关闭人",
    )

    class Meta:
        verbose_name = "关闭的检查规则"
        verbose_name_plural = "关闭的检查规则"
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["standard", "clause_uid", "rule"], name="check_waiver_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rule}（{self.reason}）"
