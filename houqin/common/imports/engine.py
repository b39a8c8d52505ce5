"""The import run: parse and check every row, find duplicates, resolve lookups, fetch
existing rows, plan creates and updates, and write them in one change-logged transaction."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connections, models, router, transaction
from django.utils import timezone

from houqin.common.changelog import snapshot
from houqin.common.context import client_ip
from houqin.common.imports.parsing import (
    _Bad,
    _bad_message,
    _cell_text,
    _Reader,
    _reader,
    match_key,
    plain_text,
)
from houqin.common.imports.specs import (
    CREATE,
    LOOKUP,
    UNCHANGED,
    UPDATE,
    ImportContext,
    ImportResult,
    ImportRow,
    ImportSpec,
    Lookup,
    RowError,
)
from houqin.common.imports.workbook import (
    SheetData,
    WorkbookError,
    _header_words,
    read_workbook,
)
from houqin.common.models import ChangeLogEntry
from houqin.common.services import record_update


def _parse_rows(ctx: ImportContext, sheet: SheetData) -> None:
    spec = ctx.spec
    readers = [_reader(spec, c, sheet.columns[c.header]) for c in ctx.columns]
    example = _example_texts(spec, readers)
    required = [r for r in readers if r.column.required]
    for number, cells in sheet.rows:
        width = len(cells)
        row = ImportRow(number)
        values, texts = row.values, row.texts
        for reader in readers:
            name = reader.column.field
            raw = cells[reader.index] if reader.index < width else None
            if raw is None or (isinstance(raw, str) and (not raw or raw.isspace())):
                values[name] = None
                texts[name] = ""
                continue
            text = raw if isinstance(raw, str) else _cell_text(raw)
            texts[name] = plain_text(text)
            try:
                value = reader.parse(raw)
            except _Bad:
                ctx.error(row, reader.column, _bad_message(reader.column, texts[name]))
                values[name] = None
                continue
            if value == "":
                values[name] = None
                continue
            if reader.max_length is not None and len(value) > reader.max_length:
                ctx.error(
                    row,
                    reader.column,
                    f"“{reader.column.header}”最多 {reader.max_length} 个字，"
                    f"现在有 {len(value)} 个字。",
                )
            for validator in reader.validators:
                try:
                    validator(value)
                except ValidationError as error:
                    ctx.error(
                        row, reader.column, f"“{reader.column.header}”{'；'.join(error.messages)}"
                    )
                    break
            values[name] = value
        if example is not None and texts == example:
            continue
        for reader in required:
            name = reader.column.field
            if values[name] is None and name not in row.failed:
                ctx.error(row, reader.column, f"“{reader.column.header}”没有填写，请补上。")
        ctx.rows.append(row)


def _example_texts(spec: ImportSpec, readers: list[_Reader]) -> dict[str, str] | None:
    """The example row of the template as the texts a row read from the sheet would have:
    a template's example row left in place is skipped."""
    texts: dict[str, str] = {}
    for reader in readers:
        example = reader.column.example
        if example in (None, ""):
            texts[reader.column.field] = ""
        else:
            texts[reader.column.field] = plain_text(_cell_text(example))
    return texts if any(texts.values()) else None


def _check_duplicates(ctx: ImportContext) -> None:
    key_column = ctx.spec.key_column
    seen: dict[Any, int] = {}
    for row in ctx.rows:
        key = row.values.get(key_column.field)
        if key is None:
            continue
        first = seen.setdefault(key, row.number)
        if first != row.number:
            ctx.error(
                row,
                key_column,
                f"{key_column.header}“{key}”与第 {first} 行重复，"
                f"同一{key_column.header}只能出现一次，请删除或改正其中一行。",
            )


_AMBIGUOUS = object()


def lookup_table(lookup: Lookup, organization: Any) -> dict[str, Any]:
    """match_key(text) → row for every key of every row (one query); a text that names two
    different rows maps to an ambiguity marker."""
    table: dict[str, Any] = {}
    for obj in lookup.rows(organization):
        for text in lookup.keys(obj):
            if not text:
                continue
            key = match_key(text)
            other = table.get(key)
            table[key] = obj if other is None or other == obj else _AMBIGUOUS
    return table


