"""The tasks API under /api/v1/: the same selectors and services as the pages.

``GET /api/v1/tasks/?mine=1`` is a contract: the tasks that are the signed-in person's to do
(theirs, and those of their post, team or vendor that no one else has taken), by due time;
without ``date`` or ``status`` those whose window touches today plus those still overdue —
the phone's “我的任务”. ``status`` and ``date`` (YYYY-MM-DD) narrow any list. People who do
not see the schedules (workers, vendor staff) only ever list their own tasks."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from houqin.checklists import services
from houqin.checklists.models import DO_TASKS, Task
from houqin.checklists.selectors import (
    assignee_label,
    day_bounds,
    task_rows,
    tasks_mine,
)
from houqin.common.viewsets import ModelPermission

VIEW_SCHEDULE = "checklists.view_schedule"
T = Task.Status


class TaskSerializer(serializers.ModelSerializer):
    template_name = serializers.CharField(source="template.name", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    place_name = serializers.CharField(
        source="place.name", read_only=True, allow_null=True, default=None
    )
    equipment_name = serializers.CharField(
        source="equipment.name", read_only=True, allow_null=True, default=None
    )
    assignee = serializers.SerializerMethodField(help_text="由谁检查：姓名，或“岗位：保洁员”等")
    taken_by_name = serializers.CharField(
        source="taken_by.name", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = Task
        fields = [
            "id",
            "template",
            "template_name",
            "schedule",
            "kind",
            "kind_label",
            "status",
            "status_label",
            "opens_at",
            "due_at",
            "place",
            "place_name",
            "equipment",
            "equipment_name",
            "person",
            "post",
            "team",
            "vendor",
            "assignee",
            "taken_by",
            "taken_by_name",
            "note",
        ]
        read_only_fields = fields

    def get_assignee(self, obj: Task) -> str:
        return assignee_label(obj)


PARAMETERS = [
    OpenApiParameter(
        "mine",
        OpenApiTypes.BOOL,
        description="1：只列我的任务（不带 date 和 status 时为当天的，含仍逾期的）",
    ),
    OpenApiParameter(
        "date", OpenApiTypes.DATE, description="只列开放时间与这一天有交叉的任务（YYYY-MM-DD）"
    ),
    OpenApiParameter(
        "status", OpenApiTypes.STR, enum=[s.value for s in T], description="只列这一状态的任务"
    ),
]


class DoesChecks(permissions.BasePermission):
    def has_permission(self, request: Any, view: Any) -> bool:
        return bool(request.user.has_perm(DO_TASKS))


@extend_schema_view(
    list=extend_schema(summary="检查任务列表（mine=1：我的任务）", parameters=PARAMETERS),
    retrieve=extend_schema(summary="检查任务详情"),
)
class TaskViewSet(viewsets.ReadOnlyModelViewSet):
    """检查任务：按截止时间排序。mine=1 为我的任务；看不到检查计划的人只能列出自己的任务。"""

    permission_classes = [permissions.IsAuthenticated, ModelPermission]
    serializer_class = TaskSerializer
    queryset = Task.objects.none()

    def _flag(self, name: str) -> bool:
        return self.request.query_params.get(name, "").lower() in ("1", "true", "yes")

    def _day(self) -> date | None:
        value = self.request.query_params.get("date", "")
        if not value:
            return None
        try:
            return date.fromisoformat(value)
        except ValueError as error:
            raise ValidationError({"date": ["日期请写成 2026-10-01 这样。"]}) from error

    def get_queryset(self) -> QuerySet[Task]:
        user: Any = self.request.user
        if self.action == "start":  # the service says why someone may not start it
            return task_rows(user=user)
        mine = self._flag("mine") or not user.has_perm(VIEW_SCHEDULE)
        rows = tasks_mine(user=user) if mine else task_rows(user=user)
        if self.action != "list":
            return rows
        status = self.request.query_params.get("status", "")
        if status:
            if status not in T.values:
                raise ValidationError({"status": ["没有这个状态。"]})
            rows = rows.filter(status=status)
        day = self._day()
        if day is not None:
            start, end = day_bounds(day)
            rows = rows.filter(opens_at__lt=end, due_at__gte=start)
        elif self._flag("mine") and not status:
            start, end = day_bounds(timezone.localdate())
            rows = rows.filter(Q(opens_at__lt=end, due_at__gte=start) | Q(status=T.OVERDUE))
            rows = rows.exclude(status=T.CANCELLED)
        return rows.order_by("due_at", "pk")

    @extend_schema(
        summary="开始检查（接手任务）",
        request=None,
        responses=TaskSerializer,
        description="班组、岗位或服务商的任务由第一个开始的人接手；别人已接手或任务不是派给你的，"
        "返回 400 并说明原因。与页面上的“开始检查”相同。",
    )
    @action(
        detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated, DoesChecks]
    )
    def start(self, request: Request, pk: Any = None) -> Response:
        task = self.get_object()
        services.task_take(task=task, actor=request.user)
        return Response(TaskSerializer(task, context=self.get_serializer_context()).data)


router = SimpleRouter()
router.register("tasks", TaskViewSet, basename="task")
