"""The ledger pages and API: the list with filters and export (same queries for 2 rows and
20), an entry's page with its score, approval by a leader, registering by hand."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from houqin.appraisal.ledger_services import ledger_from_period
from houqin.appraisal.models import Period, RewardPenalty
from tests.appraisal.builders import NOW, department_make, period_make, scheme_make, score_make
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db


def entries(org: Any, actor: Any, count: int) -> list[RewardPenalty]:
    scheme = scheme_make(org, name=f"方案{count}")
    period = period_make(scheme, status=Period.Status.FINAL, frozen_at=NOW)
    for n in range(count):
        subject = department_make(org, f"D{count}-{n}", f"第{n}科")
        score_make(period, subject, 95, rank=n + 1, grade="excellent")
    return ledger_from_period(period, actor, now=NOW)


def queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_it_lists_with_the_same_queries_for_2_and_20(org_a: Any, leader: Any):
    client = signed_in(leader)
    url = reverse("appraisal:ledger_list")
    entries(org_a, leader, 2)
    client.get(url)  # the first request fills the per-process caches
    few = queries(client, url)
    entries(org_a, leader, 18)

    assert queries(client, url) == few
    api = reverse("api:ledger-entry-list")
    assert client.get(api).json()["count"] == 20


def test_it_filters_and_exports(org_a: Any, leader: Any, standards_officer: Any):
    entries(org_a, standards_officer, 2)
    client = signed_in(standards_officer)

    page = client.get(reverse("appraisal:ledger_list"), {"kind": "penalty"})
    assert "没有符合条件的奖惩记录" in page.content.decode()
    export = client.get(reverse("appraisal:ledger_list"), {"export": "xlsx", "kind": "reward"})
    assert export["X-Export-Rows"] == "2"


def test_a_leader_approves_on_the_entry_page(org_a: Any, leader: Any, standards_officer: Any):
    entry = entries(org_a, standards_officer, 1)[0]
    client = signed_in(leader)
    url = reverse("appraisal:ledger_detail", args=[entry.pk])

    page = client.get(url).content.decode()
    assert reverse("appraisal:score_detail", args=[entry.score_id]) in page
    assert 'data-bs-target="#ledger-approve"' in page
    response = client.post(reverse("appraisal:ledger_decide", args=[entry.pk]), {"name": "approve"})

    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.status, entry.decided_by) == ("approved", leader)
    assert "ledger-approve" not in client.get(url).content.decode()


def test_the_api_rejects_with_a_reason_only(org_a: Any, leader: Any, standards_officer: Any):
    entry = entries(org_a, standards_officer, 1)[0]
    client = signed_in(leader)
    url = reverse("api:ledger-entry-reject", args=[entry.pk])

    assert client.post(url, {}, content_type="application/json").status_code == 400
    answer = client.post(url, {"note": "材料不全"}, content_type="application/json")

    assert answer.status_code == 200
    assert answer.json()["status"] == "rejected"


def test_the_officer_registers_an_entry_by_hand(
    org_a: Any, departments: list[Any], standards_officer: Any
):
    client = signed_in(standards_officer)
    data = {
        "kind": "penalty",
        "subject_kind": "department",
        "department": departments[2].pk,
        "measure": "约谈科室负责人",
        "amount": "",
        "reason": "会议保障出现重大失误",
    }

    response = client.post(reverse("appraisal:ledger_create"), data)

    entry = RewardPenalty.objects.get()
    assert response["Location"] == reverse("appraisal:ledger_detail", args=[entry.pk])
    assert (entry.subject_name, entry.origin, entry.status) == ("会议服务科", "manual", "proposed")
    missing = client.post(reverse("appraisal:ledger_create"), {**data, "department": ""})
    assert "请选择奖惩对象" in missing.content.decode()


def test_outsiders_and_workers_see_nothing(org_a: Any, leader: Any, outsider: Any, worker: Any):
    entry = entries(org_a, leader, 1)[0]

    assert signed_in(worker).get(reverse("appraisal:ledger_list")).status_code == 403
    detail = reverse("appraisal:ledger_detail", args=[entry.pk])
    assert signed_in(outsider).get(detail).status_code in (403, 404)
