"""Appraisal schemes (考核方案): who is appraised, on which indicators with which weights,
computed from which data or entered by hand, the bonus and deduction items with their caps,
and the grade bands. A scheme changes only through a new version; a period is always scored
with the version it started with."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from houqin.checklists.models import InspectionKind, optional_fk
from houqin.common.models import OrgScoped
from houqin.org.models import Contract, Department, Post, Team

MANAGE = "appraisal.change_appraisalscheme"


class SubjectKind(models.TextChoices):
    DEPARTMENT = "department", "科室"
    TEAM = "team", "班组"
    VENDOR = "vendor", "服务商（按合同）"
    PERSON = "person", "人员（按岗位）"


class Source(models.TextChoices):
    """Where an indicator's or an adjustment's figure comes from. The computed ones read
    Houqin's own rows over the period (``houqin.appraisal.sources``); ``manual`` is entered
    by hand with its evidence."""

    PASS_RATE = "pass_rate", "检查合格率"
    VETO_FAILURES = "veto_failures", "否决项不合格次数"
    TASKS_MISSED = "tasks_missed", "漏检任务数"
    TASK_DONE_RATE = "task_done_rate", "任务完成率"
    FIX_ON_TIME_RATE = "fix_on_time_rate", "整改及时率"
    REPEAT_FINDINGS = "repeat_findings", "重复发生的问题数"
    FINDINGS = "findings", "发现问题数"
    THIRD_PARTY = "third_party", "第三方评价得分"
    ACKNOWLEDGED_RATE = "acknowledged_rate", "标准阅读确认率"
    MANUAL = "manual", "人工录入"


class Method(models.TextChoices):
    """How a figure becomes points."""

    RATE = "rate", "按比率得分（权重 × 比率）"
    DEDUCT = "deduct", "扣分制（权重 − 每次扣分 × 次数，最低 0 分）"
    MANUAL = "manual", "人工评分（0 至权重）"


class AppraisalScheme(OrgScoped):
    """A scheme's lasting identity: its name and the kind of subject it appraises. What it
    measures lives in its versions."""

    name = models.CharField("方案名称", max_length=100)
    subject_kind = models.CharField("考核对象", max_length=16, choices=SubjectKind.choices)
    description = models.TextField("说明", blank=True)
    archived = models.BooleanField("已停用", default=False)

    class Meta:
        verbose_name = "考核方案"
        verbose_name_plural = "考核方案"
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="scheme_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class SchemeVersion(OrgScoped):
    """One version of a scheme. A draft can be edited; once published it never changes
    (periods point at it), and a change is a new draft copied from it."""

    class Grading(models.TextChoices):
        SCORE = "score", "按分数段"
        SHARE = "share", "按排名比例"

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        PUBLISHED = "published", "已发布"

    scheme = models.ForeignKey(
        AppraisalScheme, on_delete=models.CASCADE, related_name="versions", verbose_name="方案"
    )
    seq = models.PositiveSmallIntegerField("版本号")
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.DRAFT)
    grading = models.CharField(
        "评定等次", max_length=8, choices=Grading.choices, default=Grading.SCORE
    )
    departments = models.ManyToManyField(
        Department, blank=True, related_name="+", verbose_name="考核的科室"
    )
    teams = models.ManyToManyField(Team, blank=True, related_name="+", verbose_name="考核的班组")
    contracts = models.ManyToManyField(
        Contract, blank=True, related_name="+", verbose_name="考核的服务合同"
    )
    posts = models.ManyToManyField(Post, blank=True, related_name="+", verbose_name="考核的岗位")
    note = models.CharField("修订说明", max_length=200, blank=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    published_by = optional_fk(settings.AUTH_USER_MODEL, "发布人")

    class Meta:
        verbose_name = "考核方案版本"
        verbose_name_plural = "考核方案版本"
        ordering = ["scheme", "-seq"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "seq"], name="scheme_version_seq_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.scheme} 第{self.seq}版"


class Indicator(OrgScoped):
    """One measured thing with its weight (the weights of a version sum to 100). ``kind``
    narrows a pass-rate source to one inspection kind; ``per_unit`` is what one counted
    event costs under the deduction method."""

    version = models.ForeignKey(
        SchemeVersion, on_delete=models.CASCADE, related_name="indicators", verbose_name="方案版本"
    )
    seq = models.PositiveSmallIntegerField("序号")
    name = models.CharField("指标名称", max_length=60)
    weight = models.DecimalField(
        "权重（分）",
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("100"))],
    )
    source = models.CharField("数据来源", max_length=24, choices=Source.choices)
    method = models.CharField("计分方法", max_length=8, choices=Method.choices)
    kind = models.CharField("检查类型", max_length=16, choices=InspectionKind.choices, blank=True)
    per_unit = models.DecimalField("每次扣分", max_digits=5, decimal_places=2, default=Decimal("0"))
    note = models.CharField("评分说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "考核指标"
        verbose_name_plural = "考核指标"
        ordering = ["version", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["version", "seq"], name="indicator_seq_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class Adjustment(OrgScoped):
    """A bonus (加分) or deduction (扣分) item: ``points`` per counted event, at most
    ``cap`` points in one period (e.g. −2 per veto failure, at most −20)."""

    class Direction(models.TextChoices):
        BONUS = "bonus", "加分"
        DEDUCTION = "deduction", "扣分"

    version = models.ForeignKey(
        SchemeVersion,
        on_delete=models.CASCADE,
        related_name="adjustments",
        verbose_name="方案版本",
    )
    seq = models.PositiveSmallIntegerField("序号")
    name = models.CharField("项目", max_length=60)
    direction = models.CharField("加分或扣分", max_length=10, choices=Direction.choices)
    source = models.CharField("数据来源", max_length=24, choices=Source.choices)
    points = models.DecimalField(
        "每次分值",
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    cap = models.DecimalField(
        "封顶（分）",
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )

    class Meta:
        verbose_name = "加扣分项"
        verbose_name_plural = "加扣分项"
        ordering = ["version", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["version", "seq"], name="adjustment_seq_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class Grade(models.TextChoices):
    EXCELLENT = "excellent", "优秀"
    GOOD = "good", "良好"
    PASS = "pass", "合格"
    FAIL = "fail", "不合格"


class GradeBand(OrgScoped):
    """A grade's lower bound (``min_score``) and, under rank-share grading, the most
    subjects it may hold as a share of all (``max_share`` %, e.g. at most 20 % 优秀)."""

    version = models.ForeignKey(
        SchemeVersion, on_delete=models.CASCADE, related_name="bands", verbose_name="方案版本"
    )
    grade = models.CharField("等次", max_length=10, choices=Grade.choices)
    min_score = models.DecimalField("最低分", max_digits=6, decimal_places=2)
    max_share = models.PositiveSmallIntegerField(
        "名额比例上限（%）",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )

    class Meta:
        verbose_name = "等次"
        verbose_name_plural = "等次"
        ordering = ["version", "-min_score"]
        constraints = [
            models.UniqueConstraint(fields=["version", "grade"], name="grade_band_unique"),
        ]

    def __str__(self) -> str:
        return self.get_grade_display()


class RewardRule(OrgScoped):
    """What a grade brings when a period is frozen (定稿): an entry in the reward/penalty
    ledger (e.g. 优秀 → 通报表扬并奖励; 不合格 → 约谈并提交整改计划)."""

    class Kind(models.TextChoices):
        REWARD = "reward", "奖励"
        PENALTY = "penalty", "处罚"

    version = models.ForeignKey(
        SchemeVersion,
        on_delete=models.CASCADE,
        related_name="reward_rules",
        verbose_name="方案版本",
    )
    grade = models.CharField("等次", max_length=10, choices=Grade.choices)
    kind = models.CharField("奖惩", max_length=8, choices=Kind.choices)
    measure = models.CharField("措施", max_length=100)
    amount = models.DecimalField(
        "金额（元）", max_digits=10, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = "奖惩规则"
        verbose_name_plural = "奖惩规则"
        ordering = ["version", "grade"]

    def __str__(self) -> str:
        return f"{self.get_grade_display()} → {self.measure}"
