"""The yearly plan pages: the list, creating a plan, its items in a table and a Gantt chart
with slipped items in red (on a day the test sets), the item forms, deletion, permissions
and query counts."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from houqin.standards import services
from houqin.standards.models import PlanItem, StandardPlan
from houqin.standards.views import plan as plan_views
from houqin.standards.views.system import optional_url
from tests.conftest import signed_in
from tests.standards.builders import in_force_make

pytestmark = pytest.mark.django_db

TODAY = date(2026, 7, 10)


def text(response) -> str:
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture(autouse=True)
def today(monkeypatch: pytest.MonkeyPatch) -> date:
    monkeypatch.setattr(plan_views, "_today", lambda: TODAY)
    return TODAY


@pytest.fixture
def plan(org_a, standards_officer) -> StandardPlan:
    return services.plan_create(organization=org_a, actor=standards_officer, data={"year": 2026})


def add_item(plan, actor, node, department, title: str, **changes) -> PlanItem:
    data = {
        "action": "new",
        "title": title,
        "standard": None,
        "node": node,
        "owner_department": department,
        "starts_on": date(2026, 3, 1),
        "due_on": date(2026, 6, 30),
        **changes,
    }
    return services.plan_item_add(plan=plan, actor=actor, data=data)


@pytest.fixture
def items(org_a, plan, standards_officer, node, department) -> list[PlanItem]:
    published = in_force_make(org_a, standards_officer)
    return [
        add_item(plan, standards_officer, node, department, "", standard=published),
        add_item(plan, standards_officer, node, department, "车辆调度规范"),
        add_item(
            plan,
            standards_officer,
            node,
            department,
            "会议服务规范",
            starts_on=date(2026, 9, 1),
            due_on=date(2026, 11, 30),
        ),
    ]


def test_the_plan_list_shows_progress_per_plan(standards_officer, plan, items) -> None:
    response = signed_in(standards_officer).get(reverse("standards:plan_list"))

    page = text(response)
    assert "2026年 2026年度标准制修订计划 3 1 1 项已滞后" in page
    assert "新建年度计划" in page


def test_an_empty_plan_list_says_what_to_do(standards_officer, department_head) -> None:
    page = text(signed_in(standards_officer).get(reverse("standards:plan_list")))
    assert "还没有年度计划" in page
    assert "新建年度计划" in page

    page = text(signed_in(department_head).get(reverse("standards:plan_list")))
    assert "年度标准制修订计划由标准化办公室制定" in page
    assert "新建年度计划" not in page


def test_it_creates_a_plan_for_a_free_year(org_a, standards_officer, plan) -> None:
    client = signed_in(standards_officer)
    url = reverse("standards:plan_create")
    assert client.get(url).context["form"].initial["year"] == 2027  # 2026 is taken

    response = client.post(url, {"year": 2026, "title": "", "note": ""})
    assert "2026年度的标准制修订计划已经有了，请打开它修改。" in text(response)

    response = client.post(url, {"year": 2027, "title": "", "note": "按局里部署"})
    created = StandardPlan.objects.get(organization=org_a, year=2027)
    assert response["Location"] == reverse("standards:plan_detail", args=[created.pk])
    assert created.title == "2027年度标准制修订计划"


def test_the_plan_page_shows_items_a_gantt_chart_and_slippage(
    standards_officer, plan, items
) -> None:
    response = signed_in(standards_officer).get(reverse("standards:plan_detail", args=[plan.pk]))

    assert response.status_code == 200
    page = text(response)
    html = response.content.decode()
    assert "制定 车辆调度规范 已滞后 10 天 已过完成日期" in page
    assert "TG-01 服务规范 物业管理科 2026-03-01 2026-06-30 — 已滞后 未立项" in page
    assert "已完成 实施" in page
    assert "会议服务规范" in page
    assert html.count('class="table-danger" data-state="slipped"') == 1
    assert [(label, n) for _, label, n, _ in response.context["summary"]] == [
        ("已完成", 1),
        ("进行中", 0),
        ("未开始", 1),
        ("已滞后", 1),
    ]
    chart = json.loads(re.search(r'id="plan-gantt-data"[^>]*>(.*?)</script>', html).group(1))
    assert chart["today"] == "2026-07-10"
    assert [(i["state"], i["late"]) for i in chart["items"]] == [
        ("done", 0),
        ("slipped", 10),
        ("pending", 0),
    ]
    assert 'data-testid="plan-gantt"' in html
    assert "vendor/echarts/echarts.min.js" in html
    assert "standards/plan.js" in html
    export = optional_url("standards:plan_export", plan.pk)
    if export:
        assert f'href="{export}"' in html


def test_a_reader_sees_the_plan_without_edit_buttons(department_head, plan, items) -> None:
    response = signed_in(department_head).get(reverse("standards:plan_detail", args=[plan.pk]))

    assert response.status_code == 200
    page = text(response)
    assert "车辆调度规范" in page
    assert "添加计划项" not in page
    assert "修改计划" not in page
    assert 'data-bs-target="#delete-item"' not in response.content.decode()


def test_a_worker_may_not_open_plans(worker, plan) -> None:
    assert signed_in(worker).get(reverse("standards:plan_list")).status_code == 403
    assert (
        signed_in(worker).get(reverse("standards:plan_detail", args=[plan.pk])).status_code == 403
    )


def test_an_empty_plan_invites_its_first_item(standards_officer, plan) -> None:
    response = signed_in(standards_officer).get(reverse("standards:plan_detail", args=[plan.pk]))
    page = text(response)
    assert "计划里还没有项目" in page
    assert "添加第一个计划项" in page
    assert "plan-gantt-data" not in response.content.decode()


def test_it_adds_an_item_through_the_form(standards_officer, plan, node, department) -> None:
    client = signed_in(standards_officer)
    url = reverse("standards:plan_item_create", args=[plan.pk])
    form = {
        "action": "new",
        "title": "公务接待服务规范",
        "standard": "",
        "node": node.pk,
        "owner_department": department.pk,
        "starts_on": "2026-08-01",
        "due_on": "2026-07-01",
    }

    response = client.post(url, form)
    assert response.status_code == 200
    assert response.context["form"].errors["due_on"] == ["完成日期不能早于开始日期。"]

    response = client.post(url, {**form, "due_on": "2026-10-31"}, follow=True)
    assert "已添加计划项“公务接待服务规范”。" in text(response)
    item = PlanItem.objects.get(plan=plan)
    assert (item.starts_on, item.due_on) == (date(2026, 8, 1), date(2026, 10, 31))


def test_revising_needs_a_standard_in_the_form(standards_officer, plan, node, department) -> None:
    response = signed_in(standards_officer).post(
        reverse("standards:plan_item_create", args=[plan.pk]),
        {
            "action": "revise",
            "title": "",
            "node": node.pk,
            "owner_department": department.pk,
            "starts_on": "2026-03-01",
            "due_on": "2026-05-01",
        },
    )
    assert response.context["form"].errors["standard"] == ["修订计划项请选择要修订的标准。"]


def test_it_edits_and_deletes_an_item(standards_officer, plan, items) -> None:
    client = signed_in(standards_officer)
    item = items[1]
    response = client.post(
        reverse("standards:plan_item_update", args=[item.pk]),
        {
            "action": "new",
            "title": "车辆调度服务规范",
            "node": item.node_id,
            "owner_department": item.owner_department_id,
            "starts_on": "2026-03-01",
            "due_on": "2026-09-30",
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.title, item.due_on) == ("车辆调度服务规范", date(2026, 9, 30))

    response = client.post(reverse("standards:plan_item_delete", args=[item.pk]), follow=True)
    assert "已删除计划项“车辆调度服务规范”。" in text(response)
    assert not PlanItem.objects.filter(pk=item.pk).exists()


def test_a_plan_with_items_cannot_be_deleted(standards_officer, plan, items) -> None:
    client = signed_in(standards_officer)
    response = client.get(reverse("standards:plan_detail", args=[plan.pk]))
    assert "删除计划" not in text(response)

    response = client.post(reverse("standards:plan_delete", args=[plan.pk]), follow=True)
    assert "还有3个计划项，请先删除计划项再删除计划。" in text(response)

    PlanItem.objects.filter(plan=plan).delete()
    response = client.post(reverse("standards:plan_delete", args=[plan.pk]), follow=True)
    assert "已删除“2026年度标准制修订计划”。" in text(response)


def queries(client, url: str) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_the_plan_pages_queries_do_not_grow_with_the_items(
    org_a, standards_officer, plan, node, department
) -> None:
    client = signed_in(standards_officer)
    detail = reverse("standards:plan_detail", args=[plan.pk])
    listing = reverse("standards:plan_list")
    linked = in_force_make(org_a, standards_officer)
    for i in range(2):
        add_item(plan, standards_officer, node, department, f"项目{i}", standard=linked)
    few_detail, few_list = queries(client, detail), queries(client, listing)

    for year in (2024, 2025):
        services.plan_create(organization=org_a, actor=standards_officer, data={"year": year})
    for i in range(2, 32):
        add_item(
            plan,
            standards_officer,
            node,
            department,
            f"项目{i}",
            standard=linked if i % 2 else None,
        )

    assert queries(client, detail) == few_detail
    assert queries(client, listing) == few_list
    assert few_detail <= 8
