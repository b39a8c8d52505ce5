"""Forms of the checklist pages. They parse and label the input; the rules (limits of a
number item, options of a choice item, who may be a veto item …) live in the services,
whose messages the views show next to the fields."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from houqin.accounts.models import User
from houqin.checklists.models import ChecklistItem, ChecklistTemplate, Schedule
from houqin.checklists.scheduling import NOTE_LIMIT, WEEKDAY_NAMES, times_parse
from houqin.checklists.selectors import owner_choices
from houqin.common.forms import DATE_INPUT, OrgModelForm, StyledForm, StyledModelForm
from houqin.org.models import Post, Team, Vendor
from houqin.places.models import Equipment, Place


class PlainDecimalField(forms.DecimalField):
    """A decimal shown as a person writes it: 8, 0.5, 125 (not 8.000)."""

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Decimal) and value.is_finite():
            return f"{value.normalize():f}"
        return value


class TemplateForm(OrgModelForm):
    """A template's own fields; its items are added on its page."""

    pass_mark = PlainDecimalField(
        label="合格线（%）",
        min_value=0,
        max_value=100,
        max_digits=5,
        decimal_places=2,
        initial=ChecklistTemplate._meta.get_field("pass_mark").default,
        help_text=ChecklistTemplate._meta.get_field("pass_mark").help_text,
    )

    class Meta:
        model = ChecklistTemplate
        fields = [
            "name",
            "description",
            "kind",
            "service_line",
            "department",
            "owner",
            "scoring",
            "pass_mark",
            "active",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "owner": "标准修订后引用的条款有变化时，系统通知负责人复核。",
            "scoring": "按得分：各项分值×权重加总；按合格率：合格项数占适用项数的比例。",
            "active": "停用后不能再开始新的检查，已有记录不受影响。",
        }

    def __init__(self, *args: Any, organization_id: int, **kwargs: Any) -> None:
        super().__init__(*args, organization_id=organization_id, **kwargs)
        people = owner_choices(organization_id=organization_id)
        current = self.instance.owner if self.instance.owner_id else None
        if current is not None and current.pk not in {pk for pk, _ in people}:
            people.append((current.pk, current.name))
        owner = self.fields["owner"]
        owner.queryset = owner.queryset.filter(pk__in=[pk for pk, _ in people])  # type: ignore[attr-defined]
        owner.choices = [("", "（无）"), *people]  # type: ignore[attr-defined]
        self.fields["department"].queryset = self.fields["department"].queryset.order_by("code")  # type: ignore[attr-defined]


class LinesField(forms.CharField):
    """A list of short texts entered one per line."""

    widget = forms.Textarea(attrs={"rows": 3})

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value) or ""
        return [line.strip() for line in text.splitlines() if line.strip()]

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return "\n".join(str(v) for v in value)
        return value


# The form in groups, as the page shows it: (heading, fields, hint).
ITEM_SECTIONS: list[tuple[str, list[str], str]] = [
    ("检查内容", ["text", "guidance"], ""),
    (
        "怎么填",
        ["answer_type", "unit", "min_value", "max_value", "choices", "fail_choices"],
        "数值型填单位和上下限（只填一边也可以）；选择型填选项，并写出哪些选项算不合格。",
    ),
    (
        "不合格时",
        ["note_on_fail", "finding_on_fail", "photo_rule", "severity", "fix_days"],
        "要求拍照、写说明的，检查人不补齐就不能提交，不合格不会被悄悄勾过。",
    ),
    ("计分", ["critical", "veto", "score", "weight"], ""),
]
PAIRED_FIELDS = frozenset({"min_value", "max_value", "score", "weight"})
ITEM_FORM_FIELDS = [name for _, names, _ in ITEM_SECTIONS for name in names]
WIDE_FIELDS = frozenset(
    {
        "text",
        "guidance",
        "choices",
        "fail_choices",
        "note_on_fail",
        "finding_on_fail",
        "critical",
        "veto",
    }
)


