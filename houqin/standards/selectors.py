"""Reads of standards, always through ``for_user``: who sees which standards (frontline staff
only those in force), the list's rows, one standard with what its page shows, its versions.
Each read fetches its page's data in a fixed number of queries."""

from __future__ import annotations

from datetime import date
from typing import Any, NamedTuple

from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS
from django.db.models import CharField, F, IntegerField, Model, Prefetch, Q, QuerySet, Value
from django.http import Http404

from houqin.accounts.models import User
from houqin.accounts.selectors import access_shape, stand_in
from houqin.common.statements import Ids, Rows
from houqin.org.models import Department, Post, ServiceLine
from houqin.standards.models import (
    IN_FORCE_STATES,
    Standard,
    StandardLine,
    StandardNode,
    StandardVersion,
)
from houqin.standards.models import sees_all_standards as sees_all_standards  # re-exported


def standard_visible(*, user: Any, action: str = "view") -> QuerySet[Standard]:
    """The standards a user may reach: the organization's, and for frontline staff only
    those in force (实施, 复审, 修订 — a standard under revision stays in force)."""
    return Standard.objects.for_user(user, action)


def standard_list(*, user: Any) -> QuerySet[Standard]:
    """The rows of the standard list, with the node and owner department of each."""
    return standard_visible(user=user).select_related("node", "owner_department")


def standard_get(*, user: Any, pk: Any, action: str = "view", related: bool = True) -> Standard:
    """One standard with its node, owner department, proposer and (``related``) its lines,
    posts and the standards it replaces or is replaced by; any other is 404. A page that
    only shows the related rows reads them with ``standard_related`` instead, and then the
    standard is read by a statement compiled once (``standard_page_get``)."""
    if not related:
        return standard_page_get(user=user, pk=pk, action=action)
    rows = standard_visible(user=user, action=action).select_related(
        "node", "owner_department", "proposer"
    )
    rows = rows.prefetch_related(
        "lines",
        "posts",
        Prefetch("replaces", queryset=Standard.objects.only("pk", "number", "title")),
        Prefetch("replaced_by", queryset=Standard.objects.only("pk", "number", "title")),
    )
    standard = rows.filter(pk=pk).first()
    if standard is None:
        raise Http404
    return standard


def _attnames(model: type[Model]) -> tuple[str, ...]:
    return tuple(field.attname for field in model._meta.concrete_fields)


_STANDARD_FIELDS = _attnames(Standard)
_NODE_FIELDS = _attnames(StandardNode)
_DEPARTMENT_FIELDS = _attnames(Department)
_USER_FIELDS = _attnames(User)


def _standard_row(
    ids: Ids, action: str, roles: frozenset[str], superuser: bool
) -> QuerySet[Standard, Any]:
    user = stand_in(ids, roles, superuser)
    rows = Standard.objects.for_user(user, action).filter(pk=ids.many[0])
    return rows.order_by().values_list(
        *_STANDARD_FIELDS,
        *(f"node__{name}" for name in _NODE_FIELDS),
        *(f"owner_department__{name}" for name in _DEPARTMENT_FIELDS),
        *(f"proposer__{name}" for name in _USER_FIELDS),
    )


_STANDARD = Rows(_standard_row)


def _related_row(model: type[Model], names: tuple[str, ...], values: tuple[Any, ...]) -> Any:
    """A row joined in by a nullable key: None when the key was empty."""
    return None if values[0] is None else model.from_db(DEFAULT_DB_ALIAS, names, values)


def standard_page_get(*, user: Any, pk: Any, action: str = "view") -> Standard:
    """One standard that ``for_user(user, action)`` reaches, with its node, owner department
    and proposer loaded as ``select_related`` loads them; any other is 404. The statement is
    compiled once per shape: the action and the user's ``access_shape`` (their roles), so
    that each person's rows are chosen by their own permissions."""
    if not getattr(user, "is_authenticated", False) or user.organization_id is None:
        raise Http404
    try:
        key = Standard._meta.pk.to_python(pk)
    except ValidationError as error:
        raise Http404 from error
    ids = Ids(org=user.organization_id, user=user.pk, many=(key,))
    rows = _STANDARD.run(action, *access_shape(user), ids=ids)
    if not rows:
        raise Http404
    row = rows[0]
    ends = [len(_STANDARD_FIELDS)]
    for names in (_NODE_FIELDS, _DEPARTMENT_FIELDS):
        ends.append(ends[-1] + len(names))
    standard = Standard.from_db(DEFAULT_DB_ALIAS, _STANDARD_FIELDS, row[: ends[0]])
    Standard.node.field.set_cached_value(
        standard, StandardNode.from_db(DEFAULT_DB_ALIAS, _NODE_FIELDS, row[ends[0] : ends[1]])
    )
    Standard.owner_department.field.set_cached_value(
        standard, _related_row(Department, _DEPARTMENT_FIELDS, row[ends[1] : ends[2]])
    )
    Standard.proposer.field.set_cached_value(
        standard, _related_row(User, _USER_FIELDS, row[ends[2] :])
    )
    return standard


class Ref(NamedTuple):
    """Another row named on a standard's page (a post, a standard it replaces)."""

    pk: int
    name: str

    def __str__(self) -> str:
        return self.name


def _part(rows: QuerySet[Any], kind: int, a: Any, b: Any) -> QuerySet[Any, tuple[Any, ...]]:
    kind_value = Value(kind, output_field=IntegerField())
    return rows.order_by().annotate(kind=kind_value, a=a, b=b).values_list("kind", "pk", "a", "b")


