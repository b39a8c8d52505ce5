"""What several place and equipment pages share: permission names, equipment type and
status labels, request helpers, the scan address and QR code regeneration."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html

from houqin.accounts.models import User
from houqin.places import services
from houqin.places.models import Equipment, Place

VIEW_PLACE = "places.view_place"
ADD_PLACE = "places.add_place"
CHANGE_PLACE = "places.change_place"
DELETE_PLACE = "places.delete_place"
VIEW_EQUIPMENT = "places.view_equipment"
ADD_EQUIPMENT = "places.add_equipment"
CHANGE_EQUIPMENT = "places.change_equipment"
DELETE_EQUIPMENT = "places.delete_equipment"

TYPE_LABELS = dict(Equipment.Type.choices)
STATUS_HTML = {
    value: format_html(
        '<span class="status status-{}"><span class="status-dot"></span>{}</span>', colour, label
    )
    for (value, label), colour in zip(
        Equipment.Status.choices, ("green", "yellow", "secondary"), strict=True
    )
}


def _actor(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _pk(value: str | None) -> int:
    if not value or not value.isdigit() or len(value) > 18:
        raise Http404
    return int(value)


def _posted(request: HttpRequest) -> Any:
    """The form data of a POST (even an empty one), None for a GET."""
    return request.POST if request.method == "POST" else None


def _add_errors(form: BaseForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _scan_url(request: HttpRequest, token: str) -> str:
    return request.build_absolute_uri(reverse("places:scan", args=[token]))


def _qr_regenerate(request: HttpRequest, obj: Place | Equipment, detail: str) -> HttpResponse:
    try:
        services.qr_token_regenerate(obj=obj, actor=_actor(request))
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, "已生成新的二维码，旧标签已失效；请打印新标签替换。")
    return redirect(detail, pk=obj.pk)
