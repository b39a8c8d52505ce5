"""Every write about findings and their rectification: raising (from a submitted record's
failed answers, or by hand), repeat detection, deadlines by severity, and the steps of the
rectification loop through the workflow helper."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from houqin.accounts.models import User
from houqin.checklists.models import Answer, Record, Severity
from houqin.checklists.services import record_submit
from houqin.common.attachments import attachment_add, attachment_check_type
from houqin.common.changelog import changelog_record
from houqin.common.lists import url_for_pk
from houqin.common.models import Attachment, ChangeLogEntry
from houqin.common.notifications import NOTIFICATION_KINDS, notify
from houqin.common.services import record_update
from houqin.common.workflow import transition_apply
from houqin.findings.models import FIX, MANAGE, Finding, FindingPolicy, Rectification
from houqin.findings.people import (
    heads_of,
    is_member,
    leaders_of,
    responsible_people,
    responsible_words,
    vendor_managers_of,
)

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
            title=f"{item.text.rstrip('。；;.， ')}：不合格",
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
    _check_verifier(finding, actor)
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


def _check_verifier(finding: Finding, actor: Any) -> None:
    """The raiser of a finding or someone who verifies fixes (``findings.change_finding``)."""
    if finding.raised_by_id != actor.pk and not actor.has_perm("findings.change_finding"):
        raise ValidationError("只有发现人或有验收权限的人可以验收。")


def rectification_send_back(
    *, rectification: Rectification, actor: Any, reason: str
) -> Rectification:
    _check_verifier(rectification.finding, actor)
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


# ---- the pages: raising by hand, the steps of the loop, the policy, escalation -----------

FINDING_KIND = "finding"
NOTIFICATION_KINDS.setdefault(FINDING_KIND, "问题整改")
OPEN = (Rectification.Status.ASSIGNED, Rectification.Status.RETURNED)  # the fix is still due
MAX_PHOTOS = 10
ESCALATE_HEAD, ESCALATE_LEADER = 1, 2
POLICY_LIMITS: dict[str, tuple[int, int]] = {
    "minor_days": (1, 90),
    "major_days": (1, 90),
    "critical_days": (1, 30),
    "repeat_days": (1, 365),
    "effect_days": (1, 180),
}


def is_overdue(rectification: Rectification, now: datetime | None = None) -> bool:
    """Still to be fixed (待整改 or 退回重改) after its deadline."""
    return rectification.status in OPEN and rectification.deadline < (now or timezone.now())


def may_fix(user: Any, rectification: Rectification) -> bool:
    """The fix is reported by the person named, a member of the responsible department, a
    staff member of the responsible vendor, or a manager (``findings.change_finding``)."""
    if not user.has_perm(FIX):
        return False
    if user.has_perm(MANAGE) or rectification.person_id == user.pk:
        return True
    return is_member(
        user, department_id=rectification.department_id, vendor_id=rectification.vendor_id
    )


def _tell(people: Iterable[Any], actor: Any, finding: Finding, title: str, body: str) -> None:
    recipients = [p for p in people if p is not None and p.pk != getattr(actor, "pk", None)]
    if recipients:
        notify(
            recipients=recipients,
            kind=FINDING_KIND,
            title=title,
            body=body,
            link=url_for_pk("findings:finding_detail", finding.pk),
            target=finding,
        )


def _attach(obj: Any, photos: Sequence[Any], actor: Any, caption: str) -> None:
    """Photos only (checked by content), at most MAX_PHOTOS; any bad one refuses them all."""
    if len(photos) > MAX_PHOTOS:
        raise ValidationError({"photos": f"一次最多上传 {MAX_PHOTOS} 张照片。"})
    for upload in photos:
        try:
            if attachment_check_type(upload).kind != Attachment.Kind.IMAGE:
                raise ValidationError(f"“{upload.name}”不是照片：只能上传 JPG、PNG 或 WebP 图片。")
            attachment_add(obj=obj, upload=upload, actor=actor, caption=caption)
        except ValidationError as error:
            raise ValidationError({"photos": error.messages}) from error


@transaction.atomic
def finding_report(
    *,
    organization: Any,
    actor: Any,
    title: str,
    severity: str,
    responsible: Responsible,
    description: str = "",
    place: Any = None,
    equipment: Any = None,
    fix_days: int | None = None,
    photos: Sequence[Any] = (),
    now: datetime | None = None,
) -> Finding:
    """人工登记问题：按 finding_raise 的规则（重复发生升一级、按严重程度定期限）登记并开出整改，
    照片作为问题的附件保存（任一张不合格则整体不保存），再通知整改人（或责任科室负责人、服务商
    负责人）。"""
    if place is not None and place.organization_id != organization.pk:
        raise ValidationError({"place": "场所不属于本单位。"})
    finding = finding_raise(
        organization=organization,
        actor=actor,
        title=title,
        severity=severity,
        responsible=responsible,
        description=description,
        place=place,
        equipment=equipment,
        fix_days=fix_days,
        now=now,
    )
    _attach(finding, photos, actor, "问题照片")
    rectification = finding.rectification
    deadline = timezone.localtime(rectification.deadline)
    _tell(
        responsible_people(rectification),
        actor,
        finding,
        f"新的整改任务：{finding.title}",
        f"{getattr(actor, 'name', '')}登记了问题（{finding.get_severity_display()}），"
        f"请在 {deadline:%Y-%m-%d %H:%M} 前整改并提交整改照片。",
    )
    return finding


@transaction.atomic
def rectification_step(
    *,
    rectification: Rectification,
    actor: Any,
    step: str,
    note: str = "",
    photos: Sequence[Any] = (),
    today: date | None = None,
) -> Rectification:
    """整改流程的一步（页面按钮都走这里）：提交整改（说明 + 照片，照片挂在整改上）、验收通过、
    退回重改（须写原因）、复查有效关闭、复查无效重新整改（须写原因）。状态经流程助手变更并记
    变更日志；提交整改通知发现人验收，退回和重新整改通知整改人。"""
    finding = rectification.finding
    if step == "fix":
        if not may_fix(actor, rectification):
            raise PermissionDenied
        if not photos and not (note or "").strip():
            raise ValidationError({"evidence": "请写明整改做了什么，并附上整改后的照片。"})
        rectification_submit(rectification=rectification, actor=actor, evidence=note)
        _attach(rectification, photos, actor, "整改后照片")
        _tell(
            [finding.raised_by],
            actor,
            finding,
            f"整改已提交，请验收：{finding.title}",
            f"{getattr(actor, 'name', '')}提交了整改：{rectification.evidence}",
        )
    elif step == "accept":
        rectification_accept(rectification=rectification, actor=actor, today=today)
    elif step == "send_back":
        rectification_send_back(rectification=rectification, actor=actor, reason=note)
        _tell(
            responsible_people(rectification),
            actor,
            finding,
            f"整改被退回：{finding.title}",
            f"退回原因：{note.strip()}",
        )
    elif step == "confirm":
        rectification_confirm(rectification=rectification, actor=actor, today=today)
    elif step == "reopen":
        rectification_reopen(rectification=rectification, actor=actor, reason=note)
        _tell(
            responsible_people(rectification),
            actor,
            finding,
            f"复查无效，请重新整改：{finding.title}",
            f"复查意见：{note.strip()}",
        )
    else:
        raise ValidationError("没有这个操作。")
    return rectification


@transaction.atomic
def policy_update(*, policy: FindingPolicy, actor: Any, data: dict[str, Any]) -> FindingPolicy:
    """修改整改规则：每项天数在允许范围内；问题越严重期限越短（严重 ≤ 较重 ≤ 一般）；只影响
    之后登记的问题，已开出的整改期限不变。记变更日志。"""
    values = {name: data[name] for name in POLICY_LIMITS if name in data}
    errors: dict[str, str] = {}
    for name, value in values.items():
        low, high = POLICY_LIMITS[name]
        if value is None or not low <= int(value) <= high:
            label = getattr(FindingPolicy._meta.get_field(name), "verbose_name", name)
            errors[name] = f"{label}请填写 {low}～{high}。"
    if errors:
        raise ValidationError(errors)
    merged = {name: values.get(name, getattr(policy, name)) for name in POLICY_LIMITS}
    if not merged["critical_days"] <= merged["major_days"] <= merged["minor_days"]:
        raise ValidationError({"major_days": "问题越严重，整改期限应越短：严重 ≤ 较重 ≤ 一般。"})
    return record_update(obj=policy, actor=actor, data=values)


def _period(rectification: Rectification) -> timedelta:
    """The time the rectification was given (at least a day)."""
    return max(rectification.deadline - rectification.finding.raised_at, timedelta(days=1))


@transaction.atomic
def _escalate_one(
    rectification: Rectification, level: int, people: list[User], now: datetime
) -> bool:
    """Compare-and-set the escalation level, log it and notify (once per level)."""
    changed = Rectification.objects.filter(
        pk=rectification.pk, escalation=level - 1, status__in=OPEN
    ).update(escalation=level, updated_at=now)
    if not changed:
        return False
    rectification.escalation = level
    finding = rectification.finding
    late = now - rectification.deadline
    days = max(late.days, 1)
    whom = "科室负责人" if level == ESCALATE_HEAD else "中心领导"
    changelog_record(
        obj=rectification,
        action=ChangeLogEntry.Action.UPDATE,
        actor=None,
        changes={"escalation": [level - 1, level]},
        note=f"逾期催办：已通知{whom}" if people else f"逾期催办：没有可通知的{whom}",
    )
    deadline = timezone.localtime(rectification.deadline)
    responsible = responsible_words(rectification)
    if level == ESCALATE_HEAD:
        title = f"整改逾期：{finding.title}"
        body = (
            f"{responsible}负责的整改已超过期限（{deadline:%Y-%m-%d %H:%M}），"
            "请督促尽快完成并提交整改照片。"
        )
    else:
        title = f"整改严重逾期：{finding.title}"
        body = (
            f"{responsible}负责的整改已逾期 {days} 天（期限 {deadline:%Y-%m-%d %H:%M}），"
            "科室负责人已收到催办，仍未完成。"
        )
    if people:
        notify(
            recipients=people,
            kind=FINDING_KIND,
            title=title,
            body=body,
            link=url_for_pk("findings:finding_detail", finding.pk),
            target=finding,
        )
    return True


def rectifications_escalate(*, now: datetime | None = None) -> dict[str, int]:
    """逾期催办（每日任务）：待整改或退回重改、已过整改期限的整改，第一次通知责任科室的负责人
    （没有科室或科室没有负责人时通知服务商负责人，再没有则通知中心领导），记为一级；逾期后
    再过一个完整的整改周期（期限减去发现时间，至少一天）仍未完成的，通知中心领导，记为二级。
    每一级只通知一次：级别以比较并设置写入，重复执行不会重复通知。"""
    now = now or timezone.now()
    rows = list(
        Rectification.objects.filter(status__in=OPEN, deadline__lt=now, escalation__lt=2)
        .select_related("finding", "department", "vendor", "person")
        .order_by("deadline", "pk")
    )
    if not rows:
        return {"head": 0, "leader": 0}
    heads = heads_of(r.department_id for r in rows if r.department_id)
    managers = vendor_managers_of(r.vendor_id for r in rows if r.vendor_id)
    leaders = leaders_of(r.organization_id for r in rows)
    counts = {"head": 0, "leader": 0}
    for row in rows:
        if row.escalation < ESCALATE_HEAD:
            people = (
                heads.get(row.department_id or 0)
                or managers.get(row.vendor_id or 0)
                or leaders.get(row.organization_id, [])
            )
            counts["head"] += _escalate_one(row, ESCALATE_HEAD, people, now)
        if row.escalation == ESCALATE_HEAD and now >= row.deadline + _period(row):
            people = leaders.get(row.organization_id, [])
            counts["leader"] += _escalate_one(row, ESCALATE_LEADER, people, now)
    return counts