LINES, POSTS, REPLACES, REPLACED_BY = range(4)


def _related_rows(ids: Ids) -> QuerySet[Any, tuple[Any, ...]]:
    """A standard's lines, posts, and the standards it replaces and is replaced by, as
    (kind, pk, text, text) in one statement, each kind in the order of its keys."""
    pk, empty = ids.many[0], Value("", output_field=CharField())
    return (
        _part(StandardLine.objects.filter(standard_id=pk), LINES, F("line"), empty)
        .union(
            _part(Post.objects.filter(standards=pk), POSTS, F("name"), empty),
            _part(Standard.objects.filter(replaced_by=pk), REPLACES, F("number"), F("title")),
            _part(Standard.objects.filter(replaces=pk), REPLACED_BY, F("number"), F("title")),
            all=True,
        )
        .order_by("kind", "pk")
    )


_RELATED = Rows(_related_rows)


def standard_related(standard: Standard) -> dict[str, list[Any]]:
    """The service line labels, posts and replaced / replacing standards shown on a
    standard's page, each as ``Ref``s (lines as labels), read by one statement compiled
    once."""
    labels = dict(ServiceLine.choices)
    found: dict[int, list[Any]] = {LINES: [], POSTS: [], REPLACES: [], REPLACED_BY: []}
    for kind, pk, a, b in _RELATED.run(ids=Ids(many=(standard.pk,))):
        if kind == LINES:
            found[kind].append(str(labels.get(a, a)))
        elif kind == POSTS:
            found[kind].append(Ref(pk, a))
        else:
            found[kind].append(Ref(pk, f"{a} {b}".strip()))
    return {
        "lines": found[LINES],
        "posts": found[POSTS],
        "replaces": found[REPLACES],
        "replaced_by": found[REPLACED_BY],
    }


_VERSION_FIELDS = _attnames(StandardVersion)


def _versions_rows(ids: Ids, drafts: bool) -> QuerySet[StandardVersion, Any]:
    rows = StandardVersion.objects.filter(standard_id=ids.many[0])
    if not drafts:
        rows = rows.filter(published_at__isnull=False)
    return rows.order_by("-seq").values_list(
        *_VERSION_FIELDS, *(f"edited_by__{name}" for name in _USER_FIELDS)
    )


_VERSIONS = Rows(_versions_rows)


def standard_versions(*, standard: Standard, drafts: bool = True) -> list[StandardVersion]:
    """The versions of a standard, newest first, with who edited each (one statement,
    compiled once)."""
    versions = []
    split = len(_VERSION_FIELDS)
    for row in _VERSIONS.run(drafts, ids=Ids(many=(standard.pk,))):
        version = StandardVersion.from_db(DEFAULT_DB_ALIAS, _VERSION_FIELDS, row[:split])
        StandardVersion.edited_by.field.set_cached_value(
            version, _related_row(User, _USER_FIELDS, row[split:])
        )
        StandardVersion.standard.field.set_cached_value(version, standard)
        versions.append(version)
    return versions


def version_in_force(versions: list[StandardVersion]) -> StandardVersion | None:
    """The text to show first: the last published version (in force, or the last that was),
    else the latest draft. ``versions`` is newest first."""
    published = [v for v in versions if v.is_published]
    if published:
        return published[0]
    return versions[0] if versions else None


def node_choices(
    *, organization_id: int, active_only: bool = False, keep: int | None = None
) -> list[tuple[int, str]]:
    """The system tree as drop-down options in tree order, indented by depth: "TG-01 服务规范"
    (``active_only``: without retired nodes, except ``keep``, the one a standard sits in)."""
    if active_only:
        rows = StandardNode.objects.filter(organization_id=organization_id)
        rows = rows.filter(Q(retired=False) | Q(pk=keep)) if keep else rows.filter(retired=False)
        found = list(rows.order_by("path").values_list(*_NODE_CHOICE_FIELDS))
    else:  # every list's filter bar: a statement compiled once
        found = _ALL_NODES.run(ids=Ids(org=organization_id))
    return [
        (pk, f"{'　' * (depth - 1)}{code} {name}{'（已停用）' if retired else ''}")
        for pk, code, name, depth, retired in found
    ]


_NODE_CHOICE_FIELDS = ("pk", "code", "name", "depth", "retired")
_ALL_NODES = Rows(
    lambda ids: (
        StandardNode.objects.filter(organization_id=ids.org)
        .order_by("path")
        .values_list(*_NODE_CHOICE_FIELDS)
    )
)


def node_path(*, organization_id: int, pk: Any) -> str | None:
    """The tree path of one node of the organization, for branch filters."""
    rows = StandardNode.objects.filter(organization_id=organization_id, pk=pk)
    return rows.values_list("path", flat=True).first()


def proposer_choices(*, organization_id: int) -> list[tuple[int, str]]:
    """Active people of the organization who may own a proposal (not the three
    administrators), sorted by pinyin."""
    from pypinyin import lazy_pinyin

    rows = (
        User.objects.filter(organization_id=organization_id, is_active=True)
        .exclude(memberships__is_admin_role=True)
        .values_list("pk", "name", "username")
        .distinct()
    )
    people = sorted(rows, key=lambda r: ("".join(lazy_pinyin(r[1])), r[2]))
    return [(pk, name) for pk, name, _ in people]


def review_overdue(standard: Standard, today: date) -> bool:
    """A standard in force whose periodic review date has passed."""
    return bool(
        standard.review_due_on
        and standard.review_due_on < today
        and standard.status in IN_FORCE_STATES
    )
