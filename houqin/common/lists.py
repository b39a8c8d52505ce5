"""One way to make a list page: filter, search, sort, paginate (and the same rows for export)."""

from __future__ import annotations

import html
from collections.abc import Hashable
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Any, cast
from urllib.parse import quote_plus

import django_filters
from django import forms
from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeString, mark_safe

from houqin.common.filters import OrgFilterSet
from houqin.common.forms import StyledFormMixin
from houqin.common.icons import icon_svg


@lru_cache(maxsize=256)
def url_for(name: str) -> str:
    """reverse(name) of a URL without arguments, resolved once per process."""
    return reverse(name)


@lru_cache(maxsize=128)
def _pattern(name: str) -> str:
    return reverse(name, args=[_SENTINEL])


_SENTINEL = 987654321


def url_for_pk(name: str, pk: int) -> str:
    """reverse(name, args=[pk]) for a row, without resolving the pattern once per row."""
    return _pattern(name).replace(str(_SENTINEL), str(pk))


def as_html(value: Any) -> str:
    """conditional_escape(value) without its overhead, for text built once per row or cell:
    safe HTML as it is, anything else escaped."""
    if isinstance(value, Promise):
        value = str(value)
    if hasattr(value, "__html__"):
        return str(value.__html__())
    return html.escape(str(value))


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
        filter_columns: dict[str, str] | None = None,
    ) -> None:
        self.request = request
        self.columns = columns
        self.filter_columns = filter_columns or {}  # filter name -> column classes
        self.search_fields = search_fields
        self.query = request.GET.get("q", "").strip()[:100]
        self.filterset_class = filterset_class
        self.filterset_kwargs = filterset_kwargs or {}
        self._unfiltered = queryset
        self._org_choices: Any = None
        self.filtering = filterset_class is not None and any(
            request.GET.get(name) for name in filterset_class.base_filters
        )
        if not self.filtering:
            rows = queryset  # no filter chosen: no filter set to build, no form to check
        elif self.filterset is not None and self.filterset.is_valid():
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

    @cached_property
    def filterset(self) -> django_filters.FilterSet | None:
        """The filter set of the request, built when something needs it: a chosen filter,
        the filter bar's first showing, an export's note."""
        if self.filterset_class is None:
            return None
        kwargs = self.filterset_kwargs
        if self._org_choices is not None:  # read for the filter bar already
            kwargs = {**kwargs, "choices": self._org_choices}
        return self.filterset_class(self.request.GET or None, queryset=self._unfiltered, **kwargs)

    @property
    def is_filtered(self) -> bool:
        return bool(self.query) or self.filtering

    def page(self) -> Page[Any]:
        paginator = Paginator(self.rows, self.page_size)
        return paginator.get_page(self.request.GET.get("page"))

    @property
    def filter_fields(self) -> SafeString:
        """The drop-downs of the filter bar (see _filters.html), each in its column. With no
        filter chosen they are built from the filter set's choices, else (to show the
        values and errors) from its form."""
        if self.filterset_class is None:
            return mark_safe("")
        fields = None if self.filtering else self._unchosen_fields()
        if fields is None:
            fields = [
                (
                    field.id_for_label,
                    str(field.label),
                    str(field),
                    [str(error) for error in field.errors],
                )
                for field in self._built().form
            ]
        columns = {f"id_{name}": c for name, c in self.filter_columns.items()}
        return mark_safe(  # noqa: S308  (labels and errors escaped, widgets safe)
            "".join(
                f'\n    <div class="{columns.get(field_id, "col-6 col-md-2")}">\n'
                f'      <label class="form-label" for="{escape(field_id)}">'
                f"{conditional_escape(label)}</label>\n"
                f"      {widget}\n"
                "      "
                + "".join(
                    f'<div class="invalid-feedback d-block">{conditional_escape(error)}</div>'
                    for error in errors
                )
                + "\n    </div>\n    "
                for field_id, label, widget, errors in fields
            )
        )

    def _plain_key(self) -> Hashable | None:
        """For a filter set whose instances differ only by their option lists (no __init__
        of its own): the class and those lists, read without building it."""
        filterset_class = self.filterset_class
        if filterset_class is None:
            return None
        if issubclass(filterset_class, OrgFilterSet) and (
            filterset_class.__init__ is OrgFilterSet.__init__
        ):
            kwargs = dict(self.filterset_kwargs)
            organization_id = kwargs.pop("organization_id")
            if kwargs.keys() - set(filterset_class.options):
                return None
            self._org_choices = filterset_class.choices_for(organization_id, **kwargs)
            return (filterset_class, self._org_choices)
        if filterset_class.__init__ is django_filters.FilterSet.__init__:
            return None if self.filterset_kwargs else (filterset_class,)
        return None

    def _built(self) -> django_filters.FilterSet:
        return cast(django_filters.FilterSet, self.filterset)  # only asked with a class

    def _unchosen_fields(self) -> _Fields | None:
        key = self._plain_key()
        if key is None:
            return _unchosen_fields_kept(self._built())
        if key not in _UNCHOSEN:
            if len(_UNCHOSEN) >= 256:
                _UNCHOSEN.clear()
            _UNCHOSEN[key] = _unchosen_fields(self._built())
        return _UNCHOSEN[key]

    def head(self, selectable: bool = False) -> SafeString:
        """The table head: each sortable header links to the list sorted by it (the other
        parameters kept, back to page 1) and shows the current direction."""
        cells: list[str] = []
        params = self.request.GET.copy() if self.request.GET.keys() - {"page", "sort"} else None
        if params is not None:
            params.pop("page", None)
        for column in self.columns:
            label = as_html(column.label)
            if not column.order_by:
                cells.append(f"<th>{label}</th>")
                continue
            direction = ""
            if self.sort.lstrip("-") == column.order_by:
                direction = "descending" if self.sort.startswith("-") else "ascending"
            sort = f"-{column.order_by}" if direction == "ascending" else column.order_by
            if params is not None:
                params["sort"] = sort
                query = params.urlencode()
            else:  # only the sort and page: what urlencode() would give, without the copies
                query = f"sort={quote_plus(sort)}"
            icon = {"ascending": "sort-ascending", "descending": "sort-descending"}
            aria = f' aria-sort="{direction}"' if direction else ""
            cells.append(
                f'<th{aria}><a class="table-sort-link" href="?{html.escape(query)}">'
                f"{label}{icon_svg(icon.get(direction, 'arrows-sort'))}</a></th>"
            )
        if selectable:
            cells.insert(
                0,
                '<th class="w-1"><input type="checkbox" class="form-check-input" '
                'aria-label="全选本页" data-bulk-all></th>',
            )
        return mark_safe(f"<thead><tr>{''.join(cells)}</tr></thead>")  # noqa: S308  (escaped)

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


