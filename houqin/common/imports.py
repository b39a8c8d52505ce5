"""Excel import: a generic engine that knows no domain app.

An app describes one import kind with an ``ImportSpec`` (its columns, natural key, model and
optional ``resolve``/``apply`` steps) in its own ``imports.py`` and registers it with
``import_spec_register``; ``import_specs()`` finds those modules (Django's autodiscovery).

``import_run`` reads a messy workbook (merged cells, blank rows, numbers stored as text,
full-width characters, dates in several forms), checks every row and reports every bad cell
as "第 N 行：…" with the sheet's own row numbers. Nothing is written unless every row is
valid; rows match existing ones on the natural key, so importing the same file twice changes
nothing. Writes happen in one transaction and are change-logged.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from io import BytesIO
from itertools import islice
from pathlib import Path
from typing import IO, Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, ProhibitNullCharactersValidator
from django.db import DatabaseError, connections, models, router, transaction
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, range_boundaries
from openpyxl.utils.datetime import from_excel
from openpyxl.worksheet.datavalidation import DataValidation

from houqin.common.changelog import snapshot
from houqin.common.context import client_ip
from houqin.common.models import ChangeLogEntry
from houqin.common.services import record_update

TEXT = "text"
INT = "int"
DECIMAL = "decimal"
DATE = "date"
PHONE = "phone"  # an 11-digit mobile number
TEL = "tel"  # a mobile or a landline number
CHOICE = "choice"
LOOKUP = "lookup"

CREATE, UPDATE, UNCHANGED = "create", "update", "unchanged"

MAX_ROWS = 20_000
HEADER_SCAN_ROWS = 30
BLANK_RUN_LIMIT = 1_000  # this many blank rows in a row end the sheet
TEMPLATE_ROWS = 1_000  # rows that carry the drop-downs and text formats in the template


class WorkbookError(Exception):
    """The file as a whole cannot be imported; the message is Chinese and says what to do."""

    def __init__(self, message: str, row: int = 0, column: str = "") -> None:
        super().__init__(message)
        self.message, self.row, self.column = message, row, column


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


_WIDE = {0x3000: 0x20}
_WIDE.update({0xFF10 + i: 0x30 + i for i in range(10)})
_WIDE.update({0xFF21 + i: 0x41 + i for i in range(26)})
_WIDE.update({0xFF41 + i: 0x61 + i for i in range(26)})


def nfkc(text: str) -> str:
    """Full-width letters, digits, punctuation and spaces to ASCII; spaces trimmed and runs
    of them collapsed to one."""
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    return " ".join(text.split())


def plain_text(text: str) -> str:
    """Free text: full-width letters, digits and spaces to ASCII (Chinese punctuation such as
    （）and ，is kept), spaces trimmed and collapsed."""
    if not text.isascii():
        text = text.translate(_WIDE)
    return " ".join(text.split())


def match_key(text: str) -> str:
    """How two texts are compared when one names the other (a choice, a department …)."""
    return "".join(nfkc(text).split()).casefold()


def _cell_text(value: Any) -> str:
    """A cell as text: integers without ".0", dates as 2026-03-05."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        if (value.hour, value.minute, value.second) == (0, 0, 0):
            return value.date().isoformat()
        return value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


class _Bad(Exception):
    pass


_DATE = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?"
)
_COMPACT_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})")
_MOBILE = re.compile(r"1[3-9]\d{9}")
_LANDLINE = re.compile(r"(?:\(?0\d{2,3}\)?-?)?[2-9]\d{6,7}(?:-\d{1,6})?|[48]00-?\d{3}-?\d{4}")
_EXCEL_MAX_SERIAL = 2_958_465  # 9999-12-31


