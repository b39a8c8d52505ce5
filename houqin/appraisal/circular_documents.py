"""Documents of the circulars and the self-evaluation.

- A circular (通报) as Word laid out after GB/T 9704-2012 without the red header (发文字号,
  标题, 主送, 正文 with 黑体 section headings, 落款, 成文日期; A4, 156 mm × 225 mm type area)
  and as PDF from its print page (WeasyPrint, the supervision order's print stylesheet).
- The yearly self-evaluation as Word: the four parts with their texts, the figures as
  tables, and the monthly findings trend as a bar chart drawn with Pillow (no browser); when
  no CJK font is installed the chart is left out and the table under it carries the numbers.
"""

from __future__ import annotations

from io import BytesIO
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt
from PIL import Image, ImageDraw

from houqin.appraisal.circular_services import circular_sections
from houqin.appraisal.models import Circular, SelfEvaluation
from houqin.standards.documents import wordkit
from houqin.standards.documents.diagram import DiagramFontMissing, cjk_font_face
from houqin.standards.documents.official import (
    HEADING_FONT,
    MARGINS_MM,
    TABLE_PT,
    TEXT_FONT,
    TEXT_PT,
    TITLE_FONT,
    TITLE_PT,
)
from houqin.standards.documents.official import paragraph as _para
from houqin.standards.documents.official import run as _run

SUB_FONT = "楷体_GB2312"


def _document(title: str, author: str) -> Any:
    document = Document()
    section = document.sections[0]
    wordkit.a4(section, margins_mm=MARGINS_MM)
    section.footer_distance = Mm(20)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(footer, "— ", wordkit.SONG, 14)
    wordkit.add_field(footer, "PAGE", "1")
    _run(footer, " —", wordkit.SONG, 14)
    normal = document.styles["Normal"]
    wordkit.set_fonts(normal.element, TEXT_FONT)
    normal.font.size = Pt(TEXT_PT)
    document.core_properties.title = title
    document.core_properties.author = author
    for paragraph in list(document.paragraphs):
        paragraph._p.getparent().remove(paragraph._p)
    return document


def _title(document: Any, text: str) -> None:
    title = _para(
        document, text, font=TITLE_FONT, size=TITLE_PT, align=WD_ALIGN_PARAGRAPH.CENTER, line_pt=36
    )
    title.paragraph_format.keep_with_next = True


def circular_docx(circular: Circular) -> bytes:
    """The circular as .docx: number, title, 主送, the numbered sections, 落款 and date."""
    document = _document(circular.title, circular.signer)
    _para(document, circular.reference or "（发布时编号）", align=WD_ALIGN_PARAGRAPH.CENTER)
    _para(document)
    _title(document, circular.title)
    _para(document)
    _para(document, f"{circular.recipients}：", align=WD_ALIGN_PARAGRAPH.LEFT)
    for heading, lines in circular_sections(circular):
        if heading:
            _para(document, heading, font=HEADING_FONT, indent=True)
        for line in lines:
            _para(document, line, indent=True)
    _para(document)
    _para(document)
    _para(document, circular.signer, align=WD_ALIGN_PARAGRAPH.RIGHT, right_chars=4)
    _para(document, wordkit.cn_date(circular.dated), align=WD_ALIGN_PARAGRAPH.RIGHT, right_chars=4)
    return wordkit.to_bytes(document)


PRINT_CSS = (
    Path(__file__).resolve().parents[1] / "findings" / "static" / "findings" / "order_print.css"
)


def circular_print_context(circular: Circular) -> dict[str, Any]:
    return {"circular": circular, "sections": circular_sections(circular)}


