"""search pages of the standards app."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
