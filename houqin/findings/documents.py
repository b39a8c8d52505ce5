"""A supervision order (督办单) as a Word document laid out after GB/T 9704-2012 without the
red header: 发文字号, 标题, 主送, 正文, 附件说明, 落款 and 成文日期 on A4 with the 156 mm ×
225 mm type area, then the attached list of findings (附件：督办问题清单) on its own page.
Fonts are the ones offices have: 方正小标宋简体 for titles, 仿宋_GB2312 for text, 黑体 for
headings."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt

from houqin.findings.models import Finding, SupervisionOrder
from houqin.standards.documents import wordkit
from houqin.standards.documents.official import (
    HEADING_FONT,
    MARGINS_MM,
    TABLE_PT,
    TEXT_FONT,
    TEXT_PT,
    TITLE_FONT,
    TITLE_PT,
)
from houqin.standards.documents.official import paragraph as _paragraph
from houqin.standards.documents.official import run as _run

HEADERS = ("序号", "问题", "场所", "严重程度", "发现日期", "整改期限", "整改状态")
WIDTHS_MM = (12.0, 48.0, 28.0, 16.0, 18.0, 18.0, 16.0)


def _finding_row(index: int, finding: Finding) -> list[str]:
    rectification = finding.rectification
    return [
        str(index),
        finding.title,
        finding.place.name if finding.place_id else "—",
        finding.get_severity_display(),
        f"{timezone.localtime(finding.raised_at):%Y-%m-%d}",
        f"{timezone.localtime(rectification.deadline):%Y-%m-%d}",
        rectification.get_status_display(),
    ]


def _findings_table(document: Any, findings: list[Finding]) -> None:
    table = document.add_table(rows=1, cols=len(HEADERS), style="Table Grid")
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    wordkit.repeat_header(table.rows[0])
    for cell, text in zip(table.rows[0].cells, HEADERS, strict=True):
        paragraph = cell.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(paragraph, text, HEADING_FONT, TABLE_PT)
    for index, finding in enumerate(findings, start=1):
        row = table.add_row()
        wordkit.cant_split(row)
        for cell, text in zip(row.cells, _finding_row(index, finding), strict=True):
            _run(cell.paragraphs[0], text, TEXT_FONT, TABLE_PT)
    wordkit.column_widths(table, WIDTHS_MM)


def _page_numbers(section: Any) -> None:
    """— 1 — at the foot of each page (宋体 四号)."""
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(footer, "— ", wordkit.SONG, 14)
    wordkit.add_field(footer, "PAGE", "1")
    _run(footer, " —", wordkit.SONG, 14)


def order_docx(order: SupervisionOrder, findings: list[Finding]) -> bytes:
    """The order as .docx: the letter on its pages, the list of findings as its annex."""
    document = Document()
    section = document.sections[0]
    wordkit.a4(section, margins_mm=MARGINS_MM)
    section.footer_distance = Mm(20)
    _page_numbers(section)
    normal = document.styles["Normal"]
    wordkit.set_fonts(normal.element, TEXT_FONT)
    normal.font.size = Pt(TEXT_PT)
    issuer = order.organization.name
    document.core_properties.title = order.title
    document.core_properties.author = issuer

    body = document.paragraphs[0] if document.paragraphs else None
    if body is not None:
        body._p.getparent().remove(body._p)
    _paragraph(document, order.reference, align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(document)
    title = _paragraph(document, order.title, font=TITLE_FONT, size=TITLE_PT)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.line_spacing = Pt(36)
    _paragraph(document)
    _paragraph(document, f"{order.recipient}：", align=WD_ALIGN_PARAGRAPH.LEFT)
    for line in order.body.splitlines():
        if line.strip():
            _paragraph(document, line.strip(), indent=True)
    deadline = wordkit.cn_date(order.deadline)
    _paragraph(
        document,
        f"请于{deadline}前办理完毕，并将办理情况（附整改前后照片）报送{issuer}。",
        indent=True,
    )
    _paragraph(document)
    if findings:
        _paragraph(document, f"附件：督办问题清单（{len(findings)}项）", indent=True)
    _paragraph(document)
    _paragraph(document)
    _paragraph(document, issuer, align=WD_ALIGN_PARAGRAPH.RIGHT, right_chars=4)
    issued = wordkit.cn_date(timezone.localtime(order.issued_at).date())
    _paragraph(document, issued, align=WD_ALIGN_PARAGRAPH.RIGHT, right_chars=4)
    if findings:  # an order on a standard's review or a low score may list none
        annex = document.add_section(WD_SECTION.NEW_PAGE)
        wordkit.a4(annex, margins_mm=MARGINS_MM)
        _paragraph(document, "附件", font=HEADING_FONT, align=WD_ALIGN_PARAGRAPH.LEFT)
        _paragraph(document)
        heading = _paragraph(document, "督办问题清单", font=TITLE_FONT, size=18)
        heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _paragraph(document)
        _findings_table(document, findings)
    return wordkit.to_bytes(document)


PRINT_CSS = Path(__file__).resolve().parent / "static" / "findings" / "order_print.css"


def order_pdf(context: dict[str, Any]) -> bytes:
    """The order as PDF (WeasyPrint): the print page's markup and stylesheet inline, without
    its toolbar; ``lang="zh-CN"`` picks the SC glyphs. Only ``data:`` resources are read.
    WeasyPrint is imported here, not with the module: it adds tens of MB to every worker."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    css = mark_safe(PRINT_CSS.read_text(encoding="utf-8"))  # noqa: S308 (our own file)
    html = render_to_string("findings/order_print.html", {**context, "pdf": True, "css": css})
    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=("data",))).write_pdf()
