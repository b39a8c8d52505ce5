"""Filter sets of the organization's lists, shared by the pages and the API."""

from __future__ import annotations

import django_filters

from houqin.common.filters import OrgFilterSet
from houqin.common.forms import StyledForm
from houqin.org.models import Contract, Department, ServedUnit, Staff


class StaffFilter(OrgFilterSet):
    employment = django_filters.ChoiceFilter(
        label="编制类型", choices=Staff.Employment.choices, empty_label="全部类型"
    )
    status = django_filters.ChoiceFilter(
        label="状态", choices=Staff.Status.choices, empty_label="全部状态"
    )
    department = django_filters.ChoiceFilter(
        label="科室", field_name="department_id", choices=[], empty_label="全部科室"
    )
    org_choices = {"department": (Department, "name")}

    class Meta:
        model = Staff
        form = StyledForm
        fields = ["employment", "status", "department"]


class ServedUnitFilter(django_filters.FilterSet):
    body = django_filters.ChoiceFilter(
        label="所属", choices=ServedUnit.Body.choices, empty_label="全部"
    )

    class Meta:
        model = ServedUnit
        form = StyledForm
        fields = ["body"]


class ContractFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label="状态", choices=Contract.Status.choices, empty_label="全部状态"
    )

    class Meta:
        model = Contract
        form = StyledForm
        fields = ["status"]
