"""The ledger of records (检查记录台账): the list with its filters and Excel export, and a
record's page for managers (answers, photos, who, when, where, the change log)."""

from __future__ import annotations

import html
from datetime import date, timedelta
from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.safestring import SafeString, mark_safe

from houqin.checklists import services
from houqin.checklists.models import ChecklistTemplate, InspectionKind, Record
from houqin.checklists.selectors import (
    day_bounds,
    local_minute,
    record_failures,
    record_get,
    record_result,
    record_rows,
    record_sheet,
    record_where,
)
from houqin.common.changelog import changelog_entries
from houqin.common.decorators import perm_required
from houqin.common.filters import OrgFilterSet, org_choices
from houqin.common.forms import StyledForm
from houqin.common.generic import Col, ObjectListView
from houqin.common.lists import url_for_pk
from houqin.places.models import Place

SEE = "checklists.view_record"
KIND_LABELS = dict(InspectionKind.choices)
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
RESULTS = [("passed", "合格"), ("failed", "不合格"), ("na", "全部不适用"), ("draft", "填写中")]


class RecordFilter(OrgFilterSet):
    """The ledger: by checklist, kind, place (and everything under it), result and a range
    of days (of the start)."""

    template = django_filters.ChoiceFilter(
        label="检查表", field_name="template_id", choices=[], empty_label="全部检查表"
    )
    kind = django_filters.ChoiceFilter(
        label="检查类型", choices=InspectionKind.choices, empty_label="全部类型"
    )
    place = django_filters.ChoiceFilter(
        label="场所", choices=[], method="filter_place", empty_label="全部场所"
    )
    result = django_filters.ChoiceFilter(
        label="结果", choices=RESULTS, method="filter_result", empty_label="全部结果"
    )
    date_from = django_filters.DateFilter(label="从", method="filter_from", widget=DATE_WIDGET)
    date_to = django_filters.DateFilter(label="到", method="filter_to", widget=DATE_WIDGET)
    org_choices = {"template": (ChecklistTemplate, "name")}

    class Meta:
        model = Record
        form = StyledForm
        fields = ["template", "kind", "place", "result", "date_from", "date_to"]

    @classmethod
    def choices_for(
        cls, organization_id: int, **options: Any
    ) -> tuple[tuple[str, tuple[tuple[Any, str], ...]], ...]:
        """The checklists and the places of the organization (two light queries)."""
        places = tuple(
            (str(pk), f"{code} {name}")
            for pk, code, name in Place.objects.filter(organization_id=organization_id)
            .order_by("path")
            .values_list("pk", "code", "name")
        )
        return (*org_choices(cls, organization_id), ("place", places))

    def filter_place(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        top = Place.objects.filter(pk=value, organization_id=self.organization_id).first()
        if top is None:
            return queryset.none()
        return queryset.filter(
            Q(place__path__startswith=top.path) | Q(equipment__place__path__startswith=top.path)
        )

    def filter_result(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        submitted = queryset.filter(status=Record.Status.SUBMITTED)
        return {
            "passed": submitted.filter(passed=True),
            "failed": submitted.filter(passed=False),
            "na": submitted.filter(passed__isnull=True),
            "draft": queryset.filter(status=Record.Status.DRAFT),
        }.get(value, queryset.none())

    def filter_from(self, queryset: QuerySet[Any], name: str, value: date) -> QuerySet[Any]:
        return queryset.filter(started_at__gte=day_bounds(value)[0])

    def filter_to(self, queryset: QuerySet[Any], name: str, value: date) -> QuerySet[Any]:
        return queryset.filter(started_at__lt=day_bounds(value + timedelta(days=1))[0])


def _when(row: Record) -> str:
    return local_minute(row.submitted_at or row.started_at)


def _score(row: Record) -> str:
    return f"{row.score.normalize():f}%" if row.score is not None else ""


COLUMNS = [
    Col("时间", _when, "started_at"),
    Col("检查表", lambda r: r.template.name, "template__name"),
    Col("检查类型", lambda r: KIND_LABELS.get(r.kind, r.kind), "kind"),
    Col("场所或设备", record_where),
    Col("检查人", lambda r: r.inspector.name, "inspector__name"),
    Col("结果", record_result, "passed"),
    Col("得分", _score, "score"),
    Col("非任务场所", lambda r: "是" if r.wrong_place else "", "wrong_place"),
]
BADGES = {"合格": "bg-green-lt", "不合格": "bg-red-lt", "填写中": "bg-yellow-lt"}


class RecordListView(ObjectListView):
    """The ledger of records the user may see, newest first."""

    model = Record
    title = "检查记录"
    columns = COLUMNS
    default_sort = "-started_at"
    filterset_class = RecordFilter
    search_fields = ("template__name", "inspector__name", "place__name", "equipment__name")
    search_hint = "检查表、检查人、场所或设备"
    detail_url_name = "checklists:record_detail"
    template_name = "checklists/record_list.html"
    bulk_actions = {}

    filter_columns = {
        "template": "col-12 col-md-3",
        "place": "col-12 col-md-3",
        "date_from": "col-6 col-md-2",
        "date_to": "col-6 col-md-2",
    }

    def get_queryset(self) -> Any:
        return record_rows(user=self.request.user)

    def row_html(self, row: Record, selectable: bool = False) -> SafeString:
        """One row as a string; on a phone a block of labelled lines."""
        url = html.escape(url_for_pk(self.detail_url_name, row.pk))
        result = record_result(row)
        badge = BADGES.get(result, "bg-secondary-lt")
        flag = ' <span class="badge bg-yellow-lt">非任务场所</span>' if row.wrong_place else ""
        cells = [
            f'<td class="text-nowrap"><a href="{url}">{_when(row)}</a></td>',
            f'<td class="text-break" data-label="检查表">{html.escape(row.template.name)}</td>',
            f'<td data-label="检查类型">{KIND_LABELS.get(row.kind, "")}</td>',
            f'<td data-label="场所或设备">{html.escape(record_where(row)) or "—"}</td>',
            f'<td data-label="检查人">{html.escape(row.inspector.name)}</td>',
            f'<td data-label="结果"><span class="badge {badge}">{result}</span>{flag}</td>',
            f'<td class="text-nowrap" data-label="得分">{_score(row) or "—"}</td>',
            f'<td data-label="非任务场所">{"是" if row.wrong_place else "—"}</td>',
        ]
        return mark_safe("<tr>" + "".join(cells) + "</tr>")  # noqa: S308  (escaped above)


record_list = RecordListView.as_view()


@perm_required(SEE)
def record_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """一份检查记录：谁、什么时候、在哪里，每项答案和照片，结果和生成的问题，变更记录。"""
    record = record_get(user=request.user, pk=pk)
    findings = {answer.pk: getattr(answer, "finding", None) for answer in record_failures(record)}
    return render(
        request,
        "checklists/record_detail.html",
        {
            "record": record,
            "entries": [(row, findings.get(row.answer.pk)) for row in record_sheet(record)],
            "verdict": record_result(record),
            "where": record_where(record),
            "method": services.scoring_method(record.template),
            "started": local_minute(record.started_at),
            "submitted": local_minute(record.submitted_at),
            "changelog": changelog_entries(record),
        },
    )


urlpatterns = [
    path("records/", record_list, name="record_list"),
    path("records/<int:pk>/", record_detail, name="record_detail"),
]