_Fields = list[tuple[str, str, str, list[str]]]
_UNCHOSEN: dict[Hashable, _Fields | None] = {}


def _unchosen_fields_kept(filterset: django_filters.FilterSet) -> _Fields | None:
    """_unchosen_fields, kept per process for filters that look the same: the filter bar
    of a list looks the same on every request until its choices change."""
    key = _filters_key(filterset)
    if key is None:
        return _unchosen_fields(filterset)
    if key not in _UNCHOSEN:
        if len(_UNCHOSEN) >= 256:
            _UNCHOSEN.clear()
        _UNCHOSEN[key] = _unchosen_fields(filterset)
    return _UNCHOSEN[key]


def _filters_key(filterset: django_filters.FilterSet) -> Hashable | None:
    """Everything that decides how the filters look with nothing chosen: the filter set's
    class and each filter's kind, label and options, choices included (the only option
    set per request, by set_choices); None when an option is not a plain value."""
    parts: list[Any] = [type(filterset)]
    for name, filter_ in filterset.filters.items():
        options: list[Hashable] = []
        for option, value in filter_.extra.items():
            if option == "choices" and not callable(value):
                value = tuple(tuple(choice) for choice in value)
            elif not isinstance(value, str | int | float | bool | Promise | None):
                return None
            options.append((option, value))
        parts.append((name, type(filter_), filter_.label, tuple(options)))
    key = tuple(parts)
    try:
        hash(key)
    except TypeError:  # e.g. grouped choices
        return None
    return key


