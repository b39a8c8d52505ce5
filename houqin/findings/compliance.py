"""Compliance figures (合规情况) of a department, a vendor, a place subtree, a service line or
a standard over a period, and the rows behind each figure. The appraisal reads these
figures as its inputs, so every figure is defined once here (a condition on a base set of
rows) and both the counts and the drill-down lists use that definition."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db import connection
from django.db.models import Count, DateField, F, Func, Q, QuerySet, Value
from django.db.models.functions import Coalesce, Trunc
from django.utils import timezone

from houqin.checklists.models import ChecklistItem, Record, Severity, Task
from houqin.checklists.scheduling import local_zone
from houqin.checklists.selectors import day_bounds
from houqin.findings.models import Finding, Rectification
from houqin.places.models import Place

S = Rectification.Status
T = Task.Status
OPEN = (S.ASSIGNED, S.RETURNED)
# The states a task is rarely left in: counted one by one off the status index, and the
# done ones as the rest of all the tasks (one count off the due-time index).
UNDONE = tuple(value for value in T.values if value != T.DONE)
HEAT_PLACES = 20


@dataclass(frozen=True)
class Scope:
    """What the figures cover: an organization, a period of local days (both included), the
    moment they are read at, and any of a department, vendor, place subtree (by its tree
    path), service line or standard (all given ones apply)."""

    organization_id: int
    start: date
    end: date
    now: datetime
    department_id: int | None = None
    vendor_id: int | None = None
    place_path: str = ""
    service_line: str = ""
    standard_id: int | None = None

    @property
    def since(self) -> datetime:
        return day_bounds(self.start)[0]

    @property
    def until(self) -> datetime:
        """The end of the period, or now if sooner (what is not due yet is not counted)."""
        return min(day_bounds(self.end)[1], self.now)


def scope_for(
    organization: Any,
    *,
    start: date,
    end: date,
    department: Any = None,
    vendor: Any = None,
    place: Place | None = None,
    service_line: str | None = None,
    standard: Any = None,
    now: datetime | None = None,
) -> Scope:
    return Scope(
        organization_id=organization.pk,
        start=start,
        end=end,
        now=now or timezone.now(),
        department_id=getattr(department, "pk", None),
        vendor_id=getattr(vendor, "pk", None),
        place_path=place.path if place is not None else "",
        service_line=service_line or "",
        standard_id=getattr(standard, "pk", None),
    )


def _templates_citing(standard_id: int) -> QuerySet[Any]:
    return ChecklistItem.objects.filter(standard_id=standard_id).values("template_id")


def _checks_in(rows: QuerySet[Any], scope: Scope, vendor_field: str) -> QuerySet[Any]:
    """The scope's conditions on tasks or records (both have a template, place, equipment)."""
    if scope.department_id is not None:
        rows = rows.filter(
            Q(place__department_id=scope.department_id)
            | Q(template__department_id=scope.department_id)
        )
    if scope.vendor_id is not None:
        rows = rows.filter(**{vendor_field: scope.vendor_id})
    if scope.place_path:
        rows = rows.filter(
            Q(place__path__startswith=scope.place_path)
            | Q(equipment__place__path__startswith=scope.place_path)
        )
    if scope.service_line:
        rows = rows.filter(template__service_line=scope.service_line)
    if scope.standard_id is not None:
        rows = rows.filter(template_id__in=_templates_citing(scope.standard_id))
    return rows


def _tasks_falling_due(scope: Scope) -> QuerySet[Task]:
    rows = Task.objects.filter(
        organization_id=scope.organization_id, due_at__gte=scope.since, due_at__lt=scope.until
    )
    return _checks_in(rows, scope, "vendor_id")


def tasks_in(scope: Scope) -> QuerySet[Task]:
    """Tasks of the scope that fell due in the period (up to now), cancelled ones left out."""
    return _tasks_falling_due(scope).exclude(status=T.CANCELLED)


def records_in(scope: Scope) -> QuerySet[Record]:
    """Records of the scope submitted in the period."""
    rows = Record.objects.filter(
        organization_id=scope.organization_id,
        status=Record.Status.SUBMITTED,
        submitted_at__gte=scope.since,
        submitted_at__lt=scope.until,
    )
    return _checks_in(rows, scope, "task__vendor_id")


