"""The comment disposition table (征求意见处理表) of a consultation, as Word: the standard,
the period, how many comments were accepted, partly accepted and rejected, then one row per
comment with its clause, text, author, the drafters' answer and their reason."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from django.utils import timezone
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from houqin.standards.documents import wordkit
from houqin.standards.models import Comment, Consultation

HEADERS = ("序号", "章条编号", "意见内容", "提出单位/人", "处理意见", "理由/说明")
WIDTHS_MM = (12, 22, 80, 34, 20, 89)
D = Comment.Disposition


def _clause_key(number: str) -> tuple:
    """Comments on the whole draft first, then by clause number as a reader counts
    (5.2 before 5.10; 附录 after the chapters)."""
    if not number:
        return (0,)
    parts = re.split(r"(\d+)", number)
    return (1, *((0, int(p), "") if p.isdigit() else (1, 0, p) for p in parts if p))


def comments_in_order(consultation: Consultation) -> list[Comment]:
    comments = list(consultation.comments.select_related("author"))
    return sorted(comments, key=lambda c: (_clause_key(c.clause_number), c.created_at, c.pk))


def disposition_counts(comments: list[Comment]) -> str:
    """ "共收到意见 5 条，其中采纳 2 条、部分采纳 1 条、不采纳 1 条，尚未处理 1 条。"."""
    counts = Counter(c.disposition for c in comments)
    text = (
        f"共收到意见 {len(comments)} 条，其中采纳 {counts[D.ACCEPTED]} 条、"
        f"部分采纳 {counts[D.PARTLY]} 条、不采纳 {counts[D.REJECTED]} 条"
    )
    if counts[D.PENDING]:
        text += f"，尚未处理 {counts[D.PENDING]} 条"
    return text + "。"


def _author(comment: Comment) -> str:
    name = getattr(comment.author, "name", "") or str(comment.author)
    return f"{comment.author_unit}/{name}" if comment.author_unit else name


def _label(comment: Comment) -> str:
    return "未处理" if comment.disposition == D.PENDING else comment.get_disposition_display()


def disposition_docx(consultation: Consultation) -> bytes:
    """The 意见处理表 of ``consultation`` as a .docx (A4 landscape)."""
    standard = consultation.standard
    comments = comments_in_order(consultation)
    doc = wordkit.open_template()
    section = doc.sections[0]
    wordkit.a4(section, landscape=True, margins_mm=(20, 20, 20, 20))
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("第 ")
    wordkit.add_field(footer, "PAGE", "1")
    footer.add_run(" 页")
    doc.core_properties.title = f"《{standard.title}》征求意见处理表"
    doc.core_properties.author = standard.organization.name
    doc.add_paragraph(f"《{standard.title}》征求意见处理表", "文件标题")
    opened = timezone.localdate(consultation.created_at)
    number = standard.number or "（编号待定）"
    info: list[tuple[str, Any]] = [
        ("标准编号及名称", f"{number}　{standard.title}"),
        ("征求意见稿", f"第{consultation.version.seq}版草案"),
        ("征求意见时间", f"{wordkit.cn_date(opened)}至{wordkit.cn_date(consultation.deadline)}"),
        ("意见处理情况", disposition_counts(comments)),
    ]
    if standard.drafting_units:
        info.insert(1, ("起草单位", standard.drafting_units))
    for label, value in info:
        paragraph = doc.add_paragraph(style="文件说明")
        wordkit.run_fonts(paragraph.add_run(f"{label}："), wordkit.HEI, wordkit.HEI)
        paragraph.add_run(str(value))
    rows = [
        [
            str(index),
            comment.clause_number or "总体",
            comment.text,
            _author(comment),
            _label(comment),
            comment.reply,
        ]
        for index, comment in enumerate(comments, start=1)
    ]
    wordkit.grid_table(doc, HEADERS, rows, WIDTHS_MM, empty="本轮征求意见没有收到意见。")
    doc.add_paragraph(
        "说明：处理意见分为采纳、部分采纳、不采纳；部分采纳和不采纳的，应在“理由/说明”中写明理由。",
        "注",
    )
    doc.add_paragraph(
        f"起草单位（盖章）：{standard.drafting_units or standard.organization.name}"
        "　　　　承办人：　　　　　　　　日期：　　　　年　　月　　日",
        "文件说明",
    ).paragraph_format.space_before = Pt(18)
    return wordkit.to_bytes(doc)
