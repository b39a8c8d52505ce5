"""The global change log: every change of the organization's business rows, filterable,
with Excel export (the leader and the audit admin)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.utils.html import format_html
from django.utils.timezone import localtime

from houqin.common.changelog import field_labels
from houqin.common.filters import set_choices
from houqin.common.forms import DATE_INPUT, StyledForm
from houqin.common.generic import Col, ObjectListView
from houqin.common.models import ChangeLogEntry


def _describe(entry: ChangeLogEntry) -> str:
    model = entry.content_type.model_class()
    labels = field_labels(model) if model is not None else {}
    parts = [
        f"{labels.get(name, name)}：{pair[1]}"
        if pair[0] is None
        else f"{labels.get(name, name)}：{pair[0]} → {pair[1] if pair[1] is not None else '（空）'}"
        for name, pair in entry.changes.items()
    ]
    if entry.note:
        parts.insert(0, entry.note)
    return "；".join(parts)


class ChangeLogFilter(django_filters.FilterSet):
    content_type = django_filters.ChoiceFilter(label="对象类型", choices=[], empty_label="全部类型")
    action = django_filters.ChoiceFilter(
        label="操作", choices=ChangeLogEntry.Action.choices, empty_label="全部操作"
    )
    actor_name = django_filters.CharFilter(label="操作人", lookup_expr="icontains")
    since = django_filters.DateFilter(
        label="起始日期", field_name="created_at", lookup_expr="date__gte", widget=DATE_INPUT
    )
    until = django_filters.DateFilter(
        label="截止日期", field_name="created_at", lookup_expr="date__lte", widget=DATE_INPUT
    )

    class Meta:
        model = ChangeLogEntry
        form = StyledForm
        fields = ["content_type", "action", "actor_name", "since", "until"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        types = ContentType.objects.filter(app_label__in=("org", "places", "common")).order_by("id")
        set_choices(
            self,
            "content_type",
            [
                (ct.pk, str(ct.model_class()._meta.verbose_name) if ct.model_class() else ct.model)  # type: ignore[union-attr]
                for ct in types
            ],
        )


class ChangeLogList(ObjectListView):
    model = ChangeLogEntry
    title = "变更记录"
    columns = [
        Col(
            "时间",
            lambda e: localtime(e.created_at).strftime("%Y-%m-%d %H:%M:%S"),
            "created_at",
            export=lambda e: e.created_at,
        ),
        Col("操作", lambda e: e.get_action_display(), "action"),
        Col(
            "对象",
            lambda e: format_html(
                '{}<div class="text-secondary small">{}</div>',
                e.object_repr,
                e.content_type.model_class()._meta.verbose_name
                if e.content_type.model_class()
                else "",
            ),
            "object_repr",
            export=lambda e: e.object_repr,
        ),
        Col("操作人", lambda e: e.actor_name, "actor_name"),
        Col("地址", lambda e: e.ip),
        Col("变更内容", _describe),
    ]
    default_sort = "-created_at"
    filterset_class = ChangeLogFilter
    search_fields = ("object_repr", "note")
    search_hint = "对象名称或说明"
    empty_text = "新建、修改、删除业务数据或变更状态后，这里会出现记录。"

    def get_queryset(self) -> QuerySet[Any]:
        return ChangeLogEntry.objects.filter(
            organization_id=self.request.user.organization_id  # type: ignore[union-attr]
        ).select_related("content_type")