def findings_in(scope: Scope) -> QuerySet[Finding]:
    """Findings of the scope raised in the period."""
    rows = Finding.objects.filter(
        organization_id=scope.organization_id,
        raised_at__gte=scope.since,
        raised_at__lt=scope.until,
    )
    if scope.department_id is not None:
        rows = rows.filter(rectification__department_id=scope.department_id)
    if scope.vendor_id is not None:
        rows = rows.filter(rectification__vendor_id=scope.vendor_id)
    if scope.place_path:
        rows = rows.filter(
            Q(place__path__startswith=scope.place_path)
            | Q(equipment__place__path__startswith=scope.place_path)
        )
    if scope.service_line:
        rows = rows.filter(
            Q(item__template__service_line=scope.service_line)
            | Q(record__template__service_line=scope.service_line)
        )
    if scope.standard_id is not None:
        rows = rows.filter(
            Q(item__standard_id=scope.standard_id)
            | Q(clause__version__standard_id=scope.standard_id)
        )
    return rows


Condition = Callable[[Scope], Q | None]


@dataclass(frozen=True)
class Figure:
    """One figure: its label, the kind of rows behind it and the condition on them (None
    for all the rows of the scope)."""

    kind: str  # "tasks", "records" or "findings"
    label: str
    condition: Condition


def _on_time(scope: Scope) -> Q:
    return (
        Q(rectification__fixed_at__isnull=False)
        & ~Q(rectification__status__in=OPEN)
        & Q(rectification__fixed_at__lte=F("rectification__deadline"))
    )


def _late(scope: Scope) -> Q:
    fixed_late = ~Q(rectification__status__in=OPEN) & Q(
        rectification__fixed_at__gt=F("rectification__deadline")
    )
    still_open = Q(rectification__status__in=OPEN, rectification__deadline__lt=scope.now)
    return fixed_late | still_open


def _pending(scope: Scope) -> Q:
    return Q(rectification__status__in=OPEN, rectification__deadline__gte=scope.now)


def _equals(name: str, value: str) -> Condition:
    def condition(scope: Scope) -> Q:
        return Q(**{name: value})

    return condition


FIGURES: dict[str, Figure] = {
    "tasks_due": Figure("tasks", "应检任务", lambda s: None),
    "tasks_done": Figure("tasks", "已完成", lambda s: Q(status=T.DONE)),
    "tasks_missed": Figure("tasks", "漏检", lambda s: Q(status=T.MISSED)),
    "tasks_overdue": Figure("tasks", "逾期未完成", lambda s: Q(status=T.OVERDUE)),
    "records": Figure("records", "检查记录", lambda s: None),
    "records_passed": Figure("records", "合格记录", lambda s: Q(passed=True)),
    "records_failed": Figure("records", "不合格记录", lambda s: Q(passed=False)),
    "findings": Figure("findings", "发现问题", lambda s: None),
    "findings_repeat": Figure("findings", "重复发生", lambda s: Q(repeat_of__isnull=False)),
    "fix_on_time": Figure("findings", "按期整改", _on_time),
    "fix_late": Figure("findings", "逾期整改", _late),
    "fix_pending": Figure("findings", "整改期限未到", _pending),
    **{
        f"severity_{value}": Figure("findings", f"{label}问题", _equals("severity", value))
        for value, label in Severity.choices
    },
    **{
        f"status_{value}": Figure("findings", str(label), _equals("rectification__status", value))
        for value, label in S.choices
    },
}

BASES: dict[str, Callable[[Scope], QuerySet[Any]]] = {
    "tasks": tasks_in,
    "records": records_in,
    "findings": findings_in,
}


def figure_rows(scope: Scope, name: str) -> QuerySet[Any]:
    """The rows behind one figure (what its number counts)."""
    figure = FIGURES[name]
    rows = BASES[figure.kind](scope)
    condition = figure.condition(scope)
    return rows if condition is None else rows.filter(condition)


def _task_counts(scope: Scope) -> dict[str, int]:
    """The task figures, all of them counts by state (two queries: all the tasks, and the
    undone ones by state)."""
    rows = _tasks_falling_due(scope)
    everything = rows.aggregate(n=Count("*"))["n"]
    undone = {
        row["status"]: row["n"]
        for row in rows.filter(status__in=UNDONE).values("status").annotate(n=Count("*")).order_by()
    }
    due = everything - undone.get(T.CANCELLED, 0)
    return {
        "tasks_due": due,
        "tasks_done": due - sum(n for state, n in undone.items() if state != T.CANCELLED),
        "tasks_missed": undone.get(T.MISSED, 0),
        "tasks_overdue": undone.get(T.OVERDUE, 0),
    }


