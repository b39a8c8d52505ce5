"""Triggers that keep the daily roll-ups honest (models/rollups.py): a write to a record or a
task deletes the ``DayBuilt`` marks of the days it touches, so those days are counted again
before they are read. A timestamp's local day is within a day of its UTC date whatever the
zone, so the marks of the UTC date and the days either side of it go."""

from django.db import migrations

from houqin.common.vendor_sql import vendor_sql

MARKS = "appraisal_daybuilt"
RECORD, TASK = "checklists_record", "checklists_task"
PLACE, TEMPLATE = "places_place", "checklists_checklisttemplate"


def _sqlite_days(stamp: str) -> str:
    return f"day BETWEEN date({stamp}, '-1 day') AND date({stamp}, '+1 day')"


def _sqlite_forget(row: str, rows_kind: str, column: str) -> str:
    return (
        f"DELETE FROM {MARKS} WHERE organization_id = {row}.organization_id "
        f"AND rows_kind = '{rows_kind}' AND {_sqlite_days(f'{row}.{column}')};"
    )


def _sqlite_row_triggers(table: str, rows_kind: str, column: str) -> list[str]:
    name = f"{table}_rollup"
    return [
        f"CREATE TRIGGER {name}_insert AFTER INSERT ON {table} BEGIN "
        f"{_sqlite_forget('NEW', rows_kind, column)} END;",
        f"CREATE TRIGGER {name}_update AFTER UPDATE ON {table} BEGIN "
        f"{_sqlite_forget('OLD', rows_kind, column)} {_sqlite_forget('NEW', rows_kind, column)} "
        "END;",
        f"CREATE TRIGGER {name}_delete AFTER DELETE ON {table} BEGIN "
        f"{_sqlite_forget('OLD', rows_kind, column)} END;",
    ]


def _sqlite_department_trigger(table: str) -> str:
    return (
        f"CREATE TRIGGER {table}_rollup_department AFTER UPDATE OF department_id ON {table} "
        "WHEN OLD.department_id IS NOT NEW.department_id BEGIN "
        f"DELETE FROM {MARKS} WHERE organization_id = NEW.organization_id; END;"
    )


SQLITE_UP = [
    *_sqlite_row_triggers(RECORD, "records", "submitted_at"),
    *_sqlite_row_triggers(TASK, "tasks", "due_at"),
    # A record counts for its task's team and vendor: their change touches its days.
    f"CREATE TRIGGER {TASK}_rollup_records AFTER UPDATE OF team_id, vendor_id ON {TASK} "
    "WHEN OLD.team_id IS NOT NEW.team_id OR OLD.vendor_id IS NOT NEW.vendor_id BEGIN "
    f"DELETE FROM {MARKS} WHERE organization_id = NEW.organization_id "
    f"AND rows_kind = 'records' AND EXISTS (SELECT 1 FROM {RECORD} r "
    f"WHERE r.task_id = NEW.id AND {MARKS}.{_sqlite_days('r.submitted_at')}); END;",
    _sqlite_department_trigger(PLACE),
    _sqlite_department_trigger(TEMPLATE),
]
SQLITE_DOWN = [
    *(
        f"DROP TRIGGER IF EXISTS {table}_rollup_{when};"
        for table in (RECORD, TASK)
        for when in ("insert", "update", "delete")
    ),
    f"DROP TRIGGER IF EXISTS {TASK}_rollup_records;",
    f"DROP TRIGGER IF EXISTS {PLACE}_rollup_department;",
    f"DROP TRIGGER IF EXISTS {TEMPLATE}_rollup_department;",
]


def _postgres_days(stamp: str) -> str:
    utc = f"({stamp} AT TIME ZONE 'UTC')::date"
    return f"day BETWEEN {utc} - 1 AND {utc} + 1"


def _postgres_forget(row: str, rows_kind: str, column: str) -> str:
    return (
        f"DELETE FROM {MARKS} WHERE organization_id = {row}.organization_id "
        f"AND rows_kind = '{rows_kind}' AND {_postgres_days(f'{row}.{column}')};"
    )


def _postgres_row_function(table: str, rows_kind: str, column: str, extra: str = "") -> list[str]:
    function = f"houqin_{table}_rollup"
    return [
        f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger AS $$ BEGIN "
        f"IF TG_OP <> 'INSERT' THEN {_postgres_forget('OLD', rows_kind, column)} END IF; "
        f"IF TG_OP <> 'DELETE' THEN {_postgres_forget('NEW', rows_kind, column)} {extra} END IF; "
        "RETURN NULL; END; $$ LANGUAGE plpgsql;",
        f"CREATE TRIGGER {table}_rollup AFTER INSERT OR UPDATE OR DELETE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION {function}();",
    ]


_TASK_RECORDS = (
    "IF TG_OP = 'UPDATE' AND (OLD.team_id IS DISTINCT FROM NEW.team_id "
    "OR OLD.vendor_id IS DISTINCT FROM NEW.vendor_id) THEN "
    f"DELETE FROM {MARKS} m WHERE m.organization_id = NEW.organization_id "
    f"AND m.rows_kind = 'records' AND EXISTS (SELECT 1 FROM {RECORD} r "
    f"WHERE r.task_id = NEW.id AND m.{_postgres_days('r.submitted_at')}); END IF;"
)
POSTGRES_UP = [
    *_postgres_row_function(RECORD, "records", "submitted_at"),
    *_postgres_row_function(TASK, "tasks", "due_at", _TASK_RECORDS),
    "CREATE OR REPLACE FUNCTION houqin_department_rollup() RETURNS trigger AS $$ BEGIN "
    "IF OLD.department_id IS DISTINCT FROM NEW.department_id THEN "
    f"DELETE FROM {MARKS} WHERE organization_id = NEW.organization_id; END IF; "
    "RETURN NULL; END; $$ LANGUAGE plpgsql;",
    *(
        f"CREATE TRIGGER {table}_rollup_department AFTER UPDATE OF department_id ON {table} "
        "FOR EACH ROW EXECUTE FUNCTION houqin_department_rollup();"
        for table in (PLACE, TEMPLATE)
    ),
]
POSTGRES_DOWN = [
    *(f"DROP TRIGGER IF EXISTS {table}_rollup ON {table};" for table in (RECORD, TASK)),
    *(
        f"DROP TRIGGER IF EXISTS {table}_rollup_department ON {table};"
        for table in (PLACE, TEMPLATE)
    ),
    *(f"DROP FUNCTION IF EXISTS houqin_{table}_rollup();" for table in (RECORD, TASK)),
    "DROP FUNCTION IF EXISTS houqin_department_rollup();",
]


class Migration(migrations.Migration):
    dependencies = [
        ("appraisal", "0002_day_rollups"),
        ("checklists", "0005_record_record_failed_idx"),
        ("places", "0001_places_and_equipment"),
    ]

    operations = [
        vendor_sql(
            {"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP},
            {"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN},
        )
    ]
