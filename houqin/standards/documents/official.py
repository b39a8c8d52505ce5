"""The type of an official document (公文) after GB/T 9704-2012, shared by the documents
laid out that way (supervision orders, circulars, the self-evaluation): the fonts offices
have, the sizes, the fixed 28 pt line (22 lines in the 225 mm type area) and the margins,
and a run and a paragraph set in them."""

from __future__ import annotations

from typing import Any

from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.shared import Pt
from docx.text.paragraph import Paragraph

from houqin.standards.documents import wordkit

TITLE_FONT = "方正小标宋简体"
TEXT_FONT = "仿宋_GB2312"
HEADING_FONT = wordkit.HEI
TEXT_PT = 16  # 三号
TITLE_PT = 22  # 二号
TABLE_PT = 12  # 小四
LINE_PT = 28  # 22 lines in the 225 mm type area
MARGINS_MM = (37, 26, 35, 28)  # top, right, bottom, left: the 156 mm × 225 mm type area


def run(paragraph: Paragraph, text: str, font: str = TEXT_FONT, size: float = TEXT_PT) -> Any:
    added = paragraph.add_run(text)
    wordkit.run_fonts(added, font)
    added.font.size = Pt(size)
    return added


def paragraph(
    document: Any,
    text: str = "",
    *,
    font: str = TEXT_FONT,
    size: float = TEXT_PT,
    align: Any = WD_ALIGN_PARAGRAPH.JUSTIFY,
    indent: bool = False,
    right_chars: int = 0,
    line_pt: float = LINE_PT,
) -> Paragraph:
    """A paragraph on the fixed line, first line indented two characters when ``indent``,
    ``right_chars`` characters in from the right (落款), with ``text`` set in ``font``."""
    added = document.add_paragraph()
    added.alignment = align
    fmt = added.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(line_pt)
    fmt.space_before = fmt.space_after = Pt(0)
    if indent:
        wordkit.set_indent(added._p.get_or_add_pPr(), first_line_chars=2, size_pt=size)
    if right_chars:
        fmt.right_indent = Pt(size * right_chars)
    if text:
        run(added, text, font, size)
    return added
