"""Lifecycle steps through the API: each name calls its service in ``lifecycle.py`` with
what that service takes from the request body."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rest_framework import serializers
from rest_framework.exceptions import ValidationError

from houqin.accounts.models import User
from houqin.org.models import Department, ServedUnit
from houqin.standards import lifecycle
from houqin.standards.models import (
    APPROVE,
    DRAFT,
    MANAGE,
    PeriodicReview,
    ReviewMeeting,
    Standard,
)

TRANSITIONS: dict[str, tuple[str, str]] = {
    "proposal_approve": (MANAGE, "批准立项"),
    "proposal_reject": (MANAGE, "不予立项（note 必填）"),
    "consultation_open": (DRAFT, "发出征求意见稿（deadline、departments/served_units/people）"),
    "review_submit": (DRAFT, "提交审查"),
    "standard_return_drafting": (DRAFT, "退回起草（note 必填）"),
    "review_record": (MANAGE, "记录审查会（held_on、reviewers、conclusion、conditions）"),
    "standard_approve": (APPROVE, "批准发布（number、published_on、effective_on）"),
    "standard_take_effect": (MANAGE, "实施"),
    "periodic_review_start": (MANAGE, "开始复审"),
    "periodic_review_decide": (MANAGE, "复审结论（conclusion、note）"),
    "standard_revise": (MANAGE, "修订"),
    "standard_withdraw": (MANAGE, "废止（note 必填）"),
}


class TransitionSerializer(serializers.Serializer):
    name = serializers.ChoiceField(
        choices=[(name, label) for name, (_, label) in TRANSITIONS.items()],
        error_messages={"invalid_choice": "没有“{input}”这个操作。"},
        help_text="流程操作：" + "；".join(f"{n} {label}" for n, (_, label) in TRANSITIONS.items()),
    )
    note = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="说明或理由"
    )
    deadline = serializers.DateField(required=False, allow_null=True, help_text="征求意见截止日期")
    departments = serializers.ListField(
        child=serializers.IntegerField(), required=False, default=list, help_text="征求意见科室 id"
    )
    served_units = serializers.ListField(
        child=serializers.IntegerField(), required=False, default=list, help_text="服务单位 id"
    )
    people = serializers.ListField(
        child=serializers.IntegerField(), required=False, default=list, help_text="人员 id"
    )
    message = serializers.CharField(required=False, allow_blank=True, default="")
    held_on = serializers.DateField(required=False, allow_null=True, help_text="审查日期")
    reviewers = serializers.CharField(required=False, allow_blank=True, default="")
    conclusion = serializers.ChoiceField(
        choices=sorted({*ReviewMeeting.Conclusion.values, *PeriodicReview.Conclusion.values}),
        required=False,
        allow_blank=True,
        default="",
        help_text="审查结论 passed/conditional/failed；复审结论 valid/revise/withdraw",
    )
    conditions = serializers.CharField(required=False, allow_blank=True, default="")
    number = serializers.CharField(required=False, allow_blank=True, default="")
    published_on = serializers.DateField(required=False, allow_null=True)
    effective_on = serializers.DateField(required=False, allow_null=True)


def _rows(model: Any, organization_id: int, ids: list[int], field: str) -> list[Any]:
    rows = list(model.objects.filter(organization_id=organization_id, pk__in=ids))
    if len(rows) != len(set(ids)):
        raise ValidationError({field: "有的选项不存在或不属于本单位，请刷新后重新选择。"})
    return rows


def transition_call(name: str, standard: Standard, actor: Any, data: dict[str, Any]) -> None:
    """Call the lifecycle service ``name`` with what it takes from ``data``."""
    org = standard.organization_id
    calls: dict[str, Callable[[], Any]] = {
        "proposal_approve": lambda: lifecycle.proposal_approve(standard=standard, actor=actor),
        "proposal_reject": lambda: lifecycle.proposal_reject(
            standard=standard, actor=actor, note=data["note"]
        ),
        "consultation_open": lambda: lifecycle.consultation_open(
            standard=standard,
            actor=actor,
            deadline=data.get("deadline"),
            departments=_rows(Department, org, data["departments"], "departments"),
            served_units=_rows(ServedUnit, org, data["served_units"], "served_units"),
            people=_rows(User, org, data["people"], "people"),
            message=data["message"],
        ),
        "review_submit": lambda: lifecycle.review_submit(standard=standard, actor=actor),
        "standard_return_drafting": lambda: lifecycle.standard_return_drafting(
            standard=standard, actor=actor, note=data["note"]
        ),
        "review_record": lambda: lifecycle.review_record(
            standard=standard,
            actor=actor,
            held_on=data.get("held_on"),
            reviewers=data["reviewers"],
            conclusion=data["conclusion"],
            conditions=data["conditions"],
        ),
        "standard_approve": lambda: lifecycle.standard_approve(
            standard=standard,
            actor=actor,
            number=data["number"],
            published_on=data.get("published_on"),
            effective_on=data.get("effective_on"),
        ),
        "standard_take_effect": lambda: lifecycle.standard_take_effect(
            standard=standard, actor=actor
        ),
        "periodic_review_start": lambda: lifecycle.periodic_review_start(
            standard=standard, actor=actor
        ),
        "periodic_review_decide": lambda: lifecycle.periodic_review_decide(
            standard=standard, actor=actor, conclusion=data["conclusion"], note=data["note"]
        ),
        "standard_revise": lambda: lifecycle.standard_revise(
            standard=standard, actor=actor, note=data["note"]
        ),
        "standard_withdraw": lambda: lifecycle.standard_withdraw(
            standard=standard, actor=actor, note=data["note"]
        ),
    }
    calls[name]()