class ItemForm(StyledModelForm):
    """Every setting of an item; the service checks how they fit together."""

    choices = LinesField(label="选项", required=False, help_text="选择型检查项填写，每行一个。")
    fail_choices = LinesField(
        label="算作不合格的选项",
        required=False,
        help_text="每行一个，必须是上面列出的选项。",
    )

    class Meta:
        model = ChecklistItem
        fields = ITEM_FORM_FIELDS
        widgets = {
            "text": forms.Textarea(attrs={"rows": 2}),
            "guidance": forms.Textarea(attrs={"rows": 3}),
        }
        field_classes = {
            "min_value": PlainDecimalField,
            "max_value": PlainDecimalField,
            "score": PlainDecimalField,
            "weight": PlainDecimalField,
        }
        help_texts = {
            "text": "一句话写清楚查什么，如“冰箱冷藏温度”“地面无积水、无杂物”。",
            "guidance": "怎么查、什么样算合格，检查人在手机上能看到。",
            "unit": "如 ℃、g、%。",
            "critical": "关键项在记录和统计中单独标出。",
            "score": "按得分计分时使用。",
            "weight": "按得分计分时，分值×权重计入总分。",
        }

    def sections(self) -> list[tuple[str, list[tuple[forms.BoundField, str]], str]]:
        """The bound fields in their groups, each with its grid column: a whole row, half a
        row on every screen (a pair of numbers), or half a row from a tablet up."""

        def column(name: str) -> str:
            if name in WIDE_FIELDS:
                return "col-12"
            return "col-6" if name in PAIRED_FIELDS else "col-12 col-md-6"

        return [
            (title, [(self[name], column(name)) for name in names], hint)
            for title, names, hint in ITEM_SECTIONS
        ]


def item_data(form: ItemForm) -> dict[str, Any]:
    """The cleaned values the item services take."""
    return {name: form.cleaned_data[name] for name in ITEM_FORM_FIELDS}


# ---- schedules, the workday calendar and tasks ---------------------------------------------

ASSIGNEE_CHOICES = [
    ("person", "一位人员"),
    ("post", "一个岗位"),
    ("team", "一个班组"),
    ("vendor", "一家服务商"),
]
ASSIGNEE_FIELDS = tuple(name for name, _ in ASSIGNEE_CHOICES)
ASSIGNEE_NOUNS = {"person": "人员", "post": "岗位", "team": "班组", "vendor": "服务商"}
WEEKDAY_CHOICES = [(day, name) for day, name in enumerate(WEEKDAY_NAMES, start=1)]
DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class TimesField(forms.CharField):
    """Times of day typed in one line: "08:00, 14:00" → ["08:00", "14:00"]."""

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value) or ""
        if not text.strip():
            return []
        try:
            return times_parse(text)
        except ValueError as error:
            raise forms.ValidationError(str(error)) from error

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return ", ".join(str(v) for v in value)
        return value


def as_buttons(form: forms.BaseForm, *names: str) -> None:
    """Show radio buttons and checkboxes as large buttons (Tabler's select group)."""
    for name in names:
        form.fields[name].widget.attrs["class"] = "form-selectgroup-input"


def _org_people(organization_id: int) -> Any:
    return User.objects.filter(organization_id=organization_id, is_active=True).order_by("name")


class AssigneeFormMixin:
    """One of person / post / team / vendor, chosen by the ``assignee`` radio buttons; the
    other three are emptied, so what the page hides is never saved."""

    fields: dict[str, forms.Field]
    cleaned_data: dict[str, Any]

    def assignee_setup(self, organization_id: int) -> None:
        querysets = {
            "person": _org_people(organization_id),
            "post": Post.objects.filter(organization_id=organization_id).order_by("code"),
            "team": Team.objects.filter(organization_id=organization_id).order_by("name"),
            "vendor": Vendor.objects.filter(organization_id=organization_id, active=True),
        }
        for name, queryset in querysets.items():
            field = self.fields[name]
            field.queryset = queryset  # type: ignore[attr-defined]
            field.required = False
            field.empty_label = "请选择"  # type: ignore[attr-defined]

    def assignee_clean(self) -> None:
        chosen = self.cleaned_data.get("assignee")
        for name in ASSIGNEE_FIELDS:
            if name != chosen:
                self.cleaned_data[name] = None
        if chosen and not self.cleaned_data.get(chosen):
            self.add_error(chosen, f"请选择{ASSIGNEE_NOUNS[chosen]}。")  # type: ignore[attr-defined]


