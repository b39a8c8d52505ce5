"""The ledger and vendor-deduction API under /api/v1/appraisal/: reward/penalty entries
(list, detail, approve, reject) and deduction statements with their lines (list, detail,
the steps, appealing a line and answering an appeal). Every write calls the same service
as the pages; a vendor's manager reaches only their own vendor's statements."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import filters, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from houqin.appraisal import deduction_services as ds
from houqin.appraisal import ledger_services
from houqin.appraisal.models import DeductionLine, DeductionStatement, RewardPenalty
from houqin.appraisal.models.deductions import APPEAL, RUN, SIGN_OFF
from houqin.appraisal.models.ledger import APPROVE
from houqin.appraisal.views.ledger import LedgerFilter
from houqin.common.viewsets import OrgFilterBackend


class EntrySerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = RewardPenalty
        fields = [
            "id",
            "kind",
            "kind_label",
            "subject_kind",
            "subject_name",
            "department",
            "team",
            "vendor",
            "contract",
            "staff",
            "measure",
            "amount",
            "reason",
            "origin",
            "score",
            "finding",
            "status",
            "status_label",
            "proposed_by",
            "proposed_at",
            "decided_by",
            "decided_at",
            "decision_note",
        ]
        read_only_fields = fields


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=300, help_text="审批意见"
    )


class SeesLedger(permissions.BasePermission):
    def has_permission(self, request: Any, view: Any) -> bool:
        user = request.user
        return bool(user.has_perm(ledger_services.VIEW) or user.has_perm(APPROVE))


@extend_schema_view(
    list=extend_schema(summary="奖惩台账"), retrieve=extend_schema(summary="奖惩记录")
)
class EntryViewSet(viewsets.ReadOnlyModelViewSet):
    """奖惩记录，按登记时间从新到旧；领导用 approve / reject 审批。"""

    permission_classes = [permissions.IsAuthenticated, SeesLedger]
    serializer_class = EntrySerializer
    queryset = RewardPenalty.objects.none()
    filter_backends = [OrgFilterBackend, filters.SearchFilter]
    filterset_class = LedgerFilter
    search_fields = ["subject_name", "measure", "reason"]

    def get_queryset(self) -> QuerySet[RewardPenalty]:
        rows = ledger_services.ledger_for(self.request.user)
        return rows.order_by("-proposed_at", "-pk")

    def _decide(self, request: Request, pk: Any, name: str) -> Response:
        entry = self.get_object()
        given = NoteSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        ledger_services.entry_decide(
            entry=entry, actor=request.user, name=name, note=given.validated_data["note"]
        )
        entry.refresh_from_db()
        return Response(EntrySerializer(entry).data)

    @extend_schema(summary="批准", request=NoteSerializer, responses=EntrySerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: Any = None) -> Response:
        return self._decide(request, pk, "approve")

    @extend_schema(
        summary="不予批准（须写明原因）", request=NoteSerializer, responses=EntrySerializer
    )
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: Any = None) -> Response:
        return self._decide(request, pk, "reject")


class DeductionLineSerializer(serializers.ModelSerializer):
    appeal_label = serializers.CharField(source="get_appeal_display", read_only=True)

    class Meta:
        model = DeductionLine
        fields = [
            "id",
            "seq",
            "label",
            "rule",
            "count",
            "unit_amount",
            "amount",
            "original_amount",
            "evidence",
            "appeal",
            "appeal_label",
            "appeal_reason",
            "appealed_at",
            "answer",
            "answered_at",
        ]
        read_only_fields = fields


class StatementSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    vendor_name = serializers.CharField(source="vendor.name", read_only=True)
    contract_number = serializers.CharField(source="contract.number", read_only=True)
    lines = DeductionLineSerializer(many=True, read_only=True)

    class Meta:
        model = DeductionStatement
        fields = [
            "id",
            "month",
            "contract",
            "contract_number",
            "vendor",
            "vendor_name",
            "status",
            "status_label",
            "monthly_fee",
            "cap_percent",
            "cap_amount",
            "service_line",
            "total_before_cap",
            "total",
            "issued_at",
            "signed_by",
            "signed_at",
            "lines",
        ]
        read_only_fields = fields


class AppealSerializer(serializers.Serializer):
    line = serializers.IntegerField(help_text="扣款项编号")
    reason = serializers.CharField(max_length=1000, help_text="申诉理由")


class AnswerSerializer(serializers.Serializer):
    line = serializers.IntegerField(help_text="扣款项编号")
    accept = serializers.BooleanField(help_text="true 采纳，false 驳回")
    amount = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        required=False,
        allow_null=True,
        help_text="采纳时更正后的金额",
    )
    answer = serializers.CharField(max_length=500, help_text="答复")


class StatementStepSerializer(serializers.Serializer):
    name = serializers.ChoiceField(
        choices=list(ds.STEPS),
        help_text="issue 下发、confirm 确认、settle 申诉处理完毕、sign_off 签发",
    )


class SeesStatements(permissions.BasePermission):
    def has_permission(self, request: Any, view: Any) -> bool:
        user = request.user
        return bool(user.has_perm(ds.VIEW) or ds.sees_all(user))


@extend_schema_view(
    list=extend_schema(summary="服务商扣款单"), retrieve=extend_schema(summary="扣款单（含扣款项）")
)
class StatementViewSet(viewsets.ReadOnlyModelViewSet):
    """扣款单和扣款项，按月份从新到旧；服务商负责人只能看到本公司已下发的扣款单。"""

    permission_classes = [permissions.IsAuthenticated, SeesStatements]
    serializer_class = StatementSerializer
    queryset = DeductionStatement.objects.none()

    def get_queryset(self) -> QuerySet[DeductionStatement]:
        lines = Prefetch("lines", queryset=DeductionLine.objects.order_by("seq"))
        rows = ds.statement_rows(self.request.user).prefetch_related(lines)
        status = self.request.query_params.get("status", "")
        if status:
            rows = rows.filter(status=status)
        return rows.order_by("-month", "pk")

    def _line(self, statement: DeductionStatement, pk: int) -> DeductionLine:
        line = DeductionLine.objects.filter(statement=statement, pk=pk).first()
        if line is None:
            raise NotFound("没有这个扣款项。")
        line.statement = statement
        return line

    def _fresh(self, pk: Any) -> Response:
        return Response(StatementSerializer(self.get_queryset().get(pk=pk)).data)

    @extend_schema(
        summary="对一项提出申诉", request=AppealSerializer, responses=StatementSerializer
    )
    @action(detail=True, methods=["post"])
    def appeal(self, request: Request, pk: Any = None) -> Response:
        statement = self.get_object()
        if not request.user.has_perm(APPEAL):
            self.permission_denied(request)
        given = AppealSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        line = self._line(statement, given.validated_data["line"])
        ds.line_appeal(line=line, actor=request.user, reason=given.validated_data["reason"])
        return self._fresh(pk)

    @extend_schema(summary="答复申诉", request=AnswerSerializer, responses=StatementSerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request: Request, pk: Any = None) -> Response:
        statement = self.get_object()
        if not request.user.has_perm(RUN):
            self.permission_denied(request)
        given = AnswerSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        line = self._line(statement, data["line"])
        ds.line_answer(
            line=line,
            actor=request.user,
            accept=data["accept"],
            answer=data["answer"],
            amount=data.get("amount"),
        )
        return self._fresh(pk)

    @extend_schema(
        summary="办理一步", request=StatementStepSerializer, responses=StatementSerializer
    )
    @action(detail=True, methods=["post"])
    def step(self, request: Request, pk: Any = None) -> Response:
        statement = self.get_object()
        if not any(request.user.has_perm(p) for p in (APPEAL, RUN, SIGN_OFF)):
            self.permission_denied(request)
        given = StatementStepSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        ds.statement_step(
            statement=statement, actor=request.user, name=given.validated_data["name"]
        )
        return self._fresh(pk)


router = SimpleRouter()
router.register("ledger-entries", EntryViewSet, basename="ledger-entry")
router.register("deduction-statements", StatementViewSet, basename="deduction-statement")
