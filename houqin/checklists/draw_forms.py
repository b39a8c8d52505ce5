"""Forms of random spot checks, special campaigns and third-party evaluations; every choice
of a related row comes from the user's organization only."""

from __future__ import annotations

from typing import Any

from django import forms

from houqin.accounts.models import User
from houqin.checklists.draw_services import inspectors_with_perm
from houqin.checklists.forms import DATETIME_INPUT
from houqin.checklists.models import Campaign, ChecklistTemplate
from houqin.common.forms import DATE_INPUT, StyledForm
from houqin.org.models import Department, Post, Team
from houqin.places.models import Equipment, Place
from houqin.places.selectors import place_choices

KIND_CHOICES = [("", "（只抽所选场所本身）"), *Place.Kind.choices]


class _People(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class _OrgForm(StyledForm):
    def __init__(self, *args: Any, organization_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organization_id = organization_id
        for field in self.fields.values():
            queryset = getattr(field, "queryset", None)
            if queryset is not None and queryset.model is not User:
                field.queryset = queryset.filter(organization_id=organization_id)  # type: ignore[attr-defined]
        if "place" in self.fields:
            self.fields["place"].choices = [  # type: ignore[attr-defined]
                ("", "（请选择）"),
                *place_choices(organization_id=organization_id),
            ]

    def place_obj(self) -> Place | None:
        pk = self.cleaned_data.get("place")
        if not pk:
            return None
        return Place.objects.filter(organization_id=self.organization_id, pk=pk).first()


class DrawForm(_OrgForm):
    title = forms.CharField(
        label="抽查名称", max_length=100, help_text="如“9月卫生间保洁双随机抽查”。"
    )
    template = forms.ModelChoiceField(
        label="检查表", queryset=ChecklistTemplate.objects.filter(active=True)
    )
    place = forms.TypedChoiceField(label="场所范围", coerce=int, required=False, empty_value=None)
    place_kind = forms.ChoiceField(
        label="逐个抽查其下的",
        choices=KIND_CHOICES,
        required=False,
        help_text="选“房间”就在所选场所下的所有房间里抽。",
    )
    equipment = forms.ModelMultipleChoiceField(
        label="或者从这些设备中抽", queryset=Equipment.objects.order_by("code"), required=False
    )
    subjects_wanted = forms.IntegerField(label="抽取对象数", min_value=1, max_value=200, initial=3)
    inspectors_each = forms.IntegerField(
        label="每个对象的检查人数", min_value=1, max_value=10, initial=1
    )
    department = forms.ModelChoiceField(
        label="检查人员：科室", queryset=Department.objects.all(), required=False
    )
    post = forms.ModelChoiceField(
        label="检查人员：岗位", queryset=Post.objects.all(), required=False
    )
    team = forms.ModelChoiceField(
        label="检查人员：班组", queryset=Team.objects.all(), required=False
    )
    people = _People(
        label="或者指定检查人员",
        queryset=User.objects.none(),
        required=False,
        help_text="只列出能做检查的人员。",
    )
    avoid_own_department = forms.BooleanField(
        label="回避本科室",
        required=False,
        initial=True,
        help_text="勾选后，检查人员不会被抽去检查本科室负责的场所或设备。",
    )
    campaign = forms.ModelChoiceField(
        label="所属专项检查", queryset=Campaign.objects.all(), required=False
    )
    opens_at = forms.DateTimeField(label="开始时间", widget=DATETIME_INPUT)
    due_at = forms.DateTimeField(label="截止时间", widget=DATETIME_INPUT)

    def __init__(self, *args: Any, organization_id: int, **kwargs: Any) -> None:
        super().__init__(*args, organization_id=organization_id, **kwargs)
        self.fields["people"].queryset = inspectors_with_perm(organization_id).order_by("name")  # type: ignore[attr-defined]


class CampaignForm(StyledForm):
    title = forms.CharField(label="专项检查名称", max_length=100)
    topic = forms.CharField(label="检查主题", max_length=200, help_text="如“夏季食品安全”。")
    description = forms.CharField(
        label="说明", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    starts_on = forms.DateField(label="开始日期", widget=DATE_INPUT)
    ends_on = forms.DateField(label="结束日期", widget=DATE_INPUT)


class CampaignAssignForm(_OrgForm):
    template = forms.ModelChoiceField(
        label="检查表", queryset=ChecklistTemplate.objects.filter(active=True)
    )
    place = forms.TypedChoiceField(label="场所", coerce=int, empty_value=None)
    place_kind = forms.ChoiceField(label="逐个检查其下的", choices=KIND_CHOICES, required=False)
    person = forms.ModelChoiceField(label="检查人员", queryset=User.objects.none())
    opens_at = forms.DateTimeField(label="开始时间", widget=DATETIME_INPUT)
    due_at = forms.DateTimeField(label="截止时间", widget=DATETIME_INPUT)

    def __init__(self, *args: Any, organization_id: int, **kwargs: Any) -> None:
        super().__init__(*args, organization_id=organization_id, **kwargs)
        field = self.fields["person"]
        field.queryset = inspectors_with_perm(organization_id).order_by("name")  # type: ignore[attr-defined]
        field.label_from_instance = lambda obj: obj.name  # type: ignore[attr-defined]


class ThirdPartyForm(_OrgForm):
    """The party and the place; the answers are fields added per item by the view."""

    place = forms.TypedChoiceField(label="被评价场所", coerce=int, empty_value=None)
    party = forms.CharField(label="评价单位", max_length=100)
    evaluator = forms.CharField(label="评价人", max_length=40)
    evaluated_on = forms.DateField(label="评价日期", widget=DATE_INPUT)
    reference = forms.CharField(
        label="报告编号",
        max_length=60,
        required=False,
        help_text="有报告编号的填上，可防止重复录入。",
    )

    def __init__(self, *args: Any, items: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items = list(items)
        for item in self.items:
            self.fields[f"item_{item.pk}"] = forms.CharField(
                label=item.text,
                max_length=500,
                help_text="填“合格”“不合格：情况”或“不适用”；数值项填数值。",
            )

    def cells(self) -> dict[int, str]:
        return {item.pk: self.cleaned_data.get(f"item_{item.pk}", "") for item in self.items}


class ThirdPartyImportForm(StyledForm):
    file = forms.FileField(label="Excel 文件", help_text="请使用下载的模板填写，每行一份评价。")
