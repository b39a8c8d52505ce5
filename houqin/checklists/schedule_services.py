"""The writes of schedules and of the workday calendar (re-exported by ``services``): a
schedule is checked for sense field by field; editing it, or the calendar, makes again the
tasks not started yet that no one has touched, so that they follow the new rules."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from houqin.checklists import scheduling
from houqin.checklists.models import CalendarDay, Schedule
from houqin.checklists.selectors import day_bounds
from houqin.checklists.task_services import tasks_generate_soon, tasks_untouched_remove
from houqin.common.changelog import changelog_record, diff, snapshot
from houqin.common.models import ChangeLogEntry
from houqin.common.services import validate
from houqin.places.models import KIND_RANK, Place

MAX_WINDOW_MINUTES = 31 * scheduling.MINUTES_PER_DAY
ASSIGNEES = ("person", "post", "team", "vendor")
SCHEDULE_FIELDS = frozenset(
    {
        *ASSIGNEES,
        "template",
        "name",
        "kind",
        "place",
        "place_kind",
        "equipment",
        "frequency",
        "interval",
        "weekdays",
        "month_day",
        "times",
        "days",
        "window_minutes",
        "starts_on",
        "ends_on",
        "active",
    }
)
F = Schedule.Frequency
CREATE, UPDATE, DELETE = (
    ChangeLogEntry.Action.CREATE,
    ChangeLogEntry.Action.UPDATE,
    ChangeLogEntry.Action.DELETE,
)


# ---- schedules -----------------------------------------------------------------------------


def _check_schedule(schedule: Schedule) -> None:
    """The rules of a schedule, with a message on each field that breaks one; values a
    frequency does not use are cleared (weekdays of a daily schedule …)."""
    errors: dict[str, str] = {}
    if sum(1 for name in ASSIGNEES if getattr(schedule, f"{name}_id")) != 1:
        errors["person"] = "请只选一个执行人：一位人员、一个岗位、一个班组或一家服务商。"
    try:
        schedule.times = scheduling.times_parse("、".join(str(t) for t in schedule.times or []))
    except ValueError as error:
        errors["times"] = str(error)
    weekdays = {int(d) for d in schedule.weekdays or [] if str(d).isdigit()}
    schedule.weekdays = sorted(d for d in weekdays if 1 <= d <= 7)
    if schedule.frequency == F.WEEKLY and not schedule.weekdays:
        errors["weekdays"] = "请勾选每周哪几天检查。"
    if schedule.frequency == F.EVERY_N_DAYS and (schedule.interval or 0) < 2:
        errors["interval"] = "间隔天数请填 2 或更大的数；每天都查请选“每天”。"
    if schedule.frequency == F.MONTHLY and not 1 <= (schedule.month_day or 0) <= 31:
        errors["month_day"] = "请填写每月几号检查（1 到 31）。"
    if schedule.frequency != F.WEEKLY:
        schedule.weekdays = []
    if schedule.frequency != F.EVERY_N_DAYS:
        schedule.interval = 1
    if schedule.frequency != F.MONTHLY:
        schedule.month_day = None
    if schedule.ends_on and schedule.starts_on and schedule.ends_on < schedule.starts_on:
        errors["ends_on"] = "结束日期不能早于开始日期。"
    if not 0 < (schedule.window_minutes or 0) <= MAX_WINDOW_MINUTES:
        errors["window_minutes"] = f"完成时限请填 1 到 {MAX_WINDOW_MINUTES} 分钟（31 天）之间。"
    if schedule.place_id and schedule.equipment_id:
        errors["equipment"] = "场所和设备只选一个：查设备时选设备，查场所时选场所。"
    if schedule.place_kind and not schedule.place_id:
        errors["place_kind"] = "请先选择场所，再选逐个检查它下面的哪类场所。"
    elif schedule.place_kind and KIND_RANK[schedule.place_kind] < KIND_RANK[schedule.place.kind]:
        place = schedule.place
        errors["place_kind"] = (
            f"“{place}”是{place.get_kind_display()}，它下面没有"
            f"{Place.Kind(schedule.place_kind).label}。"
        )
    for name in ("template", *ASSIGNEES, "place", "equipment"):
        related = getattr(schedule, name) if getattr(schedule, f"{name}_id") else None
        if related is not None and related.organization_id != schedule.organization_id:
            errors[name] = "只能选择本单位的数据。"
    if schedule.template_id and not schedule.template.active:
        errors["template"] = "这张检查表已停用，请换一张在用的检查表。"
    if errors:
        raise ValidationError(errors)
    validate(schedule)


def _shown(schedule: Schedule) -> dict[str, Any]:
    """The schedule's fields for the change log, times and weekdays in words."""
    values = snapshot(schedule)
    values["times"] = "、".join(str(t) for t in schedule.times or [])
    values["weekdays"] = scheduling.weekday_words(schedule.weekdays or [])
    return values


def _check_fields(data: dict[str, Any]) -> None:
    unknown = set(data) - SCHEDULE_FIELDS
    if unknown:
        raise ValidationError(f"不能修改这些字段：{'、'.join(sorted(unknown))}。")


