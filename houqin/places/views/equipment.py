"""Equipment pages: the list and its Excel export, details, the forms, status changes,
QR code renewal and deletion."""

from __future__ import annotations

import copy
from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_POST

from houqin.accounts.models import AuditEvent
from houqin.accounts.services import audit_record
from houqin.common.decorators import perm_required
from houqin.common.exports import xlsx_response
from houqin.common.lists import Column, ListPage, url_for_pk
from houqin.places import services
from houqin.places.filters import EquipmentFilter
from houqin.places.forms import EquipmentForm
from houqin.places.labels import qr_svg_inline
from houqin.places.models import Equipment
from houqin.places.selectors import (
    changelog_for,
    equipment_get,
    equipment_list,
    place_ancestors,
    place_get,
)
from houqin.places.views._shared import (
    ADD_EQUIPMENT,
    CHANGE_EQUIPMENT,
    DELETE_EQUIPMENT,
    STATUS_HTML,
    TYPE_LABELS,
    VIEW_EQUIPMENT,
    _actor,
    _pk,
    _posted,
    _qr_regenerate,
    _save_form,
    _scan_url,
)

EQUIPMENT_COLUMNS = [
    Column("编号", "code"),
    Column("名称", "name"),
    Column("类型", "type"),
    Column("型号"),
    Column("所在场所", "place__path"),
    Column("状态", "status"),
    Column("证书有效期至", "certificate_expires"),
]


def _equipment_listing(request: HttpRequest) -> ListPage:
    return ListPage(
        request,
        equipment_list(user=_actor(request)),
        columns=EQUIPMENT_COLUMNS,
        default_sort="code",
        filterset_class=EquipmentFilter,
        filterset_kwargs={"organization_id": _actor(request).organization_id},
        search_fields=("code", "name", "model", "serial"),
    )


def _expiry_html(expires: date | None, today: date) -> SafeString:
    if expires is None:
        return mark_safe("—")
    text = expires.isoformat()
    if expires < today:
        return format_html('{} <span class="badge bg-red-lt">已过期</span>', text)
    if (expires - today).days <= 30:
        return format_html('{} <span class="badge bg-yellow-lt">即将到期</span>', text)
    return format_html("{}", text)


def equipment_row(item: Equipment, today: date) -> SafeString:
    """One row of the equipment list, built as a string."""
    return format_html(
        '<tr><td><a href="{}">{}</a></td><td>{}</td><td>{}</td><td>{}</td>'
        '<td>{} <span class="text-secondary">{}</span></td><td>{}</td><td>{}</td></tr>',
        url_for_pk("places:equipment_detail", item.pk),
        item.code,
        item.name,
        TYPE_LABELS[item.type],
        item.model or "—",
        item.place.name,
        item.place.code,
        STATUS_HTML[item.status],
        _expiry_html(item.certificate_expires, today),
    )


@perm_required(VIEW_EQUIPMENT)
def equipment_list_view(request: HttpRequest) -> HttpResponse:
    listing = _equipment_listing(request)
    page = listing.page()
    today = timezone.localdate()
    context = {
        "listing": listing,
        "page": page,
        "rows": [equipment_row(item, today) for item in page.object_list],
        "can_create": request.user.has_perm(ADD_EQUIPMENT),
    }
    template = "places/_equipment_table.html" if request.htmx else "places/equipment_list.html"  # type: ignore[attr-defined]
    return render(request, template, context)


@perm_required(VIEW_EQUIPMENT)
def equipment_export(request: HttpRequest) -> HttpResponse:
    listing = _equipment_listing(request)
    items = list(listing.rows)
    actor = _actor(request)
    audit_record(
        kind=AuditEvent.Kind.EXPORT,
        actor=actor,
        request=request,
        detail={"what": "equipment", "filter": listing.filter_note(), "rows": len(items)},
    )
    statuses = dict(Equipment.Status.choices)
    return xlsx_response(
        title="设备台账",
        headers=[
            "编号",
            "名称",
            "类型",
            "型号",
            "出厂编号",
            "所在场所",
            "场所编号",
            "状态",
            "安装日期",
            "检验证书编号",
            "证书有效期至",
        ],
        rows=(
            [
                item.code,
                item.name,
                TYPE_LABELS[item.type],
                item.model,
                item.serial,
                item.place.name,
                item.place.code,
                statuses[item.status],
                item.installed_on,
                item.certificate_no,
                item.certificate_expires,
            ]
            for item in items
        ),
        filter_note=listing.filter_note(),
        filename="设备台账.xlsx",
        exported_by=actor.name,
    )


