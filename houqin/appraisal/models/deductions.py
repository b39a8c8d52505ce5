"""Vendor deductions (服务商扣款): a contract's terms (the monthly fee and the monthly cap as
a percentage of it) and deduction rules (per finding of a severity, per missed task, per
point of the third-party evaluation below a threshold); each month a statement per
contract with its lines, issued to the vendor, confirmed or appealed line by line,
answered by the office and signed off for payment."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from houqin.checklists.models import Severity, optional_fk
from houqin.common.models import OrgScoped
from houqin.common.workflow import Transition, Workflow
from houqin.org.models import Contract, ServiceLine, Vendor

MANAGE = "appraisal.change_deductionterms"
RUN = "appraisal.change_deductionstatement"
APPEAL = "appraisal.appeal_deductionstatement"
SIGN_OFF = "appraisal.signoff_deductionstatement"


class DeductionTerms(OrgScoped):
    """The deduction terms of one contract: the monthly service fee and the most that may
    be deducted in one month, as a percentage of the fee."""

    contract = models.OneToOneField(
        Contract, on_delete=models.CASCADE, related_name="deduction_terms", verbose_name="服务合同"
    )
    monthly_fee = models.DecimalField(
        "月服务费（元）", max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )
    cap_percent = models.DecimalField(
        "月扣款上限（占月服务费%）",
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    service_line = models.CharField(
        "计入的服务条线",
        max_length=16,
        choices=ServiceLine.choices,
        blank=True,
        help_text="选“全部条线”时计入该服务商的全部检查任务和问题。同一服务商同时有几份合同时，"
        "每份合同指定不同的条线，同一个问题就不会在两张扣款单上重复扣款。",
    )

    class Meta:
        verbose_name = "扣款约定"
        verbose_name_plural = "扣款约定"
        ordering = ["contract"]

    def __str__(self) -> str:
        return f"{self.contract} 扣款约定"

    @property
    def cap_amount(self) -> Decimal:
        return (self.monthly_fee * self.cap_percent / 100).quantize(Decimal("0.01"))


class DeductionRule(OrgScoped):
    """One rule of a contract: what is counted (``basis``) and what one counted unit costs
    (``unit_amount`` 元). A finding rule counts the vendor's findings of ``severity`` raised
    in the month; a missed-task rule counts its missed tasks; a third-party rule counts the
    points by which the month's average third-party score falls below ``threshold``."""

    class Basis(models.TextChoices):
        FINDING = "finding", "发现问题（按严重程度）"
        MISSED_TASK = "missed_task", "漏检任务"
        THIRD_PARTY = "third_party", "第三方评价低于标准分"

    terms = models.ForeignKey(
        DeductionTerms, on_delete=models.CASCADE, related_name="rules", verbose_name="扣款约定"
    )
    basis = models.CharField("扣款依据", max_length=16, choices=Basis.choices)
    severity = models.CharField("问题严重程度", max_length=16, choices=Severity.choices, blank=True)
    threshold = models.DecimalField("标准分", max_digits=6, decimal_places=2, null=True, blank=True)
    unit_amount = models.DecimalField(
        "每次（每分）扣款（元）",
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "扣款规则"
        verbose_name_plural = "扣款规则"
        ordering = ["terms", "pk"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        if self.basis == self.Basis.FINDING:
            return f"{self.get_severity_display()}问题，每个扣 {self.unit_amount} 元"
        if self.basis == self.Basis.MISSED_TASK:
            return f"漏检任务，每次扣 {self.unit_amount} 元"
        return f"第三方评价低于 {self.threshold} 分，每低 1 分扣 {self.unit_amount} 元"


class DeductionStatementWorkflow(Workflow):
    field = "status"
    transitions: ClassVar[dict[str, Transition]] = {
        "issue": Transition(
            ("draft",),
            "issued",
            RUN,
            "下发服务商",
            "下发后服务商负责人可以查看扣款单，确认或对某一项提出申诉；扣款项不能再重新生成。",
        ),
        "appeal": Transition(("issued",), "appealed", APPEAL, "提出申诉"),
        "confirm": Transition(
            ("issued",), "confirmed", APPEAL, "确认扣款单", "确认后不能再提出申诉。"
        ),
        "settle": Transition(
            ("appealed",),
            "confirmed",
            RUN,
            "申诉处理完毕",
            "所有申诉都已答复，按答复后的金额确认扣款单。",
        ),
        "sign_off": Transition(
            ("confirmed",),
            "signed",
            SIGN_OFF,
            "签发",
            "签发后扣款单作为付款依据，不能再修改；可以导出签发的 PDF。",
        ),
    }

    @classmethod
    def after(cls, obj: Any, name: str, transition: Transition, actor: Any) -> None:
        from houqin.appraisal.deduction_services import statement_notify

        statement_notify(statement=obj, name=name, transition=transition, actor=actor)


class DeductionStatement(OrgScoped):
    """The deduction statement of one contract for one month (``month`` is its first day):
    the lines, the total before the cap, the cap (``cap_percent`` of ``monthly_fee``,
    copied from the terms when made) and the total deducted."""

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        ISSUED = "issued", "已下发"
        APPEALED = "appealed", "申诉中"
        CONFIRMED = "confirmed", "已确认"
        SIGNED = "signed", "已签发"

    workflow = DeductionStatementWorkflow

    contract = models.ForeignKey(
        Contract,
        on_delete=models.PROTECT,
        related_name="deduction_statements",
        verbose_name="服务合同",
    )
    vendor = models.ForeignKey(
        Vendor, on_delete=models.PROTECT, related_name="deduction_statements", verbose_name="服务商"
    )
    month = models.DateField("月份")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT)
    monthly_fee = models.DecimalField("月服务费（元）", max_digits=12, decimal_places=2)
    cap_percent = models.DecimalField("月扣款上限（%）", max_digits=5, decimal_places=2)
    cap_amount = models.DecimalField("月扣款上限（元）", max_digits=12, decimal_places=2)
    service_line = models.CharField(
        "计入的服务条线", max_length=16, choices=ServiceLine.choices, blank=True
    )
    total_before_cap = models.DecimalField("扣款合计（元）", max_digits=12, decimal_places=2)
    total = models.DecimalField("实际扣款（元）", max_digits=12, decimal_places=2)
    made_at = models.DateTimeField("生成时间")
    issued_at = models.DateTimeField("下发时间", null=True, blank=True)
    issued_by = optional_fk(settings.AUTH_USER_MODEL, "下发人")
    signed_at = models.DateTimeField("签发时间", null=True, blank=True)
    signed_by = optional_fk(settings.AUTH_USER_MODEL, "签发人")

    class Meta:
        verbose_name = "扣款单"
        verbose_name_plural = "扣款单"
        ordering = ["-month", "vendor", "pk"]
        permissions = [
            ("appeal_deductionstatement", "对扣款单提出申诉"),
            ("signoff_deductionstatement", "签发扣款单"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["contract", "month"], name="deduction_month_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.vendor} {self.month:%Y年%m月}扣款单"

    @property
    def capped(self) -> bool:
        return self.total < self.total_before_cap


class DeductionLine(OrgScoped):
    """One line of a statement: the rule, the count, the unit amount and the amount, and
    ``evidence`` — the ids of the rows behind the count ({"findings": [...], "tasks": [...],
    "records": [...]}). The vendor may appeal a line once with a reason; the office accepts
    it (with the corrected amount) or rejects it, answering in both cases."""

    class Appeal(models.TextChoices):
        NONE = "", "无"
        SUBMITTED = "submitted", "待答复"
        ACCEPTED = "accepted", "已采纳"
        REJECTED = "rejected", "已驳回"

    statement = models.ForeignKey(
        DeductionStatement, on_delete=models.CASCADE, related_name="lines", verbose_name="扣款单"
    )
    rule = optional_fk(DeductionRule, "扣款规则")
    seq = models.PositiveSmallIntegerField("序号")
    label = models.CharField("扣款项目", max_length=120)
    count = models.DecimalField("数量", max_digits=10, decimal_places=2)
    unit_amount = models.DecimalField("单价（元）", max_digits=10, decimal_places=2)
    amount = models.DecimalField("金额（元）", max_digits=12, decimal_places=2)
    original_amount = models.DecimalField("原金额（元）", max_digits=12, decimal_places=2)
    evidence = models.JSONField("依据", default=dict, blank=True)
    appeal = models.CharField(
        "申诉", max_length=10, choices=Appeal.choices, default=Appeal.NONE, blank=True
    )
    appeal_reason = models.TextField("申诉理由", blank=True)
    appealed_by = optional_fk(settings.AUTH_USER_MODEL, "申诉人")
    appealed_at = models.DateTimeField("申诉时间", null=True, blank=True)
    answer = models.TextField("答复", blank=True)
    answered_by = optional_fk(settings.AUTH_USER_MODEL, "答复人")
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)

    class Meta:
        verbose_name = "扣款项"
        verbose_name_plural = "扣款项"
        ordering = ["statement", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["statement", "seq"], name="deduction_line_seq_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.label} {self.amount}"