def _record_counts(scope: Scope) -> dict[str, int]:
    """The record figures: all, those with a result, and the failures (off their own index);
    the passes are the rest of those with a result."""
    rows = records_in(scope)
    counts = rows.aggregate(records=Count("*"), judged=Count("passed"))
    failed = rows.filter(passed=False).aggregate(n=Count("*"))["n"]
    return {
        "records": counts["records"],
        "records_passed": counts["judged"] - failed,
        "records_failed": failed,
    }


def _count(scope: Scope, kind: str) -> dict[str, int]:
    """Every figure of a kind in one aggregate query."""
    counts = {
        name: Count("pk", filter=figure.condition(scope))
        for name, figure in FIGURES.items()
        if figure.kind == kind
    }
    return BASES[kind](scope).aggregate(**counts)


def rate(part: int, whole: int) -> float | None:
    """A percentage with one decimal, None when there is nothing to count."""
    return round(100 * part / whole, 1) if whole else None


DAY, WEEK, MONTH = "day", "week", "month"
# What a column of the heat map is labelled with, per bucket.
BUCKET_LABELS = {DAY: "%m-%d", WEEK: "%m-%d 起", MONTH: "%Y-%m"}
# SQLite's own date modifiers for each bucket, after the shift to local time.
_SQLITE_BUCKETS = {DAY: (), WEEK: ("weekday 0", "-6 days"), MONTH: ("start of month",)}
_TRUNC_KINDS = {DAY: "day", WEEK: "week", MONTH: "month"}


def bucket_of(scope: Scope) -> str:
    """The heat map's columns: days for a month at most, weeks up to half a year, else months."""
    days = (scope.end - scope.start).days + 1
    if days <= 31:
        return DAY
    return WEEK if days <= 26 * 7 else MONTH


