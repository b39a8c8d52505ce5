"""Writing the same fields of many rows at once, as one prepared UPDATE run for each row.

``QuerySet.bulk_update`` builds one ``CASE WHEN id = … THEN …`` per field and row; for a
hundred scores of six fields, building that expression costs the ORM far more than the
database takes to run it. Here the statement is written once and the values of each row are
prepared by their fields, as ``save()`` would."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import connections, router
from django.db.models import Model


def rows_update(rows: Sequence[Model], fields: Iterable[str]) -> None:
    """UPDATE ``fields`` of every row (all of one model) by primary key."""
    if not rows:
        return
    model = type(rows[0])
    meta = model._meta
    by_name = {field.name: field for field in meta.concrete_fields}
    chosen = [by_name[name] for name in fields]
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(str(field.column))} = %s" for field in chosen)
    table, key = quote(meta.db_table), quote(str(meta.pk.column))
    # Names come from the model and are quoted; every value is a parameter.
    sql = f"UPDATE {table} SET {assignments} WHERE {key} = %s"  # noqa: S608
    params = [
        [
            *(field.get_db_prep_save(getattr(row, field.attname), connection) for field in chosen),
            row.pk,
        ]
        for row in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)
