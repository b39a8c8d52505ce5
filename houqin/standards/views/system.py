"""The standard system pages: the tree of nodes with their counts and structure diagram,
a node with its standards, the forms to add, rename, reorder, retire and restore nodes, the
coverage of service lines by standards in force, and the standardization settings."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_POST

from houqin.common.changelog import changelog_entries
from houqin.common.decorators import perm_required
from houqin.common.generic import add_errors
from houqin.common.lists import url_for_pk
from houqin.common.services import record_update
from houqin.org.models import ServiceLine
from houqin.standards import selectors_system as selectors
from houqin.standards import services
from houqin.standards.forms_system import NodeForm, SettingsForm
from houqin.standards.models import StandardNode
from houqin.standards.selectors_system import LEVEL_SHORT, LEVELS, STATUSES, TreeNode

VIEW_NODE = "standards.view_standardnode"
ADD_NODE = "standards.add_standardnode"
CHANGE_NODE = "standards.change_standardnode"
VIEW_STANDARD = "standards.view_standard"
VIEW_PLAN = "standards.view_standardplan"
CHANGE_SETTINGS = "standards.change_standardsettings"

LEVEL_LABELS = dict(LEVELS)
STATUS_LABELS = dict(STATUSES)
LINE_LABELS = dict(ServiceLine.choices)
STATUS_COLOURS = {
    "proposed": "secondary",
    "drafting": "blue",
    "consultation": "azure",
    "review": "purple",
    "published": "green",
    "in_force": "green",
    "under_review": "yellow",
    "revising": "yellow",
    "withdrawn": "secondary",
}
STATUS_HTML = {
    value: format_html('<span class="badge bg-{}-lt">{}</span>', STATUS_COLOURS[value], label)
    for value, label in STATUSES
}
RETIRED = mark_safe(' <span class="badge bg-secondary-lt">已停用</span>')


def optional_url(name: str, *args: Any) -> str:
    """The URL of a page another area provides, or "" while it does not exist yet."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def optional_row_url(name: str) -> Any:
    """pk → URL for a page another area provides, or None while it does not exist."""
    if not optional_url(name, 1):
        return None
    return lambda pk: url_for_pk(name, pk)


def _system_url(node_pk: int | None = None) -> str:
    url = reverse("standards:system")
    return f"{url}#node-{node_pk}" if node_pk else url


def counts_text(counts: selectors.Counts) -> str:
    """ "共 5 项，现行 3 项 · 国 1 · 内 4" (levels with standards only)."""
    if not counts.total:
        return "暂无标准" + (f"（已废止 {counts.withdrawn} 项）" if counts.withdrawn else "")
    levels = " · ".join(
        f"{LEVEL_SHORT[value]} {counts.levels[value]}"
        for value, _ in LEVELS
        if counts.levels[value]
    )
    return f"共 {counts.total} 项，现行 {counts.current} 项 · {levels}"


