"""Periods: creating one, computing every subject's score from the checklist rows (one
grouped query per kind of rows), progress, manual entries, ranks and grades, the workflow
steps and the freeze (a record edited after the freeze changes nothing and is listed)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from houqin.appraisal import compute, rollups, selectors
from houqin.appraisal.models import DayBuilt, Period, Score
from houqin.appraisal.period_services import (
    manual_entry_set,
    period_compute,
    period_create,
    period_step,
)
from houqin.checklists.models import Task
from houqin.common.models import ChangeLogEntry
from tests.appraisal.builders import (
    NOW,
    Q3_END,
    Q3_START,
    at,
    department_make,
    period_make,
    place_make,
    record_put,
    scheme_make,
    task_put,
)

D = Decimal


@pytest.fixture(autouse=True)
def clock(time_machine) -> None:
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def data(org_a, departments, sheet, standards_officer):
    """物业管理科: 3 of 4 records passed (the failed one vetoed), 1 of 2 tasks done;
    餐饮服务科: 2 of 2 passed, no tasks; 会议服务科: nothing. A June record is outside."""
    first, second, _ = departments
    p1, p2 = place_make(org_a, "R1", first), place_make(org_a, "R2", second)
    done = task_put(sheet, at(8, 3), place=p1)
    task_put(sheet, at(8, 4), Task.Status.MISSED, place=p1)
    task_put(sheet, at(8, 5), Task.Status.CANCELLED, place=p1)
    records = [
        record_put(sheet, standards_officer, at(8, 3), task=done),
        record_put(sheet, standards_officer, at(8, 10), place=p1),
        record_put(sheet, standards_officer, at(9, 10), place=p1),
        record_put(sheet, standards_officer, at(9, 12), place=p1, passed=False, vetoed=True),
        record_put(sheet, standards_officer, at(8, 1), place=p2),
        record_put(sheet, standards_officer, at(8, 2), place=p2),
        record_put(sheet, standards_officer, at(6, 20), place=p1, passed=False),
    ]
    return {"places": (p1, p2), "records": records}


def computed(scheme, **fields) -> Period:
    period = period_make(scheme, **fields)
    period_compute(period)
    return period


def by_name(period: Period) -> dict[str, Score]:
    return {s.subject_name: s for s in Score.objects.filter(period=period)}


def test_create_uses_the_latest_published_version(org_a, standards_officer) -> None:
    scheme = scheme_make(org_a)
    period = period_create(
        scheme=scheme,
        name="2026年第三季度",
        cadence="quarter",
        starts_on=Q3_START,
        ends_on=Q3_END,
        publicity_days=5,
        actor=standards_officer,
    )
    assert period.version == scheme.versions.get()
    assert period.status == "draft"


def test_create_refuses_overlaps_and_schemes_without_a_published_version(
    org_a, standards_officer
) -> None:
    scheme = scheme_make(org_a)
    period_make(scheme)
    values = {"cadence": "custom", "publicity_days": 5, "actor": standards_officer}
    with pytest.raises(ValidationError, match="日期重叠"):
        period_create(
            scheme=scheme, name="九月", starts_on=date(2026, 9, 1), ends_on=Q3_END, **values
        )
    draft = scheme_make(org_a, name="草稿方案", published=False)
    with pytest.raises(ValidationError, match="还没有发布的版本"):
        period_create(scheme=draft, name="三季度", starts_on=Q3_START, ends_on=Q3_END, **values)


def test_create_needs_the_right_to_run_appraisals(org_a, department_head) -> None:
    with pytest.raises(PermissionDenied):
        period_create(
            scheme=scheme_make(org_a),
            name="三季度",
            cadence="quarter",
            starts_on=Q3_START,
            ends_on=Q3_END,
            publicity_days=5,
            actor=department_head,
        )


def test_compute_scores_every_department_with_formulas_ranks_and_grades(org_a, data) -> None:
    period = computed(scheme_make(org_a))
    scores = by_name(period)
    first = scores["物业管理科"]
    lines = {line.label: line for line in first.lines.all()}
    assert lines["检查合格率"].formula == "60 × 3/4 = 45"
    assert lines["检查合格率"].figure["part"] == 3
    assert lines["任务完成率"].formula == "40 × 1/2 = 20"
    assert lines["否决项不合格"].formula == "2 × 1 = 2"
    assert (first.base, first.deduction, first.total) == (D("65.00"), D("2.00"), D("63.00"))
    assert [scores["餐饮服务科"].total, scores["会议服务科"].total] == [D("100.00")] * 2
    assert [scores[n].rank for n in ("餐饮服务科", "会议服务科", "物业管理科")] == [1, 1, 3]
    assert first.grade == "pass" and scores["餐饮服务科"].grade == "excellent"
    period.refresh_from_db()
    assert (period.computing, period.compute_error, period.stage) == (False, "", "")
    assert period.done == period.total


def test_compute_reports_the_days_it_counts_then_the_subjects(org_a, data, monkeypatch) -> None:
    """The first computation counts every closed day into the roll-ups, a month per commit:
    the page's progress moves through those days, then through the subjects."""
    seen: list[tuple[int, int, str]] = []
    monkeypatch.setattr(rollups, "BUILD_DAYS", 40)
    monkeypatch.setattr(compute, "_progressed", lambda period, *step: seen.append(step))
    computed(scheme_make(org_a))
    # The third quarter's 92 days, of records then of tasks, 40 days per commit.
    assert DayBuilt.objects.filter(organization=org_a, rows_kind="records").count() == 92
    assert DayBuilt.objects.filter(organization=org_a, rows_kind="tasks").count() == 92
    steps = 92 * 2 + 3  # three departments
    counting, scoring = compute.COUNTING, compute.SCORING
    assert seen == [
        *((done, steps, counting) for done in (0, 40, 80, 92, 132, 172, 184)),
        (184, steps, scoring),
    ]
    seen.clear()
    computed(scheme_make(org_a, name="第二个方案"))  # days counted: only subjects are steps
    assert seen == [(0, 3, scoring)]


