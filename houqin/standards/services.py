"""Writes of the standard system and of standards: nodes (template, rename, reorder,
retire), standards (propose, adopt, edit, lines, posts), versions (first draft, revision
draft, publish). Lifecycle steps with their own rules live in ``lifecycle.py``; clause edits
in ``clauses.py``."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from houqin.common.changelog import changelog_record
from houqin.common.models import ChangeLogEntry
from houqin.common.services import record_create, record_update, validate
from houqin.standards.clauses import version_copy
from houqin.standards.models import (
    Standard,
    StandardLine,
    StandardNode,
    StandardSettings,
    StandardVersion,
)
from houqin.standards.numbers import normalized, number_error

IN_FORCE_STATES = ("in_force", "under_review", "revising")


def settings_for(organization: Any) -> StandardSettings:
    return StandardSettings.objects.get_or_create(organization=organization)[0]


# ---- the system tree ---------------------------------------------------------------------


@transaction.atomic
def system_template_create(*, organization: Any, actor: Any) -> int:
    """Give an organization the GB/T 24421 system tree (only when it has no node yet)."""
    from houqin.standards.system_template import TREE

    if StandardNode.objects.filter(organization=organization).exists():
        return 0
    count = 0

    def add(entries: Any, parent: StandardNode | None) -> None:
        nonlocal count
        for code, name, children in entries:
            data = {"organization": organization, "code": code, "name": name}
            node = (
                StandardNode.objects.add_child(parent, instance=StandardNode(**data))
                if parent
                else StandardNode.objects.add_root(instance=StandardNode(**data))
            )
            count += 1
            add(children, node)

    add(TREE, None)
    return count


@transaction.atomic
def node_add(*, organization: Any, actor: Any, parent: StandardNode | None, data: dict) -> Any:
    node = StandardNode(organization=organization, **data)
    if parent is not None and parent.retired:
        raise ValidationError("停用的节点下不能再加节点。")
    node.path, node.depth = "0" * StandardNode.steplen, 1  # placeholders for validation
    validate(node)
    node = (
        StandardNode.objects.add_child(parent, instance=node)
        if parent
        else StandardNode.objects.add_root(instance=node)
    )
    changelog_record(
        obj=node,
        action=ChangeLogEntry.Action.CREATE,
        actor=actor,
        changes={"code": [None, node.code], "name": [None, node.name]},
    )
    return node


def node_update(*, node: StandardNode, actor: Any, data: dict) -> StandardNode:
    return record_update(obj=node, actor=actor, data=data)


@transaction.atomic
def node_move(*, node: StandardNode, actor: Any, direction: str) -> StandardNode:
    """Move a node before its previous sibling or after its next one."""
    if direction == "up":
        other = node.get_prev_sibling()
        position = "left"
    else:
        other = node.get_next_sibling()
        position = "right"
    if other is None:
        raise ValidationError("已经在最前面了。" if direction == "up" else "已经在最后面了。")
    node.move(other, position)
    node.refresh_from_db()
    changelog_record(
        obj=node,
        action=ChangeLogEntry.Action.UPDATE,
        actor=actor,
        changes={"顺序": ["", "上移" if direction == "up" else "下移"]},
    )
    return node


@transaction.atomic
def node_retire(*, node: StandardNode, actor: Any) -> StandardNode:
    """Retire a node and its branch. Refused while a standard in force sits in the branch."""
    branch = StandardNode.get_tree(node)
    in_force = Standard.objects.filter(node__in=branch, status__in=IN_FORCE_STATES)
    if in_force.exists():
        names = "、".join(str(s) for s in in_force[:3])
        raise ValidationError(
            f"“{node.name}”下还有{in_force.count()}项现行标准（{names}），"
            "请先把它们移到其他节点或废止后再停用。"
        )
    for each in branch:
        if not each.retired:
            record_update(obj=each, actor=actor, data={"retired": True})
    node.refresh_from_db()
    return node


def node_restore(*, node: StandardNode, actor: Any) -> StandardNode:
    return record_update(obj=node, actor=actor, data={"retired": False})


# ---- standards ---------------------------------------------------------------------------


def _checked_number(organization: Any, number: str, level: str) -> str:
    """The number normalized, or a ValidationError saying which format it must follow."""
    if not number:
        return ""
    number = normalized(number)
    message = number_error(number, level, settings_for(organization).internal_prefix)
    if message:
        raise ValidationError({"number": message})
    return number


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _check_node(node: StandardNode | None, organization: Any) -> None:
    if node is not None and node.organization_id != organization.pk:
        raise ValidationError({"node": "体系节点不属于本单位。"})
    if node is not None and node.retired:
        raise ValidationError({"node": f"“{node.name}”已停用，请选择其他节点。"})


def lines_set(*, standard: Standard, lines: list[str]) -> None:
    """Replace the service lines a standard governs."""
    standard.lines.exclude(line__in=lines).delete()
    have = set(standard.lines.values_list("line", flat=True))
    StandardLine.objects.bulk_create(
        [StandardLine(standard=standard, line=line) for line in lines if line not in have]
    )


@transaction.atomic
def standard_propose(
    *,
    organization: Any,
    actor: Any,
    data: dict[str, Any],
    lines: list[str] = (),  # type: ignore[assignment]
    posts: list[Any] = (),  # type: ignore[assignment]
) -> Standard:
    """立项: a new internal standard (or a revision of an external one adopted as internal
    text) starts as a proposal with reason, scope, owner and due date."""
    data = {
        **data,
        "level": data.get("level") or Standard.Level.INTERNAL,
        "issuing_body": data.get("issuing_body") or organization.name,
        "review_years": data.get("review_years") or settings_for(organization).review_years,
    }
    if not data.get("reason", "").strip():
        raise ValidationError({"reason": "请填写立项理由。"})
    _check_node(data.get("node"), organization)
    data["number"] = _checked_number(organization, data.get("number", ""), data["level"])
    standard = record_create(model=Standard, actor=actor, organization=organization, data=data)
    lines_set(standard=standard, lines=list(lines))
    standard.posts.set(posts)
    return standard


@transaction.atomic
def standard_adopt(
    *,
    organization: Any,
    actor: Any,
    data: dict[str, Any],
    lines: list[str] = (),  # type: ignore[assignment]
    posts: list[Any] = (),  # type: ignore[assignment]
) -> Standard:
    """Record an external standard the center applies (level ≠ internal): metadata only,
    in force from its date; its PDF is an attachment, its clauses may be entered later."""
    if data.get("level") in (None, "", Standard.Level.INTERNAL):
        raise ValidationError({"level": "采用的外部标准请选择国家、行业、地方或团体层级。"})
    if not data.get("number"):
        raise ValidationError({"number": "请填写标准编号。"})
    _check_node(data.get("node"), organization)
    data["number"] = _checked_number(organization, data["number"], data["level"])
    standard = Standard(organization=organization, status=Standard.Status.IN_FORCE, **data)
    validate(standard)
    standard.save()
    changelog_record(
        obj=standard,
        action=ChangeLogEntry.Action.CREATE,
        actor=actor,
        changes={"number": [None, standard.number], "title": [None, standard.title]},
        note="登记采用的外部标准",
    )
    lines_set(standard=standard, lines=list(lines))
    standard.posts.set(posts)
    return standard


@transaction.atomic
def standard_update(
    *,
    standard: Standard,
    actor: Any,
    data: dict[str, Any],
    lines: list[str] | None = None,
    posts: list[Any] | None = None,
) -> Standard:
    """Edit a standard's metadata. A published number cannot change."""
    if standard.status not in Standard.editable_states:
        raise ValidationError(f"标准处于“{standard.get_status_display()}”阶段，不能修改。")
    renumbered = "number" in data and normalized(data["number"] or "") != standard.number
    if renumbered and not standard.is_adopted and standard.versions.published().exists():
        raise ValidationError({"number": "标准已发布，编号不能修改；修订后发布新编号。"})
    if "node" in data and data["node"] != standard.node:
        _check_node(data["node"], standard.organization)
    if "number" in data:
        level = data.get("level", standard.level)
        data["number"] = _checked_number(standard.organization, data["number"], level)
    standard = record_update(obj=standard, actor=actor, data=data)
    if lines is not None:
        lines_set(standard=standard, lines=lines)
    if posts is not None:
        standard.posts.set(posts)
    return standard


