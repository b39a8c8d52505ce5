"""Filter sets of the standards lists, shared by the pages and the API."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet

from houqin.common.filters import OrgFilterSet
from houqin.common.forms import StyledForm
from houqin.org.models import Department, ServiceLine
from houqin.standards.models import Standard
from houqin.standards.selectors import node_choices, node_path
from houqin.standards.services import IN_FORCE_STATES

CURRENT = "current"  # 现行: in force, under periodic review or being revised


class StandardFilter(OrgFilterSet):
    """Node (with its branch), level, status (or 现行), service line, owner department.
    ``sees_all=False`` (frontline staff) offers only the states of standards in force."""

    node = django_filters.ChoiceFilter(
        label="体系节点", choices=[], empty_label="全部节点", method="filter_node"
    )
    level = django_filters.ChoiceFilter(
        label="层级", choices=Standard.Level.choices, empty_label="全部层级"
    )
    status = django_filters.ChoiceFilter(
        label="状态", choices=[], empty_label="全部状态", method="filter_status"
    )
    line = django_filters.ChoiceFilter(
        label="服务条线", choices=ServiceLine.choices, empty_label="全部条线", method="filter_line"
    )
    owner_department = django_filters.ChoiceFilter(
        label="归口科室", field_name="owner_department_id", choices=[], empty_label="全部科室"
    )
    org_choices = {"owner_department": (Department, "name")}

    class Meta:
        model = Standard
        form = StyledForm
        fields = ["node", "level", "status", "line", "owner_department"]

    options = ("sees_all",)

    @classmethod
    def choices_for(
        cls, organization_id: int, *, sees_all: bool = True, **options: Any
    ) -> tuple[tuple[str, tuple[tuple[Any, str], ...]], ...]:
        states = Standard.Status.choices
        if not sees_all:
            states = [(value, label) for value, label in states if value in IN_FORCE_STATES]
        return (
            *super().choices_for(organization_id),
            ("node", tuple(node_choices(organization_id=organization_id))),
            ("status", ((CURRENT, "现行（实施、复审、修订中）"), *states)),
        )

    def filter_node(self, queryset: QuerySet[Standard], name: str, value: str) -> Any:
        """The node and every node below it."""
        path = node_path(organization_id=self.organization_id, pk=value)
        if path is None:
            return queryset.none()
        return queryset.filter(node__path__startswith=path)

    def filter_status(self, queryset: QuerySet[Standard], name: str, value: str) -> Any:
        if value == CURRENT:
            return queryset.filter(status__in=IN_FORCE_STATES)
        return queryset.filter(status=value)

    def filter_line(self, queryset: QuerySet[Standard], name: str, value: str) -> Any:
        return queryset.filter(lines__line=value)
