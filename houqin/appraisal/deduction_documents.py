"""A deduction statement for payment: an Excel sheet of its lines and totals (through the
common export, so it looks like every other export), and, once signed off, a PDF laid out
like the office's other printed documents (the supervision order's A4 print stylesheet),
with who signed it off and when."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from houqin.appraisal.models import DeductionLine, DeductionStatement
from houqin.common.exports import PDF_TYPE, xlsx_response
from houqin.findings.documents import PRINT_CSS

HEADERS = ("序号", "扣款项目", "扣款规则", "数量", "单价（元）", "金额（元）", "申诉", "答复")


def evidence_text(line: DeductionLine) -> str:
    """The rows behind a line as numbers (问题 #12、#15), for the sheet and the PDF."""
    names = {"findings": "问题", "tasks": "任务", "records": "检查记录"}
    parts = [
        f"{names[kind]} " + "、".join(f"#{pk}" for pk in ids)
        for kind, ids in (line.evidence or {}).items()
        if kind in names and ids
    ]
    return "；".join(parts)


def _name(statement: DeductionStatement, suffix: str) -> str:
    return f"{statement.vendor.name}{statement.month:%Y年%m月}扣款单.{suffix}"


def statement_xlsx(
    statement: DeductionStatement, lines: list[DeductionLine], exported_by: str
) -> HttpResponse:
    """扣款单导出 Excel（付款依据）：各扣款项、扣款合计、月扣款上限和实际扣款。"""
    rows: list[list[Any]] = [
        [
            line.seq,
            line.label,
            str(line.rule) if line.rule else "",
            line.count,
            line.unit_amount,
            line.amount,
            line.get_appeal_display() if line.appeal else "",
            line.answer,
        ]
        for line in lines
    ]
    rows += [
        ["", "扣款合计", "", "", "", statement.total_before_cap, "", ""],
        [
            "",
            f"月扣款上限（月服务费 {statement.monthly_fee} 元的 {statement.cap_percent}%）",
            "",
            "",
            "",
            statement.cap_amount,
            "",
            "",
        ],
        ["", "实际扣款", "", "", "", statement.total, "", ""],
    ]
    signed = ""
    if statement.signed_by and statement.signed_at:
        when = timezone.localtime(statement.signed_at)
        signed = f"，{statement.signed_by.name}于{when:%Y-%m-%d %H:%M}签发"
    line = f"（计入{statement.get_service_line_display()}条线）" if statement.service_line else ""
    note = (
        f"{statement.contract}{line}，{statement.month:%Y年%m月}，"
        f"状态：{statement.get_status_display()}{signed}"
    )
    return xlsx_response(
        title=f"{statement.vendor.name}{statement.month:%Y年%m月}扣款单",
        headers=HEADERS,
        rows=rows,
        filter_note=note,
        filename=_name(statement, "xlsx"),
        exported_by=exported_by,
    )


def statement_pdf(context: dict[str, Any]) -> HttpResponse:
    """签发后的扣款单 PDF（WeasyPrint，只读 data: 资源；按需导入）。"""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    css = mark_safe(PRINT_CSS.read_text(encoding="utf-8"))  # noqa: S308 (our own file)
    markup = render_to_string(
        "appraisal/deduction_print.html", {**context, "pdf": True, "css": css}
    )
    content = HTML(string=markup, url_fetcher=URLFetcher(allowed_protocols=("data",))).write_pdf()
    response = HttpResponse(content, content_type=PDF_TYPE)
    name = _name(context["statement"], "pdf")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response
