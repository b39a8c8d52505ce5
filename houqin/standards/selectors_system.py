"""Reads of the standard system and the yearly plan, always through ``for_user``; each page
gets what it shows in a fixed number of queries (the tree in one, the counts of every node
in one aggregate, never a query per node or per plan item).

The dates that decide slippage come from the caller (``today``), so that tests never read
the clock."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, QuerySet

from houqin.common.generic import scoped_get
from houqin.org.models import ServiceLine
from houqin.standards.models import (
    PlanItem,
    Standard,
    StandardLine,
    StandardNode,
    StandardPlan,
)
from houqin.standards.services import IN_FORCE_STATES

STEP = StandardNode.steplen
LEVELS = Standard.Level.choices
LEVEL_SHORT = {"national": "国", "industry": "行", "local": "地", "group": "团", "internal": "内"}
STATUSES = Standard.Status.choices
NODE_COLUMNS = ("pk", "path", "depth", "code", "name", "description", "retired")


@dataclass
class Counts:
    """Standards of a node's branch: ``total`` leaves out withdrawn ones, ``current`` counts
    those in force (实施 / 复审 / 修订), ``levels`` the not withdrawn ones by level."""

    total: int = 0
    current: int = 0
    withdrawn: int = 0
    levels: Counter[str] = field(default_factory=Counter)

    def add(self, level: str, status: str, n: int) -> None:
        if status == Standard.Status.WITHDRAWN:
            self.withdrawn += n
            return
        self.total += n
        self.levels[level] += n
        if status in IN_FORCE_STATES:
            self.current += n


@dataclass
class TreeNode:
    """One node of the system page with its branch counts and its children."""

    pk: int
    path: str
    depth: int
    code: str
    name: str
    description: str
    retired: bool
    counts: Counts = field(default_factory=Counts)
    children: list[TreeNode] = field(default_factory=list)
    first: bool = False  # first / last among its siblings (for 上移 / 下移)
    last: bool = False


def own_nodes(user: Any) -> QuerySet[StandardNode]:
    """The nodes of the user's own organization (a bureau reader's ``for_user`` also reaches
    its member centers, whose trees are theirs to show)."""
    return StandardNode.objects.for_user(user).filter(organization_id=user.organization_id)


def own_standards(user: Any) -> QuerySet[Standard]:
    return Standard.objects.for_user(user).filter(organization_id=user.organization_id)


def _rolled_up(rows: Any) -> dict[str, Counts]:
    """Counts by node path, each standard counted in its node and every ancestor."""
    counts: dict[str, Counts] = {}
    for row in rows:
        path = row["node__path"]
        for end in range(STEP, len(path) + 1, STEP):
            counts.setdefault(path[:end], Counts()).add(row["level"], row["status"], row["n"])
    return counts


def branch_counts(standards: QuerySet[Standard]) -> dict[str, Counts]:
    """One aggregate query: the standards by node, level and status, rolled up the tree."""
    rows = standards.values("node__path", "level", "status").annotate(n=Count("id")).order_by()
    return _rolled_up(rows)


def _link(nodes: list[TreeNode]) -> list[TreeNode]:
    """Rows in path order → roots with their children; marks first/last siblings."""
    roots: list[TreeNode] = []
    by_path: dict[str, TreeNode] = {}
    for node in nodes:
        by_path[node.path] = node
        parent = by_path.get(node.path[:-STEP])
        (parent.children if parent is not None else roots).append(node)
    for group in [roots, *(n.children for n in nodes)]:
        if group:
            group[0].first = True
            group[-1].last = True
    return roots


def system_tree(*, user: Any) -> list[TreeNode]:
    """The whole tree of the user's organization with each node's branch counts: one query
    for the nodes and one aggregate for the counts."""
    counts = branch_counts(own_standards(user))
    nodes = [
        TreeNode(**row, counts=counts.get(row["path"], Counts()))
        for row in own_nodes(user).values(*NODE_COLUMNS).order_by("path")
    ]
    return _link(nodes)


def walk(nodes: list[TreeNode]) -> list[TreeNode]:
    """The nodes in tree order (depth first)."""
    out: list[TreeNode] = []
    for node in nodes:
        out.append(node)
        out.extend(walk(node.children))
    return out


def tree_totals(roots: list[TreeNode]) -> Counts:
    """The counts of the whole system (the sum of the top-level branches)."""
    total = Counts()
    for root in roots:
        c = root.counts
        total.total += c.total
        total.current += c.current
        total.withdrawn += c.withdrawn
        total.levels.update(c.levels)
    return total


def diagram_data(roots: list[TreeNode], title: str) -> dict[str, Any]:
    """The structure diagram (标准体系结构图) as an ECharts tree: the nodes in use under one
    root named for the system."""

    def item(node: TreeNode) -> dict[str, Any]:
        children = [item(c) for c in node.children if not c.retired]
        entry: dict[str, Any] = {"name": node.name, "code": node.code, "count": node.counts.total}
        if children:
            entry["children"] = children
        return entry

    return {"name": title, "children": [item(r) for r in roots if not r.retired]}


def node_get(*, user: Any, pk: int, action: str = "view") -> StandardNode:
    """A node the user may reach (outsider → 404)."""
    node: StandardNode = scoped_get(StandardNode, user, pk, action)
    return node


def node_ancestors(node: StandardNode) -> list[dict[str, Any]]:
    paths = [node.path[:end] for end in range(STEP, len(node.path), STEP)]
    if not paths:
        return []
    return list(
        StandardNode.objects.filter(organization_id=node.organization_id, path__in=paths)
        .values("pk", "code", "name")
        .order_by("path")
    )


def node_children(*, user: Any, node: StandardNode) -> list[TreeNode]:
    """The node's children with their branch counts (two queries)."""
    standards = Standard.objects.for_user(user).filter(
        organization_id=node.organization_id, node__path__startswith=node.path
    )
    counts = branch_counts(standards)
    rows = (
        StandardNode.objects.for_user(user)
        .filter(
            organization_id=node.organization_id,
            path__startswith=node.path,
            depth=node.depth + 1,
        )
        .values(*NODE_COLUMNS)
        .order_by("path")
    )
    return [TreeNode(**row, counts=counts.get(row["path"], Counts())) for row in rows]


