"""The workbook side of an import: finding the header row in a messy sheet, filling merged
cells, and the downloadable template with its notes and drop-downs."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from io import BytesIO
from itertools import islice
from pathlib import Path
from typing import IO, Any

from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, range_boundaries
from openpyxl.worksheet.datavalidation import DataValidation

from houqin.common.imports.parsing import _cell_text, nfkc
from houqin.common.imports.specs import (
    CHOICE,
    DATE,
    LOOKUP,
    PHONE,
    TEL,
    TEXT,
    Column,
    ImportSpec,
)

MAX_ROWS = 20_000
HEADER_SCAN_ROWS = 30
BLANK_RUN_LIMIT = 1_000  # this many blank rows in a row end the sheet
TEMPLATE_ROWS = 1_000  # rows that carry the drop-downs and text formats in the template


class WorkbookError(Exception):
    """The file as a whole cannot be imported; the message is Chinese and says what to do."""

    def __init__(self, message: str, row: int = 0, column: str = "") -> None:
        super().__init__(message)
        self.message, self.row, self.column = message, row, column


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
