"""The yearly self-evaluation (自我评价): the list, drafting a year's evaluation from
Houqin's data, its page (the texts to edit, the figures as tables, the findings trend as a
chart), refreshing the figures and the Word export."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from houqin.appraisal import selfeval_services
from houqin.appraisal.circular_documents import PARTS, figure_tables
from houqin.appraisal.models import SelfEvaluation
from houqin.common.changelog import changelog_entries
from houqin.common.decorators import perm_required
from houqin.common.exports import DOCX_TYPE
from houqin.common.forms import StyledForm, StyledModelForm
from houqin.common.generic import Col, ObjectListView, add_errors

VIEW = "appraisal.view_selfevaluation"
ADD = selfeval_services.DRAFT
EDIT = selfeval_services.EDIT


class SelfEvaluationListView(ObjectListView):
    """The organization's self-evaluations, one per year."""

    model = SelfEvaluation
    title = "自我评价"
    columns = [
        Col("年度", lambda r: r.year, "year"),
        Col("标题", lambda r: r.title, "title"),
        Col("取数时间", lambda r: timezone.localtime(r.figures_at), "figures_at"),
        Col("最后修改", lambda r: timezone.localtime(r.updated_at), "updated_at"),
    ]
    default_sort = "-year"
    detail_url_name = "appraisal:selfeval_detail"
    create_url_name = "appraisal:selfeval_create"
    empty_text = "点“新建”选择年度，系统按全年的标准、检查和整改数据起草自我评价。"

    def get_queryset(self) -> Any:
        return selfeval_services.selfeval_rows(user=self.request.user)


selfeval_list = SelfEvaluationListView.as_view()


class YearForm(StyledForm):
    year = forms.IntegerField(label="年度", min_value=2000, help_text="评价这一年的标准化工作。")


@perm_required(ADD)
def selfeval_create(request: HttpRequest) -> HttpResponse:
    """起草自我评价：选择年度，系统取数并生成各部分文字。"""
    user: Any = request.user
    form = YearForm(
        request.POST if request.method == "POST" else None,
        initial={"year": selfeval_services.default_year(timezone.localdate())},
    )
    if request.method == "POST" and form.is_valid():
        try:
            evaluation = selfeval_services.selfeval_draft(
                organization=user.organization, actor=user, year=form.cleaned_data["year"]
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, "已起草自我评价，请核对数字并修改文字。")
            return redirect("appraisal:selfeval_detail", pk=evaluation.pk)
    context = {
        "form": form,
        "title": "起草自我评价",
        "cancel_url": reverse("appraisal:selfeval_list"),
    }
    return render(request, "common/object_form.html", context)


class SelfEvaluationForm(StyledModelForm):
    class Meta:
        model = SelfEvaluation
        fields = list(selfeval_services.TEXTS)
        widgets = {
            name: forms.Textarea(attrs={"rows": 6})
            for name in selfeval_services.TEXTS
            if name != "title"
        }


@perm_required(VIEW)
def selfeval_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The evaluation's page: each part's text (a form for those who edit), its figures as
    tables and the monthly findings chart with its table."""
    user: Any = request.user
    evaluation = selfeval_services.selfeval_get(user=user, pk=pk)
    can_edit = user.has_perm(EDIT) and evaluation.organization_id == user.organization_id
    form = None
    if can_edit:
        form = SelfEvaluationForm(
            request.POST if request.method == "POST" else None, instance=evaluation
        )
        if request.method == "POST" and form.is_valid():
            try:
                selfeval_services.selfeval_update(
                    evaluation=evaluation, actor=user, data=form.cleaned_data
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, "自我评价已保存。")
                return redirect("appraisal:selfeval_detail", pk=evaluation.pk)
    elif request.method == "POST":
        messages.error(request, "你没有修改自我评价的权限。")
        return redirect("appraisal:selfeval_detail", pk=evaluation.pk)
    tables = figure_tables(evaluation.figures)
    parts = [
        (heading, getattr(evaluation, name), tables.get(name), name == "effects")
        for name, heading in PARTS
    ]
    context = {
        "evaluation": evaluation,
        "parts": parts,
        "form": form,
        "can_edit": can_edit,
        "chart": selfeval_services.trend_chart(evaluation.figures),
        "changelog": changelog_entries(evaluation),
    }
    return render(request, "appraisal/selfeval_detail.html", context)


@require_POST
@perm_required(EDIT)
def selfeval_refresh(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    evaluation = selfeval_services.selfeval_get(user=user, pk=pk, action="change")
    selfeval_services.selfeval_refresh(evaluation=evaluation, actor=user)
    messages.success(request, "已按当前数据更新数字和图表，文字未改动，请核对。")
    return redirect("appraisal:selfeval_detail", pk=evaluation.pk)


@perm_required(VIEW)
def selfeval_word(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = selfeval_services.selfeval_get(user=request.user, pk=pk)
    from houqin.appraisal.circular_documents import selfeval_docx

    response = HttpResponse(selfeval_docx(evaluation), content_type=DOCX_TYPE)
    name = quote(f"{evaluation.title}.docx")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{name}"
    return response


urlpatterns = [
    path("self-evaluations/", selfeval_list, name="selfeval_list"),
    path("self-evaluations/new/", selfeval_create, name="selfeval_create"),
    path("self-evaluations/<int:pk>/", selfeval_detail, name="selfeval_detail"),
    path("self-evaluations/<int:pk>/refresh/", selfeval_refresh, name="selfeval_refresh"),
    path("self-evaluations/<int:pk>/word/", selfeval_word, name="selfeval_word"),
]
