"""The writes of tasks (re-exported by ``services``; schedules and the workday calendar are
in ``schedule_services``): generating tasks ahead, idempotently; marking them overdue (逾期)
and missed (漏检); taking, moving, reassigning or cancelling one occurrence; reminding the
people who do them.

Tasks are generated in bulk by the system and not logged one by one; every later change of
a task (a transition, a move, a reassignment) is logged with who made it and why."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from houqin.checklists import scheduling
from houqin.checklists.models import DO_TASKS, Schedule, Task
from houqin.checklists.selectors import (
    assignee_label,
    calendar_overrides,
    membership,
    subject_label,
    task_people,
)
from houqin.common.changelog import changelog_record
from houqin.common.models import ChangeLogEntry, Notification
from houqin.common.notifications import NOTIFICATION_KINDS, notify
from houqin.common.workflow import transition_apply
from houqin.places.models import Equipment, Place

logger = logging.getLogger(__name__)

TASK_KIND = "task"
NOTIFICATION_KINDS.setdefault(TASK_KIND, "检查任务")
CHANGE_TASKS = "checklists.change_task"
GENERATE_AHEAD_DAYS = 7  # how far ahead tasks exist (the command's default too)
MISS_AFTER = timedelta(days=1)  # an overdue task still doable this long after its due time
REMIND_BEFORE = timedelta(minutes=30)
KEY_CHUNK = 900  # occurrence keys looked up per query (well within SQLite's variable limit)
BATCH = 500
T = Task.Status
UPDATE = ChangeLogEntry.Action.UPDATE


class SystemActor:
    """The system acting by itself (generation, expiry): allowed every transition, logged as
    “系统（自动）”."""

    pk = None
    name = "系统（自动）"
    is_active = False
    is_authenticated = True
    organization_id = None

    def has_perm(self, perm: str) -> bool:
        return True

    def __str__(self) -> str:
        return self.name


SYSTEM = SystemActor()


def _local(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


# ---- generation and expiry -----------------------------------------------------------------


def tasks_untouched_remove(
    schedules: QuerySet[Schedule], after: datetime, until: datetime | None
) -> int:
    """Remove the schedules' tasks that have not opened yet and that no one has touched (not
    taken, moved or reassigned, no record): the next generation makes them again under the
    current rules. Returns how many were removed."""
    rows = Task.objects.filter(
        schedule__in=schedules,
        status=T.PENDING,
        opens_at__gt=after,
        taken_by__isnull=True,
        note="",
        records__isnull=True,
    )
    if until is not None:
        rows = rows.filter(opens_at__lt=until)
    pks = list(rows.values_list("pk", flat=True))
    Task.objects.filter(pk__in=pks).delete()
    return len(pks)


def tasks_generate_soon(schedules: Iterable[int], organization: Any, now: datetime) -> int:
    """Generate the next days' tasks of these schedules at once (after an edit)."""
    return tasks_generate(
        organization=organization,
        start=timezone.localdate(now),
        days=GENERATE_AHEAD_DAYS,
        now=now,
        schedules=list(schedules),
    )


def _subjects(schedule: Schedule) -> list[tuple[int | None, int | None, str]]:
    """(place, equipment, key) of each thing the schedule checks: each active place of the
    kind in the place's subtree, the place itself, the equipment (unless out of service), or
    nothing in particular."""
    if schedule.equipment_id:
        equipment = schedule.equipment
        if equipment.status == Equipment.Status.OUT_OF_SERVICE:
            return []
        return [(None, schedule.equipment_id, f"e{schedule.equipment_id}")]
    place = schedule.place
    if place is None:
        return [(None, None, "-")]
    if schedule.place_kind:
        tree = Place.objects.get_tree(place).filter(kind=schedule.place_kind, active=True)
        return [(pk, None, f"p{pk}") for pk in tree.values_list("pk", flat=True)]
    return [(place.pk, None, f"p{place.pk}")] if place.active else []