def parse_date(value: Any) -> date | None:
    """A date from a date cell, an Excel serial number, or text such as 2026-3-5,
    2026/03/05, 2026年3月5日 or 20260305; None when it is not a date."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value <= _EXCEL_MAX_SERIAL:
            serial = from_excel(value)
            return serial.date() if isinstance(serial, datetime) else None
        return None
    text = nfkc(str(value))
    match = _DATE.fullmatch(text) or _COMPACT_DATE.fullmatch(text)
    if match:
        try:
            return date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            return None
    if text.isdigit() and len(text) <= 7:
        return parse_date(int(text))
    try:
        number = float(text)
    except ValueError:
        return None
    return parse_date(number) if number.is_integer() else None


def _parse_int(value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = nfkc(_cell_text(value)).replace(",", "")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise _Bad from None
    if not number.is_finite() or number != number.to_integral_value():
        raise _Bad
    return int(number)


def _parse_decimal(value: Any) -> Decimal:
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = Decimal(str(value))
    else:
        text = nfkc(_cell_text(value)).replace(",", "").replace(" ", "")
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise _Bad from None
    if not number.is_finite():
        raise _Bad
    return number


def _digits(value: Any) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _cell_text(value)
    return "".join(nfkc(_cell_text(value)).split())


def parse_mobile(value: Any) -> str:
    text = _digits(value).replace("-", "")
    if text.startswith("+86"):
        text = text[3:]
    elif len(text) == 13 and text.startswith("86"):
        text = text[2:]
    if not _MOBILE.fullmatch(text):
        raise _Bad
    return text


def parse_tel(value: Any) -> str:
    text = _digits(value).replace("—", "-").replace("－", "-")
    try:
        return parse_mobile(text)
    except _Bad:
        pass
    text = text.replace("（", "(").replace("）", ")")
    if not _LANDLINE.fullmatch(text):
        raise _Bad
    return text


@dataclass
class _Reader:
    """A column bound to the sheet: where it is, how to parse a cell, how to check it."""

    column: Column
    index: int
    parse: Callable[[Any], Any]
    max_length: int | None
    validators: list[Any]


def _choice_map(column: Column) -> dict[str, str]:
    words: dict[str, str] = {}
    for value, label in column.choices:
        words[match_key(label)] = value
        words[match_key(value)] = value
    for word, value in column.choice_aliases:
        words[match_key(word)] = value
    return words


def _reader(spec: ImportSpec, column: Column, index: int) -> _Reader:
    kind = column.kind
    squeeze = column.compact
    parse: Callable[[Any], Any]
    if kind in (TEXT, LOOKUP):

        def parse(value: Any) -> Any:
            text = _cell_text(value)
            if squeeze:
                return "".join(nfkc(text).split())
            return plain_text(text)

    elif kind == INT:
        parse = _parse_int
    elif kind == DECIMAL:
        parse = _parse_decimal
    elif kind == DATE:

        def parse(value: Any) -> Any:
            parsed = parse_date(value)
            if parsed is None:
                raise _Bad
            return parsed

    elif kind == PHONE:
        parse = parse_mobile
    elif kind == TEL:
        parse = parse_tel
    elif kind == CHOICE:
        words = _choice_map(column)

        def parse(value: Any) -> Any:
            try:
                return words[match_key(_cell_text(value))]
            except KeyError:
                raise _Bad from None

    else:
        raise ValueError(f"unknown column kind {kind!r}")
    max_length = None
    validators: list[Any] = []
    if column.write and kind != LOOKUP:
        model_field = spec.model._meta.get_field(column.field)
        if not model_field.is_relation:
            max_length = getattr(model_field, "max_length", None)
            validators = [
                v
                for v in getattr(model_field, "validators", ())
                if not isinstance(v, MaxLengthValidator | ProhibitNullCharactersValidator)
            ]
    return _Reader(column, index, parse, max_length, validators)


def _bad_message(column: Column, text: str) -> str:
    header, kind = column.header, column.kind
    if kind == INT:
        return f"“{header}”应填写整数，“{text}”不是整数。"
    if kind == DECIMAL:
        return f"“{header}”应填写数字，“{text}”不是数字。"
    if kind == DATE:
        return f"“{header}”“{text}”不是有效的日期，请写成 2026-03-05 这样的格式。"
    if kind == PHONE:
        return f"“{header}”“{text}”不是有效的手机号，请填写 11 位手机号码。"
    if kind == TEL:
        return (
            f"“{header}”“{text}”不是有效的电话号码，请填写 11 位手机号或带区号的固定电话"
            "（如 0571-87654321）。"
        )
    if kind == CHOICE:
        options = "、".join(column.choice_labels())
        return f"“{header}”“{text}”不是可选的值，请从下拉列表中选择：{options}。"
    return f"“{header}”“{text}”无法识别。"


@dataclass
class SheetData:
    """The rows of the sheet that holds the import: where the header is, which template
    header sits in which column, and the non-blank rows below it with their sheet numbers
    (merged cells already filled with their top-left value)."""

    title: str
    header_row: int
    columns: dict[str, int]
    rows: list[tuple[int, Sequence[Any]]]


def _header_key(value: Any) -> str:
    if value is None:
        return ""
    text = "".join(nfkc(_cell_text(value)).split()).strip("*")
    for suffix in ("(必填)", "(选填)", "(可选)"):
        text = text.removesuffix(suffix)
    return text.strip("*").casefold()


def _match_headers(row: Sequence[Any], wanted: Mapping[str, str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, value in enumerate(row):
        header = wanted.get(_header_key(value))
        if header is not None and header not in found:
            found[header] = index
    return found


_MERGE = re.compile(rb"<(?:\w+:)?mergeCell\s+ref=\"([A-Z]+[0-9]+:[A-Z]+[0-9]+)\"")


def _merged_ranges(sheet: Any) -> list[tuple[int, int, int, int]]:
    """(min_col, min_row, max_col, max_row) of each merged range; read-only worksheets do not
    parse them, so they are read from the sheet's XML."""
    get_source = getattr(sheet, "_get_source", None)
    if get_source is not None:
        with get_source() as source:
            xml = source.read()
        refs = [ref.decode() for ref in _MERGE.findall(xml)] if b"mergeCell" in xml else []
    else:
        refs = [str(ref) for ref in getattr(sheet, "merged_cells", None) or []]
    ranges = []
    for ref in refs:
        min_col, min_row, max_col, max_row = range_boundaries(ref)
        if min_col and min_row and max_col and max_row:
            ranges.append((min_col, min_row, max_col, max_row))
    return ranges


