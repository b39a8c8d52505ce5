"""The deduction pages and API: a vendor manager sees only their own statements (pages and
API), appeals a line on the page, the office answers; the list keeps its queries as rows
grow; the Excel and the signed-off PDF; a contract's terms and rules."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from houqin.appraisal import deduction_services as ds
from houqin.appraisal.models import DeductionStatement, DeductionTerms
from tests.appraisal.builders import D, at, contract_make, finding_put, staff_make
from tests.appraisal.test_deduction_services import AUGUST, NOW, terms_make
from tests.appraisal.test_roles import fresh
from tests.conftest import person, signed_in

pytestmark = pytest.mark.django_db


def issued(org: Any, officer: Any, code: str, findings: int = 1) -> DeductionStatement:
    contract = contract_make(org, code, f"{code}保洁公司")
    for day in range(1, findings + 1):
        finding_put(org, officer, at(8, day), severity="major", vendor=contract.vendor)
    statement, _ = ds.statement_make(terms=terms_make(contract), month=AUGUST, now=NOW)
    return ds.statement_issue(statement=statement, actor=officer, now=NOW)


def manager_of(org: Any, statement: DeductionStatement, username: str = "henry") -> Any:
    user = person(org, username, "vendor_manager", name="周经理")
    staff_make(org, user, f"W-{username}", vendor=statement.vendor)
    return fresh(user)


def queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_list_keeps_its_queries_as_rows_grow(org_a: Any, standards_officer: Any):
    client = signed_in(standards_officer)
    url = reverse("appraisal:deduction_list")
    api = reverse("api:deduction-statement-list")
    for n in range(2):
        issued(org_a, standards_officer, f"A{n}")
    client.get(url)  # the first request fills the per-process caches
    client.get(api)
    few, few_api = queries(client, url), queries(client, api)
    for n in range(18):
        issued(org_a, standards_officer, f"B{n}")

    assert (queries(client, url), queries(client, api)) == (few, few_api)
    assert client.get(api).json()["count"] == 20


def test_a_vendor_manager_sees_only_its_own(org_a: Any, standards_officer: Any):
    mine = issued(org_a, standards_officer, "M1")
    theirs = issued(org_a, standards_officer, "T1")
    client = signed_in(manager_of(org_a, mine))

    page = client.get(reverse("appraisal:deduction_list")).content.decode()
    assert "M1保洁公司" in page and "T1保洁公司" not in page
    assert client.get(reverse("appraisal:deduction_detail", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("appraisal:deduction_xlsx", args=[theirs.pk])).status_code == 404
    listed = client.get(reverse("api:deduction-statement-list")).json()["results"]
    assert [row["id"] for row in listed] == [mine.pk]
    other = reverse("api:deduction-statement-detail", args=[theirs.pk])
    assert client.get(other).status_code == 404
    appeal = reverse("api:deduction-statement-appeal", args=[theirs.pk])
    line = theirs.lines.get(seq=1).pk
    assert client.post(appeal, {"line": line, "reason": "不同意"}).status_code == 404


def test_appeal_on_the_page_and_answer_by_the_office(org_a: Any, standards_officer: Any):
    statement = issued(org_a, standards_officer, "M2", findings=2)
    manager = signed_in(manager_of(org_a, statement))
    line = statement.lines.get(seq=1)
    detail = reverse("appraisal:deduction_detail", args=[statement.pk])
    page = manager.get(detail).content.decode()
    assert f'data-bs-target="#appeal-{line.pk}"' in page
    assert reverse("findings:finding_detail", args=[line.evidence["findings"][0]]) in page

    manager.post(
        reverse("appraisal:deduction_appeal", args=[statement.pk]),
        {"line": line.pk, "reason": "其中一项为业主损坏"},
    )
    office = signed_in(standards_officer)
    assert f'data-bs-target="#answer-{line.pk}"' in office.get(detail).content.decode()
    office.post(
        reverse("appraisal:deduction_answer", args=[statement.pk]),
        {"line": line.pk, "decision": "accept", "amount": "500", "answer": "核实后免扣一项"},
    )

    statement.refresh_from_db()
    line.refresh_from_db()
    assert (line.appeal, line.amount) == ("accepted", D(500))
    assert statement.status == "appealed" and statement.total == D(500)


def test_the_api_appeals_a_line(org_a: Any, standards_officer: Any):
    statement = issued(org_a, standards_officer, "M3")
    client = signed_in(manager_of(org_a, statement))
    url = reverse("api:deduction-statement-appeal", args=[statement.pk])
    line = statement.lines.get(seq=2).pk

    assert client.post(url, {"line": line, "reason": ""}).status_code == 400
    answer = client.post(url, {"line": line, "reason": "系统派错了任务"})

    assert answer.status_code == 200
    assert answer.json()["status"] == "appealed"
    assert answer.json()["lines"][1]["appeal"] == "submitted"


def test_excel_always_and_the_pdf_once_signed_off(org_a: Any, standards_officer: Any, leader: Any):
    statement = issued(org_a, standards_officer, "M4")
    office = signed_in(standards_officer)
    sheet = office.get(reverse("appraisal:deduction_xlsx", args=[statement.pk]))
    assert sheet.status_code == 200 and sheet["X-Export-Rows"] == "6"
    pdf = reverse("appraisal:deduction_pdf", args=[statement.pk])
    assert office.get(pdf).status_code == 404

    ds.statement_confirm(statement=statement, actor=manager_of(org_a, statement))
    boss = signed_in(leader)
    boss.post(reverse("appraisal:deduction_step", args=[statement.pk]), {"name": "sign_off"})
    statement.refresh_from_db()
    assert (statement.status, statement.signed_by) == ("signed", leader)

    printed = office.get(reverse("appraisal:deduction_print", args=[statement.pk]))
    assert "签发人：张领导" in printed.content.decode()
    document = office.get(pdf)
    assert document["Content-Type"] == "application/pdf"
    assert document.content.startswith(b"%PDF")


def test_the_office_sets_terms_and_rules_and_makes_a_month(
    org_a: Any, contract: Any, standards_officer: Any, leader: Any
):
    client = signed_in(standards_officer)
    url = reverse("appraisal:deduction_terms", args=[contract.pk])

    refused = client.post(url, {"action": "rule", "basis": "missed_task", "unit_amount": "50"})
    assert "请先保存月服务费" in refused.content.decode()
    client.post(url, {"action": "terms", "monthly_fee": "20000", "cap_percent": "3"})
    assert DeductionTerms.objects.get(contract=contract).cap_amount == D(600)
    wrong = client.post(url, {"action": "rule", "basis": "third_party", "unit_amount": "50"})
    assert "请填写标准分" in wrong.content.decode()
    client.post(url, {"action": "rule", "basis": "missed_task", "unit_amount": "50"})
    made = client.post(url, {"action": "month", "month": "2026-08-15"})

    statement = DeductionStatement.objects.get(contract=contract)
    assert made["Location"] == reverse("appraisal:deduction_detail", args=[statement.pk])
    assert statement.month == AUGUST and statement.lines.count() == 1
    contracts = signed_in(leader).get(reverse("appraisal:deduction_contracts"))
    assert "3.00%" in contracts.content.decode()
    assert signed_in(leader).post(url, {"action": "terms"}).status_code == 403