class TreeHtml:
    """The tree as nested list items built as strings, with each node's actions for those
    who may change the tree (one dropdown per node; forms post with the page's token)."""

    def __init__(self, request: HttpRequest, can_add: bool, can_change: bool) -> None:
        self.token = get_token(request)
        self.can_add = can_add
        self.can_change = can_change
        self.create_url = reverse("standards:node_create")

    def _post(
        self, url_name: str, pk: int, label: str, direction: str = "", on: bool = True
    ) -> str:
        return format_html(
            '<form method="post" action="{}"><input type="hidden" name="csrfmiddlewaretoken" '
            'value="{}">{}<button type="submit" class="dropdown-item"{}>{}</button></form>',
            url_for_pk(url_name, pk),
            self.token,
            format_html('<input type="hidden" name="direction" value="{}">', direction)
            if direction
            else "",
            mark_safe(" disabled") if not on else "",
            label,
        )

    def actions(self, node: TreeNode, parent_retired: bool) -> str:
        if not (self.can_add or self.can_change):
            return ""
        items: list[str] = []
        if self.can_add and not node.retired:
            items.append(
                format_html(
                    '<a class="dropdown-item" href="{}?parent={}">添加下级节点</a>',
                    self.create_url,
                    node.pk,
                )
            )
        if self.can_change:
            items += [
                format_html(
                    '<a class="dropdown-item" href="{}">修改编号和名称</a>',
                    url_for_pk("standards:node_update", node.pk),
                ),
                self._post("standards:node_move", node.pk, "上移", "up", not node.first),
                self._post("standards:node_move", node.pk, "下移", "down", not node.last),
                '<div class="dropdown-divider"></div>',
            ]
            if node.retired:
                if not parent_retired:
                    items.append(self._post("standards:node_restore", node.pk, "恢复使用"))
            else:
                items.append(
                    format_html(
                        '<button type="button" class="dropdown-item text-danger" '
                        'data-bs-toggle="modal" data-bs-target="#retire-node" '
                        'data-confirm-url="{}" data-confirm-title="{}">停用</button>',
                        url_for_pk("standards:node_retire", node.pk),
                        f"停用“{node.code} {node.name}”？",
                    )
                )
        return format_html(
            '<div class="dropdown ms-auto"><button type="button" class="btn btn-sm" '
            'data-bs-toggle="dropdown" aria-expanded="false" aria-label="“{}”的操作">操作'
            '</button><div class="dropdown-menu dropdown-menu-end">{}</div></div>',
            node.name,
            mark_safe("".join(items)),  # noqa: S308  (each item built by format_html)
        )

    def render(self, nodes: list[TreeNode], parent_retired: bool = False) -> SafeString:
        parts = []
        for node in nodes:
            muted = " text-secondary" if node.retired else ""
            line = format_html(
                '<div class="d-flex flex-wrap align-items-center gap-2 py-2 border-bottom{}">'
                '<div class="flex-fill"><span class="badge bg-secondary-lt me-1">{}</span>'
                '<a class="{}" href="{}">{}</a>{}'
                '<div class="small text-secondary" data-testid="node-counts">{}</div></div>'
                "{}</div>",
                muted,
                node.code,
                "text-secondary" if node.retired else "fw-bold" if node.depth == 1 else "",
                url_for_pk("standards:node_detail", node.pk),
                node.name,
                RETIRED if node.retired else "",
                counts_text(node.counts),
                mark_safe(self.actions(node, parent_retired)),  # noqa: S308  (built above)
            )
            children = (
                format_html(
                    '<ul class="list-unstyled ms-2 ms-md-4 ps-2 border-start mb-0">{}</ul>',
                    self.render(node.children, node.retired),
                )
                if node.children
                else ""
            )
            parts.append(
                format_html(
                    '<li id="node-{}" data-node="{}">{}{}</li>', node.pk, node.code, line, children
                )
            )
        return mark_safe("".join(parts))  # noqa: S308  (each part built by format_html)


@perm_required(VIEW_NODE)
def system(request: HttpRequest) -> HttpResponse:
    """标准体系: the tree with counts, actions, a structure diagram and the statistics."""
    user: Any = request.user
    roots = selectors.system_tree(user=user)
    nodes = selectors.walk(roots)
    can_add = user.has_perm(ADD_NODE)
    can_change = user.has_perm(CHANGE_NODE)
    totals = selectors.tree_totals(roots)
    context = {
        "tree": TreeHtml(request, can_add, can_change).render(roots),
        "has_nodes": bool(roots),
        "node_count": len(nodes),
        "retired_count": sum(n.retired for n in nodes),
        "totals": totals,
        "level_totals": [(label, totals.levels[value]) for value, label in LEVELS],
        "top_rows": [(r, [r.counts.levels[v] for v, _ in LEVELS]) for r in roots],
        "diagram": selectors.diagram_data(roots, f"{user.organization.name}标准体系"),
        "can_add": can_add,
        "can_change": can_change,
        "can_settings": user.has_perm(CHANGE_SETTINGS),
        "can_view_plan": user.has_perm(VIEW_PLAN),
        "export_url": optional_url("standards:system_table_export"),
    }
    return render(request, "standards/system_tree.html", context)


@require_POST
@perm_required(ADD_NODE)
def system_template(request: HttpRequest) -> HttpResponse:
    """Create the GB/T 24421 tree for an organization that has no node yet."""
    user: Any = request.user
    count = services.system_template_create(organization=user.organization, actor=user)
    if count:
        messages.success(
            request, f"已按 GB/T 24421 模板创建 {count} 个节点，可以再改名、增删和调整顺序。"
        )
    else:
        messages.info(request, "本单位已经有标准体系，没有重复创建。")
    return redirect("standards:system")


