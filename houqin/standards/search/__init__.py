"""Chinese full-text search over standards and their clauses, behind one interface:

    search(organization_ids, query, filters, limit, offset) -> SearchResult

jieba cuts the text into words (``tokens``); SQLite keeps them in an FTS5 table, PostgreSQL
in a tsvector column (``backends``); the index follows the standards (``index``); a hit
shows its matching clauses with the words marked (``highlight``). Rebuild with
``manage.py search_reindex``."""

from houqin.standards.search.index import (
    index_refresh,
    search_index_standard,
    search_reindex,
)
from houqin.standards.search.service import (
    CURRENT,
    ClauseHit,
    SearchFilters,
    SearchPages,
    SearchResult,
    StandardHit,
    page_offset,
    search,
    search_filters,
    search_for_user,
)
from houqin.standards.search.tokens import Query, parse

__all__ = [
    "CURRENT",
    "ClauseHit",
    "Query",
    "SearchFilters",
    "SearchPages",
    "SearchResult",
    "StandardHit",
    "index_refresh",
    "page_offset",
    "parse",
    "search",
    "search_filters",
    "search_for_user",
    "search_index_standard",
    "search_reindex",
]
