"""Excel exports: a title row, the filter that produced them, Chinese headers, a frozen
header, fitted widths, dates as dates, and text that can never run as a formula."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from io import BytesIO
from typing import Any
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF_TYPE = "application/pdf"
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """Dates as naive local dates; strings that look like formulas prefixed with a quote."""
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def xlsx_response(
    *,
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    filter_note: str,
    filename: str,
    exported_by: str,
) -> HttpResponse:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = title[:31]
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=14)
    stamp = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    sheet.append([f"筛选条件：{filter_note}　导出人：{exported_by}　导出时间：{stamp}"])
    sheet.append(list(headers))
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    widths = [max(len(str(h)) * 2, 8) for h in headers]
    count = 0
    for row in rows:
        values = [safe_cell(v) for v in row]
        sheet.append(values)
        count += 1
        for index, value in enumerate(values):
            text = (
                value.strftime("%Y-%m-%d %H:%M")
                if isinstance(value, datetime | date)
                else str(value or "")
            )
            widths[index] = min(max(widths[index], _display_width(text)), 60)
        for index, value in enumerate(values, start=1):
            if isinstance(value, datetime):
                sheet.cell(row=sheet.max_row, column=index).number_format = "yyyy-mm-dd hh:mm:ss"
            elif isinstance(value, date):
                sheet.cell(row=sheet.max_row, column=index).number_format = "yyyy-mm-dd"
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width + 2
    sheet.freeze_panes = "A4"
    sheet.auto_filter.ref = f"A3:{get_column_letter(len(headers))}{max(sheet.max_row, 3)}"
    buffer = BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    response["X-Export-Rows"] = str(count)
    return response


def _display_width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)
