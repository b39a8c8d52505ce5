"""The findings API: list and detail scoped to the organization, the filters, and each
step of the rectification loop through the same service as the page, refusals in the
project's error shape."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from houqin.findings.models import Rectification
from tests.conftest import person, signed_in
from tests.findings.builders import png, raise_one, set_rectification

pytestmark = pytest.mark.django_db
FINDINGS = "/api/v1/findings/"


def url(finding, step: str = "") -> str:
    return f"{FINDINGS}{finding.pk}/{step + '/' if step else ''}"


@pytest.fixture
def finding(org_a, department_head, department):
    return raise_one(org_a, department_head, department=department)


def test_it_lists_the_organizations_findings_with_their_rectification(
    org_a, org_b, finding, worker, outsider, django_assert_max_num_queries
) -> None:
    raise_one(org_b, outsider, title="乙单位的问题", department=None, person=outsider)
    for _ in range(3):
        raise_one(org_a, worker, title="另一个问题", person=worker)
    client = signed_in(worker)
    with django_assert_max_num_queries(12):
        body = client.get(FINDINGS).json()
    assert body["count"] == 4
    assert {r["title"] for r in body["results"]} == {"消防通道堆放杂物", "另一个问题"}
    detail = client.get(url(finding)).json()
    assert detail["rectification"]["status"] == "assigned"
    assert detail["severity_label"] == "一般"
    other = person(org_b, "b-worker", "worker")
    assert signed_in(other).get(url(finding)).status_code == 404


def test_the_filters_narrow_the_list(org_a, finding, worker, department_head) -> None:
    mine = raise_one(org_a, department_head, title="点名给我", severity="major", person=worker)
    set_rectification(finding, deadline=timezone.now() - timedelta(days=1))
    client = signed_in(worker)

    def titles(**params: str) -> set[str]:
        return {r["title"] for r in client.get(FINDINGS, params).json()["results"]}

    assert titles(mine="1") == {mine.title, finding.title}  # the worker's department's too
    assert titles(severity="major") == {mine.title}
    assert titles(overdue="1") == {finding.title}
    assert titles(status="fixed") == set()
    error = client.get(FINDINGS, {"status": "nonsense"})
    assert error.status_code == 400 and "status" in error.json()["error"]["fields"]


def test_each_step_of_the_loop(org_a, department_head, worker, department, media) -> None:
    major = raise_one(org_a, department_head, severity="major", department=department)
    fixer, verifier = signed_in(worker), signed_in(department_head)
    answer = fixer.post(
        url(major, "submit"), {"evidence": "已清理通道", "photos": [png()]}, format="multipart"
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["rectification"]["status"] == "fixed"
    back = verifier.post(url(major, "send-back"), {"reason": "照片不清楚"})
    assert back.json()["rectification"]["status"] == "returned"
    fixer.post(url(major, "submit"), {"evidence": "已补拍照片"})
    accepted = verifier.post(url(major, "accept")).json()["rectification"]
    assert accepted["status"] == "effect_check" and accepted["effect_due"]
    reopened = verifier.post(url(major, "reopen"), {"reason": "又堆了杂物"}).json()
    assert reopened["rectification"]["status"] == "returned"
    fixer.post(url(major, "submit"), {"evidence": "已清理并张贴提示"})
    verifier.post(url(major, "accept"))
    set_rectification(major, effect_due=timezone.localdate())
    closed = verifier.post(url(major, "confirm")).json()["rectification"]
    assert closed["status"] == "closed" and closed["closed_at"]


def test_refusals_answer_in_the_error_shape(
    org_a, finding, worker, leader, department_head
) -> None:
    early = signed_in(department_head).post(url(finding, "accept"))
    assert early.status_code == 400 and early.json()["error"]["fields"]
    no_reason = signed_in(department_head).post(url(finding, "send-back"), {})
    assert no_reason.status_code == 400 and "reason" in no_reason.json()["error"]["fields"]
    empty = signed_in(worker).post(url(finding, "submit"), {"evidence": ""})
    assert empty.status_code == 400 and "evidence" in empty.json()["error"]["fields"]
    assert (
        signed_in(leader).post(url(finding, "submit"), {"evidence": "已整改完毕"}).status_code
        == 403
    )
    stranger = person(org_a, "stranger", "worker")  # another department's worker
    refused = signed_in(stranger).post(url(finding, "submit"), {"evidence": "已整改完毕"})
    assert refused.status_code == 403
    assert Rectification.objects.get(finding=finding).status == "assigned"
