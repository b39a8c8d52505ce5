"""Import kinds and what a run works on: column kinds, ``Column``, ``Lookup``,
``ImportSpec``, the per-run ``ImportContext`` and ``ImportResult``, and the registry of
kinds that each app fills from its own ``imports.py``."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils.module_loading import autodiscover_modules

TEXT = "text"
INT = "int"
DECIMAL = "decimal"
DATE = "date"
PHONE = "phone"  # an 11-digit mobile number
TEL = "tel"  # a mobile or a landline number
CHOICE = "choice"
LOOKUP = "lookup"

CREATE, UPDATE, UNCHANGED = "create", "update", "unchanged"


@dataclass(frozen=True)
class Lookup:
    """Where a lookup column finds its rows: ``rows(organization)`` is one query, and each row
    is reachable by every text ``keys(row)`` gives (e.g. its code and its name)."""

    target: str  # where people add such rows, for the message (e.g. "科室")
    rows: Callable[[Any], Iterable[Any]]
    keys: Callable[[Any], Iterable[str]]


@dataclass(frozen=True)
class Column:
    """One column of an import: its Chinese header, the model field it fills and how a cell is
    read. A blank cell means the field's default (an existing row keeps its value when the
    field has a default, e.g. a status). Columns with ``write=False`` are read and checked but
    left to the spec's ``resolve``/``apply`` steps."""

    header: str
    field: str
    required: bool = False
    kind: str = TEXT
    choices: tuple[tuple[str, str], ...] = ()  # (value, label)
    choice_aliases: tuple[tuple[str, str], ...] = ()  # (another word, value)
    lookup: Lookup | None = None
    help: str = ""
    example: Any = ""
    compact: bool = False  # remove every space (codes, person names)
    write: bool = True
    header_aliases: tuple[str, ...] = ()

    def choice_labels(self) -> list[str]:
        return [label for _, label in self.choices]


@dataclass(frozen=True)
class RowError:
    """One problem: the sheet row (0 for the file as a whole), the column header, a sentence."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"第 {self.row} 行：{self.message}" if self.row else self.message


@dataclass
class ImportRow:
    """One data row: parsed values by field (lookups already turned into rows), the cell
    texts for messages, the fields that failed, and what the run will do with it."""

    number: int
    values: dict[str, Any] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)
    failed: set[str] = field(default_factory=set)
    existing: Any = None
    data: dict[str, Any] = field(default_factory=dict)
    action: str = ""

    def ok(self, name: str) -> bool:
        """The field parsed (it may still be blank)."""
        return name not in self.failed

    def has(self, name: str) -> bool:
        """The field parsed and is not blank."""
        return name not in self.failed and self.values.get(name) not in (None, "")


@dataclass
class ImportContext:
    """What the ``resolve`` and ``apply`` steps of a spec work on."""

    spec: ImportSpec
    organization: Any
    actor: Any
    columns: list[Column]  # the spec's columns present in the sheet
    rows: list[ImportRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    existing: dict[str, Any] = field(default_factory=dict)  # natural key → row in the database

    def error(self, row: ImportRow | int, column: Column | str, message: str) -> None:
        """Record a problem; when the row and column are given, mark the field as failed."""
        header = column.header if isinstance(column, Column) else column
        if isinstance(row, ImportRow):
            row.failed.add(column.field if isinstance(column, Column) else self._field_of(header))
            self.errors.append(RowError(row.number, header, message))
        else:
            self.errors.append(RowError(row, header, message))

    def _field_of(self, header: str) -> str:
        column = self.spec.column(header)
        return column.field if column is not None else header

    def present(self, name: str) -> bool:
        """The column that fills this field is in the sheet."""
        return any(c.field == name for c in self.columns)

    def rows_to(self, action: str) -> list[ImportRow]:
        return [row for row in self.rows if row.action == action]


@dataclass(frozen=True)
class ImportSpec:
    """One import kind: columns, the natural key field and the model; ``resolve`` adds the
    kind's cross-field checks (after lookups, with existing rows known), ``after_plan`` may
    turn an unchanged row into an update for what columns with ``write=False`` change, and
    ``apply`` writes (default: ``apply_rows``) inside the run's transaction.

    The engine checks types, choices, lengths, field validators, lookups and the natural key;
    rules across fields (the model's CheckConstraints among them) belong in ``resolve``, so
    that the dry run reports them: new rows are created in bulk without ``full_clean``."""

    kind: str
    title: str
    model: type[models.Model]
    columns: tuple[Column, ...]
    key: str
    description: str = ""
    resolve: Callable[[ImportContext], None] | None = None
    after_plan: Callable[[ImportContext], None] | None = None
    apply: Callable[[ImportContext], None] | None = None

    @property
    def permission(self) -> str:
        """Importing needs the model's add permission (e.g. ``org.add_staff``)."""
        meta = self.model._meta
        return f"{meta.app_label}.add_{meta.model_name}"

    @property
    def key_column(self) -> Column:
        return next(c for c in self.columns if c.field == self.key)

    def column(self, header: str) -> Column | None:
        return next((c for c in self.columns if c.header == header), None)


@dataclass
class ImportResult:
    """The outcome of a run: every problem, and how many rows were (or, in a dry run, would
    be) created, updated or left unchanged."""

    kind: str
    title: str
    dry_run: bool
    errors: list[RowError] = field(default_factory=list)
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    applied: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def bad_rows(self) -> int:
        return len({error.row for error in self.errors if error.row})

    def summary(self) -> str:
        return f"新建 {self.created} 行，更新 {self.updated} 行，未变 {self.unchanged} 行"


IMPORT_SPECS: dict[str, ImportSpec] = {}
_discovered: list[bool] = []


def import_spec_register(spec: ImportSpec) -> ImportSpec:
    """Called by an app's ``imports.py`` at import time."""
    IMPORT_SPECS[spec.kind] = spec
    return spec


def import_specs() -> dict[str, ImportSpec]:
    """Every registered kind, after importing each installed app's ``imports`` module."""
    if not _discovered:
        autodiscover_modules("imports")
        _discovered.append(True)
    return IMPORT_SPECS


def import_spec_get(kind: str) -> ImportSpec | None:
    return import_specs().get(kind)