@transaction.atomic
def schedule_create(
    *, organization: Any, actor: Any, data: dict[str, Any], now: datetime | None = None
) -> Schedule:
    """新建检查计划：检查频次、执行人和检查对象是否说得通，记变更日志，并立即生成最近几天的任务。"""
    _check_fields(data)
    schedule = Schedule(organization=organization, **data)
    _check_schedule(schedule)
    schedule.save()
    changes = {k: [None, v] for k, v in _shown(schedule).items() if v not in (None, "")}
    changelog_record(obj=schedule, action=CREATE, actor=actor, changes=changes)
    if schedule.active:
        tasks_generate_soon([schedule.pk], organization, now or timezone.now())
    return schedule


@transaction.atomic
def schedule_update(
    *, schedule: Schedule, actor: Any, data: dict[str, Any], now: datetime | None = None
) -> Schedule:
    """修改检查计划：还没开始、没人动过的任务按新的设置重新生成；已开始、已完成、调整过或
    改派过的任务保留不变。记变更日志。"""
    _check_fields(data)
    stored = Schedule.objects.select_for_update().get(pk=schedule.pk)
    before = _shown(stored)
    for name, value in data.items():
        setattr(schedule, name, value)
    _check_schedule(schedule)
    changes = diff(before, _shown(schedule))
    if not changes:
        return schedule
    schedule.save()
    now = now or timezone.now()
    removed = tasks_untouched_remove(Schedule.objects.filter(pk=schedule.pk), now, None)
    note = f"未开始的任务 {removed} 个按新设置重新生成。" if removed else ""
    changelog_record(obj=schedule, action=UPDATE, actor=actor, changes=changes, note=note)
    if schedule.active:
        tasks_generate_soon([schedule.pk], schedule.organization_id, now)
    return schedule


# ---- the workday calendar ------------------------------------------------------------------


def _day_put(organization: Any, actor: Any, day: date, workday: bool, note: str) -> bool:
    """Write one calendar day (new or changed); False when it was already so."""
    stored = CalendarDay.objects.select_for_update().filter(organization=organization, day=day)
    row = stored.first()
    note = note.strip()[: scheduling.NOTE_LIMIT]
    if row is None:
        row = CalendarDay(organization=organization, day=day, workday=workday, note=note)
        validate(row)
        row.save()
        changes = {"日期": [None, day.isoformat()], "上班": [None, "是" if workday else "否"]}
        changelog_record(
            obj=row, action=CREATE, actor=actor, changes={**changes, "说明": [None, note]}
        )
        return True
    before = snapshot(row)
    row.workday, row.note = workday, note
    changes = diff(before, snapshot(row))
    if not changes:
        return False
    row.save()
    changelog_record(obj=row, action=UPDATE, actor=actor, changes=changes)
    return True


def _calendar_changed(organization: Any, days: Iterable[date], now: datetime) -> None:
    """Tasks already generated for the changed days under the old calendar are made again:
    untouched future tasks of the schedules that care about workdays, from the first changed
    day to a month after the last (a monthly check may have moved forward)."""
    days = sorted(days)
    if not days:
        return
    first, _ = day_bounds(days[0])
    _, last = day_bounds(days[-1] + timedelta(days=scheduling.SHIFT_LIMIT))
    sensitive = Schedule.objects.filter(organization=organization).exclude(days=Schedule.Days.ALL)
    tasks_untouched_remove(sensitive, max(first, now), last)
    ids = list(sensitive.filter(active=True).values_list("pk", flat=True))
    if ids:
        tasks_generate_soon(ids, organization, now)


@transaction.atomic
def calendar_day_set(
    *,
    organization: Any,
    actor: Any,
    day: date,
    workday: bool,
    note: str = "",
    now: datetime | None = None,
) -> None:
    """在工作日历上记一天：工作日放假（休息）或周末调休上班；同一天再记一次即修改。已生成的、
    没人动过的任务按新的日历重新生成。"""
    if _day_put(organization, actor, day, workday, note):
        _calendar_changed(organization, [day], now or timezone.now())


@transaction.atomic
def calendar_day_remove(*, day: CalendarDay, actor: Any, now: datetime | None = None) -> None:
    """从工作日历删掉一天（这一天按平常的周一至周五上班），记变更日志，重新生成受影响的任务。"""
    changes = {k: [v, None] for k, v in snapshot(day).items() if v not in (None, "")}
    changelog_record(obj=day, action=DELETE, actor=actor, changes=changes)
    when = day.day
    day.delete()
    _calendar_changed(day.organization_id, [when], now or timezone.now())


@transaction.atomic
def calendar_import(
    *, organization: Any, actor: Any, text: str, now: datetime | None = None
) -> int:
    """导入一年的放假和调休安排：每行“2026-10-01 休息 国庆节”或“2026-10-10 上班 调休”。
    有一行不对就一行也不写，并列出每个不对的行；返回新增或改动的天数。"""
    lines, errors = scheduling.calendar_lines_parse(text)
    if errors:
        raise ValidationError({"text": errors})
    changed = [
        line.day
        for line in lines
        if _day_put(organization, actor, line.day, line.workday, line.note)
    ]
    _calendar_changed(organization, changed, now or timezone.now())
    return len(changed)
