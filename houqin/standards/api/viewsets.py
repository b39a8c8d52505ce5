"""The viewsets of the standards API: rows through the selectors, the pages' filter set,
writes through the lifecycle services."""

from __future__ import annotations

from typing import Any

from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Length, Substr
from django_filters import rest_framework as df
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from houqin.common.viewsets import ModelPermission, OrgFilterBackend
from houqin.standards import lifecycle_comments as commenting
from houqin.standards.api.serializers import (
    ClauseSerializer,
    CommentAnswerSerializer,
    CommentCreateSerializer,
    CommentSerializer,
    NodeSerializer,
    StandardDetailSerializer,
    StandardSerializer,
    VersionDetailSerializer,
    VersionSerializer,
)
from houqin.standards.api.transitions import TRANSITIONS, TransitionSerializer, transition_call
from houqin.standards.clauses import clause_tree, walk
from houqin.standards.filters import StandardFilter
from houqin.standards.models import (
    DRAFT,
    Clause,
    Comment,
    Consultation,
    Standard,
    StandardNode,
    StandardVersion,
)
from houqin.standards.search import (
    SearchPages,
    SearchResult,
    page_offset,
    search_filters,
    search_for_user,
)
from houqin.standards.selectors import sees_all_standards, standard_visible

VIEW = "standards.view_standard"


class ReadsStandards(permissions.BasePermission):
    """Versions and clauses are read by whoever may read standards (their own view
    permissions belong to no role); which of them a person sees is the queryset's job."""

    def has_permission(self, request: Request, view: Any) -> bool:
        return bool(request.user and request.user.has_perm(VIEW))


class WorksOnStandards(permissions.BasePermission):
    """Lifecycle steps are for people who run, draft or approve standards; the service of
    each step checks the finer rule (which step, which standard)."""

    def has_permission(self, request: Request, view: Any) -> bool:
        return sees_all_standards(request.user)


class StandardFilterBackend(OrgFilterBackend):
    """The pages' StandardFilter, told whether the person sees every status."""

    def get_filterset_kwargs(self, request: Any, queryset: Any, view: Any) -> dict[str, Any]:
        kwargs = super().get_filterset_kwargs(request, queryset, view)
        kwargs["sees_all"] = sees_all_standards(request.user)
        return kwargs


Q_PARAM = OpenApiParameter(
    "q",
    OpenApiTypes.STR,
    description="全文检索：标准编号、名称和条款中的词（如“留样”“GB/T 24421”）；"
    "结果按相关度排序，每项附命中的条款。不带 q 时按筛选条件列出标准。",
)


