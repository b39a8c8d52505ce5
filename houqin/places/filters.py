"""Filter sets of places and equipment, shared by the pages, the export and the API; the
drop-downs offer the places and departments of the user's organization."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import django_filters
from django.db.models import QuerySet, Subquery
from django.utils import timezone

from houqin.common.filters import OrgFilterSet
from houqin.common.forms import StyledForm
from houqin.org.models import Department
from houqin.places.models import Equipment, Place
from houqin.places.selectors import place_choices


def _subtree_path(value: Any) -> Subquery:
    return Subquery(Place.objects.filter(pk=value).values("path")[:1])


class PlaceFilter(OrgFilterSet):
    kind = django_filters.ChoiceFilter(
        label="类型", choices=Place.Kind.choices, empty_label="全部类型"
    )
    within = django_filters.ChoiceFilter(
        label="所在范围", choices=[], method="filter_within", empty_label="全部场所"
    )
    department = django_filters.ChoiceFilter(
        label="责任科室", field_name="department_id", choices=[], empty_label="全部科室"
    )
    active = django_filters.ChoiceFilter(
        label="状态",
        choices=[("1", "启用"), ("0", "停用")],
        method="filter_active",
        empty_label="全部状态",
    )
    org_choices = {"department": (Department, "name")}

    class Meta:
        model = Place
        form = StyledForm
        fields = ["kind", "within", "department", "active"]

    def __init__(self, *args: Any, organization_id: int, **kwargs: Any) -> None:
        super().__init__(*args, organization_id=organization_id, **kwargs)
        self.set_choices("within", place_choices(organization_id=organization_id, areas_only=True))

    def filter_within(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(path__startswith=_subtree_path(value))

    def filter_active(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(active=value == "1")


class EquipmentFilter(OrgFilterSet):
    type = django_filters.ChoiceFilter(
        label="类型", choices=Equipment.Type.choices, empty_label="全部类型"
    )
    status = django_filters.ChoiceFilter(
        label="状态", choices=Equipment.Status.choices, empty_label="全部状态"
    )
    place = django_filters.ChoiceFilter(
        label="所在场所", choices=[], method="filter_place", empty_label="全部场所"
    )
    certificate = django_filters.ChoiceFilter(
        label="证书",
        choices=[("expired", "已过期"), ("soon", "30 天内到期")],
        method="filter_certificate",
        empty_label="全部",
    )

    class Meta:
        model = Equipment
        form = StyledForm
        fields = ["type", "status", "place", "certificate"]

    def __init__(self, *args: Any, organization_id: int, **kwargs: Any) -> None:
        super().__init__(*args, organization_id=organization_id, **kwargs)
        self.set_choices("place", place_choices(organization_id=organization_id, areas_only=True))

    def filter_place(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        """The equipment at the place or anywhere below it."""
        return queryset.filter(place__path__startswith=_subtree_path(value))

    def filter_certificate(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        """Equipment in use (as expiring_certificates counts it) by certificate date."""
        today = timezone.localdate()
        queryset = queryset.exclude(status=Equipment.Status.OUT_OF_SERVICE)
        if value == "expired":
            return queryset.filter(certificate_expires__lt=today)
        return queryset.filter(
            certificate_expires__gte=today, certificate_expires__lte=today + timedelta(days=30)
        )
