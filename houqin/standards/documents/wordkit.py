"""Small python-docx helpers for what its API does not cover: East Asian fonts, indents in
characters, fields (PAGE, TOC), page-number formats, borders, and the house template.

Used by the document builders and by ``scripts/make-docx-template`` (which builds
``template.docx``); nothing here imports Django."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path
from typing import Any

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm
from docx.table import Table, _Row
from docx.text.paragraph import Paragraph

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
TEMPLATE = Path(__file__).resolve().parent / "template.docx"

SONG = "宋体"
HEI = "黑体"
KAI = "楷体"
LATIN = "Times New Roman"
FULL_SPACE = "\u3000"


def _names(text: str) -> tuple[str, ...]:
    return tuple(text.split())


ORDER: dict[str, tuple[str, ...]] = {
    "w:pPr": _names(
        "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr "
        "suppressLineNumbers pBdr shd tabs suppressAutoHyphens kinsoku wordWrap overflowPunct "
        "topLinePunct autoSpaceDE autoSpaceDN bidi adjustRightInd snapToGrid spacing ind "
        "contextualSpacing mirrorIndents suppressOverlap jc textDirection textAlignment "
        "textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange"
    ),
    "w:rPr": _names(
        "rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint "
        "noProof snapToGrid vanish webHidden color spacing w kern position sz szCs highlight u "
        "effect bdr shd fitText vertAlign rtl cs em lang eastAsianLayout specVanish oMath"
    ),
    "w:sectPr": _names(
        "headerReference footerReference footnotePr endnotePr type pgSz pgMar paperSrc "
        "pgBorders lnNumType pgNumType cols formProt vAlign noEndnote titlePg textDirection "
        "bidi rtlGutter docGrid printerSettings sectPrChange"
    ),
    "w:tblPr": _names(
        "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize tblW jc "
        "tblCellSpacing tblInd tblBorders shd tblLayout tblCellMar tblLook"
    ),
    "w:trPr": _names(
        "cnfStyle divId gridBefore gridAfter wBefore wAfter cantSplit trHeight tblHeader "
        "tblCellSpacing jc hidden"
    ),
    "w:tcPr": _names(
        "cnfStyle tcW gridSpan hMerge vMerge tcBorders shd noWrap tcMar textDirection "
        "tcFitText vAlign hideMark"
    ),
}


def prop(parent: Any, tag: str) -> Any:
    """The child ``tag`` of ``parent``, created in its schema position if absent (Word
    refuses a file whose property elements are out of order)."""
    found = parent.find(qn(tag))
    if found is not None:
        return found
    found = OxmlElement(tag)
    order = ORDER.get(parent.tag.replace(f"{{{_W}}}", "w:"), ())
    name = tag.split(":", 1)[1]
    later = order[order.index(name) + 1 :] if name in order else ()
    for child in parent:
        local = child.tag.rsplit("}", 1)[-1]
        if local in later:
            child.addprevious(found)
            return found
    parent.append(found)
    return found


def set_fonts(element: Any, east_asia: str, latin: str = LATIN) -> None:
    """Name the Latin and the East Asian font on a style's or run's ``w:rPr``."""
    rpr = element.get_or_add_rPr()
    fonts = prop(rpr, "w:rFonts")
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attr), latin)
    fonts.set(qn("w:eastAsia"), east_asia)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)


def set_indent(
    ppr: Any,
    *,
    first_line_chars: int | None = None,
    left_pt: float | None = None,
    hanging_pt: float | None = None,
    size_pt: float = 10.5,
) -> None:
    """Indent in characters (Word's ``*Chars`` attributes, in hundredths of a character)
    with the equivalent twips for readers that ignore them; or left/hanging in points."""
    ind = prop(ppr, "w:ind")
    if first_line_chars is not None:
        ind.set(qn("w:firstLineChars"), str(first_line_chars * 100))
        ind.set(qn("w:firstLine"), str(round(first_line_chars * size_pt * 20)))
    if left_pt is not None:
        ind.set(qn("w:left"), str(round(left_pt * 20)))
    if hanging_pt is not None:
        ind.set(qn("w:hanging"), str(round(hanging_pt * 20)))


def set_outline_level(ppr: Any, level: int) -> None:
    """The outline level a TOC field and Word's navigation pane read (0 = top)."""
    prop(ppr, "w:outlineLvl").set(qn("w:val"), str(level))


def add_field(paragraph: Paragraph, instruction: str, result: str = "") -> None:
    """A complex field (``PAGE``, ``NUMPAGES`` …) with ``result`` shown until Word updates it."""
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    run._r.append(begin)
    run = paragraph.add_run()
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run._r.append(instr)
    run = paragraph.add_run()
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    run._r.append(separate)
    paragraph.add_run(result)
    run = paragraph.add_run()
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run._r.append(end)


def field_begin(paragraph: Paragraph, instruction: str) -> None:
    """Open a field whose result spans several paragraphs (a TOC); close with field_end."""
    for kind, text in (("begin", None), ("instr", instruction), ("separate", None)):
        run = paragraph.add_run()
        if kind == "instr":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = f" {text} "
        else:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        run._r.append(element)


def field_end(paragraph: Paragraph) -> None:
    run = paragraph.add_run()
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run._r.append(end)


def page_numbers(section: Any, fmt: str = "decimal", start: int | None = 1) -> None:
    """Page-number format of a section (``decimal``, ``upperRoman``) and where it restarts."""
    sect_pr = section._sectPr
    pg = prop(sect_pr, "w:pgNumType")
    pg.set(qn("w:fmt"), fmt)
    if start is not None:
        pg.set(qn("w:start"), str(start))


def a4(section: Any, *, landscape: bool = False, margins_mm: tuple = (25, 20, 20, 25)) -> None:
    """A4 page with (top, right, bottom, left) margins in millimetres."""
    width, height = Mm(210), Mm(297)
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        width, height = height, width
    else:
        section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = width, height
    top, right, bottom, left = margins_mm
    section.top_margin, section.right_margin = Mm(top), Mm(right)
    section.bottom_margin, section.left_margin = Mm(bottom), Mm(left)
    section.header_distance, section.footer_distance = Mm(12), Mm(10)


def content_width(section: Any) -> int:
    """The text width of a section in EMU."""
    return int(section.page_width - section.left_margin - section.right_margin)


def content_height(section: Any) -> int:
    """The text height of a section in EMU."""
    return int(section.page_height - section.top_margin - section.bottom_margin)


def borders(element_pr: Any, tag: str, *, outer: int = 8, inner: int = 4) -> None:
    """Single-line borders on a ``w:tblPr`` (``tag`` w:tblBorders) or ``w:tcPr``
    (w:tcBorders); sizes in eighths of a point."""
    box = prop(element_pr, tag)
    sides = ("top", "left", "bottom", "right", "insideH", "insideV")
    for side in sides:
        edge = prop(box, f"w:{side}")
        edge.set(qn("w:val"), "single")
        edge.set(qn("w:sz"), str(inner if side.startswith("inside") else outer))
        edge.set(qn("w:space"), "0")
        edge.set(qn("w:color"), "000000")


def repeat_header(row: _Row) -> None:
    """Repeat this row at the top of each page the table runs onto."""
    tr_pr = row._tr.get_or_add_trPr()
    prop(tr_pr, "w:tblHeader").set(qn("w:val"), "true")


def cant_split(row: _Row) -> None:
    prop(row._tr.get_or_add_trPr(), "w:cantSplit").set(qn("w:val"), "true")


def table_width_full(table: Table) -> None:
    """Let the table span the text width (100 %)."""
    tbl_pr = table._tbl.tblPr
    width = prop(tbl_pr, "w:tblW")
    width.set(qn("w:type"), "pct")
    width.set(qn("w:w"), "5000")


def column_widths(table: Table, widths_mm: tuple[float, ...]) -> None:
    """Fixed column widths (grid and every cell), so Word and LibreOffice agree."""
    tbl_pr = table._tbl.tblPr
    prop(tbl_pr, "w:tblLayout").set(qn("w:type"), "fixed")
    width = prop(tbl_pr, "w:tblW")
    width.set(qn("w:type"), "dxa")
    width.set(qn("w:w"), str(round(sum(widths_mm) * 56.7)))
    for col, mm in zip(table._tbl.tblGrid.gridCol_lst, widths_mm, strict=True):
        col.w = Mm(mm)
    for row in table.rows:
        for cell, mm in zip(row.cells, widths_mm, strict=False):
            cell.width = Mm(mm)


def cn_date(day: Any) -> str:
    """ "2026年3月1日", as documents write dates."""
    return f"{day.year}年{day.month}月{day.day}日"


def paragraph_border(paragraph: Paragraph, side: str, size: int = 8) -> None:
    """A rule above or below a paragraph (the lines of a standard's cover)."""
    ppr = paragraph._p.get_or_add_pPr()
    box = prop(ppr, "w:pBdr")
    edge = prop(box, f"w:{side}")
    edge.set(qn("w:val"), "single")
    edge.set(qn("w:sz"), str(size))
    edge.set(qn("w:space"), "1")
    edge.set(qn("w:color"), "000000")


def open_template(path: Path = TEMPLATE) -> DocxDocument:
    """The house template with its specimen text removed (styles, page set-up, headers
    and footers definitions stay)."""
    document = Document(str(path))
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    return document


class Styles:
    """Apply paragraph styles by name without python-docx's lookup per call (it scans every
    style of the file each time: seconds for a few thousand table cells)."""

    def __init__(self, document: DocxDocument) -> None:
        self.document = document
        self.ids = {style.name: style.style_id for style in document.styles}

    def apply(self, paragraph: Paragraph, name: str) -> Paragraph:
        paragraph._p.style = self.ids[name]
        return paragraph

    def add(self, text: str, name: str, container: Any = None) -> Paragraph:
        """A new paragraph of ``text`` in style ``name`` (in the body, or ``container``)."""
        return self.apply((container or self.document).add_paragraph(text), name)

    def cell(self, cell: Any, text: str, name: str) -> None:
        paragraph = cell.paragraphs[0]
        paragraph.text = text
        self.apply(paragraph, name)


def grid_table(
    document: DocxDocument,
    headers: tuple[str, ...],
    rows: list[list[str]],
    widths_mm: tuple[float, ...],
    *,
    empty: str = "",
    styles: Styles | None = None,
) -> Table:
    """A bordered 标准表格 with a repeated header row, rows that do not split across pages,
    fixed column widths, and ``empty`` in one merged row when there are no rows."""
    styles = styles or Styles(document)
    table = document.add_table(rows=1, cols=len(headers), style="标准表格")
    repeat_header(table.rows[0])
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        styles.cell(cell, text, "表头")
    for values in rows:
        row = table.add_row()
        cant_split(row)
        for cell, value in zip(row.cells, values, strict=True):
            styles.cell(cell, value, "表格文字")
    if not rows and empty:
        row = table.add_row()
        styles.cell(row.cells[0].merge(row.cells[-1]), empty, "表格文字")
    column_widths(table, widths_mm)
    return table


def to_bytes(document: DocxDocument) -> bytes:
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def run_fonts(run: Any, east_asia: str, latin: str = LATIN) -> Any:
    """Set a run's fonts (e.g. 黑体 for a clause number inside a body paragraph)."""
    set_fonts(run._r, east_asia, latin)
    return run


def char_spacing(rpr: Any, twentieths: int) -> None:
    prop(rpr, "w:spacing").set(qn("w:val"), str(twentieths))
