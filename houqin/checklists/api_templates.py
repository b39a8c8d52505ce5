"""Read APIs of checklist templates (with their current items) and schedules under
/api/v1/: the same selectors as the pages, scoped to the user's organization, with the
models' view permissions. Templates and schedules are changed on the pages only."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import permissions, serializers, viewsets
from rest_framework.routers import SimpleRouter

from houqin.checklists.models import ChecklistItem, ChecklistTemplate, Schedule
from houqin.checklists.selectors import (
    assignee_label,
    schedule_rows,
    subject_label,
    template_rows,
)
from houqin.checklists.services import scoring_method
from houqin.common.viewsets import ModelPermission

# Plain strings (with their labels beside them) for choice sets that other apps' fields
# of the same name use too, so the schema names no colliding enums.
KIND = "检查类型：self、patrol、supervision、special、random、third_party"
SEVERITY = "问题默认严重程度：minor、major、critical"


class ItemSerializer(serializers.ModelSerializer):
    severity = serializers.CharField(read_only=True, help_text=SEVERITY)
    answer_type_label = serializers.CharField(source="get_answer_type_display", read_only=True)
    photo_rule_label = serializers.CharField(source="get_photo_rule_display", read_only=True)
    severity_label = serializers.CharField(source="get_severity_display", read_only=True)
    standard_number = serializers.CharField(
        source="standard.number", read_only=True, allow_null=True, default=None
    )
    clause_number = serializers.CharField(
        source="clause.number", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = ChecklistItem
        fields = [
            "id",
            "key",
            "position",
            "text",
            "guidance",
            "answer_type",
            "answer_type_label",
            "unit",
            "min_value",
            "max_value",
            "choices",
            "fail_choices",
            "photo_rule",
            "photo_rule_label",
            "note_on_fail",
            "finding_on_fail",
            "critical",
            "veto",
            "score",
            "weight",
            "severity",
            "severity_label",
            "fix_days",
            "standard",
            "standard_number",
            "clause_uid",
            "clause_number",
            "clause_changed",
        ]
        read_only_fields = fields


class TemplateSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True, help_text=KIND)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    service_line_label = serializers.CharField(source="get_service_line_display", read_only=True)
    scoring_label = serializers.CharField(source="get_scoring_display", read_only=True)
    scoring_method = serializers.SerializerMethodField(help_text="计分方法的文字说明")
    department_name = serializers.CharField(
        source="department.name", read_only=True, allow_null=True, default=None
    )
    items = ItemSerializer(source="current_items", many=True, read_only=True)

    class Meta:
        model = ChecklistTemplate
        fields = [
            "id",
            "name",
            "description",
            "kind",
            "kind_label",
            "service_line",
            "service_line_label",
            "scoring",
            "scoring_label",
            "scoring_method",
            "pass_mark",
            "department",
            "department_name",
            "owner",
            "active",
            "revision",
            "items",
        ]
        read_only_fields = fields

    def get_scoring_method(self, obj: ChecklistTemplate) -> str:
        return scoring_method(obj)


class ScheduleSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True, help_text=KIND)
    place_kind = serializers.CharField(read_only=True, help_text="逐个检查场所下的哪类场所")
    template_name = serializers.CharField(source="template.name", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    frequency_label = serializers.CharField(source="get_frequency_display", read_only=True)
    days_label = serializers.CharField(source="get_days_display", read_only=True)
    assignee = serializers.SerializerMethodField(help_text="由谁检查：姓名，或“岗位：保洁员”等")
    subject = serializers.SerializerMethodField(help_text="检查的场所或设备")

    class Meta:
        model = Schedule
        fields = [
            "id",
            "name",
            "template",
            "template_name",
            "kind",
            "kind_label",
            "person",
            "post",
            "team",
            "vendor",
            "assignee",
            "place",
            "place_kind",
            "equipment",
            "subject",
            "frequency",
            "frequency_label",
            "interval",
            "weekdays",
            "month_day",
            "times",
            "days",
            "days_label",
            "window_minutes",
            "starts_on",
            "ends_on",
            "active",
        ]
        read_only_fields = fields

    def get_assignee(self, obj: Schedule) -> str:
        return assignee_label(obj)

    def get_subject(self, obj: Schedule) -> str:
        return subject_label(obj)


@extend_schema_view(
    list=extend_schema(summary="检查表列表（含现行检查项）"),
    retrieve=extend_schema(summary="检查表详情（含现行检查项）"),
)
class TemplateViewSet(viewsets.ReadOnlyModelViewSet):
    """检查表和它现行的检查项（按顺序）；只读，修改在页面上进行。"""

    permission_classes = [permissions.IsAuthenticated, ModelPermission]
    serializer_class = TemplateSerializer
    queryset = ChecklistTemplate.objects.none()

    def get_queryset(self) -> QuerySet[ChecklistTemplate]:
        user: Any = self.request.user
        current = ChecklistItem.objects.filter(current=True).select_related("standard", "clause")
        return (
            template_rows(user=user)
            .select_related("owner")
            .prefetch_related(
                Prefetch(
                    "items",
                    queryset=current.order_by("position", "pk"),
                    to_attr="current_items",
                )
            )
            .order_by("name", "pk")
        )


@extend_schema_view(
    list=extend_schema(summary="检查计划列表"),
    retrieve=extend_schema(summary="检查计划详情"),
)
class ScheduleViewSet(viewsets.ReadOnlyModelViewSet):
    """检查计划：检查表、由谁检查、检查什么、频次和完成时限；只读。"""

    permission_classes = [permissions.IsAuthenticated, ModelPermission]
    serializer_class = ScheduleSerializer
    queryset = Schedule.objects.none()

    def get_queryset(self) -> QuerySet[Schedule]:
        return schedule_rows(user=self.request.user).order_by("name", "pk")


router = SimpleRouter()
router.register("checklist-templates", TemplateViewSet, basename="checklist-template")
router.register("schedules", ScheduleViewSet, basename="schedule")
