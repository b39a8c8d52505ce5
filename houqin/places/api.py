"""The read API of places and equipment: rows through ``for_user``, the pages' filter sets,
``search`` and ``ordering``, paginated, model view permissions (common.viewsets).

Include under /api/v1/ with ``path("places/", include(places_router.urls))``:
/api/v1/places/places/ and /api/v1/places/equipment/."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Length, Substr
from rest_framework import serializers
from rest_framework.routers import SimpleRouter

from houqin.common.viewsets import ScopedViewSet
from houqin.places.filters import EquipmentFilter, PlaceFilter
from houqin.places.models import Equipment, Place


class PlaceSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    parent = serializers.IntegerField(  # type: ignore[assignment]
        source="parent_pk", read_only=True, allow_null=True, help_text="上级场所的 id；顶层为空"
    )
    department_name = serializers.CharField(
        source="department.name", read_only=True, allow_null=True, default=None
    )
    equipment_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Place
        fields = [
            "id",
            "code",
            "name",
            "kind",
            "kind_label",
            "parent",
            "depth",
            "numchild",
            "area_m2",
            "department",
            "department_name",
            "active",
            "equipment_count",
            "updated_at",
        ]
        read_only_fields = fields


class EquipmentSerializer(serializers.ModelSerializer):
    type_label = serializers.CharField(source="get_type_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    place_code = serializers.CharField(source="place.code", read_only=True)
    place_name = serializers.CharField(source="place.name", read_only=True)

    class Meta:
        model = Equipment
        fields = [
            "id",
            "code",
            "name",
            "type",
            "type_label",
            "model",
            "serial",
            "place",
            "place_code",
            "place_name",
            "installed_on",
            "certificate_no",
            "certificate_expires",
            "status",
            "status_label",
            "updated_at",
        ]
        read_only_fields = fields


class PlaceViewSet(ScopedViewSet):
    """场所（园区、楼宇、楼层、房间、点位），按树的顺序；含上级 id 和设备数。"""

    serializer_class = PlaceSerializer
    filterset_class = PlaceFilter
    search_fields = ["code", "name"]
    ordering_fields = ["code", "name", "kind"]

    def get_queryset(self) -> QuerySet[Place]:
        parent = Place.objects.filter(
            path=Substr(OuterRef("path"), 1, Length(OuterRef("path")) - Place.steplen)
        ).values("pk")[:1]
        rows: Any = Place.objects.for_user(self.request.user, "view")
        return (
            rows.select_related("department")
            .annotate(parent_pk=Subquery(parent), equipment_count=Count("equipment"))
            .order_by("path")
        )


class EquipmentViewSet(ScopedViewSet):
    """设备（电梯、空调、灭火器……），含所在场所。"""

    serializer_class = EquipmentSerializer
    filterset_class = EquipmentFilter
    search_fields = ["code", "name", "model", "serial"]
    ordering_fields = ["code", "name", "type", "status", "certificate_expires"]
    related = ("place",)


router = SimpleRouter()
router.register("places", PlaceViewSet, basename="place")
router.register("equipment", EquipmentViewSet, basename="equipment")
