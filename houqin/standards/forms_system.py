"""Forms of the standard system (a node), the standardization settings and the yearly plan
(a plan and its items). Rules live in the services; the forms check input formats only."""

from __future__ import annotations

import re
from typing import Any

from django import forms

from houqin.common.forms import DATE_INPUT, OrgModelForm, StyledModelForm
from houqin.standards.models import (
    PlanItem,
    Standard,
    StandardNode,
    StandardPlan,
    StandardSettings,
)

CODE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.\-/]*$")
PREFIX_PATTERN = re.compile(r"^[A-Z][A-Z0-9]{1,15}$")


class NodeForm(OrgModelForm):
    """A node's code, name and description (its place in the tree is set by the page)."""

    class Meta:
        model = StandardNode
        fields = ["code", "name", "description"]
        help_texts = {
            "code": "体系内唯一，如“TG-01”“100”，用字母、数字和“-”“.”“/”。",
            "description": "可写明本节点收录哪些标准。",
        }

    def clean_code(self) -> str:
        code = (self.cleaned_data.get("code") or "").strip()
        if not CODE_PATTERN.match(code):
            raise forms.ValidationError("体系编号只能用字母、数字和“-”“.”“/”，且不能以符号开头。")
        return code

    def clean_name(self) -> str:
        return (self.cleaned_data.get("name") or "").strip()


class SettingsForm(StyledModelForm):
    """The organization's numbering prefix, default review cycle and acknowledge period."""

    class Meta:
        model = StandardSettings
        fields = ["internal_prefix", "review_years", "acknowledge_days"]
        help_texts = {
            "internal_prefix": "编号中斜线前的部分，2～16 个大写字母或数字。",
            "review_years": "新立项标准的复审周期；GB/T 24421 建议不超过 5 年。已有标准不受影响。",
            "acknowledge_days": "标准实施后，相关人员须在这么多天内完成阅读确认。",
        }

    def clean_internal_prefix(self) -> str:
        prefix = (self.cleaned_data.get("internal_prefix") or "").strip().upper()
        if not PREFIX_PATTERN.match(prefix):
            raise forms.ValidationError(
                "前缀用 2～16 个大写字母或数字，以字母开头，如“JGSW”；不含“/”和空格。"
            )
        return prefix

    def clean_review_years(self) -> int:
        years: int = self.cleaned_data["review_years"]
        if not 1 <= years <= 10:
            raise forms.ValidationError("复审周期请填写 1～10 年。")
        return years

    def clean_acknowledge_days(self) -> int:
        days: int = self.cleaned_data["acknowledge_days"]
        if not 1 <= days <= 180:
            raise forms.ValidationError("阅读确认期限请填写 1～180 天。")
        return days


class PlanForm(OrgModelForm):
    """A yearly plan: its year, title (defaults to “YYYY年度标准制修订计划”) and note."""

    class Meta:
        model = StandardPlan
        fields = ["year", "title", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"title": "不填则为“年度标准制修订计划”，如“2026年度标准制修订计划”。"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["title"].required = False
        self.fields["year"].widget.attrs.update({"min": 2000, "max": 2100, "inputmode": "numeric"})

    def _get_validation_exclusions(self) -> Any:
        exclude = super()._get_validation_exclusions()
        exclude.add("title")  # filled by the service when left blank
        exclude.add("year")  # one plan a year: the service says so in its own words
        return exclude


class NodeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        indent = "　" * (obj.depth - 1)
        return f"{indent}{obj.code} {obj.name}"


class StandardChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        number = f"{obj.number} " if obj.number else ""
        return f"{number}{obj.title}（{obj.get_status_display()}）"


class PlanItemForm(OrgModelForm):
    """One item of the plan. The title may be left blank when a standard is linked."""

    node = NodeChoiceField(queryset=StandardNode.objects.none(), label="体系节点")
    standard = StandardChoiceField(
        queryset=Standard.objects.none(),
        label="关联标准",
        required=False,
        help_text="制定：立项后再关联；修订、废止：选择要修订或废止的标准。进度取自关联标准的状态。",
    )

    class Meta:
        model = PlanItem
        fields = ["action", "title", "standard", "node", "owner_department", "starts_on", "due_on"]
        widgets = {"starts_on": DATE_INPUT, "due_on": DATE_INPUT}
        help_texts = {"title": "关联了标准时可不填，取标准名称。"}

    def __init__(self, *args: Any, organization_id: int, **kwargs: Any) -> None:
        super().__init__(*args, organization_id=organization_id, **kwargs)
        keep = self.instance.node_id if self.instance.pk else None
        nodes = StandardNode.objects.filter(organization_id=organization_id).order_by("path")
        node_field: Any = self.fields["node"]
        node_field.queryset = nodes.filter(retired=False) | nodes.filter(pk=keep)
        standard_field: Any = self.fields["standard"]
        standard_field.queryset = Standard.objects.filter(organization_id=organization_id).order_by(
            "node__path", "number", "title"
        )
        standard_field.empty_label = "（暂不关联）"
        node_field.empty_label = "请选择体系节点"
        department_field: Any = self.fields["owner_department"]
        department_field.empty_label = "请选择负责科室"
        self.fields["title"].required = False
        for name in ("starts_on", "due_on"):
            date_field: Any = self.fields[name]
            date_field.input_formats = ["%Y-%m-%d"]

    def _get_validation_exclusions(self) -> Any:
        exclude = super()._get_validation_exclusions()
        exclude.add("title")  # taken from the linked standard by the service when blank
        exclude.add("due_on")  # the period rule is the service's, shown on the due date
        return exclude
