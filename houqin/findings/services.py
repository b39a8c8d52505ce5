"""Every write about findings and their rectification: raising (from a submitted record's
failed answers, or by hand), repeat detection, deadlines by severity, and the steps of the
rectification loop through the workflow helper."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from houqin.checklists.models import Answer, Record, Severity
from houqin.checklists.services import record_submit
from houqin.common.changelog import changelog_record
from houqin.common.models import ChangeLogEntry
from houqin.common.workflow import transition_apply
from houqin.findings.models import Finding, FindingPolicy, Rectification

LEVELS: list[str] = [Severity.MINOR, Severity.MAJOR, Severity.CRITICAL]
NEEDS_EFFECT_CHECK = frozenset({Severity.MAJOR, Severity.CRITICAL})


def policy_for(organization: Any) -> FindingPolicy:
    policy, _ = FindingPolicy.objects.get_or_create(organization=organization)
    return policy


def deadline_for(
    policy: FindingPolicy, severity: str, raised_at: datetime, days: int | None
) -> datetime:
    """The fix deadline: the item's own days if set, else the policy's for the severity;
    the end of that day, local time."""
    if days is None:
        days = {
            Severity.MINOR: policy.minor_days,
            Severity.MAJOR: policy.major_days,
            Severity.CRITICAL: policy.critical_days,
        }[Severity(severity)]
    day = timezone.localtime(raised_at).date() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, datetime.max.time().replace(microsecond=0)))


def _earlier(finding: Finding, policy: FindingPolicy) -> Finding | None:
    """The latest finding at the same place for the same item (or clause) within the
    policy's window: this one repeats it."""
    if finding.place_id is None or (finding.item_key is None and finding.clause_id is None):
        return None
    same = Finding.objects.filter(
        organization_id=finding.organization_id,
        place_id=finding.place_id,
        raised_at__gte=finding.raised_at - timedelta(days=policy.repeat_days),
        raised_at__lte=finding.raised_at,
    )
    if finding.item_key is not None:
        same = same.filter(item_key=finding.item_key)
    else:
        same = same.filter(clause=finding.clause)
    return same.order_by("-raised_at", "-pk").first()


def _higher(severity: str) -> str:
    return LEVELS[min(LEVELS.index(severity) + 1, len(LEVELS) - 1)]


@dataclass(frozen=True)
class Responsible:
    """Who answers for a fix: a department, a person, a vendor (any may be empty)."""

    department: Any = None
    person: Any = None
    vendor: Any = None


@transaction.atomic
def finding_raise(
    *,
    organization: Any,
    actor: Any,
    title: str,
    severity: str,
    responsible: Responsible,
    source: str = Finding.Source.MANUAL,
    description: str = "",
    place: Any = None,
    equipment: Any = None,
    record: Record | None = None,
    answer: Answer | None = None,
    clause: Any = None,
    fix_days: int | None = None,
    now: datetime | None = None,
) -> Finding:
    """Raise a finding and open its rectification with the deadline its severity gives.
    A repeat of a recent finding at the same place and item is one severity higher."""
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": "请写明发现的问题。"})
    if severity not in Severity.values:
        raise ValidationError({"severity": "请选择严重程度。"})
    if not (responsible.department or responsible.person or responsible.vendor):
        raise ValidationError({"department": "请指定负责整改的科室、人员或服务商。"})
    raised_at = now or timezone.now()
    item = answer.item if answer is not None else None
    finding = Finding(
        organization=organization,
        source=source,
        title=title[:200],
        description=description.strip(),
        severity=severity,
        record=record,
        answer=answer,
        item=item,
        item_key=item.key if item is not None else None,
        clause=clause if clause is not None else (item.clause if item is not None else None),
        place=place,
        equipment=equipment,
        raised_by=actor,
        raised_at=raised_at,
    )
    policy = policy_for(organization)
    earlier = _earlier(finding, policy)
    if earlier is not None:
        finding.repeat_of = earlier
        worst = max(LEVELS.index(severity), LEVELS.index(earlier.severity))
        finding.severity = _higher(LEVELS[worst])
    finding.save()
    Rectification.objects.create(
        organization=organization,
        finding=finding,
        department=responsible.department,
        person=responsible.person,
        vendor=responsible.vendor,
        deadline=deadline_for(policy, finding.severity, raised_at, fix_days),
    )
    changes: dict[str, list[Any]] = {
        "问题": [None, finding.title],
        "严重程度": [None, finding.get_severity_display()],
    }
    if earlier is not None:
        changes["重复发生"] = [None, f"{timezone.localtime(earlier.raised_at):%Y-%m-%d} 的同一问题"]
    changelog_record(obj=finding, action=ChangeLogEntry.Action.CREATE, actor=actor, changes=changes)
    return finding


