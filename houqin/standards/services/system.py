"""The standard system tree: the template, adding, renaming, reordering, retiring and
restoring nodes, and the organization's standardization settings."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from houqin.common.changelog import changelog_record
from houqin.common.models import ChangeLogEntry
from houqin.common.services import record_update, validate
from houqin.standards.models import (
    IN_FORCE_STATES,
    Standard,
    StandardNode,
    StandardSettings,
)


def settings_for(organization: Any) -> StandardSettings:
    return StandardSettings.objects.get_or_create(organization=organization)[0]


# ---- the system tree ---------------------------------------------------------------------


@transaction.atomic
def system_template_create(*, organization: Any, actor: Any) -> int:
    """Give an organization the GB/T 24421 system tree (only when it has no node yet);
    each node created is recorded in the change log. Returns how many nodes were made (0
    when the organization already has a tree: calling it twice changes nothing)."""
    from houqin.standards.system_template import TREE

    if StandardNode.objects.filter(organization=organization).exists():
        return 0
    count = 0

    def add(entries: Any, parent: StandardNode | None) -> None:
        nonlocal count
        for code, name, children in entries:
            instance = StandardNode(organization=organization, code=code, name=name)
            node = (
                StandardNode.objects.add_child(parent, instance=instance)
                if parent
                else StandardNode.objects.add_root(instance=instance)
            )
            changelog_record(
                obj=node,
                action=ChangeLogEntry.Action.CREATE,
                actor=actor,
                changes={"code": [None, node.code], "name": [None, node.name]},
                note="按 GB/T 24421 模板创建",
            )
            count += 1
            add(children, node)

    add(TREE, None)
    return count


@transaction.atomic
def node_add(*, organization: Any, actor: Any, parent: StandardNode | None, data: dict) -> Any:
    """Add a node under ``parent`` (None: a new top-level node), last among its siblings.
    The parent must be the organization's and in use; the code is unique in the
    organization."""
    if parent is not None and parent.organization_id != organization.pk:
        raise ValidationError("上级节点不属于本单位。")
    if parent is not None and parent.retired:
        raise ValidationError("停用的节点下不能再加节点。")
    node = StandardNode(organization=organization, **data)
    node.path, node.depth = "0" * StandardNode.steplen, 1  # placeholders for validation
    validate(node)
    if parent is not None:
        parent.refresh_from_db()  # numchild and path may have changed since it was read
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
        note=f"上级节点：{parent}" if parent else "顶层节点",
    )
    return node


def node_update(*, node: StandardNode, actor: Any, data: dict) -> StandardNode:
    """Rename a node: its code (unique in the organization), name and description."""
    allowed = {"code", "name", "description"}
    return record_update(
        obj=node, actor=actor, data={k: v for k, v in data.items() if k in allowed}
    )


def node_siblings(node: StandardNode) -> Any:
    """The node's siblings in the same organization, the node included, in tree order (the
    top-level nodes of every organization share one level of the tree)."""
    return StandardNode.objects.get_siblings(node).filter(organization_id=node.organization_id)


@transaction.atomic
def node_move(*, node: StandardNode, actor: Any, direction: str) -> StandardNode:
    """Move a node (with its branch) before its previous sibling or after its next one."""
    if direction not in ("up", "down"):
        raise ValidationError("没有这个操作。")
    node.refresh_from_db()
    siblings = node_siblings(node)
    if direction == "up":
        other = siblings.filter(path__lt=node.path).last()
        position = "left"
    else:
        other = siblings.filter(path__gt=node.path).first()
        position = "right"
    if other is None:
        raise ValidationError("已经在最前面了。" if direction == "up" else "已经在最后面了。")
    StandardNode.objects.move(node, other, position)
    node.refresh_from_db()
    where = f"上移到“{other.name}”之前" if direction == "up" else f"下移到“{other.name}”之后"
    changelog_record(
        obj=node, action=ChangeLogEntry.Action.UPDATE, actor=actor, changes={"顺序": ["", where]}
    )
    return node


def _branch(node: StandardNode) -> Any:
    return StandardNode.objects.filter(
        organization_id=node.organization_id, path__startswith=node.path
    )


@transaction.atomic
def node_retire(*, node: StandardNode, actor: Any) -> StandardNode:
    """Retire a node and its branch. Refused while a standard in force sits in the branch."""
    node.refresh_from_db()
    if node.retired:
        raise ValidationError(f"“{node.name}”已经停用。")
    branch = _branch(node)
    in_force = Standard.objects.filter(node__in=branch, status__in=IN_FORCE_STATES).order_by(
        "node__path", "number"
    )
    found = list(in_force[:4])
    if found:
        total = in_force.count() if len(found) > 3 else len(found)
        names = "、".join(str(s) for s in found[:3]) + ("等" if total > 3 else "")
        raise ValidationError(
            f"“{node.name}”下还有{total}项现行标准（{names}），"
            "请先把它们移到其他节点或废止后再停用。"
        )
    for each in branch:
        if not each.retired:
            record_update(obj=each, actor=actor, data={"retired": True})
    node.refresh_from_db()
    return node


@transaction.atomic
def node_restore(*, node: StandardNode, actor: Any) -> StandardNode:
    """Put a retired node and its branch back in use; its parent must be in use."""
    node.refresh_from_db()
    parent = StandardNode.objects.get_parent(node)
    if parent is not None and parent.retired:
        raise ValidationError(f"上级节点“{parent.name}”已停用，请先恢复上级节点。")
    if not node.retired:
        raise ValidationError(f"“{node.name}”没有停用。")
    for each in _branch(node):
        if each.retired:
            record_update(obj=each, actor=actor, data={"retired": False})
    node.refresh_from_db()
    return node