# ---- versions ----------------------------------------------------------------------------


def draft_version(standard: Standard) -> StandardVersion | None:
    return standard.versions.drafts().order_by("-seq").first()


def published_version(standard: Standard) -> StandardVersion | None:
    return standard.versions.published().order_by("-seq").first()


@transaction.atomic
def version_new_draft(*, standard: Standard, actor: Any) -> StandardVersion:
    """The draft to write in: the open one, or a new one copied from the last published
    version (clauses keep their identity), or an empty first draft."""
    existing = draft_version(standard)
    if existing is not None:
        return existing
    base = published_version(standard)
    seq = (standard.versions.order_by("-seq").values_list("seq", flat=True).first() or 0) + 1
    version = StandardVersion.objects.create(
        standard=standard, seq=seq, based_on=base, edited_by=actor, edited_at=timezone.now()
    )
    if base is not None:
        version_copy(source=base, target=version)
    changelog_record(
        obj=standard,
        action=ChangeLogEntry.Action.UPDATE,
        actor=actor,
        changes={"版本": ["", f"新建第{seq}版草案"]},
    )
    return version


@transaction.atomic
def version_publish(
    *,
    version: StandardVersion,
    actor: Any,
    number: str,
    published_on: date,
    effective_on: date,
) -> StandardVersion:
    """Freeze a draft: the standard's number and dates are fixed with it. Called by the
    approval step of the lifecycle."""
    standard = version.standard
    if version.is_published:
        raise ValidationError("这个版本已经发布。")
    if not version.clauses.exists():
        raise ValidationError("草案没有内容，不能发布。")
    if effective_on < published_on:
        raise ValidationError({"effective_on": "实施日期不能早于发布日期。"})
    number = _checked_number(standard.organization, number, standard.level)
    if not number:
        raise ValidationError({"number": "发布前请确定标准编号。"})
    clash = Standard.objects.filter(organization=standard.organization, number=number)
    if clash.exclude(pk=standard.pk).exists():
        raise ValidationError({"number": f"标准编号“{number}”已被使用，请换一个。"})
    record_update(
        obj=standard,
        actor=actor,
        data={
            "number": number,
            "published_on": published_on,
            "effective_on": effective_on,
            "review_due_on": add_years(effective_on, standard.review_years),
        },
    )
    StandardVersion.objects.filter(pk=version.pk).update(
        published_at=timezone.now(), number=standard.number
    )
    version.refresh_from_db()
    return version


def can_edit_text(user: Any, standard: Standard) -> bool:
    """A draft's text may be edited while drafting or revising, by someone with the drafting
    permission who runs standards (manage) or heads the owning department."""
    if standard.status not in (Standard.Status.DRAFTING, Standard.Status.REVISING):
        return False
    if not user.has_perm("standards.draft_standard"):
        return False
    return user.has_perm("standards.manage_standard") or (
        standard.owner_department_id is not None
        and standard.owner_department_id == getattr(user, "department_id", None)
    )