def _resolve_lookups(ctx: ImportContext) -> None:
    tables: dict[int, dict[str, Any]] = {}
    for column in ctx.columns:
        lookup = column.lookup
        if column.kind != LOOKUP or lookup is None:
            continue
        table = tables.get(id(lookup))
        if table is None:
            table = tables[id(lookup)] = lookup_table(lookup, ctx.organization)
        name = column.field
        for row in ctx.rows:
            text = row.values.get(name)
            if text is None:
                continue
            found = table.get(match_key(text))
            if found is None:
                row.values[name] = None
                ctx.error(
                    row,
                    column,
                    f"{column.header}“{text}”不存在，请先在“{lookup.target}”中添加或修改表格。",
                )
            elif found is _AMBIGUOUS:
                row.values[name] = None
                ctx.error(
                    row, column, f"{column.header}“{text}”有重名，请改填{lookup.target}的代码。"
                )
            else:
                row.values[name] = found


def _fetch_existing(ctx: ImportContext) -> None:
    spec = ctx.spec
    keys = {row.values[spec.key] for row in ctx.rows if row.values.get(spec.key) is not None}
    if not keys:
        return
    related = [
        f.name
        for f in spec.model._meta.concrete_fields
        if f.is_relation and f.name != "organization"
    ]
    manager = spec.model._default_manager
    queryset = manager.filter(organization=ctx.organization, **{f"{spec.key}__in": keys})
    if related:
        queryset = queryset.select_related(*related)
    ctx.existing = {getattr(obj, spec.key): obj for obj in queryset}
    for row in ctx.rows:
        key = row.values.get(spec.key)
        row.existing = ctx.existing.get(key) if key is not None else None


def _plan(ctx: ImportContext) -> None:
    """Decide per valid row: create (with every written field), update (with the fields that
    differ) or leave unchanged."""
    bad = {error.row for error in ctx.errors}
    written = []
    for column in ctx.columns:
        if not column.write:
            continue
        model_field = ctx.spec.model._meta.get_field(column.field)
        written.append(
            (
                column.field,
                model_field.attname,  # type: ignore[union-attr]
                model_field.is_relation,
                model_field.get_default(),  # type: ignore[union-attr]
                model_field.has_default(),  # type: ignore[union-attr]
            )
        )
    for row in ctx.rows:
        if row.number in bad:
            continue
        values, obj = row.values, row.existing
        if obj is None:
            row.data = {
                name: default if values.get(name) is None else values[name]
                for name, _, _, default, _ in written
            }
            row.action = CREATE
            continue
        changes: dict[str, Any] = {}
        for name, attname, is_relation, default, has_default in written:
            value = values.get(name)
            if value is None:
                if has_default:
                    continue  # a blank status keeps the row's status
                value = default
            new = value.pk if is_relation and value is not None else value
            if getattr(obj, attname) != new:
                changes[name] = value
        row.data = changes
        row.action = UPDATE if changes else UNCHANGED


class _Rollback(Exception):
    pass


def changelog_created(objs: Sequence[models.Model], *, actor: Any) -> None:
    """The change-log entries record_create writes (every non-blank field as [None, value]),
    for rows created in bulk, in one executemany: the ORM's bulk_create would spend more
    time preparing these values than the rest of a large import."""
    if not objs:
        return
    meta = ChangeLogEntry._meta
    connection = connections[router.db_for_write(ChangeLogEntry)]
    content_type = ContentType.objects.get_for_model(type(objs[0]))
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    fixed = {
        "created_at": meta.get_field("created_at").get_db_prep_save(timezone.now(), connection),
        "content_type": content_type.pk,
        "action": ChangeLogEntry.Action.CREATE.value,
        "actor": actor.pk if getattr(actor, "pk", None) else None,
        "actor_name": getattr(actor, "name", "") or "",
        "ip": meta.get_field("ip").get_db_prep_save(client_ip(), connection),
        "note": "",
    }
    varying_names = {"organization", "object_id", "object_repr", "changes"}
    for other in fields:  # any field added later: its default
        if other.name not in fixed and other.name not in varying_names:
            fixed[other.name] = other.get_db_prep_save(other.get_default(), connection)
    changes_field = meta.get_field("changes")
    rows = []
    for obj in objs:
        after = snapshot(obj)
        varying = {
            "organization": getattr(obj, "organization_id", None),
            "object_id": str(obj.pk),
            "object_repr": str(obj)[:200],
            "changes": changes_field.get_db_prep_save(
                {k: [None, v] for k, v in after.items() if v not in (None, "")}, connection
            ),
        }
        rows.append([varying[f.name] if f.name in varying else fixed[f.name] for f in fields])
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields if f.column)
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 (model names; values are parameters)
        quote(meta.db_table),
        columns,
        ", ".join(["%s"] * len(fields)),
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def error_message(error: ValidationError) -> str:
    return "；".join(error.messages)


