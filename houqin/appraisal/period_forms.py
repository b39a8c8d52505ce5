"""Forms of the period pages: a new period (the dates filled from the cadence), the
period list's filter, a manual entry, an appeal, the office's decision on an appeal, and the
choice of two subjects to compare."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import django_filters
from django import forms

from houqin.appraisal.models import AppraisalScheme, Period
from houqin.common.attachments import ACCEPT
from houqin.common.filters import OrgFilterSet
from houqin.common.forms import DATE_INPUT, StyledForm

QUARTER_NAMES = ("第一季度", "第二季度", "第三季度", "第四季度")
MAX_EVIDENCE_FILES = 10


def _month_end(year: int, month: int) -> date:
    first_next = date(year + month // 12, month % 12 + 1, 1)
    return first_next - timedelta(days=1)


def cadence_defaults(today: date) -> dict[str, dict[str, str]]:
    """For each cadence, the dates and name of the period that holds ``today`` (what the
    form fills in when the cadence is chosen); custom starts from this month."""
    year, month = today.year, today.month
    quarter = (month - 1) // 3
    half = (month - 1) // 6
    spans = {
        Period.Cadence.QUARTER: (
            date(year, quarter * 3 + 1, 1),
            _month_end(year, quarter * 3 + 3),
            f"{year}年{QUARTER_NAMES[quarter]}",
        ),
        Period.Cadence.HALF_YEAR: (
            date(year, half * 6 + 1, 1),
            _month_end(year, half * 6 + 6),
            f"{year}年{'上' if half == 0 else '下'}半年",
        ),
        Period.Cadence.YEAR: (date(year, 1, 1), date(year, 12, 31), f"{year}年度"),
        Period.Cadence.CUSTOM: (date(year, month, 1), _month_end(year, month), ""),
    }
    return {
        str(cadence): {"starts_on": start.isoformat(), "ends_on": end.isoformat(), "name": name}
        for cadence, (start, end, name) in spans.items()
    }


class PeriodForm(StyledForm):
    """A new period of a scheme (scored with the scheme's published version)."""

    scheme = forms.ModelChoiceField(
        label="考核方案", queryset=AppraisalScheme.objects.none(), empty_label="请选择"
    )
    cadence = forms.ChoiceField(
        label="周期类型", choices=Period.Cadence.choices, initial=Period.Cadence.QUARTER
    )
    name = forms.CharField(label="周期名称", max_length=60)
    starts_on = forms.DateField(label="开始日期", widget=DATE_INPUT)
    ends_on = forms.DateField(label="结束日期", widget=DATE_INPUT)
    publicity_days = forms.IntegerField(
        label="公示天数",
        min_value=1,
        max_value=30,
        initial=5,
        help_text="公示期间考核对象可以查看得分并提出申诉。",
    )

    def __init__(self, *args: Any, organization_id: int, today: date, **kwargs: Any) -> None:
        self.defaults = cadence_defaults(today)
        quarter = self.defaults[Period.Cadence.QUARTER]
        kwargs.setdefault("initial", {})
        for name in ("starts_on", "ends_on", "name"):
            kwargs["initial"].setdefault(name, quarter[name])
        super().__init__(*args, **kwargs)
        schemes = AppraisalScheme.objects.filter(organization_id=organization_id, archived=False)
        self.fields["scheme"].queryset = schemes.order_by("name")  # type: ignore[attr-defined]
        self.fields["cadence"].widget.attrs["data-cadence"] = ""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", "结束日期不能早于开始日期。")
        return data


class PeriodFilter(OrgFilterSet):
    """The periods: by scheme and state."""

    scheme = django_filters.ChoiceFilter(
        label="考核方案", field_name="scheme_id", choices=[], empty_label="全部方案"
    )
    status = django_filters.ChoiceFilter(
        label="状态", choices=Period.Status.choices, empty_label="全部状态"
    )
    cadence = django_filters.ChoiceFilter(
        label="周期类型", choices=Period.Cadence.choices, empty_label="全部类型"
    )
    org_choices = {"scheme": (AppraisalScheme, "name")}

    class Meta:
        model = Period
        form = StyledForm
        fields = ["scheme", "status", "cadence"]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class EvidenceField(forms.FileField):
    """Several evidence files from one input (their type is checked when attached)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        files = list(data) if isinstance(data, list | tuple) else ([data] if data else [])
        if len(files) > MAX_EVIDENCE_FILES:
            raise forms.ValidationError(f"一次最多上传 {MAX_EVIDENCE_FILES} 个文件。")
        return [single(item, initial) for item in files if item]


class ManualEntryForm(StyledForm):
    """A figure entered by hand for one manual line of a score, with its basis."""

    target = forms.ChoiceField(label="录入项目")
    value = forms.DecimalField(label="数值", max_digits=7, decimal_places=2)
    note = forms.CharField(label="依据", max_length=300, widget=forms.Textarea(attrs={"rows": 2}))
    evidence = EvidenceField(label="证明材料")

    def __init__(self, *args: Any, targets: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = targets  # type: ignore[attr-defined]


class AppealForm(StyledForm):
    """A subject's appeal on one line of its score, with the reason and evidence."""

    line = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label="申诉理由", max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    evidence = EvidenceField(label="证明材料")


class DecideForm(StyledForm):
    """The office's answer to an appeal: accept with the corrected points or the corrected
    figure (the numbers the line counted), or reject."""

    decision = forms.ChoiceField(
        label="处理结果",
        choices=(("accept", "采纳申诉"), ("reject", "驳回申诉")),
        widget=forms.RadioSelect,
    )
    points = forms.DecimalField(
        label="更正后的得分",
        max_digits=7,
        decimal_places=2,
        min_value=Decimal("0"),
        required=False,
        help_text="直接更正该项的得分；也可以只更正下面的数据，由系统按公式重算。",
    )
    part = forms.DecimalField(
        label="更正后的分子", max_digits=9, decimal_places=2, min_value=Decimal("0"), required=False
    )
    whole = forms.DecimalField(
        label="更正后的分母", max_digits=9, decimal_places=2, min_value=Decimal("0"), required=False
    )
    count = forms.DecimalField(
        label="更正后的次数", max_digits=9, decimal_places=0, min_value=Decimal("0"), required=False
    )
    note = forms.CharField(
        label="处理意见", max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    FIGURE_FIELDS = ("part", "whole", "count")

    def __init__(self, *args: Any, figure: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["decision"].widget.attrs["class"] = "form-check-input"
        rate = "whole" in figure  # a rate is corrected by its two numbers, not the count
        for name in self.FIGURE_FIELDS:
            if name not in figure or (rate and name == "count"):
                del self.fields[name]
            elif figure.get(f"{name}_label"):
                self.fields[name].label = f"更正后的{figure[f'{name}_label']}"

    def corrected(self) -> dict[str, Any] | None:
        """What the accepted appeal corrects: the points, else the figures filled in."""
        data = self.cleaned_data
        if data.get("decision") != "accept":
            return None
        if data.get("points") is not None:
            return {"points": data["points"]}
        return {
            name: float(data[name]) for name in self.FIGURE_FIELDS if data.get(name) is not None
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "accept" and not self.corrected():
            self.add_error("points", "采纳申诉时请填写更正后的得分或数据。")
        return data


class CompareForm(StyledForm):
    """Two subjects of one period, side by side."""

    a = forms.ChoiceField(label="对象一")
    b = forms.ChoiceField(label="对象二")

    def __init__(self, *args: Any, subjects: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["a"].choices = subjects  # type: ignore[attr-defined]
        self.fields["b"].choices = subjects  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("a") and data.get("a") == data.get("b"):
            self.add_error("b", "请选择两个不同的考核对象。")
        return data