def local_bucket(moment: str, bucket: str = DAY) -> Func | Trunc:
    """The local day of a timestamp, or the Monday of its week or the first of its month,
    computed by the database so that it groups by it. On SQLite with its own ``date(…,
    '+N minutes', …)`` rather than Django's per-row Python function (the zone,
    Asia/Shanghai, keeps one offset all year)."""
    if connection.vendor != "sqlite":
        return Trunc(moment, _TRUNC_KINDS[bucket], output_field=DateField(), tzinfo=local_zone())
    offset = timezone.localtime().utcoffset() or timedelta()
    minutes = int(offset.total_seconds() // 60)
    modifiers = (f"{minutes:+d} minutes", *_SQLITE_BUCKETS[bucket])
    return Func(
        F(moment), *(Value(m) for m in modifiers), function="date", output_field=DateField()
    )


def heat_map(scope: Scope) -> dict[str, Any]:
    """Findings and failed records per place and per day (week or month for a longer
    period): the places with the most, their totals, and the cells of the heat map
    (three queries)."""
    size = bucket_of(scope)
    cells: dict[int, dict[Any, int]] = {}
    kinds: dict[int, list[int]] = {}
    for index, (rows, moment) in enumerate(
        (
            (findings_in(scope), "raised_at"),
            (records_in(scope).filter(passed=False), "submitted_at"),
        )
    ):
        grouped = (
            rows.annotate(spot=Coalesce("place_id", "equipment__place_id"))
            .filter(spot__isnull=False)
            .annotate(day=local_bucket(moment, size))
            .values("spot", "day")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for row in grouped:
            spot, day, n = row["spot"], _as_date(row["day"]), row["n"]
            place_cells = cells.setdefault(spot, {})
            place_cells[day] = place_cells.get(day, 0) + n
            kinds.setdefault(spot, [0, 0])[index] += n
    ranked = sorted(cells, key=lambda pk: (-sum(kinds[pk]), pk))[:HEAT_PLACES]
    names = dict(Place.objects.filter(pk__in=ranked).values_list("pk", "name"))
    buckets = sorted({bucket for pk in ranked for bucket in cells[pk]})
    column = {bucket: index for index, bucket in enumerate(buckets)}
    grid = [
        [column[bucket], row, n] for row, pk in enumerate(ranked) for bucket, n in cells[pk].items()
    ]
    return {
        "places": [
            {
                "pk": pk,
                "name": names.get(pk, ""),
                "findings": kinds[pk][0],
                "failures": kinds[pk][1],
                "total": sum(kinds[pk]),
            }
            for pk in ranked
        ],
        "buckets": [b.strftime(BUCKET_LABELS[size]) for b in buckets],
        "cells": grid,
        "max": max((n for _, _, n in grid), default=0),
    }


def _as_date(day: Any) -> date:
    return date.fromisoformat(day) if isinstance(day, str) else day


def compliance(
    organization: Any,
    *,
    start: date,
    end: date,
    department: Any = None,
    vendor: Any = None,
    place: Place | None = None,
    service_line: str | None = None,
    standard: Any = None,
    now: datetime | None = None,
) -> dict[str, Any]:
    """合规情况：一个科室、服务商、场所（含下级）、服务条线或标准（引用它的检查项）在一段时间内
    （start 至 end 两天都含；尚未到期的不计）的各项数字，给合规页面和考核使用。给出多个范围时
    同时满足。固定 8 次查询，与行数无关。

    Figures (keys of the result):

    - ``tasks``: ``due`` 应检任务（期内到期、未取消）, ``done`` 已完成, ``missed`` 漏检,
      ``overdue`` 逾期未完成, ``done_rate`` 完成率 %（done / due）.
    - ``records``: ``submitted`` 期内提交的记录, ``passed`` 合格, ``failed`` 不合格,
      ``pass_rate`` 合格率 %（passed / (passed + failed)）.
    - ``findings``: ``total`` 期内发现的问题, ``by_severity`` {minor, major, critical},
      ``by_status`` {assigned, fixed, returned, effect_check, closed}（整改状态）,
      ``repeats`` 重复发生, ``repeat_rate`` 重复发生率 %（repeats / total）.
    - ``rectification``: ``on_time`` 按期整改（期限内提交且未被退回）, ``late`` 逾期整改
      （超期提交，或已过期限仍未整改）, ``pending`` 期限未到, ``on_time_rate`` 整改及时率 %
      （on_time / (on_time + late)）.
    - ``heat``: 问题和不合格记录最多的场所（places: pk, name, findings, failures,
      total）与热力图数据（buckets 为日/周/月，cells 为 [列, 行, 数量]，max）.
    - ``period``: {start, end}.

    Rates are None when there is nothing to count. Each figure's rows: ``figure_rows``."""
    scope = scope_for(
        organization,
        start=start,
        end=end,
        department=department,
        vendor=vendor,
        place=place,
        service_line=service_line,
        standard=standard,
        now=now,
    )
    tasks = _task_counts(scope)
    records = _record_counts(scope)
    findings = _count(scope, "findings")
    return {
        "period": {"start": start, "end": end},
        "tasks": {
            "due": tasks["tasks_due"],
            "done": tasks["tasks_done"],
            "missed": tasks["tasks_missed"],
            "overdue": tasks["tasks_overdue"],
            "done_rate": rate(tasks["tasks_done"], tasks["tasks_due"]),
        },
        "records": {
            "submitted": records["records"],
            "passed": records["records_passed"],
            "failed": records["records_failed"],
            "pass_rate": rate(
                records["records_passed"], records["records_passed"] + records["records_failed"]
            ),
        },
        "findings": {
            "total": findings["findings"],
            "by_severity": {v: findings[f"severity_{v}"] for v in Severity.values},
            "by_status": {v: findings[f"status_{v}"] for v in S.values},
            "repeats": findings["findings_repeat"],
            "repeat_rate": rate(findings["findings_repeat"], findings["findings"]),
        },
        "rectification": {
            "on_time": findings["fix_on_time"],
            "late": findings["fix_late"],
            "pending": findings["fix_pending"],
            "on_time_rate": rate(
                findings["fix_on_time"], findings["fix_on_time"] + findings["fix_late"]
            ),
        },
        "heat": heat_map(scope),
    }


def month_bounds(today: date) -> tuple[date, date]:
    """The first and last day of today's month (the default period)."""
    first = today.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return first, following - timedelta(days=1)
