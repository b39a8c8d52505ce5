"""The appraisal API under /api/v1/appraisal/: schemes (read), periods (list, detail and
their steps as POST actions), scores (list per period, detail, and the breakdown: indicator
→ figures → the ids of the records, findings and ratings behind them) and appeals (list,
create, accept or reject). Every write calls the same service as the pages, so the rules,
the change log and the notifications are theirs; a refusal answers in the project's error
shape. Lists run a fixed number of queries, however many rows."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from houqin.appraisal import period_services, selectors
from houqin.appraisal.models import Appeal, AppraisalScheme, Period, Score, ScoreLine
from houqin.common.viewsets import ModelPermission

VIEW_PERIOD = "appraisal.view_period"
RUN = "appraisal.change_period"
DECIDE = "appraisal.change_appeal"


class SeesPeriods(permissions.BasePermission):
    """Scores are read by whoever may see periods (the office, leaders, the subjects)."""

    def has_permission(self, request: Any, view: Any) -> bool:
        return bool(request.user.has_perm(VIEW_PERIOD))


class Runs(permissions.BasePermission):
    """The period steps need the right to run appraisals (checked again by the workflow)."""

    def has_permission(self, request: Any, view: Any) -> bool:
        return bool(request.user.has_perm(RUN))


class Decides(permissions.BasePermission):
    """Deciding an appeal needs the right to decide (checked again by the workflow)."""

    def has_permission(self, request: Any, view: Any) -> bool:
        return bool(request.user.has_perm(DECIDE))


STEP = [permissions.IsAuthenticated, Runs]
DECIDING = [permissions.IsAuthenticated, Decides]


class SchemeVersionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    seq = serializers.IntegerField(help_text="版本号")
    status = serializers.CharField(help_text="draft 草稿、published 已发布")
    grading = serializers.CharField(help_text="score 按分数段、share 按排名比例")
    published_at = serializers.DateTimeField(allow_null=True)


class SchemeSerializer(serializers.ModelSerializer):
    subject_kind_label = serializers.CharField(source="get_subject_kind_display", read_only=True)
    versions = SchemeVersionSerializer(many=True, read_only=True)

    class Meta:
        model = AppraisalScheme
        fields = [
            "id",
            "name",
            "subject_kind",
            "subject_kind_label",
            "description",
            "archived",
            "versions",
        ]
        read_only_fields = fields


class PeriodSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    scheme_name = serializers.CharField(source="scheme.name", read_only=True)
    version_seq = serializers.IntegerField(source="version.seq", read_only=True)

    class Meta:
        model = Period
        fields = [
            "id",
            "scheme",
            "scheme_name",
            "version",
            "version_seq",
            "name",
            "cadence",
            "starts_on",
            "ends_on",
            "status",
            "status_label",
            "publicity_days",
            "publicity_ends_on",
            "done",
            "total",
            "stage",
            "computing",
            "computed_at",
            "compute_error",
            "frozen_at",
        ]
        read_only_fields = fields


class LineSerializer(serializers.ModelSerializer):
    class Meta:
        model = ScoreLine
        fields = ["id", "seq", "label", "indicator", "adjustment", "figure", "formula", "points"]
        read_only_fields = fields


class ScoreSerializer(serializers.ModelSerializer):
    grade_label = serializers.CharField(source="get_grade_display", read_only=True)
    lines = LineSerializer(many=True, read_only=True)

    class Meta:
        model = Score
        fields = [
            "id",
            "period",
            "subject_kind",
            "subject_name",
            "department",
            "team",
            "contract",
            "vendor",
            "staff",
            "base",
            "bonus",
            "deduction",
            "total",
            "rank",
            "grade",
            "grade_label",
            "lines",
        ]
        read_only_fields = fields


class AppealSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    line_label = serializers.CharField(source="line.label", read_only=True)
    subject_name = serializers.CharField(source="score.subject_name", read_only=True)

    class Meta:
        model = Appeal
        fields = [
            "id",
            "score",
            "subject_name",
            "line",
            "line_label",
            "reason",
            "status",
            "status_label",
            "submitted_by",
            "submitted_at",
            "answer",
            "decided_by",
            "decided_at",
            "points_before",
            "points_after",
        ]
        read_only_fields = fields


class AppealCreateSerializer(serializers.Serializer):
    score = serializers.IntegerField(help_text="得分 id")
    line = serializers.IntegerField(help_text="申诉的得分明细行 id")
    reason = serializers.CharField(max_length=2000, help_text="申诉理由")


class DecideSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=1000, help_text="处理意见（必填）")
    corrected = serializers.DictField(
        required=False,
        help_text='采纳时：更正后的得分 {"points": 18} 或数据 {"part": 420, "whole": 430}',
    )


class StepSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=1000)


@extend_schema_view(
    list=extend_schema(summary="考核方案列表"), retrieve=extend_schema(summary="考核方案详情")
)
class SchemeViewSet(viewsets.ReadOnlyModelViewSet):
    """考核方案及其各版本（只读）。"""

    permission_classes = [permissions.IsAuthenticated, ModelPermission]
    serializer_class = SchemeSerializer
    queryset = AppraisalScheme.objects.none()

    def get_queryset(self) -> QuerySet[AppraisalScheme]:
        return (
            AppraisalScheme.objects.for_user(self.request.user, "view")
            .prefetch_related("versions")
            .order_by("name", "pk")
        )


@extend_schema_view(
    list=extend_schema(summary="考核周期列表"), retrieve=extend_schema(summary="考核周期详情")
)
class PeriodViewSet(viewsets.ReadOnlyModelViewSet):
    """考核周期；计算得分、公示、结束公示、定稿用 POST 操作，与周期页面上的按钮相同。"""

    permission_classes = [permissions.IsAuthenticated, ModelPermission]
    serializer_class = PeriodSerializer
    queryset = Period.objects.none()

    def get_queryset(self) -> QuerySet[Period]:
        rows = selectors.periods_for(self.request.user).select_related("scheme", "version")
        return rows.order_by("-starts_on", "pk")

    def _step(self, request: Request, pk: Any, name: str) -> Response:
        period = get_object_or_404(self.get_queryset(), pk=pk)
        given = StepSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        period_services.period_step(period, name, request.user, given.validated_data["note"])
        fresh = self.get_queryset().get(pk=period.pk)
        return Response(PeriodSerializer(fresh).data)

    @extend_schema(summary="计算得分", request=StepSerializer, responses=PeriodSerializer)
    @action(detail=True, methods=["post"], permission_classes=STEP)
    def compute(self, request: Request, pk: Any = None) -> Response:
        return self._step(request, pk, "compute")

    @extend_schema(summary="公示", request=StepSerializer, responses=PeriodSerializer)
    @action(detail=True, methods=["post"], permission_classes=STEP)
    def publish(self, request: Request, pk: Any = None) -> Response:
        return self._step(request, pk, "publish")

    @extend_schema(summary="结束公示，处理申诉", request=StepSerializer, responses=PeriodSerializer)
    @action(
        detail=True,
        methods=["post"],
        url_path="close-publicity",
        permission_classes=STEP,
    )
    def close_publicity(self, request: Request, pk: Any = None) -> Response:
        return self._step(request, pk, "close_publicity")

    @extend_schema(summary="定稿", request=StepSerializer, responses=PeriodSerializer)
    @action(detail=True, methods=["post"], permission_classes=STEP)
    def freeze(self, request: Request, pk: Any = None) -> Response:
        return self._step(request, pk, "freeze")


SCORE_PARAMETERS = [
    OpenApiParameter("period", OpenApiTypes.INT, description="考核周期 id（列表必填）")
]


@extend_schema_view(
    list=extend_schema(summary="一个考核周期的得分（按名次）", parameters=SCORE_PARAMETERS),
    retrieve=extend_schema(summary="得分详情"),
)
class ScoreViewSet(viewsets.ReadOnlyModelViewSet):
    """考核得分：科室、服务商等考核对象只能看到公示后的本单位得分。"""

    permission_classes = [permissions.IsAuthenticated, SeesPeriods]
    serializer_class = ScoreSerializer
    queryset = Score.objects.none()

    def get_queryset(self) -> QuerySet[Score]:
        user: Any = self.request.user
        lines = Prefetch("lines", queryset=ScoreLine.objects.order_by("seq"))
        if self.action != "list":
            return selectors.visible_scores(user).prefetch_related(lines)
        pk = self.request.query_params.get("period", "")
        if not pk.isdigit():
            raise ValidationError({"period": ["请指定考核周期。"]})
        period = get_object_or_404(selectors.periods_for(user), pk=int(pk))
        return selectors.scores_for(user, period).prefetch_related(lines)

    @extend_schema(
        summary="得分明细：指标 → 数据 → 背后的检查记录、问题、第三方评价",
        responses=OpenApiTypes.OBJECT,
    )
    @action(detail=True, methods=["get"])
    def breakdown(self, request: Request, pk: Any = None) -> Response:
        score = get_object_or_404(
            selectors.visible_scores(request.user).select_related("period__scheme"), pk=pk
        )
        lines = []
        for line in selectors.score_breakdown(score):
            ids = [row["id"] for row in line["rows"]]
            lines.append(
                {
                    "id": line["id"],
                    "label": line["label"],
                    "role": line["role"],
                    "formula": line["formula"],
                    "points": str(line["points"]),
                    "figure": line["figure"],
                    "rows_kind": line["rows_kind"],
                    "count": line["count"],
                    "records": ids if line["rows_kind"] in ("records", "ratings") else [],
                    "ratings": ids if line["rows_kind"] == "ratings" else [],
                    "findings": ids if line["rows_kind"] == "findings" else [],
                    "tasks": ids if line["rows_kind"] == "tasks" else [],
                    "rows": [
                        {
                            "kind": row["kind"],
                            "id": row["id"],
                            "label": row["label"],
                            "state": row["state"],
                            "link": row["link"],
                            "changed_after_freeze": row["changed_after_freeze"],
                        }
                        for row in line["rows"]
                    ],
                }
            )
        return Response(
            {
                "score": score.pk,
                "subject_name": score.subject_name,
                "total": str(score.total),
                "frozen_at": score.period.frozen_at,
                "lines": lines,
            }
        )


@extend_schema_view(
    list=extend_schema(summary="申诉列表"),
    retrieve=extend_schema(summary="申诉详情"),
    create=extend_schema(summary="提出申诉", request=AppealCreateSerializer),
)
class AppealViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """申诉：公示期内考核对象对一项得分提出；考核办公室采纳（更正并重算）或驳回。"""

    permission_classes = [permissions.IsAuthenticated, ModelPermission]
    serializer_class = AppealSerializer
    queryset = Appeal.objects.none()

    def get_queryset(self) -> QuerySet[Appeal]:
        rows = selectors.appeals_for(self.request.user).select_related("score", "line")
        return rows.order_by("-submitted_at", "pk")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        given = AppealCreateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        score = get_object_or_404(
            selectors.visible_scores(request.user).select_related("period"), pk=data["score"]
        )
        line = get_object_or_404(ScoreLine, pk=data["line"], score=score)
        appeal = period_services.appeal_submit(
            score, line, reason=data["reason"], actor=request.user
        )
        return Response(AppealSerializer(self.get_queryset().get(pk=appeal.pk)).data, status=201)

    def _decide(self, request: Request, pk: Any, name: str) -> Response:
        appeal = get_object_or_404(self.get_queryset().select_related("score__period"), pk=pk)
        given = DecideSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        period_services.appeal_decide(
            appeal,
            name,
            actor=request.user,
            note=given.validated_data["note"],
            corrected=given.validated_data.get("corrected"),
        )
        return Response(AppealSerializer(self.get_queryset().get(pk=appeal.pk)).data)

    @extend_schema(summary="采纳申诉", request=DecideSerializer, responses=AppealSerializer)
    @action(detail=True, methods=["post"], permission_classes=DECIDING)
    def accept(self, request: Request, pk: Any = None) -> Response:
        return self._decide(request, pk, "accept")

    @extend_schema(summary="驳回申诉", request=DecideSerializer, responses=AppealSerializer)
    @action(detail=True, methods=["post"], permission_classes=DECIDING)
    def reject(self, request: Request, pk: Any = None) -> Response:
        return self._decide(request, pk, "reject")


router = SimpleRouter()
router.register("schemes", SchemeViewSet, basename="appraisal-scheme")
router.register("periods", PeriodViewSet, basename="appraisal-period")
router.register("scores", ScoreViewSet, basename="appraisal-score")
router.register("appeals", AppealViewSet, basename="appraisal-appeal")
