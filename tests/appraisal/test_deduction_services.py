"""Vendor deductions: the month's lines from findings, missed tasks and third-party
evaluations, the monthly cap, the idempotent monthly run, appeals and the steps."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from houqin.appraisal import deduction_services as ds
from houqin.appraisal.models import DeductionLine, DeductionStatement, DeductionTerms
from houqin.common.models import ChangeLogEntry
from tests.appraisal.builders import (
    D,
    at,
    contract_make,
    finding_put,
    record_put,
    staff_make,
    task_put,
    template_make,
)
from tests.appraisal.test_roles import fresh
from tests.conftest import person

pytestmark = pytest.mark.django_db
AUGUST = date(2026, 8, 1)
NOW = at(9, 2)


def terms_make(contract: Any, fee: Any = 100000, cap: Any = 5, rules: Any = None) -> DeductionTerms:
    terms = DeductionTerms.objects.create(
        organization=contract.organization,
        contract=contract,
        monthly_fee=D(fee),
        cap_percent=D(cap),
    )
    default = [
        {"basis": "finding", "severity": "major", "unit_amount": 500},
        {"basis": "missed_task", "unit_amount": 200},
        {"basis": "third_party", "threshold": 90, "unit_amount": 100},
    ]
    for rule in default if rules is None else rules:
        terms.rules.create(
            organization=contract.organization,
            basis=rule["basis"],
            severity=rule.get("severity", ""),
            threshold=None if rule.get("threshold") is None else D(rule["threshold"]),
            unit_amount=D(rule["unit_amount"]),
        )
    return terms


@pytest.fixture
def august(org_a: Any, contract: Any, sheet: Any, standards_officer: Any) -> DeductionTerms:
    """The vendor in August: two major findings and a minor one, one missed task, two
    third-party records scoring 100 and 50 (average 75); and rows outside the month or of
    another vendor that must not count."""
    vendor = contract.vendor
    for day in (3, 20):
        finding_put(org_a, standards_officer, at(8, day), severity="major", vendor=vendor)
    finding_put(org_a, standards_officer, at(8, 5), severity="minor", vendor=vendor)
    finding_put(org_a, standards_officer, at(9, 1), severity="major", vendor=vendor)
    other = contract_make(org_a, "V2", "别家公司").vendor
    finding_put(org_a, standards_officer, at(8, 6), severity="major", vendor=other)
    task_put(sheet, at(8, 10), status="missed", vendor=vendor)
    task_put(sheet, at(8, 11), status="done", vendor=vendor)
    for day, passed in ((12, True), (13, False)):
        task = task_put(sheet, at(8, day), vendor=vendor)
        record_put(
            sheet, standards_officer, at(8, day), task=task, passed=passed, third_party="市质监站"
        )
    return terms_make(contract)


def test_lines_count_the_vendors_rows_of_the_month(august: DeductionTerms):
    statement, created = ds.statement_make(terms=august, month=AUGUST, now=NOW)

    assert created
    lines = list(statement.lines.order_by("seq"))
    assert [(x.label, x.count, x.amount) for x in lines] == [
        ("较重问题", D(2), D(1000)),
        ("漏检任务", D(1), D(200)),
        ("第三方评价（平均 75.00 分，标准分 90.00）", D(15), D(1500)),
    ]
    assert len(lines[0].evidence["findings"]) == 2
    assert len(lines[1].evidence["tasks"]) == 1
    assert len(lines[2].evidence["records"]) == 2
    assert (statement.total_before_cap, statement.cap_amount) == (D(2700), D(5000))
    assert statement.total == D(2700) and not statement.capped


def test_the_monthly_cap_limits_the_total(august: DeductionTerms):
    DeductionTerms.objects.filter(pk=august.pk).update(cap_percent=D(2))  # 2 % of 100,000
    august.refresh_from_db()

    statement, _ = ds.statement_make(terms=august, month=AUGUST, now=NOW)

    assert statement.total_before_cap == D(2700)
    assert (statement.cap_amount, statement.total) == (D(2000), D(2000))
    assert statement.capped


def test_the_monthly_run_is_idempotent(august: DeductionTerms, org_a: Any):
    draft = contract_make(org_a, "V3", status="draft")
    terms_make(draft)

    first = ds.statements_monthly(today=date(2026, 9, 3), now=NOW)
    again = ds.statements_monthly(today=date(2026, 9, 20), now=NOW)

    assert first == {"month": "2026-08", "made": 1, "skipped": 0}
    assert again == {"month": "2026-08", "made": 0, "skipped": 1}
    assert DeductionStatement.objects.count() == 1
    assert DeductionLine.objects.count() == 3


def test_the_command_makes_last_months_statements(august: DeductionTerms, capsys: Any):
    call_command("deductions_monthly", "--date", "2026-09-01")
    call_command("deductions_monthly", "--date", "2026-09-01")

    out = capsys.readouterr().out
    assert "2026-08 扣款单：新生成 1 份" in out and "已有 1 份" in out
    assert DeductionStatement.objects.get().month == AUGUST


def test_a_contract_not_running_that_month_gets_none(org_a: Any):
    later = contract_make(org_a, "V4", starts_on=date(2026, 9, 1))
    terms_make(later)

    assert ds.statements_monthly(today=date(2026, 9, 3))["made"] == 0


@pytest.fixture
def manager(org_a: Any, contract: Any) -> Any:
    user = person(org_a, "henry", "vendor_manager", name="周经理")
    staff_make(org_a, user, "W-1", vendor=contract.vendor)
    return fresh(user)


@pytest.fixture
def issued(august: DeductionTerms, standards_officer: Any) -> DeductionStatement:
    statement, _ = ds.statement_make(terms=august, month=AUGUST, now=NOW)
    return ds.statement_issue(statement=statement, actor=standards_officer, now=NOW)


def test_appeal_accepted_recounts_the_total(
    issued: DeductionStatement, manager: Any, standards_officer: Any
):
    line = issued.lines.get(seq=2)

    ds.line_appeal(line=line, actor=manager, reason="该任务当天停水无法作业", now=NOW)
    issued.refresh_from_db()
    assert issued.status == DeductionStatement.Status.APPEALED
    with pytest.raises(ValidationError, match="申诉过"):
        ds.line_appeal(line=line, actor=manager, reason="再申诉")
    with pytest.raises(ValidationError, match=r"0 至 200\.00"):
        ds.line_answer(
            line=line, actor=standards_officer, accept=True, answer="同意", amount=D(300)
        )
    with pytest.raises(ValidationError, match="还有申诉"):
        ds.statement_settle(statement=issued, actor=standards_officer)

    ds.line_answer(
        line=line, actor=standards_officer, accept=True, answer="情况属实，免扣", amount=D(0)
    )

    line.refresh_from_db()
    issued.refresh_from_db()
    assert (line.appeal, line.amount, line.original_amount) == ("accepted", D(0), D(200))
    assert issued.total == D(2500)
    assert ChangeLogEntry.objects.filter(object_id=str(issued.pk), note__contains="重算").exists()
    ds.statement_settle(statement=issued, actor=standards_officer)
    assert issued.status == DeductionStatement.Status.CONFIRMED


def test_appeal_rejected_keeps_the_amount(
    issued: DeductionStatement, manager: Any, standards_officer: Any
):
    line = issued.lines.get(seq=1)
    ds.line_appeal(line=line, actor=manager, reason="不是我方责任")

    with pytest.raises(ValidationError):
        ds.line_answer(line=line, actor=standards_officer, accept=False, answer=" ")
    ds.line_answer(line=line, actor=standards_officer, accept=False, answer="有检查记录为证")

    line.refresh_from_db()
    assert (line.appeal, line.amount) == ("rejected", D(1000))


def test_another_vendors_manager_cannot_appeal_or_confirm(issued: DeductionStatement, org_a: Any):
    stranger = person(org_a, "ivan", "vendor_manager")
    other = contract_make(org_a, "V5")
    staff_make(org_a, stranger, "W-2", vendor=other.vendor)
    stranger = fresh(stranger)

    with pytest.raises(PermissionDenied):
        ds.line_appeal(line=issued.lines.get(seq=1), actor=stranger, reason="不同意")
    with pytest.raises(PermissionDenied):
        ds.statement_confirm(statement=issued, actor=stranger)


def test_confirm_then_sign_off_records_who_and_when(
    issued: DeductionStatement, manager: Any, leader: Any, standards_officer: Any
):
    assert [n for n, _ in ds.available_steps(issued, manager)] == ["confirm"]
    ds.statement_confirm(statement=issued, actor=manager)
    with pytest.raises(PermissionDenied):
        ds.statement_sign_off(statement=issued, actor=standards_officer)

    ds.statement_sign_off(statement=issued, actor=leader, now=NOW)

    issued.refresh_from_db()
    assert (issued.status, issued.signed_by, issued.signed_at) == ("signed", leader, NOW)
    with pytest.raises(ValidationError):
        ds.line_appeal(line=issued.lines.get(seq=1), actor=manager, reason="晚了")


def test_a_draft_is_refreshed_and_an_issued_one_is_not(
    august: DeductionTerms, org_a: Any, standards_officer: Any, contract: Any
):
    statement, _ = ds.statement_make(terms=august, month=AUGUST, now=NOW)
    finding_put(org_a, standards_officer, at(8, 25), severity="major", vendor=contract.vendor)

    ds.statement_refresh(statement=statement, actor=standards_officer, now=NOW)
    assert statement.lines.get(seq=1).count == D(3)

    ds.statement_issue(statement=statement, actor=standards_officer)
    with pytest.raises(ValidationError, match="已下发"):
        ds.statement_refresh(statement=statement, actor=standards_officer)


def test_the_vendor_manager_sees_only_its_own_issued_statements(
    august: DeductionTerms, manager: Any, org_a: Any, standards_officer: Any
):
    mine, _ = ds.statement_make(terms=august, month=AUGUST)
    theirs, _ = ds.statement_make(terms=terms_make(contract_make(org_a, "V6")), month=AUGUST)
    assert list(ds.statement_rows(manager)) == []  # drafts are the office's

    for statement in (mine, theirs):
        ds.statement_issue(statement=statement, actor=standards_officer)

    assert list(ds.statement_rows(manager)) == [mine]
    assert set(ds.statement_rows(standards_officer)) == {mine, theirs}


def test_rules_need_their_severity_or_threshold(contract: Any, standards_officer: Any):
    terms = ds.terms_save(
        contract=contract,
        actor=standards_officer,
        data={"monthly_fee": D(8000), "cap_percent": D(10)},
    )
    assert terms.cap_amount == Decimal("800.00")

    with pytest.raises(ValidationError, match="严重程度"):
        ds.rule_add(
            terms=terms, actor=standards_officer, data={"basis": "finding", "unit_amount": D(100)}
        )
    with pytest.raises(ValidationError, match="标准分"):
        ds.rule_add(
            terms=terms,
            actor=standards_officer,
            data={"basis": "third_party", "unit_amount": D(100)},
        )
    rule = ds.rule_add(
        terms=terms,
        actor=standards_officer,
        data={"basis": "missed_task", "severity": "major", "unit_amount": D(50)},
    )
    assert (rule.severity, rule.label) == ("", "漏检任务，每次扣 50.00 元")


def test_two_running_contracts_of_one_vendor_count_each_row_once(
    org_a: Any, contract: Any, standards_officer: Any
):
    second = contract_make(org_a, "V1-ST", vendor=contract.vendor, title="洁美食堂服务合同")

    def save(which: Any, line: str) -> DeductionTerms:
        data = {"monthly_fee": D(8000), "cap_percent": D(10), "service_line": line}
        return ds.terms_save(contract=which, actor=standards_officer, data=data)

    cleaning = save(contract, "")
    with pytest.raises(ValidationError, match=r"HT-V1.*全部"):
        save(second, "canteen")
    cleaning = save(contract, "property")
    with pytest.raises(ValidationError, match="物业保洁"):
        save(second, "property")
    canteen = save(second, "canteen")
    for terms in (cleaning, canteen):
        ds.rule_add(
            terms=terms,
            actor=standards_officer,
            data={"basis": "missed_task", "unit_amount": D(50)},
        )
    vendor = contract.vendor
    kitchen = template_make(org_a, "厨房开餐前检查", service_line="canteen")
    toilets = template_make(org_a, "卫生间保洁检查", service_line="property")
    task_put(kitchen, at(8, 3), status="missed", vendor=vendor)
    for day in (4, 5):
        task_put(toilets, at(8, day), status="missed", vendor=vendor)

    counts = {}
    for terms in (cleaning, canteen):
        statement, _ = ds.statement_make(terms=terms, month=AUGUST, now=NOW)
        counts[statement.get_service_line_display()] = statement.lines.get().count
    assert counts == {"物业保洁": D(2), "机关食堂": D(1)}
