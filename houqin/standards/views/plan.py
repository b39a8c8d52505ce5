"""The yearly plan of standards to write, revise and withdraw (标准制修订计划): the list of
plans, a plan with its items in a table and a Gantt chart (slipped items in red), and the
forms to create and change plans and items."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from houqin.common.changelog import changelog_entries
from houqin.common.decorators import perm_required
from houqin.common.generic import add_errors
from houqin.common.lists import url_for_pk
from houqin.standards import selectors_system as selectors
from houqin.standards import services
from houqin.standards.forms_system import PlanForm, PlanItemForm
from houqin.standards.models import PlanItem, StandardPlan
from houqin.standards.selectors_system import ItemRow
from houqin.standards.views.system import STATUS_HTML, optional_row_url, optional_url

VIEW_PLAN = "standards.view_standardplan"
ADD_PLAN = "standards.add_standardplan"
CHANGE_PLAN = "standards.change_standardplan"
DELETE_PLAN = "standards.delete_standardplan"
VIEW_STANDARD = "standards.view_standard"

STATE_COLOURS = {
    selectors.DONE: "green",
    selectors.ACTIVE: "blue",
    selectors.PENDING: "secondary",
    selectors.SLIPPED: "red",
}
ACTION_COLOURS = {"new": "blue", "revise": "purple", "withdraw": "secondary"}


def _today() -> date:
    """The day slippage is measured on (tests replace it)."""
    return timezone.localdate()


def _plan_row(summary: selectors.PlanSummary) -> str:
    plan = summary.plan
    slipped = (
        format_html('<span class="badge bg-red-lt">{} 项已滞后</span>', summary.slipped)
        if summary.slipped
        else "0"
    )
    return format_html(
        '<tr><td class="text-nowrap">{}年</td><td><a href="{}">{}</a></td>'
        '<td data-label="计划项">{}</td><td data-label="已完成">{}</td>'
        '<td data-label="已滞后">{}</td></tr>',
        plan.year,
        url_for_pk("standards:plan_detail", plan.pk),
        plan.title,
        summary.total,
        summary.done,
        slipped,
    )


@perm_required(VIEW_PLAN)
def plan_list(request: HttpRequest) -> HttpResponse:
    """The organization's yearly plans with how far each has come."""
    user: Any = request.user
    summaries = selectors.plan_summaries(user=user, today=_today())
    context = {
        "rows": [_plan_row(s) for s in summaries],
        "can_create": user.has_perm(ADD_PLAN),
    }
    return render(request, "standards/plan_list.html", context)


def _next_free_year(user: Any) -> int:
    taken = set(
        StandardPlan.objects.for_user(user)
        .filter(organization_id=user.organization_id)
        .values_list("year", flat=True)
    )
    year = _today().year
    while year in taken:
        year += 1
    return year


