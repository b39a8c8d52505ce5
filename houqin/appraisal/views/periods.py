"""Appraisal periods (考核周期): the list, a new period, a period's page (its steps with
their buttons, the computing progress, the ranking with its chart and Excel export, the
红黑榜, the appeals and, after the freeze, the rows changed since), and two subjects side by
side. The score and appeal pages are in ``scores``."""

from __future__ import annotations

import html
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_POST

from houqin.appraisal import period_services, selectors
from houqin.appraisal.models import Period
from houqin.appraisal.period_forms import CompareForm, PeriodFilter, PeriodForm
from houqin.appraisal.views import periods_parts as parts
from houqin.appraisal.views import scores
from houqin.common.decorators import perm_required
from houqin.common.exports import xlsx_response
from houqin.common.generic import Col, ObjectListView, add_errors
from houqin.common.lists import url_for_pk

VIEW = "appraisal.view_period"
ADD = "appraisal.add_period"
RUN = "appraisal.change_period"
STATUS_BADGES = {
    "draft": "bg-secondary-lt",
    "computed": "bg-blue-lt",
    "published": "bg-yellow-lt",
    "appeal": "bg-orange-lt",
    "final": "bg-green-lt",
}


def status_badge(period: Period) -> str:
    css = STATUS_BADGES.get(period.status, "")
    return f'<span class="badge {css}">{html.escape(period.get_status_display())}</span>'


COLUMNS = [
    Col("周期名称", lambda r: r.name, "name"),
    Col("考核方案", lambda r: r.scheme.name, "scheme__name"),
    Col("周期类型", lambda r: r.get_cadence_display(), "cadence"),
    Col("开始日期", lambda r: r.starts_on, "starts_on"),
    Col("结束日期", lambda r: r.ends_on, "ends_on"),
    Col("状态", lambda r: r.get_status_display(), "status"),
    Col("考核对象数", lambda r: r.total),
]


class PeriodListView(ObjectListView):
    """The periods the user may see, newest first."""

    model = Period
    title = "考核周期"
    columns = COLUMNS
    default_sort = "-starts_on"
    filterset_class = PeriodFilter
    search_fields = ("name", "scheme__name")
    search_hint = "周期或方案名称"
    detail_url_name = "appraisal:period_detail"
    create_url_name = "appraisal:period_create"
    template_name = "appraisal/object_list.html"
    create_label = "新建考核周期"
    noun = "考核周期"
    testid = "period-table"
    empty_icon = "chart-bar"
    reader_empty_text = "标准化办公室开展考核后，考核周期和得分会显示在这里。"
    bulk_actions = {}
    filter_columns = "col-12 col-sm-4 col-lg-2"
    empty_text = "先在“考核方案”中发布一个方案，再新建考核周期并计算得分。"

    def get_queryset(self) -> Any:
        return selectors.periods_for(self.request.user).select_related("scheme")

    def row_html(self, row: Period, selectable: bool = False) -> SafeString:
        url = html.escape(url_for_pk(self.detail_url_name, row.pk))
        cells = [
            f'<td class="text-break"><a href="{url}">{html.escape(row.name)}</a></td>',
            f'<td class="text-break" data-label="考核方案">{html.escape(row.scheme.name)}</td>',
            f'<td data-label="周期类型">{html.escape(row.get_cadence_display())}</td>',
            f'<td class="text-nowrap" data-label="开始日期">{row.starts_on:%Y-%m-%d}</td>',
            f'<td class="text-nowrap" data-label="结束日期">{row.ends_on:%Y-%m-%d}</td>',
            f'<td data-label="状态">{status_badge(row)}</td>',
            f'<td data-label="考核对象数">{row.total or "—"}</td>',
        ]
        return mark_safe("<tr>" + "".join(cells) + "</tr>")  # noqa: S308  (escaped above)


period_list = PeriodListView.as_view()


