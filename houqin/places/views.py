"""Pages of places and equipment: the tree, details with QR code and change log, forms,
the equipment list, QR label printing and the scan entry ``/q/<token>``."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_POST

from houqin.accounts.models import AuditEvent, User
from houqin.accounts.services import audit_record
from houqin.common.decorators import perm_required
from houqin.common.exports import xlsx_response
from houqin.common.lists import Column, ListPage, url_for_pk
from houqin.places import services
from houqin.places.filters import EquipmentFilter, PlaceFilter
from houqin.places.forms import TOP_LEVEL, EquipmentForm, LabelForm, PlaceForm, PlaceMoveForm
from houqin.places.labels import MAX_LABELS, PER_PAGE, labels_pdf, pdf_response, qr_svg_inline
from houqin.places.models import KIND_RANK, Equipment, Place
from houqin.places.selectors import (
    TreeNode,
    changelog_for,
    equipment_get,
    equipment_list,
    label_list,
    label_querysets,
    place_ancestors,
    place_children,
    place_choices,
    place_equipment,
    place_get,
    place_move_targets,
    place_rows,
    place_trail,
    place_trail_names,
    scan_target,
)
from houqin.places.selectors import place_tree as place_tree_nodes

VIEW_PLACE = "places.view_place"
ADD_PLACE = "places.add_place"
CHANGE_PLACE = "places.change_place"
DELETE_PLACE = "places.delete_place"
VIEW_EQUIPMENT = "places.view_equipment"
ADD_EQUIPMENT = "places.add_equipment"
CHANGE_EQUIPMENT = "places.change_equipment"
DELETE_EQUIPMENT = "places.delete_equipment"

KIND_LABELS = dict(Place.Kind.choices)
KIND_BADGES = {
    "campus": "bg-blue-lt",
    "building": "bg-purple-lt",
    "floor": "bg-azure-lt",
    "room": "bg-green-lt",
    "point": "bg-yellow-lt",
}
TYPE_LABELS = dict(Equipment.Type.choices)
STATUS_HTML = {
    value: format_html(
        '<span class="status status-{}"><span class="status-dot"></span>{}</span>', colour, label
    )
    for (value, label), colour in zip(
        Equipment.Status.choices, ("green", "yellow", "secondary"), strict=True
    )
}
INACTIVE = mark_safe(' <span class="badge bg-secondary-lt">已停用</span>')


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


def _kind_badge(kind: str) -> SafeString:
    return format_html('<span class="badge {}">{}</span>', KIND_BADGES[kind], KIND_LABELS[kind])


def _place_counts(row: dict[str, Any]) -> SafeString:
    parts = []
    if row["department__name"]:
        parts.append(row["department__name"])
    if row["numchild"]:
        parts.append(f"{row['numchild']} 个下级")
    if row["equipment_count"]:
        parts.append(f"{row['equipment_count']} 台设备")
    if not parts:
        return mark_safe("")
    return format_html(
        '<span class="d-block d-md-inline ms-md-2 small text-secondary">{}</span>',
        " · ".join(parts),
    )


def _node_line(row: dict[str, Any]) -> SafeString:
    return format_html(
        '{} <a href="{}">{}</a> <span class="text-secondary">{}</span>{}{}',
        _kind_badge(row["kind"]),
        url_for_pk("places:place_detail", row["pk"]),
        row["name"],
        row["code"],
        INACTIVE if not row["active"] else "",
        _place_counts(row),
    )


SUMMARY = "place-line py-2"
LEAF = "place-line place-leaf py-2 ps-3"
CHILDREN = "place-children list-unstyled ps-4 mb-0"


def tree_html(nodes: list[TreeNode], tree_url: str) -> SafeString:
    """The nodes as nested list items, built as strings. A node whose children are not
    loaded opens with htmx (``?parent=<id>`` on the same URL); without script its link
    opens the subtree as a page."""
    items = []
    for node in nodes:
        row = node.row
        line = _node_line(row)
        if not row["numchild"]:
            items.append(format_html('<li><div class="{}">{}</div></li>', LEAF, line))
        elif node.children:
            items.append(
                format_html(
                    '<li><details open><summary class="{}">{}</summary>'
                    '<ul class="{}">{}</ul></details></li>',
                    SUMMARY,
                    line,
                    CHILDREN,
                    tree_html(node.children, tree_url),
                )
            )
        else:
            more = f"{tree_url}?parent={row['pk']}"
            items.append(
                format_html(
                    '<li><details hx-get="{}" hx-trigger="toggle once" hx-target="find ul"'
                    ' hx-swap="innerHTML"><summary class="{}">{}</summary>'
                    '<ul class="{}"><li class="{}"><a href="{}">查看下级场所</a></li></ul>'
                    "</details></li>",
                    more,
                    SUMMARY,
                    line,
                    CHILDREN,
                    LEAF,
                    more,
                )
            )
    return mark_safe("".join(items))  # noqa: S308  (each item built by format_html)


PLACE_COLUMNS = [
    Column("名称", "name"),
    Column("编号", "code"),
    Column("类型", "kind"),
    Column("所在位置"),
    Column("责任科室", "department__name"),
    Column("下级", "numchild"),
    Column("设备"),
]


def _place_search_row(row: dict[str, Any], names: dict[str, str]) -> SafeString:
    return format_html(
        '<tr><td><a href="{}">{}</a>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>'
        "<td>{}</td><td>{}</td></tr>",
        url_for_pk("places:place_detail", row["pk"]),
        row["name"],
        INACTIVE if not row["active"] else "",
        row["code"],
        _kind_badge(row["kind"]),
        place_trail(row["path"], names) or "（顶层）",
        row["department__name"] or "—",
        row["numchild"],
        row["equipment_count"],
    )


@perm_required(VIEW_PLACE)
def place_tree(request: HttpRequest) -> HttpResponse:
    user = _actor(request)
    tree_url = reverse("places:place_tree")
    parent = None
    if request.GET.get("parent"):
        parent = place_get(user=user, pk=_pk(request.GET["parent"]))
        if request.htmx:  # type: ignore[attr-defined]
            nodes = place_tree_nodes(user=user, root=parent, levels=1)
            return HttpResponse(tree_html(nodes, tree_url))
    listing = ListPage(
        request,
        place_rows(user=user),
        columns=PLACE_COLUMNS,
        default_sort="code",
        filterset_class=PlaceFilter,
        filterset_kwargs={"organization_id": user.organization_id},
        search_fields=("name", "code"),
    )
    context: dict[str, Any] = {
        "listing": listing,
        "parent": parent,
        "can_add": user.has_perm(ADD_PLACE)
        and (
            parent is None
            or (parent.organization_id == user.organization_id and parent.kind != "point")
        ),
        "create_url": reverse("places:place_create") + (f"?parent={parent.pk}" if parent else ""),
        "can_view_equipment": user.has_perm(VIEW_EQUIPMENT),
    }
    if listing.is_filtered:
        page = listing.page()
        found = list(page.object_list)
        names = place_trail_names([row["path"] for row in found])
        context.update(page=page, rows=[_place_search_row(row, names) for row in found])
    else:
        nodes = place_tree_nodes(user=user, root=parent)
        context.update(tree=tree_html(nodes, tree_url), has_nodes=bool(nodes))
        if parent is not None:
            context["trail"] = [*place_ancestors(parent), parent]
    return render(request, "places/place_tree.html", context)


def _child_row(row: dict[str, Any]) -> SafeString:
    return format_html(
        '<tr><td><a href="{}">{}</a>{}</td><td data-label="编号">{}</td>'
        '<td data-label="类型">{}</td><td data-label="下级">{}</td>'
        '<td data-label="设备">{}</td></tr>',
        url_for_pk("places:place_detail", row["pk"]),
        row["name"],
        INACTIVE if not row["active"] else "",
        row["code"],
        _kind_badge(row["kind"]),
        row["numchild"],
        row["equipment_count"],
    )


def _equipment_here_row(item: Equipment) -> SafeString:
    return format_html(
        '<tr><td><a href="{}">{}</a></td><td data-label="名称">{}</td>'
        '<td data-label="类型">{}</td><td data-label="状态">{}</td></tr>',
        url_for_pk("places:equipment_detail", item.pk),
        item.code,
        item.name,
        TYPE_LABELS[item.type],
        STATUS_HTML[item.status],
    )


def _scan_url(request: HttpRequest, token: str) -> str:
    return request.build_absolute_uri(reverse("places:scan", args=[token]))


@perm_required(VIEW_PLACE)
def place_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _actor(request)
    place = place_get(user=user, pk=pk)
    own = place.organization_id == user.organization_id
    can_change = own and user.has_perm(CHANGE_PLACE)
    scan_url = _scan_url(request, place.qr_token)
    context = {
        "place": place,
        "kind_badge": _kind_badge(place.kind),
        "ancestors": place_ancestors(place),
        "children": [_child_row(row) for row in place_children(place)],
        "equipment": [_equipment_here_row(item) for item in place_equipment(place)],
        "qr": qr_svg_inline(scan_url, title=f"{place.name}的二维码"),
        "scan_url": scan_url,
        "changelog": changelog_for(place),
        "can_change": can_change,
        "can_add_child": own and user.has_perm(ADD_PLACE) and place.kind != Place.Kind.POINT,
        "can_add_equipment": own and user.has_perm(ADD_EQUIPMENT),
        "can_delete": own and user.has_perm(DELETE_PLACE),
    }
    return render(request, "places/place_detail.html", context)


def _default_child_kind(parent: Place | None) -> str:
    if parent is None:
        return Place.Kind.CAMPUS
    below = [kind for kind, rank in KIND_RANK.items() if rank > KIND_RANK[parent.kind]]
    return below[0] if below else Place.Kind.POINT


@perm_required(ADD_PLACE)
def place_create(request: HttpRequest) -> HttpResponse:
    user = _actor(request)
    parent_id = request.GET.get("parent")
    parent = place_get(user=user, pk=_pk(parent_id), action="change") if parent_id else None
    if parent is not None and parent.kind == Place.Kind.POINT:
        messages.error(request, "点位之下不能再添加场所。")
        return redirect("places:place_detail", pk=parent.pk)
    form = PlaceForm(
        _posted(request),
        organization_id=user.organization_id,
        parent=parent,
        initial={"kind": _default_child_kind(parent), "active": True},
    )
    if request.method == "POST" and form.is_valid():
        try:
            place = services.place_create(
                organization=user.organization,
                parent=parent,
                data=form.cleaned_data,
                actor=user,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, f"已新建“{place}”。")
            return redirect("places:place_detail", pk=place.pk)
    cancel = (
        url_for_pk("places:place_detail", parent.pk) if parent else reverse("places:place_tree")
    )
    return render(
        request,
        "places/place_form.html",
        {"form": form, "parent": parent, "place": None, "cancel_url": cancel},
    )


@perm_required(CHANGE_PLACE)
def place_update(request: HttpRequest, pk: int) -> HttpResponse:
    user = _actor(request)
    place = place_get(user=user, pk=pk, action="change")
    parent = Place.objects.get_parent(place)
    form = PlaceForm(
        _posted(request),
        instance=copy.copy(place),
        organization_id=place.organization_id,
        parent=parent,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.place_update(place=place, data=form.cleaned_data, actor=user)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, "已保存。")
            return redirect("places:place_detail", pk=place.pk)
    return render(
        request,
        "places/place_form.html",
        {
            "form": form,
            "parent": parent,
            "place": place,
            "cancel_url": url_for_pk("places:place_detail", place.pk),
        },
    )


@perm_required(CHANGE_PLACE)
def place_move(request: HttpRequest, pk: int) -> HttpResponse:
    user = _actor(request)
    place = place_get(user=user, pk=pk, action="change")
    parent = Place.objects.get_parent(place)
    form = PlaceMoveForm(
        _posted(request),
        targets=place_move_targets(user=user, place=place),
        initial={"new_parent": str(parent.pk) if parent else TOP_LEVEL},
    )
    if request.method == "POST" and form.is_valid():
        chosen = form.cleaned_data["new_parent"]
        new_parent = (
            place_get(user=user, pk=_pk(chosen), action="change") if chosen != TOP_LEVEL else None
        )
        try:
            services.place_move(place=place, new_parent=new_parent, actor=user)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, f"已把“{place}”移到“{new_parent or '顶层'}”之下。")
            return redirect("places:place_detail", pk=place.pk)
    return render(
        request,
        "places/place_move.html",
        {"form": form, "place": place, "parent": parent, "below": place.numchild},
    )


@require_POST
@perm_required(CHANGE_PLACE)
def place_qr_regenerate(request: HttpRequest, pk: int) -> HttpResponse:
    place = place_get(user=_actor(request), pk=pk, action="change")
    return _qr_regenerate(request, place, "places:place_detail")


def _qr_regenerate(request: HttpRequest, obj: Place | Equipment, detail: str) -> HttpResponse:
    try:
        services.qr_token_regenerate(obj=obj, actor=_actor(request))
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, "已生成新的二维码，旧标签已失效；请打印新标签替换。")
    return redirect(detail, pk=obj.pk)


@require_POST
@perm_required(DELETE_PLACE)
def place_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = _actor(request)
    place = place_get(user=user, pk=pk, action="delete")
    parent = Place.objects.get_parent(place)
    try:
        services.place_delete(place=place, actor=user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("places:place_detail", pk=place.pk)
    messages.success(request, f"已删除“{place}”。")
    if parent is not None:
        return redirect("places:place_detail", pk=parent.pk)
    return redirect("places:place_tree")


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
    if request.method == "POST" and form.is_valid():
        try:
            item = services.equipment_create(
                organization=user.organization,
                data=form.cleaned_data,
                actor=user,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, f"已新建设备“{item}”。")
            return redirect("places:equipment_detail", pk=item.pk)
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
    if request.method == "POST" and form.is_valid():
        try:
            services.equipment_update(equipment=item, data=form.cleaned_data, actor=user)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, "已保存。")
            return redirect("places:equipment_detail", pk=item.pk)
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


@perm_required(VIEW_PLACE)
def labels(request: HttpRequest) -> HttpResponse:
    """Choose labels (a subtree and kinds / equipment types) → an A4 PDF of QR labels."""
    user = _actor(request)
    choices = place_choices(organization_id=user.organization_id)
    wanted = request.POST.get("within") or request.GET.get("within", "")
    if wanted.isdigit() and int(wanted) not in {pk for pk, _ in choices}:
        point = place_get(user=user, pk=int(wanted))  # a point: offered only when asked for
        choices.append((point.pk, f"{point.code} {point.name}"))
    form = LabelForm(
        _posted(request),
        places=choices,
        initial={"within": request.GET.get("within", ""), "kinds": [Place.Kind.POINT]},
    )
    if not user.has_perm(VIEW_EQUIPMENT):
        del form.fields["types"]
    if request.method == "POST" and form.is_valid():
        within_id = form.cleaned_data["within"]
        within = place_get(user=user, pk=_pk(within_id)) if within_id else None
        places, equipment = label_querysets(
            user=user,
            within=within,
            kinds=form.cleaned_data["kinds"],
            types=form.cleaned_data.get("types", []),
        )
        count = places.count() + equipment.count()
        if count == 0:
            form.add_error(None, "所选范围内没有符合条件的场所或设备，请换一个范围或类型。")
        elif count > MAX_LABELS:
            form.add_error(
                None,
                f"所选范围共 {count} 个标签，一次最多打印 {MAX_LABELS} 个；请缩小范围或分批打印。",
            )
        else:
            chosen = label_list(places, equipment)
            audit_record(
                kind=AuditEvent.Kind.EXPORT,
                actor=user,
                request=request,
                detail={
                    "what": "qr_labels",
                    "within": str(within) if within else "全部场所",
                    "kinds": form.cleaned_data["kinds"],
                    "types": form.cleaned_data.get("types", []),
                    "rows": len(chosen),
                },
            )
            pdf = labels_pdf(chosen, url_for_token=lambda token: _scan_url(request, token))
            return pdf_response(pdf)
    return render(
        request,
        "places/labels.html",
        {"form": form, "per_page": PER_PAGE, "max_labels": MAX_LABELS},
    )


@login_required
def scan(request: HttpRequest, token: str) -> HttpResponse:
    """A scanned QR label: the place or equipment it names, or a friendly 404."""
    target = scan_target(user=request.user, token=token)
    if isinstance(target, Place):
        return redirect("places:place_detail", pk=target.pk)
    if isinstance(target, Equipment):
        return redirect("places:equipment_detail", pk=target.pk)
    return render(request, "places/scan_invalid.html", status=404)
