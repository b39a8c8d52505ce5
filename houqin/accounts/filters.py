"""Filter sets of the account and audit lists (shared by pages and exports)."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet

from houqin.accounts.models import AuditEvent, User
from houqin.accounts.roles import ROLES
from houqin.common.filters import OrgFilterSet
from houqin.common.forms import DATE_INPUT, StyledForm
from houqin.org.models import Department


class UserFilter(OrgFilterSet):
    department = django_filters.ChoiceFilter(
        label="科室", field_name="department_id", choices=[], empty_label="全部科室"
    )
    role = django_filters.ChoiceFilter(
        label="角色",
        choices=[(role.code, role.label) for role in ROLES],
        field_name="groups__name",
        empty_label="全部角色",
    )
    status = django_filters.ChoiceFilter(
        label="状态",
        choices=[("active", "启用"), ("disabled", "已停用")],
        method="filter_status",
        empty_label="全部状态",
    )

    class Meta:
        model = User
        form = StyledForm
        fields = ["department", "role", "status"]

    org_choices = {"department": (Department, "name")}

    def filter_status(self, queryset: QuerySet[User], name: str, value: str) -> QuerySet[User]:
        return queryset.filter(is_active=value == "active")


class AuditFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        label="事件", choices=AuditEvent.Kind.choices, empty_label="全部事件"
    )
    outcome = django_filters.ChoiceFilter(
        label="结果", choices=AuditEvent.Outcome.choices, empty_label="全部结果"
    )
    actor = django_filters.CharFilter(
        label="操作人", field_name="actor_username", lookup_expr="iexact"
    )
    since = django_filters.DateFilter(
        label="起始日期", field_name="created_at", lookup_expr="date__gte", widget=DATE_INPUT
    )
    until = django_filters.DateFilter(
        label="截止日期", field_name="created_at", lookup_expr="date__lte", widget=DATE_INPUT
    )

    class Meta:
        model = AuditEvent
        form = StyledForm
        fields = ["kind", "outcome", "actor", "since", "until"]
