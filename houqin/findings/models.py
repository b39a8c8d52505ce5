"""Findings (问题 / 不符合项): something that broke a standard, raised by a failed checklist
answer or by hand, and its rectification (整改): assigned → fixed with evidence → accepted
or sent back; a major finding waits for an effectiveness check before it closes. Overdue
rectifications escalate (department head, then the leader)."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models

from houqin.checklists.models import Answer, ChecklistItem, Record, Severity, optional_fk
from houqin.common.models import OrgScoped
from houqin.common.workflow import Transition, Workflow
from houqin.org.models import Department, Vendor
from houqin.places.models import Equipment, Place
from houqin.standards.models import Clause

RAISE = "findings.add_finding"
MANAGE = "findings.change_finding"
FIX = "findings.change_rectification"


class FindingPolicy(OrgScoped):
    """An organization's rectification rules: the deadline per severity, the window in which
    a finding at the same item and place counts as a repeat, and the effectiveness check."""

    minor_days = models.PositiveSmallIntegerField("一般问题整改期限（天）", default=7)
    major_days = models.PositiveSmallIntegerField("较重问题整改期限（天）", default=3)
    critical_days = models.PositiveSmallIntegerField("严重问题整改期限（天）", default=1)
    repeat_days = models.PositiveSmallIntegerField("重复发生的判定期（天）", default=30)
    effect_days = models.PositiveSmallIntegerField("整改效果复查（天后）", default=14)

    class Meta:
        verbose_name = "整改规则"
        verbose_name_plural = "整改规则"
        constraints = [
            models.UniqueConstraint(fields=["organization"], name="finding_policy_unique"),
        ]

    def __str__(self) -> str:
        return "整改规则"


class Finding(OrgScoped):
    """Something that broke a standard: where, what, which clause, how serious. A repeat
    (same item or clause at the same place within the policy's window) points at the
    earlier finding and is one severity higher."""

    class Source(models.TextChoices):
        CHECK = "check", "检查不合格"
        MANUAL = "manual", "人工登记"

    source = models.CharField("来源", max_length=16, choices=Source.choices)
    title = models.CharField("问题", max_length=200)
    description = models.TextField("情况说明", blank=True)
    severity = models.CharField("严重程度", max_length=16, choices=Severity.choices)
    record = models.ForeignKey(
        Record,
        on_delete=models.PROTECT,
        related_name="findings",
        verbose_name="检查记录",
        null=True,
        blank=True,
    )
    answer = models.OneToOneField(
        Answer,
        on_delete=models.PROTECT,
        related_name="finding",
        verbose_name="检查项答案",
        null=True,
        blank=True,
    )
    item_key = models.UUIDField("检查项标识", null=True, blank=True)
    item = models.ForeignKey(
        ChecklistItem,
        on_delete=models.PROTECT,
        related_name="findings",
        verbose_name="检查项",
        null=True,
        blank=True,
    )
    clause = models.ForeignKey(
        Clause,
        on_delete=models.PROTECT,
        related_name="findings",
        verbose_name="依据条款",
        null=True,
        blank=True,
    )
    place = optional_fk(Place, "场所")
    equipment = optional_fk(Equipment, "设备")
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="发现人"
    )
    raised_at = models.DateTimeField("发现时间")
    repeat_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        related_name="repeats",
        verbose_name="重复发生于",
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = "问题"
        verbose_name_plural = "问题"
        ordering = ["-raised_at", "-pk"]
        indexes = [
            # covers the compliance figures and the heat map (no table reads)
            models.Index(
                fields=["organization", "raised_at", "severity", "repeat_of", "place", "equipment"],
                name="finding_figures_idx",
            ),
            models.Index(fields=["item_key", "place", "raised_at"], name="finding_repeat_idx"),
        ]

    def __str__(self) -> str:
        return self.title


class RectificationWorkflow(Workflow):
    field = "status"
    transitions: ClassVar[dict[str, Transition]] = {
        "submit": Transition(("assigned", "returned"), "fixed", FIX, "提交整改"),
        # the raiser of a finding may verify its fix too (services check raiser or manager)
        "accept": Transition(("fixed",), "closed", FIX, "验收通过"),
        "accept_pending": Transition(("fixed",), "effect_check", FIX, "验收通过，待复查"),
        "send_back": Transition(("fixed",), "returned", FIX, "退回重改", needs_note=True),
        "confirm": Transition(("effect_check",), "closed", MANAGE, "复查有效，关闭"),
        "reopen": Transition(
            ("effect_check",), "returned", MANAGE, "复查无效，重新整改", needs_note=True
        ),
    }


class Rectification(OrgScoped):
    """A finding's fix: who answers for it, by when, the evidence, and where it stands.
    ``escalation`` counts how far an overdue fix has been escalated (1 head, 2 leader)."""

    class Status(models.TextChoices):
        ASSIGNED = "assigned", "待整改"
        FIXED = "fixed", "待验收"
        RETURNED = "returned", "退回重改"
        EFFECT_CHECK = "effect_check", "待复查"
        CLOSED = "closed", "已关闭"

    workflow = RectificationWorkflow

    finding = models.OneToOneField(
        Finding, on_delete=models.CASCADE, related_name="rectification", verbose_name="问题"
    )
    department = optional_fk(Department, "责任科室")
    person = optional_fk(settings.AUTH_USER_MODEL, "整改人")
    vendor = optional_fk(Vendor, "责任服务商")
    deadline = models.DateTimeField("整改期限")
    status = models.CharField(
        "状态", max_length=16, choices=Status.choices, default=Status.ASSIGNED
    )
    evidence = models.TextField("整改情况", blank=True)
    fixed_at = models.DateTimeField("整改完成时间", null=True, blank=True)
    verifier = optional_fk(settings.AUTH_USER_MODEL, "验收人")
    effect_due = models.DateField("复查日期", null=True, blank=True)
    closed_at = models.DateTimeField("关闭时间", null=True, blank=True)
    escalation = models.PositiveSmallIntegerField("催办级别", default=0)

    class Meta:
        verbose_name = "整改"
        verbose_name_plural = "整改"
        ordering = ["deadline", "pk"]
        indexes = [
            models.Index(fields=["organization", "status", "deadline"], name="rect_status_idx"),
            # read beside each finding by the compliance figures (no table reads)
            models.Index(
                fields=["finding", "status", "fixed_at", "deadline"], name="rect_figures_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"整改：{self.finding}"


class SupervisionOrderWorkflow(Workflow):
    field = "status"
    transitions: ClassVar[dict[str, Transition]] = {
        "answer": Transition(
            ("issued",),
            "answered",
            FIX,
            "报送办理情况",
            "报送后由督办人审核办结。",
            needs_note=True,
        ),
        "send_back": Transition(("answered",), "issued", MANAGE, "退回重办", needs_note=True),
        "close": Transition(
            ("answered",), "closed", MANAGE, "办结", "办结后督办单不能再退回或修改。"
        ),
    }


class SupervisionOrder(OrgScoped):
    """A 督办单: a formal order to fix one or several findings by a date, sent to a
    department or a vendor. Its reference number (督办〔2026〕3号) counts per organization
    and year and is never reused; issued → answered (the recipient reports) → closed."""

    class Status(models.TextChoices):
        ISSUED = "issued", "办理中"
        ANSWERED = "answered", "已报送"
        CLOSED = "closed", "已办结"

    workflow = SupervisionOrderWorkflow

    year = models.PositiveSmallIntegerField("年度")
    number = models.PositiveIntegerField("序号")
    reference = models.CharField("督办编号", max_length=40)
    title = models.CharField("标题", max_length=120)
    body = models.TextField("督办内容")
    deadline = models.DateField("办理期限")
    department = optional_fk(Department, "主送科室")
    vendor = optional_fk(Vendor, "主送服务商")
    findings = models.ManyToManyField(
        Finding, related_name="supervision_orders", verbose_name="督办的问题"
    )
    issuer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="签发人"
    )
    issued_at = models.DateTimeField("签发时间")
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.ISSUED)
    answer = models.TextField("办理情况", blank=True)
    answered_at = models.DateTimeField("报送时间", null=True, blank=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)

    class Meta:
        verbose_name = "督办单"
        verbose_name_plural = "督办单"
        ordering = ["-year", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year", "number"], name="supervision_order_number_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(department__isnull=False) | models.Q(vendor__isnull=False),
                name="supervision_order_has_recipient",
                violation_error_message="请选择主送的科室或服务商。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    @property
    def recipient(self) -> str:
        """主送: the department and/or the vendor, as the document names them."""
        names = [str(x) for x in (self.department, self.vendor) if x is not None]
        return "、".join(names)
