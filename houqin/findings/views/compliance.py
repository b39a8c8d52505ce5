"""The compliance view (合规情况): for a department, vendor, place subtree, service line or
standard over a period (this month by default), the figures of tasks, records, findings and
rectification, a heat map of places, and the rows behind every figure."""

from __future__ import annotations

import html
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from houqin.checklists.selectors import assignee_label, subject_label
from houqin.common.decorators import perm_required
from houqin.common.lists import url_for, url_for_pk
from houqin.findings.compliance import (
    FIGURES,
    Scope,
    compliance,
    figure_rows,
    month_bounds,
    scope_for,
)
from houqin.findings.forms import ScopeForm
from houqin.findings.selectors import optional_url
from houqin.findings.views.board import OVERSEE
from houqin.findings.views.findings import severity_badge, status_badges
from houqin.places.models import Place

SCOPE_FIELDS = ("start", "end", "department", "vendor", "place", "service_line", "standard")
PAGE_SIZE = 25
ROW_RELATED = {
    "tasks": ("template", "place", "equipment", "person", "post", "team", "vendor"),
    "records": ("template", "place", "equipment", "inspector"),
    "findings": (
        "place",
        "rectification",
        "rectification__department",
        "rectification__vendor",
        "rectification__person",
    ),
}
ROW_ORDER = {
    "tasks": ("-due_at", "-pk"),
    "records": ("-submitted_at", "-pk"),
    "findings": ("-raised_at", "-pk"),
}


class Period:
    """The scope the request asks for, or this month."""

    def __init__(self, request: HttpRequest) -> None:
        user: Any = request.user
        self.user = user
        start, end = month_bounds(timezone.localdate())
        data = request.GET.copy()
        data.setdefault("start", start.isoformat())
        data.setdefault("end", end.isoformat())
        self.form = ScopeForm(data, organization_id=user.organization_id)
        self.valid = self.form.is_valid()
        values: dict[str, Any] = (
            self.form.cleaned_data if self.valid else {"start": start, "end": end}
        )
        self.values = values
        place = None
        if values.get("place"):
            place = Place.objects.filter(
                pk=values["place"], organization_id=user.organization_id
            ).first()
        self.scope: Scope = scope_for(
            user.organization,
            start=values["start"],
            end=values["end"],
            department=values.get("department"),
            vendor=values.get("vendor"),
            place=place,
            service_line=values.get("service_line") or "",
            standard=values.get("standard"),
        )
        self.place = place

    def query(self, **changes: Any) -> str:
        """The scope as a query string, with some values replaced."""
        params: dict[str, Any] = {}
        for name in SCOPE_FIELDS:
            value = changes.get(name, self.values.get(name))
            if value in (None, ""):
                continue
            params[name] = getattr(value, "pk", value)
        return urlencode(params)

    def words(self) -> str:
        """The scope in words, for headings and notes."""
        values = self.values
        parts = [f"{values['start']:%Y-%m-%d} 至 {values['end']:%Y-%m-%d}"]
        parts.extend(str(values[n]) for n in ("department", "vendor", "standard") if values.get(n))
        if self.place is not None:
            parts.append(f"{self.place.name}（含下级）")
        if values.get("service_line"):
            parts.append(dict(self.form.fields["service_line"].choices)[values["service_line"]])  # type: ignore[attr-defined]
        return "，".join(parts)


