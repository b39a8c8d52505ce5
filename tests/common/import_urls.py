"""The test URLconf plus the Excel import pages, until houqin/urls.py includes them under
"import/" (then this adds nothing)."""

from django.urls import include, path

from houqin.common.import_views import import_urlpatterns
from tests.common.urls import handler403, handler404, handler500
from tests.common.urls import urlpatterns as base_patterns

__all__ = ["handler403", "handler404", "handler500", "urlpatterns"]

_included = any(getattr(p, "namespace", None) == "imports" for p in base_patterns)
urlpatterns = (
    base_patterns
    if _included
    else [*base_patterns, path("import/", include((import_urlpatterns, "imports")))]
)
