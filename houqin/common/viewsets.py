"""Base classes of the read APIs of org-scoped models (kept apart from common.api, which
DRF imports from its settings)."""

from __future__ import annotations

from typing import Any

from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import filters, permissions, viewsets

from houqin.common.filters import OrgFilterSet


class ModelPermission(permissions.DjangoModelPermissions):
    """Reads need the model's view permission too (DRF's default lets any signed-in user)."""

    perms_map = {
        **permissions.DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
        "OPTIONS": ["%(app_label)s.view_%(model_name)s"],
    }


class OrgFilterBackend(DjangoFilterBackend):
    """Gives an OrgFilterSet the user's organization, as the pages do."""

    def get_filterset_kwargs(self, request: Any, queryset: Any, view: Any) -> dict[str, Any]:
        kwargs = super().get_filterset_kwargs(request, queryset, view)
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is not None and issubclass(filterset_class, OrgFilterSet):
            kwargs["organization_id"] = request.user.organization_id
        return kwargs


class ScopedViewSet(viewsets.ReadOnlyModelViewSet):
    """A read API of an org-scoped model: rows only through for_user, the page's FilterSet,
    the model permissions."""

    permission_classes = [permissions.IsAuthenticated, ModelPermission]
    filter_backends = [OrgFilterBackend, filters.SearchFilter, filters.OrderingFilter]
    related: tuple[str, ...] = ()

    def get_queryset(self) -> Any:
        model = self.serializer_class.Meta.model  # type: ignore[union-attr]
        rows = model.objects.for_user(self.request.user, "view").select_related(*self.related)
        return rows.order_by("pk")