def tasks_generate(
    *,
    organization: Any = None,
    start: date,
    days: int,
    now: datetime | None = None,
    schedules: list[int] | None = None,
) -> int:
    """生成检查任务：在用的计划从 ``start`` 起 ``days`` 天里每一次检查、每个检查对象一个任务，
    执行人和检查类型取自计划；截止时间已过（早于 ``now``）的不再生成。幂等：任务的生成标识
    “计划:对象:开始时间”在单位内唯一，已有的不重复生成（重复执行、同时执行都一样）。
    返回新生成的任务数。"""
    if days < 1:
        return 0
    now = now or timezone.now()
    end = start + timedelta(days=days - 1)
    reach = start - timedelta(days=scheduling.SHIFT_LIMIT)
    rows = (
        Schedule.objects.filter(active=True, template__active=True, starts_on__lte=end)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=reach))
        .select_related("place", "equipment")
        .order_by("pk")
    )
    if organization is not None:
        rows = rows.filter(organization=organization)
    if schedules is not None:
        rows = rows.filter(pk__in=schedules)
    found = list(rows)
    if not found:
        return 0
    overrides = calendar_overrides({s.organization_id for s in found}, reach, end)
    built = []
    for schedule in found:
        calendar = overrides.get(schedule.organization_id, {})
        try:
            pairs = scheduling.occurrences(schedule, calendar, start, end)
        except ValueError:  # a time stored without the form ("8点"): the others still run
            logger.warning("schedule %s has a time that is not HH:MM; skipped", schedule.pk)
            continue
        subjects = _subjects(schedule)
        for opens, due in pairs:
            if due <= now:
                continue
            for place_id, equipment_id, key in subjects:
                built.append(
                    Task(
                        organization_id=schedule.organization_id,
                        template_id=schedule.template_id,
                        schedule=schedule,
                        occurrence=f"{schedule.pk}:{key}:{opens.isoformat()}",
                        kind=schedule.kind,
                        person_id=schedule.person_id,
                        post_id=schedule.post_id,
                        team_id=schedule.team_id,
                        vendor_id=schedule.vendor_id,
                        place_id=place_id,
                        equipment_id=equipment_id,
                        opens_at=opens,
                        due_at=due,
                    )
                )
    fresh = _not_made(built)
    Task.objects.bulk_create(fresh, batch_size=BATCH, ignore_conflicts=True)
    return len(fresh)


def _not_made(tasks: list[Task]) -> list[Task]:
    """The tasks whose occurrence key their organization has not used yet."""
    by_org: dict[int, list[Task]] = defaultdict(list)
    for task in tasks:
        by_org[task.organization_id].append(task)
    fresh = []
    for organization_id, group in by_org.items():
        keys = [t.occurrence for t in group]
        taken: set[str | None] = set()
        for index in range(0, len(keys), KEY_CHUNK):
            taken.update(
                Task.objects.filter(
                    organization_id=organization_id, occurrence__in=keys[index : index + KEY_CHUNK]
                ).values_list("occurrence", flat=True)
            )
        fresh += [t for t in group if t.occurrence not in taken]
    return fresh


def _each(rows: QuerySet[Task], name: str) -> int:
    """Apply a transition to every task of ``rows`` as the system, a batch at a time; a task
    that changed meanwhile (finished, cancelled) is left as it is."""
    done, last = 0, 0
    while batch := list(rows.filter(pk__gt=last).select_related("template").order_by("pk")[:BATCH]):
        for task in batch:
            try:
                transition_apply(obj=task, name=name, actor=SYSTEM)
            except ValidationError:
                continue
            done += 1
        last = batch[-1].pk
    return done


def tasks_expire(*, now: datetime | None = None, organization: Any = None) -> dict[str, int]:
    """到了截止时间还没完成的任务标为“逾期”；逾期一天后仍没完成的标为“漏检”（计入合规统计）。
    逐条走流程并记变更日志，操作人为“系统（自动）”。返回两种各多少条。"""
    now = now or timezone.now()
    rows = (
        Task.objects.all()
        if organization is None
        else Task.objects.filter(organization=organization)
    )
    overdue = _each(rows.filter(status__in=(T.PENDING, T.IN_PROGRESS), due_at__lte=now), "expire")
    missed = _each(rows.filter(status=T.OVERDUE, due_at__lte=now - MISS_AFTER), "miss")
    return {"overdue": overdue, "missed": missed}


# ---- one occurrence ------------------------------------------------------------------------


