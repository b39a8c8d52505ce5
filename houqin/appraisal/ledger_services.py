"""The reward/penalty ledger (奖惩台账): entries proposed by the scheme's reward rules when a
period is frozen, entries registered by hand, and the leader's approval."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from houqin.appraisal.models import Period, RewardPenalty, RewardRule, Score, SubjectKind
from houqin.appraisal.models.ledger import APPROVE, PROPOSE
from houqin.common.changelog import changelog_record, snapshot
from houqin.common.lists import url_for_pk
from houqin.common.models import ChangeLogEntry
from houqin.common.notifications import NOTIFICATION_KINDS, notify
from houqin.common.services import validate
from houqin.common.workflow import Transition, transition_apply

LEDGER_KIND = "ledger"
NOTIFICATION_KINDS.setdefault(LEDGER_KIND, "奖惩台账")
VIEW = "appraisal.view_rewardpenalty"

_SUBJECT_OF_SCORE = {
    SubjectKind.DEPARTMENT: RewardPenalty.Subject.DEPARTMENT,
    SubjectKind.TEAM: RewardPenalty.Subject.TEAM,
    SubjectKind.VENDOR: RewardPenalty.Subject.VENDOR,
    SubjectKind.PERSON: RewardPenalty.Subject.PERSON,
}


def _created(entry: RewardPenalty, actor: Any) -> None:
    changes = {k: [None, v] for k, v in snapshot(entry).items() if v not in (None, "")}
    changelog_record(obj=entry, action=ChangeLogEntry.Action.CREATE, actor=actor, changes=changes)


def _reason(period: Period, score: Score) -> str:
    rank = f"，第{score.rank}名" if score.rank else ""
    return (f"{period}定稿：总分 {score.total}{rank}，等次“{score.get_grade_display()}”")[:300]


@transaction.atomic
def ledger_from_period(
    period: Period, actor: Any, *, now: datetime | None = None
) -> list[RewardPenalty]:
    """定稿时按方案的奖惩规则生成待批准的奖惩记录：每个得分的等次有几条规则就生成几条，
    每条都链接到它的得分。再次调用不会重复生成（已有的跳过），返回本次新生成的记录。"""
    when = now or timezone.now()
    rules: dict[str, list[RewardRule]] = {}
    for rule in RewardRule.objects.filter(version_id=period.version_id).order_by("pk"):
        rules.setdefault(rule.grade, []).append(rule)
    if not rules:
        return []
    scores = list(Score.objects.filter(period=period, grade__in=list(rules)).order_by("rank", "pk"))
    existing = set(
        RewardPenalty.objects.filter(score__period=period, rule__isnull=False).values_list(
            "score_id", "rule_id"
        )
    )
    made: list[RewardPenalty] = []
    for score in scores:
        for rule in rules[score.grade]:
            if (score.pk, rule.pk) in existing:
                continue
            entry = RewardPenalty.objects.create(
                organization_id=period.organization_id,
                kind=rule.kind,
                subject_kind=_SUBJECT_OF_SCORE[SubjectKind(score.subject_kind)],
                department_id=score.department_id,
                team_id=score.team_id,
                vendor_id=score.vendor_id,
                contract_id=score.contract_id,
                staff_id=score.staff_id,
                subject_name=score.subject_name,
                measure=rule.measure,
                amount=rule.amount,
                reason=_reason(period, score),
                origin=RewardPenalty.Origin.RULE,
                score=score,
                rule=rule,
                proposed_by=actor if getattr(actor, "pk", None) else None,
                proposed_at=when,
            )
            _created(entry, actor)
            made.append(entry)
    return made


_SUBJECT_FIELD: dict[str, str] = {
    RewardPenalty.Subject.DEPARTMENT.value: "department",
    RewardPenalty.Subject.TEAM.value: "team",
    RewardPenalty.Subject.VENDOR.value: "vendor",
    RewardPenalty.Subject.PERSON.value: "staff",
}


@transaction.atomic
def entry_register(
    *, actor: Any, data: dict[str, Any], now: datetime | None = None
) -> RewardPenalty:
    """人工登记一条奖惩记录（待批准）：对象、措施、金额、事由，可链接一个问题或得分。"""
    if not actor.has_perm(PROPOSE):
        raise PermissionDenied
    subject_kind = str(data.get("subject_kind") or "")
    field = _SUBJECT_FIELD.get(subject_kind)
    subject = data.get(field) if field else None
    if subject is None:
        raise ValidationError({"subject_kind": "请选择奖惩对象。"})
    for name in ("department", "team", "vendor", "staff", "finding", "score"):
        linked = data.get(name)
        if linked is not None and linked.organization_id != actor.organization_id:
            raise ValidationError("只能选择本单位的数据。")
    values = {name: data.get(name) for name in ("department", "team", "vendor", "staff")}
    values = {name: (value if name == field else None) for name, value in values.items()}
    amount = data.get("amount")
    entry = RewardPenalty(
        organization_id=actor.organization_id,
        kind=str(data.get("kind") or ""),
        subject_kind=subject_kind,
        subject_name=str(subject)[:120],
        measure=(data.get("measure") or "").strip(),
        amount=Decimal(amount) if amount not in (None, "") else None,
        reason=(data.get("reason") or "").strip(),
        origin=RewardPenalty.Origin.MANUAL,
        finding=data.get("finding"),
        score=data.get("score"),
        proposed_by=actor,
        proposed_at=now or timezone.now(),
        **values,
    )
    validate(entry)
    entry.save()
    _created(entry, actor)
    return entry


@transaction.atomic
def entry_decide(
    *, entry: RewardPenalty, actor: Any, name: str, note: str = "", now: datetime | None = None
) -> RewardPenalty:
    """领导批准或不予批准一条待批准的奖惩记录；不予批准须写明原因。"""
    if name not in RewardPenalty.workflow.transitions:
        raise ValidationError("没有这个操作。")
    if entry.proposed_by_id == actor.pk and entry.origin == RewardPenalty.Origin.MANUAL:
        raise ValidationError("登记人不能审批自己登记的奖惩记录。")
    transition_apply(obj=entry, name=name, actor=actor, note=note)
    when = now or timezone.now()
    RewardPenalty.objects.filter(pk=entry.pk).update(
        decided_by=actor, decided_at=when, decision_note=note.strip()[:300]
    )
    entry.decided_by, entry.decided_at, entry.decision_note = actor, when, note.strip()[:300]
    return entry


def entry_notify(*, entry: RewardPenalty, transition: Transition, actor: Any) -> None:
    """审批后通知登记人（提交后执行）。"""
    proposer = entry.proposed_by
    if proposer is None or proposer.pk == getattr(actor, "pk", None):
        return
    notify(
        recipients=[proposer],
        kind=LEDGER_KIND,
        title=f"奖惩记录“{entry.subject_name}：{entry.measure}”{transition.label}",
        body=f"{getattr(actor, 'name', '')}：{entry.decision_note or transition.label}",
        link=url_for_pk("appraisal:ledger_detail", entry.pk),
        target=entry,
    )


def ledger_for(user: Any) -> QuerySet[RewardPenalty]:
    """这个人能看到的奖惩记录：有查看权限的看本单位全部；服务商负责人只看本公司的。"""
    rows = RewardPenalty.objects.for_user(user)
    if user.has_perm(VIEW) or user.has_perm(APPROVE):
        return rows
    return RewardPenalty.objects.none()


def may_decide(user: Any, entry: RewardPenalty) -> bool:
    return (
        entry.status == RewardPenalty.Status.PROPOSED
        and user.has_perm(APPROVE)
        and not (entry.origin == RewardPenalty.Origin.MANUAL and entry.proposed_by_id == user.pk)
    )
