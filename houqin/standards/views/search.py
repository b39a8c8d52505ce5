"""The search page: Chinese full-text search over the standards a person may read, with the
list's filters; each hit links to the standard and each matching clause to its place in
the text (``#c-<uid>``). An htmx request gets the results fragment only."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, URLPattern, path, reverse

from houqin.common.decorators import perm_required
from houqin.common.lists import url_for_pk
from houqin.standards.filters import StandardFilter
from houqin.standards.models import Standard
from houqin.standards.search import (
    SearchPages,
    SearchResult,
    StandardHit,
    page_offset,
    search_filters,
    search_for_user,
)
from houqin.standards.selectors import sees_all_standards
from houqin.standards.views.standards import LEVEL_SHORT, STATUS_HTML

PAGE_SIZE = 20
EXAMPLES = ("留样", "GB/T 24421", "消毒 餐用具", "会场 空调")


@dataclass(frozen=True)
class ClauseRow:
    url: str
    number: str
    snippet: str


@dataclass(frozen=True)
class HitRow:
    """What the results template shows of one hit (every URL built here)."""

    hit: StandardHit
    url: str
    status_html: str
    level: str
    clauses: list[ClauseRow]
    more: int


def _page_url_pattern(sees_all: bool) -> str:
    """The page a hit opens: the reading page for frontline staff (made for a phone), the
    standard's page for the others; whichever exists."""
    names = (
        ("standards:standard_detail", "standards:read")
        if sees_all
        else ("standards:read", "standards:standard_detail")
    )
    for name in names:
        try:
            reverse(name, args=[1])
        except NoReverseMatch:
            continue
        return name
    return ""


def _rows(hits: list[StandardHit], sees_all: bool) -> list[HitRow]:
    name = _page_url_pattern(sees_all)
    rows = []
    for hit in hits:
        url = url_for_pk(name, hit.id) if name else ""
        rows.append(
            HitRow(
                hit=hit,
                url=url,
                status_html=STATUS_HTML[hit.status],
                level=LEVEL_SHORT.get(hit.level, hit.level),
                clauses=[
                    ClauseRow(
                        url=f"{url}#c-{clause.uid}" if url else "",
                        number=clause.number or "—",
                        snippet=clause.snippet,
                    )
                    for clause in hit.clauses
                ],
                more=max(0, hit.clause_count - len(hit.clauses)),
            )
        )
    return rows


@perm_required("standards.view_standard")
def search_view(request: HttpRequest) -> HttpResponse:
    """标准检索：在本单位（一线人员：现行）标准的编号、名称和条款中查找，可按体系节点、层级、
    状态、服务条线筛选。"""
    user: Any = request.user
    sees_all = sees_all_standards(user)
    filterset = StandardFilter(
        request.GET or None,
        queryset=Standard.objects.none(),
        organization_id=user.organization_id,
        sees_all=sees_all,
    )
    query = request.GET.get("q", "").strip()
    context: dict[str, Any] = {
        "query": query,
        "filterset": filterset,
        "sees_all": sees_all,
        "examples": EXAMPLES,
        "is_filtered": any(request.GET.get(name) for name in filterset.filters),
        "rows": [],
        "page": None,
        "searched": False,
    }
    if query and filterset.is_valid():
        filters = search_filters(filterset.form.cleaned_data, organization_id=user.organization_id)

        def run(limit: int, offset: int) -> SearchResult:
            return search_for_user(user, query, filters, limit, offset)

        number = request.GET.get("page")
        hits = SearchPages(run, PAGE_SIZE, page_offset(number, PAGE_SIZE))
        page = Paginator(hits, PAGE_SIZE).get_page(number)
        context.update(
            searched=bool(hits.result.query),
            total=hits.result.total,
            page=page,
            rows=_rows(list(page.object_list), sees_all),
        )
    template = "standards/_search_results.html" if request.htmx else "standards/search.html"  # type: ignore[attr-defined]
    return render(request, template, context)


urlpatterns: list[URLPattern] = [
    path("search/", search_view, name="search"),
]