def test_recompute_keeps_the_scores_and_their_manual_entries(
    org_a, data, departments, standards_officer
) -> None:
    indicators = [
        {"name": "检查合格率", "weight": 90, "source": "pass_rate", "method": "rate"},
        {"name": "服务对象评价", "weight": 10, "source": "manual", "method": "manual"},
    ]
    period = computed(scheme_make(org_a, indicators=indicators, adjustments=[]))
    score = by_name(period)["物业管理科"]
    indicator = period.version.indicators.get(source="manual")
    with pytest.raises(ValidationError, match="0 至 10"):
        manual_entry_set(
            score, indicator=indicator, value=D(12), note="座谈会", actor=standards_officer
        )
    manual_entry_set(
        score, indicator=indicator, value=D(8), note="服务对象座谈会意见", actor=standards_officer
    )
    score.refresh_from_db()
    assert score.total == D("75.50")  # 90 × 3/4 = 67.5, + 8
    period_compute(period)
    again = by_name(period)["物业管理科"]
    assert again.pk == score.pk and again.total == D("75.50")
    line = again.lines.get(indicator=indicator)
    assert line.formula == "人工评分 8（满分 10）"
    assert line.figure["entered_by"] == standards_officer.name


def test_the_compute_job_reads_in_a_fixed_number_of_queries(
    org_a, departments, sheet, standards_officer
) -> None:
    def run(extra: int) -> int:
        for n in range(extra):
            department = department_make(org_a, f"K{extra}{n}")
            where = place_make(org_a, f"P{extra}{n}", department)
            task_put(sheet, at(8, 1), place=where)
            record_put(sheet, standards_officer, at(8, 1), place=where, passed=n % 2 == 0)
        period = period_make(scheme_make(org_a, name=f"方案{extra}"))
        period_compute(period)  # counts the closed days the new rows touched (roll-ups)
        with CaptureQueriesContext(connection) as queries:
            period_compute(period)
        assert period.compute_error == ""
        return len(queries)

    assert run(2) == run(9)


