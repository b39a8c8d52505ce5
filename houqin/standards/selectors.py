"""Reads of standards, always through ``for_user``: who sees which standards (frontline staff
only those in force), the list's rows, one standard with what its page shows, its versions.
Each read fetches its page's data in a fixed number of queries."""

from __future__ import annotations

from datetime import date
from typing import Any, NamedTuple

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from houqin.accounts.models import User
from houqin.common.statements import Ids, Rows
from houqin.org.models import Post, ServiceLine
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
    only shows the related rows reads them with ``standard_related`` instead."""
    rows = standard_visible(user=user, action=action).select_related(
        "node", "owner_department", "proposer"
    )
    if related:
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


class Ref(NamedTuple):
    """Another row named on a standard's page (a post, a standard it replaces)."""

    pk: int
    name: str

    def __str__(self) -> str:
        return self.name


_LINES = Rows(
    lambda ids: (
        StandardLine.objects.filter(standard_id__in=ids.many).order_by("pk").values_list("line")
    )
)
_POSTS = Rows(
    lambda ids: Post.objects.filter(standards__in=ids.many).order_by("pk").values_list("pk", "name")
)
_REPLACES = Rows(
    lambda ids, direction: (
        Standard.objects.filter(**{f"{direction}__in": ids.many})
        .order_by("pk")
        .values_list("pk", "number", "title")
    )
)


def standard_related(standard: Standard) -> dict[str, list[Any]]:
    """The service line labels, posts and replaced / replacing standards shown on a
    standard's page, each as ``Ref``s (lines as labels), read by statements compiled once."""
    ids = Ids(many=(standard.pk,))
    labels = dict(ServiceLine.choices)

    def standards(direction: str) -> list[Ref]:
        rows = _REPLACES.run(direction, ids=ids)
        return [Ref(pk, f"{number} {title}".strip()) for pk, number, title in rows]

    return {
        "lines": [str(labels.get(line, line)) for (line,) in _LINES.run(ids=ids)],
        "posts": [Ref(pk, name) for pk, name in _POSTS.run(ids=ids)],
        "replaces": standards("replaced_by"),
        "replaced_by": standards("replaces"),
    }


def standard_versions(*, standard: Standard, drafts: bool = True) -> list[StandardVersion]:
    """The versions of a standard, newest first, with who edited each (one query)."""
    rows = standard.versions.select_related("edited_by").order_by("-seq")
    if not drafts:
        rows = rows.filter(published_at__isnull=False)
    return list(rows)


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
    rows = StandardNode.objects.filter(organization_id=organization_id)
    if active_only:
        rows = rows.filter(Q(retired=False) | Q(pk=keep)) if keep else rows.filter(retired=False)
    return [
        (pk, f"{'　' * (depth - 1)}{code} {name}{'（已停用）' if retired else ''}")
        for pk, code, name, depth, retired in rows.order_by("path").values_list(
            "pk", "code", "name", "depth", "retired"
        )
    ]


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