def _unchosen_fields(filterset: django_filters.FilterSet) -> _Fields | None:
    """(id, label, widget, errors) of each filter as the filter set's form renders it with
    nothing chosen, built without the form; None when a filter is not a plain drop-down of
    a StyledForm (then only the form knows how it looks)."""
    if not issubclass(filterset._meta.form, StyledFormMixin):
        return None
    fields: _Fields = []
    for name, filter_ in filterset.filters.items():
        field = filter_.field
        widget = field.widget
        if (
            type(widget) is not forms.Select
            or field.required
            or field.disabled
            or field.localize
            or field.show_hidden_initial
            or field.help_text
            or field.initial is not None
            or {"id", "aria-describedby"} & widget.attrs.keys()
        ):
            return None
        field_id = f"id_{name}"
        attrs = {**widget.attrs, "id": field_id}
        attrs["class"] = f"{widget.attrs.get('class', '')} form-select".strip()
        attributes = " ".join(f'{key}="{escape(value)}"' for key, value in sorted(attrs.items()))
        options = "".join(
            f'<option value="{escape(key)}"{" selected" if str(key) == "" else ""}>'
            f"{escape(label)}</option>"
            for key, label in field.choices
        )
        select = f'<select name="{escape(name)}" {attributes}>{options}</select>'
        fields.append((field_id, str(field.label), select, []))
    return fields


def filter_bar_html(listing: ListPage, search_hint: str) -> SafeString:
    """The filter bar of a list (see _filters.html): the search box, the drop-downs, the
    current sort kept, and a link that clears the filter."""
    sort = (
        f'<input type="hidden" name="sort" value="{html.escape(listing.sort)}">'
        if listing.sort
        else ""
    )
    clear = '<a class="btn btn-link" href="?">清除</a>' if listing.is_filtered else ""
    return mark_safe(  # noqa: S308  (values escaped, fields and icon safe)
        '<form method="get" class="card-body border-bottom filter-bar" role="search">\n'
        '  <div class="row g-2 align-items-end">\n'
        '    <div class="col-12 col-md-4">\n'
        '      <label class="form-label" for="list-q">搜索</label>\n'
        '      <input type="search" class="form-control" id="list-q" name="q" '
        f'value="{as_html(listing.query)}" placeholder="{as_html(search_hint)}">\n'
        "    </div>\n"
        f"    {listing.filter_fields}\n"
        f"    {sort}\n"
        '    <div class="col-12 col-md-auto d-flex gap-2">\n'
        f'      <button type="submit" class="btn btn-primary">{icon_svg("filter")}筛选</button>\n'
        f"      {clear}\n"
        "    </div>\n"
        "  </div>\n"
        "</form>"
    )


def pagination_html(request: HttpRequest, page: Page[Any]) -> SafeString:
    """The footer of a list (see _pagination.html): how many rows, and the links to the
    previous and next page with the other parameters kept."""
    paginator = page.paginator
    pages = paginator.num_pages
    where = f"，第 {page.number} / {pages} 页" if pages > 1 else ""
    footer = (
        '<div class="card-footer d-flex flex-wrap gap-2 align-items-center">\n'
        f'  <p class="m-0 text-secondary">共 <strong>{paginator.count}</strong> 条{where}</p>\n'
        "  "
    )
    if pages > 1:
        previous = _page_link(request, page.previous_page_number() if page.has_previous() else 0)
        following = _page_link(request, page.next_page_number() if page.has_next() else 0)
        footer += (
            '\n  <ul class="pagination m-0 ms-auto">\n'
            f'    <li class="page-item{"" if page.has_previous() else " disabled"}">\n'
            f'      <a class="page-link" href="{previous}" aria-label="上一页">'
            f"{icon_svg('chevron-left')}上一页</a>\n"
            "    </li>\n"
            f'    <li class="page-item{"" if page.has_next() else " disabled"}">\n'
            f'      <a class="page-link" href="{following}" aria-label="下一页">'
            f"下一页{icon_svg('chevron-right')}</a>\n"
            "    </li>\n"
            "  </ul>\n"
            "  "
        )
    return mark_safe(footer + "\n</div>")  # noqa: S308  (numbers and escaped links)


def _page_link(request: HttpRequest, number: int) -> str:
    if not number:
        return "#"
    params = request.GET.copy()
    params["page"] = str(number)
    return escape(f"?{params.urlencode()}")
