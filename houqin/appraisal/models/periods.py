"""Appraisal periods (考核周期) and their scores: 草稿 → 计算 (a background job computes
every subject's score, with progress) → 公示 (subjects see their scores and may appeal one
item) → 申诉 (the office answers the appeals) → 定稿 (frozen: no later change of the rows
behind a score changes it)."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models

from houqin.appraisal.models.schemes import (
    Adjustment,
    AppraisalScheme,
    Grade,
    Indicator,
    SchemeVersion,
    SubjectKind,
)
from houqin.checklists.models import optional_fk
from houqin.common.models import OrgScoped
from houqin.common.workflow import Transition, Workflow
from houqin.org.models import Contract, Department, Staff, Team, Vendor

RUN = "appraisal.change_period"
APPEAL = "appraisal.add_appeal"
DECIDE = "appraisal.change_appeal"


class PeriodWorkflow(Workflow):
    field = "status"
    transitions: ClassVar[dict[str, Transition]] = {
        "compute": Transition(
            ("draft", "computed"),
            "computed",
            RUN,
            "计算得分",
            "按考核方案从检查、问题和整改数据重新计算每个考核对象的得分。",
        ),
        "publish": Transition(
            ("computed",),
            "published",
            RUN,
            "公示",
            "公示后考核对象可以查看得分并提出申诉，得分不能再重新计算。",
        ),
        "close_publicity": Transition(
            ("published",), "appeal", RUN, "结束公示，处理申诉", "结束后不再接受新的申诉。"
        ),
        "freeze": Transition(
            ("published", "appeal"),
            "final",
            RUN,
            "定稿",
            "定稿后得分冻结，之后修改检查记录或问题不会改变得分；按方案生成奖惩台账。",
        ),
    }


class Period(OrgScoped):
    """One appraisal round of a scheme over dates, scored with ``version`` (the scheme's
    published version when the period was created). ``done``/``total`` report the
    computing job's progress in steps (each day of records counted into the roll-ups, then
    each subject scored) and ``stage`` says which part it is in."""

    class Cadence(models.TextChoices):
        QUARTER = "quarter", "季度"
        HALF_YEAR = "half_year", "半年"
        YEAR = "year", "年度"
        CUSTOM = "custom", "自定义"

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        COMPUTED = "computed", "计算"
        PUBLISHED = "published", "公示"
        APPEAL = "appeal", "申诉"
        FINAL = "final", "定稿"

    workflow = PeriodWorkflow

    scheme = models.ForeignKey(
        AppraisalScheme, on_delete=models.PROTECT, related_name="periods", verbose_name="考核方案"
    )
    version = models.ForeignKey(
        SchemeVersion, on_delete=models.PROTECT, related_name="periods", verbose_name="方案版本"
    )
    name = models.CharField("周期名称", max_length=60)
    cadence = models.CharField("周期类型", max_length=10, choices=Cadence.choices)
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT)
    publicity_days = models.PositiveSmallIntegerField("公示天数", default=5)
    publicity_ends_on = models.DateField("公示截止", null=True, blank=True)
    done = models.PositiveIntegerField("已计算", default=0)
    total = models.PositiveIntegerField("应计算", default=0)
    computing = models.BooleanField("正在计算", default=False)
    stage = models.CharField("计算阶段", max_length=40, blank=True)
    computed_at = models.DateTimeField("计算时间", null=True, blank=True)
    compute_error = models.CharField("计算失败原因", max_length=300, blank=True)
    frozen_at = models.DateTimeField("定稿时间", null=True, blank=True)
    frozen_by = optional_fk(settings.AUTH_USER_MODEL, "定稿人")

    class Meta:
        verbose_name = "考核周期"
        verbose_name_plural = "考核周期"
        ordering = ["-starts_on", "scheme", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "starts_on", "ends_on"], name="period_dates_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="period_dates_valid",
                violation_error_message="结束日期不能早于开始日期。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scheme} {self.name}"


class Score(OrgScoped):
    """One subject's result in a period: the points of each indicator, the adjustments, the
    total, the rank (ties share a rank) and the grade. Exactly one subject link is set,
    the one of the scheme's subject kind (a vendor is appraised under its contract)."""

    period = models.ForeignKey(
        Period, on_delete=models.CASCADE, related_name="scores", verbose_name="考核周期"
    )
    subject_kind = models.CharField("考核对象类型", max_length=16, choices=SubjectKind.choices)
    department = optional_fk(Department, "科室")
    team = optional_fk(Team, "班组")
    contract = optional_fk(Contract, "服务合同")
    vendor = optional_fk(Vendor, "服务商")
    staff = optional_fk(Staff, "人员")
    subject_name = models.CharField("考核对象", max_length=120)
    base = models.DecimalField("指标得分", max_digits=7, decimal_places=2, default=0)
    bonus = models.DecimalField("加分", max_digits=7, decimal_places=2, default=0)
    deduction = models.DecimalField("扣分", max_digits=7, decimal_places=2, default=0)
    total = models.DecimalField("总分", max_digits=7, decimal_places=2, default=0)
    rank = models.PositiveSmallIntegerField("名次", null=True, blank=True)
    grade = models.CharField("等次", max_length=10, choices=Grade.choices, blank=True)

    class Meta:
        verbose_name = "考核得分"
        verbose_name_plural = "考核得分"
        ordering = ["period", "rank", "subject_name"]
        indexes = [models.Index(fields=["period", "rank"], name="score_rank_idx")]

    def __str__(self) -> str:
        return f"{self.subject_name} {self.total}"