STANDARD_COLUMNS = (
    "pk",
    "number",
    "title",
    "level",
    "status",
    "effective_on",
    "node_id",
    "node__code",
    "node__name",
)


def node_standards(
    *, user: Any, node: StandardNode, line: str = "", current: bool = False
) -> list[dict[str, Any]]:
    """The standards of a node's branch (the node and every node below it), in tree order,
    optionally only those governing a service line or only those in force."""
    standards = Standard.objects.for_user(user).filter(
        organization_id=node.organization_id, node__path__startswith=node.path
    )
    if line:
        standards = standards.filter(lines__line=line)
    if current:
        standards = standards.filter(status__in=IN_FORCE_STATES)
    return list(standards.values(*STANDARD_COLUMNS).order_by("node__path", "number", "pk"))


def counts_by(rows: list[dict[str, Any]], key: str, choices: Any) -> list[tuple[str, str, int]]:
    """(value, label, count) for every choice, in the choices' order."""
    counter = Counter(row[key] for row in rows)
    return [(value, str(label), counter.get(value, 0)) for value, label in choices]


@dataclass
class CoverageRow:
    """A top-level or second-level node and, per service line, its standards in force."""

    pk: int
    code: str
    name: str
    depth: int
    cells: list[tuple[str, int]]  # (line, count) in ServiceLine order
    leaf: bool  # a cell of this row counts as a gap when empty (no second-level row below)


