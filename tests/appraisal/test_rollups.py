"""Daily roll-ups of tasks and records (houqin/appraisal/rollups.py): the figures read from
them are the figures of the raw rows, over closed days and the part of today up to now, and
every kind of write the triggers watch makes the next read count the touched days again."""

from __future__ import annotations

from datetime import datetime, timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from houqin.appraisal import rollups, sources
from houqin.appraisal.compute import period_compute
from houqin.appraisal.models import DayBuilt, DayFigure, Period
from houqin.checklists.models import Record, Task
from houqin.findings.compliance import Scope
from houqin.places.models import Place
from tests.appraisal.builders import (
    SHANGHAI,
    at,
    department_make,
    period_make,
    place_make,
    record_put,
    scheme_make,
    task_put,
    team_make,
)

pytestmark = pytest.mark.django_db

# Mid-afternoon of 10 September: the 1st to the 9th are closed days, the 10th is open.
NOW = datetime(2026, 9, 10, 15, 0, tzinfo=SHANGHAI)
WANTED = [
    ("pass_rate", ""),
    ("pass_rate", "patrol"),
    ("veto_failures", ""),
    ("task_done_rate", ""),
    ("tasks_missed", ""),
]


def scope_of(org: Any, now: datetime = NOW) -> Scope:
    return Scope(org.pk, at(9, 1).date(), at(9, 30).date(), now)


def read(scope: Scope, kind: str = "department") -> Any:
    return sources.read(scope, kind, WANTED)


def raw(scope: Scope, kind: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The same figures counted from the raw rows only."""
    with monkeypatch.context() as patched:
        patched.setattr(rollups, "applies", lambda scope, rows: False)
        return sources.read(scope, kind, WANTED)


@pytest.fixture
def rows(org_a: Any, departments: list[Any], sheet: Any, standards_officer: Any) -> Any:
    """Tasks and records of two departments over closed days and this morning, across local
    midnight (23:30 and 00:30 Beijing time fall on different UTC dates)."""
    first, second = (
        place_make(org_a, code, d) for code, d in (("A", departments[0]), ("B", departments[1]))
    )
    for day in (1, 2, 5, 9, 10):
        for hour, where, passed in (
            (0, first, True),
            (9, first, day % 2 == 0),
            (23, second, False),
        ):
            moment = at(9, day, hour) + timedelta(minutes=30)
            if moment >= NOW:
                continue
            status = Task.Status.DONE if passed else Task.Status.MISSED
            task = task_put(sheet, moment, status, place=where)
            record_put(
                sheet,
                standards_officer,
                moment,
                place=where,
                task=task,
                passed=passed,
                vetoed=not passed and day == 5,
                kind="patrol" if hour == 9 else "self",
            )
    return first, second


def test_the_figures_are_those_of_the_raw_rows(
    org_a: Any, rows: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    scope = scope_of(org_a)
    counted = read(scope)
    assert counted == raw(scope, "department", monkeypatch)
    assert counted[("pass_rate", "")] and counted[("task_done_rate", "")]
    assert sorted(DayBuilt.objects.values_list("day", flat=True).distinct()) == [
        at(9, day).date() for day in range(1, 10)
    ]
    assert DayFigure.objects.filter(day=at(9, 10).date()).count() == 0  # today is read live
    assert read(scope, "person") == raw(scope, "person", monkeypatch)


def test_a_second_read_counts_nothing_again(org_a: Any, rows: Any) -> None:
    scope = scope_of(org_a)
    read(scope)
    with CaptureQueriesContext(connection) as queries:
        read(scope)
    assert not [q for q in queries.captured_queries if "INSERT" in q["sql"]]
    assert len(queries) == 6  # per kind of rows: the marks, the sums, today's rows


def test_a_record_changed_on_a_closed_day_is_counted_again(
    org_a: Any, rows: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    scope = scope_of(org_a)
    before = read(scope)
    Record.objects.filter(submitted_at__date=at(9, 2).date(), passed=True).update(passed=False)
    after = read(scope)
    assert after != before
    assert after == raw(scope, "department", monkeypatch)
    Record.objects.filter(submitted_at__lt=at(9, 2)).delete()
    assert read(scope) == raw(scope, "department", monkeypatch)


def test_a_task_moved_to_another_day_leaves_both_days_right(
    org_a: Any, rows: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    scope = scope_of(org_a)
    read(scope)
    task = Task.objects.filter(due_at__lt=at(9, 2)).first()
    assert task is not None
    task.due_at = at(9, 20)  # out of the closed days, later this month
    task.save(update_fields=["due_at"])
    Task.objects.filter(due_at__date=at(9, 5).date()).update(due_at=at(9, 6, 10))
    assert read(scope) == raw(scope, "department", monkeypatch)


def test_a_task_given_to_another_team_moves_its_records(
    org_a: Any, rows: Any, departments: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    scope = scope_of(org_a)
    read(scope, "team")
    team = team_make(org_a, departments[0], "保洁一班")
    Task.objects.filter(due_at__lt=at(9, 6)).update(team=team)
    counted = read(scope, "team")
    assert counted == raw(scope, "team", monkeypatch)
    assert counted[("pass_rate", "")][team.pk]["whole"] > 0


def test_a_place_or_template_given_to_another_department_moves_its_rows(
    org_a: Any, rows: Any, sheet: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    scope = scope_of(org_a)
    read(scope)
    first, _second = rows
    other = department_make(org_a, "BG", "办公室")
    Place.objects.filter(pk=first.pk).update(department=None)
    sheet.department = other
    sheet.save(update_fields=["department"])
    counted = read(scope)
    assert counted == raw(scope, "department", monkeypatch)
    assert counted[("pass_rate", "")][other.pk]["whole"] > 0


def test_a_narrowed_scope_is_counted_from_the_raw_rows(org_a: Any, rows: Any) -> None:
    first, _second = rows
    narrowed = Scope(org_a.pk, at(9, 1).date(), at(9, 30).date(), NOW, place_path=first.path)
    assert not rollups.applies(narrowed, "records")
    assert rollups.applies(scope_of(org_a), "records")
    assert not rollups.applies(scope_of(org_a), "findings")


def test_the_nightly_job_counts_the_days_of_periods_still_to_compute(
    org_a: Any, rows: Any, standards_officer: Any
) -> None:
    scheme = scheme_make(org_a)
    period = period_make(scheme, at(9, 1).date(), at(9, 30).date())
    period_make(scheme, at(8, 1).date(), at(8, 31).date(), Period.Status.FINAL)
    out = StringIO()
    call_command("appraisal_daily", "--now", "2026-09-10 15:00", stdout=out)
    # Nine closed days of September, for tasks and for records; August is final: left alone.
    assert "待计算的考核周期 1 个，新汇总 18 天的数据" in out.getvalue()
    assert DayBuilt.objects.count() == 18
    assert not DayBuilt.objects.filter(day__lt=at(9, 1).date()).exists()
    call_command("appraisal_daily", "--now", "2026-09-10 15:00", stdout=out)
    assert "新汇总 0 天的数据" in out.getvalue()
    with CaptureQueriesContext(connection) as queries:
        period_compute(period, now=NOW)
    assert period.compute_error == ""
    assert not [q for q in queries.captured_queries if 'INTO "appraisal_dayfigure' in q["sql"]]
