"""Routes of /api/v1/: each app adds its viewsets here."""

from django.urls import path

from houqin.accounts.api import MeView

app_name = "api"

urlpatterns = [
    path("me/", MeView.as_view(), name="me"),
]