def _quick_periods(period: Period) -> list[dict[str, str]]:
    """本月, 上月, 本季度, 本年 with the rest of the scope kept."""
    today = timezone.localdate()
    this_start, this_end = month_bounds(today)
    last_start, last_end = month_bounds(this_start - timedelta(days=1))
    quarter_start = this_start.replace(month=(today.month - 1) // 3 * 3 + 1)
    quarter_end = month_bounds(quarter_start.replace(month=quarter_start.month + 2))[1]
    year_start, year_end = today.replace(month=1, day=1), today.replace(month=12, day=31)
    return [
        {"label": label, "query": period.query(start=start, end=end)}
        for label, start, end in (
            ("本月", this_start, this_end),
            ("上月", last_start, last_end),
            ("本季度", quarter_start, quarter_end),
            ("本年", year_start, year_end),
        )
    ]


@perm_required(OVERSEE)
def compliance_view(request: HttpRequest) -> HttpResponse:
    period = Period(request)
    scope = period.scope
    data = compliance(
        period.user.organization,
        start=scope.start,
        end=scope.end,
        department=period.values.get("department"),
        vendor=period.values.get("vendor"),
        place=period.place,
        service_line=scope.service_line,
        standard=period.values.get("standard"),
        now=scope.now,
    )
    base = url_for("findings:compliance_rows")
    query = period.query()

    def link(figure: str, **changes: Any) -> str:
        scoped = period.query(**changes) if changes else query
        return f"{base}?figure={figure}&{scoped}"

    heat = data["heat"]
    places = [
        {
            **row,
            "findings_url": link("findings", place=row["pk"]),
            "failures_url": link("records_failed", place=row["pk"]),
        }
        for row in heat["places"]
    ]
    context = {
        "form": period.form,
        "words": period.words(),
        "quick": _quick_periods(period),
        "data": data,
        "links": {name: link(name) for name in FIGURES},
        "severities": [
            (FIGURES[f"severity_{v}"].label, n, link(f"severity_{v}"))
            for v, n in data["findings"]["by_severity"].items()
        ],
        "statuses": [
            (FIGURES[f"status_{v}"].label, n, link(f"status_{v}"))
            for v, n in data["findings"]["by_status"].items()
        ],
        "places": places,
        "chart": {
            "places": [row["name"] for row in heat["places"]],
            "buckets": heat["buckets"],
            "cells": heat["cells"],
            "max": heat["max"],
        },
    }
    return render(request, "findings/compliance.html", context)


def _task_row(task: Any) -> str:
    url = optional_url("checklists:task_detail", task.pk)
    name = html.escape(str(task.template))
    first = f'<a href="{html.escape(url)}">{name}</a>' if url else name
    return (
        f'<td class="text-break">{first}</td>'
        f'<td data-label="场所或设备">{html.escape(subject_label(task))}</td>'
        f'<td data-label="执行人">{html.escape(assignee_label(task))}</td>'
        f'<td class="text-nowrap" data-label="截止时间">'
        f"{timezone.localtime(task.due_at):%Y-%m-%d %H:%M}</td>"
        f'<td data-label="状态">{html.escape(task.get_status_display())}</td>'
    )


def _record_row(record: Any) -> str:
    url = optional_url("checklists:record_detail", record.pk)
    name = html.escape(str(record.template))
    first = f'<a href="{html.escape(url)}">{name}</a>' if url else name
    where = record.equipment or record.place
    result = {True: "合格", False: "不合格"}.get(record.passed, "—")
    score = f"{record.score.normalize()}%" if record.score is not None else "—"
    return (
        f'<td class="text-break">{first}</td>'
        f'<td data-label="场所或设备">{html.escape(str(where) if where else "—")}</td>'
        f'<td data-label="检查人">{html.escape(record.inspector.name)}</td>'
        f'<td class="text-nowrap" data-label="提交时间">'
        f"{timezone.localtime(record.submitted_at):%Y-%m-%d %H:%M}</td>"
        f'<td data-label="得分">{score}</td><td data-label="结果">{result}</td>'
    )


def _finding_row(finding: Any, now: Any) -> str:
    url = html.escape(url_for_pk("findings:finding_detail", finding.pk))
    place = html.escape(finding.place.name) if finding.place_id else "—"
    return (
        f'<td class="text-break"><a href="{url}">{html.escape(finding.title)}</a></td>'
        f'<td data-label="严重程度">{severity_badge(finding.severity)}</td>'
        f'<td data-label="场所">{place}</td>'
        f'<td data-label="整改状态">{status_badges(finding.rectification, now)}</td>'
        f'<td class="text-nowrap" data-label="发现时间">'
        f"{timezone.localtime(finding.raised_at):%Y-%m-%d %H:%M}</td>"
    )


HEADS = {
    "tasks": ("检查表", "场所或设备", "执行人", "截止时间", "状态"),
    "records": ("检查表", "场所或设备", "检查人", "提交时间", "得分", "结果"),
    "findings": ("问题", "严重程度", "场所", "整改状态", "发现时间"),
}


@perm_required(OVERSEE)
def compliance_rows(request: HttpRequest) -> HttpResponse:
    """The rows behind one figure of the compliance view (``figure`` and the same scope)."""
    name = request.GET.get("figure", "")
    figure = FIGURES.get(name)
    if figure is None:
        raise Http404
    period = Period(request)
    kind = figure.kind
    rows = (
        figure_rows(period.scope, name)
        .select_related(*ROW_RELATED[kind])
        .order_by(*ROW_ORDER[kind])
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    now = timezone.now()
    render_row = {
        "tasks": _task_row,
        "records": _record_row,
        "findings": lambda r: _finding_row(r, now),
    }[kind]
    html_rows: list[SafeString] = [
        mark_safe(f"<tr>{render_row(row)}</tr>")  # noqa: S308  (escaped above)
        for row in page.object_list
    ]
    context = {
        "figure": figure,
        "words": period.words(),
        "heads": HEADS[kind],
        "rows": html_rows,
        "page": page,
        "back": f"{url_for('findings:compliance')}?{period.query()}",
    }
    return render(request, "findings/compliance_rows.html", context)


urlpatterns = [
    path("compliance/", compliance_view, name="compliance"),
    path("compliance/rows/", compliance_rows, name="compliance_rows"),
]
