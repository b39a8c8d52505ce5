"""One way to make a list page: filter, search, sort, paginate (and the same rows for export)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import django_filters
from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from houqin.common.icons import icon_svg


@lru_cache(maxsize=128)
def _pattern(name: str) -> str:
    return reverse(name, args=[_SENTINEL])


_SENTINEL = 987654321


def url_for_pk(name: str, pk: int) -> str:
    """reverse(name, args=[pk]) for a row, without resolving the pattern once per row."""
    return _pattern(name).replace(str(_SENTINEL), str(pk))


@dataclass(frozen=True)
class Column:
    """A column of a list: its label and, when sortable, the ordering field."""

    label: str
    order_by: str = ""


class ListPage:
    """Applies the request's filter (``FilterSet``), search (``q``), sort (``sort``,
    ``-`` for descending) and page (``page``) to a scoped queryset."""

    page_size = 25

    def __init__(
        self,
        request: HttpRequest,
        queryset: QuerySet[Any],
        *,
        columns: list[Column],
        default_sort: str,
        filterset_class: type[django_filters.FilterSet] | None = None,
        filterset_kwargs: dict[str, Any] | None = None,
        search_fields: tuple[str, ...] = (),
    ) -> None:
        self.request = request
        self.columns = columns
        self.search_fields = search_fields
        self.query = request.GET.get("q", "").strip()[:100]
        self.filterset = (
            filterset_class(request.GET or None, queryset=queryset, **(filterset_kwargs or {}))
            if filterset_class
            else None
        )
        if self.filterset is None or not self.filterset.is_bound:
            rows = queryset
        elif self.filterset.is_valid():
            rows = self.filterset.qs
        else:
            rows = queryset.none()  # a bad filter value finds nothing; the form says why
        if self.query and search_fields:
            condition = Q()
            for field in search_fields:
                condition |= Q(**{f"{field}__icontains": self.query})
            rows = rows.filter(condition)
        sortable = {c.order_by for c in columns if c.order_by}
        requested = request.GET.get("sort", "")
        self.sort = requested if requested.lstrip("-") in sortable else default_sort
        self.rows = rows.order_by(self.sort, "pk")

    @property
    def is_filtered(self) -> bool:
        return bool(self.query) or bool(
            self.filterset is not None
            and any(self.request.GET.get(name) for name in self.filterset.filters)
        )

    def page(self) -> Page[Any]:
        paginator = Paginator(self.rows, self.page_size)
        return paginator.get_page(self.request.GET.get("page"))

    def head(self, selectable: bool = False) -> SafeString:
        """The table head: each sortable header links to the list sorted by it (the other
        parameters kept, back to page 1) and shows the current direction."""
        cells: list[str] = []
        for column in self.columns:
            if not column.order_by:
                cells.append(format_html("<th>{}</th>", column.label))
                continue
            direction = ""
            if self.sort.lstrip("-") == column.order_by:
                direction = "descending" if self.sort.startswith("-") else "ascending"
            params = self.request.GET.copy()
            params.pop("page", None)
            params["sort"] = f"-{column.order_by}" if direction == "ascending" else column.order_by
            icon = {"ascending": "sort-ascending", "descending": "sort-descending"}
            cells.append(
                format_html(
                    '<th{}><a class="table-sort-link" href="?{}">{}{}</a></th>',
                    format_html(' aria-sort="{}"', direction) if direction else "",
                    params.urlencode(),
                    column.label,
                    icon_svg(icon.get(direction, "arrows-sort")),
                )
            )
        if selectable:
            cells.insert(
                0,
                '<th class="w-1"><input type="checkbox" class="form-check-input" '
                'aria-label="全选本页" data-bulk-all></th>',
            )
        return format_html("<thead><tr>{}</tr></thead>", mark_safe("".join(cells)))  # noqa: S308

    def filter_note(self) -> str:
        """The filter that produced the rows, in words, for the head of an export."""
        parts = []
        if self.filterset is not None and self.filterset.is_valid():
            for name, field in self.filterset.form.fields.items():
                value = self.filterset.form.cleaned_data.get(name)
                if value not in (None, "", [], ()):
                    shown = (
                        dict(getattr(field, "choices", ())).get(value, value)
                        if hasattr(field, "choices")
                        else value
                    )
                    parts.append(f"{field.label}：{shown}")
        if self.query:
            parts.append(f"搜索：{self.query}")
        return "；".join(parts) or "全部"
