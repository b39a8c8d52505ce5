"""Forms of the findings pages: raising a finding by hand, the steps of the rectification
loop, the rectification policy, a supervision order and the scope of the compliance view."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms

from houqin.accounts.models import User
from houqin.checklists.models import ChecklistItem, Severity
from houqin.common.forms import DATE_INPUT, StyledForm, StyledModelForm
from houqin.findings.filters import place_choices
from houqin.findings.models import Finding, FindingPolicy
from houqin.org.models import Department, ServiceLine, Vendor
from houqin.standards.models import Standard

MAX_PERIOD_DAYS = 366


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several photos from one file input (checked by the attachment machinery later)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"})
        )
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


def _org_people(organization_id: int) -> list[tuple[Any, str]]:
    people = (
        User.objects.filter(organization_id=organization_id, is_active=True)
        .order_by("name")
        .values_list("pk", "name")
    )
    return [("", "（不指定）"), *((str(pk), name) for pk, name in people)]


class FindingForm(StyledForm):
    """A finding raised by hand: what, how serious, where, who fixes it, photos."""

    title = forms.CharField(label="发现的问题", max_length=200)
    description = forms.CharField(
        label="情况说明", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    severity = forms.ChoiceField(label="严重程度", choices=Severity.choices, initial="minor")
    place = forms.ChoiceField(label="场所", required=False)
    department = forms.ModelChoiceField(
        label="责任科室", queryset=Department.objects.none(), required=False
    )
    vendor = forms.ModelChoiceField(
        label="责任服务商", queryset=Vendor.objects.none(), required=False
    )
    person = forms.ChoiceField(label="整改人", required=False)
    fix_days = forms.IntegerField(
        label="整改期限（天）",
        required=False,
        min_value=0,
        max_value=90,
        help_text="不填时按严重程度的默认期限；重复发生的问题会自动升高一级。",
    )
    photos = PhotosField(label="照片", help_text="可以一次选多张，也可以直接拍照。")

    def __init__(self, *args: Any, organization_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields = self.fields
        fields["place"].choices = [("", "（不指定）"), *place_choices(organization_id)]  # type: ignore[attr-defined]
        fields["department"].queryset = Department.objects.filter(  # type: ignore[attr-defined]
            organization_id=organization_id
        )
        fields["vendor"].queryset = Vendor.objects.filter(  # type: ignore[attr-defined]
            organization_id=organization_id, active=True
        )
        fields["person"].choices = _org_people(organization_id)  # type: ignore[attr-defined]
        for name in ("department", "vendor"):
            fields[name].empty_label = "（不指定）"  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("department") or data.get("vendor") or data.get("person")):
            self.add_error("department", "请指定负责整改的科室、服务商或人员。")
        return data


class FixForm(StyledForm):
    """The fix: what was done, and photos of the result."""

    note = forms.CharField(
        label="整改情况",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="写明做了什么，例如“已拖干地面并放置防滑垫”。",
    )
    photos = PhotosField(label="整改后照片")


class NoteForm(StyledForm):
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class PolicyForm(StyledModelForm):
    """The organization's rectification rules."""

    class Meta:
        model = FindingPolicy
        fields = ["critical_days", "major_days", "minor_days", "repeat_days", "effect_days"]
        help_texts = {
            "critical_days": "严重问题从发现当天起算的天数，到期当天 23:59 截止。",
            "major_days": "问题越严重，期限应越短：严重 ≤ 较重 ≤ 一般。",
            "minor_days": "检查项自己设了整改期限的，按检查项的期限。",
            "repeat_days": (
                "同一场所、同一检查项在这么多天内再次不合格，算重复发生，严重程度升高一级。"
            ),
            "effect_days": "较重和严重问题验收后，过这么多天复查整改效果，复查有效才关闭。",
        }


class FindingChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        place = f"，{obj.place.name}" if obj.place_id else ""
        return f"{obj.title}（{obj.get_severity_display()}{place}）"


class OrderForm(StyledForm):
    """A supervision order on the chosen findings."""

    title = forms.CharField(label="标题", max_length=120)
    department = forms.ModelChoiceField(
        label="主送科室", queryset=Department.objects.none(), required=False
    )
    vendor = forms.ModelChoiceField(
        label="主送服务商", queryset=Vendor.objects.none(), required=False
    )
    deadline = forms.DateField(label="办理期限", widget=DATE_INPUT)
    body = forms.CharField(
        label="督办内容",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="写明存在的问题、整改要求和报送方式；问题清单会附在正文后面。",
    )
    findings = FindingChoices(
        label="督办的问题", queryset=Finding.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, organization_id: int, finding_ids: list[int], **kwargs: Any):
        super().__init__(*args, **kwargs)
        fields = self.fields
        fields["department"].queryset = Department.objects.filter(  # type: ignore[attr-defined]
            organization_id=organization_id
        )
        fields["vendor"].queryset = Vendor.objects.filter(  # type: ignore[attr-defined]
            organization_id=organization_id
        )
        fields["findings"].queryset = (  # type: ignore[attr-defined]
            Finding.objects.filter(organization_id=organization_id, pk__in=finding_ids)
            .select_related("place")
            .order_by("raised_at", "pk")
        )
        for name in ("department", "vendor"):
            fields[name].empty_label = "（不选）"  # type: ignore[attr-defined]


class ScopeForm(StyledForm):
    """What the compliance view covers: a period and any of a department, vendor, place
    (with what is under it), service line or standard."""

    start = forms.DateField(label="从", widget=DATE_INPUT)
    end = forms.DateField(label="到", widget=DATE_INPUT)
    department = forms.ModelChoiceField(
        label="科室", queryset=Department.objects.none(), required=False
    )
    vendor = forms.ModelChoiceField(label="服务商", queryset=Vendor.objects.none(), required=False)
    place = forms.ChoiceField(label="场所（含下级）", required=False)
    service_line = forms.ChoiceField(label="服务条线", required=False)
    standard = forms.ModelChoiceField(
        label="标准", queryset=Standard.objects.none(), required=False
    )

    def __init__(self, *args: Any, organization_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields = self.fields
        fields["department"].queryset = Department.objects.filter(  # type: ignore[attr-defined]
            organization_id=organization_id
        )
        fields["vendor"].queryset = Vendor.objects.filter(  # type: ignore[attr-defined]
            organization_id=organization_id
        )
        cited = ChecklistItem.objects.filter(
            organization_id=organization_id, standard__isnull=False
        ).values("standard_id")
        fields["standard"].queryset = Standard.objects.filter(  # type: ignore[attr-defined]
            organization_id=organization_id, pk__in=cited
        ).order_by("number", "title")
        fields["place"].choices = [("", "全部场所"), *place_choices(organization_id)]  # type: ignore[attr-defined]
        fields["service_line"].choices = [("", "全部条线"), *ServiceLine.choices]  # type: ignore[attr-defined]
        for name, label in (
            ("department", "全部科室"),
            ("vendor", "全部服务商"),
            ("standard", "全部标准"),
        ):
            fields[name].empty_label = label  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if isinstance(start, date) and isinstance(end, date):
            if end < start:
                self.add_error("end", "结束日期不能早于开始日期。")
            elif end - start > timedelta(days=MAX_PERIOD_DAYS):
                self.add_error("end", f"一次最多看 {MAX_PERIOD_DAYS} 天。")
        return data
