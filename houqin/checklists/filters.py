"""Filter sets of the checklist pages (and of the export of what is filtered)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet

from houqin.accounts.models import User
from houqin.checklists.models import ChecklistTemplate, InspectionKind, Task
from houqin.checklists.selectors import day_bounds
from houqin.common.filters import OrgFilterSet, org_choices
from houqin.common.forms import StyledForm
from houqin.org.models import Department, Post, ServiceLine, Team, Vendor
from houqin.places.models import Place


class TemplateFilter(OrgFilterSet):
    kind = django_filters.ChoiceFilter(
        label="检查类型", choices=InspectionKind.choices, empty_label="全部类型"
    )
    service_line = django_filters.ChoiceFilter(
        label="服务条线", choices=ServiceLine.choices, empty_label="全部条线"
    )
    department = django_filters.ChoiceFilter(
        label="负责科室", field_name="department_id", choices=[], empty_label="全部科室"
    )
    active = django_filters.ChoiceFilter(
        label="状态",
        choices=[("1", "在用"), ("0", "停用")],
        method="filter_active",
        empty_label="全部状态",
    )
    org_choices = {"department": (Department, "name")}

    class Meta:
        model = ChecklistTemplate
        form = StyledForm
        fields = ["kind", "service_line", "department", "active"]

    def filter_active(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(active=value == "1")


ASSIGNEE_PREFIXES = {"u": "person_id", "p": "post_id", "t": "team_id", "v": "vendor_id"}
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class TaskFilter(OrgFilterSet):
    """The managers' task list: by status, kind, checklist, a range of days (of the opening
    time), who does it (a person, post, team or vendor) and where (a place and everything
    under it)."""

    status = django_filters.ChoiceFilter(
        label="状态", choices=Task.Status.choices, empty_label="全部状态"
    )
    kind = django_filters.ChoiceFilter(
        label="检查类型", choices=InspectionKind.choices, empty_label="全部类型"
    )
    template = django_filters.ChoiceFilter(
        label="检查表", field_name="template_id", choices=[], empty_label="全部检查表"
    )
    date_from = django_filters.DateFilter(label="从", method="filter_from", widget=DATE_WIDGET)
    date_to = django_filters.DateFilter(label="到", method="filter_to", widget=DATE_WIDGET)
    assignee = django_filters.ChoiceFilter(
        label="执行人", choices=[], method="filter_assignee", empty_label="全部执行人"
    )
    place = django_filters.ChoiceFilter(
        label="场所", choices=[], method="filter_place", empty_label="全部场所"
    )
    org_choices = {"template": (ChecklistTemplate, "name")}

    class Meta:
        model = Task
        form = StyledForm
        fields = ["status", "kind", "template", "date_from", "date_to", "assignee", "place"]

    @classmethod
    def choices_for(
        cls, organization_id: int, **options: Any
    ) -> tuple[tuple[str, tuple[tuple[Any, str], ...]], ...]:
        """The checklists, the people, posts, teams and vendors, and the places of the
        organization (six light queries)."""
        people = [
            (f"u{pk}", name)
            for pk, name in User.objects.filter(organization_id=organization_id, is_active=True)
            .order_by("name")
            .values_list("pk", "name")
        ]
        groups = [
            (f"{prefix}{pk}", f"{label}：{name}")
            for prefix, label, model in (
                ("p", "岗位", Post),
                ("t", "班组", Team),
                ("v", "服务商", Vendor),
            )
            for pk, name in model.objects.filter(organization_id=organization_id)
            .order_by("name")
            .values_list("pk", "name")
        ]
        places = [
            (str(pk), f"{code} {name}")
            for pk, code, name in Place.objects.filter(organization_id=organization_id)
            .order_by("path")
            .values_list("pk", "code", "name")
        ]
        return (
            *org_choices(cls, organization_id),
            ("assignee", tuple(people + groups)),
            ("place", tuple(places)),
        )

    def filter_from(self, queryset: QuerySet[Any], name: str, value: date) -> QuerySet[Any]:
        return queryset.filter(opens_at__gte=day_bounds(value)[0])

    def filter_to(self, queryset: QuerySet[Any], name: str, value: date) -> QuerySet[Any]:
        return queryset.filter(opens_at__lt=day_bounds(value + timedelta(days=1))[0])

    def filter_assignee(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        field = ASSIGNEE_PREFIXES.get(value[:1])
        if field is None or not value[1:].isdigit():
            return queryset.none()
        return queryset.filter(**{field: int(value[1:])})

    def filter_place(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        top = Place.objects.filter(pk=value, organization_id=self.organization_id).first()
        if top is None:
            return queryset.none()
        return queryset.filter(
            Q(place__path__startswith=top.path) | Q(equipment__place__path__startswith=top.path)
        )
