"""The standards API under /api/v1/: nodes, standards (with full-text search), versions,
clauses, comments and lifecycle transitions, through the same selectors, filter set and
services as the pages.

``GET /api/v1/standards/?q=<words>`` is a contract: the standards that match, best first,
each with its number, title, status, level and ``clauses`` — the matching clauses as
``{uid, number, snippet}`` (the snippet is HTML: escaped text, the words in ``<mark>``).
Without ``q`` the same endpoint lists standards, filtered by node (with its branch), level,
status (``current`` = 现行), service line and owner department."""

from rest_framework.routers import SimpleRouter

from houqin.standards.api.viewsets import (
    ClauseViewSet,
    CommentViewSet,
    StandardNodeViewSet,
    StandardVersionViewSet,
    StandardViewSet,
)

router = SimpleRouter()
router.register("standards", StandardViewSet, basename="standard")
router.register("standard-nodes", StandardNodeViewSet, basename="standard-node")
router.register("standard-versions", StandardVersionViewSet, basename="standard-version")
router.register("clauses", ClauseViewSet, basename="clause")
router.register("standard-comments", CommentViewSet, basename="standard-comment")
