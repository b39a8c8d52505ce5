"""The reward/penalty ledger (奖惩台账): what a grade brought at 定稿 (proposed from the
scheme's reward rules) or what the office entered by hand, each linked to its score or
finding, approved or rejected by a leader."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models

from houqin.appraisal.models.periods import Score
from houqin.appraisal.models.schemes import RewardRule
from houqin.checklists.models import optional_fk
from houqin.common.models import OrgScoped
from houqin.common.workflow import Transition, Workflow
from houqin.findings.models import Finding
from houqin.org.models import Contract, Department, Staff, Team, Vendor

PROPOSE = "appraisal.add_rewardpenalty"
APPROVE = "appraisal.approve_rewardpenalty"


class RewardPenaltyWorkflow(Workflow):
    field = "status"
    transitions: ClassVar[dict[str, Transition]] = {
        "approve": Transition(
            ("proposed",),
            "approved",
            APPROVE,
            "批准",
            "批准后奖惩生效，记入台账，不能再修改。",
        ),
        "reject": Transition(
            ("proposed",), "rejected", APPROVE, "不予批准", "请写明不予批准的原因。", True
        ),
    }

    @classmethod
    def after(cls, obj: Any, name: str, transition: Transition, actor: Any) -> None:
        from houqin.appraisal.ledger_services import entry_notify

        entry_notify(entry=obj, transition=transition, actor=actor)


class RewardPenalty(OrgScoped):
    """One ledger entry: a reward or a penalty for one subject (a department, a team, a
    vendor or a person), the measure and the amount, the reason, and the score or the
    finding it comes from. ``rule`` is set on entries proposed by a reward rule at 定稿;
    one score gets at most one entry per rule."""

    class Kind(models.TextChoices):
        REWARD = "reward", "奖励"
        PENALTY = "penalty", "处罚"

    class Subject(models.TextChoices):
        DEPARTMENT = "department", "科室"
        TEAM = "team", "班组"
        VENDOR = "vendor", "服务商"
        PERSON = "person", "人员"

    class Origin(models.TextChoices):
        RULE = "rule", "考核定稿生成"
        MANUAL = "manual", "人工登记"

    class Status(models.TextChoices):
        PROPOSED = "proposed", "待批准"
        APPROVED = "approved", "已批准"
        REJECTED = "rejected", "不予批准"

    workflow = RewardPenaltyWorkflow

    kind = models.CharField("奖惩", max_length=8, choices=Kind.choices)
    subject_kind = models.CharField("对象类型", max_length=16, choices=Subject.choices)
    department = optional_fk(Department, "科室")
    team = optional_fk(Team, "班组")
    vendor = optional_fk(Vendor, "服务商")
    contract = optional_fk(Contract, "服务合同")
    staff = optional_fk(Staff, "人员")
    subject_name = models.CharField("对象", max_length=120)
    measure = models.CharField("措施", max_length=100)
    amount = models.DecimalField(
        "金额（元）", max_digits=10, decimal_places=2, null=True, blank=True
    )
    reason = models.CharField("事由", max_length=300)
    origin = models.CharField("来源", max_length=8, choices=Origin.choices)
    score = models.ForeignKey(
        Score,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ledger_entries",
        verbose_name="考核得分",
    )
    rule = optional_fk(RewardRule, "奖惩规则")
    finding = models.ForeignKey(
        Finding,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ledger_entries",
        verbose_name="问题",
    )
    status = models.CharField(
        "状态", max_length=10, choices=Status.choices, default=Status.PROPOSED
    )
    proposed_by = optional_fk(settings.AUTH_USER_MODEL, "登记人")
    proposed_at = models.DateTimeField("登记时间")
    decided_by = optional_fk(settings.AUTH_USER_MODEL, "审批人")
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    decision_note = models.CharField("审批意见", max_length=300, blank=True)

    class Meta:
        verbose_name = "奖惩记录"
        verbose_name_plural = "奖惩台账"
        ordering = ["-proposed_at", "-pk"]
        permissions = [("approve_rewardpenalty", "批准奖惩")]
        indexes = [
            models.Index(fields=["organization", "proposed_at"], name="ledger_proposed_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["score", "rule"],
                condition=models.Q(score__isnull=False, rule__isnull=False),
                name="ledger_one_per_score_rule",
            ),
            models.CheckConstraint(
                condition=models.Q(amount__isnull=True) | models.Q(amount__gte=0),
                name="ledger_amount_not_negative",
                violation_error_message="金额不能为负数。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject_name}：{self.measure}"


# the subject kinds of the ledger by a module-level name (the API schema names its enum)
LedgerSubject = RewardPenalty.Subject
