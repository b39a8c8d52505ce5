"""Checklist template pages: the list (filter, search, sort, Excel export), a template's
page (its items in order with their citations, how a record is scored, the change log) and
the form of a template's own fields."""

from __future__ import annotations

import copy
import html
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import localtime

from houqin.accounts.models import User
from houqin.checklists import services
from houqin.checklists.filters import TemplateFilter
from houqin.checklists.forms import TemplateForm
from houqin.checklists.models import ChecklistTemplate, InspectionKind
from houqin.checklists.selectors import template_get, template_items, template_rows
from houqin.common.changelog import changelog_entries
from houqin.common.decorators import perm_required
from houqin.common.generic import Col, ObjectListView, add_errors
from houqin.common.lists import url_for_pk
from houqin.org.models import ServiceLine

VIEW = "checklists.view_checklisttemplate"
ADD = "checklists.add_checklisttemplate"
CHANGE = "checklists.change_checklisttemplate"

KIND_LABELS = dict(InspectionKind.choices)
LINE_LABELS = dict(ServiceLine.choices)


def _actor(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _day(row: ChecklistTemplate) -> str:
    return f"{localtime(row.updated_at):%Y-%m-%d}"


COLUMNS = [
    Col("检查表名称", lambda r: r.name, "name"),
    Col("检查类型", lambda r: KIND_LABELS.get(r.kind, r.kind), "kind"),
    Col("服务条线", lambda r: LINE_LABELS.get(r.service_line, r.service_line), "service_line"),
    Col("负责科室", lambda r: r.department.name if r.department_id else "", "department__name"),
    Col("检查项", lambda r: r.item_count, "item_count"),
    Col("状态", lambda r: "在用" if r.active else "停用", "active"),
    Col("最后修改", _day, "updated_at"),
]


class TemplateListView(ObjectListView):
    """The organization's checklist templates."""

    model = ChecklistTemplate
    title = "检查表"
    columns = COLUMNS
    default_sort = "name"
    filterset_class = TemplateFilter
    search_fields = ("name", "description")
    search_hint = "检查表名称或说明"
    detail_url_name = "checklists:template_detail"
    create_url_name = "checklists:template_create"
    empty_text = (
        "检查表列出要检查的事项。新建一张检查表，再从现行标准中勾选条款生成检查项，"
        "或者自己编写检查项。"
    )
    template_name = "checklists/template_list.html"
    bulk_actions = {}

    filter_columns = "col-6 col-md-2"

    def get_queryset(self) -> Any:
        return template_rows(user=self.request.user)

    def row_html(self, row: ChecklistTemplate, selectable: bool = False) -> SafeString:
        """One row as a string; on a phone a block of labelled lines."""
        url = html.escape(url_for_pk(self.detail_url_name, row.pk))
        badges = ""
        if not row.active:
            badges += ' <span class="badge bg-secondary-lt">停用</span>'
        changed = getattr(row, "changed_count", 0)
        if changed:
            badges += f' <span class="badge bg-yellow-lt">{changed} 项条款已变化</span>'
        department = html.escape(row.department.name) if row.department_id else "—"
        cells = [
            f'<td class="text-break"><a href="{url}">{html.escape(row.name)}</a>{badges}</td>',
            f'<td data-label="检查类型">{KIND_LABELS.get(row.kind, "")}</td>',
            f'<td data-label="服务条线">{LINE_LABELS.get(row.service_line, "")}</td>',
            f'<td data-label="负责科室">{department}</td>',
            f'<td data-label="检查项">{row.item_count}</td>',  # type: ignore[attr-defined]
            f'<td data-label="状态">{"在用" if row.active else "停用"}</td>',
            f'<td class="text-nowrap" data-label="最后修改">{_day(row)}</td>',
        ]
        return mark_safe("<tr>" + "".join(cells) + "</tr>")  # noqa: S308  (escaped above)


template_list = TemplateListView.as_view()


@perm_required(VIEW)
def template_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _actor(request)
    template = template_get(user=user, pk=pk)
    rows = template_items(template)
    context = {
        "template": template,
        "rows": rows,
        "changed": sum(1 for r in rows if r.item.clause_changed),
        "method": services.scoring_method(template),
        "changelog": changelog_entries(template),
        "can_change": user.has_perm(CHANGE),
    }
    return render(request, "checklists/template_detail.html", context)


def _render_form(
    request: HttpRequest, form: TemplateForm, template: ChecklistTemplate | None
) -> HttpResponse:
    cancel = (
        url_for_pk("checklists:template_detail", template.pk)
        if template
        else reverse("checklists:template_list")
    )
    return render(
        request,
        "checklists/template_form.html",
        {"form": form, "template": template, "cancel_url": cancel},
    )


@perm_required(ADD)
def template_create(request: HttpRequest) -> HttpResponse:
    user = _actor(request)
    posted = request.POST if request.method == "POST" else None
    initial = {"owner": user.pk, "department": user.department_id}
    form = TemplateForm(posted, initial=initial, organization_id=user.organization_id)
    if posted is not None and form.is_valid():
        try:
            template = services.template_create(
                organization=user.organization, actor=user, data=form.cleaned_data
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, f"已新建检查表“{template}”，现在可以从标准条款添加检查项。")
            return redirect("checklists:template_detail", pk=template.pk)
    return _render_form(request, form, None)


@perm_required(CHANGE)
def template_update(request: HttpRequest, pk: int) -> HttpResponse:
    user = _actor(request)
    template = template_get(user=user, pk=pk, action="change")
    posted = request.POST if request.method == "POST" else None
    form = TemplateForm(posted, instance=copy.copy(template), organization_id=user.organization_id)
    if posted is not None and form.is_valid():
        try:
            services.template_update(template=template, actor=user, data=form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, "已保存。")
            return redirect("checklists:template_detail", pk=template.pk)
    return _render_form(request, form, template)


urlpatterns = [
    path("templates/", template_list, name="template_list"),
    path("templates/new/", template_create, name="template_create"),
    path("templates/<int:pk>/", template_detail, name="template_detail"),
    path("templates/<int:pk>/edit/", template_update, name="template_update"),
]
