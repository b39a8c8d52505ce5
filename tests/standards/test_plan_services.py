"""The yearly plan: plans unique per year, items checked against the plan rules, and each
item's progress and slippage measured on an injected day (never the clock)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError

from houqin.common.models import ChangeLogEntry
from houqin.org.models import Department
from houqin.standards import services
from houqin.standards.models import PlanItem, Standard, StandardPlan
from houqin.standards.selectors_system import (
    gantt_data,
    item_progress,
    plan_items,
    plan_summaries,
)
from tests.standards.builders import draft_make, in_force_make, node_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(org_a, standards_officer) -> StandardPlan:
    return services.plan_create(
        organization=org_a, actor=standards_officer, data={"year": 2026, "title": "", "note": ""}
    )


def logged(obj: Any) -> Any:
    """The change log of one row."""
    return ChangeLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
    )


def item_data(node, department, **changes: Any) -> dict[str, Any]:
    return {
        "action": "new",
        "title": "会议服务规范",
        "standard": None,
        "node": node,
        "owner_department": department,
        "starts_on": date(2026, 3, 1),
        "due_on": date(2026, 6, 30),
        **changes,
    }


def test_a_plan_takes_its_default_title_and_is_logged(plan, standards_officer) -> None:
    assert plan.title == "2026年度标准制修订计划"
    assert logged(plan).filter(action="create").exists()


def test_one_plan_per_year_and_organization(org_a, org_b, plan, standards_officer) -> None:
    with pytest.raises(ValidationError) as error:
        services.plan_create(organization=org_a, actor=standards_officer, data={"year": 2026})
    assert error.value.message_dict["year"] == ["2026年度的标准制修订计划已经有了，请打开它修改。"]
    other = services.plan_create(organization=org_b, actor=None, data={"year": 2026})
    assert other.organization == org_b

    later = services.plan_create(
        organization=org_a, actor=standards_officer, data={"year": 2027, "title": "明年"}
    )
    with pytest.raises(ValidationError, match="2026年度"):
        services.plan_update(plan=later, actor=standards_officer, data={"year": 2026})
    with pytest.raises(ValidationError, match="四位年份"):
        services.plan_update(plan=later, actor=standards_officer, data={"year": 26})


def test_it_adds_an_item_and_logs_it(plan, standards_officer, node, department) -> None:
    item = services.plan_item_add(
        plan=plan, actor=standards_officer, data=item_data(node, department)
    )

    assert (item.plan, item.organization, item.title) == (plan, plan.organization, "会议服务规范")
    entry = logged(item).get(action="create")
    assert entry.changes["title"] == [None, "会议服务规范"]


def test_the_due_date_may_not_come_before_the_start(
    plan, standards_officer, node, department
) -> None:
    with pytest.raises(ValidationError) as error:
        services.plan_item_add(
            plan=plan,
            actor=standards_officer,
            data=item_data(node, department, due_on=date(2026, 2, 1)),
        )
    assert error.value.message_dict == {"due_on": ["完成日期不能早于开始日期。"]}


def test_node_department_and_standard_belong_to_the_organization(
    org_b, plan, standards_officer, node, department
) -> None:
    foreign_node = node_make(org_b, "X-01")
    foreign_department = Department.objects.create(organization=org_b, code="X", name="乙科")
    foreign_standard = draft_make(org_b, None)

    with pytest.raises(ValidationError) as error:
        services.plan_item_add(
            plan=plan,
            actor=standards_officer,
            data=item_data(
                foreign_node, foreign_department, standard=foreign_standard, action="revise"
            ),
        )
    assert error.value.message_dict == {
        "node": ["体系节点不属于本单位。"],
        "owner_department": ["负责科室不属于本单位。"],
        "standard": ["关联标准不属于本单位。"],
    }


def test_a_retired_node_takes_no_new_item(plan, standards_officer, node, department) -> None:
    services.node_retire(node=node, actor=standards_officer)
    node.refresh_from_db()

    with pytest.raises(ValidationError, match="“服务规范”已停用，请选择其他节点"):
        services.plan_item_add(plan=plan, actor=standards_officer, data=item_data(node, department))


@pytest.mark.parametrize(("action", "verb"), [("revise", "修订"), ("withdraw", "废止")])
def test_revising_or_withdrawing_needs_the_standard(
    plan, standards_officer, node, department, action: str, verb: str
) -> None:
    with pytest.raises(ValidationError) as error:
        services.plan_item_add(
            plan=plan, actor=standards_officer, data=item_data(node, department, action=action)
        )
    assert error.value.message_dict == {"standard": [f"{verb}计划项请选择要{verb}的标准。"]}


def test_a_withdrawn_standard_cannot_be_planned_again(
    org_a, plan, standards_officer, node, department, in_force
) -> None:
    Standard.objects.filter(pk=in_force.pk).update(status="withdrawn")
    in_force.refresh_from_db()

    with pytest.raises(ValidationError, match="已经废止，不能再修订"):
        services.plan_item_add(
            plan=plan,
            actor=standards_officer,
            data=item_data(node, department, action="revise", standard=in_force),
        )


def test_the_title_comes_from_the_linked_standard_when_left_blank(
    plan, standards_officer, node, department, in_force
) -> None:
    item = services.plan_item_add(
        plan=plan,
        actor=standards_officer,
        data=item_data(node, department, action="revise", title="", standard=in_force),
    )
    assert item.title == "公共卫生间保洁规范"

    with pytest.raises(ValidationError) as error:
        services.plan_item_add(
            plan=plan, actor=standards_officer, data=item_data(node, department, title=" ")
        )
    assert error.value.message_dict == {"title": ["请填写标准名称，或选择关联标准。"]}


def test_it_updates_and_deletes_items(plan, standards_officer, node, department) -> None:
    item = services.plan_item_add(
        plan=plan, actor=standards_officer, data=item_data(node, department)
    )
    services.plan_item_update(item=item, actor=standards_officer, data={"due_on": date(2026, 9, 1)})
    assert PlanItem.objects.get(pk=item.pk).due_on == date(2026, 9, 1)
    with pytest.raises(ValidationError, match="完成日期不能早于开始日期"):
        services.plan_item_update(
            item=item, actor=standards_officer, data={"starts_on": date(2026, 10, 1)}
        )

    with pytest.raises(ValidationError, match="还有1个计划项，请先删除计划项再删除计划"):
        services.plan_delete(plan=plan, actor=standards_officer)
    deleted = logged(item)
    services.plan_item_delete(item=item, actor=standards_officer)
    services.plan_delete(plan=plan, actor=standards_officer)
    assert not StandardPlan.objects.filter(pk=plan.pk).exists()
    assert deleted.filter(action="delete").exists()


START, DUE = date(2026, 3, 1), date(2026, 6, 30)


def progress(action: str, status: str | None, today: date, published_on: date | None = None):
    return item_progress(
        action=action,
        starts_on=START,
        due_on=DUE,
        standard_status=status,
        published_on=published_on,
        today=today,
    )


@pytest.mark.parametrize(
    ("action", "status", "published_on", "today", "state", "late"),
    [
        # 制定: nothing proposed yet
        ("new", None, None, date(2026, 2, 20), "pending", 0),
        ("new", None, None, date(2026, 3, 1), "pending", 0),
        ("new", None, None, date(2026, 3, 11), "slipped", 10),
        ("new", None, None, date(2026, 7, 10), "slipped", 10),  # counted from the due date
        # 制定: under way, then published
        ("new", "drafting", None, date(2026, 6, 30), "active", 0),
        ("new", "review", None, date(2026, 7, 1), "slipped", 1),
        ("new", "published", date(2026, 6, 1), date(2026, 8, 1), "done", 0),
        ("new", "in_force", date(2026, 6, 1), date(2026, 8, 1), "done", 0),
        # 修订: in force before the revision started is not done
        ("revise", "in_force", date(2020, 1, 1), date(2026, 4, 1), "active", 0),
        ("revise", "in_force", date(2020, 1, 1), date(2026, 7, 5), "slipped", 5),
        ("revise", "revising", date(2020, 1, 1), date(2026, 5, 1), "active", 0),
        ("revise", "in_force", date(2026, 6, 20), date(2026, 7, 5), "done", 0),
        # 废止
        ("withdraw", "in_force", None, date(2026, 2, 1), "pending", 0),
        ("withdraw", "in_force", None, date(2026, 7, 2), "slipped", 2),
        ("withdraw", "withdrawn", None, date(2026, 7, 2), "done", 0),
    ],
)
def test_progress_and_slippage_on_a_given_day(
    action: str, status, published_on, today: date, state: str, late: int
) -> None:
    result = progress(action, status, today, published_on)
    assert (result.state, result.late_days) == (state, late)


def test_the_words_of_progress() -> None:
    assert progress("new", None, date(2026, 3, 11)).label == "未立项"
    assert progress("new", None, date(2026, 3, 11)).late_reason == "已过开始日期仍未立项"
    assert progress("new", "drafting", date(2026, 7, 3)).late_reason == "已过完成日期"
    assert progress("new", "in_force", date(2026, 7, 3)).label == "已完成（实施）"


def test_plan_reads_measure_on_the_given_day(
    org_a, plan, standards_officer, node, department
) -> None:
    drafted = draft_make(org_a, standards_officer, title="会议服务规范")
    published = in_force_make(org_a, standards_officer, number="JGSW/FW 002—2026")
    services.plan_item_add(
        plan=plan,
        actor=standards_officer,
        data=item_data(node, department, standard=drafted, title=""),
    )
    services.plan_item_add(
        plan=plan,
        actor=standards_officer,
        data=item_data(node, department, standard=published, title=""),
    )
    services.plan_item_add(
        plan=plan,
        actor=standards_officer,
        data=item_data(node, department, title="车辆调度规范", starts_on=date(2026, 5, 1)),
    )

    on_may_11 = plan_items(user=standards_officer, plan=plan, today=date(2026, 5, 11))
    assert [(r.item.title, r.progress.state, r.progress.late_days) for r in on_may_11] == [
        ("会议服务规范", "active", 0),
        ("公共卫生间保洁规范", "done", 0),
        ("车辆调度规范", "slipped", 10),
    ]
    summary = plan_summaries(user=standards_officer, today=date(2026, 7, 10))
    assert [(s.plan.year, s.total, s.done, s.slipped) for s in summary] == [(2026, 3, 1, 2)]

    chart = gantt_data(on_may_11, plan, date(2026, 5, 11))
    assert chart["today"] == "2026-05-11"
    assert (chart["min"], chart["max"]) == ("2026-01-01", "2027-01-01")
    assert chart["items"][2] == {
        "name": "制定《车辆调度规范》",
        "title": "车辆调度规范",
        "start": "2026-05-01",
        "end": "2026-07-01",
        "due": "2026-06-30",
        "state": "slipped",
        "progress": "未立项",
        "late": 10,
    }
