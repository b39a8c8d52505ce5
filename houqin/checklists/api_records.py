"""``POST /api/v1/records/`` (a contract): submit a task's checklist in one request — the
answers, the photos (multipart files named ``photo_<item id>``), the place and, if the person
allowed it, the phone's location. ``client_key`` is the phone's key of the draft: the first
submission answers 201 with the record; the same key sent again answers 200 with the same
record, never a second one. Sent as JSON, or as multipart with ``answers`` as a JSON text."""

from __future__ import annotations

import json
from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from houqin.checklists import services
from houqin.checklists.models import DO_TASKS, Record, Task
from houqin.places.models import Place

PHOTO_PREFIX = "photo_"
MAX_ANSWERS = 500


class DoesChecks(permissions.BasePermission):
    def has_permission(self, request: Any, view: Any) -> bool:
        return bool(request.user and request.user.has_perm(DO_TASKS))


class AnswerInSerializer(serializers.Serializer):
    item = serializers.IntegerField(help_text="检查项的 id")
    value = serializers.CharField(
        allow_blank=True,
        required=False,
        default="",
        max_length=500,
        help_text="合格/不合格项填 pass、fail 或 na；数值项填数字；选择项填选项原文；其他填文字",
    )
    note = serializers.CharField(
        allow_blank=True, required=False, default="", max_length=500, help_text="情况说明"
    )


class RecordInSerializer(serializers.Serializer):
    task = serializers.IntegerField(help_text="任务的 id")
    client_key = serializers.UUIDField(help_text="手机生成的草稿标识；重复提交时不变")
    answers = AnswerInSerializer(many=True)
    place = serializers.IntegerField(
        required=False, allow_null=True, help_text="扫码所在场所的 id（不填时为任务的场所）"
    )
    latitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, min_value=-90, max_value=90, required=False, allow_null=True
    )
    longitude = serializers.DecimalField(
        max_digits=9,
        decimal_places=6,
        min_value=-180,
        max_value=180,
        required=False,
        allow_null=True,
    )

    def validate_answers(self, value: list[dict[str, Any]]) -> list[dict[str, Any]]:
        if len(value) > MAX_ANSWERS:
            raise serializers.ValidationError(f"一次最多 {MAX_ANSWERS} 个答案。")
        return value


class RecordOutSerializer(serializers.ModelSerializer):
    result = serializers.SerializerMethodField(help_text="合格 / 不合格 / 全部不适用")
    findings = serializers.SerializerMethodField(help_text="这份记录生成的问题的 id")

    class Meta:
        model = Record
        fields = [
            "id",
            "task",
            "template",
            "client_key",
            "status",
            "score",
            "passed",
            "vetoed",
            "result",
            "wrong_place",
            "place",
            "started_at",
            "submitted_at",
            "findings",
        ]
        read_only_fields = fields

    def get_result(self, record: Record) -> str:
        if record.passed is None:
            return "全部不适用"
        return "合格" if record.passed else "不合格"

    def get_findings(self, record: Record) -> list[int]:
        return list(record.findings.order_by("pk").values_list("pk", flat=True))


def _payload(request: Request) -> dict[str, Any]:
    """The body as a dict; in a multipart body ``answers`` is a JSON text."""
    data: Any = request.data
    if not hasattr(data, "getlist"):
        return dict(data) if isinstance(data, dict) else {}
    payload = {key: data.get(key) for key in data if not key.startswith(PHOTO_PREFIX)}
    answers = payload.get("answers")
    if isinstance(answers, str):
        try:
            payload["answers"] = json.loads(answers)
        except ValueError as error:
            raise ValidationError({"answers": ["answers 应是 JSON 数组。"]}) from error
    return payload


def _photos(request: Request) -> dict[int, list[Any]]:
    photos: dict[int, list[Any]] = {}
    for name in request.FILES:
        number = name[len(PHOTO_PREFIX) :]
        if not name.startswith(PHOTO_PREFIX) or not number.isdigit():
            raise ValidationError({name: ["照片的字段名应为 photo_<检查项 id>。"]})
        photos[int(number)] = request.FILES.getlist(name)
    return photos


class RecordSubmitView(APIView):
    """提交一项任务的检查记录：答案、照片（photo_<检查项 id>）、场所和手机定位（可选）。
    同一草稿标识（client_key）重复提交返回第一次的记录（200），不会生成第二份。"""

    permission_classes = [permissions.IsAuthenticated, DoesChecks]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(
        request=RecordInSerializer,
        responses={
            201: RecordOutSerializer,
            200: OpenApiResponse(RecordOutSerializer, description="同一草稿标识已提交过：原记录"),
        },
    )
    def post(self, request: Request) -> Response:
        given = RecordInSerializer(data=_payload(request))
        given.is_valid(raise_exception=True)
        data = given.validated_data
        user: Any = request.user
        task = (
            Task.objects.for_user(user, "view")
            .select_related("template", "place", "equipment")
            .filter(pk=data["task"])
            .first()
        )
        if task is None:
            raise ValidationError({"task": ["任务不存在，或不是本单位的任务。"]})
        place = None
        if data.get("place"):
            place = Place.objects.for_user(user, "view").filter(pk=data["place"]).first()
            if place is None:
                raise ValidationError({"place": ["场所不存在，或不是本单位的场所。"]})
        record, created = services.record_send(
            task=task,
            actor=user,
            client_key=data["client_key"],
            answers=data["answers"],
            photos=_photos(request),
            place=place,
            latitude=data.get("latitude"),
            longitude=data.get("longitude"),
        )
        return Response(
            RecordOutSerializer(record).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )
