"""Recording changes of business rows: snapshots of field values and their differences."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import DEFAULT_DB_ALIAS, models
from django.db.models import QuerySet, Value
from django.db.models.functions import Cast

from houqin.common.context import client_ip
from houqin.common.masking import mask_phone
from houqin.common.models import ChangeLogEntry
from houqin.common.statements import Ids, Rows


def _display(obj: models.Model, field: models.Field) -> Any:
    value = getattr(obj, field.attname)
    if value is None:
        return None
    if field.is_relation:
        related = getattr(obj, field.name, None)
        return str(related) if related is not None else None
    if field.name == "phone":
        return mask_phone(str(value))  # the full number is not needed in a log (PIPL)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, bool | int | float | str):
        return value
    return str(value)


def tracked_fields(model: type[models.Model]) -> list[models.Field]:
    """The concrete fields a change log follows (not stamps, keys or the organization)."""
    skip = {"id", "created_at", "updated_at", "organization"}
    return [
        f
        for f in model._meta.concrete_fields
        if f.name not in skip and not getattr(f, "changelog_exclude", False)
    ]


def snapshot(obj: models.Model) -> dict[str, Any]:
    """The tracked fields of a row as displayable values (labels, not ids)."""
    return {f.name: _display(obj, f) for f in tracked_fields(type(obj))}


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """Field → [before, after] for the fields that differ."""
    keys = before.keys() | after.keys()
    return {k: [before.get(k), after.get(k)] for k in sorted(keys) if before.get(k) != after.get(k)}


def changelog_record(
    *,
    obj: models.Model,
    action: str,
    actor: Any,
    changes: dict[str, list[Any]],
    note: str = "",
) -> ChangeLogEntry:
    """Append a change-log entry for obj; call it inside the service's transaction."""
    return ChangeLogEntry.objects.create(
        organization_id=getattr(obj, "organization_id", None),
        content_type=ContentType.objects.get_for_model(type(obj)),
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        action=action,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=getattr(actor, "name", "") or "",
        ip=client_ip(),
        changes=changes,
        note=note[:300],
    )


def field_labels(model: type[models.Model]) -> dict[str, str]:
    return {f.name: str(f.verbose_name) for f in model._meta.concrete_fields}


def changelog_entries(obj: models.Model, limit: int = 100) -> list[ChangeLogEntry]:
    """The change log of one row, newest first, with field names as labels."""
    entries = list(
        ChangeLogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(type(obj)), object_id=str(obj.pk)
        )[:limit]
    )
    return _labelled(entries, type(obj))


def _labelled(entries: list[ChangeLogEntry], model: type[models.Model]) -> list[ChangeLogEntry]:
    labels = field_labels(model)
    for entry in entries:
        entry.labelled = [  # type: ignore[attr-defined]
            (labels.get(name, name), pair[0], pair[1]) for name, pair in entry.changes.items()
        ]
    return entries


_ENTRY_FIELDS = tuple(field.attname for field in ChangeLogEntry._meta.concrete_fields)


def _entries(ids: Ids, limit: int) -> QuerySet[ChangeLogEntry, tuple[Any, ...]]:
    # object_id holds the key as text: cast in SQL, so that the key stays a parameter
    object_id = Cast(Value(ids.many[1]), output_field=models.CharField())
    rows = ChangeLogEntry.objects.filter(content_type_id=ids.many[0], object_id=object_id)
    return rows.values_list(*_ENTRY_FIELDS)[:limit]


_ENTRIES = Rows(_entries)


def changelog_entries_compiled(obj: models.Model, limit: int = 100) -> list[ChangeLogEntry]:
    """``changelog_entries`` read by a statement compiled once (for the pages people open
    most); a row whose key is not an integer is read as ``changelog_entries`` reads it."""
    if type(obj.pk) is not int:
        return changelog_entries(obj, limit)
    content_type = ContentType.objects.get_for_model(type(obj))
    rows = _ENTRIES.run(limit, ids=Ids(many=(content_type.pk, obj.pk)))
    entries = [ChangeLogEntry.from_db(DEFAULT_DB_ALIAS, _ENTRY_FIELDS, row) for row in rows]
    return _labelled(entries, type(obj))
