"""The standards API: the search contract (``GET /api/v1/standards/?q=``), lists and
details scoped like the pages, comments and lifecycle transitions through the services,
refused without the permission, errors in the one error shape."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from houqin.standards.models import Comment, Consultation, Standard, StandardNode
from tests.conftest import signed_in
from tests.standards.builders import COMPLETE_TEXT, draft_make, node_make
from tests.standards.test_search_data import CANTEEN, CLEANING, adopted_make, standard_make

pytestmark = pytest.mark.django_db
API = "/api/v1"


@pytest.fixture
def library(org_a, standards_officer):
    return {
        "canteen": standard_make(
            org_a,
            standards_officer,
            title="机关食堂服务规范",
            text=CANTEEN,
            number="JGSW/TG 001—2026",
        ),
        "cleaning": standard_make(
            org_a,
            standards_officer,
            title="公共卫生间保洁规范",
            text=CLEANING,
            number="JGSW/TG 002—2026",
            lines=("property",),
            node_code="TG-02",
        ),
        "guide": adopted_make(
            org_a,
            standards_officer,
            number="GB/T 24421.1—2023",
            title="服务业组织标准化工作指南 第1部分：基本要求",
        ),
    }


def count_queries(run) -> tuple[int, object]:
    statements: list[str] = []

    def wrapper(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        result = run()
    return len(statements), result


def test_the_search_contract(library, worker) -> None:
    response = signed_in(worker).get(f"{API}/standards/", {"q": "留样"})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    (hit,) = body["results"]
    assert {"number", "title", "status", "level", "clauses"} <= hit.keys()
    assert (hit["number"], hit["title"], hit["status"], hit["level"]) == (
        "JGSW/TG 001—2026",
        "机关食堂服务规范",
        "in_force",
        "internal",
    )
    assert hit["score"] > 0
    assert all(set(c) == {"uid", "number", "snippet"} for c in hit["clauses"])
    uids = {str(c.uid) for c in library["canteen"].versions.get().clauses.all()}
    assert all(c["uid"] in uids for c in hit["clauses"])
    assert any("<mark>留样</mark>" in c["snippet"] for c in hit["clauses"])


def test_search_is_ranked_and_finds_codes(library, worker) -> None:
    client = signed_in(worker)
    found = client.get(f"{API}/standards/", {"q": "GB/T 24421"}).json()["results"]
    assert [r["number"] for r in found] == ["GB/T 24421.1—2023", "JGSW/TG 002—2026"]
    assert found[0]["clauses"] == [] and found[1]["clauses"][0]["number"] == "2.1"
    assert found[0]["score"] >= 0
    found = client.get(f"{API}/standards/", {"q": "24421.1", "level": "national"}).json()
    assert [r["number"] for r in found["results"]] == ["GB/T 24421.1—2023"]


def test_search_pages_and_filters(org_a, library, leader) -> None:
    client = signed_in(leader)
    first = client.get(f"{API}/standards/", {"q": "规范", "page_size": 1}).json()
    assert first["count"] == 2 and len(first["results"]) == 1 and first["next"]
    second = client.get(f"{API}/standards/", {"q": "规范", "page_size": 1, "page": 2}).json()
    assert second["results"][0]["id"] != first["results"][0]["id"]
    node = node_make(org_a, "TG-02")
    only = client.get(f"{API}/standards/", {"q": "规范", "node": node.pk}).json()
    assert [r["number"] for r in only["results"]] == ["JGSW/TG 002—2026"]
    bad = client.get(f"{API}/standards/", {"q": "规范", "level": "nonsense"})
    assert bad.status_code == 400
    assert bad.json()["error"]["code"] == "invalid" and "level" in bad.json()["error"]["fields"]


def test_the_list_filters_and_shows_frontline_staff_only_standards_in_force(
    org_a, library, draft, worker, standards_officer
) -> None:
    mine = signed_in(worker).get(f"{API}/standards/").json()
    assert draft.pk not in [r["id"] for r in mine["results"]] and mine["count"] == 3
    theirs = signed_in(standards_officer).get(f"{API}/standards/").json()
    assert draft.pk in [r["id"] for r in theirs["results"]]
    client = signed_in(standards_officer)
    current = client.get(f"{API}/standards/", {"status": "current"}).json()
    assert current["count"] == 3
    lines = client.get(f"{API}/standards/", {"line": "property"}).json()["results"]
    assert {r["number"] for r in lines} == {"JGSW/TG 002—2026", ""}
    row = next(r for r in lines if r["number"])
    assert row["lines"] == ["property"] and row["score"] is None and row["clauses"] == []
    assert row["url"] == f"/standards/{row['id']}/"


def test_lists_do_not_grow_queries_with_rows(org_a, standards_officer, leader) -> None:
    client = signed_in(leader)
    client.get(f"{API}/standards/")

    def make(i: int) -> None:
        adopted_make(
            org_a, standards_officer, number=f"GB/T {30000 + i}—2020", title=f"服务指南{i}"
        )

    for i in range(2):
        make(i)
    counts = {}
    for url in ("/standards/", "/standards/?q=服务指南", "/standard-nodes/", "/standard-versions/"):
        counts[url], _ = count_queries(lambda url=url: client.get(API + url))
    for i in range(2, 30):
        make(i)
    client.get(f"{API}/standards/?q=服务指南")
    for url, few in counts.items():
        many, response = count_queries(lambda url=url: client.get(API + url))
        assert response.status_code == 200
        assert many == few, url


def test_details_are_scoped(library, draft, worker, outsider, standards_officer) -> None:
    canteen = library["canteen"]
    client = signed_in(worker)
    detail = client.get(f"{API}/standards/{canteen.pk}/").json()
    assert detail["number"] == "JGSW/TG 001—2026" and len(detail["versions"]) == 1
    assert client.get(f"{API}/standards/{draft.pk}/").status_code == 404
    missing = signed_in(outsider).get(f"{API}/standards/{canteen.pk}/")
    assert missing.status_code in (403, 404)
    assert set(missing.json()["error"]) == {"code", "message", "fields"}
    anonymous = Client().get(f"{API}/standards/")
    assert anonymous.status_code == 401 and anonymous.json()["error"]["message"]


def test_nodes_in_tree_order(org_a, node, standards_officer, worker) -> None:
    rows = signed_in(standards_officer).get(f"{API}/standard-nodes/").json()["results"]
    root = StandardNode.objects.get(organization=org_a, code="TG")
    assert [(r["code"], r["parent"]) for r in rows] == [("TG", None), ("TG-01", root.pk)]
    assert signed_in(worker).get(f"{API}/standard-nodes/").status_code == 403


def test_versions_and_clauses_in_document_order(library, draft, worker, standards_officer):
    canteen = library["canteen"]
    client = signed_in(worker)
    versions = client.get(f"{API}/standard-versions/", {"standard": canteen.pk}).json()
    (version,) = versions["results"]
    assert version["is_published"] and version["number"] == "JGSW/TG 001—2026"
    detail = client.get(f"{API}/standard-versions/{version['id']}/").json()
    assert [(c["number"], c["depth"]) for c in detail["clauses"][:3]] == [
        ("1", 0),
        ("1.1", 1),
        ("", 2),
    ]
    listed = client.get(f"{API}/clauses/", {"version": version["id"]}).json()["results"]
    assert [c["id"] for c in listed] == [c["id"] for c in detail["clauses"]]
    drafts = draft.versions.get()
    assert client.get(f"{API}/standard-versions/{drafts.pk}/").status_code == 404
    assert client.get(f"{API}/clauses/", {"version": drafts.pk}).json()["count"] == 0
    office = signed_in(standards_officer)
    assert office.get(f"{API}/standard-versions/{drafts.pk}/").status_code == 200


def post(client: Client, url: str, data: dict) -> object:
    return client.post(url, data, content_type="application/json")


def test_the_lifecycle_through_the_api(
    org_a, department, standards_officer, leader, worker, department_head, served
) -> None:
    draft = draft_make(org_a, standards_officer, text=COMPLETE_TEXT)
    office = signed_in(standards_officer)
    url = f"{API}/standards/{draft.pk}/transition/"
    today = timezone.localdate()
    refused = post(signed_in(worker), url, {"name": "consultation_open"})
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "permission_denied"
    unknown = post(office, url, {"name": "publish_now"})
    assert unknown.status_code == 400 and "publish_now" in str(unknown.json()["error"]["fields"])
    opened = post(
        office,
        url,
        {
            "name": "consultation_open",
            "deadline": str(today + timedelta(days=7)),
            "departments": [department.pk],
        },
    )
    assert opened.status_code == 200, opened.json()
    assert opened.json()["status"] == "consultation"
    consultation = Consultation.objects.get(standard=draft)
    clause = draft.versions.get().clauses.filter(kind="paragraph").first()

    comments = f"{API}/standard-comments/"
    made = post(
        signed_in(department_head),
        comments,
        {
            "consultation": consultation.pk,
            "text": "建议写明保洁时段。",
            "clause_uid": str(clause.uid),
        },
    )
    assert made.status_code == 201, made.json()
    comment = made.json()
    assert comment["clause_number"] and comment["disposition"] == "pending"
    # the worker is in the department asked: a comment of theirs, seen by them and the office
    theirs = post(signed_in(worker), comments, {"consultation": consultation.pk, "text": "同意。"})
    assert theirs.status_code == 201
    seen = signed_in(worker).get(comments).json()["results"]
    assert [c["id"] for c in seen] == [comment["id"], theirs.json()["id"]]
    not_asked = post(signed_in(served), comments, {"consultation": consultation.pk, "text": "x"})
    assert not_asked.status_code == 403  # not among the people asked
    listed = office.get(comments, {"consultation": consultation.pk}).json()
    assert comment["id"] in [c["id"] for c in listed["results"]]
    early = post(office, url, {"name": "review_submit"})
    assert early.status_code == 400 and "未处理" in early.json()["error"]["message"] + str(
        early.json()["error"]["fields"]
    )
    for row in Comment.objects.filter(consultation=consultation):
        answer = post(office, f"{comments}{row.pk}/answer/", {"disposition": "accepted"})
        assert answer.status_code == 200 and answer.json()["disposition"] == "accepted"
    assert post(signed_in(worker), f"{comments}{comment['id']}/answer/", {}).status_code == 403

    assert post(office, url, {"name": "review_submit"}).json()["status"] == "review"
    recorded = post(
        office,
        url,
        {
            "name": "review_record",
            "held_on": str(today),
            "reviewers": "张三、李四",
            "conclusion": "passed",
        },
    )
    assert recorded.status_code == 200, recorded.json()
    assert post(office, url, {"name": "standard_approve"}).status_code == 403  # not a leader
    approved = post(
        signed_in(leader),
        url,
        {
            "name": "standard_approve",
            "number": "JGSW/TG 005—2026",
            "published_on": str(today),
            "effective_on": str(today),
        },
    )
    assert approved.status_code == 200, approved.json()
    assert approved.json()["status"] == "in_force"
    assert approved.json()["number"] == "JGSW/TG 005—2026"
    found = signed_in(worker).get(f"{API}/standards/", {"q": "保洁 2 h"}).json()["results"]
    assert [r["id"] for r in found] == [draft.pk]
    again = post(office, url, {"name": "proposal_approve"})
    assert again.status_code == 400 and again.json()["error"]["message"]
    withdrawn = post(office, url, {"name": "standard_withdraw"})
    assert withdrawn.status_code == 400 and "note" in withdrawn.json()["error"]["fields"]
    assert Standard.objects.get(pk=draft.pk).status == "in_force"


def test_transitions_are_refused_without_the_permission(draft, department_head, served) -> None:
    url = f"{API}/standards/{draft.pk}/transition/"
    # a department head drafts but does not run standards: approving a proposal is refused
    response = post(signed_in(department_head), url, {"name": "proposal_approve"})
    assert response.status_code == 403
    assert post(signed_in(served), url, {"name": "proposal_approve"}).status_code == 403
    assert post(Client(), url, {"name": "proposal_approve"}).status_code == 401
    assert Standard.objects.get(pk=draft.pk).status == "drafting"


def test_the_schema_lists_the_standards_api() -> None:
    schema = Client().get("/api/schema/").content.decode()
    for path in (
        "/api/v1/standards/",
        "/api/v1/standards/{id}/transition/",
        "/api/v1/standard-nodes/",
        "/api/v1/standard-versions/",
        "/api/v1/clauses/",
        "/api/v1/standard-comments/",
        "/api/v1/standard-comments/{id}/answer/",
    ):
        assert f"{path}:" in schema
    assert "name: q" in schema
