"""The standards API under /api/v1/: nodes, standards (with full-text search), versions,
clauses, comments and lifecycle transitions, through the same services as the pages."""

from rest_framework.routers import SimpleRouter

router = SimpleRouter()
