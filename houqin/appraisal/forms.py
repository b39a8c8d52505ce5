"""Forms of the scheme pages: a new scheme, one row of a draft version (indicator,
bonus/deduction item, grade band, reward rule), the draft's subjects and grading, and the
filter of the scheme list. The rules of a row live in scheme_services (the forms only
parse); a service's errors are put back on the form's fields."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar, cast

import django_filters
from django import forms
from django.core.validators import MinValueValidator

from houqin.appraisal.models import (
    Adjustment,
    AppraisalScheme,
    GradeBand,
    Indicator,
    RewardRule,
    SchemeVersion,
    SubjectKind,
)
from houqin.appraisal.scheme_services import SUBJECT_FIELD, SUBJECT_NOUN, scheme_filter_state
from houqin.checklists.models import InspectionKind
from houqin.common.forms import OrgModelForm, StyledForm, StyledModelForm
from houqin.org.models import Contract, Department, Post, Team

ZERO = Decimal(0)


def _not_negative(field: forms.Field) -> None:
    field.validators.append(MinValueValidator(ZERO, "不能为负数。"))
    field.widget.attrs["min"] = "0"


class SchemeForm(OrgModelForm):
    """新建考核方案：名称、考核对象、说明。"""

    class Meta:
        model = AppraisalScheme
        fields = ["name", "subject_kind", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "subject_kind": "建好后不能更改；同一方案只考核一类对象。",
            "description": "写明方案的用途和适用范围，如“每季度考核各科室的标准执行情况”。",
        }


class RowForm(StyledModelForm):
    """One row of a draft version; ``row_kind`` names it for the page and the service."""

    row_kind: ClassVar[str]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        next(iter(self.fields.values())).widget.attrs["autofocus"] = ""


class IndicatorForm(RowForm):
    row_kind = "indicator"

    class Meta:
        model = Indicator
        fields = ["name", "weight", "source", "method", "kind", "per_unit", "note"]
        help_texts = {
            "weight": "各项指标的权重合计应正好为 100 分。",
            "kind": "数据来源为“检查合格率”时，可只算一种检查（如只算督查）。",
            "per_unit": "扣分制时每发生一次扣的分数，最多扣完本指标的权重。",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind = cast(forms.ChoiceField, self.fields["kind"])
        kind.choices = [("", "全部类型"), *InspectionKind.choices]
        _not_negative(self.fields["per_unit"])
        self.fields["per_unit"].required = False
        self.fields["weight"].widget.attrs["data-weight-input"] = ""

    def clean_per_unit(self) -> Decimal:
        return self.cleaned_data.get("per_unit") or ZERO


class AdjustmentForm(RowForm):
    row_kind = "adjustment"

    class Meta:
        model = Adjustment
        fields = ["name", "direction", "source", "points", "cap"]
        help_texts = {
            "points": "每发生一次加或扣的分数，如每次否决项不合格扣 2 分。",
            "cap": "一个考核周期内最多加或扣的分数，如最多扣 20 分。",
        }


class GradeBandForm(RowForm):
    row_kind = "band"

    class Meta:
        model = GradeBand
        fields = ["grade", "min_score", "max_share"]
        help_texts = {
            "min_score": "得分不低于此分数即为该等次（最低一档填 0）。",
            "max_share": "只在按排名比例评定时使用，如优秀不超过 20%；不限可不填。",
        }

    def __init__(self, *args: Any, grading: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if grading != SchemeVersion.Grading.SHARE:
            self.fields["max_share"].widget = forms.HiddenInput()


class RewardRuleForm(RowForm):
    row_kind = "rule"

    class Meta:
        model = RewardRule
        fields = ["grade", "kind", "measure", "amount"]
        help_texts = {
            "measure": "如“通报表扬并奖励”“约谈并提交整改计划”。",
            "amount": "奖励或扣罚的金额；没有金额可不填。",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _not_negative(self.fields["amount"])


ROW_FORMS: dict[str, type[RowForm]] = {
    form.row_kind: form for form in (IndicatorForm, AdjustmentForm, GradeBandForm, RewardRuleForm)
}

SUBJECT_MODELS = {
    SubjectKind.DEPARTMENT: Department,
    SubjectKind.TEAM: Team,
    SubjectKind.VENDOR: Contract,
    SubjectKind.PERSON: Post,
}


class VersionSettingsForm(StyledForm):
    """The draft's grading, its note and its subjects (only the kind the scheme appraises;
    none ticked = every subject of that kind)."""

    grading = forms.ChoiceField(label="评定等次", choices=SchemeVersion.Grading.choices)
    note = forms.CharField(label="修订说明", max_length=200, required=False)
    subjects = forms.ModelMultipleChoiceField(
        label="考核对象",
        queryset=Department.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, version: SchemeVersion, **kwargs: Any) -> None:
        kind = SubjectKind(version.scheme.subject_kind)
        kwargs.setdefault(
            "initial",
            {
                "grading": version.grading,
                "note": version.note,
                "subjects": [s.pk for s in getattr(version, SUBJECT_FIELD[kind]).all()],
            },
        )
        super().__init__(*args, **kwargs)
        model = SUBJECT_MODELS[kind]
        rows: Any = model._default_manager.filter(organization_id=version.organization_id)
        if model is Contract:
            rows = rows.select_related("vendor")
        field = self.fields["subjects"]
        field.queryset = rows.order_by("pk")  # type: ignore[attr-defined]
        field.label = f"考核的{SUBJECT_NOUN[kind]}"
        field.help_text = f"不勾选即考核全部{SUBJECT_NOUN[kind]}。"
        self.fields[
            "grading"
        ].help_text = "按分数段：达到分数线即得该等次；按排名比例：还限制每个等次的名额比例。"


STATE_CHOICES = [
    ("published", "已发布（在用）"),
    ("draft", "有草稿待发布"),
    ("unpublished", "从未发布"),
]


class SchemeFilter(django_filters.FilterSet):
    """The scheme list: the kind of subject and the state of its versions."""

    subject_kind = django_filters.ChoiceFilter(
        label="考核对象", choices=SubjectKind.choices, empty_label="全部对象"
    )
    state = django_filters.ChoiceFilter(
        label="版本状态", choices=STATE_CHOICES, method="filter_state", empty_label="全部状态"
    )

    class Meta:
        model = AppraisalScheme
        fields = ["subject_kind", "state"]
        form = StyledForm

    def filter_state(self, queryset: Any, name: str, value: str) -> Any:
        return scheme_filter_state(queryset, value)