class ScheduleForm(AssigneeFormMixin, OrgModelForm):
    """A schedule: which checklist, by whom, where or on what, and when. The page shows
    only the fields of the chosen frequency and kind of assignee."""

    assignee = forms.ChoiceField(
        label="派给", choices=ASSIGNEE_CHOICES, widget=forms.RadioSelect, initial="person"
    )
    weekdays = forms.TypedMultipleChoiceField(
        label="每周哪几天",
        choices=WEEKDAY_CHOICES,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    times = TimesField(
        label="每天几点开始",
        help_text="一天查几次就写几个时间，用逗号隔开，如 08:00, 14:00。",
    )

    class Meta:
        model = Schedule
        fields = [
            "name",
            "template",
            "kind",
            "person",
            "post",
            "team",
            "vendor",
            "place",
            "place_kind",
            "equipment",
            "frequency",
            "interval",
            "weekdays",
            "month_day",
            "times",
            "days",
            "window_minutes",
            "starts_on",
            "ends_on",
            "active",
        ]
        widgets = {
            "frequency": forms.RadioSelect,
            "days": forms.RadioSelect,
            "starts_on": DATE_INPUT,
            "ends_on": DATE_INPUT,
        }
        labels = {
            "window_minutes": "完成时限（分钟）",
            "interval": "每隔几天",
            "person": "人员",
            "post": "岗位",
            "team": "班组",
            "vendor": "服务商",
            "days": "哪些日子",
        }
        help_texts = {
            "name": "如“1号楼卫生间早班保洁自查”。",
            "place": "查场所时选；选楼宇或楼层，再在下面选“房间”，就逐个检查其中的每个房间。",
            "equipment": "查某台设备时选，这时不选场所。",
            "interval": "从开始日期算起，每隔这么多天查一次。",
            "month_day": "选 31 日时，没有 31 日的月份在最后一天检查。",
            "days": (
                "工作日按“工作日历”：节假日不算，调休上班的周末算。"
                "每月一次的检查遇到不合适的日子顺延。"
            ),
            "window_minutes": (
                "从开始时间算起，多长时间内要做完，如 120 = 2 小时；过时未做记为逾期。"
            ),
            "ends_on": "不填表示一直执行。",
            "active": "停用后不再生成新任务，已生成的任务不受影响。",
        }

    def __init__(self, *args: Any, organization_id: int, **kwargs: Any) -> None:
        super().__init__(*args, organization_id=organization_id, **kwargs)
        self.assignee_setup(organization_id)
        instance = self.instance
        if instance.pk:
            chosen = next((n for n in ASSIGNEE_FIELDS if getattr(instance, f"{n}_id")), "person")
            self.fields["assignee"].initial = chosen
        templates = self.fields["template"]
        templates.queryset = templates.queryset.filter(active=True)  # type: ignore[attr-defined]
        templates.empty_label = "请选择检查表"  # type: ignore[attr-defined]
        places = self.fields["place"]
        places.queryset = Place.objects.filter(  # type: ignore[attr-defined]
            organization_id=organization_id, active=True
        ).order_by("path")
        places.label_from_instance = lambda p: f"{p.code} {p.name}"  # type: ignore[attr-defined]
        equipment = self.fields["equipment"]
        equipment.queryset = Equipment.objects.filter(  # type: ignore[attr-defined]
            organization_id=organization_id
        ).order_by("code")
        equipment.label_from_instance = lambda e: f"{e.code} {e.name}"  # type: ignore[attr-defined]
        self.fields["place_kind"].choices = [("", "（只查所选场所本身）"), *Place.Kind.choices]  # type: ignore[attr-defined]
        for name in ("frequency", "days"):
            field = self.fields[name]
            field.choices = [c for c in field.choices if c[0]]  # type: ignore[attr-defined]
        as_buttons(self, "assignee", "frequency", "weekdays", "days")

    def clean(self) -> dict[str, Any]:
        super().clean()
        self.assignee_clean()
        return self.cleaned_data

    def data_for_service(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in self._meta.fields or ()}


class CalendarDayForm(StyledForm):
    """One day that differs from the usual week."""

    day = forms.DateField(label="日期", widget=DATE_INPUT)
    workday = forms.TypedChoiceField(
        label="这一天",
        choices=[("0", "休息（节假日放假）"), ("1", "上班（调休上班）")],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label="说明", max_length=NOTE_LIMIT, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        as_buttons(self, "workday")


class CalendarImportForm(StyledForm):
    text = forms.CharField(
        label="放假和调休安排",
        widget=forms.Textarea(attrs={"rows": 12, "spellcheck": "false"}),
        help_text="每行一天：日期、“休息”或“上班”、说明（可不写），如“2026-10-01 休息 国庆节”。",
    )


class ReasonForm(StyledForm):
    reason = forms.CharField(label="原因", max_length=200, widget=forms.Textarea(attrs={"rows": 2}))


class TaskMoveForm(ReasonForm):
    opens_at = forms.DateTimeField(label="新的开始时间", widget=DATETIME_INPUT)
    due_at = forms.DateTimeField(label="新的截止时间", widget=DATETIME_INPUT)
    field_order = ["opens_at", "due_at", "reason"]


class TaskReassignForm(AssigneeFormMixin, ReasonForm):
    assignee = forms.ChoiceField(
        label="改派给", choices=ASSIGNEE_CHOICES, widget=forms.RadioSelect, initial="person"
    )
    person = forms.ModelChoiceField(label="人员", queryset=User.objects.none())
    post = forms.ModelChoiceField(label="岗位", queryset=Post.objects.none())
    team = forms.ModelChoiceField(label="班组", queryset=Team.objects.none())
    vendor = forms.ModelChoiceField(label="服务商", queryset=Vendor.objects.none())
    field_order = ["assignee", *ASSIGNEE_FIELDS, "reason"]

    def __init__(self, *args: Any, organization_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.assignee_setup(organization_id)
        as_buttons(self, "assignee")

    def clean(self) -> dict[str, Any]:
        super().clean()
        self.assignee_clean()
        return self.cleaned_data


SIGNATURE_PREFIX = "data:image/png;base64,"
SIGNATURE_MAX_BYTES = 1024 * 1024


class HandoverForm(StyledForm):
    """A shift handover, filled on a phone by the outgoing person; the incoming person signs
    in the box (the page puts the drawing, a PNG, into ``signature``)."""

    shift = forms.CharField(label="班次", max_length=20, required=False)
    place = forms.ModelChoiceField(label="交接地点", queryset=Place.objects.none(), required=False)
    done = forms.CharField(label="本班完成情况", widget=forms.Textarea(attrs={"rows": 3}))
    open_items = forms.CharField(
        label="未完成、需接班处理的事项",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    handed = forms.CharField(
        label="交接的钥匙、设备和物品",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    incoming = forms.TypedChoiceField(label="接班人", coerce=int, choices=())
    signature = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, organization_id: int, actor_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organization_id = organization_id
        place = self.fields["place"]
        place.queryset = Place.objects.filter(  # type: ignore[attr-defined]
            organization_id=organization_id, active=True
        ).order_by("path")
        place.empty_label = "（不填）"  # type: ignore[attr-defined]
        people = [(pk, name) for pk, name in handover_people(organization_id) if pk != actor_id]
        self.fields["incoming"].choices = [("", "请选择接班人"), *people]  # type: ignore[attr-defined]
        self.fields["shift"].widget.attrs["placeholder"] = "如：早班、夜班"

    def clean_incoming(self) -> User:
        pk = self.cleaned_data["incoming"]
        user = User.objects.filter(pk=pk, organization_id=self.organization_id).first()
        if user is None:
            raise forms.ValidationError("请选择接班人。")
        return user

    def clean_signature(self) -> Any:
        """The drawing as a PNG file (None when the box was left empty)."""
        import base64
        import binascii

        from django.core.files.base import ContentFile

        value = self.cleaned_data.get("signature") or ""
        if not value:
            return None
        if not value.startswith(SIGNATURE_PREFIX):
            raise forms.ValidationError("签名没有保存成功，请重新签名。")
        try:
            data = base64.b64decode(value[len(SIGNATURE_PREFIX) :], validate=True)
        except (binascii.Error, ValueError) as error:
            raise forms.ValidationError("签名没有保存成功，请重新签名。") from error
        if len(data) > SIGNATURE_MAX_BYTES:
            raise forms.ValidationError("签名图片太大，请清除后重新签名。")
        return ContentFile(data, name="签名.png")


def handover_people(organization_id: int) -> list[tuple[int, str]]:
    """The active people of the organization, sorted by pinyin."""
    from pypinyin import lazy_pinyin

    rows = User.objects.filter(organization_id=organization_id, is_active=True).values_list(
        "pk", "name", "username"
    )
    people = sorted(rows, key=lambda r: ("".join(lazy_pinyin(r[1])), r[2]))
    return [(pk, name) for pk, name, _ in people]
