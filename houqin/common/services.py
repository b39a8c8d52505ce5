"""Generic writes of business rows, each validated and recorded in the change log in one
transaction. Domain services call these and add their own rules."""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction

from houqin.common.changelog import changelog_record, diff, snapshot
from houqin.common.models import ChangeLogEntry

M = TypeVar("M", bound=models.Model)


def validate(obj: models.Model) -> None:
    """full_clean(), with "unique per organization" errors put on the field that repeats:
    “科室代码“WY”已被使用，请换一个。”"""
    try:
        obj.full_clean()
    except ValidationError as error:
        raise ValidationError(friendly_errors(obj, error)) from error


def friendly_errors(obj: models.Model, error: ValidationError) -> dict[str, list[str]]:
    """Errors by field, with "unique per organization" put on the field that repeats."""
    messages: dict[str, list[str]] = {}
    for field, errors in error.error_dict.items():
        for item in errors:
            check = (
                (item.params or {}).get("unique_check")
                if item.code in {"unique", "unique_together"}
                else None
            )
            names = [n for n in (check or ()) if n != "organization"]
            if len(names) == 1:
                target = obj._meta.get_field(names[0])
                label = getattr(target, "verbose_name", names[0])
                value = getattr(obj, names[0])
                messages.setdefault(names[0], []).append(f"{label}“{value}”已被使用，请换一个。")
            else:
                messages.setdefault(field, []).extend(item.messages)
    return messages


@transaction.atomic
def record_create(*, model: type[M], actor: Any, organization: Any, data: dict[str, Any]) -> M:
    """新建一行：校验后保存，记变更日志（每个字段的新值）。"""
    obj = model(organization=organization, **data)
    validate(obj)
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
    stored = type(obj)._default_manager.select_for_update().get(pk=obj.pk)  # a form may have
    before = snapshot(stored)  # changed obj already while validating
    for name, value in data.items():
        setattr(obj, name, value)
    validate(obj)
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
