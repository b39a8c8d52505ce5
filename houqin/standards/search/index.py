"""Keeping the index: the rows of one standard, the standards whose rows are out of date,
and rebuilding everything.

What a standard is indexed with: its number, title and English title, and the clauses of
its *searchable version* — the last published one, or, while none is published, the latest
draft (whose clause rows are marked ``draft``: only people who see drafts find them).

The index is written by the services (``version_publish``, ``standard_adopt``,
``standard_update`` call ``search_index_standard`` inside their transaction), and before
each search every standard of the searched organizations whose indexed number, titles,
version or draft revision differ from the database is indexed again (``index_refresh``):
a drafter finds the sentence written a minute ago in the editor, a renamed standard is
found by its new name. ``search_reindex`` rebuilds everything."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import connection, transaction

from houqin.standards.clauses import clause_tree, walk
from houqin.standards.models import Clause, Standard, StandardVersion
from houqin.standards.search.backends import ROW_TABLE, Row, backend
from houqin.standards.search.tokens import streams

K = Clause.Kind
REFRESH_LIMIT = 100  # standards indexed again before one search, at most
CONTENT_KINDS = frozenset({K.TERM, K.TABLE, K.REFERENCE})  # their content is in ``extra``
ELEMENT_NAMES: dict[str, str] = {
    K.FOREWORD: "前言",
    K.INTRODUCTION: "引言",
    K.BIBLIOGRAPHY: "参考文献",
}

# The version a standard is searched by: the last published, else the last draft.
SEARCHABLE_VERSION_KEY = (
    "(SELECT CAST(v.id AS TEXT) || ':' || CAST(v.revision AS TEXT) "
    "FROM standards_standardversion v WHERE v.standard_id = s.id "
    "ORDER BY CASE WHEN v.published_at IS NULL THEN 1 ELSE 0 END, v.seq DESC LIMIT 1)"
)


def clause_text(clause: Clause) -> str:
    """A clause as plain text: its title and text, and what its kind keeps in ``extra``
    (a term's name, English and definition; a table's cells; a reference's code and title)."""
    return plain_text(clause.kind, clause.title, clause.text, clause.extra)


def plain_text(kind: str, title: str, text: str, extra: dict[str, Any] | None) -> str:
    extra = extra or {}
    parts = [title, text]
    if kind == K.TERM:
        parts += [extra.get("term", ""), extra.get("english", ""), extra.get("definition", "")]
    elif kind == K.TABLE:
        parts += [" ".join(map(str, extra.get("header", [])))]
        parts += [" ".join(map(str, row)) for row in extra.get("rows", [])]
    elif kind == K.REFERENCE:
        parts += [extra.get("code", ""), extra.get("title", "")]
    return " ".join(str(p) for p in parts if p).strip()


def cite_numbers(clauses: Iterable[Clause]) -> dict[int, str]:
    """How each clause of a version is cited in a hit: its number ("5.2", "附录A", "表1"),
    an element's name ("前言"), its parent's number and its own ("5.2 注", "5.2 a)"), or a
    paragraph its parent's."""
    cites: dict[int, str] = {}
    for item in walk(clause_tree(clauses)):
        clause = item.clause
        parent = cites.get(clause.parent_id or 0, "")
        if clause.kind in ELEMENT_NAMES:
            cite = ELEMENT_NAMES[clause.kind]
        elif clause.kind in (K.NOTE, K.EXAMPLE, K.LIST_ITEM):
            cite = f"{parent} {clause.number}".strip()
        else:
            cite = clause.number or parent
        cites[clause.pk] = cite[:60]
    return cites


def searchable_version(standard_id: int) -> StandardVersion | None:
    versions = StandardVersion.objects.filter(standard_id=standard_id)
    return (
        versions.filter(published_at__isnull=False).order_by("-seq").first()
        or versions.order_by("-seq").first()
    )


def standard_rows(standard: Standard, version: StandardVersion | None) -> list[Row]:
    """The index rows of a standard and its searchable version (one query for the clauses)."""
    base: dict[str, Any] = {
        "organization_id": standard.organization_id,
        "standard_id": standard.pk,
    }
    rows = [
        Row(
            **base,
            kind="s",
            streams=streams(standard.number, standard.title, standard.english_title),
            version_id=version.pk if version else None,
            version_key=f"{version.pk}:{version.revision}" if version else "",
            number=standard.number,
            title=standard.title,
            english_title=standard.english_title,
        )
    ]
    if version is None:
        return rows
    clauses = list(
        Clause.objects.filter(version=version).only(
            "id", "parent_id", "position", "kind", "number", "title", "text", "extra"
        )
    )
    cites = cite_numbers(clauses)
    draft = not version.is_published
    for clause in clauses:
        tokens = streams(clause_text(clause))
        if tokens:
            rows.append(
                Row(
                    **base,
                    kind="c",
                    streams=tokens,
                    version_id=version.pk,
                    clause_id=clause.pk,
                    draft=draft,
                    heading=not clause.text.strip() and clause.kind not in CONTENT_KINDS,
                    number=cites.get(clause.pk, ""),
                )
            )
    return rows


def search_index_standard(standard: Standard | int) -> int:
    """Index one standard again (its rows replace the old ones, in the caller's transaction
    or a new one); a standard that no longer exists leaves the index. Returns the rows."""
    pk = standard if isinstance(standard, int) else standard.pk
    with transaction.atomic():
        current = Standard.objects.filter(pk=pk).first()
        rows = standard_rows(current, searchable_version(pk)) if current is not None else []
        with connection.cursor() as cursor:
            backend().replace(cursor, pk, rows)
    return len(rows)


def stale_standards(organization_ids: list[int], limit: int = REFRESH_LIMIT) -> list[int]:
    """Standards of these organizations whose index rows are missing or out of date."""
    if not organization_ids:
        return []
    marks = ", ".join(["%s"] * len(organization_ids))
    sql = (
        f"SELECT s.id FROM standards_standard s "  # noqa: S608 (constant names, bound values)
        f"LEFT JOIN {ROW_TABLE} r ON r.standard_id = s.id AND r.kind = 's' "
        f"WHERE s.organization_id IN ({marks}) AND (r.id IS NULL "
        "OR r.number <> s.number OR r.title <> s.title OR r.english_title <> s.english_title "
        f"OR r.version_key <> COALESCE({SEARCHABLE_VERSION_KEY}, '')) "
        "ORDER BY s.id LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*organization_ids, limit])
        return [row[0] for row in cursor.fetchall()]


def index_refresh(organization_ids: list[int]) -> int:
    """Index again the standards whose rows are out of date (at most REFRESH_LIMIT)."""
    stale = stale_standards(organization_ids)
    for pk in stale:
        search_index_standard(pk)
    return len(stale)


def search_reindex(*, organization_ids: list[int] | None = None) -> tuple[int, int]:
    """Rebuild the index (of some organizations, or all, dropping rows of standards that no
    longer exist). Returns (standards, rows)."""
    standards = Standard.objects.order_by("pk")
    if organization_ids is not None:
        standards = standards.filter(organization_id__in=organization_ids)
    else:
        with transaction.atomic(), connection.cursor() as cursor:
            backend().delete_orphans(cursor)
    count = rows = 0
    for pk in standards.values_list("pk", flat=True).iterator():
        rows += search_index_standard(pk)
        count += 1
    return count, rows
