"""The figures of tasks and records read from daily roll-ups (models/rollups.py): the closed
days of a period are summed from ``DayFigure`` rows, each day counted once from the raw rows
when its ``DayBuilt`` mark is missing (first use, or a trigger removed it after a write), and
the part of today up to now is counted from the raw rows. The counts are those of
``sources.CONDITIONS`` over ``sources.BASES`` grouped by ``sources.COLUMNS``, so a roll-up
counts exactly what the raw query counts."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, QuerySet, Sum

from houqin.appraisal.models import DayBuilt, DayFigure
from houqin.checklists.selectors import day_bounds
from houqin.findings.compliance import Scope

ROLLED = ("records", "tasks")
# The tables whose writes remove a kind of rows' marks (migration 0003's triggers).
_OWNERS = "places_place, checklists_checklisttemplate"
LOCKED = {
    "records": f"checklists_record, checklists_task, {_OWNERS}",
    "tasks": f"checklists_task, {_OWNERS}",
}
COLUMNS = ("n1", "n2", "n3", "n4")
BUILD_DAYS = 31  # days counted per transaction (on PostgreSQL, writers wait that long)

Grouped = Callable[[Scope, str, str], QuerySet[Any]]


def counted(rows: str, conditions: dict[str, Any]) -> tuple[str, ...]:
    """The conditions a day's counts keep, in the order of ``DayFigure.n1``…``n4``."""
    names = tuple(conditions)
    if len(names) > len(COLUMNS):
        raise ValueError(f"{rows}: {len(names)} conditions, {len(COLUMNS)} columns")
    return names


def applies(scope: Scope, rows: str) -> bool:
    """Roll-ups hold an organization's whole rows: a scope narrowed to a department, place,
    vendor, service line or standard is counted from the raw rows."""
    return rows in ROLLED and scope == Scope(
        scope.organization_id, scope.start, scope.end, scope.now
    )


def _closed_days(scope: Scope) -> tuple[list[date], Scope | None]:
    """The days of the scope over by ``now``, and the scope of the rest (up to now)."""
    days: list[date] = []
    day = scope.start
    while day <= scope.end and day_bounds(day)[1] <= scope.now:
        days.append(day)
        day += timedelta(days=1)
    rest = (
        replace(scope, start=day) if day <= scope.end and day_bounds(day)[0] < scope.now else None
    )
    return days, rest


def figures(
    scope: Scope, rows: str, subject_kind: str, names: tuple[str, ...], grouped: Grouped
) -> dict[Any, dict[tuple[str, str], int]]:
    """{subject: {(condition, inspection kind): count}} over the scope. ``grouped(scope, rows,
    subject_kind)`` is the raw grouped query: values subject, kind, n1…n4."""
    days, rest = _closed_days(scope)
    build(scope, rows, subject_kind, _missing(scope, rows, subject_kind, days), grouped)
    result: dict[Any, dict[tuple[str, str], int]] = {}
    if days:
        summed = (
            DayFigure.objects.filter(
                organization_id=scope.organization_id,
                rows_kind=rows,
                subject_kind=subject_kind,
                day__gte=days[0],
                day__lte=days[-1],
            )
            .values("subject_id", "inspection_kind")
            .annotate(**{column: Sum(column) for column in COLUMNS})
            .order_by()
        )
        _add(result, names, ((r["subject_id"], r["inspection_kind"], dict(r)) for r in summed))
    if rest is not None:
        live = grouped(rest, rows, subject_kind)
        _add(result, names, ((r["subject"], r["kind"], r) for r in live))
    return result


def _add(
    result: dict[Any, dict[tuple[str, str], int]],
    names: tuple[str, ...],
    found: Iterable[tuple[Any, str, dict[str, Any]]],
) -> None:
    for subject, kind, row in found:
        counts = result.setdefault(subject, {})
        for name, column in zip(names, COLUMNS, strict=False):
            value = row[column] or 0
            for key in {(name, kind), (name, "")}:  # by inspection kind, and all kinds
                counts[key] = counts.get(key, 0) + value


def _marks(org: int, rows: str, subject_kind: str) -> QuerySet[DayBuilt]:
    return DayBuilt.objects.filter(organization_id=org, rows_kind=rows, subject_kind=subject_kind)


def missing(scope: Scope, rows: str, subject_kind: str) -> list[date]:
    """The scope's closed days not counted yet."""
    return _missing(scope, rows, subject_kind, _closed_days(scope)[0])


def _missing(scope: Scope, rows: str, subject_kind: str, days: list[date]) -> list[date]:
    if not days:
        return []
    marks = _marks(scope.organization_id, rows, subject_kind)
    built = set(marks.filter(day__gte=days[0], day__lte=days[-1]).values_list("day", flat=True))
    return [day for day in days if day not in built]


def build(
    scope: Scope,
    rows: str,
    subject_kind: str,
    days: list[date],
    grouped: Grouped,
    progress: Callable[[int], None] | None = None,
) -> None:
    """Count ``days`` into the roll-ups, ``BUILD_DAYS`` per transaction; after each
    transaction ``progress(how many days)`` (the computing job's progress)."""
    for start in range(0, len(days), BUILD_DAYS):
        chunk = days[start : start + BUILD_DAYS]
        _build(scope, rows, subject_kind, chunk, grouped)
        if progress is not None:
            progress(len(chunk))


def _build(
    scope: Scope, rows: str, subject_kind: str, missing: list[date], grouped: Grouped
) -> None:
    """Count ``missing`` days and mark them built, in one transaction."""
    org = scope.organization_id
    marks = _marks(org, rows, subject_kind)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # No write that removes marks may commit between counting a day and marking
            # it built (its trigger would find no mark to remove). Readers go on.
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {LOCKED[rows]} IN SHARE MODE")
        built = set(marks.filter(day__in=missing).values_list("day", flat=True))
        missing = [day for day in missing if day not in built]
        DayFigure.objects.filter(
            organization_id=org, rows_kind=rows, subject_kind=subject_kind, day__in=missing
        ).delete()
        for day in missing:
            one_day = replace(scope, start=day, end=day)
            DayFigure.objects.bulk_create(
                DayFigure(
                    organization_id=org,
                    rows_kind=rows,
                    subject_kind=subject_kind,
                    day=day,
                    subject_id=row["subject"],
                    inspection_kind=row["kind"],
                    **{column: row[column] for column in COLUMNS},
                )
                for row in grouped(one_day, rows, subject_kind)
            )
        DayBuilt.objects.bulk_create(
            DayBuilt(organization_id=org, rows_kind=rows, subject_kind=subject_kind, day=day)
            for day in missing
        )


def count_columns(names: tuple[str, ...], condition: Callable[[str], Any]) -> dict[str, Any]:
    """The aggregates n1…n4 of a raw grouped query (``Count`` of each condition)."""
    return {
        column: Count("pk", filter=condition(name))
        for name, column in zip(names, COLUMNS, strict=False)
    }
