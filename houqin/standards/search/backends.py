"""Where the index lives, per database (tables made by migration 0002_search):

- ``standards_search_row``: one row per standard (its number and titles, kind "s") and one
  per clause of its searchable version (kind "c"), with what a search filters on.
- SQLite: ``standards_search_fts``, an FTS5 table (columns ``terms`` and ``grams``, rowid =
  the row's id, ``rank`` = bm25 with terms weighted 2, grams 1).
- PostgreSQL: the row's ``tsv`` column (terms with weight A, grams D; a GIN index), ranked
  with ``ts_rank``. The tokens are given as a tsvector literal: what
  ``to_tsvector('simple', …)`` makes of them, without its parser cutting codes such as
  "gb/t" or "24421.1" its own way — so both databases match the very same tokens.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from houqin.standards.search.tokens import MAX_POSITION, Query, Streams

ROW_TABLE = "standards_search_row"
FTS_TABLE = "standards_search_fts"
MAX_TOKEN = 100  # longer "words" (a pasted URL, a serial number) are not indexed
MAX_LEXEME_POSITIONS = 255  # PostgreSQL keeps at most 256 positions of one lexeme


@dataclass(frozen=True)
class Row:
    """One row of the index."""

    organization_id: int
    standard_id: int
    kind: str  # "s" standard, "c" clause
    streams: Streams
    version_id: int | None = None
    version_key: str = ""  # "<version id>:<revision>" on the standard's row
    clause_id: int | None = None
    draft: bool = False  # a clause of a draft version: only for people who see drafts
    heading: bool = False  # a heading without text: shown after clauses with text
    number: str = ""  # the standard's number, or how the clause is cited ("5.2 注")
    title: str = ""
    english_title: str = ""

    def values(self) -> list[Any]:
        return [
            self.organization_id,
            self.standard_id,
            self.kind,
            self.version_id,
            self.version_key,
            self.clause_id,
            self.draft,
            self.heading,
            self.number,
            self.title,
            self.english_title,
        ]


def _tokens(tokens: list[str]) -> list[str]:
    return [t for t in tokens if len(t) <= MAX_TOKEN]


class Backend(ABC):
    vendor = ""

    @abstractmethod
    def replace(self, cursor: Any, standard_id: int, rows: list[Row]) -> None:
        """Put ``rows`` in the place of whatever the index held for the standard."""

    @abstractmethod
    def delete_orphans(self, cursor: Any) -> int:
        """Drop the rows of standards that no longer exist."""

    @abstractmethod
    def hit_source(self) -> tuple[str, str, str]:
        """How to reach the index rows (alias ``r``) that match a query: the FROM clause,
        the WHERE condition and the score expression (higher is better), with one
        placeholder between them, for ``match_param``."""

    @abstractmethod
    def match_param(self, query: Query) -> str:
        """The query as the backend's match parameter."""

    @abstractmethod
    def bare_sql(self) -> str:
        """The plainest ranked full-text query on the same index (for the benchmark)."""


