"""Circulars (通报): the list, drafting one from a frozen period, a circular's page (the
text as printed; a draft is edited there), publishing it, its Word document, print page and
PDF."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from houqin.appraisal import circular_services
from houqin.appraisal.circular_documents import circular_print_context
from houqin.appraisal.models import Circular, Period
from houqin.common.changelog import changelog_entries
from houqin.common.decorators import perm_required
from houqin.common.exports import DOCX_TYPE
from houqin.common.forms import StyledForm, StyledModelForm
from houqin.common.generic import Col, ObjectListView, add_errors

VIEW = circular_services.VIEW_CIRCULAR
ADD = circular_services.DRAFT_CIRCULAR
EDIT = "appraisal.change_circular"


class CircularListView(ObjectListView):
    """Circulars, newest first; drafts only for those who edit them."""

    model = Circular
    title = "通报"
    columns = [
        Col("标题", lambda r: r.title, "title"),
        Col("发文字号", lambda r: r.reference, "reference"),
        Col("考核周期", lambda r: str(r.period)),
        Col("状态", lambda r: r.get_status_display(), "status"),
        Col("成文日期", lambda r: r.dated, "dated"),
    ]
    default_sort = "-dated"
    search_fields = ("title", "reference")
    search_hint = "标题或发文字号"
    detail_url_name = "appraisal:circular_detail"
    create_url_name = "appraisal:circular_create"
    empty_text = "考核周期定稿后，点“新建”选择周期，系统按得分起草通报。"

    def get_queryset(self) -> Any:
        return circular_services.circular_rows(user=self.request.user)


circular_list = CircularListView.as_view()


class DraftForm(StyledForm):
    period = forms.ModelChoiceField(
        label="考核周期",
        queryset=Period.objects.none(),
        empty_label="请选择已定稿的考核周期",
        help_text="只列出已定稿的考核周期。",
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["period"]
        field.queryset = circular_services.final_periods(user=user)


@perm_required(ADD)
def circular_create(request: HttpRequest) -> HttpResponse:
    """起草通报：选择已定稿的考核周期，按得分生成草稿。"""
    user: Any = request.user
    form = DraftForm(request.POST if request.method == "POST" else None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            circular = circular_services.circular_draft(
                period=form.cleaned_data["period"], actor=user
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, "已起草通报，请核对修改后发布。")
            return redirect("appraisal:circular_detail", pk=circular.pk)
    context = {"form": form, "title": "起草通报", "cancel_url": reverse("appraisal:circular_list")}
    return render(request, "common/object_form.html", context)


class CircularForm(StyledModelForm):
    class Meta:
        model = Circular
        fields = [
            "title",
            "recipients",
            "body",
            "praised",
            "criticized",
            "requirements",
            "signer",
            "dated",
        ]
        widgets = {
            "body": forms.Textarea(attrs={"rows": 8}),
            "praised": forms.Textarea(attrs={"rows": 4}),
            "criticized": forms.Textarea(attrs={"rows": 4}),
            "requirements": forms.Textarea(attrs={"rows": 6}),
            "dated": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {
            "body": "以“一、”“二、”开头的一行是小标题；表扬、批评名单和工作要求"
            "依次编号附在正文后。",
            "praised": "每行一个。",
            "criticized": "每行一个；没有时留空。",
        }


@perm_required(VIEW)
def circular_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The circular as it prints; a draft's text is edited here (POST saves it)."""
    user: Any = request.user
    circular = circular_services.circular_get(user=user, pk=pk)
    editable = (
        circular.status == Circular.Status.DRAFT
        and user.has_perm(EDIT)
        and circular.organization_id == user.organization_id
    )
    form = None
    if editable:
        form = CircularForm(request.POST if request.method == "POST" else None, instance=circular)
        if request.method == "POST" and form.is_valid():
            try:
                circular = circular_services.circular_update(
                    circular=circular, actor=user, data=form.cleaned_data
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, "通报已保存。")
                return redirect("appraisal:circular_detail", pk=circular.pk)
    elif request.method == "POST":
        messages.error(request, "通报已发布，内容不能再修改。")
        return redirect("appraisal:circular_detail", pk=circular.pk)
    context = {
        **circular_print_context(circular),
        "form": form,
        "can_publish": editable,
        "changelog": changelog_entries(circular),
    }
    return render(request, "appraisal/circular_detail.html", context)


@require_POST
@perm_required(EDIT)
def circular_publish(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    circular = circular_services.circular_get(user=user, pk=pk, action="change")
    try:
        circular_services.circular_publish(circular=circular, actor=user)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, f"通报已发布（{circular.reference}），已通知相关人员。")
    return redirect("appraisal:circular_detail", pk=circular.pk)


def _filename(circular: Circular, suffix: str) -> str:
    return f"attachment; filename*=UTF-8''{quote(circular.title + suffix)}"


@perm_required(VIEW)
def circular_word(request: HttpRequest, pk: int) -> HttpResponse:
    circular = circular_services.circular_get(user=request.user, pk=pk)
    from houqin.appraisal.circular_documents import circular_docx

    response = HttpResponse(circular_docx(circular), content_type=DOCX_TYPE)
    response["Content-Disposition"] = _filename(circular, ".docx")
    return response


@perm_required(VIEW)
def circular_print(request: HttpRequest, pk: int) -> HttpResponse:
    """The circular laid out as the printed document, for the browser's print dialog."""
    circular = circular_services.circular_get(user=request.user, pk=pk)
    return render(request, "appraisal/circular_print.html", circular_print_context(circular))


@perm_required(VIEW)
def circular_pdf_download(request: HttpRequest, pk: int) -> HttpResponse:
    circular = circular_services.circular_get(user=request.user, pk=pk)
    from houqin.appraisal.circular_documents import circular_pdf

    response = HttpResponse(
        circular_pdf(circular_print_context(circular)), content_type="application/pdf"
    )
    response["Content-Disposition"] = _filename(circular, ".pdf")
    return response


urlpatterns = [
    path("circulars/", circular_list, name="circular_list"),
    path("circulars/new/", circular_create, name="circular_create"),
    path("circulars/<int:pk>/", circular_detail, name="circular_detail"),
    path("circulars/<int:pk>/publish/", circular_publish, name="circular_publish"),
    path("circulars/<int:pk>/word/", circular_word, name="circular_word"),
    path("circulars/<int:pk>/print/", circular_print, name="circular_print"),
    path("circulars/<int:pk>/pdf/", circular_pdf_download, name="circular_pdf"),
]
