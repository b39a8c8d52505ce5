"""The project's URLconf with the shared machinery's routes, for the tests of tests/common
until houqin/urls.py includes houqin.common.urls (then this adds nothing)."""

from django.urls import include, path

from houqin.urls import handler403, handler404, handler500
from houqin.urls import urlpatterns as project_patterns

__all__ = ["handler403", "handler404", "handler500", "urlpatterns"]

_included = any(getattr(p, "namespace", None) == "common" for p in project_patterns)
urlpatterns = (
    project_patterns if _included else [*project_patterns, path("", include("houqin.common.urls"))]
)
