"""The appraisal API: the breakdown contract (indicator → figures → ids of the rows behind
them), the steps and appeals through the same services as the pages, scoping, and lists
in a fixed number of queries."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from houqin.appraisal.models import Appeal, Score
from houqin.appraisal.period_services import period_compute
from tests.appraisal.builders import (
    NOW,
    at,
    department_make,
    finding_put,
    period_make,
    place_make,
    record_put,
    scheme_make,
    score_make,
)

D = Decimal
INDICATORS = [
    {"name": "检查合格率", "weight": 50, "source": "pass_rate", "method": "rate"},
    {"name": "第三方评价", "weight": 30, "source": "third_party", "method": "rate"},
    {"name": "整改及时率", "weight": 20, "source": "fix_on_time_rate", "method": "rate"},
]


@pytest.fixture(autouse=True)
def clock(time_machine) -> None:
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def computed(org_a, departments, sheet, standards_officer):
    first = departments[0]
    where = place_make(org_a, "R1", first)
    records = [
        record_put(sheet, standards_officer, at(8, 1), place=where),
        record_put(sheet, standards_officer, at(8, 2), place=where, passed=False),
        record_put(sheet, standards_officer, at(8, 3), place=where, third_party="市质检中心"),
    ]
    findings = [
        finding_put(
            org_a, standards_officer, at(8, 2), department=first, fixed_at=at(8, 4), status="closed"
        ),
        finding_put(org_a, standards_officer, at(8, 5), department=first, deadline=at(8, 6)),
    ]
    scheme = scheme_make(org_a, indicators=INDICATORS, adjustments=[])
    period = period_make(scheme, status="computed")
    period_compute(period)
    return {"period": period, "records": records, "findings": findings}


def test_the_breakdown_lists_the_ids_behind_each_indicator(
    computed, standards_officer, client_for
) -> None:
    score = Score.objects.get(period=computed["period"], subject_name="物业管理科")
    url = reverse("api:appraisal-score-breakdown", args=[score.pk])
    body = client_for(standards_officer).get(url).json()
    lines = {line["label"]: line for line in body["lines"]}
    records, findings = computed["records"], computed["findings"]
    assert lines["检查合格率"]["formula"] == "50 × 2/3 = 33.33"
    assert lines["检查合格率"]["figure"]["whole"] == 3
    assert sorted(lines["检查合格率"]["records"]) == sorted(r.pk for r in records)
    assert lines["第三方评价"]["ratings"] == [records[2].pk]
    assert lines["第三方评价"]["formula"] == "30 × 100/100 = 30"
    assert sorted(lines["整改及时率"]["findings"]) == sorted(f.pk for f in findings)
    assert lines["整改及时率"]["formula"] == "20 × 1/2 = 10"
    row = lines["检查合格率"]["rows"][0]
    assert row["link"] == reverse("checklists:record_detail", args=[row["id"]])
    assert body["total"] == "73.33"


def test_a_department_head_reads_only_their_own_published_score(
    computed, departments, department_head, client_for
) -> None:
    period = computed["period"]
    client = client_for(department_head)
    mine = Score.objects.get(period=period, department=departments[0])
    other = Score.objects.get(period=period, department=departments[1])
    url = reverse("api:appraisal-score-list")
    assert client.get(url, {"period": period.pk}).status_code == 404  # not published yet
    period.status = "published"
    period.save()
    rows = client.get(url, {"period": period.pk}).json()
    assert [row["id"] for row in rows["results"]] == [mine.pk]
    detail = reverse("api:appraisal-score-breakdown", args=[other.pk])
    assert client.get(detail).status_code == 404


def test_steps_and_appeals_through_the_api(
    org_a, computed, departments, standards_officer, department_head, client_for
) -> None:
    period = computed["period"]
    office = client_for(standards_officer)
    answer = office.post(reverse("api:appraisal-period-publish", args=[period.pk]))
    assert answer.status_code == 200 and answer.json()["status"] == "published"
    score = Score.objects.get(period=period, department=departments[0])
    line = score.lines.get(label="检查合格率")
    created = client_for(department_head).post(
        reverse("api:appraisal-appeal-list"),
        {"score": score.pk, "line": line.pk, "reason": "8月2日的记录已复查合格"},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    refused = office.post(
        reverse("api:appraisal-period-freeze", args=[period.pk]), content_type="application/json"
    )
    assert refused.status_code == 400 and "未处理的申诉" in refused.content.decode()
    accepted = office.post(
        reverse("api:appraisal-appeal-accept", args=[pk]),
        {"note": "复查属实", "corrected": {"part": 3}},
        content_type="application/json",
    )
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["points_after"] == "50.00"
    assert Appeal.objects.get(pk=pk).status == "accepted"
    score.refresh_from_db()
    assert score.total == D("90.00")


def test_the_lists_run_a_fixed_number_of_queries(
    org_a, standards_officer, department_head, client_for
) -> None:
    client = client_for(standards_officer)
    scheme = scheme_make(org_a)

    def grow(n: int) -> None:
        for k in range(n):
            department = department_make(org_a, f"G{Score.objects.count()}{k}")
            score = score_make(period, department, 80 + k, rank=k + 1)
            Appeal.objects.create(
                organization=org_a,
                score=score,
                line=score.lines.first(),
                reason="有误",
                submitted_by=department_head,
                submitted_at=NOW,
            )

    period = period_make(scheme, status="published")

    def counts() -> list[int]:
        result = []
        for url, params in (
            (reverse("api:appraisal-scheme-list"), {}),
            (reverse("api:appraisal-period-list"), {}),
            (reverse("api:appraisal-score-list"), {"period": period.pk}),
            (reverse("api:appraisal-appeal-list"), {}),
        ):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url, params).status_code == 200
            result.append(len(queries))
        return result

    client.get(reverse("api:me"))  # the session and permissions are loaded once
    grow(2)
    few = counts()
    grow(6)
    assert counts() == few
