"""Houqin's URLs plus the floor: a bare view behind the same middleware and server."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from houqin.urls import handler403, handler404, handler500
from houqin.urls import urlpatterns as houqin_urlpatterns

__all__ = ["handler403", "handler404", "handler500", "urlpatterns"]


def floor(request: HttpRequest) -> HttpResponse:
    """The bare view every page is measured against."""
    return HttpResponse("hello")


urlpatterns = [*houqin_urlpatterns, path("bench/floor/", floor)]