@perm_required(ADD)
def period_create(request: HttpRequest) -> HttpResponse:
    """新建考核周期: a scheme, the cadence with its dates, the days of publicity."""
    user: Any = request.user
    posted = request.POST if request.method == "POST" else None
    form = PeriodForm(posted, organization_id=user.organization_id, today=timezone.localdate())
    if posted is not None and form.is_valid():
        data = form.cleaned_data
        try:
            period = period_services.period_create(
                scheme=data["scheme"],
                name=data["name"],
                cadence=data["cadence"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                publicity_days=data["publicity_days"],
                actor=user,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, f"已新建考核周期“{period.name}”，可以计算得分了。")
            return redirect("appraisal:period_detail", pk=period.pk)
    context = {"form": form, "cadence_defaults": form.defaults}
    return render(request, "appraisal/period_form.html", context)


@perm_required(VIEW)
def period_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    period = parts.period_get(user, pk)
    ranking = parts.ranking_rows(user, period)
    if request.GET.get("export") == "xlsx":
        return _ranking_export(request, period, ranking)
    context = {
        "period": period,
        "status_badge": mark_safe(status_badge(period)),  # noqa: S308  (escaped)
        "steps": parts.status_steps(period),
        "actions": parts.actions(period, user),
        "progress": parts.progress(period),
        "ranking": ranking,
        "chart": parts.chart(ranking),
        "red_black": parts.red_black_rows(user, period),
        "appeals": parts.appeal_rows(user, period),
        "late": parts.late_rows(user, period),
        "can_compare": len(ranking["rows"]) >= 2,
    }
    return render(request, "appraisal/period_detail.html", context)


def _ranking_export(request: HttpRequest, period: Period, ranking: dict[str, Any]) -> HttpResponse:
    heads = ["名次", "较上期", "考核对象", *ranking["heads"], "加分", "扣分", "总分", "等次"]
    rows = (
        [
            row["rank"] or "",
            row["movement_text"],
            row["subject"],
            *row["points"],
            row["bonus"],
            row["deduction"],
            row["total"],
            row["grade"],
        ]
        for row in ranking["rows"]
    )
    title = f"{period.scheme.name}{period.name}排名"
    return xlsx_response(
        title=title,
        headers=heads,
        rows=rows,
        filter_note=f"{period.starts_on:%Y-%m-%d} 至 {period.ends_on:%Y-%m-%d}",
        filename=f"{title}.xlsx",
        exported_by=getattr(request.user, "name", ""),
    )


@perm_required(VIEW)
def period_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The computing progress as a fragment, polled by the period page while the job runs;
    once it is done the page reloads to show the scores."""
    period = parts.period_get(request.user, pk)
    progress = parts.progress(period)
    response = render(
        request, "appraisal/_period_progress.html", {"period": period, "progress": progress}
    )
    if not progress["running"] and request.GET.get("polling"):
        response["HX-Refresh"] = "true"
    return response


@require_POST
@perm_required(RUN)
def period_step(request: HttpRequest, pk: int) -> HttpResponse:
    """One step of the period (计算, 公示, 结束公示, 定稿) after the page's confirmation."""
    user: Any = request.user
    period = parts.period_get(user, pk, "change")
    name = request.POST.get("name", "")
    if name not in Period.workflow.transitions:
        raise PermissionDenied
    try:
        period_services.period_step(period, name, user, request.POST.get("note", "").strip())
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        label = Period.workflow.transitions[name].label
        messages.success(request, f"“{period.name}”：{label}已完成。")
    return redirect("appraisal:period_detail", pk=period.pk)


@perm_required(VIEW)
def period_compare(request: HttpRequest, pk: int) -> HttpResponse:
    """Two subjects of the period side by side, line by line."""
    user: Any = request.user
    period = parts.period_get(user, pk)
    visible = list(selectors.scores_for(user, period).values_list("pk", "subject_name"))
    subjects = [(str(key), name) for key, name in visible]
    form = CompareForm(request.GET or None, subjects=subjects)
    table = None
    if form.is_bound and form.is_valid():
        table = parts.compare_table(user, period, form.cleaned_data["a"], form.cleaned_data["b"])
    context = {"period": period, "form": form, "table": table}
    return render(request, "appraisal/period_compare.html", context)


urlpatterns: list[URLPattern] = [
    path("periods/", period_list, name="period_list"),
    path("periods/new/", period_create, name="period_create"),
    path("periods/<int:pk>/", period_detail, name="period_detail"),
    path("periods/<int:pk>/progress/", period_progress, name="period_progress"),
    path("periods/<int:pk>/step/", period_step, name="period_step"),
    path("periods/<int:pk>/compare/", period_compare, name="period_compare"),
    *scores.urlpatterns,
]