@extend_schema_view(
    list=extend_schema(summary="标准列表与全文检索", parameters=[Q_PARAM]),
    retrieve=extend_schema(summary="标准详情"),
)
class StandardViewSet(viewsets.ReadOnlyModelViewSet):
    """标准：列表（按体系节点、层级、状态、服务条线、归口科室筛选）、全文检索（q）、详情和流程操作。
    一线人员只看到现行标准。"""

    permission_classes = [permissions.IsAuthenticated, ModelPermission]
    filter_backends = [StandardFilterBackend]
    filterset_class = StandardFilter
    queryset = Standard.objects.none()

    def get_queryset(self) -> QuerySet[Standard]:
        rows = standard_visible(user=self.request.user).select_related("node", "owner_department")
        rows = rows.prefetch_related("lines")
        if self.action == "retrieve":
            brief = Standard.objects.only("pk", "number", "title")
            rows = rows.prefetch_related(
                Prefetch("replaces", queryset=brief), Prefetch("replaced_by", queryset=brief)
            )
        return rows.order_by("node__path", "number", "pk")

    def get_serializer_class(self) -> type[serializers.Serializer]:
        if self.action in ("retrieve", "transition"):
            return StandardDetailSerializer
        return StandardSerializer

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        query = request.query_params.get("q", "").strip()
        if not query:
            return super().list(request, *args, **kwargs)
        return self._search(request, query)

    def _search(self, request: Request, query: str) -> Response:
        user: Any = request.user
        filterset = StandardFilter(
            request.query_params,
            queryset=self.get_queryset(),
            organization_id=user.organization_id,
            sees_all=sees_all_standards(user),
        )
        if not filterset.is_valid():
            raise ValidationError(filterset.errors)
        filters = search_filters(filterset.form.cleaned_data, organization_id=user.organization_id)
        paginator: Any = self.paginator
        size = paginator.get_page_size(request) or 50
        offset = page_offset(request.query_params.get(paginator.page_query_param), size)

        def run(limit: int, offset: int) -> SearchResult:
            return search_for_user(user, query, filters, limit, offset)

        page = paginator.paginate_queryset(SearchPages(run, size, offset), request, view=self)
        hits = list(page or [])
        standards = {s.pk: s for s in self.get_queryset().filter(pk__in=[h.id for h in hits])}
        rows = []
        for hit in hits:
            standard = standards.get(hit.id)
            if standard is not None:
                standard.search_score = hit.score  # type: ignore[attr-defined]
                standard.search_clauses = hit.clauses  # type: ignore[attr-defined]
                rows.append(standard)
        serializer = StandardSerializer(rows, many=True, context=self.get_serializer_context())
        return paginator.get_paginated_response(serializer.data)

    @extend_schema(
        summary="流程操作",
        request=TransitionSerializer,
        responses=StandardDetailSerializer,
        description="按 name 调用对应的流程服务（与页面相同的规则）；"
        "没有权限返回 403，状态或数据不允许时返回 400 并说明原因。",
    )
    @action(
        detail=True,
        methods=["post"],
        permission_classes=[permissions.IsAuthenticated, ReadsStandards, WorksOnStandards],
    )
    def transition(self, request: Request, pk: Any = None) -> Response:
        standard = self.get_object()
        serializer = TransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        permission, _ = TRANSITIONS[data["name"]]
        if not request.user.has_perm(permission):
            raise PermissionDenied
        transition_call(data["name"], standard, request.user, data)
        fresh = self.get_queryset().filter(pk=standard.pk).first() or standard
        return Response(StandardDetailSerializer(fresh, context=self.get_serializer_context()).data)


@extend_schema_view(
    list=extend_schema(summary="标准体系节点（按树的顺序）"),
    retrieve=extend_schema(summary="标准体系节点"),
)
class StandardNodeViewSet(viewsets.ReadOnlyModelViewSet):
    """标准体系结构图的节点，按树的顺序，含上级节点 id。"""

    permission_classes = [permissions.IsAuthenticated, ModelPermission]
    serializer_class = NodeSerializer
    queryset = StandardNode.objects.none()

    def get_queryset(self) -> QuerySet[StandardNode]:
        parent = StandardNode.objects.filter(
            organization_id=OuterRef("organization_id"),
            path=Substr(OuterRef("path"), 1, Length(OuterRef("path")) - StandardNode.steplen),
        ).values("pk")[:1]
        rows: Any = StandardNode.objects.for_user(self.request.user, "view")
        return rows.annotate(parent_pk=Subquery(parent)).order_by("path")


def _visible_versions(user: Any) -> QuerySet[StandardVersion]:
    rows = StandardVersion.objects.filter(standard__in=standard_visible(user=user).values("pk"))
    if not sees_all_standards(user):
        rows = rows.filter(published_at__isnull=False)
    return rows


class VersionFilter(df.FilterSet):
    standard = df.NumberFilter(field_name="standard_id", label="标准 id")

    class Meta:
        model = StandardVersion
        fields = ["standard"]


@extend_schema_view(
    list=extend_schema(summary="标准版本（?standard= 某项标准的版本）"),
    retrieve=extend_schema(summary="标准版本及其全部条款（按文本顺序）"),
)
class StandardVersionViewSet(viewsets.ReadOnlyModelViewSet):
    """标准的版本；一线人员只看到现行标准的已发布版本。详情含全部条款，按文本顺序。"""

    permission_classes = [permissions.IsAuthenticated, ReadsStandards]
    filter_backends = [df.DjangoFilterBackend]
    filterset_class = VersionFilter
    queryset = StandardVersion.objects.none()

    def get_queryset(self) -> QuerySet[StandardVersion]:
        rows = _visible_versions(self.request.user).select_related("edited_by")
        return rows.order_by("standard_id", "-seq")

    def get_serializer_class(self) -> type[serializers.Serializer]:
        return VersionDetailSerializer if self.action == "retrieve" else VersionSerializer


