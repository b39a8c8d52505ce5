"""The read APIs of checklist templates (with their current items, citing clauses) and
schedules: scoped to the organization, the models' view permissions, queries fixed."""

from __future__ import annotations

import pytest

from houqin.checklists.services import item_update, template_create
from tests.checklists.task_builders import campus, crew, plan, template
from tests.conftest import person, signed_in
from tests.findings.builders import cited_template

pytestmark = pytest.mark.django_db
__all__ = ["campus", "crew", "template"]  # fixtures used here
TEMPLATES = "/api/v1/checklist-templates/"
SCHEDULES = "/api/v1/schedules/"


def test_templates_list_their_current_items_with_citations(
    org_a, org_b, department_head, django_assert_max_num_queries
) -> None:
    cited = cited_template(org_a, department_head)
    first = cited.items.order_by("position").first()
    item_update(item=first, actor=department_head, data={"text": "每2小时保洁一次"})
    for number in range(3):
        template_create(organization=org_a, actor=department_head, data={"name": f"表{number}"})
    template_create(organization=org_b, actor=None, data={"name": "乙单位的表"})
    client = signed_in(department_head)
    with django_assert_max_num_queries(10):
        body = client.get(TEMPLATES).json()
    assert body["count"] == 4
    row = next(r for r in body["results"] if r["id"] == cited.pk)
    assert [i["text"] for i in row["items"]] == ["每2小时保洁一次", "洗手液充足"]
    assert row["items"][0]["standard_number"] == first.standard.number
    assert row["items"][0]["clause_uid"] == str(first.clause_uid)
    assert row["items"][1]["clause_uid"] is None
    assert "合格" in row["scoring_method"]
    detail = client.get(f"{TEMPLATES}{cited.pk}/").json()
    assert detail["name"] == "卫生间保洁检查" and len(detail["items"]) == 2
    other = person(org_b, "b-head", "department_head")
    assert signed_in(other).get(f"{TEMPLATES}{cited.pk}/").status_code == 404


def test_schedules_are_listed_for_those_who_see_them(
    org_a, department_head, worker, template, crew, campus, django_assert_max_num_queries
) -> None:
    for name in ("个人", "个人二", "个人三"):
        plan(org_a, department_head, template, person=worker, name=name)
    team = plan(org_a, department_head, template, team=crew["team"], place=campus["men"])
    client = signed_in(department_head)
    with django_assert_max_num_queries(9):
        body = client.get(SCHEDULES).json()
    assert [r["name"] for r in body["results"]] == ["个人", "个人三", "个人二", "卫生间保洁"]
    detail = client.get(f"{SCHEDULES}{team.pk}/").json()
    assert detail["assignee"].startswith("班组：") and detail["subject"] == "1层男卫生间"
    assert detail["frequency_label"] == "每天"
    assert signed_in(worker).get(SCHEDULES).status_code == 403
    assert signed_in(worker).get(TEMPLATES).status_code == 403


def test_the_apis_are_read_only(org_a, department_head, template) -> None:
    client = signed_in(department_head)
    assert client.post(TEMPLATES, {"name": "新表"}).status_code == 405
    assert client.delete(f"{TEMPLATES}{template.pk}/").status_code == 405
