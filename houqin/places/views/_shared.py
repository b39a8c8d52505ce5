"""What several place and equipment pages share: permission names, equipment type and
status labels, request helpers, the scan address and QR code regeneration."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html

from houqin.accounts.models import User
from houqin.common.generic import add_errors
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


def _save_form(
    request: HttpRequest,
    form: BaseForm,
    save: Callable[[], Place | Equipment],
    detail: str,
    message: Callable[[Place | Equipment], str] = lambda obj: "已保存。",
) -> HttpResponse | None:
    """On a valid POST, save through the service and go to the detail page; a service
    error goes next to its field and None tells the view to show the form again."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        obj = save()
    except ValidationError as error:
        add_errors(form, error)
        return None
    messages.success(request, message(obj))
    return redirect(detail, pk=obj.pk)


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
