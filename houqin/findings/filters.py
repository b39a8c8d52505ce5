"""Filter sets of the findings pages (and of the export of what is filtered)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone

from houqin.checklists.models import Severity
from houqin.checklists.selectors import day_bounds
from houqin.common.filters import OrgFilterSet, org_choices
from houqin.common.forms import StyledForm
from houqin.findings.models import Finding, Rectification, SupervisionOrder
from houqin.org.models import Department, Vendor
from houqin.places.models import Place

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
OPEN_CHOICE = ("open", "未关闭")
OPEN = (Rectification.Status.ASSIGNED, Rectification.Status.RETURNED)


def place_choices(organization_id: int) -> tuple[tuple[str, str], ...]:
    """The organization's places in tree order, “R-101 一楼卫生间” (one light query)."""
    rows = (
        Place.objects.filter(organization_id=organization_id)
        .order_by("path")
        .values_list("pk", "code", "name")
    )
    return tuple((str(pk), f"{code} {name}") for pk, code, name in rows)


def in_place(queryset: QuerySet[Any], organization_id: int, value: Any, prefix: str = "") -> Any:
    """Rows at a place or anywhere under it (its subtree, by the tree path)."""
    top = Place.objects.filter(pk=value, organization_id=organization_id).first()
    if top is None:
        return queryset.none()
    return queryset.filter(
        Q(**{f"{prefix}place__path__startswith": top.path})
        | Q(**{f"{prefix}equipment__place__path__startswith": top.path})
    )


class FindingFilter(OrgFilterSet):
    """The findings list: the state of the rectification, severity, who answers for it,
    where (a place and everything under it), when it was raised, repeats, overdue."""

    status = django_filters.ChoiceFilter(
        label="整改状态",
        choices=[OPEN_CHOICE, *Rectification.Status.choices],
        method="filter_status",
        empty_label="全部状态",
    )
    severity = django_filters.ChoiceFilter(
        label="严重程度", choices=Severity.choices, empty_label="全部程度"
    )
    department = django_filters.ChoiceFilter(
        label="责任科室",
        field_name="rectification__department_id",
        choices=[],
        empty_label="全部科室",
    )
    vendor = django_filters.ChoiceFilter(
        label="责任服务商",
        field_name="rectification__vendor_id",
        choices=[],
        empty_label="全部服务商",
    )
    place = django_filters.ChoiceFilter(
        label="场所", choices=[], method="filter_place", empty_label="全部场所"
    )
    date_from = django_filters.DateFilter(
        label="发现日期从", method="filter_from", widget=DATE_WIDGET
    )
    date_to = django_filters.DateFilter(label="到", method="filter_to", widget=DATE_WIDGET)
    repeat = django_filters.ChoiceFilter(
        label="重复发生",
        choices=[("1", "只看重复发生")],
        method="filter_repeat",
        empty_label="不限",
    )
    overdue = django_filters.ChoiceFilter(
        label="逾期", choices=[("1", "只看逾期")], method="filter_overdue", empty_label="不限"
    )
    org_choices = {"department": (Department, "name"), "vendor": (Vendor, "name")}

    class Meta:
        model = Finding
        form = StyledForm
        fields = [
            "status",
            "severity",
            "department",
            "vendor",
            "place",
            "date_from",
            "date_to",
            "repeat",
            "overdue",
        ]

    @classmethod
    def choices_for(
        cls, organization_id: int, **options: Any
    ) -> tuple[tuple[str, tuple[tuple[Any, str], ...]], ...]:
        """The departments, vendors and places of the organization (three light queries)."""
        return (*org_choices(cls, organization_id), ("place", place_choices(organization_id)))

    def filter_status(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        if value == OPEN_CHOICE[0]:
            return queryset.exclude(rectification__status=Rectification.Status.CLOSED)
        return queryset.filter(rectification__status=value)

    def filter_place(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return in_place(queryset, self.organization_id, value)

    def filter_from(self, queryset: QuerySet[Any], name: str, value: date) -> QuerySet[Any]:
        return queryset.filter(raised_at__gte=day_bounds(value)[0])

    def filter_to(self, queryset: QuerySet[Any], name: str, value: date) -> QuerySet[Any]:
        return queryset.filter(raised_at__lt=day_bounds(value + timedelta(days=1))[0])

    def filter_repeat(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(repeat_of__isnull=False)

    def filter_overdue(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(
            rectification__status__in=OPEN, rectification__deadline__lt=timezone.now()
        )


class OrderFilter(OrgFilterSet):
    """The supervision orders: by state, recipient and year."""

    status = django_filters.ChoiceFilter(
        label="状态", choices=SupervisionOrder.Status.choices, empty_label="全部状态"
    )
    department = django_filters.ChoiceFilter(
        label="主送科室", field_name="department_id", choices=[], empty_label="全部科室"
    )
    vendor = django_filters.ChoiceFilter(
        label="主送服务商", field_name="vendor_id", choices=[], empty_label="全部服务商"
    )
    org_choices = {"department": (Department, "name"), "vendor": (Vendor, "name")}

    class Meta:
        model = SupervisionOrder
        form = StyledForm
        fields = ["status", "department", "vendor"]
