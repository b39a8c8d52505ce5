"""The demo center's checks since the start of the quarter two quarters back: a record for
each task due before today (a few missed), a finding for each failed answer that asks for
one, rectifications in every state (待整改, 待验收, 退回重改, 待复查, 已关闭, and some
overdue) and two supervision orders.

The records are bulk-created to keep ``seed_demo`` fast, with the invariants of the
services: tasks come from ``tasks_generate``; each answer's outcome comes from
``outcome()`` and each record's result from ``score()``; a failed answer carries a note;
a done task has exactly one submitted record by a person it was assigned to. They carry no
photo files, and the tasks' status changes (done, missed) write no change-log rows. The
findings, the rectification steps and the orders go through the services (``finding_raise``
with the record's time, so repeats and deadlines follow the policy; the steps' times are
then set back to the days they happened). Deterministic: ``random.Random`` with a fixed
seed. Idempotent: an organization that already has records is left alone."""

from __future__ import annotations

import random
import uuid
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from houqin.accounts.models import User
from houqin.checklists.models import Answer, ChecklistItem, Record, Task
from houqin.checklists.services import outcome, score, tasks_expire
from houqin.findings.models import Finding, Rectification
from houqin.findings.order_services import order_issue
from houqin.findings.services import (
    NEEDS_EFFECT_CHECK,
    Responsible,
    finding_raise,
    rectification_accept,
    rectification_confirm,
    rectification_send_back,
    rectification_submit,
)
from houqin.org.models import Organization, Staff, Vendor

SEED = 20260827
MISS_RATE = 0.04
FAIL_RATE = 0.015
HOT_SPOT = 3  # the outsourced restroom fails more often (a pattern for the compliance view)
A = ChecklistItem.AnswerType
S = Rectification.Status
FAIL_NOTES = (
    "现场检查不符合要求，已当场提醒责任人。",
    "发现后已告知班组长，要求当班处理。",
    "情况已登记，等待整改。",
)
EVIDENCE = (
    "已重新清洁并复查，现场符合要求。",
    "已更换损坏部件，调试正常。",
    "已对责任人进行岗位提醒和培训，现场已整改。",
    "已补齐物品并张贴提示，班组长复核合格。",
)
SEND_BACK = "整改照片看不出整改效果，请补拍整改后的现场照片并说明原因。"
CLEANING_VENDOR = "V01"


def _value(rng: random.Random, item: ChecklistItem, fail: bool) -> tuple[str, str]:
    """A realistic (value, note) for an item, failing or not."""
    if item.answer_type == A.NUMBER:
        low, high = item.min_value, item.max_value
        if low is not None and high is not None:
            span = (high - low) or Decimal(1)
        else:
            span = abs(low if low is not None else high or Decimal(1)) or Decimal(1)
        share = Decimal(str(round(rng.uniform(0.05, 0.4), 2)))
        if fail:
            number = high + span * share if high is not None else (low or 0) - span * share
        elif low is not None and high is not None:
            number = low + span * Decimal(str(round(rng.uniform(0.2, 0.8), 2)))
        else:
            number = low + span * share if low is not None else (high or 0) - span * share
        value = f"{number.quantize(Decimal('0.1'))}"
        return value, f"实测 {value} {item.unit}，不在要求范围内。" if fail else ""
    if item.answer_type == A.CHOICE:
        good = [c for c in item.choices if c not in item.fail_choices]
        if fail:
            return rng.choice(item.fail_choices), rng.choice(FAIL_NOTES)
        return (good[0] if rng.random() < 0.9 else rng.choice(good)), ""
    if item.answer_type == A.TEXT:
        return f"江A·{rng.choice('CDFGK')}{rng.randrange(1000, 9999)}", ""
    return ("fail", rng.choice(FAIL_NOTES)) if fail else ("pass", "")


def _doers(center: Organization) -> dict[str, dict[int, list[int]]]:
    """The people of each team and post who can take a group task."""
    groups: dict[str, dict[int, list[int]]] = {"team": defaultdict(list), "post": defaultdict(list)}
    rows = Staff.objects.filter(
        organization=center, user__isnull=False, status=Staff.Status.ACTIVE
    ).values_list("user_id", "team_id", "post_id")
    for user_id, team_id, post_id in rows.order_by("pk"):
        if team_id:
            groups["team"][team_id].append(user_id)
        if post_id:
            groups["post"][post_id].append(user_id)
    return groups


def _inspector(
    rng: random.Random, task: Task, doers: dict[str, dict[int, list[int]]]
) -> int | None:
    if task.person_id:
        return task.person_id
    pool = doers["team"].get(task.team_id or 0) or doers["post"].get(task.post_id or 0)
    return rng.choice(pool) if pool else None


