"""Quarterly supervision rounds (督办), circulars of results (通报) and the yearly
self-evaluation of standardization work (自我评价, GB/T 24421.4)."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models

from houqin.appraisal.models.periods import Period, Score
from houqin.checklists.models import optional_fk
from houqin.common.models import OrgScoped
from houqin.common.workflow import Transition, Workflow
from houqin.findings.models import Finding, SupervisionOrder
from houqin.org.models import Department, Vendor
from houqin.standards.models import Standard

RUN_ROUND = "appraisal.change_supervisionround"
PUBLISH_CIRCULAR = "appraisal.change_circular"


class SupervisionRound(OrgScoped):
    """One quarter's 督办 round: Houqin proposes items from the rows of that quarter, the
    office ticks the ones to pursue and a supervision order is issued for each. One round
    per organization and quarter."""

    year = models.PositiveSmallIntegerField("年度")
    quarter = models.PositiveSmallIntegerField("季度")
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="创建人"
    )
    proposed_at = models.DateTimeField("提出时间")

    class Meta:
        verbose_name = "督办轮次"
        verbose_name_plural = "督办轮次"
        ordering = ["-year", "-quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year", "quarter"],
                name="supervision_round_unique",
                violation_error_message="这个季度已经有督办轮次了。",
            ),
            models.CheckConstraint(
                condition=models.Q(quarter__gte=1, quarter__lte=4),
                name="supervision_round_quarter_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}年第{self.quarter}季度督办"


class RoundItem(OrgScoped):
    """An item Houqin proposes for a round: an overdue rectification, a repeated finding, a
    low score or a standard past its review date, with the department or vendor it goes to.
    ``key`` names its source (e.g. ``overdue:12``) so proposing again adds only new ones;
    ``order`` is the supervision order issued for it."""

    class Kind(models.TextChoices):
        OVERDUE = "overdue", "整改逾期"
        REPEAT = "repeat", "问题重复发生"
        LOW_SCORE = "low_score", "考核得分低"
        REVIEW = "review", "标准逾期未复审"

    round = models.ForeignKey(
        SupervisionRound, on_delete=models.CASCADE, related_name="items", verbose_name="督办轮次"
    )
    kind = models.CharField("类别", max_length=16, choices=Kind.choices)
    key = models.CharField("来源", max_length=40)
    title = models.CharField("事项", max_length=200)
    detail = models.CharField("情况", max_length=300, blank=True)
    finding = optional_fk(Finding, "问题")
    score = optional_fk(Score, "考核得分")
    standard = optional_fk(Standard, "标准")
    department = optional_fk(Department, "主送科室")
    vendor = optional_fk(Vendor, "主送服务商")
    picked = models.BooleanField("拟督办", default=False)
    order = optional_fk(SupervisionOrder, "督办单")

    class Meta:
        verbose_name = "督办事项"
        verbose_name_plural = "督办事项"
        ordering = ["round", "kind", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["round", "key"], name="round_item_key_unique"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def recipient(self) -> str:
        names = [str(x) for x in (self.department, self.vendor) if x is not None]
        return "、".join(names)


class CircularWorkflow(Workflow):
    field = "status"
    transitions: ClassVar[dict[str, Transition]] = {
        "publish": Transition(
            ("draft",),
            "published",
            PUBLISH_CIRCULAR,
            "发布通报",
            "发布后通报正文不能再修改，并通知主送的科室负责人和服务商负责人。",
        ),
    }


class Circular(OrgScoped):
    """A circular (通报) of a frozen period's results in the official-document form: title,
    主送, body, the praised and criticized lists, requirements, 落款 and 成文日期. A draft is
    edited by the office; once published its text never changes and it gets its number
    (通报〔2026〕1号, per organization and year)."""

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        PUBLISHED = "published", "已发布"

    workflow = CircularWorkflow

    period = models.ForeignKey(
        Period, on_delete=models.PROTECT, related_name="circulars", verbose_name="考核周期"
    )
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT)
    year = models.PositiveSmallIntegerField("年度", null=True, blank=True)
    number = models.PositiveIntegerField("序号", null=True, blank=True)
    reference = models.CharField("发文字号", max_length=40, blank=True)
    title = models.CharField("标题", max_length=120)
    recipients = models.CharField("主送", max_length=300)
    body = models.TextField("正文")
    praised = models.TextField("表扬名单", blank=True)
    criticized = models.TextField("批评名单", blank=True)
    requirements = models.TextField("工作要求")
    signer = models.CharField("落款", max_length=100)
    dated = models.DateField("成文日期")
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="起草人"
    )
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    published_by = optional_fk(settings.AUTH_USER_MODEL, "发布人")

    class Meta:
        verbose_name = "通报"
        verbose_name_plural = "通报"
        ordering = ["-dated", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year", "number"],
                condition=models.Q(number__isnull=False),
                name="circular_number_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class SelfEvaluation(OrgScoped):
    """The yearly self-evaluation of standardization work (GB/T 24421.4): the system's
    completeness, implementation, effects and improvements. ``figures`` keeps the numbers
    Houqin read when it was drafted (or refreshed); the four texts are the office's, pre-filled
    from those numbers. One per organization and year."""

    year = models.PositiveSmallIntegerField("年度")
    title = models.CharField("标题", max_length=120)
    completeness = models.TextField("标准体系完整性")
    implementation = models.TextField("标准实施情况")
    effects = models.TextField("实施效果")
    improvements = models.TextField("改进情况")
    conclusion = models.TextField("评价结论")
    figures = models.JSONField("数据", default=dict, blank=True)
    figures_at = models.DateTimeField("取数时间")
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="起草人"
    )

    class Meta:
        verbose_name = "自我评价"
        verbose_name_plural = "自我评价"
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year"],
                name="self_evaluation_year_unique",
                violation_error_message="这一年已经有自我评价了。",
            ),
        ]

    def __str__(self) -> str:
        return self.title
