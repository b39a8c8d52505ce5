"""The score page (得分明细): each line's formula with its numbers and the rows behind it as
links (query count as rows grow), the office's manual entry with evidence while computing,
the subject's appeal with evidence during publicity, and the office accepting (before →
after, the score recomputed) or rejecting it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from houqin.appraisal.models import Appeal, ManualEntry, Period, Score
from houqin.appraisal.period_services import period_step
from houqin.checklists.models import Record
from houqin.common.models import Attachment
from tests.appraisal.builders import NOW, at, period_make, place_make, record_put, scheme_make
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db

MANUAL = [
    {"name": "检查合格率", "weight": 70, "source": "pass_rate", "method": "rate"},
    {"name": "服务对象评价", "weight": 30, "source": "manual", "method": "manual"},
]


def pdf(name: str = "证明.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")


@pytest.fixture
def world(
    org_a, standards_officer, departments, sheet, time_machine, django_capture_on_commit_callbacks
):
    """A department scheme (pass rate + a manual indicator) over two departments, with
    records at the first department's place; ``compute()`` runs the computing step."""
    time_machine.move_to(NOW, tick=False)
    place = place_make(org_a, "R1", departments[0])
    scheme = scheme_make(org_a, indicators=MANUAL, subjects=departments[:2])
    period = period_make(scheme)

    def records(count: int, passed: bool = True) -> None:
        for i in range(count):
            record_put(sheet, standards_officer, at(8, 1 + i % 28), place=place, passed=passed)

    def compute() -> Period:
        with django_capture_on_commit_callbacks(execute=True):
            period_step(period, "compute", standards_officer)
        period.refresh_from_db()
        return period

    return {"period": period, "records": records, "compute": compute, "place": place}


def own_score(world: dict[str, Any], departments: list[Any]) -> Score:
    return Score.objects.get(period=world["period"], department=departments[0])


def test_the_breakdown_shows_formulas_and_links_to_the_records(
    world, standards_officer, departments
) -> None:
    world["records"](3)
    world["records"](1, passed=False)
    world["compute"]()
    score = own_score(world, departments)
    page = signed_in(standards_officer).get(reverse("appraisal:score_detail", args=[score.pk]))
    text = page.content.decode()
    assert "70 × 3/4 = 52.5" in text
    assert "依据的记录（4 条）" in text
    records = Record.objects.filter(place=world["place"]).order_by("submitted_at", "pk")
    for record in records:
        assert reverse("checklists:record_detail", args=[record.pk]) in text
    assert "尚未录入，暂计 0 分" in text


def test_the_score_page_queries_do_not_grow_with_the_rows(
    world, standards_officer, departments
) -> None:
    client = signed_in(standards_officer)
    world["records"](2)
    world["compute"]()
    url = reverse("appraisal:score_detail", args=[own_score(world, departments).pk])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    world["records"](18, passed=False)
    Period.objects.filter(pk=world["period"].pk).update(status="draft")
    world["period"].refresh_from_db()
    world["compute"]()
    with CaptureQueriesContext(connection) as many:
        page = client.get(url)
    assert "依据的记录（20 条）" in page.content.decode()
    assert len(many) == len(few)


def test_the_office_enters_a_manual_score_with_evidence(
    world, standards_officer, departments, media
) -> None:
    world["compute"]()
    score = own_score(world, departments)
    client = signed_in(standards_officer)
    url = reverse("appraisal:score_manual", args=[score.pk])
    page = client.get(reverse("appraisal:score_detail", args=[score.pk])).content.decode()
    indicator = world["period"].version.indicators.get(source="manual")
    assert f'value="i{indicator.pk}"' in page
    too_much = client.post(
        url, {"target": f"i{indicator.pk}", "value": "31", "note": "超出"}, HTTP_HX_REQUEST="true"
    )
    assert "人工评分应在 0 至 30 分之间" in too_much.content.decode()
    response = client.post(
        url,
        {
            "target": f"i{indicator.pk}",
            "value": "27.5",
            "note": "服务对象满意度调查",
            "evidence": [pdf()],
        },
        HTTP_HX_REQUEST="true",
    )
    assert response["HX-Redirect"] == reverse("appraisal:score_detail", args=[score.pk])
    entry = ManualEntry.objects.get(score=score)
    assert (entry.value, entry.entered_by) == (Decimal("27.5"), standards_officer)
    assert Attachment.objects.filter(object_id=str(entry.pk), original_name="证明.pdf").exists()
    score.refresh_from_db()
    assert score.total == Decimal("97.50")  # no records: the rate counts as full
    page = client.get(reverse("appraisal:score_detail", args=[score.pk])).content.decode()
    assert "服务对象满意度调查" in page and "李标准 录入于" in page and "证明.pdf" in page


