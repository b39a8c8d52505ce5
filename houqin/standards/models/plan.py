"""The yearly standards plan and the organization's standardization settings."""

from __future__ import annotations

from django.db import models

from houqin.common.models import OrgScoped
from houqin.standards.models.core import (
    Standard,
    StandardNode,
)


class StandardPlan(OrgScoped):
    """The yearly plan of standards to write, revise and withdraw (标准制修订计划)."""

    year = models.PositiveSmallIntegerField("年度")
    title = models.CharField("计划名称", max_length=100)
    note = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = "标准制修订计划"
        verbose_name_plural = "标准制修订计划"
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "year"], name="standard_plan_year"),
        ]

    def __str__(self) -> str:
        return self.title


class PlanItem(OrgScoped):
    """One line of the plan. Its progress is the linked standard's lifecycle status."""

    class Action(models.TextChoices):
        NEW = "new", "制定"
        REVISE = "revise", "修订"
        WITHDRAW = "withdraw", "废止"

    plan = models.ForeignKey(
        StandardPlan, on_delete=models.CASCADE, related_name="items", verbose_name="计划"
    )
    action = models.CharField("类型", max_length=16, choices=Action.choices)
    title = models.CharField("标准名称", max_length=200)
    standard = models.ForeignKey(
        Standard,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="plan_items",
        verbose_name="关联标准",
    )
    node = models.ForeignKey(
        StandardNode, on_delete=models.PROTECT, related_name="+", verbose_name="体系节点"
    )
    owner_department = models.ForeignKey(
        "org.Department", on_delete=models.PROTECT, related_name="+", verbose_name="负责科室"
    )
    starts_on = models.DateField("开始日期")
    due_on = models.DateField("完成日期")

    class Meta:
        verbose_name = "计划项"
        verbose_name_plural = "计划项"
        ordering = ["plan", "starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(due_on__gte=models.F("starts_on")),
                name="plan_item_period_valid",
                violation_error_message="完成日期不能早于开始日期。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()}《{self.title}》"


class StandardSettings(OrgScoped):
    """An organization's standardization settings: its internal numbering prefix (S-ID-01
    accepts ``<prefix>/<XX> NNN—YYYY``), the default review cycle and how long people have
    to acknowledge a standard that took effect."""

    internal_prefix = models.CharField(
        "内部标准编号前缀",
        max_length=16,
        default="JGSW",
        help_text="内部标准编号形如“JGSW/FW 003—2026”，这里填写斜线前的部分。",
    )
    review_years = models.PositiveSmallIntegerField("默认复审周期（年）", default=5)
    acknowledge_days = models.PositiveSmallIntegerField("阅读确认期限（天）", default=14)

    class Meta:
        verbose_name = "标准化设置"
        verbose_name_plural = "标准化设置"
        constraints = [
            models.UniqueConstraint(fields=["organization"], name="standard_settings_one"),
        ]

    def __str__(self) -> str:
        return "标准化设置"