def test_a_stale_compute_job_changes_nothing(org_a, data) -> None:
    from houqin.appraisal.tasks import period_compute_job

    period = computed(scheme_make(org_a))
    Score.objects.filter(period=period).update(total=D("1.00"))
    assert period_compute_job.call(period.pk) == "skipped"  # computed already, not computing
    assert set(Score.objects.filter(period=period).values_list("total", flat=True)) == {D("1")}


def test_a_failure_is_kept_with_a_chinese_reason(org_a, data) -> None:
    bad = [{"name": "漏检", "weight": 100, "source": "tasks_missed", "method": "rate"}]
    period = computed(scheme_make(org_a, indicators=bad, adjustments=[]))
    assert "只有次数" in period.compute_error
    assert period.computing is False


def test_steps_go_through_the_workflow_and_are_logged(
    org_a, data, standards_officer, department_head, django_capture_on_commit_callbacks
) -> None:
    period = period_make(scheme_make(org_a))
    with pytest.raises(PermissionDenied):
        period_step(period, "compute", department_head)
    with django_capture_on_commit_callbacks(execute=True):
        period_step(period, "compute", standards_officer)
    period.refresh_from_db()
    assert period.status == "computed" and period.computed_at == NOW
    assert period.scores.count() == 3
    assert standards_officer.notifications.filter(title__endswith="的得分已算完").exists()
    with django_capture_on_commit_callbacks(execute=True):
        period_step(period, "publish", standards_officer)
    period.refresh_from_db()
    assert period.publicity_ends_on == NOW.date() + timedelta(days=5)
    assert department_head.notifications.filter(title__contains="已公示").exists()
    with pytest.raises(ValidationError, match="不能计算得分"):
        period_step(period, "compute", standards_officer)
    logged = ChangeLogEntry.objects.filter(object_id=str(period.pk), action="transition")
    assert logged.count() == 2


def test_publish_waits_for_the_computation(org_a, standards_officer) -> None:
    period = period_make(scheme_make(org_a), status="computed")
    with pytest.raises(ValidationError, match="还没有算完"):
        period_step(period, "publish", standards_officer)


def test_a_record_edited_after_the_freeze_changes_nothing_and_is_listed(
    org_a, data, sheet, standards_officer, time_machine, django_capture_on_commit_callbacks
) -> None:
    period = computed(scheme_make(org_a), status="computed")
    with django_capture_on_commit_callbacks(execute=True):
        period_step(period, "publish", standards_officer)
        period_step(period, "freeze", standards_officer)
    period.refresh_from_db()
    assert period.frozen_at == NOW and period.frozen_by == standards_officer
    score = by_name(period)["物业管理科"]
    assert selectors.after_freeze(period) == []

    time_machine.move_to(NOW + timedelta(days=3), tick=False)
    edited = data["records"][1]
    edited.passed = False
    edited.save()
    record_put(sheet, standards_officer, at(9, 20), place=data["places"][0])
    score.refresh_from_db()
    assert score.total == D("63.00")
    changed = selectors.after_freeze(period)
    assert [(row["kind"], row["subject_name"]) for row in changed] == [
        ("records", "物业管理科"),
        ("records", "物业管理科"),
    ]
    assert edited.pk in {row["id"] for row in changed}
    breakdown = {line["label"]: line for line in selectors.score_breakdown(score)}
    rows = breakdown["检查合格率"]["rows"]
    assert len(rows) == 4  # the late record is not behind the frozen score
    assert [row["changed_after_freeze"] for row in rows if row["id"] == edited.pk] == [True]


def test_freeze_is_refused_while_an_appeal_is_pending(
    org_a, data, standards_officer, department_head
) -> None:
    from houqin.appraisal.period_services import appeal_submit

    period = computed(scheme_make(org_a), status="published")
    score = by_name(period)["物业管理科"]
    appeal_submit(score, score.lines.first(), reason="记录有误", actor=department_head)
    with pytest.raises(ValidationError, match="未处理的申诉"):
        period_step(period, "freeze", standards_officer)
