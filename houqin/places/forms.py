"""Forms of places, equipment, moves and label printing (Chinese labels; services check the
rules, the forms only the shape of the input)."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from houqin.common.forms import DATE_INPUT, StyledForm, StyledModelForm
from houqin.org.models import Department
from houqin.places.models import Equipment, Place, kind_allowed


class PlaceForm(StyledModelForm):
    class Meta:
        model = Place
        fields = ["kind", "code", "name", "area_m2", "department", "active"]
        help_texts = {
            "code": "本单位内唯一，例如 A、A-03、A-03-301；同级场所按编号排序。",
            "active": "停用的场所保留历史记录，不再打印标签。",
        }

    def __init__(
        self, *args: Any, organization_id: int, parent: Place | None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["kind"]).choices = [
            (value, label)
            for value, label in Place.Kind.choices
            if kind_allowed(parent_kind=parent.kind if parent else None, child_kind=value)
        ]
        department = self.fields["department"]
        department.queryset = Department.objects.filter(  # type: ignore[attr-defined]
            organization_id=organization_id
        ).order_by("code")
        department.empty_label = "（不指定）"  # type: ignore[attr-defined]
        self.fields["area_m2"].widget.attrs.update({"min": "0", "step": "0.01"})


class PlaceChoiceField(forms.ModelChoiceField):
    """A place drop-down in tree order, each option indented by its depth."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{'　' * (obj.depth - 1)}{obj.code} {obj.name}"


class EquipmentForm(StyledModelForm):
    place = PlaceChoiceField(label="所在场所", queryset=Place.objects.none())

    class Meta:
        model = Equipment
        fields = [
            "code",
            "type",
            "name",
            "model",
            "serial",
            "place",
            "installed_on",
            "certificate_no",
            "certificate_expires",
        ]
        widgets = {"installed_on": DATE_INPUT, "certificate_expires": DATE_INPUT}
        help_texts = {
            "code": "本单位内唯一，例如 DT-01。",
            "certificate_no": "特种设备的使用登记证或定期检验报告编号。",
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = (  # type: ignore[attr-defined]
            Place.objects.for_user(user, "change").only("pk", "code", "name", "depth")
        )
        self.fields["place"].empty_label = "请选择场所"  # type: ignore[attr-defined]


TOP_LEVEL = ""


class PlaceMoveForm(StyledForm):
    new_parent = forms.ChoiceField(label="移到", required=False)

    def __init__(self, *args: Any, targets: list[dict[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kinds = dict(Place.Kind.choices)
        cast(forms.ChoiceField, self.fields["new_parent"]).choices = [
            (TOP_LEVEL, "（顶层，不属于任何场所）")
        ] + [
            (
                str(row["pk"]),
                f"{'　' * (row['depth'] - 1)}{row['code']} {row['name']}（{kinds[row['kind']]}）",
            )
            for row in targets
        ]


class LabelForm(StyledForm):
    within = forms.ChoiceField(label="范围", required=False)
    kinds = forms.MultipleChoiceField(
        label="场所标签",
        choices=Place.Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="只打印启用的场所。",
    )
    types = forms.MultipleChoiceField(
        label="设备标签",
        choices=Equipment.Type.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="停用的设备不打印。",
    )

    def __init__(self, *args: Any, places: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["within"]).choices = [("", "全部场所")] + [
            (str(pk), label) for pk, label in places
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("kinds") and not data.get("types"):
            raise forms.ValidationError("请至少选择一种场所类型或设备类型。")
        return data