class ClauseFilter(df.FilterSet):
    version = df.NumberFilter(field_name="version_id", label="版本 id")

    class Meta:
        model = Clause
        fields = ["version"]


@extend_schema_view(
    list=extend_schema(summary="条款（?version= 某个版本的条款，按文本顺序）"),
    retrieve=extend_schema(summary="条款"),
)
class ClauseViewSet(viewsets.ReadOnlyModelViewSet):
    """条款（只读）。带 version 时按文本顺序（章、条、段依次），否则按版本和顺序。"""

    permission_classes = [permissions.IsAuthenticated, ReadsStandards]
    filter_backends = [df.DjangoFilterBackend]
    filterset_class = ClauseFilter
    serializer_class = ClauseSerializer
    queryset = Clause.objects.none()

    def get_queryset(self) -> QuerySet[Clause]:
        visible = _visible_versions(self.request.user).values("pk")
        return Clause.objects.filter(version__in=visible).order_by(
            "version_id", "parent_id", "position", "pk"
        )

    def filter_queryset(self, queryset: QuerySet[Any]) -> Any:
        rows = super().filter_queryset(queryset)
        version = self.request.query_params.get("version", "")
        if self.action == "list" and version.isdigit():
            return [item.clause for item in walk(clause_tree(rows))]
        return rows


class CommentFilter(df.FilterSet):
    consultation = df.NumberFilter(field_name="consultation_id", label="征求意见 id")
    standard = df.NumberFilter(field_name="consultation__standard_id", label="标准 id")

    class Meta:
        model = Comment
        fields = ["consultation", "standard"]


class AnswersComments(permissions.BasePermission):
    """Answering is for drafters (the service checks which standard)."""

    def has_permission(self, request: Request, view: Any) -> bool:
        return bool(request.user and request.user.has_perm(DRAFT))


@extend_schema_view(
    list=extend_schema(summary="征求意见的意见（?consultation= 或 ?standard=）"),
    retrieve=extend_schema(summary="意见"),
    create=extend_schema(
        summary="提意见", request=CommentCreateSerializer, responses={201: CommentSerializer}
    ),
)
class CommentViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """征求意见中的意见：起草和管理标准的人看到全部，其他人看到自己提的和被征求意见的那些；
    提意见和答复意见走与页面相同的服务。"""

    permission_classes = [permissions.IsAuthenticated]
    filter_backends = [df.DjangoFilterBackend]
    filterset_class = CommentFilter
    serializer_class = CommentSerializer
    queryset = Comment.objects.none()

    def get_queryset(self) -> QuerySet[Comment]:
        user = self.request.user
        rows: Any = Comment.objects.for_user(user, "view")
        if not sees_all_standards(user):
            invited = (
                Q(consultation__people=user)
                | Q(consultation__departments=getattr(user, "department_id", None))
                | Q(consultation__served_units__requesters=user)
            )
            mine = Comment.objects.filter(Q(author=user) | invited).values("pk")
            rows = rows.filter(pk__in=mine)
        return rows.select_related("consultation", "author", "answered_by").order_by(
            "consultation_id", "created_at", "pk"
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = CommentCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        consultation = (
            Consultation.objects.for_user(request.user, "view")
            .select_related("standard", "version", "organization")
            .filter(pk=data["consultation"])
            .first()
        )
        if consultation is None:
            raise ValidationError({"consultation": "没有这个征求意见，请刷新后重试。"})
        comment = commenting.comment_add(
            consultation=consultation,
            actor=request.user,
            text=data["text"],
            clause_uid=data.get("clause_uid"),
        )
        comment = self.get_queryset().filter(pk=comment.pk).first() or comment
        return Response(CommentSerializer(comment).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="答复意见", request=CommentAnswerSerializer, responses=CommentSerializer)
    @action(
        detail=True,
        methods=["post"],
        permission_classes=[permissions.IsAuthenticated, AnswersComments],
    )
    def answer(self, request: Request, pk: Any = None) -> Response:
        comment = self.get_object()
        serializer = CommentAnswerSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        commenting.comment_answer(
            comment=comment,
            actor=request.user,
            disposition=serializer.validated_data["disposition"],
            reply=serializer.validated_data["reply"],
        )
        fresh = self.get_queryset().get(pk=comment.pk)
        return Response(CommentSerializer(fresh).data)