def history_write(center: Organization, people: dict[str, User], today: date) -> int:
    """Records for the tasks due before today (a few missed), bulk-created; returns how many."""
    rng = random.Random(SEED)
    start_of_today = timezone.make_aware(datetime.combine(today, time.min))
    tasks = list(
        Task.objects.filter(organization=center, due_at__lt=start_of_today)
        .select_related("template")
        .order_by("opens_at", "pk")
    )
    items: dict[int, list[ChecklistItem]] = defaultdict(list)
    for item in ChecklistItem.objects.filter(organization=center, current=True).order_by(
        "template_id", "position", "pk"
    ):
        items[item.template_id].append(item)
    doers = _doers(center)
    hot = people["vendor_worker"].pk
    records: list[Record] = []
    values: list[list[tuple[ChecklistItem, str, str, str]]] = []
    for task in tasks:
        inspector = _inspector(rng, task, doers)
        if inspector is None or rng.random() < MISS_RATE:
            task.status = Task.Status.MISSED
            continue
        rate = FAIL_RATE * (HOT_SPOT if task.person_id == hot else 1)
        filled = []
        for item in items[task.template_id]:
            value, note = _value(rng, item, rng.random() < rate)
            filled.append((item, value, outcome(item, value), note))
        template = task.template
        result = score(template.scoring, template.pass_mark, ((i, o) for i, _, o, _ in filled))
        window = (task.due_at - task.opens_at).total_seconds() / 60
        started = task.opens_at + timedelta(minutes=rng.uniform(0, window * 0.6))
        records.append(
            Record(
                organization=center,
                template=template,
                template_revision=template.revision,
                task=task,
                kind=task.kind,
                client_key=uuid.UUID(int=rng.getrandbits(128), version=4),
                inspector_id=inspector,
                place_id=task.place_id,
                equipment_id=task.equipment_id,
                status=Record.Status.SUBMITTED,
                started_at=started,
                submitted_at=started + timedelta(minutes=rng.uniform(4, 15)),
                scoring=template.scoring,
                score=result.percent,
                passed=result.passed,
                vetoed=result.vetoed,
            )
        )
        values.append(filled)
        task.status = Task.Status.DONE
        if not task.person_id:
            task.taken_by_id = inspector
    Task.objects.bulk_update(tasks, ["status", "taken_by"], batch_size=500)
    Record.objects.bulk_create(records, batch_size=500)
    Answer.objects.bulk_create(
        (
            Answer(
                organization=center,
                record=record,
                item=item,
                position=position,
                value=value,
                outcome=result,
                note=note,
            )
            for record, filled in zip(records, values, strict=True)
            for position, (item, value, result, note) in enumerate(filled)
        ),
        batch_size=1000,
    )
    return len(records)


# ---- findings and their rectification ------------------------------------------------------


def _raise_all(center: Organization, people: dict[str, User]) -> list[Finding]:
    """A finding for each failed answer that asks for one, in the order they were found."""
    answers = list(
        Answer.objects.filter(
            organization=center, outcome=Answer.Outcome.FAIL, item__finding_on_fail=True
        )
        .select_related("item", "record__place", "record__template", "record__equipment")
        .order_by("record__submitted_at", "pk")
    )
    inspectors = User.objects.in_bulk({a.record.inspector_id for a in answers})
    vendor = Vendor.objects.get(organization=center, code=CLEANING_VENDOR)
    outsourced = people["vendor_worker"].pk
    findings = []
    for answer in answers:
        record, item = answer.record, answer.item
        place = record.place
        department = place.department if place is not None else None
        responsible = Responsible(
            department=department or record.template.department,
            vendor=vendor if record.inspector_id == outsourced else None,
        )
        findings.append(
            finding_raise(
                organization=center,
                actor=inspectors[record.inspector_id],
                title=f"{item.text.rstrip('。；;.， ')}：不合格",
                description=answer.note,
                severity=item.severity,
                responsible=responsible,
                source=Finding.Source.CHECK,
                place=place,
                equipment=record.equipment,
                record=record,
                answer=answer,
                fix_days=item.fix_days,
                now=record.submitted_at,
            )
        )
    return findings


def _plan(rng: random.Random, finding: Finding, age: int) -> str:
    """Where a finding's rectification stands after ``age`` days ("overdue": still 待整改)."""
    slow = rng.random()
    if age <= 3:
        return S.ASSIGNED if slow < 0.5 else S.FIXED
    if age <= 10:
        if slow < 0.15:
            return "overdue"
        return rng.choice((S.FIXED, S.RETURNED, S.EFFECT_CHECK, S.CLOSED))
    if slow < (0.08 if age <= 25 else 0.04):
        return "overdue"
    if age <= 25 and finding.severity in NEEDS_EFFECT_CHECK and slow < 0.6:
        return S.EFFECT_CHECK
    return S.CLOSED


