"""Read API of the organization's data (scoped like the pages, same filter sets)."""

from __future__ import annotations

from rest_framework import serializers
from rest_framework.routers import DefaultRouter

from houqin.common.masking import mask_phone
from houqin.common.viewsets import ScopedViewSet
from houqin.org import filters
from houqin.org.models import Contract, Department, ServedUnit, Staff, Vendor


class DepartmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Department
        fields = ["id", "code", "name"]


class StaffSerializer(serializers.ModelSerializer):
    department = serializers.CharField(source="department.name", default=None)
    phone = serializers.SerializerMethodField(help_text="脱敏后的手机号")

    class Meta:
        model = Staff
        fields = ["id", "number", "name", "employment", "department", "phone", "status"]

    def get_phone(self, obj: Staff) -> str:
        return mask_phone(obj.phone)


class ServedUnitSerializer(serializers.ModelSerializer):
    class Meta:
        model = ServedUnit
        fields = ["id", "code", "name", "body", "contact"]


class VendorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Vendor
        fields = ["id", "code", "name", "contact", "scope", "active"]


class ContractSerializer(serializers.ModelSerializer):
    vendor = serializers.CharField(source="vendor.name")

    class Meta:
        model = Contract
        fields = ["id", "number", "title", "vendor", "starts_on", "ends_on", "amount", "status"]


class DepartmentViewSet(ScopedViewSet):
    serializer_class = DepartmentSerializer
    search_fields = ["code", "name"]


class StaffViewSet(ScopedViewSet):
    serializer_class = StaffSerializer
    filterset_class = filters.StaffFilter
    search_fields = ["number", "name"]
    related = ("department",)


class ServedUnitViewSet(ScopedViewSet):
    serializer_class = ServedUnitSerializer
    filterset_class = filters.ServedUnitFilter
    search_fields = ["code", "name"]


class VendorViewSet(ScopedViewSet):
    serializer_class = VendorSerializer
    search_fields = ["code", "name"]


class ContractViewSet(ScopedViewSet):
    serializer_class = ContractSerializer
    filterset_class = filters.ContractFilter
    search_fields = ["number", "title"]
    related = ("vendor",)


router = DefaultRouter()
router.register("departments", DepartmentViewSet, basename="department")
router.register("staff", StaffViewSet, basename="staff")
router.register("served-units", ServedUnitViewSet, basename="served-unit")
router.register("vendors", VendorViewSet, basename="vendor")
router.register("contracts", ContractViewSet, basename="contract")
