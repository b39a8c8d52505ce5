"""Reads of places and equipment, always through ``for_user``; each fetches what its page
shows in a fixed number of queries."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, QuerySet
from django.http import Http404
from django.utils import timezone

from houqin.accounts.selectors import access_shape, stand_in
from houqin.common.changelog import changelog_entries
from houqin.common.models import ChangeLogEntry
from houqin.common.statements import Ids, Rows
from houqin.places.models import KIND_RANK, Equipment, Place

STEP = Place.steplen
TREE_COLUMNS = (
    "pk",
    "path",
    "depth",
    "numchild",
    "kind",
    "code",
    "name",
    "active",
    "department__name",
)
EQUIPMENT_COLUMNS = (
    "code",
    "type",
    "name",
    "model",
    "serial",
    "status",
    "installed_on",
    "certificate_no",
    "certificate_expires",
    "place__name",
    "place__code",
)


@dataclass
class TreeNode:
    """One row of the tree page, with the children loaded with it (if any)."""

    row: dict[str, Any]
    children: list[TreeNode] = field(default_factory=list)

    @property
    def loaded(self) -> bool:
        return bool(self.children) or not self.row["numchild"]


def place_rows(*, user: Any) -> QuerySet[Place, dict[str, Any]]:
    """The places a user may see, as rows of the columns the tree and search show, with the
    number of equipment at each place."""
    return (
        Place.objects.for_user(user, "view")
        .values(*TREE_COLUMNS)
        .annotate(equipment_count=Count("equipment"))
    )


def _top_of_tree(
    ids: Ids, roles: frozenset[str], superuser: bool, levels: int
) -> QuerySet[Place, tuple[Any, ...]]:
    rows = place_rows(user=stand_in(ids, roles, superuser)).filter(depth__lte=levels)
    return rows.order_by("path").values_list(*TREE_COLUMNS, "equipment_count")


_TOP_OF_TREE = Rows(_top_of_tree)  # the place tree page, the same for everyone who may see it


def place_tree(*, user: Any, root: Place | None = None, levels: int = 2) -> list[TreeNode]:
    """The top of the tree (or the subtree below ``root``), ``levels`` levels deep, in one
    query ordered by path; deeper levels are loaded when a node is opened."""
    rows: Iterable[dict[str, Any]]
    if root is None:
        names = (*TREE_COLUMNS, "equipment_count")
        ids = Ids(org=user.organization_id, user=user.pk)
        found = _TOP_OF_TREE.run(*access_shape(user), levels, ids=ids)
        rows = (dict(zip(names, row, strict=True)) for row in found)
    else:
        rows = (
            place_rows(user=user)
            .filter(
                path__startswith=root.path, depth__gt=root.depth, depth__lte=root.depth + levels
            )
            .order_by("path")
        )
    top: list[TreeNode] = []
    by_path: dict[str, TreeNode] = {}
    for row in rows:
        node = TreeNode(row)
        by_path[row["path"]] = node
        parent = by_path.get(row["path"][:-STEP])
        (parent.children if parent is not None else top).append(node)
    return top


def place_trail_names(paths: list[str]) -> dict[str, str]:
    """Name of every ancestor of the given paths, in one query (for "园区 / 楼宇" trails)."""
    wanted = {path[:end] for path in paths for end in range(STEP, len(path), STEP)}
    if not wanted:
        return {}
    return dict(Place.objects.filter(path__in=wanted).values_list("path", "name"))


def place_trail(path: str, names: dict[str, str]) -> str:
    return " / ".join(names.get(path[:end], "…") for end in range(STEP, len(path), STEP))


def place_get(*, user: Any, pk: Any, action: str = "view") -> Place:
    """One place the user may reach; any other is 404."""
    place = Place.objects.for_user(user, action).select_related("department").filter(pk=pk).first()
    if place is None:
        raise Http404
    return place


def place_ancestors(place: Place) -> list[Place]:
    return list(Place.objects.get_ancestors(place).only("pk", "name", "path", "depth"))


def place_children(place: Place) -> list[dict[str, Any]]:
    if place.is_leaf():
        return []
    return list(
        Place.objects.filter(
            depth=place.depth + 1,
            path__range=Place._get_children_path_interval(place.path),
        )
        .values(*TREE_COLUMNS)
        .annotate(equipment_count=Count("equipment"))
        .order_by("path")
    )


def place_subtree_ids(place: Place) -> QuerySet[Place, int]:
    """The ids of a place and everything below it (a subquery, or a list when evaluated)."""
    return Place.objects.filter(path__startswith=place.path).values_list("pk", flat=True)


def place_equipment(place: Place) -> list[Equipment]:
    return list(Equipment.objects.filter(place=place).order_by("code"))


def place_move_targets(*, user: Any, place: Place) -> list[dict[str, Any]]:
    """The places this one may move under: a higher kind, not itself or below it."""
    higher = [kind for kind, rank in KIND_RANK.items() if rank < KIND_RANK[place.kind]]
    return list(
        Place.objects.for_user(user, "change")
        .filter(kind__in=higher)
        .exclude(path__startswith=place.path)
        .values("pk", "code", "name", "depth", "kind")
        .order_by("path")
    )


def place_choices(
    *, organization_id: int | None, with_points: bool = False, areas_only: bool = False
) -> list[tuple[int, str]]:
    """(pk, indented "code name") of an organization's places for drop-downs, in tree order
    (points left out unless asked for: there may be thousands; ``areas_only`` keeps campuses,
    buildings and floors, enough to filter a list by where things are)."""
    ids = Ids(org=organization_id or 0)
    return [
        (pk, f"{'　' * (depth - 1)}{code} {name}")
        for pk, code, name, depth in _PLACE_CHOICES.run(with_points, areas_only, ids=ids)
    ]


def _place_choices(
    ids: Ids, with_points: bool, areas_only: bool
) -> QuerySet[Place, tuple[int, str, str, int]]:
    rows = Place.objects.filter(organization_id=ids.org)
    if areas_only:
        rows = rows.filter(kind__in=(Place.Kind.CAMPUS, Place.Kind.BUILDING, Place.Kind.FLOOR))
    elif not with_points:
        rows = rows.exclude(kind=Place.Kind.POINT)
    return rows.values_list("pk", "code", "name", "depth").order_by("path")


_PLACE_CHOICES = Rows(_place_choices)  # the filter bars of the place and equipment lists


def changelog_for(obj: Place | Equipment) -> list[ChangeLogEntry]:
    """The change log of a place or equipment, newest first."""
    return changelog_entries(obj)


def equipment_list(*, user: Any) -> QuerySet[Equipment]:
    """The equipment a user may see, with its place, fetching the columns the list shows."""
    return (
        Equipment.objects.for_user(user, "view")
        .select_related("place")
        .only("pk", *EQUIPMENT_COLUMNS)
    )


def equipment_get(*, user: Any, pk: Any, action: str = "view") -> Equipment:
    """One piece of equipment the user may reach; any other is 404."""
    equipment = (
        Equipment.objects.for_user(user, action)
        .select_related("place", "place__department")
        .filter(pk=pk)
        .first()
    )
    if equipment is None:
        raise Http404
    return equipment


def expiring_certificates(
    *, user: Any, within_days: int = 30, today: date | None = None
) -> QuerySet[Equipment]:
    """Equipment in use whose certificate has expired or expires within the given days,
    soonest first."""
    today = today or timezone.localdate()
    return (
        equipment_list(user=user)
        .exclude(status=Equipment.Status.OUT_OF_SERVICE)
        .filter(certificate_expires__lte=today + timedelta(days=within_days))
        .order_by("certificate_expires", "code")
    )


def scan_target(*, user: Any, token: str) -> Place | Equipment | None:
    """The place or equipment whose QR label carries this token, within what the user may
    see; None for an unknown or regenerated token."""
    if not token or len(token) > 64:
        return None
    place = Place.objects.for_user(user, "view").filter(qr_token=token).only("pk").first()
    if place is not None:
        return place
    return Equipment.objects.for_user(user, "view").filter(qr_token=token).only("pk").first()


@dataclass(frozen=True)
class Label:
    """One QR label: what it names and where its code points."""

    title: str
    code: str
    kind: str
    token: str
    trail: str


def label_querysets(
    *, user: Any, within: Place | None, kinds: list[str], types: list[str]
) -> tuple[QuerySet[Place], QuerySet[Equipment]]:
    """The active places of the chosen kinds and the equipment (not out of service) of the
    chosen types, within a place's subtree when one is given."""
    places = Place.objects.for_user(user, "view").filter(active=True, kind__in=kinds)
    equipment = (
        Equipment.objects.for_user(user, "view")
        .exclude(status=Equipment.Status.OUT_OF_SERVICE)
        .filter(type__in=types)
    )
    if within is not None:
        places = places.filter(path__startswith=within.path)
        equipment = equipment.filter(place__path__startswith=within.path)
    return places, equipment


def label_list(places: QuerySet[Place], equipment: QuerySet[Equipment]) -> list[Label]:
    """Labels in tree order: each place, then the equipment at it by code."""
    place_rows = list(
        places.order_by("path").values_list("path", "name", "code", "kind", "qr_token")
    )
    equipment_rows = list(
        equipment.order_by("place__path", "code").values_list(
            "place__path", "name", "code", "type", "qr_token"
        )
    )
    names = place_trail_names(
        [row[0] for row in place_rows] + [row[0] + "0000" for row in equipment_rows]
    )
    kind_labels = dict(Place.Kind.choices)
    type_labels = dict(Equipment.Type.choices)
    labels = [
        (path, 0, Label(name, code, kind_labels[kind], token, place_trail(path, names)))
        for path, name, code, kind, token in place_rows
    ]
    labels += [
        (path, 1, Label(name, code, type_labels[kind], token, place_trail(path + "0000", names)))
        for path, name, code, kind, token in equipment_rows
    ]
    labels.sort(key=lambda item: (item[0], item[1]))
    return [label for _, _, label in labels]