def may_do(user: Any, task: Task) -> bool:
    """Whether the task is the user's to do: theirs by name, taken by them, or their post's,
    team's or vendor's; a task for no one in particular is anyone's who may do checks."""
    if not user.has_perm(DO_TASKS) or task.organization_id != user.organization_id:
        return False
    if task.taken_by_id == user.pk or task.person_id == user.pk:
        return True
    if task.person_id:
        return False
    if not (task.post_id or task.team_id or task.vendor_id):
        return True
    member = membership(user)
    return bool(
        (task.post_id and task.post_id == member.post_id)
        or (task.team_id and task.team_id == member.team_id)
        or (task.vendor_id and task.vendor_id == member.vendor_id)
    )


@transaction.atomic
def task_take(*, task: Task, actor: Any) -> Task:
    """开始检查：班组、岗位或服务商的任务由第一个开始的人接手，别人再开始时告诉他已由谁接手；
    个人的任务只有本人能开始。已开始的任务由接手的人继续做。"""
    if not may_do(actor, task):
        raise ValidationError("这项任务不是派给你的，不能开始。")
    if task.status not in (T.PENDING, T.OVERDUE, T.IN_PROGRESS):
        raise ValidationError(f"任务{task.get_status_display()}，不能再开始。")
    claimed = (
        Task.objects.filter(pk=task.pk)
        .filter(Q(taken_by__isnull=True) | Q(taken_by_id=actor.pk))
        .update(taken_by=actor, updated_at=timezone.now())
    )
    if not claimed:
        holder = Task.objects.filter(pk=task.pk).values_list("taken_by__name", flat=True).first()
        raise ValidationError(f"这项任务已由{holder}接手，你不用再做。")
    first = task.taken_by_id is None
    task.taken_by = actor
    if task.status != T.IN_PROGRESS:
        note = f"{actor.name}接手" if first and not task.person_id else ""
        transition_apply(obj=task, name="start", actor=actor, note=note)
    return task


def _require_manager(actor: Any, task: Task) -> None:
    if not actor.has_perm(CHANGE_TASKS) or task.organization_id != actor.organization_id:
        raise PermissionDenied


def _tell(task: Task, title: str, body: str) -> None:
    notify(
        recipients=task_people([task])[task.pk],
        kind=TASK_KIND,
        title=title,
        body=body,
        link=reverse("checklists:task_detail", args=[task.pk]),
        target=task,
    )


def task_words(task: Task) -> str:
    """What and when, for a message: “公共卫生间保洁检查 · 1层男卫生间，10-01 08:00 至 10:00”."""
    opens, due = timezone.localtime(task.opens_at), timezone.localtime(task.due_at)
    until = due.strftime("%H:%M") if due.date() == opens.date() else due.strftime("%m-%d %H:%M")
    where = subject_label(task)
    what = task.template.name + (f" · {where}" if where != "—" else "")
    return f"{what}，{opens:%m-%d %H:%M} 至 {until}"


@transaction.atomic
def task_move(
    *,
    task: Task,
    actor: Any,
    opens_at: datetime,
    due_at: datetime,
    reason: str,
    now: datetime | None = None,
) -> Task:
    """调整一次任务的时间，计划的其他任务不变：只能调整还没开始的任务，须写明原因；记变更日志
    并通知执行人。"""
    _require_manager(actor, task)
    reason = reason.strip()
    errors: dict[str, str] = {}
    if not reason:
        errors["reason"] = "请写明调整的原因。"
    if due_at <= opens_at:
        errors["due_at"] = "截止时间要晚于开始时间。"
    elif due_at <= (now or timezone.now()):
        errors["due_at"] = "截止时间不能早于现在。"
    if errors:
        raise ValidationError(errors)
    if task.status != T.PENDING:
        raise ValidationError(f"任务{task.get_status_display()}，只能调整还没开始的任务。")
    changed = Task.objects.filter(pk=task.pk, status=T.PENDING).update(
        opens_at=opens_at, due_at=due_at, note=reason[:200], updated_at=timezone.now()
    )
    if not changed:
        raise ValidationError("任务状态已被他人修改，请刷新页面后重试。")
    changes = {
        "开始时间": [_local(task.opens_at), _local(opens_at)],
        "截止时间": [_local(task.due_at), _local(due_at)],
    }
    task.opens_at, task.due_at, task.note = opens_at, due_at, reason[:200]
    changelog_record(obj=task, action=UPDATE, actor=actor, changes=changes, note=reason)
    _tell(task, "检查任务的时间调整了", f"{task_words(task)}。原因：{reason}")
    return task