def apply_rows(ctx: ImportContext, *, update: Callable[..., Any] = record_update) -> None:
    """The default write: new rows with bulk_create and their change-log entries (as
    record_create writes them), changed rows through ``update(obj=, actor=, data=)``
    (record_update, or a domain service with that shape). Call inside the run's transaction;
    a row that fails adds an error (and the run rolls back)."""
    model = ctx.spec.model
    created = [model(organization=ctx.organization, **row.data) for row in ctx.rows_to(CREATE)]
    if created:
        model._default_manager.bulk_create(created, batch_size=500)
        changelog_created(created, actor=ctx.actor)
    for row in ctx.rows_to(UPDATE):
        try:
            update(obj=row.existing, actor=ctx.actor, data=row.data)
        except ValidationError as error:
            ctx.error(row.number, "", error_message(error))


def import_run(
    *,
    spec: ImportSpec,
    organization: Any,
    file: str | Path | IO[bytes],
    actor: Any,
    dry_run: bool,
) -> ImportResult:
    """导入一个 Excel 表格：逐行检查，列出每个有问题的单元格；全部无误且不是试运行时，
    在一个事务中新建和更新（记变更日志），未变的行不动。"""
    result = ImportResult(kind=spec.kind, title=spec.title, dry_run=dry_run)
    try:
        sheet = read_workbook(file, headers=_header_words(spec))
    except WorkbookError as error:
        result.errors.append(RowError(error.row, error.column, error.message))
        return result
    missing = [c.header for c in spec.columns if c.required and c.header not in sheet.columns]
    if missing:
        result.errors.append(
            RowError(
                sheet.header_row,
                "、".join(missing),
                f"表格缺少必填列：{'、'.join(missing)}。请使用下载的模板，不要删除或改动列名。",
            )
        )
        return result
    ctx = ImportContext(
        spec=spec,
        organization=organization,
        actor=actor,
        columns=[c for c in spec.columns if c.header in sheet.columns],
    )
    _parse_rows(ctx, sheet)
    result.rows = len(ctx.rows)
    if not ctx.rows:
        result.errors.append(RowError(0, "", "表格里没有要导入的数据行。"))
        return result
    _check_duplicates(ctx)
    _resolve_lookups(ctx)
    _fetch_existing(ctx)
    if spec.resolve is not None:
        spec.resolve(ctx)
    _plan(ctx)
    if spec.after_plan is not None:
        spec.after_plan(ctx)
    if not ctx.errors and not dry_run:
        try:
            with transaction.atomic():
                (spec.apply or apply_rows)(ctx)
                if ctx.errors:
                    raise _Rollback
        except _Rollback:
            pass
        except DatabaseError as error:
            ctx.errors.append(
                RowError(0, "", f"保存时出错，没有导入任何数据：{error}。请稍后重新上传。")
            )
        else:
            result.applied = True
    order = {c.header: i for i, c in enumerate(spec.columns)}
    result.errors = sorted(ctx.errors, key=lambda e: (e.row, order.get(e.column, 99)))
    result.created = len(ctx.rows_to(CREATE))
    result.updated = len(ctx.rows_to(UPDATE))
    result.unchanged = len(ctx.rows_to(UNCHANGED))
    return result