@dataclass
class LineGaps:
    line: str
    label: str
    covered: int  # nodes of the finest level shown where the line has a standard in force
    gaps: list[str]  # names of the nodes where the line has no standard in force
    in_force: int  # standards in force governing the line


@dataclass
class Coverage:
    lines: list[tuple[str, str]]
    rows: list[CoverageRow]
    gaps: list[LineGaps]

    @property
    def leaf_count(self) -> int:
        return sum(r.leaf for r in self.rows)


def coverage_matrix(*, user: Any) -> Coverage:
    """Service lines × the top two levels of the tree (nodes in use): in each cell, the
    standards in force (实施 / 复审 / 修订) governing the line in the node's branch. An
    empty cell of the finest level shown is a gap (标准空白). Two queries."""
    nodes = list(
        own_nodes(user)
        .filter(depth__lte=2, retired=False)
        .values("pk", "path", "depth", "code", "name")
        .order_by("path")
    )
    in_force = own_standards(user).filter(status__in=IN_FORCE_STATES)
    found = (
        StandardLine.objects.filter(standard__in=in_force)
        .values("line", "standard__node__path")
        .annotate(n=Count("standard_id"))
        .order_by()
    )
    counts: Counter[tuple[str, str]] = Counter()
    per_line: Counter[str] = Counter()
    for row in found:
        per_line[row["line"]] += row["n"]
        path = row["standard__node__path"]
        for end in (STEP, 2 * STEP):
            if len(path) >= end:
                counts[(row["line"], path[:end])] += row["n"]
    lines = [(value, str(label)) for value, label in ServiceLine.choices]
    parents = {n["path"][:STEP] for n in nodes if n["depth"] == 2}
    rows = [
        CoverageRow(
            pk=n["pk"],
            code=n["code"],
            name=n["name"],
            depth=n["depth"],
            cells=[(line, counts[(line, n["path"])]) for line, _ in lines],
            leaf=n["depth"] == 2 or n["path"] not in parents,
        )
        for n in nodes
    ]
    gaps = []
    for index, (line, label) in enumerate(lines):
        leaves = [r for r in rows if r.leaf]
        empty = [r.name for r in leaves if not r.cells[index][1]]
        gaps.append(LineGaps(line, label, len(leaves) - len(empty), empty, per_line[line]))
    return Coverage(lines=lines, rows=rows, gaps=gaps)


DONE = "done"
ACTIVE = "active"
PENDING = "pending"
SLIPPED = "slipped"
STATE_LABELS = {DONE: "已完成", ACTIVE: "进行中", PENDING: "未开始", SLIPPED: "已滞后"}
PUBLISHED_STATES = ("published", "in_force", "under_review", "revising")


@dataclass(frozen=True)
class Progress:
    """Where a plan item stands on ``today``: its state, the words shown for it and, when it
    has slipped, by how many days and why."""

    state: str
    label: str
    late_days: int = 0
    late_reason: str = ""


def item_progress(
    *,
    action: str,
    starts_on: date,
    due_on: date,
    standard_status: str | None,
    published_on: date | None,
    today: date,
) -> Progress:
    """制定: done once the standard is published (or later in its life). 修订: done once a
    version was published on or after the item's start. 废止: done once withdrawn. An item
    not done after its due date has slipped; so has one with no linked standard after its
    start date (nothing has been proposed yet)."""
    status_label = dict(STATUSES).get(standard_status or "", "未立项")
    if action == PlanItem.Action.WITHDRAW:
        done = standard_status == Standard.Status.WITHDRAWN
    elif action == PlanItem.Action.REVISE:
        done = (
            standard_status in ("published", "in_force", "under_review")
            and published_on is not None
            and published_on >= starts_on
        )
    else:
        done = standard_status in PUBLISHED_STATES
    if done:
        return Progress(DONE, f"已完成（{status_label}）")
    if due_on < today:
        return Progress(SLIPPED, status_label, (today - due_on).days, "已过完成日期")
    if standard_status is None and starts_on < today:
        return Progress(SLIPPED, status_label, (today - starts_on).days, "已过开始日期仍未立项")
    if standard_status is None or starts_on > today:
        return Progress(PENDING, status_label)
    return Progress(ACTIVE, status_label)


