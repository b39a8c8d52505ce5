"""The reward/penalty ledger: entries proposed at 定稿 from the scheme's reward rules (one
per score and rule, idempotent), entries by hand, and the leader's approval."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from houqin.appraisal.ledger_services import entry_decide, entry_register, ledger_from_period
from houqin.appraisal.models import Period, RewardPenalty, SubjectKind
from houqin.common.models import ChangeLogEntry
from houqin.common.notifications import Notification
from tests.appraisal.builders import NOW, D, contract_make, period_make, scheme_make, score_make
from tests.conftest import give_role, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def frozen(org_a: Any, departments: list[Any]) -> Period:
    scheme = scheme_make(org_a)
    period = period_make(scheme, status=Period.Status.FINAL, frozen_at=NOW)
    score_make(period, departments[0], 95, rank=1, grade="excellent")
    score_make(period, departments[1], 82, rank=2, grade="good")
    score_make(period, departments[2], 40, rank=3, grade="fail")
    return period


def test_freeze_proposes_one_entry_per_score_and_rule(frozen: Period, standards_officer: Any):
    made = ledger_from_period(frozen, standards_officer, now=NOW)

    assert [(e.subject_name, e.kind, e.measure, e.amount) for e in made] == [
        ("物业管理科", "reward", "通报表扬并奖励", D(2000)),
        ("会议服务科", "penalty", "约谈并提交整改计划", None),
    ]
    first = made[0]
    assert first.status == RewardPenalty.Status.PROPOSED
    assert first.origin == RewardPenalty.Origin.RULE
    assert first.score is not None and first.score.grade == "excellent"
    assert first.department_id == first.score.department_id
    assert "总分 95.00" in first.reason and "优秀" in first.reason
    assert ChangeLogEntry.objects.filter(object_id=str(first.pk), action="create").exists()


def test_freeze_twice_adds_nothing(frozen: Period, standards_officer: Any):
    ledger_from_period(frozen, standards_officer, now=NOW)

    assert ledger_from_period(frozen, standards_officer, now=NOW) == []
    assert RewardPenalty.objects.count() == 2


def test_a_grade_without_rules_brings_nothing(org_a: Any, departments: list[Any], leader: Any):
    scheme = scheme_make(org_a, rules=[])
    period = period_make(scheme, status=Period.Status.FINAL)
    score_make(period, departments[0], 99, rank=1, grade="excellent")

    assert ledger_from_period(period, leader) == []


def test_vendor_score_names_the_vendor_and_contract(org_a: Any, leader: Any):
    contract = contract_make(org_a, "V9", "净美保洁公司")
    scheme = scheme_make(org_a, subject_kind=SubjectKind.VENDOR)
    period = period_make(scheme, status=Period.Status.FINAL)
    score_make(period, contract, 50, rank=1, grade="fail")

    (entry,) = ledger_from_period(period, leader)

    assert entry.subject_kind == RewardPenalty.Subject.VENDOR
    assert (entry.vendor_id, entry.contract_id) == (contract.vendor_id, contract.pk)


def test_leader_approves_and_the_proposer_is_told(
    frozen: Period, standards_officer: Any, leader: Any, django_capture_on_commit_callbacks: Any
):
    entry = ledger_from_period(frozen, standards_officer, now=NOW)[0]
    boss = leader

    with pytest.raises(ValidationError):
        entry_decide(entry=entry, actor=boss, name="reject")  # a rejection needs a reason
    with django_capture_on_commit_callbacks(execute=True):
        entry_decide(entry=entry, actor=boss, name="approve", note="同意", now=NOW)

    entry.refresh_from_db()
    assert entry.status == RewardPenalty.Status.APPROVED
    assert (entry.decided_by, entry.decided_at, entry.decision_note) == (boss, NOW, "同意")
    assert Notification.objects.filter(recipient=standards_officer, kind="ledger").exists()


def test_without_the_permission_nobody_approves(frozen: Period, standards_officer: Any):
    entry = ledger_from_period(frozen, standards_officer)[0]

    with pytest.raises(PermissionDenied):
        entry_decide(entry=entry, actor=standards_officer, name="approve")  # proposes only


def test_entry_by_hand_waits_for_another_persons_approval(
    org_a: Any, departments: list[Any], standards_officer: Any
):
    officer = person(standards_officer.organization, "ann", "standards_officer")
    give_role(officer, "leader")
    data = {
        "kind": "reward",
        "subject_kind": "department",
        "department": departments[1],
        "team": None,
        "measure": "通报表扬",
        "amount": "500",
        "reason": "保障重要会议零差错",
    }

    entry = entry_register(actor=officer, data=data, now=NOW)

    assert (entry.status, entry.origin, entry.subject_name) == ("proposed", "manual", "餐饮服务科")
    assert entry.amount == D(500)
    with pytest.raises(ValidationError, match="登记人不能审批"):
        entry_decide(entry=entry, actor=officer, name="approve")


def test_entry_by_hand_needs_its_subject(org_a: Any, standards_officer: Any):
    officer = standards_officer
    data = {"kind": "penalty", "subject_kind": "team", "measure": "约谈", "reason": "多次漏检"}

    with pytest.raises(ValidationError, match="请选择奖惩对象"):
        entry_register(actor=officer, data=data)


def test_entry_by_hand_cannot_name_another_units_rows(
    org_a: Any, org_b: Any, standards_officer: Any
):
    officer = standards_officer
    foreign = contract_make(org_b, "X1").vendor
    data = {
        "kind": "penalty",
        "subject_kind": "vendor",
        "vendor": foreign,
        "measure": "扣款",
        "reason": "漏检",
    }

    with pytest.raises(ValidationError, match="本单位"):
        entry_register(actor=officer, data=data)