def _blank(row: Sequence[Any]) -> bool:
    for value in row:
        if value is None:
            continue
        if isinstance(value, str):
            if value and not value.isspace():
                return False
            continue
        return False
    return True


def read_workbook(
    file: str | Path | IO[bytes], *, headers: Iterable[str] | Mapping[str, str]
) -> SheetData:
    """Find the sheet and row whose cells match the template headers (``headers``: the
    headers, or other words → header) and return the rows below it. Blank rows are skipped
    but rows keep their sheet numbers; merged cells take their top-left value; columns that
    are not template headers are ignored. Raises WorkbookError for an unreadable file."""
    wanted: dict[str, str] = {}
    pairs = headers.items() if isinstance(headers, Mapping) else ((h, h) for h in headers)
    for word, header in pairs:
        wanted[_header_key(word)] = header
    try:
        book = load_workbook(file, read_only=True, data_only=True)
    except Exception as error:
        raise WorkbookError(
            "文件无法读取：请上传用 Excel 或 WPS 保存的 .xlsx 文件"
            "（.xls 和 .csv 请先另存为 .xlsx）。"
        ) from error
    try:
        best: tuple[int, int, Any, dict[str, int]] | None = None
        for sheet in book.worksheets:
            if not hasattr(sheet, "iter_rows"):
                continue
            if hasattr(sheet, "reset_dimensions"):
                sheet.reset_dimensions()  # some writers store a wrong size: read every row
            head = islice(sheet.iter_rows(values_only=True), HEADER_SCAN_ROWS)
            for number, row in enumerate(head, start=1):
                found = _match_headers(row, wanted)
                if found and (best is None or len(found) > len(best[3])):
                    best = (len(found), number, sheet, found)
        if best is None:
            raise WorkbookError(
                "没有找到表头。请使用下载的模板，第一行是列名（"
                + "、".join(list(dict.fromkeys(wanted.values()))[:4])
                + "……）。"
            )
        _, header_row, sheet, found = best
        rows: list[tuple[int, Sequence[Any]]] = []
        blank_run = 0
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            if number <= header_row:
                continue
            if _blank(row):
                blank_run += 1
                if blank_run > BLANK_RUN_LIMIT:
                    break
                continue
            blank_run = 0
            rows.append((number, row))
            if len(rows) > MAX_ROWS:
                raise WorkbookError(f"表格超过 {MAX_ROWS} 行，请拆分成几个文件分批导入。")
        merges = _merged_ranges(sheet)
        title = sheet.title
    finally:
        book.close()
    if merges:
        rows = _fill_merged(rows, merges)
    return SheetData(title=title, header_row=header_row, columns=found, rows=rows)


def _fill_merged(
    rows: list[tuple[int, Sequence[Any]]], merges: list[tuple[int, int, int, int]]
) -> list[tuple[int, Sequence[Any]]]:
    by_number = {number: index for index, (number, _) in enumerate(rows)}
    filled = list(rows)
    for min_col, min_row, max_col, max_row in merges:
        top = by_number.get(min_row)
        if top is None:
            continue
        top_row = filled[top][1]
        value = top_row[min_col - 1] if min_col - 1 < len(top_row) else None
        if value is None:
            continue
        for number in range(min_row, max_row + 1):
            index = by_number.get(number)
            if index is None:
                continue
            cells = list(filled[index][1])
            if len(cells) < max_col:
                cells.extend([None] * (max_col - len(cells)))
            for col in range(min_col, max_col + 1):
                cells[col - 1] = value
            filled[index] = (number, cells)
    return filled


