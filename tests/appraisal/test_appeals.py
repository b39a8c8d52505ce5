"""Appeals: only during publicity, only by the subject's own people, one open appeal per
line; accepting corrects the line and recomputes the total, ranks and grades (logged);
rejecting keeps the score. Scoping: a subject's people see only their own score, once
published."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from houqin.appraisal import selectors
from houqin.appraisal.models import Score
from houqin.appraisal.period_services import appeal_decide, appeal_submit
from houqin.common.models import ChangeLogEntry
from tests.appraisal.builders import (
    NOW,
    contract_make,
    period_make,
    scheme_make,
    score_make,
    staff_make,
)
from tests.conftest import person

D = Decimal


@pytest.fixture(autouse=True)
def clock(time_machine) -> None:
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def published(org_a, departments):
    """物业管理科 80 (检查合格率 50 + 任务完成率 30), 餐饮服务科 85, 会议服务科 70."""
    period = period_make(scheme_make(org_a), status="published")
    first = score_make(
        period,
        departments[0],
        80,
        [
            {
                "label": "检查合格率",
                "points": 50,
                "formula": "60 × 5/6 = 50",
                "figure": {"part": 5, "whole": 6, "count": 1},
            },
            ("任务完成率", 30),
        ],
        rank=2,
        grade="good",
    )
    indicators = {i.name: i for i in period.version.indicators.all()}
    first.lines.filter(label="检查合格率").update(indicator=indicators["检查合格率"])
    first.lines.filter(label="任务完成率").update(indicator=indicators["任务完成率"])
    score_make(period, departments[1], 85, rank=1, grade="good")
    score_make(period, departments[2], 70, rank=3, grade="pass")
    return period


def first_line(score: Score):
    return score.lines.get(label="检查合格率")


def own_score(period) -> Score:
    return Score.objects.get(period=period, subject_name="物业管理科")


def test_the_department_head_appeals_a_line_of_their_own_score(
    published, department_head, standards_officer
) -> None:
    score = own_score(published)
    appeal = appeal_submit(
        score, first_line(score), reason="6月30日记录不属本季度", actor=department_head
    )
    assert appeal.status == "submitted" and appeal.points_before == D("50.00")
    with pytest.raises(ValidationError, match="已有待处理的申诉"):
        appeal_submit(score, first_line(score), reason="再次申诉", actor=department_head)
    other = Score.objects.get(period=published, subject_name="餐饮服务科")
    with pytest.raises(PermissionDenied):
        appeal_submit(other, other.lines.first(), reason="替别人申诉", actor=department_head)
    with pytest.raises(PermissionDenied):
        appeal_submit(score, first_line(score), reason="办公室代申诉", actor=standards_officer)


def test_appeals_only_during_publicity(org_a, departments, department_head) -> None:
    period = period_make(scheme_make(org_a), status="computed")
    score = score_make(period, departments[0], 80)
    with pytest.raises(ValidationError, match="公示期内"):
        appeal_submit(score, score.lines.first(), reason="有误", actor=department_head)


def test_accepting_corrects_the_line_and_recomputes_ranks_and_grades(
    published, department_head, standards_officer
) -> None:
    score = own_score(published)
    appeal = appeal_submit(score, first_line(score), reason="一条记录算错", actor=department_head)
    with pytest.raises(ValidationError, match=r"处理意见|原因"):
        appeal_decide(appeal, "accept", actor=standards_officer, note="", corrected={"part": 6})
    with pytest.raises(PermissionDenied):
        appeal_decide(
            appeal, "accept", actor=department_head, note="自己采纳", corrected={"part": 6}
        )
    appeal_decide(appeal, "accept", actor=standards_officer, note="核实属实", corrected={"part": 6})
    appeal.refresh_from_db()
    assert (appeal.status, appeal.points_before, appeal.points_after) == (
        "accepted",
        D("50.00"),
        D("60.00"),
    )
    score.refresh_from_db()
    assert score.total == D("90.00")
    assert first_line(score).formula == "60 × 6/6 = 60"
    assert (score.rank, score.grade) == (1, "excellent")
    assert Score.objects.get(period=published, subject_name="餐饮服务科").rank == 2
    logged = ChangeLogEntry.objects.get(object_id=str(score.pk), action="update")
    assert logged.changes["total"] == ["80.00", "90.00"]
    assert department_head.notifications.filter(title__contains="已采纳").exists()


def test_points_can_be_corrected_directly_within_the_weight(
    published, department_head, standards_officer
) -> None:
    score = own_score(published)
    appeal = appeal_submit(score, first_line(score), reason="分值有误", actor=department_head)
    with pytest.raises(ValidationError, match="0 至 60"):
        appeal_decide(
            appeal, "accept", actor=standards_officer, note="更正", corrected={"points": 61}
        )
    appeal_decide(appeal, "accept", actor=standards_officer, note="更正", corrected={"points": 55})
    score.refresh_from_db()
    assert score.total == D("85.00")
    assert [s.rank for s in Score.objects.filter(period=published, total=D("85.00"))] == [1, 1]


def test_rejecting_keeps_the_score(published, department_head, standards_officer) -> None:
    score = own_score(published)
    appeal = appeal_submit(score, first_line(score), reason="有误", actor=department_head)
    appeal_decide(appeal, "reject", actor=standards_officer, note="记录经核实无误")
    appeal.refresh_from_db()
    score.refresh_from_db()
    assert (appeal.status, appeal.answer, score.total) == ("rejected", "记录经核实无误", D("80.00"))


def test_subjects_see_only_their_own_published_score(
    org_a, published, department_head, standards_officer, leader
) -> None:
    assert selectors.scores_for(standards_officer, published).count() == 3
    assert selectors.scores_for(leader, published).count() == 3
    assert [s.subject_name for s in selectors.scores_for(department_head, published)] == [
        "物业管理科"
    ]
    draft = period_make(scheme_make(org_a, name="另一方案"), status="computed")
    assert not selectors.periods_for(department_head).filter(pk=draft.pk).exists()
    assert selectors.scores_for(department_head, draft).count() == 0


def test_a_vendor_manager_sees_and_appeals_only_their_vendor(org_a) -> None:
    ours, theirs = contract_make(org_a, "V1"), contract_make(org_a, "V2")
    manager = person(org_a, "vm", "vendor_manager", name="周经理")
    staff_make(org_a, manager, "V1-01", vendor=ours.vendor, employment="outsourced")
    period = period_make(scheme_make(org_a, subject_kind="vendor"), status="published")
    mine, other = score_make(period, ours, 90), score_make(period, theirs, 70)
    assert list(selectors.scores_for(manager, period)) == [mine]
    appeal_submit(mine, mine.lines.first(), reason="有误", actor=manager)
    with pytest.raises(PermissionDenied):
        appeal_submit(other, other.lines.first(), reason="有误", actor=manager)
    assert selectors.appeals_for(manager).count() == 1


def test_ranking_shows_movement_since_the_previous_period(org_a, departments) -> None:
    from tests.appraisal.builders import Q2_END, Q2_START

    scheme = scheme_make(org_a)
    earlier = period_make(scheme, Q2_START, Q2_END, status="final")
    earlier.computed_at = NOW
    earlier.save()
    score_make(earlier, departments[0], 70, rank=3)
    score_make(earlier, departments[1], 90, rank=1)
    now = period_make(scheme, status="published")
    score_make(now, departments[0], 95, rank=1, grade="excellent")
    score_make(now, departments[1], 80, rank=2)
    score_make(now, departments[2], 10, rank=3, grade="fail")
    rows = {row["score"].subject_name: row for row in selectors.ranking(now)}
    assert rows["物业管理科"]["movement"] == 2
    assert rows["餐饮服务科"]["movement"] == -1
    assert rows["会议服务科"]["movement"] is None
    lists = selectors.red_black(now)
    assert [s.subject_name for s in lists["praised"]] == ["物业管理科"]
    assert [s.subject_name for s in lists["criticized"]] == ["会议服务科"]
    a, b = (rows["物业管理科"]["score"], rows["餐饮服务科"]["score"])
    side = selectors.compare(now, a, b)
    assert [(r["label"], r["a"].points, r["b"].points) for r in side["rows"]] == [
        ("检查合格率", D("95.00"), D("80.00"))
    ]
