"""Generic writes of business rows, each validated and recorded in the change log in one
transaction. Domain services call these and add their own rules."""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction

from houqin.common.changelog import changelog_record, diff, snapshot
from houqin.common.models import ChangeLogEntry

M = TypeVar("M", bound=models.Model)


@transaction.atomic
def record_create(*, model: type[M], actor: Any, organization: Any, data: dict[str, Any]) -> M:
    """新建一行：校验后保存，记变更日志（每个字段的新值）。"""
    obj = model(organization=organization, **data)
    obj.full_clean()
    obj.save()
    after = snapshot(obj)
    changes = {k: [None, v] for k, v in after.items() if v not in (None, "")}
    changelog_record(obj=obj, action=ChangeLogEntry.Action.CREATE, actor=actor, changes=changes)
    return obj


@transaction.atomic
def record_update(*, obj: M, actor: Any, data: dict[str, Any]) -> M:
    """修改一行：只改给出的字段，校验后保存，记变更日志（改前 → 改后）。"""
    workflow = getattr(type(obj), "workflow", None)
    if workflow is not None and workflow.field in data:
        raise ValidationError("状态只能通过流程操作修改。")
    before = snapshot(obj)
    for name, value in data.items():
        setattr(obj, name, value)
    obj.full_clean()
    obj.save()
    changes = diff(before, snapshot(obj))
    if changes:
        changelog_record(obj=obj, action=ChangeLogEntry.Action.UPDATE, actor=actor, changes=changes)
    return obj


@transaction.atomic
def record_delete(*, obj: models.Model, actor: Any) -> None:
    """删除一行，记变更日志（删除前的值）。被其他数据引用的不能删除。"""
    before = snapshot(obj)
    changes = {k: [v, None] for k, v in before.items() if v not in (None, "")}
    changelog_record(obj=obj, action=ChangeLogEntry.Action.DELETE, actor=actor, changes=changes)
    try:
        obj.delete()
    except models.ProtectedError as error:
        raise ValidationError(f"“{obj}”仍被其他数据引用，不能删除；可以改为停用。") from error
