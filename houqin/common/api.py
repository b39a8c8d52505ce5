"""API conventions shared by every app: pagination and one JSON error shape.

Every error is ``{"error": {"code": ..., "message": ..., "fields": {...}}}``.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


class Pagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 200


_MESSAGES = {
    "not_authenticated": "请先登录或提供有效的接口令牌。",
    "authentication_failed": "接口令牌无效或已作废。",
    "permission_denied": "没有权限执行此操作。",
    "not_found": "对象不存在。",
    "method_not_allowed": "不支持该请求方法。",
    "throttled": "请求过于频繁，请稍后再试。",
    "invalid": "提交的数据有误，请检查后重试。",
    "parse_error": "请求内容格式有误。",
}


def _flatten(detail: Any) -> Any:
    if isinstance(detail, dict):
        return {key: _flatten(value) for key, value in detail.items()}
    if isinstance(detail, list):
        return [
            str(item) if not isinstance(item, dict | list) else _flatten(item) for item in detail
        ]
    return str(detail)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None or not isinstance(exc, exceptions.APIException):
        return response
    code = exc.get_codes() if isinstance(exc, exceptions.ValidationError) else exc.default_code
    code = code if isinstance(code, str) else "invalid"
    fields = _flatten(exc.detail) if isinstance(exc, exceptions.ValidationError) else {}
    if isinstance(fields, list):
        fields = {"non_field_errors": fields}
    message = _MESSAGES.get(code, str(exc.detail) if isinstance(exc.detail, str) else "请求有误。")
    wait = getattr(exc, "wait", None)
    if isinstance(exc, exceptions.Throttled) and wait:
        message = f"请求过于频繁，请 {int(wait) + 1} 秒后再试。"
    response.data = {"error": {"code": code, "message": message, "fields": fields}}
    if response.status_code == status.HTTP_401_UNAUTHORIZED:
        response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response
