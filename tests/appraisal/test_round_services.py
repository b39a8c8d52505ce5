"""Quarterly supervision rounds: what Houqin proposes (overdue rectifications, repeats, low
scores of frozen periods, standards past review), ticking, issuing one 督办单 per item
through the findings' order service, and the round pages."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from houqin.appraisal import round_services
from houqin.appraisal.models import Period, RoundItem, SupervisionRound
from houqin.standards.models import Standard
from tests.appraisal.builders import (
    NOW,
    at,
    finding_put,
    period_make,
    scheme_make,
    score_make,
)
from tests.conftest import person, signed_in
from tests.standards.builders import node_make

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clock(time_machine: Any) -> None:
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def rows(org_a: Any, standards_officer: Any, departments: list[Any], contract: Any) -> dict:
    """An overdue fix of 物业管理科, a repeat of 洁美物业公司 in the fourth quarter, a frozen
    period whose last place is 会议服务科 (不合格), and a standard past its review date."""
    overdue = finding_put(
        org_a, standards_officer, at(9, 1), deadline=at(9, 8), department=departments[0]
    )
    first = finding_put(
        org_a, standards_officer, at(9, 20), status="closed", vendor=contract.vendor
    )
    repeat = finding_put(
        org_a, standards_officer, at(10, 3), repeat_of=first, vendor=contract.vendor
    )
    scheme = scheme_make(org_a)
    period = period_make(scheme, status=Period.Status.FINAL, frozen_at=at(10, 5))
    score_make(period, departments[0], 95, rank=1, grade="excellent")
    score_make(period, departments[1], 70, rank=2, grade="pass")
    low = score_make(period, departments[2], 52, rank=3, grade="fail")
    finding_put(org_a, standards_officer, at(8, 2), department=departments[2], status="closed")
    standard = Standard.objects.create(
        organization=org_a,
        node=node_make(org_a),
        number="JGSW/FW 001—2021",
        title="办公区保洁服务规范",
        level="internal",
        status="in_force",
        review_due_on=date(2026, 9, 1),
        owner_department=departments[1],
    )
    return {"overdue": overdue, "repeat": repeat, "low": low, "standard": standard}


def _open(org: Any, actor: Any) -> SupervisionRound:
    return round_services.round_open(organization=org, actor=actor, day=NOW.date(), now=NOW)


def test_it_proposes_the_four_kinds_with_their_recipients(
    org_a: Any, standards_officer: Any, rows: dict, departments: list[Any], contract: Any
) -> None:
    sround = _open(org_a, standards_officer)

    assert (sround.year, sround.quarter) == (2026, 4)
    assert (sround.starts_on, sround.ends_on) == (date(2026, 10, 1), date(2026, 12, 31))
    items = {i.key: i for i in RoundItem.objects.filter(round=sround)}
    assert set(items) == {
        f"overdue:{rows['overdue'].pk}",
        f"repeat:{rows['repeat'].pk}",
        f"score:{rows['low'].pk}",
        f"review:{rows['standard'].pk}",
    }
    assert items[f"overdue:{rows['overdue'].pk}"].department == departments[0]
    assert "已逾期 31 天" in items[f"overdue:{rows['overdue'].pk}"].detail
    assert items[f"repeat:{rows['repeat'].pk}"].vendor == contract.vendor
    low = items[f"score:{rows['low'].pk}"]
    assert (low.kind, low.department) == (RoundItem.Kind.LOW_SCORE, departments[2])
    assert "52.00 分，不合格，第 3 名" in low.detail
    assert items[f"review:{rows['standard'].pk}"].department == departments[1]


def test_proposing_again_adds_only_new_items(
    org_a: Any, standards_officer: Any, rows: dict, departments: list[Any]
) -> None:
    sround = _open(org_a, standards_officer)
    round_services.round_pick(
        sround=sround,
        actor=standards_officer,
        item_ids=list(sround.items.values_list("pk", flat=True)),
    )
    later = finding_put(
        org_a, standards_officer, at(9, 2), deadline=at(9, 9), department=departments[1]
    )

    added = round_services.round_propose(sround=sround, actor=standards_officer, now=NOW)

    assert added == 1
    assert sround.items.filter(key=f"overdue:{later.pk}", picked=False).exists()
    assert sround.items.filter(picked=True).count() == 4


def test_a_quarter_has_one_round(org_a: Any, standards_officer: Any) -> None:
    _open(org_a, standards_officer)
    with pytest.raises(Exception, match="已经有督办轮次"):
        _open(org_a, standards_officer)


def test_only_the_office_opens_a_round(org_a: Any, leader: Any) -> None:
    with pytest.raises(PermissionDenied):
        _open(org_a, leader)


def test_it_issues_one_order_per_ticked_item(
    org_a: Any, standards_officer: Any, rows: dict, departments: list[Any]
) -> None:
    head = person(org_a, "head2", "department_head", department=departments[2])
    sround = _open(org_a, standards_officer)
    picked = sround.items.filter(kind__in=[RoundItem.Kind.OVERDUE, RoundItem.Kind.LOW_SCORE])
    round_services.round_pick(
        sround=sround, actor=standards_officer, item_ids=picked.values_list("pk", flat=True)
    )

    issued, failed = round_services.round_issue(
        sround=sround, actor=standards_officer, deadline=date(2026, 10, 20), now=NOW
    )

    assert failed == []
    assert [o.reference for o in issued] == ["督办〔2026〕1号", "督办〔2026〕2号"]
    overdue = sround.items.get(kind=RoundItem.Kind.OVERDUE)
    assert list(overdue.order.findings.all()) == [rows["overdue"]]
    low = sround.items.get(kind=RoundItem.Kind.LOW_SCORE).order
    assert low.department == departments[2]
    assert low.findings.count() == 1  # the subject's finding of the period
    assert "会议服务科" in low.title
    assert head.notifications.filter(title__contains=low.reference).exists()
    assert sround.items.filter(order__isnull=True, picked=False).count() == 2


def test_an_item_without_recipient_is_reported_and_the_rest_issued(
    org_a: Any, standards_officer: Any, rows: dict
) -> None:
    rows["overdue"].rectification.department = None
    rows["overdue"].rectification.save()
    sround = _open(org_a, standards_officer)
    sround.items.update(picked=True)
    sround.items.filter(key=f"overdue:{rows['overdue'].pk}").update(department=None)
    sround.items.exclude(kind=RoundItem.Kind.OVERDUE).exclude(kind=RoundItem.Kind.REPEAT).update(
        picked=False
    )

    issued, failed = round_services.round_issue(
        sround=sround, actor=standards_officer, deadline=date(2026, 10, 20), now=NOW
    )

    assert len(issued) == 1
    assert len(failed) == 1 and "没有主送的科室或服务商" in failed[0]


def test_issued_orders_leave_later_proposals(
    org_a: Any, standards_officer: Any, rows: dict
) -> None:
    sround = _open(org_a, standards_officer)
    item = sround.items.get(kind=RoundItem.Kind.OVERDUE)
    round_services.round_pick(sround=sround, actor=standards_officer, item_ids=[item.pk])
    round_services.round_issue(
        sround=sround, actor=standards_officer, deadline=date(2026, 10, 20), now=NOW
    )
    keys = {p.key for p in round_services.proposals_for(sround, NOW)}
    assert f"overdue:{rows['overdue'].pk}" not in keys  # an active order pursues it already


def _round_with_items(org: Any, actor: Any, n: int) -> SupervisionRound:
    sround = SupervisionRound.objects.create(
        organization=org,
        year=2026 - n,
        quarter=1,
        starts_on=date(2026 - n, 1, 1),
        ends_on=date(2026 - n, 3, 31),
        created_by=actor,
        proposed_at=NOW,
    )
    for i in range(n):
        RoundItem.objects.create(
            organization=org, round=sround, kind="review", key=f"k{i}", title=f"事项{i}"
        )
    return sround


def test_the_pages_work_and_the_list_costs_the_same(
    org_a: Any, standards_officer: Any, rows: dict
) -> None:
    client = signed_in(standards_officer)
    response = client.post(reverse("appraisal:round_create"), {"day": "2026-10-09"})
    sround = SupervisionRound.objects.get()
    assert response["Location"] == reverse("appraisal:round_detail", args=[sround.pk])
    page = client.get(response["Location"]).content.decode()
    assert "整改逾期" in page and "考核得分低" in page and "标准逾期未复审" in page

    ids = list(sround.items.filter(kind="overdue").values_list("pk", flat=True))
    client.post(reverse("appraisal:round_pick", args=[sround.pk]), {"items": ids})
    client.post(reverse("appraisal:round_issue", args=[sround.pk]), {"deadline": "2026-10-20"})
    page = client.get(reverse("appraisal:round_detail", args=[sround.pk])).content.decode()
    assert "督办〔2026〕1号" in page and "办理中" in page

    url = reverse("appraisal:round_list")
    client.get(url)  # the session and per-request caches warm up
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for n in (1, 2, 3):
        _round_with_items(org_a, standards_officer, n)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)


def test_others_cannot_reach_a_round(
    org_a: Any, org_b: Any, standards_officer: Any, worker: Any
) -> None:
    sround = _open(org_a, standards_officer)
    outsider = person(org_b, "officer-b", "standards_officer")
    url = reverse("appraisal:round_detail", args=[sround.pk])
    assert signed_in(outsider).get(url).status_code == 404
    assert signed_in(worker).get(url).status_code == 403
    assert (
        signed_in(worker).post(reverse("appraisal:round_pick", args=[sround.pk])).status_code == 403
    )