class SQLiteBackend(Backend):
    vendor = "sqlite"

    def replace(self, cursor: Any, standard_id: int, rows: list[Row]) -> None:
        cursor.execute(
            "DELETE FROM standards_search_fts WHERE rowid IN "
            "(SELECT id FROM standards_search_row WHERE standard_id = %s)",
            [standard_id],
        )
        cursor.execute("DELETE FROM standards_search_row WHERE standard_id = %s", [standard_id])
        if not rows:
            return
        # Inside the caller's transaction SQLite holds the write lock, so the ids are ours.
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM standards_search_row")
        first = int(cursor.fetchone()[0]) + 1
        ids = range(first, first + len(rows))
        cursor.executemany(
            "INSERT INTO standards_search_row (id, organization_id, standard_id, kind, "
            "version_id, version_key, clause_id, draft, heading, number, title, english_title) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            [[pk, *row.values()] for pk, row in zip(ids, rows, strict=True)],
        )
        cursor.executemany(
            "INSERT INTO standards_search_fts (rowid, terms, grams) VALUES (%s, %s, %s)",
            [
                [pk, " ".join(_tokens(row.streams.terms)), " ".join(_tokens(row.streams.grams))]
                for pk, row in zip(ids, rows, strict=True)
            ],
        )

    def delete_orphans(self, cursor: Any) -> int:
        cursor.execute(
            "DELETE FROM standards_search_fts WHERE rowid IN (SELECT id FROM standards_search_row "
            "WHERE standard_id NOT IN (SELECT id FROM standards_standard))"
        )
        cursor.execute(
            "DELETE FROM standards_search_row "
            "WHERE standard_id NOT IN (SELECT id FROM standards_standard)"
        )
        return int(cursor.rowcount or 0)

    def hit_source(self) -> tuple[str, str, str]:
        return (
            "standards_search_fts f JOIN standards_search_row r ON r.id = f.rowid",
            "standards_search_fts MATCH %s",
            "-f.rank",
        )

    def match_param(self, query: Query) -> str:
        return query.fts5()

    def bare_sql(self) -> str:
        return (
            "SELECT rowid, rank FROM standards_search_fts "
            "WHERE standards_search_fts MATCH %s ORDER BY rank"
        )


def tsvector_literal(streams: Streams) -> str:
    """The streams as a tsvector literal: terms at positions 1…n with weight A, then the
    grams (weight D) — consecutive, so a word's grams match as a phrase (``<->``)."""
    positions: dict[str, list[str]] = {}
    position = 0
    for weight, tokens in (("A", streams.terms), ("", streams.grams)):
        for token in _tokens(tokens):
            position = min(position + 1, MAX_POSITION)
            slots = positions.setdefault(token, [])
            if len(slots) < MAX_LEXEME_POSITIONS:
                slots.append(f"{position}{weight}")
    return " ".join(
        "'" + token.replace("\\", "\\\\").replace("'", "''") + "':" + ",".join(slots)
        for token, slots in positions.items()
    )


class PostgresBackend(Backend):
    vendor = "postgresql"

    def replace(self, cursor: Any, standard_id: int, rows: list[Row]) -> None:
        # Two writers of one standard wait for each other instead of both inserting.
        cursor.execute("SELECT id FROM standards_standard WHERE id = %s FOR UPDATE", [standard_id])
        cursor.execute("DELETE FROM standards_search_row WHERE standard_id = %s", [standard_id])
        if rows:
            cursor.executemany(
                "INSERT INTO standards_search_row (organization_id, standard_id, kind, "
                "version_id, version_key, clause_id, draft, heading, number, title, english_title, "
                "tsv) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s::tsvector)",
                [[*row.values(), tsvector_literal(row.streams)] for row in rows],
            )

    def delete_orphans(self, cursor: Any) -> int:
        cursor.execute(
            "DELETE FROM standards_search_row r WHERE NOT EXISTS "
            "(SELECT 1 FROM standards_standard s WHERE s.id = r.standard_id)"
        )
        return int(cursor.rowcount or 0)

    def hit_source(self) -> tuple[str, str, str]:
        return (
            "standards_search_row r CROSS JOIN (SELECT %s::tsquery AS query) q",
            "r.tsv @@ q.query",
            "ts_rank('{0.5, 0, 0, 1}', r.tsv, q.query)",
        )

    def match_param(self, query: Query) -> str:
        return query.tsquery()

    def bare_sql(self) -> str:
        return (
            "SELECT r.id, ts_rank('{0.5, 0, 0, 1}', r.tsv, q.query) AS score "
            "FROM standards_search_row r "
            "CROSS JOIN (SELECT %s::tsquery AS query) q WHERE r.tsv @@ q.query ORDER BY score DESC"
        )


BACKENDS: dict[str, Backend] = {b.vendor: b for b in (SQLiteBackend(), PostgresBackend())}


def backend() -> Backend:
    """The backend of the default database."""
    try:
        return BACKENDS[connection.vendor]
    except KeyError:
        raise ImproperlyConfigured(
            f"全文检索只支持 SQLite 和 PostgreSQL，当前数据库为 {connection.vendor}。"
        ) from None
