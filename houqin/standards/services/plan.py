"""The yearly standards plan and its items."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from houqin.common.services import record_create, record_delete, record_update
from houqin.standards.models import (
    PlanItem,
    Standard,
    StandardPlan,
)

# ---- plan ----


def _plan_default_title(year: int) -> str:
    return f"{year}年度标准制修订计划"


def _check_plan(organization: Any, data: dict[str, Any], plan: StandardPlan | None) -> None:
    year = data.get("year")
    if year is None:
        return
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": "请填写四位年份，如 2026。"})
    clash = StandardPlan.objects.filter(organization=organization, year=year)
    if plan is not None:
        clash = clash.exclude(pk=plan.pk)
    if clash.exists():
        raise ValidationError({"year": f"{year}年度的标准制修订计划已经有了，请打开它修改。"})


@transaction.atomic
def plan_create(*, organization: Any, actor: Any, data: dict[str, Any]) -> StandardPlan:
    """新建年度标准制修订计划：每个单位每年一份；未填名称时用“YYYY年度标准制修订计划”。"""
    data = {**data}
    _check_plan(organization, data, None)
    if not (data.get("title") or "").strip() and data.get("year"):
        data["title"] = _plan_default_title(data["year"])
    return record_create(model=StandardPlan, actor=actor, organization=organization, data=data)


@transaction.atomic
def plan_update(*, plan: StandardPlan, actor: Any, data: dict[str, Any]) -> StandardPlan:
    """修改计划的年度、名称和说明（年度仍须每单位唯一）。"""
    data = {k: v for k, v in data.items() if k in ("year", "title", "note")}
    _check_plan(plan.organization, data, plan)
    if "title" in data and not (data["title"] or "").strip():
        data["title"] = _plan_default_title(data.get("year") or plan.year)
    return record_update(obj=plan, actor=actor, data=data)


@transaction.atomic
def plan_delete(*, plan: StandardPlan, actor: Any) -> None:
    """删除计划：只有没有计划项的计划可以删除，免得误删整年的安排。"""
    count = PlanItem.objects.filter(plan=plan).count()
    if count:
        raise ValidationError(f"“{plan}”还有{count}个计划项，请先删除计划项再删除计划。")
    record_delete(obj=plan, actor=actor)


PLAN_ITEM_FIELDS = (
    "action",
    "title",
    "standard",
    "node",
    "owner_department",
    "starts_on",
    "due_on",
)


def _check_plan_item(
    organization: Any, data: dict[str, Any], item: PlanItem | None
) -> dict[str, Any]:
    """The item's data checked against the plan rules, with the title taken from the linked
    standard when it was left blank."""
    data = {k: v for k, v in data.items() if k in PLAN_ITEM_FIELDS}
    merged = {f: data.get(f, getattr(item, f, None)) for f in PLAN_ITEM_FIELDS}
    errors: dict[str, str] = {}
    node, department, standard = merged["node"], merged["owner_department"], merged["standard"]
    if node is not None and node.organization_id != organization.pk:
        errors["node"] = "体系节点不属于本单位。"
    elif node is not None and node.retired and (item is None or item.node_id != node.pk):
        errors["node"] = f"“{node.name}”已停用，请选择其他节点。"
    if department is not None and department.organization_id != organization.pk:
        errors["owner_department"] = "负责科室不属于本单位。"
    if standard is not None and standard.organization_id != organization.pk:
        errors["standard"] = "关联标准不属于本单位。"
    action = merged["action"]
    if action in (PlanItem.Action.REVISE, PlanItem.Action.WITHDRAW) and "standard" not in errors:
        verb = "修订" if action == PlanItem.Action.REVISE else "废止"
        if standard is None:
            errors["standard"] = f"{verb}计划项请选择要{verb}的标准。"
        elif standard.status == Standard.Status.WITHDRAWN and (
            item is None or item.standard_id != standard.pk or item.action != action
        ):
            errors["standard"] = f"“{standard}”已经废止，不能再{verb}。"
    if not (merged["title"] or "").strip():
        if standard is not None and "standard" not in errors:
            data["title"] = standard.title
        else:
            errors["title"] = "请填写标准名称，或选择关联标准。"
    starts_on, due_on = merged["starts_on"], merged["due_on"]
    if starts_on and due_on and due_on < starts_on:
        errors["due_on"] = "完成日期不能早于开始日期。"
    if errors:
        raise ValidationError(errors)
    return data


@transaction.atomic
def plan_item_add(*, plan: StandardPlan, actor: Any, data: dict[str, Any]) -> PlanItem:
    """在计划中加一项（制定 / 修订 / 废止）：节点、科室、标准须属本单位，节点未停用；修订和
    废止须关联标准；完成日期不早于开始日期；记变更日志。"""
    data = _check_plan_item(plan.organization, data, None)
    return record_create(
        model=PlanItem, actor=actor, organization=plan.organization, data={**data, "plan": plan}
    )


@transaction.atomic
def plan_item_update(*, item: PlanItem, actor: Any, data: dict[str, Any]) -> PlanItem:
    """修改计划项，规则同新增。"""
    data = _check_plan_item(item.organization, data, item)
    return record_update(obj=item, actor=actor, data=data)


@transaction.atomic
def plan_item_delete(*, item: PlanItem, actor: Any) -> None:
    """删除计划项（记变更日志）。"""
    record_delete(obj=item, actor=actor)
