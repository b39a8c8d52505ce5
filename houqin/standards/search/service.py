"""The search: one SQL statement ranks the standards that match (a hit in the number or
title ranks above hits in the body), counts them, and picks and reads each one's best
clauses for their snippets.

Who finds what: the rows of the given organizations; people who see drafts (selectors.
``sees_all_standards``) find every standard and the clauses of drafts, everyone else only
standards in force (实施, 复审, 修订) and published text."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.utils.safestring import SafeString

from houqin.standards.models import Standard
from houqin.standards.search import highlight
from houqin.standards.search.backends import backend
from houqin.standards.search.index import CONTENT_KINDS, index_refresh, plain_text
from houqin.standards.search.tokens import Query, parse
from houqin.standards.services import IN_FORCE_STATES

CURRENT = "current"  # the status filter value for 现行 (filters.CURRENT)
MAX_LIMIT = 200
CLAUSES_PER_HIT = 3
LEVEL_LABELS = dict(Standard.Level.choices)
STATUS_LABELS = dict(Standard.Status.choices)


@dataclass(frozen=True)
class SearchFilters:
    """What a search is narrowed to: a branch of the system tree (the node's ``path``), a
    level, a status (or ``"current"``: 现行), a service line, an owner department."""

    node_path: str = ""
    level: str = ""
    status: str = ""
    line: str = ""
    owner_department_id: int | None = None


@dataclass(frozen=True)
class ClauseHit:
    """A matching clause: its identity (the ``#c-<uid>`` anchor), how it is cited, and a
    snippet with the words marked (safe HTML)."""

    uid: uuid.UUID
    number: str
    kind: str
    snippet: SafeString


@dataclass(frozen=True)
class StandardHit:
    """A matching standard, its score, whether its number or title matched, how many of
    its clauses matched and the best of them."""

    id: int
    number: str
    title: str
    status: str
    level: str
    node_id: int
    score: float
    title_hit: bool
    clause_count: int
    clauses: tuple[ClauseHit, ...]
    number_html: SafeString
    title_html: SafeString

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS.get(self.status, self.status))

    @property
    def level_label(self) -> str:
        return str(LEVEL_LABELS.get(self.level, self.level))

    @property
    def is_current(self) -> bool:
        return self.status in IN_FORCE_STATES


@dataclass(frozen=True)
class SearchResult:
    """One page of hits, best first, and how many standards matched in all."""

    query: Query
    total: int
    hits: list[StandardHit] = field(default_factory=list)
    limit: int = 20
    offset: int = 0


def _conditions(filters: SearchFilters, include_drafts: bool) -> tuple[list[str], list[Any]]:
    where: list[str] = []
    params: list[Any] = []
    if not include_drafts:
        where.append(f"s.status IN ({', '.join(['%s'] * len(IN_FORCE_STATES))}) AND r.draft = %s")
        params += [*IN_FORCE_STATES, False]
    if filters.level:
        where.append("s.level = %s")
        params.append(filters.level)
    if filters.status == CURRENT:
        where.append(f"s.status IN ({', '.join(['%s'] * len(IN_FORCE_STATES))})")
        params += IN_FORCE_STATES
    elif filters.status:
        where.append("s.status = %s")
        params.append(filters.status)
    if filters.node_path:
        where.append(
            "s.node_id IN (SELECT n.id FROM standards_standardnode n WHERE n.path LIKE %s)"
        )
        params.append(filters.node_path + "%")
    if filters.line:
        where.append(
            "EXISTS (SELECT 1 FROM standards_standardline l "
            "WHERE l.standard_id = s.id AND l.line = %s)"
        )
        params.append(filters.line)
    if filters.owner_department_id:
        where.append("s.owner_department_id = %s")
        params.append(filters.owner_department_id)
    return where, params


def search_sql(
    query: Query,
    *,
    organization_ids: list[int],
    filters: SearchFilters,
    include_drafts: bool,
    limit: int,
    offset: int,
    clause_limit: int,
) -> tuple[str, list[Any]]:
    """The statement and its parameters: one row per (standard of the page, best clause)."""
    engine = backend()
    source, match, score = engine.hit_source()
    where, params = _conditions(filters, include_drafts)
    orgs = ", ".join(["%s"] * len(organization_ids))
    conditions = "".join(f" AND {w}" for w in where)
    sql = f"""
WITH scoped AS (
  SELECT r.standard_id, r.clause_id, r.kind, r.heading, r.number AS cite, {score} AS score
  FROM {source} JOIN standards_standard s ON s.id = r.standard_id
  WHERE {match} AND s.organization_id IN ({orgs}){conditions}
),
ranked AS (
  SELECT standard_id,
         MAX(CASE WHEN kind = 's' THEN 1 ELSE 0 END) AS title_hit,
         MAX(score) AS best,
         SUM(CASE WHEN kind = 'c' THEN 1 ELSE 0 END) AS clause_count
  FROM scoped GROUP BY standard_id
),
page AS (
  SELECT standard_id, title_hit, best, clause_count, COUNT(*) OVER () AS total
  FROM ranked ORDER BY title_hit DESC, best DESC, standard_id LIMIT %s OFFSET %s
),
top AS (
  SELECT c.standard_id, c.clause_id, c.cite,
         ROW_NUMBER() OVER (
           PARTITION BY c.standard_id ORDER BY c.heading, c.score DESC, c.clause_id
         ) AS n
  FROM scoped c WHERE c.kind = 'c' AND c.standard_id IN (SELECT standard_id FROM page)
)
SELECT p.standard_id, p.title_hit, p.best, p.clause_count, p.total,
       s.number, s.title, s.status, s.level, s.node_id, t.clause_id, t.cite,
       c.uid, c.kind, c.title, c.text, c.extra
FROM page p JOIN standards_standard s ON s.id = p.standard_id
LEFT JOIN top t ON t.standard_id = p.standard_id AND t.n <= %s
LEFT JOIN standards_clause c ON c.id = t.clause_id
ORDER BY p.title_hit DESC, p.best DESC, p.standard_id, t.n"""  # noqa: S608 (only placeholders are interpolated)
    return sql, [
        engine.match_param(query),
        *organization_ids,
        *params,
        limit,
        offset,
        clause_limit,
    ]


def search(
    organization_ids: list[int],
    query: str | Query,
    filters: SearchFilters | None = None,
    limit: int = 20,
    offset: int = 0,
    *,
    include_drafts: bool = False,
    clause_limit: int = CLAUSES_PER_HIT,
    refresh: bool = True,
) -> SearchResult:
    """标准全文检索：在给定单位的标准编号、名称和条款中查找，按相关度排序（编号或名称命中的在前），
    每项标准附最相关的几条条款及标出关键词的摘录。``include_drafts`` 为假时只查现行标准的
    已发布文本。先把这些单位中索引过期的标准重新索引（``refresh``）。"""
    parsed = query if isinstance(query, Query) else parse(query)
    limit = max(1, min(int(limit), MAX_LIMIT))
    offset = max(0, int(offset))
    organization_ids = sorted({int(pk) for pk in organization_ids})
    if not parsed or not organization_ids:
        return SearchResult(query=parsed, total=0, limit=limit, offset=offset)
    if refresh:
        index_refresh(organization_ids)
    filters = filters or SearchFilters()
    sql, params = search_sql(
        parsed,
        organization_ids=organization_ids,
        filters=filters,
        include_drafts=include_drafts,
        limit=limit,
        offset=offset,
        clause_limit=max(0, clause_limit),
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
        if not rows and offset:  # past the last page: still say how many there are
            sql, params = search_sql(
                parsed,
                organization_ids=organization_ids,
                filters=filters,
                include_drafts=include_drafts,
                limit=1,
                offset=0,
                clause_limit=0,
            )
            cursor.execute(sql, params)
            first = cursor.fetchone()
            return SearchResult(
                query=parsed, total=int(first[4]) if first else 0, limit=limit, offset=offset
            )
    return SearchResult(
        query=parsed,
        total=int(rows[0][4]) if rows else 0,
        hits=_hits(rows, parsed),
        limit=limit,
        offset=offset,
    )


def _clause(row: tuple[Any, ...], found: Any) -> ClauseHit:
    """A clause hit from the clause columns of a result row (uid, kind, title, text, extra
    as the database gives them: the uid as text or UUID, extra as JSON text)."""
    uid, kind, title, text, extra = row[12:17]
    if isinstance(extra, str):
        extra = json.loads(extra) if kind in CONTENT_KINDS else None
    return ClauseHit(
        uid=uid if isinstance(uid, uuid.UUID) else uuid.UUID(str(uid)),
        number=row[11] or "",
        kind=kind,
        snippet=highlight.snippet(plain_text(kind, title or "", text or "", extra), found),
    )


def _hits(rows: list[tuple[Any, ...]], query: Query) -> list[StandardHit]:
    found = highlight.pattern(query.surfaces)
    order: list[int] = []
    heads: dict[int, tuple[Any, ...]] = {}
    matched: dict[int, list[ClauseHit]] = {}
    for row in rows:
        standard_id = row[0]
        if standard_id not in heads:
            order.append(standard_id)
            heads[standard_id] = row
            matched[standard_id] = []
        if row[10] is not None and row[12] is not None:
            matched[standard_id].append(_clause(row, found))
    hits = []
    for standard_id in order:
        head = heads[standard_id]
        hits.append(
            StandardHit(
                id=standard_id,
                number=head[5],
                title=head[6],
                status=head[7],
                level=head[8],
                node_id=head[9],
                score=round(float(head[2] or 0), 6),
                title_hit=bool(head[1]),
                clause_count=int(head[3] or 0),
                clauses=tuple(matched[standard_id]),
                number_html=highlight.marked(head[5], found),
                title_html=highlight.marked(head[6], found),
            )
        )
    return hits


def search_for_user(
    user: Any,
    query: str | Query,
    filters: SearchFilters | None = None,
    limit: int = 20,
    offset: int = 0,
    *,
    clause_limit: int = CLAUSES_PER_HIT,
) -> SearchResult:
    """``search`` over the standards a user may reach (``for_user``), drafts only for people
    who see all standards."""
    from houqin.standards.selectors import sees_all_standards

    organization_ids = list(
        Standard.objects.for_user(user, "view")
        .order_by()
        .values_list("organization_id", flat=True)
        .distinct()
    )
    return search(
        organization_ids,
        query,
        filters,
        limit,
        offset,
        include_drafts=sees_all_standards(user),
        clause_limit=clause_limit,
    )


class SearchPages(Sequence[StandardHit]):
    """Hits as a sequence for a paginator (Django's or DRF's): the page asked for is
    searched once, hits and total together; a slice of another page searches again."""

    def __init__(self, run: Callable[[int, int], SearchResult], limit: int, offset: int):
        self.run = run
        self.result = run(limit, offset)

    def count(self, value: Any = None) -> int:  # what the paginator calls for the total
        return self.result.total

    def __len__(self) -> int:
        return self.result.total

    def __getitem__(self, index: Any) -> Any:
        if not isinstance(index, slice):
            raise TypeError("search hits are read a page at a time")
        start, stop = index.start or 0, index.stop or self.result.total
        if start != self.result.offset or stop - start > self.result.limit:
            self.result = self.run(max(1, stop - start), start)
        return self.result.hits[: stop - start]


def page_offset(number: str | None, size: int) -> int:
    """The offset of page ``number`` (1 when it is not a positive whole number)."""
    page = int(number) if number and number.isdigit() and int(number) > 0 else 1
    return (page - 1) * size


def search_filters(data: dict[str, Any], *, organization_id: int) -> SearchFilters:
    """SearchFilters from the cleaned data of the standards' filter set (filters.
    StandardFilter: node, level, status, line, owner_department), as pages and API get it."""
    from houqin.standards.selectors import node_path

    path = ""
    if data.get("node"):
        path = node_path(organization_id=organization_id, pk=data["node"]) or "-"  # none
    department = data.get("owner_department")
    return SearchFilters(
        node_path=path,
        level=data.get("level") or "",
        status=data.get("status") or "",
        line=data.get("line") or "",
        owner_department_id=int(department) if department else None,
    )
