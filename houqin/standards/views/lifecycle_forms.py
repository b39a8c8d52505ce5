"""Forms of the lifecycle pages. They check the shape of the input; the services in
``houqin.standards.lifecycle`` check the rules and their errors go on the same fields."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms

from houqin.accounts.models import User
from houqin.common.forms import DATE_INPUT, StyledForm
from houqin.org.models import Department, ServedUnit
from houqin.standards.models import Comment, PeriodicReview, ReviewMeeting

CHECKBOXES = forms.CheckboxSelectMultiple


class ChoiceForm(StyledForm):
    """Radio buttons drawn as Tabler select groups, asking to "选择" when left empty."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for form_field in self.fields.values():
            if isinstance(form_field.widget, forms.RadioSelect) and not isinstance(
                form_field.widget, forms.CheckboxSelectMultiple
            ):
                form_field.widget.attrs["class"] = "form-selectgroup-input"
                form_field.error_messages["required"] = f"请选择{form_field.label}。"


def people_choices(organization_id: int) -> list[tuple[int, str]]:
    """Active people of the organization (not the three administrators), sorted by pinyin,
    each with their department: "王科长（物业管理科）"."""
    from pypinyin import lazy_pinyin

    rows = (
        User.objects.filter(organization_id=organization_id, is_active=True)
        .exclude(memberships__is_admin_role=True)
        .values_list("pk", "name", "username", "department__name")
        .distinct()
    )
    people = sorted(rows, key=lambda r: ("".join(lazy_pinyin(r[1])), r[2]))
    return [(pk, f"{name}（{dept}）" if dept else name) for pk, name, _, dept in people]


class ConsultationForm(StyledForm):
    deadline = forms.DateField(label="截止日期", widget=DATE_INPUT)
    departments = forms.ModelMultipleChoiceField(
        label="科室", queryset=Department.objects.none(), required=False, widget=CHECKBOXES
    )
    served_units = forms.ModelMultipleChoiceField(
        label="服务单位",
        queryset=ServedUnit.objects.none(),
        required=False,
        widget=CHECKBOXES,
        help_text="单位中可申请服务的人员都会收到征求意见稿。",
    )
    people = forms.TypedMultipleChoiceField(
        label="人员", coerce=int, required=False, widget=CHECKBOXES
    )
    message = forms.CharField(
        label="征求意见说明",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, organization_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organization_id = organization_id
        self.fields["departments"].queryset = Department.objects.filter(  # type: ignore[attr-defined]
            organization_id=organization_id
        ).order_by("code")
        self.fields["served_units"].queryset = ServedUnit.objects.filter(  # type: ignore[attr-defined]
            organization_id=organization_id
        ).order_by("body", "code")
        self.fields["people"].choices = people_choices(organization_id)  # type: ignore[attr-defined]

    def clean_people(self) -> list[User]:
        ids = self.cleaned_data.get("people") or []
        return list(User.objects.filter(organization_id=self.organization_id, pk__in=ids))

    @staticmethod
    def initial_for(title: str, today: date) -> dict[str, Any]:
        return {
            "deadline": today + timedelta(days=14),
            "message": f"现将《{title}》征求意见稿发给你们，请逐条提出修改意见，"
            "意见请写在对应条款下。",
        }


class CommentForm(StyledForm):
    clause = forms.ChoiceField(label="针对的条款", required=False)
    text = forms.CharField(
        label="意见内容",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4, "placeholder": "写明建议怎样改，以及理由。"}),
    )

    def __init__(self, *args: Any, clause_choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["clause"].choices = [("", "总体意见（不针对某一条）"), *clause_choices]  # type: ignore[attr-defined]


ANSWER_CHOICES = [(v, label) for v, label in Comment.Disposition.choices if v != "pending"]


class AnswerForm(ChoiceForm):
    disposition = forms.ChoiceField(
        label="处理结果", choices=ANSWER_CHOICES, widget=forms.RadioSelect
    )
    reply = forms.CharField(
        label="处理说明",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReviewMeetingForm(ChoiceForm):
    held_on = forms.DateField(label="审查日期", widget=DATE_INPUT)
    reviewers = forms.CharField(
        label="审查人员",
        max_length=300,
        help_text="参加审查会的人员，用顿号分开，如：张领导、李标准、王科长。",
    )
    conclusion = forms.ChoiceField(
        label="审查结论", choices=ReviewMeeting.Conclusion.choices, widget=forms.RadioSelect
    )
    conditions = forms.CharField(
        label="修改意见或条件",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="“修改后通过”写明须修改的内容；“不通过”写明理由，草案将退回起草。",
    )


class ApproveForm(StyledForm):
    number = forms.CharField(label="标准编号", max_length=60)
    published_on = forms.DateField(label="发布日期", widget=DATE_INPUT)
    effective_on = forms.DateField(
        label="实施日期",
        widget=DATE_INPUT,
        help_text="到实施日期系统自动开始实施；填今天则批准后立即实施。",
    )


class PeriodicDecisionForm(ChoiceForm):
    conclusion = forms.ChoiceField(
        label="复审结论", choices=PeriodicReview.Conclusion.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label="复审意见",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="修订或废止时必填：写明理由。",
    )