@perm_required(ADD_PLAN)
def plan_create(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    posted = request.POST if request.method == "POST" else None
    form = PlanForm(
        posted,
        organization_id=user.organization_id,
        initial=None if posted else {"year": _next_free_year(user)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_create(
                organization=user.organization, actor=user, data=form.cleaned_data
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, f"已新建“{plan}”，现在可以添加计划项。")
            return redirect("standards:plan_detail", pk=plan.pk)
    context = {"form": form, "plan": None, "cancel_url": reverse("standards:plan_list")}
    return render(request, "standards/plan_form.html", context)


@perm_required(CHANGE_PLAN)
def plan_update(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    plan = selectors.plan_get(user=user, pk=pk, action="change")
    form = PlanForm(
        request.POST if request.method == "POST" else None,
        instance=copy.copy(plan),
        organization_id=user.organization_id,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_update(plan=plan, actor=user, data=form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, "已保存。")
            return redirect("standards:plan_detail", pk=plan.pk)
    context = {
        "form": form,
        "plan": plan,
        "cancel_url": url_for_pk("standards:plan_detail", plan.pk),
    }
    return render(request, "standards/plan_form.html", context)


@require_POST
@perm_required(DELETE_PLAN)
def plan_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    plan = selectors.plan_get(user=user, pk=pk, action="delete")
    try:
        services.plan_delete(plan=plan, actor=user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("standards:plan_detail", pk=plan.pk)
    messages.success(request, f"已删除“{plan}”。")
    return redirect("standards:plan_list")


class ItemRowHtml:
    """A plan item as one table row, built as a string (URLs resolved once per page)."""

    def __init__(self, can_change: bool, can_delete: bool, standard_url: Any) -> None:
        self.can_change = can_change
        self.can_delete = can_delete
        self.standard_url = standard_url

    def _actions(self, item: PlanItem) -> str:
        parts = []
        if self.can_change:
            parts.append(
                format_html(
                    '<a class="btn btn-sm px-3" href="{}">修改</a>',
                    url_for_pk("standards:plan_item_update", item.pk),
                )
            )
        if self.can_delete:
            parts.append(
                format_html(
                    '<button type="button" class="btn btn-sm btn-outline-danger px-3" '
                    'data-bs-toggle="modal" data-bs-target="#delete-item" '
                    'data-confirm-url="{}" data-confirm-title="{}">删除</button>',
                    url_for_pk("standards:plan_item_delete", item.pk),
                    f"删除计划项“{item.title}”？",
                )
            )
        if not parts:
            return ""
        return format_html(
            '<td class="text-nowrap"><div class="btn-list flex-nowrap">{}</div></td>',
            mark_safe("".join(parts)),  # noqa: S308  (each part built by format_html)
        )

    def _standard(self, item: PlanItem) -> str:
        standard = item.standard
        if standard is None:
            return "—"
        text = standard.number or standard.title
        if self.standard_url:
            return format_html('<a href="{}">{}</a>', self.standard_url(standard.pk), text)
        return text

    def render(self, row: ItemRow) -> str:
        item, progress = row.item, row.progress
        slipped = progress.state == selectors.SLIPPED
        late = (
            format_html(
                '<div><span class="badge bg-red-lt" data-testid="late">已滞后 {} 天</span> '
                '<span class="small text-danger">{}</span></div>',
                progress.late_days,
                progress.late_reason,
            )
            if slipped
            else ""
        )
        state = format_html(
            '<span class="badge bg-{}-lt">{}</span>',
            STATE_COLOURS[progress.state],
            selectors.STATE_LABELS[progress.state],
        )
        status = STATUS_HTML[item.standard.status] if item.standard else progress.label
        return format_html(
            '<tr class="{}" data-state="{}"><td data-label="类型"><span class="badge bg-{}-lt">'
            "{}</span></td><td>{}{}</td>"
            '<td data-label="体系节点">{} {}</td><td data-label="负责科室">{}</td>'
            '<td class="text-nowrap" data-label="开始">{}</td>'
            '<td class="text-nowrap" data-label="完成">{}</td>'
            '<td data-label="关联标准">{}</td><td data-label="进度">{} {}</td>{}</tr>',
            "table-danger" if slipped else "",
            progress.state,
            ACTION_COLOURS[item.action],
            item.get_action_display(),
            item.title,
            late,
            item.node.code,
            item.node.name,
            item.owner_department.name,
            item.starts_on.isoformat(),
            item.due_on.isoformat(),
            self._standard(item),
            state,
            status,
            mark_safe(self._actions(item)),  # noqa: S308  (built by format_html)
        )


@perm_required(VIEW_PLAN)
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A plan: its items with their progress, a Gantt chart and the summary of states."""
    user: Any = request.user
    plan = selectors.plan_get(user=user, pk=pk)
    today = _today()
    rows = selectors.plan_items(user=user, plan=plan, today=today)
    own = plan.organization_id == user.organization_id
    can_change = own and user.has_perm(CHANGE_PLAN)
    can_delete = own and user.has_perm(DELETE_PLAN)
    standard_url = (
        optional_row_url("standards:standard_detail") if user.has_perm(VIEW_STANDARD) else None
    )
    html = ItemRowHtml(can_change, can_delete, standard_url)
    context = {
        "plan": plan,
        "today": today,
        "rows": [html.render(r) for r in rows],
        "summary": [
            (state, label, count, STATE_COLOURS[state])
            for state, label, count in selectors.progress_summary(rows)
        ],
        "gantt": selectors.gantt_data(rows, plan, today),
        "can_change": can_change,
        "can_delete_item": can_delete,
        "can_delete": can_delete and not rows,
        "with_actions": can_change or can_delete,
        "export_url": optional_url("standards:plan_export", plan.pk),
        "changelog": changelog_entries(plan),
    }
    return render(request, "standards/plan_detail.html", context)


def _item_form_page(
    request: HttpRequest, form: PlanItemForm, plan: StandardPlan, item: PlanItem | None
) -> HttpResponse:
    context = {
        "form": form,
        "plan": plan,
        "item": item,
        "cancel_url": url_for_pk("standards:plan_detail", plan.pk),
    }
    return render(request, "standards/plan_item_form.html", context)


@perm_required(CHANGE_PLAN)
def plan_item_create(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    plan = selectors.plan_get(user=user, pk=pk, action="change")
    posted = request.POST if request.method == "POST" else None
    today = _today()
    initial = {
        "action": PlanItem.Action.NEW,
        "starts_on": today if today.year == plan.year else date(plan.year, 1, 1),
        "due_on": date(plan.year, 12, 31),
    }
    form = PlanItemForm(posted, organization_id=user.organization_id, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.plan_item_add(plan=plan, actor=user, data=form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, f"已添加计划项“{item.title}”。")
            return redirect("standards:plan_detail", pk=plan.pk)
    return _item_form_page(request, form, plan, None)


@perm_required(CHANGE_PLAN)
def plan_item_update(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    item = selectors.plan_item_get(user=user, pk=pk, action="change")
    form = PlanItemForm(
        request.POST if request.method == "POST" else None,
        instance=copy.copy(item),
        organization_id=user.organization_id,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_item_update(item=item, actor=user, data=form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, f"已保存计划项“{item.title}”。")
            return redirect("standards:plan_detail", pk=item.plan_id)
    return _item_form_page(request, form, item.plan, item)


@require_POST
@perm_required(DELETE_PLAN)
def plan_item_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    item = selectors.plan_item_get(user=user, pk=pk, action="delete")
    try:
        services.plan_item_delete(item=item, actor=user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, f"已删除计划项“{item.title}”。")
    return redirect("standards:plan_detail", pk=item.plan_id)


urlpatterns = [
    path("plans/", plan_list, name="plan_list"),
    path("plans/new/", plan_create, name="plan_create"),
    path("plans/<int:pk>/", plan_detail, name="plan_detail"),
    path("plans/<int:pk>/edit/", plan_update, name="plan_update"),
    path("plans/<int:pk>/delete/", plan_delete, name="plan_delete"),
    path("plans/<int:pk>/items/new/", plan_item_create, name="plan_item_create"),
    path("plans/items/<int:pk>/edit/", plan_item_update, name="plan_item_update"),
    path("plans/items/<int:pk>/delete/", plan_item_delete, name="plan_item_delete"),
]