def circular_pdf(context: dict[str, Any]) -> bytes:
    """The circular as PDF (WeasyPrint) from its print page without the toolbar; only
    ``data:`` resources are read. WeasyPrint is imported here, only when a PDF is asked for."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    css = mark_safe(PRINT_CSS.read_text(encoding="utf-8"))  # noqa: S308 (our own file)
    html = render_to_string("appraisal/circular_print.html", {**context, "pdf": True, "css": css})
    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=("data",))).write_pdf()


CHART_SIZE = (1600, 800)
CHART_COLOURS = ((32, 107, 196), (214, 57, 57))


def trend_png(trend: list[dict[str, int]]) -> bytes | None:
    """The monthly findings as stacked bars (首次发现 blue, 重复发生 red) in a PNG, or None
    when no CJK font is installed to write the labels."""
    try:
        path, index = cjk_font_face()
    except DiagramFontMissing:
        return None
    from PIL import ImageFont

    font = ImageFont.truetype(path, 28, index=index)
    width, height = CHART_SIZE
    left, right, top, bottom = 110, 40, 90, 90
    image = Image.new("RGB", CHART_SIZE, "white")
    draw = ImageDraw.Draw(image)
    peak = max([m["new"] + m["repeat"] for m in trend] + [1])
    step = max(1, -(-peak // 5))
    ceiling = step * 5
    plot_h = height - top - bottom
    for tick in range(0, ceiling + 1, step):
        y = top + plot_h - plot_h * tick / ceiling
        draw.line([(left, y), (width - right, y)], fill=(225, 229, 235), width=2)
        draw.text((left - 16, y), str(tick), fill=(60, 60, 60), font=font, anchor="rm")
    slot = (width - left - right) / max(1, len(trend))
    for i, month in enumerate(trend):
        x0 = left + i * slot + slot * 0.2
        x1 = left + (i + 1) * slot - slot * 0.2
        base: float = top + plot_h
        for value, colour in zip((month["new"], month["repeat"]), CHART_COLOURS, strict=True):
            if value:
                y = base - plot_h * value / ceiling
                draw.rectangle([(x0, y), (x1, base)], fill=colour)
                base = y
        label = f"{month['month']}月"
        draw.text(
            ((x0 + x1) / 2, top + plot_h + 16), label, fill=(30, 30, 30), font=font, anchor="mt"
        )
    for i, (name, colour) in enumerate(zip(("首次发现", "重复发生"), CHART_COLOURS, strict=True)):
        x = left + i * 260
        draw.rectangle([(x, 30), (x + 36, 62)], fill=colour)
        draw.text((x + 48, 46), name, fill=(30, 30, 30), font=font, anchor="lm")
    buffer = BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _table(document: Any, headers: tuple[str, ...], rows: list[list[str]]) -> None:
    table = document.add_table(rows=1, cols=len(headers), style="Table Grid")
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    wordkit.repeat_header(table.rows[0])
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(cell.paragraphs[0], text, HEADING_FONT, TABLE_PT)
    for values in rows:
        row = table.add_row()
        wordkit.cant_split(row)
        for cell, text in zip(row.cells, values, strict=True):
            _run(cell.paragraphs[0], text, TEXT_FONT, TABLE_PT)
    _para(document)


def _pct(value: Any) -> str:
    return "—" if value is None else f"{value}%"


def figure_tables(figures: dict[str, Any]) -> dict[str, tuple[tuple[str, ...], list[list[str]]]]:
    """The tables of each part of the self-evaluation (the page shows the same ones)."""
    coverage = figures.get("coverage", {"lines": []})
    tasks, records = figures.get("tasks", {}), figures.get("records", {})
    findings, rect = figures.get("findings", {}), figures.get("rectification", {})
    third, imp = figures.get("third_party", {}), figures.get("improvements", {})
    return {
        "completeness": (
            ("服务条线", "现行标准", "已覆盖的体系节点", "标准空白"),
            [
                [x["label"], str(x["in_force"]), str(x["covered"]), "、".join(x["gaps"]) or "无"]
                for x in coverage["lines"]
            ],
        ),
        "implementation": (
            ("指标", "数值"),
            [
                ["应检任务", str(tasks.get("due", 0))],
                ["任务完成率", _pct(tasks.get("done_rate"))],
                ["漏检", str(tasks.get("missed", 0))],
                ["检查记录", str(records.get("submitted", 0))],
                ["检查合格率", _pct(records.get("pass_rate"))],
                ["发现问题", str(findings.get("total", 0))],
                ["整改及时率", _pct(rect.get("on_time_rate"))],
            ],
        ),
        "effects": (
            ("月份", "首次发现", "重复发生"),
            [[f"{m['month']}月", str(m["new"]), str(m["repeat"])] for m in figures.get("trend", [])]
            + [
                ["第三方评价（次）", str(third.get("count", 0)), ""],
                ["第三方评价平均得分率", _pct(third.get("average")), ""],
            ],
        ),
        "improvements": (
            ("事项", "数量"),
            [
                ["签发督办单", str(imp.get("orders", 0))],
                ["办结督办单", str(imp.get("orders_closed", 0))],
                ["关闭整改", str(imp.get("rectifications_closed", 0))],
                ["完成考核周期", str(imp.get("periods", 0))],
                ["印发通报", str(imp.get("circulars", 0))],
            ],
        ),
    }


PARTS = (
    ("completeness", "一、标准体系完整性评价"),
    ("implementation", "二、标准实施情况评价"),
    ("effects", "三、标准实施效果评价"),
    ("improvements", "四、持续改进情况"),
    ("conclusion", "五、评价结论"),
)


def selfeval_docx(evaluation: SelfEvaluation) -> bytes:
    """The self-evaluation as .docx: title, the five parts with their texts, each part's
    figures as a table, the findings trend as a chart (when a CJK font is installed)."""
    organization = evaluation.organization.name
    document = _document(evaluation.title, organization)
    _title(document, evaluation.title)
    _para(document)
    taken = timezone.localtime(evaluation.figures_at).date()
    _para(
        document,
        f"本报告依据 GB/T 24421.4《服务业组织标准化工作指南 第4部分：标准实施及评价》，"
        f"对{evaluation.year}年标准体系和标准实施情况进行自我评价。"
        f"文中数据取自后勤标准化管理系统，取数日期为{wordkit.cn_date(taken)}。",
        indent=True,
    )
    tables = figure_tables(evaluation.figures)
    for field, heading in PARTS:
        _para(
            document, heading, font=HEADING_FONT, indent=True
        ).paragraph_format.keep_with_next = True
        for line in getattr(evaluation, field).splitlines():
            if line.strip():
                _para(document, line.strip(), indent=True)
        if field == "effects":
            png = trend_png(evaluation.figures.get("trend", []))
            if png is not None:
                picture = document.add_paragraph()
                picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
                picture.add_run().add_picture(BytesIO(png), width=Mm(150))
                _para(
                    document,
                    f"图1 {evaluation.year}年各月发现问题数",
                    font=HEADING_FONT,
                    size=TABLE_PT,
                    align=WD_ALIGN_PARAGRAPH.CENTER,
                    line_pt=20,
                )
        if field in tables:
            headers, rows = tables[field]
            _table(document, headers, rows)
    _para(document)
    _para(document, organization, align=WD_ALIGN_PARAGRAPH.RIGHT, right_chars=4)
    _para(document, wordkit.cn_date(taken), align=WD_ALIGN_PARAGRAPH.RIGHT, right_chars=4)
    return wordkit.to_bytes(document)
