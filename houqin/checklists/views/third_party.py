"""Third-party evaluations (第三方评价): entering one outside party's results for a template
on its behalf, and importing many from Excel (a check of every row first, then the
import)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path

from houqin.checklists.draw_forms import ThirdPartyForm, ThirdPartyImportForm
from houqin.checklists.imports import third_party_spec
from houqin.checklists.selectors import template_get
from houqin.checklists.third_party_services import Party, current_items, third_party_record
from houqin.common.decorators import perm_required
from houqin.common.exports import XLSX_TYPE
from houqin.common.generic import add_errors
from houqin.common.imports import column_help, import_run, template_workbook

ENTER = "checklists.change_checklisttemplate"  # the service also asks for doing checks


@perm_required(ENTER)
def third_party_create(request: HttpRequest, pk: int) -> HttpResponse:
    """录入第三方评价：填写评价单位、评价人、日期和每项结论，保存为一份检查记录。"""
    user: Any = request.user
    template = template_get(user=user, pk=pk)
    items = current_items(template)
    posted = request.POST if request.method == "POST" else None
    form = ThirdPartyForm(posted, organization_id=user.organization_id, items=items)
    if posted is not None and form.is_valid():
        data = form.cleaned_data
        party = Party(data["party"], data["evaluator"], data["evaluated_on"], data["reference"])
        try:
            record = third_party_record(
                template=template,
                actor=user,
                party=party,
                cells=form.cells(),
                place=form.place_obj(),
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, f"第三方评价已录入：{party.party}。")
            return redirect("checklists:record_detail", pk=record.pk)
    return render(
        request,
        "checklists/third_party_form.html",
        {"form": form, "template": template, "items": items},
    )


@perm_required(ENTER)
def third_party_import(request: HttpRequest, pk: int) -> HttpResponse:
    """批量导入第三方评价：先检查，列出每个有问题的行；全部无误后再导入。"""
    user: Any = request.user
    template = template_get(user=user, pk=pk)
    spec = third_party_spec(template)
    result = None
    form = ThirdPartyImportForm()
    if request.method == "POST":
        form = ThirdPartyImportForm(request.POST, request.FILES)
        if form.is_valid():
            result = import_run(
                spec=spec,
                organization=user.organization,
                file=form.cleaned_data["file"],
                actor=user,
                dry_run="apply" not in request.POST,
            )
            if result.applied:
                messages.success(request, f"已导入 {result.created} 份第三方评价。")
                return redirect("checklists:template_detail", pk=template.pk)
    return render(
        request,
        "checklists/third_party_import.html",
        {
            "form": form,
            "template": template,
            "result": result,
            "columns": [(c.header, column_help(c)) for c in spec.columns],
        },
    )


@perm_required(ENTER)
def third_party_template(request: HttpRequest, pk: int) -> HttpResponse:
    template = template_get(user=request.user, pk=pk)
    response = HttpResponse(template_workbook(third_party_spec(template)), content_type=XLSX_TYPE)
    name = quote(f"第三方评价导入模板-{template.name}.xlsx")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{name}"
    return response


urlpatterns = [
    path("templates/<int:pk>/third-party/", third_party_create, name="third_party_create"),
    path("templates/<int:pk>/third-party/import/", third_party_import, name="third_party_import"),
    path(
        "templates/<int:pk>/third-party/template/",
        third_party_template,
        name="third_party_template",
    ),
]