def _ensure_each_state(plans: list[tuple[Finding, str]]) -> list[tuple[Finding, str]]:
    """Make sure every state appears at least once (the newest fitting findings take them)."""
    wanted = [S.ASSIGNED, S.FIXED, S.RETURNED, "overdue", S.EFFECT_CHECK, S.CLOSED]
    plans = list(plans)
    for state in wanted:
        if any(p == state for _, p in plans):
            continue
        for index in range(len(plans) - 1, -1, -1):
            finding, current = plans[index]
            if sum(1 for _, p in plans if p == current) < 2:
                continue
            if state == S.EFFECT_CHECK and finding.severity not in NEEDS_EFFECT_CHECK:
                continue
            plans[index] = (finding, state)
            break
    return plans


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _drive(finding: Finding, plan: str, people: dict[str, User], today: date) -> None:
    """Take a rectification through the loop's services up to its planned state, then set
    the times of the steps back to the days they happened."""
    rectification = finding.rectification
    if plan in (S.ASSIGNED, "overdue"):
        if plan == "overdue":
            rectification.deadline = min(rectification.deadline, _at(today, 0) - timedelta(days=1))
            Rectification.objects.filter(pk=rectification.pk).update(
                deadline=rectification.deadline
            )
        return
    fixer = people["vendor_manager"] if rectification.vendor_id else people["department_head"]
    verifier, checker = people["department_head"], people["standards_officer"]
    raised = timezone.localdate(finding.raised_at)
    due = timezone.localdate(rectification.deadline)
    fixed_day = min(max(raised, due - timedelta(days=1)), today)
    evidence = EVIDENCE[finding.pk % len(EVIDENCE)]
    rectification_submit(rectification=rectification, actor=fixer, evidence=evidence)
    if plan == S.RETURNED:
        rectification_send_back(rectification=rectification, actor=verifier, reason=SEND_BACK)
    closed_at = None
    if plan in (S.EFFECT_CHECK, S.CLOSED):
        rectification_accept(rectification=rectification, actor=verifier, today=fixed_day)
        due_check = rectification.effect_due
        if plan == S.CLOSED and due_check is not None and due_check <= today:
            rectification_confirm(rectification=rectification, actor=checker, today=due_check)
            closed_at = _at(due_check, 10)
        elif plan == S.CLOSED and due_check is None:
            closed_at = _at(fixed_day, 16)
    changes: dict[str, Any] = {"fixed_at": _at(fixed_day, 15)}
    if closed_at is not None:
        changes["closed_at"] = closed_at
    Rectification.objects.filter(pk=rectification.pk).update(**changes)


def _orders(center: Organization, people: dict[str, User], today: date) -> int:
    """Two 督办单: the overdue fixes of the property department, and the cleaning vendor's."""
    officer = people["standards_officer"]
    open_ones = Finding.objects.filter(
        organization=center, rectification__status__in=(S.ASSIGNED, S.RETURNED)
    ).select_related("rectification")
    count = 0
    for title, body, days, recipient in (
        (
            "关于限期整改逾期未改问题的督办单",
            "以下问题已超过整改期限仍未整改，请物业管理科督促责任人限期整改，并报送整改照片。",
            7,
            {"department": people["department_head"].department},
        ),
        (
            "关于公共卫生间保洁问题反复发生的督办单",
            "1 号楼 1 层女卫生间保洁问题反复发生，请服务商查明原因、加强培训并限期整改。",
            5,
            {"vendor": Vendor.objects.get(organization=center, code=CLEANING_VENDOR)},
        ),
    ):
        key = "department" if "department" in recipient else "vendor"
        chosen = list(
            open_ones.filter(**{f"rectification__{key}": recipient[key]}).order_by(
                "rectification__deadline"
            )[:3]
        )
        if not chosen:
            continue
        order_issue(
            organization=center,
            actor=officer,
            title=title,
            body=body,
            deadline=today + timedelta(days=days),
            findings=chosen,
            **recipient,
        )
        count += 1
    return count


@transaction.atomic
def seed_findings(center: Organization) -> dict[str, int]:
    """Records, findings, rectifications and orders (only when the organization has no
    record yet; ``houqin.checklists.demo`` made the tasks)."""
    if Record.objects.filter(organization=center).exists():
        return {"records": 0, "findings": 0}
    people = {u.username: u for u in User.objects.filter(organization=center, is_demo=True)}
    today = timezone.localdate()
    records = history_write(center, people, today)
    rng = random.Random(SEED + 1)
    findings = _raise_all(center, people)
    plans = _ensure_each_state(
        [(f, _plan(rng, f, (today - timezone.localdate(f.raised_at)).days)) for f in findings]
    )
    for finding, plan in plans:
        _drive(finding, plan, people, today)
    _orders(center, people, today)
    tasks_expire(organization=center)
    return {"records": records, "findings": len(findings)}