def test_a_subject_appeals_a_line_and_the_office_accepts_it(
    world, standards_officer, department_head, departments, media
) -> None:
    world["records"](1)
    world["records"](1, passed=False)
    period = world["compute"]()
    period_step(period, "publish", standards_officer)
    score = own_score(world, departments)
    line = score.lines.get(seq=1)
    head = signed_in(department_head)
    page = head.get(reverse("appraisal:score_detail", args=[score.pk])).content.decode()
    assert f'data-bs-target="#appeal-{line.pk}"' in page
    empty = head.post(
        reverse("appraisal:appeal_create", args=[score.pk]),
        {"line": line.pk, "reason": ""},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert "请填写申诉理由" in empty and f'value="{line.pk}"' in empty
    response = head.post(
        reverse("appraisal:appeal_create", args=[score.pk]),
        {"line": line.pk, "reason": "不合格那次是停水造成的", "evidence": [pdf("停水通知.pdf")]},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 204
    appeal = Appeal.objects.get(score=score)
    assert appeal.points_before == Decimal("35.00")
    assert Attachment.objects.filter(
        object_id=str(appeal.pk), original_name="停水通知.pdf"
    ).exists()
    other = Score.objects.get(period=period, department=departments[1])
    refused = head.post(
        reverse("appraisal:appeal_create", args=[other.pk]),
        {"line": other.lines.first().pk, "reason": "别人的"},
    )
    assert refused.status_code == 404

    office = signed_in(standards_officer)
    url = reverse("appraisal:appeal_detail", args=[appeal.pk])
    page = office.get(url).content.decode()
    assert "停水通知.pdf" in page and 'name="part"' in page
    missing = office.post(
        reverse("appraisal:appeal_decide", args=[appeal.pk]), {"decision": "accept", "note": "属实"}
    )
    assert "采纳申诉时请填写更正后的得分或数据" in missing.content.decode()
    office.post(
        reverse("appraisal:appeal_decide", args=[appeal.pk]),
        {"decision": "accept", "part": "2", "note": "停水属实，按合格计"},
    )
    appeal.refresh_from_db()
    score.refresh_from_db()
    assert (appeal.status, appeal.points_after) == ("accepted", Decimal("70.00"))
    assert score.total == Decimal("70.00")
    page = office.get(url).content.decode()
    assert "35.00 → 70.00" in page
    period_page = office.get(reverse("appraisal:period_detail", args=[period.pk])).content.decode()
    assert "35.00 → 70.00" in period_page


def test_the_office_rejects_an_appeal_with_a_reason(
    world, standards_officer, department_head, departments
) -> None:
    period = world["compute"]()
    period_step(period, "publish", standards_officer)
    score = own_score(world, departments)
    appeal = Appeal.objects.create(
        organization=period.organization,
        score=score,
        line=score.lines.first(),
        reason="理由",
        submitted_by=department_head,
        submitted_at=NOW,
        points_before=score.lines.first().points,
    )
    office = signed_in(standards_officer)
    office.post(
        reverse("appraisal:appeal_decide", args=[appeal.pk]),
        {"decision": "reject", "note": "记录无误"},
    )
    appeal.refresh_from_db()
    assert (appeal.status, appeal.answer) == ("rejected", "记录无误")
    page = signed_in(department_head).get(reverse("appraisal:appeal_detail", args=[appeal.pk]))
    assert "记录无误" in page.content.decode()
    assert 'name="decision"' not in page.content.decode()
