"""Place pages: the tree (with htmx subtrees and search), details with QR code and change
log, and the forms to create, edit, move and delete a place or renew its QR code."""

from __future__ import annotations

import copy
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_POST

from houqin.common.decorators import perm_required
from houqin.common.generic import add_errors
from houqin.common.lists import Column, ListPage, url_for_pk
from houqin.places import services
from houqin.places.filters import PlaceFilter
from houqin.places.forms import TOP_LEVEL, PlaceForm, PlaceMoveForm
from houqin.places.labels import qr_svg_inline
from houqin.places.models import KIND_RANK, Equipment, Place
from houqin.places.selectors import (
    TreeNode,
    changelog_for,
    place_ancestors,
    place_children,
    place_equipment,
    place_get,
    place_move_targets,
    place_rows,
    place_trail,
    place_trail_names,
)
from houqin.places.selectors import place_tree as place_tree_nodes
from houqin.places.views._shared import (
    ADD_EQUIPMENT,
    ADD_PLACE,
    CHANGE_PLACE,
    DELETE_PLACE,
    STATUS_HTML,
    TYPE_LABELS,
    VIEW_EQUIPMENT,
    VIEW_PLACE,
    _actor,
    _pk,
    _posted,
    _qr_regenerate,
    _save_form,
    _scan_url,
)

KIND_LABELS = dict(Place.Kind.choices)
KIND_BADGES = {
    "campus": "bg-blue-lt",
    "building": "bg-purple-lt",
    "floor": "bg-azure-lt",
    "room": "bg-green-lt",
    "point": "bg-yellow-lt",
}
INACTIVE = mark_safe(' <span class="badge bg-secondary-lt">已停用</span>')


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
    saved = _save_form(
        request,
        form,
        lambda: services.place_create(
            organization=user.organization, parent=parent, data=form.cleaned_data, actor=user
        ),
        "places:place_detail",
        lambda place: f"已新建“{place}”。",
    )
    if saved is not None:
        return saved
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
    saved = _save_form(
        request,
        form,
        lambda: services.place_update(place=place, data=form.cleaned_data, actor=user),
        "places:place_detail",
    )
    if saved is not None:
        return saved
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
            add_errors(form, error)
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