def _node_standard_row(row: dict[str, Any], node: StandardNode, standard_url: Any) -> str:
    title = (
        format_html('<a href="{}">{}</a>', standard_url(row["pk"]), row["title"])
        if standard_url
        else row["title"]
    )
    where = (
        format_html(
            '<div class="small text-secondary">{} {}</div>', row["node__code"], row["node__name"]
        )
        if row["node_id"] != node.pk
        else ""
    )
    effective = row["effective_on"].isoformat() if row["effective_on"] else "—"
    return format_html(
        '<tr><td class="text-nowrap" data-label="标准编号">{}</td><td>{}{}</td>'
        '<td data-label="层级">{}</td><td data-label="状态">{}</td>'
        '<td class="text-nowrap" data-label="实施日期">{}</td></tr>',
        row["number"] or "（未编号）",
        title,
        where,
        LEVEL_LABELS[row["level"]],
        STATUS_HTML[row["status"]],
        effective,
    )


def _child_row(child: TreeNode) -> str:
    return format_html(
        '<tr><td><span class="badge bg-secondary-lt me-1">{}</span><a href="{}">{}</a>{}</td>'
        '<td data-label="标准">{}</td></tr>',
        child.code,
        url_for_pk("standards:node_detail", child.pk),
        child.name,
        RETIRED if child.retired else "",
        counts_text(child.counts),
    )


@perm_required(VIEW_NODE)
def node_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A node: its standards (the whole branch) with counts by level and status, its child
    nodes, exports of the branch's system table and its change log."""
    user: Any = request.user
    node = selectors.node_get(user=user, pk=pk)
    line = request.GET.get("line", "")
    line = line if line in LINE_LABELS else ""
    current = request.GET.get("current") == "1"
    rows = selectors.node_standards(user=user, node=node, line=line, current=current)
    standard_url = (
        optional_row_url("standards:standard_detail") if user.has_perm(VIEW_STANDARD) else None
    )
    own = node.organization_id == user.organization_id
    export_url = optional_url("standards:system_table_export")
    context = {
        "node": node,
        "ancestors": selectors.node_ancestors(node),
        "children": [_child_row(c) for c in selectors.node_children(user=user, node=node)],
        "rows": [_node_standard_row(r, node, standard_url) for r in rows],
        "level_counts": selectors.counts_by(rows, "level", LEVELS),
        "status_counts": [c for c in selectors.counts_by(rows, "status", STATUSES) if c[2]],
        "line": line,
        "line_label": LINE_LABELS.get(line, ""),
        "current": current,
        "filtered": bool(line or current),
        "lines": ServiceLine.choices,
        "export_url": export_url,
        "changelog": changelog_entries(node),
        "can_change": own and user.has_perm(CHANGE_NODE),
        "can_add": own and user.has_perm(ADD_NODE) and not node.retired,
    }
    return render(request, "standards/system_node_detail.html", context)


def _parent_from(request: HttpRequest, user: Any) -> StandardNode | None:
    value = request.GET.get("parent", "")
    if not value:
        return None
    if not value.isdigit() or len(value) > 18:
        raise Http404
    return selectors.node_get(user=user, pk=int(value), action="change")


@perm_required(ADD_NODE)
def node_create(request: HttpRequest) -> HttpResponse:
    """Add a node under ``?parent=<pk>`` or at the top level."""
    user: Any = request.user
    parent = _parent_from(request, user)
    suggested = f"{parent.code}-{parent.numchild + 1:02d}" if parent else ""
    form = NodeForm(
        request.POST if request.method == "POST" else None,
        organization_id=user.organization_id,
        initial={"code": suggested},
    )
    if request.method == "POST" and form.is_valid():
        try:
            node = services.node_add(
                organization=user.organization, actor=user, parent=parent, data=form.cleaned_data
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, f"已添加节点“{node}”。")
            return redirect(_system_url(node.pk))
    context = {
        "form": form,
        "node": None,
        "parent": parent,
        "ancestors": selectors.node_ancestors(parent) if parent else [],
        "cancel_url": _system_url(parent.pk if parent else None),
    }
    return render(request, "standards/system_node_form.html", context)