@dataclass
class ItemRow:
    item: PlanItem
    progress: Progress


def plan_get(*, user: Any, pk: int, action: str = "view") -> StandardPlan:
    plan: StandardPlan = scoped_get(StandardPlan, user, pk, action)
    return plan


def plan_item_get(*, user: Any, pk: int, action: str = "view") -> PlanItem:
    item: PlanItem = scoped_get(PlanItem, user, pk, action)
    return item


def plan_items(*, user: Any, plan: StandardPlan, today: date) -> list[ItemRow]:
    """The items of a plan with their progress on ``today`` (one query)."""
    items = (
        PlanItem.objects.for_user(user)
        .filter(plan=plan)
        .select_related("node", "owner_department", "standard")
        .order_by("starts_on", "due_on", "pk")
    )
    return [
        ItemRow(
            item,
            item_progress(
                action=item.action,
                starts_on=item.starts_on,
                due_on=item.due_on,
                standard_status=item.standard.status if item.standard else None,
                published_on=item.standard.published_on if item.standard else None,
                today=today,
            ),
        )
        for item in items
    ]


def progress_summary(rows: list[ItemRow]) -> list[tuple[str, str, int]]:
    """(state, label, count) for every state, in a fixed order."""
    counter = Counter(r.progress.state for r in rows)
    return [(state, label, counter.get(state, 0)) for state, label in STATE_LABELS.items()]


@dataclass
class PlanSummary:
    plan: StandardPlan
    total: int = 0
    done: int = 0
    slipped: int = 0


def plan_summaries(*, user: Any, today: date) -> list[PlanSummary]:
    """The organization's plans, newest year first, each with its items done and slipped on
    ``today`` (two queries)."""
    plans = list(
        StandardPlan.objects.for_user(user)
        .filter(organization_id=user.organization_id)
        .order_by("-year")
    )
    summaries = {p.pk: PlanSummary(p) for p in plans}
    items = (
        PlanItem.objects.for_user(user)
        .filter(plan__in=plans)
        .values(
            "plan_id", "action", "starts_on", "due_on", "standard__status", "standard__published_on"
        )
    )
    for row in items:
        summary = summaries[row["plan_id"]]
        progress = item_progress(
            action=row["action"],
            starts_on=row["starts_on"],
            due_on=row["due_on"],
            standard_status=row["standard__status"],
            published_on=row["standard__published_on"],
            today=today,
        )
        summary.total += 1
        summary.done += progress.state == DONE
        summary.slipped += progress.state == SLIPPED
    return list(summaries.values())


def gantt_data(rows: list[ItemRow], plan: StandardPlan, today: date) -> dict[str, Any]:
    """The Gantt chart of a plan: one bar per item from its start to the end of its due day,
    coloured by state, and a line for today; the axis covers the plan year at least."""
    first = min([date(plan.year, 1, 1), *(r.item.starts_on for r in rows)])
    last = max([date(plan.year, 12, 31), *(r.item.due_on for r in rows)])
    return {
        "today": today.isoformat(),
        "min": first.isoformat(),
        "max": (last + timedelta(days=1)).isoformat(),
        "states": [{"key": k, "label": v} for k, v in STATE_LABELS.items()],
        "items": [
            {
                "name": f"{r.item.get_action_display()}《{r.item.title}》",
                "title": r.item.title,
                "start": r.item.starts_on.isoformat(),
                "end": (r.item.due_on + timedelta(days=1)).isoformat(),
                "due": r.item.due_on.isoformat(),
                "state": r.progress.state,
                "progress": r.progress.label,
                "late": r.progress.late_days,
            }
            for r in rows
        ],
    }
