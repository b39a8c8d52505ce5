"""The findings API under /api/v1/: findings with their rectification (list and detail,
filters ``status``, ``severity``, ``overdue``, ``mine``) and the steps of the rectification
loop as POST actions. Every step calls ``services.rectification_step``, the same function
as the buttons on the finding page, so the rules, the change log and the notifications are
the pages' own; a refusal answers in the project's error shape."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from houqin.checklists.models import Severity
from houqin.checklists.selectors import membership
from houqin.common.viewsets import ModelPermission
from houqin.findings import services
from houqin.findings.models import FIX, MANAGE, Finding, Rectification
from houqin.findings.selectors import finding_get, finding_rows

R = Rectification.Status


class RectificationSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    department_name = serializers.CharField(
        source="department.name", read_only=True, allow_null=True, default=None
    )
    vendor_name = serializers.CharField(
        source="vendor.name", read_only=True, allow_null=True, default=None
    )
    overdue = serializers.SerializerMethodField(help_text="待整改或退回重改且已过整改期限")

    class Meta:
        model = Rectification
        fields = [
            "id",
            "status",
            "status_label",
            "department",
            "department_name",
            "person",
            "vendor",
            "vendor_name",
            "deadline",
            "overdue",
            "evidence",
            "fixed_at",
            "verifier",
            "effect_due",
            "closed_at",
            "escalation",
        ]
        read_only_fields = fields

    def get_overdue(self, obj: Rectification) -> bool:
        return services.is_overdue(obj)


class FindingSerializer(serializers.ModelSerializer):
    # a plain string: other apps' "severity" fields use other choice sets
    severity = serializers.CharField(read_only=True, help_text="严重程度：minor、major、critical")
    source_label = serializers.CharField(source="get_source_display", read_only=True)
    severity_label = serializers.CharField(source="get_severity_display", read_only=True)
    place_name = serializers.CharField(
        source="place.name", read_only=True, allow_null=True, default=None
    )
    rectification = RectificationSerializer(read_only=True)

    class Meta:
        model = Finding
        fields = [
            "id",
            "source",
            "source_label",
            "title",
            "description",
            "severity",
            "severity_label",
            "record",
            "item",
            "clause",
            "place",
            "place_name",
            "equipment",
            "raised_by",
            "raised_at",
            "repeat_of",
            "rectification",
        ]
        read_only_fields = fields


class StepSerializer(serializers.Serializer):
    note = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=1000, help_text="说明或原因"
    )


class SubmitSerializer(serializers.Serializer):
    evidence = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=1000,
        help_text="整改做了什么（没有照片时必填）",
    )
    photos = serializers.ListField(
        child=serializers.ImageField(),
        required=False,
        default=list,
        help_text="整改后的照片（multipart，字段名 photos，可多张）",
    )


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=1000, help_text="原因（必填）")


class FixesOrManages(permissions.BasePermission):
    """The steps need the right to fix (整改) or to manage findings, as on the page."""

    def has_permission(self, request: Any, view: Any) -> bool:
        return bool(request.user.has_perm(FIX) or request.user.has_perm(MANAGE))


def _flag(request: Request, name: str) -> bool:
    return request.query_params.get(name, "").lower() in ("1", "true", "yes")


PARAMETERS = [
    OpenApiParameter("status", OpenApiTypes.STR, enum=[s.value for s in R], description="整改状态"),
    OpenApiParameter(
        "severity", OpenApiTypes.STR, enum=[s.value for s in Severity], description="严重程度"
    ),
    OpenApiParameter("overdue", OpenApiTypes.BOOL, description="1：只列逾期未整改的"),
    OpenApiParameter(
        "mine", OpenApiTypes.BOOL, description="1：只列要我整改的（点名给我，或我的科室、服务商的）"
    ),
]
STEP_ACTIONS = [permissions.IsAuthenticated, FixesOrManages]


@extend_schema_view(
    list=extend_schema(summary="问题列表（含整改）", parameters=PARAMETERS),
    retrieve=extend_schema(summary="问题详情（含整改）"),
)
class FindingViewSet(viewsets.ReadOnlyModelViewSet):
    """问题和它的整改，按发现时间从新到旧；整改的每一步用 POST 操作，与问题页面上的按钮相同。"""

    permission_classes = [permissions.IsAuthenticated, ModelPermission]
    serializer_class = FindingSerializer
    queryset = Finding.objects.none()
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self) -> QuerySet[Finding]:
        user: Any = self.request.user
        rows = finding_rows(user=user).filter(rectification__isnull=False)
        if self.action != "list":
            return rows
        params = self.request.query_params
        status = params.get("status", "")
        if status:
            if status not in R.values:
                raise ValidationError({"status": ["没有这个整改状态。"]})
            rows = rows.filter(rectification__status=status)
        severity = params.get("severity", "")
        if severity:
            if severity not in Severity.values:
                raise ValidationError({"severity": ["没有这个严重程度。"]})
            rows = rows.filter(severity=severity)
        if _flag(self.request, "overdue"):
            rows = rows.filter(
                rectification__status__in=services.OPEN,
                rectification__deadline__lt=timezone.now(),
            )
        if _flag(self.request, "mine"):
            rows = rows.filter(self._mine(user))
        return rows.order_by("-raised_at", "-pk")

    @staticmethod
    def _mine(user: Any) -> Q:
        """Named to me, or (no one named) my department's or my vendor's."""
        unnamed = Q(rectification__person__isnull=True)
        mine = Q(rectification__person_id=user.pk)
        if user.department_id:
            mine |= unnamed & Q(rectification__department_id=user.department_id)
        vendor_id = membership(user).vendor_id
        if vendor_id:
            mine |= unnamed & Q(rectification__vendor_id=vendor_id)
        return mine

    def _finding(self, request: Request, pk: Any) -> Finding:
        """The finding to act on, of the user's own organization (else 404), looked up
        before the request body is read."""
        return finding_get(user=request.user, pk=pk, action="change")

    def _step(self, request: Request, pk: Any, step: str, note: str, photos: Any = ()) -> Response:
        user: Any = request.user
        finding = self._finding(request, pk)
        services.rectification_step(
            rectification=finding.rectification,
            actor=user,
            step=step,
            note=note,
            photos=list(photos),
        )
        fresh = finding_get(user=user, pk=pk)
        return Response(FindingSerializer(fresh, context=self.get_serializer_context()).data)

    @extend_schema(
        summary="提交整改",
        request={"multipart/form-data": SubmitSerializer, "application/json": SubmitSerializer},
        responses=FindingSerializer,
        description="整改人（点名的人、责任科室或服务商的人员）写明整改做了什么并附照片；"
        "提交后等待发现人或验收人验收。",
    )
    @action(detail=True, methods=["post"], permission_classes=STEP_ACTIONS)
    def submit(self, request: Request, pk: Any = None) -> Response:
        self._finding(request, pk)
        given = SubmitSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        photos = request.FILES.getlist("photos") if request.FILES else []
        return self._step(request, pk, "fix", given.validated_data["evidence"], photos)

    @extend_schema(
        summary="验收通过",
        request=None,
        responses=FindingSerializer,
        description="发现人或有验收权限的人验收；较重、严重问题转为待复查，其余关闭。",
    )
    @action(detail=True, methods=["post"], permission_classes=STEP_ACTIONS)
    def accept(self, request: Request, pk: Any = None) -> Response:
        return self._step(request, pk, "accept", "")

    @extend_schema(summary="退回重改", request=ReasonSerializer, responses=FindingSerializer)
    @action(detail=True, methods=["post"], url_path="send-back", permission_classes=STEP_ACTIONS)
    def send_back(self, request: Request, pk: Any = None) -> Response:
        self._finding(request, pk)
        given = ReasonSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        return self._step(request, pk, "send_back", given.validated_data["reason"])

    @extend_schema(
        summary="复查有效，关闭",
        request=None,
        responses=FindingSerializer,
        description="复查日期到了且问题没有再发生时关闭。",
    )
    @action(detail=True, methods=["post"], permission_classes=STEP_ACTIONS)
    def confirm(self, request: Request, pk: Any = None) -> Response:
        return self._step(request, pk, "confirm", "")

    @extend_schema(
        summary="复查无效，重新整改", request=ReasonSerializer, responses=FindingSerializer
    )
    @action(detail=True, methods=["post"], permission_classes=STEP_ACTIONS)
    def reopen(self, request: Request, pk: Any = None) -> Response:
        self._finding(request, pk)
        given = ReasonSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        return self._step(request, pk, "reopen", given.validated_data["reason"])


router = SimpleRouter()
router.register("findings", FindingViewSet, basename="finding")