@transaction.atomic
def task_reassign(
    *,
    task: Task,
    actor: Any,
    reason: str,
    person: Any = None,
    post: Any = None,
    team: Any = None,
    vendor: Any = None,
) -> Task:
    """改派一次任务，计划的其他任务不变：待检查或逾期的任务改派给一位人员、一个岗位、一个班组
    或一家服务商（原来的接手人清空），须写明原因；记变更日志并通知新的执行人。"""
    _require_manager(actor, task)
    chosen = {"person": person, "post": post, "team": team, "vendor": vendor}
    reason = reason.strip()
    errors: dict[str, str] = {}
    picked = [value for value in chosen.values() if value is not None]
    if len(picked) != 1:
        errors["person"] = "请只选一个新的执行人。"
    elif picked[0].organization_id != task.organization_id:
        errors["person"] = "只能改派给本单位的人员、岗位、班组或服务商。"
    if not reason:
        errors["reason"] = "请写明改派的原因。"
    if errors:
        raise ValidationError(errors)
    if task.status not in (T.PENDING, T.OVERDUE):
        raise ValidationError(f"任务{task.get_status_display()}，只能改派待检查或逾期的任务。")
    before = assignee_label(task)
    changed = Task.objects.filter(pk=task.pk, status=task.status).update(
        **chosen, taken_by=None, note=reason[:200], updated_at=timezone.now()
    )
    if not changed:
        raise ValidationError("任务状态已被他人修改，请刷新页面后重试。")
    for name, value in chosen.items():
        setattr(task, name, value)
    task.taken_by, task.note = None, reason[:200]
    changes = {"执行人": [before, assignee_label(task)]}
    changelog_record(obj=task, action=UPDATE, actor=actor, changes=changes, note=reason)
    _tell(task, "有一项检查任务改派给你", f"{task_words(task)}。原因：{reason}")
    return task


def task_cancel(*, task: Task, actor: Any, reason: str) -> Task:
    """取消一次任务（须写明原因），计划的其他任务不变。"""
    _require_manager(actor, task)
    return transition_apply(obj=task, name="cancel", actor=actor, note=reason.strip())


# ---- reminders -----------------------------------------------------------------------------


def _reminder_title(task: Task, opening: bool) -> str:
    if opening:
        return f"检查任务 {timezone.localtime(task.opens_at):%H:%M} 开始：{task.template.name}"
    return f"检查任务 {timezone.localtime(task.due_at):%H:%M} 截止：{task.template.name}"


def tasks_remind(*, now: datetime | None = None, before: timedelta = REMIND_BEFORE) -> int:
    """提醒：任务开始前和截止前 ``before`` 各通知一次执行人（班组、岗位、服务商的任务通知其中
    每个人，有人接手后只通知接手人）；同一提醒不发第二次，时间调整后按新时间再提醒。返回发出的
    通知条数。"""
    now = now or timezone.now()
    soon = now + before
    related = ("template", "place", "equipment", "person", "taken_by")
    opening = Task.objects.filter(status=T.PENDING, opens_at__gt=now, opens_at__lte=soon)
    closing = Task.objects.filter(
        status__in=(T.PENDING, T.IN_PROGRESS), opens_at__lte=now, due_at__gt=now, due_at__lte=soon
    )
    due = [(t, True) for t in opening.select_related(*related)]
    due += [(t, False) for t in closing.select_related(*related)]
    if not due:
        return 0
    sent_before = set(
        Notification.objects.filter(
            kind=TASK_KIND,
            content_type=ContentType.objects.get_for_model(Task),
            object_id__in=[str(t.pk) for t, _ in due],
        ).values_list("object_id", "title")
    )
    people = task_people(t for t, _ in due)
    sent = 0
    for task, is_opening in due:
        title = _reminder_title(task, is_opening)
        if (str(task.pk), title) in sent_before:
            continue
        sent += len(
            notify(
                recipients=people[task.pk],
                kind=TASK_KIND,
                title=title,
                body=task_words(task),
                link=reverse("checklists:task_detail", args=[task.pk]),
                target=task,
            )
        )
    return sent