def _header_words(spec: ImportSpec) -> dict[str, str]:
    words = {c.header: c.header for c in spec.columns}
    for column in spec.columns:
        for alias in column.header_aliases:
            words.setdefault(alias, column.header)
    return words


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


def column_help(column: Column) -> str:
    parts = ["必填" if column.required else "选填"]
    if column.help:
        parts.append(column.help)
    if column.kind == CHOICE:
        parts.append("从下拉列表中选择：" + "、".join(column.choice_labels()))
    elif column.kind == DATE:
        parts.append("日期，如 2026-03-05")
    elif column.kind == PHONE:
        parts.append("11 位手机号")
    elif column.kind == TEL:
        parts.append("手机号或带区号的固定电话")
    return "；".join(parts) + "。"


_HEADER_FONT = Font(bold=True)
_REQUIRED_FONT = Font(bold=True, color="A82323")
_EXAMPLE_FONT = Font(italic=True, color="6B7280")
_HEADER_FILL = PatternFill("solid", fgColor="E8F0FB")


def template_workbook(spec: ImportSpec) -> bytes:
    """The template of an import kind: Chinese headers (required ones in red) with a note on
    each, an example row (skipped on import when left as it is), drop-downs for choice
    columns, text format for codes and phone numbers, a frozen header and a sheet
    “填写说明”."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = spec.title[:31]
    sheet.append([c.header for c in spec.columns])
    sheet.append([c.example for c in spec.columns])
    last = TEMPLATE_ROWS + 1
    for index, column in enumerate(spec.columns, start=1):
        letter = get_column_letter(index)
        head = sheet.cell(row=1, column=index)
        head.font = _REQUIRED_FONT if column.required else _HEADER_FONT
        head.fill = _HEADER_FILL
        head.alignment = Alignment(horizontal="center")
        head.comment = Comment(column_help(column), "后勤")
        example = sheet.cell(row=2, column=index)
        example.font = _EXAMPLE_FONT
        width = max(len(column.header) * 2 + 4, len(str(column.example)) * 2 + 2, 12)
        sheet.column_dimensions[letter].width = min(width, 40)
        if column.kind in (TEXT, LOOKUP, PHONE, TEL):
            sheet.column_dimensions[letter].number_format = "@"  # codes keep leading zeros
            example.number_format = "@"
        elif column.kind == DATE:
            example.number_format = "yyyy-mm-dd"
        if column.kind == CHOICE:
            validation = DataValidation(
                type="list",
                formula1='"' + ",".join(column.choice_labels()) + '"',
                allow_blank=not column.required,
                showErrorMessage=True,
                errorTitle="不是可选的值",
                error="请从下拉列表中选择。",
                promptTitle=column.header,
                prompt=column_help(column)[:250],
                showInputMessage=True,
            )
            validation.add(f"{letter}2:{letter}{last}")
            sheet.add_data_validation(validation)
    sheet.freeze_panes = "A2"
    notes = book.create_sheet("填写说明")
    notes.append([f"{spec.title}导入说明"])
    notes["A1"].font = Font(bold=True, size=14)
    for line in (
        f"1. 在“{sheet.title}”表中从第 2 行起每行填写一条；第 2 行是示例，原样保留时导入会跳过它，"
        "可以直接改写或删除。",
        f"2. 按“{spec.key_column.header}”匹配：系统中已有的更新，没有的新建；"
        "同一个文件重复导入不会产生变化。",
        "3. 任何一行有误时整个表格都不会导入，系统会列出每个有问题的行和原因，改正后重新上传即可。",
        "4. 红色列名为必填列；不要改动列名，可以调整列的顺序，多余的列会被忽略。",
    ):
        notes.append([line])
    notes.append([])
    notes.append(["列名", "是否必填", "填写说明"])
    for cell in notes[notes.max_row]:
        cell.font = _HEADER_FONT
    for column in spec.columns:
        notes.append([column.header, "必填" if column.required else "选填", column_help(column)])
    notes.column_dimensions["A"].width = 16
    notes.column_dimensions["B"].width = 10
    notes.column_dimensions["C"].width = 80
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