@perm_required(VIEW_EQUIPMENT)
def equipment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _actor(request)
    item = equipment_get(user=user, pk=pk)
    own = item.organization_id == user.organization_id
    scan_url = _scan_url(request, item.qr_token)
    today = timezone.localdate()
    context = {
        "item": item,
        "status_html": STATUS_HTML[item.status],
        "expiry_html": _expiry_html(item.certificate_expires, today),
        "ancestors": [*place_ancestors(item.place), item.place],
        "qr": qr_svg_inline(scan_url, title=f"{item.name}的二维码"),
        "scan_url": scan_url,
        "changelog": changelog_for(item),
        "transitions": Equipment.workflow.available(item, user) if own else [],
        "can_change": own and user.has_perm(CHANGE_EQUIPMENT),
        "can_delete": own and user.has_perm(DELETE_EQUIPMENT),
    }
    return render(request, "places/equipment_detail.html", context)


@perm_required(ADD_EQUIPMENT)
def equipment_create(request: HttpRequest) -> HttpResponse:
    user = _actor(request)
    initial = {}
    if request.GET.get("place"):
        initial["place"] = place_get(user=user, pk=_pk(request.GET["place"]), action="change").pk
    form = EquipmentForm(_posted(request), user=user, initial=initial)
    saved = _save_form(
        request,
        form,
        lambda: services.equipment_create(
            organization=user.organization, data=form.cleaned_data, actor=user
        ),
        "places:equipment_detail",
        lambda item: f"已新建设备“{item}”。",
    )
    if saved is not None:
        return saved
    return render(
        request,
        "places/equipment_form.html",
        {"form": form, "item": None, "cancel_url": reverse("places:equipment_list")},
    )


@perm_required(CHANGE_EQUIPMENT)
def equipment_update(request: HttpRequest, pk: int) -> HttpResponse:
    user = _actor(request)
    item = equipment_get(user=user, pk=pk, action="change")
    form = EquipmentForm(_posted(request), instance=copy.copy(item), user=user)
    saved = _save_form(
        request,
        form,
        lambda: services.equipment_update(equipment=item, data=form.cleaned_data, actor=user),
        "places:equipment_detail",
    )
    if saved is not None:
        return saved
    return render(
        request,
        "places/equipment_form.html",
        {
            "form": form,
            "item": item,
            "cancel_url": url_for_pk("places:equipment_detail", item.pk),
        },
    )


@require_POST
@perm_required(CHANGE_EQUIPMENT)
def equipment_status(request: HttpRequest, pk: int) -> HttpResponse:
    user = _actor(request)
    item = equipment_get(user=user, pk=pk, action="change")
    try:
        services.equipment_status_change(
            equipment=item,
            name=request.POST.get("name", ""),
            actor=user,
            note=request.POST.get("note", "")[:300],
        )
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, f"设备状态已改为“{item.get_status_display()}”。")
    return redirect("places:equipment_detail", pk=item.pk)


@require_POST
@perm_required(CHANGE_EQUIPMENT)
def equipment_qr_regenerate(request: HttpRequest, pk: int) -> HttpResponse:
    item = equipment_get(user=_actor(request), pk=pk, action="change")
    return _qr_regenerate(request, item, "places:equipment_detail")


@require_POST
@perm_required(DELETE_EQUIPMENT)
def equipment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = _actor(request)
    item = equipment_get(user=user, pk=pk, action="delete")
    try:
        services.equipment_delete(equipment=item, actor=user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("places:equipment_detail", pk=item.pk)
    messages.success(request, f"已删除设备“{item}”。")
    return redirect("places:equipment_list")