class ScoreLine(OrgScoped):
    """One line of a score's breakdown: an indicator or an adjustment, the figure it read
    (``figure``: the counts behind it, e.g. {"passed": 412, "checked": 430}), the formula
    written out with those numbers, and the points. ``drill`` holds what the breakdown
    links to (the compliance figure names and scope of the rows behind the numbers)."""

    score = models.ForeignKey(
        Score, on_delete=models.CASCADE, related_name="lines", verbose_name="得分"
    )
    indicator = models.ForeignKey(
        Indicator,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="指标",
    )
    adjustment = models.ForeignKey(
        Adjustment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="加扣分项",
    )
    seq = models.PositiveSmallIntegerField("序号")
    label = models.CharField("项目", max_length=60)
    figure = models.JSONField("数据", default=dict, blank=True)
    formula = models.CharField("计算过程", max_length=300)
    points = models.DecimalField("得分", max_digits=7, decimal_places=2)
    drill = models.JSONField("明细链接", default=dict, blank=True)

    class Meta:
        verbose_name = "得分明细"
        verbose_name_plural = "得分明细"
        ordering = ["score", "seq"]

    def __str__(self) -> str:
        return f"{self.label} {self.points}"


class ManualEntry(OrgScoped):
    """A figure entered by hand for one subject's score (a manual indicator's points or a
    manual adjustment's count), with who entered it; the evidence is attached to it. Scores
    are kept across recomputes, so an entry made after the first computation stays."""

    score = models.ForeignKey(
        Score, on_delete=models.CASCADE, related_name="manual_entries", verbose_name="得分"
    )
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    adjustment = models.ForeignKey(
        Adjustment, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    value = models.DecimalField("数值", max_digits=7, decimal_places=2)
    note = models.CharField("依据", max_length=300)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="录入人"
    )
    entered_at = models.DateTimeField("录入时间")

    class Meta:
        verbose_name = "人工录入"
        verbose_name_plural = "人工录入"
        ordering = ["score", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(indicator__isnull=False) | models.Q(adjustment__isnull=False),
                name="manual_entry_has_target",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.score.subject_name} {self.value}"


class AppealWorkflow(Workflow):
    field = "status"
    transitions: ClassVar[dict[str, Transition]] = {
        "accept": Transition(
            ("submitted",),
            "accepted",
            DECIDE,
            "采纳申诉",
            "采纳后按更正的数据重新计算该对象的得分，并记入变更记录。",
            needs_note=True,
        ),
        "reject": Transition(("submitted",), "rejected", DECIDE, "驳回申诉", needs_note=True),
    }


class Appeal(OrgScoped):
    """A subject contests one line of its score during publicity, with a reason and
    evidence (attachments). Accepting it corrects the line (``corrected``: the figure or
    points the office accepts) and recomputes the score; the change is logged."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "待处理"
        ACCEPTED = "accepted", "已采纳"
        REJECTED = "rejected", "已驳回"

    workflow = AppealWorkflow

    score = models.ForeignKey(
        Score, on_delete=models.CASCADE, related_name="appeals", verbose_name="得分"
    )
    line = models.ForeignKey(
        ScoreLine, on_delete=models.CASCADE, related_name="appeals", verbose_name="申诉的项目"
    )
    reason = models.TextField("申诉理由")
    status = models.CharField(
        "状态", max_length=10, choices=Status.choices, default=Status.SUBMITTED
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="申诉人"
    )
    submitted_at = models.DateTimeField("申诉时间")
    answer = models.TextField("处理意见", blank=True)
    decided_by = optional_fk(settings.AUTH_USER_MODEL, "处理人")
    decided_at = models.DateTimeField("处理时间", null=True, blank=True)
    points_before = models.DecimalField(
        "原得分", max_digits=7, decimal_places=2, null=True, blank=True
    )
    points_after = models.DecimalField(
        "更正后得分", max_digits=7, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = "申诉"
        verbose_name_plural = "申诉"
        ordering = ["-submitted_at", "pk"]

    def __str__(self) -> str:
        return f"{self.score.subject_name}：{self.line.label}"