def _responsible(record: Record) -> Responsible:
    """A check's findings go to the task's vendor if a vendor does the work, else to the
    department of the place (or the template's department)."""
    task = record.task
    vendor = task.vendor if task is not None else None
    department = record.place.department if record.place is not None else None
    return Responsible(department=department or record.template.department, vendor=vendor)


@transaction.atomic
def record_finish(
    *,
    record: Record,
    actor: Any,
    photos: dict[int, int],
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
) -> Record:
    """Submit a record and raise a finding for each failed answer whose item asks for one.
    Submitting the same record again raises nothing new."""
    already = record.status == Record.Status.SUBMITTED
    record = record_submit(
        record=record, actor=actor, photos=photos, latitude=latitude, longitude=longitude
    )
    if already:
        return record
    failed = record.answers.select_related("item__clause").filter(
        outcome=Answer.Outcome.FAIL, item__finding_on_fail=True
    )
    responsible = _responsible(record)
    for answer in failed:
        item = answer.item
        finding_raise(
            organization=record.organization,
            actor=actor,
            title=f"{item.text}：不合格",
            description=answer.note,
            severity=item.severity,
            responsible=responsible,
            source=Finding.Source.CHECK,
            place=record.place,
            equipment=record.equipment,
            record=record,
            answer=answer,
            fix_days=item.fix_days,
            now=record.submitted_at,
        )
    return record


# ---- the rectification loop ---------------------------------------------------------------


@transaction.atomic
def rectification_submit(
    *, rectification: Rectification, actor: Any, evidence: str
) -> Rectification:
    """The person responsible reports the fix, with what was done (photos go on the
    rectification as attachments)."""
    evidence = (evidence or "").strip()
    if len(evidence) < 4:
        raise ValidationError(
            {"evidence": "请写明整改做了什么（至少4个字），并尽量附上整改后的照片。"}
        )
    transition_apply(obj=rectification, name="submit", actor=actor)
    Rectification.objects.filter(pk=rectification.pk).update(
        evidence=evidence, fixed_at=timezone.now()
    )
    rectification.evidence, rectification.fixed_at = evidence, timezone.now()
    return rectification


@transaction.atomic
def rectification_accept(
    *, rectification: Rectification, actor: Any, today: Any = None
) -> Rectification:
    """The verifier accepts the fix. A major or critical finding is not closed yet: it
    waits for the effectiveness check the policy sets (did it recur?)."""
    finding = rectification.finding
    if finding.raised_by_id != actor.pk and not actor.has_perm("findings.change_finding"):
        raise ValidationError("只有发现人或有验收权限的人可以验收。")
    if finding.severity in NEEDS_EFFECT_CHECK:
        transition_apply(obj=rectification, name="accept_pending", actor=actor)
        day = (today or timezone.localdate()) + timedelta(
            days=policy_for(rectification.organization).effect_days
        )
        Rectification.objects.filter(pk=rectification.pk).update(verifier=actor, effect_due=day)
        rectification.verifier, rectification.effect_due = actor, day
        return rectification
    transition_apply(obj=rectification, name="accept", actor=actor)
    now = timezone.now()
    Rectification.objects.filter(pk=rectification.pk).update(verifier=actor, closed_at=now)
    rectification.verifier, rectification.closed_at = actor, now
    return rectification


def rectification_send_back(
    *, rectification: Rectification, actor: Any, reason: str
) -> Rectification:
    return transition_apply(obj=rectification, name="send_back", actor=actor, note=reason)


@transaction.atomic
def rectification_confirm(
    *, rectification: Rectification, actor: Any, today: Any = None
) -> Rectification:
    """The effectiveness check: closed when the day has come and the problem did not come
    back at that place; a recurrence since the acceptance refuses it."""
    day = today or timezone.localdate()
    if rectification.effect_due and day < rectification.effect_due:
        raise ValidationError(f"复查日期是 {rectification.effect_due:%Y-%m-%d}，到期后再复查。")
    since = rectification.fixed_at or rectification.finding.raised_at
    if rectification.finding.repeats.filter(raised_at__gt=since).exists():
        raise ValidationError("整改后同一问题又发生了，请选择“复查无效，重新整改”。")
    transition_apply(obj=rectification, name="confirm", actor=actor)
    now = timezone.now()
    Rectification.objects.filter(pk=rectification.pk).update(closed_at=now)
    rectification.closed_at = now
    return rectification


def rectification_reopen(*, rectification: Rectification, actor: Any, reason: str) -> Rectification:
    return transition_apply(obj=rectification, name="reopen", actor=actor, note=reason)
