"""``POST /api/v1/standards/check/`` (a contract): check a standard against the GB/T 1.1—2020
drafting rules without storing it. Send a file (multipart field ``file``: .docx or text) or
the text itself (field ``text``). The answer is the same list as ``manage.py check_standard
--format json``: ``[{rule, severity, clause, excerpt, message, suggestion, fixable}]``; a
file that cannot be read is a 400 whose ``error.fields.file`` says why."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import permissions, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from houqin.standards.api.viewsets import ReadsStandards
from houqin.standards.checker.files import check_file
from houqin.standards.importer import ImportFailed
from houqin.standards.services import settings_for

_ISSUES = inline_serializer(
    "CheckIssue",
    many=True,
    fields={
        "rule": serializers.CharField(),
        "severity": serializers.ChoiceField(["error", "warning", "hint"]),
        "clause": serializers.CharField(),
        "excerpt": serializers.CharField(),
        "message": serializers.CharField(),
        "suggestion": serializers.CharField(),
        "fixable": serializers.BooleanField(),
    },
)


class StandardCheckView(APIView):
    """起草规则检查：上传标准文件（.docx 或文本）或提交全文，
    返回按 GB/T 1.1—2020 检查发现的问题。不保存。"""

    permission_classes = [permissions.IsAuthenticated, ReadsStandards]
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(
        request=inline_serializer(
            "CheckRequest",
            {
                "file": serializers.FileField(required=False),
                "text": serializers.CharField(required=False),
            },
        ),
        responses=_ISSUES,
    )
    def post(self, request: Request) -> Response:
        upload: Any = request.FILES.get("file")
        text = request.data.get("text") if hasattr(request.data, "get") else None
        if upload is not None:
            name, data = upload.name or "", upload.read()
        elif isinstance(text, str) and text.strip():
            name, data = "text.txt", text.encode("utf-8")
        else:
            raise ValidationError({"file": "请上传标准文件（file）或提交标准全文（text）。"})
        prefix = settings_for(request.user.organization).internal_prefix  # type: ignore[union-attr]
        try:
            result = check_file(name, data, internal_prefix=prefix)
        except ImportFailed as error:
            raise ValidationError({"file": error.message}) from error
        return Response([issue.as_json() for issue in result.issues])
