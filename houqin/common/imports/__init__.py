"""Excel import: a generic engine that knows no domain app.

An app describes one import kind with an ``ImportSpec`` (its columns, natural key, model and
optional ``resolve``/``apply`` steps) in its own ``imports.py`` and registers it with
``import_spec_register``; ``import_specs()`` finds those modules (Django's autodiscovery).

``import_run`` reads a messy workbook (merged cells, blank rows, numbers stored as text,
full-width characters, dates in several forms), checks every row and reports every bad cell
as "第 N 行：…" with the sheet's own row numbers. Nothing is written unless every row is
valid; rows match existing ones on the natural key, so importing the same file twice changes
nothing. Writes happen in one transaction and are change-logged.

The package: ``specs`` (column kinds, ``ImportSpec`` and the registry), ``parsing``
(cell values), ``workbook`` (reading the sheet, the template) and ``engine`` (the run).
Callers import from ``houqin.common.imports``.
"""

from houqin.common.imports.engine import (
    apply_rows,
    changelog_created,
    error_message,
    import_run,
    lookup_table,
)
from houqin.common.imports.parsing import (
    match_key,
    nfkc,
    parse_date,
    parse_mobile,
    parse_tel,
    plain_text,
)
from houqin.common.imports.specs import (
    CHOICE,
    CREATE,
    DATE,
    DECIMAL,
    IMPORT_SPECS,
    INT,
    LOOKUP,
    PHONE,
    TEL,
    TEXT,
    UNCHANGED,
    UPDATE,
    Column,
    ImportContext,
    ImportResult,
    ImportRow,
    ImportSpec,
    Lookup,
    RowError,
    import_spec_get,
    import_spec_register,
    import_specs,
)
from houqin.common.imports.workbook import (
    BLANK_RUN_LIMIT,
    HEADER_SCAN_ROWS,
    MAX_ROWS,
    TEMPLATE_ROWS,
    SheetData,
    WorkbookError,
    column_help,
    read_workbook,
    template_workbook,
)

__all__ = [
    "BLANK_RUN_LIMIT",
    "CHOICE",
    "CREATE",
    "DATE",
    "DECIMAL",
    "HEADER_SCAN_ROWS",
    "IMPORT_SPECS",
    "INT",
    "LOOKUP",
    "MAX_ROWS",
    "PHONE",
    "TEL",
    "TEMPLATE_ROWS",
    "TEXT",
    "UNCHANGED",
    "UPDATE",
    "Column",
    "ImportContext",
    "ImportResult",
    "ImportRow",
    "ImportSpec",
    "Lookup",
    "RowError",
    "SheetData",
    "WorkbookError",
    "apply_rows",
    "changelog_created",
    "column_help",
    "error_message",
    "import_run",
    "import_spec_get",
    "import_spec_register",
    "import_specs",
    "lookup_table",
    "match_key",
    "nfkc",
    "parse_date",
    "parse_mobile",
    "parse_tel",
    "plain_text",
    "read_workbook",
    "template_workbook",
]
