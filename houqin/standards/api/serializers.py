"""Serializers of the standards API (read shapes, and the bodies of comments and answers)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from houqin.common.lists import url_for_pk
from houqin.standards import lifecycle_comments as commenting
from houqin.standards.clauses import version_items, walk
from houqin.standards.models import (
    Clause,
    Comment,
    Standard,
    StandardNode,
    StandardVersion,
)
from houqin.standards.selectors import sees_all_standards


class ClauseHitSerializer(serializers.Serializer):
    uid = serializers.UUIDField(help_text="条款标识，跨版本不变；页面锚点为 #c-<uid>")
    number = serializers.CharField(help_text="条款编号，如 5.2、5.2 注、附录A")
    snippet = serializers.CharField(help_text="命中处的摘录（HTML：已转义，关键词在 <mark> 中）")


def _codes(choices: list[tuple[str, str]]) -> str:
    return "、".join(f"{value} {label}" for value, label in choices)


class StandardSerializer(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True, help_text=_codes(Standard.Status.choices))
    level_label = serializers.CharField(source="get_level_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    node_code = serializers.CharField(source="node.code", read_only=True)
    node_name = serializers.CharField(source="node.name", read_only=True)
    owner_department_name = serializers.CharField(
        source="owner_department.name", read_only=True, default=None, allow_null=True
    )
    lines = serializers.SerializerMethodField(help_text="适用的服务条线代码")
    url = serializers.SerializerMethodField(help_text="标准页面地址")
    score = serializers.SerializerMethodField(help_text="检索相关度（仅带 q 时）")
    clauses = serializers.SerializerMethodField(help_text="命中的条款（仅带 q 时）")

    class Meta:
        model = Standard
        fields = [
            "id",
            "number",
            "title",
            "english_title",
            "level",
            "level_label",
            "status",
            "status_label",
            "node",
            "node_code",
            "node_name",
            "owner_department",
            "owner_department_name",
            "lines",
            "published_on",
            "effective_on",
            "review_due_on",
            "url",
            "score",
            "clauses",
        ]
        read_only_fields = fields

    def get_lines(self, obj: Standard) -> list[str]:
        return [line.line for line in obj.lines.all()]

    def get_url(self, obj: Standard) -> str:
        return url_for_pk("standards:standard_detail", obj.pk)

    def get_score(self, obj: Standard) -> float | None:
        return getattr(obj, "search_score", None)

    @extend_schema_field(ClauseHitSerializer(many=True))
    def get_clauses(self, obj: Standard) -> list[dict[str, Any]]:
        hits = getattr(obj, "search_clauses", ())
        return [{"uid": h.uid, "number": h.number, "snippet": str(h.snippet)} for h in hits]


class StandardBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Standard
        fields = ["id", "number", "title"]
        read_only_fields = fields


class VersionBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = StandardVersion
        fields = ["id", "seq", "number", "published_at"]
        read_only_fields = fields


class StandardDetailSerializer(StandardSerializer):
    replaces = StandardBriefSerializer(many=True, read_only=True)
    replaced_by = StandardBriefSerializer(many=True, read_only=True)
    versions = serializers.SerializerMethodField(help_text="可见的版本，新的在前")

    class Meta(StandardSerializer.Meta):
        fields = [
            *StandardSerializer.Meta.fields,
            "issuing_body",
            "drafting_units",
            "drafters",
            "reason",
            "scope",
            "review_years",
            "withdrawn_on",
            "replaces",
            "replaced_by",
            "versions",
        ]
        read_only_fields = fields

    @extend_schema_field(VersionBriefSerializer(many=True))
    def get_versions(self, obj: Standard) -> list[dict[str, Any]]:
        rows = obj.versions.order_by("-seq")
        if not sees_all_standards(self.context["request"].user):
            rows = rows.filter(published_at__isnull=False)
        return VersionBriefSerializer(rows, many=True).data  # type: ignore[return-value]


class NodeSerializer(serializers.ModelSerializer):
    parent = serializers.IntegerField(  # type: ignore[assignment]
        source="parent_pk", read_only=True, allow_null=True, help_text="上级节点 id；顶层为空"
    )

    class Meta:
        model = StandardNode
        fields = ["id", "code", "name", "description", "retired", "depth", "parent", "numchild"]
        read_only_fields = fields


class ClauseSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True, help_text=_codes(Clause.Kind.choices))
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    provision_label = serializers.CharField(source="get_provision_display", read_only=True)

    class Meta:
        model = Clause
        fields = [
            "id",
            "uid",
            "version",
            "parent",
            "position",
            "kind",
            "kind_label",
            "number",
            "title",
            "text",
            "provision",
            "provision_label",
            "extra",
        ]
        read_only_fields = fields


class TreeClauseSerializer(ClauseSerializer):
    depth = serializers.IntegerField(read_only=True, help_text="层级，最上一层为 0")

    class Meta(ClauseSerializer.Meta):
        fields = [*ClauseSerializer.Meta.fields, "depth"]
        read_only_fields = fields


class VersionSerializer(serializers.ModelSerializer):
    edited_by_name = serializers.CharField(
        source="edited_by.name", read_only=True, default=None, allow_null=True
    )
    is_published = serializers.BooleanField(read_only=True)

    class Meta:
        model = StandardVersion
        fields = [
            "id",
            "standard",
            "seq",
            "number",
            "based_on",
            "is_published",
            "published_at",
            "change_summary",
            "revision",
            "created_at",
            "edited_at",
            "edited_by_name",
        ]
        read_only_fields = fields


class VersionDetailSerializer(VersionSerializer):
    clauses = serializers.SerializerMethodField(help_text="全部条款，按文本顺序")

    class Meta(VersionSerializer.Meta):
        fields = [*VersionSerializer.Meta.fields, "clauses"]
        read_only_fields = fields

    @extend_schema_field(TreeClauseSerializer(many=True))
    def get_clauses(self, obj: StandardVersion) -> list[dict[str, Any]]:
        rows = []
        for item in walk(version_items(obj)):
            item.clause.depth = item.depth  # type: ignore[attr-defined]
            rows.append(item.clause)
        return TreeClauseSerializer(rows, many=True).data  # type: ignore[return-value]


class CommentSerializer(serializers.ModelSerializer):
    standard = serializers.IntegerField(source="consultation.standard_id", read_only=True)
    author_name = serializers.CharField(source="author.name", read_only=True)
    disposition_label = serializers.CharField(source="get_disposition_display", read_only=True)
    answered_by_name = serializers.CharField(
        source="answered_by.name", read_only=True, default=None, allow_null=True
    )

    class Meta:
        model = Comment
        fields = [
            "id",
            "consultation",
            "standard",
            "clause_uid",
            "clause_number",
            "author",
            "author_name",
            "author_unit",
            "text",
            "disposition",
            "disposition_label",
            "reply",
            "answered_by_name",
            "answered_at",
            "created_at",
        ]
        read_only_fields = fields


class CommentCreateSerializer(serializers.Serializer):
    consultation = serializers.IntegerField(help_text="征求意见 id")
    text = serializers.CharField(max_length=commenting.COMMENT_MAX, help_text="意见内容")
    clause_uid = serializers.UUIDField(
        required=False, allow_null=True, help_text="针对的条款（条款标识）；不填为总体意见"
    )


class CommentAnswerSerializer(serializers.Serializer):
    disposition = serializers.ChoiceField(
        choices=[c for c in Comment.Disposition.choices if c[0] != "pending"],
        help_text="采纳 accepted、部分采纳 partly、不采纳 rejected",
    )
    reply = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="处理说明（部分采纳、不采纳时必填）"
    )