@perm_required(CHANGE_NODE)
def node_update(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a node's code, name and description."""
    user: Any = request.user
    node = selectors.node_get(user=user, pk=pk, action="change")
    form = NodeForm(
        request.POST if request.method == "POST" else None,
        instance=copy.copy(node),
        organization_id=user.organization_id,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.node_update(node=node, actor=user, data=form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, f"已保存“{node}”。")
            return redirect(_system_url(node.pk))
    context = {
        "form": form,
        "node": node,
        "parent": StandardNode.objects.get_parent(node),
        "ancestors": selectors.node_ancestors(node),
        "cancel_url": _system_url(node.pk),
    }
    return render(request, "standards/system_node_form.html", context)


def _node_action(
    request: HttpRequest, pk: int, run: Callable[[StandardNode, Any], Any], done: str
) -> HttpResponse:
    """Run one POST action on a node through its service; a refusal shows its reason."""
    user: Any = request.user
    node = selectors.node_get(user=user, pk=pk, action="change")
    try:
        run(node, user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, done.format(name=node.name))
    return redirect(_system_url(node.pk))


@require_POST
@perm_required(CHANGE_NODE)
def node_move(request: HttpRequest, pk: int) -> HttpResponse:
    direction = request.POST.get("direction", "")
    return _node_action(
        request,
        pk,
        lambda node, user: services.node_move(node=node, actor=user, direction=direction),
        "已移动“{name}”。",
    )


@require_POST
@perm_required(CHANGE_NODE)
def node_retire(request: HttpRequest, pk: int) -> HttpResponse:
    """Retire a node and its branch (after the page's confirmation); refused with the
    service's reason while standards in force sit in the branch."""
    return _node_action(
        request,
        pk,
        lambda node, user: services.node_retire(node=node, actor=user),
        "已停用“{name}”及其下级节点。",
    )


@require_POST
@perm_required(CHANGE_NODE)
def node_restore(request: HttpRequest, pk: int) -> HttpResponse:
    return _node_action(
        request,
        pk,
        lambda node, user: services.node_restore(node=node, actor=user),
        "已恢复使用“{name}”及其下级节点。",
    )


def _coverage_cell(row: selectors.CoverageRow, line: str, count: int) -> str:
    url = f"{url_for_pk('standards:node_detail', row.pk)}?line={line}&current=1"
    if count:
        return format_html(
            '<td class="text-center" data-label="{}"><a href="{}">{}</a></td>',
            LINE_LABELS[line],
            url,
            count,
        )
    if row.leaf:
        return format_html(
            '<td class="text-center bg-red-lt" data-label="{}" data-gap="{}">'
            '<span class="text-danger fw-bold">空白</span></td>',
            LINE_LABELS[line],
            line,
        )
    return format_html(
        '<td class="text-center text-secondary" data-label="{}">0</td>', LINE_LABELS[line]
    )


def _coverage_row(row: selectors.CoverageRow) -> str:
    name = format_html(
        '<a class="{}" href="{}">{}</a>',
        "fw-bold" if row.depth == 1 else "",
        url_for_pk("standards:node_detail", row.pk),
        row.name,
    )
    return format_html(
        '<tr{}><th scope="row" class="{}"><span class="badge bg-secondary-lt me-1">{}</span>{}'
        "</th>{}</tr>",
        mark_safe(' class="bg-light"') if row.depth == 1 else "",
        "ps-4" if row.depth == 2 else "",
        row.code,
        name,
        format_html_join("", "{}", ((_coverage_cell(row, li, n),) for li, n in row.cells)),
    )


@perm_required(VIEW_NODE)
def coverage(request: HttpRequest) -> HttpResponse:
    """Service lines × the top two levels of the tree, counting standards in force; empty
    cells are 标准空白, summed up per service line."""
    user: Any = request.user
    matrix = selectors.coverage_matrix(user=user)
    context = {
        "matrix": matrix,
        "rows": [_coverage_row(r) for r in matrix.rows],
    }
    return render(request, "standards/coverage.html", context)


@perm_required(CHANGE_SETTINGS)
def settings_view(request: HttpRequest) -> HttpResponse:
    """标准化设置: the internal numbering prefix, review cycle and acknowledge period."""
    user: Any = request.user
    current = services.settings_for(user.organization)
    form = SettingsForm(
        request.POST if request.method == "POST" else None, instance=copy.copy(current)
    )
    if request.method == "POST" and form.is_valid():
        try:
            record_update(obj=current, actor=user, data=form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, "标准化设置已保存。")
            return redirect("standards:settings")
    context = {
        "form": form,
        "example": f"{current.internal_prefix}/FW 003—2026",
        "changelog": changelog_entries(current),
    }
    return render(request, "standards/settings.html", context)


urlpatterns = [
    path("system/", system, name="system"),
    path("system/template/", system_template, name="system_template"),
    path("system/nodes/new/", node_create, name="node_create"),
    path("system/nodes/<int:pk>/", node_detail, name="node_detail"),
    path("system/nodes/<int:pk>/edit/", node_update, name="node_update"),
    path("system/nodes/<int:pk>/move/", node_move, name="node_move"),
    path("system/nodes/<int:pk>/retire/", node_retire, name="node_retire"),
    path("system/nodes/<int:pk>/restore/", node_restore, name="node_restore"),
    path("coverage/", coverage, name="coverage"),
    path("settings/", settings_view, name="settings"),
]
