"""A .docx file as a flat list of ``Block``s: paragraphs (text in the accepted view of
tracked changes, style name, outline level, Word list numbering) and tables (rows of cell
texts), in reading order, plus the lines of the first section's footers (where a cover
often carries its dates and issuer).

The XML is read directly (python-docx's ``paragraph.text`` skips text inside ``w:ins``):
text under ``w:ins``, ``w:moveTo`` and hyperlinks counts, ``w:del``/``w:moveFrom`` do not,
comment marks carry no text, field codes are skipped and field results kept (a table of
contents field marks its paragraphs ``toc``, an index field ``generated``), hidden runs are
skipped, text boxes are read once (their fallback copy is not), formulas as their text."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from houqin.standards.importer.base import Block, ImportFailed, style_key
from houqin.standards.importer.package import (
    PPR,
    VAL,
    Numbering,
    Package,
    Styles,
    W,
    list_numbering,
    outline_level,
)

STRICT = "http://purl.oclc.org/ooxml/wordprocessingml/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
OMML = "http://schemas.openxmlformats.org/officeDocument/2006/math"


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


P, R_, T, TBL, TR, TC = _w("p"), _w("r"), _w("t"), _w("tbl"), _w("tr"), _w("tc")
RPR, TRPR, TCPR = _w("rPr"), _w("trPr"), _w("tcPr")
SDT, SDT_CONTENT, SDT_PR = _w("sdt"), _w("sdtContent"), _w("sdtPr")
FLD_CHAR, INSTR = _w("fldChar"), _w("instrText")
TXBX = _w("txbxContent")
CHOICE = f"{{{MC}}}Choice"
ALTERNATE = f"{{{MC}}}AlternateContent"
INLINE_WRAPPERS = frozenset(
    _w(n) for n in ("ins", "moveTo", "hyperlink", "smartTag", "customXml", "fldSimple", "dir")
) | {_w("bdo")}
BLOCK_WRAPPERS = frozenset(_w(n) for n in ("customXml", "ins", "moveTo"))
BREAKS = frozenset(_w(n) for n in ("br", "cr"))
TABS = frozenset(_w(n) for n in ("tab", "ptab"))
PICTURES = frozenset(_w(n) for n in ("drawing", "pict", "object"))
NOTE_REFERENCES = frozenset(_w(n) for n in ("footnoteReference", "endnoteReference"))
MATH = frozenset({f"{{{OMML}}}oMath", f"{{{OMML}}}oMathPara"})
MATH_TEXT = f"{{{OMML}}}t"


def _on(element: Any) -> bool:
    """A Word on/off property: present and not switched off."""
    return element is not None and element.get(VAL) not in ("0", "false", "off")


@dataclass
class Docx:
    """What the reader found: the blocks, the first section's footer lines, and how many
    paragraphs and table rows it read."""

    blocks: list[Block]
    footer: list[str]
    count: int


@dataclass
class _Field:
    instruction: str = ""
    result: bool = False  # past the separator: its text is shown

    @property
    def toc(self) -> bool:
        return self.instruction.strip().upper().startswith("TOC")

    @property
    def index(self) -> bool:
        return self.instruction.strip().upper().startswith("INDEX")


@dataclass
class _Text:
    """The text of one paragraph while it is read."""

    parts: list[str] = field(default_factory=list)
    boxes: list[Any] = field(default_factory=list)
    drawing: bool = False
    toc: bool = False
    index: bool = False  # a line of an index Word generates
    footnotes: int = 0
    formulas: int = 0


class _Reader:
    def __init__(self, styles: Styles, numbering: Numbering) -> None:
        self.styles = styles
        self.numbering = numbering
        self.blocks: list[Block] = []
        self.fields: list[_Field] = []
        self.count = 0
        self.no = 0
        self.carry = ""  # text of a paragraph whose mark was deleted: it joins the next one
        self.toc_area = 0  # inside a content control holding a table of contents

    def body(self, container: Any) -> None:
        for child in container:
            tag = child.tag
            if tag == P:
                self.paragraph(child)
            elif tag == TBL:
                self.table(child)
            elif tag == SDT:
                content = child.find(SDT_CONTENT)
                toc = _is_toc_control(child)
                self.toc_area += toc
                if content is not None:
                    self.body(content)
                self.toc_area -= toc
            elif tag in BLOCK_WRAPPERS:
                self.body(child)
            elif tag == ALTERNATE:
                choice = child.find(CHOICE)
                if choice is not None:
                    self.body(choice)

    def paragraph(self, p: Any) -> None:
        ppr = p.find(PPR)
        text = self.text_of(p)
        for box in text.boxes:
            self.body(box)
        joined = self.carry + "".join(text.parts)
        self.carry = ""
        if ppr is not None:
            mark = ppr.find(RPR)
            if mark is not None and (
                mark.find(_w("del")) is not None or mark.find(_w("moveFrom")) is not None
            ):
                self.carry = joined  # the paragraph mark is deleted: merge with the next
                return
        self.count += 1
        self.no += 1
        sid = ""
        if ppr is not None:
            style = ppr.find(_w("pStyle"))
            sid = style.get(VAL) or "" if style is not None else ""
        outline = outline_level(ppr)
        if outline is None:
            outline = self.styles.outline_level(sid)
        numbering = list_numbering(ppr) or self.styles.list_numbering(sid)
        fmt, level = "", 0
        if numbering is not None:
            fmt, level = self.numbering.format(numbering[0], numbering[1]), numbering[1]
        self.blocks.append(
            Block(
                no=self.no,
                text=joined,
                style=style_key(self.styles.name(sid)),
                outline=outline + 1 if outline is not None and 0 <= outline < 9 else 0,
                numbering=fmt,
                list_level=level,
                toc=text.toc or self.toc_area > 0,
                drawing=text.drawing,
                generated=text.index,
                remarks=_remarks(text),
            )
        )

    def table(self, tbl: Any) -> None:
        rows = [tr for tr in _children(tbl, TR) if not _deleted_row(tr)]
        cells_of = [list(_children(tr, TC)) for tr in rows]
        if len(rows) == 1 and len(cells_of[0]) == 1:
            self.body(cells_of[0][0])  # a one-cell table is a frame around paragraphs
            return
        table: list[list[str]] = []
        for cells in cells_of:
            row: list[str] = []
            for tc in cells:
                tcpr = tc.find(TCPR)
                span, continued = 1, False
                if tcpr is not None:
                    grid = tcpr.find(_w("gridSpan"))
                    if grid is not None and (grid.get(VAL) or "").isdigit():
                        span = min(max(1, int(grid.get(VAL))), 63)  # Word allows 63
                    merge = tcpr.find(_w("vMerge"))
                    continued = merge is not None and merge.get(VAL) in (None, "continue")
                row.append("" if continued else self.cell_text(tc))
                row.extend([""] * (span - 1))
            table.append(row)
        if not table:
            return
        self.count += len(table)
        self.no += 1
        self.blocks.append(Block(no=self.no, rows=table))

    def cell_text(self, tc: Any) -> str:
        pieces = []
        for element in tc.iter(P):
            text = "".join(self.text_of(element).parts)
            text = " ".join(text.split())
            if text:
                pieces.append(text)
        return " ".join(pieces)

    def text_of(self, p: Any) -> _Text:
        text = _Text(toc=any(f.toc for f in self.fields))
        text.index = any(f.index for f in self.fields)
        self.inline(p, text)
        text.toc = text.toc or any(f.toc for f in self.fields)
        text.index = text.index or any(f.index for f in self.fields)
        return text

    def inline(self, element: Any, text: _Text) -> None:
        for child in element:
            tag = child.tag
            if tag == R_:
                rpr = child.find(RPR)
                self.run(child, text, hidden=rpr is not None and _on(rpr.find(_w("vanish"))))
            elif tag in INLINE_WRAPPERS:
                self.inline(child, text)
            elif tag == SDT:
                content = child.find(SDT_CONTENT)
                if content is not None:
                    self.inline(content, text)
            elif tag == ALTERNATE:
                choice = child.find(CHOICE)
                if choice is not None:
                    self.inline(choice, text)
            elif tag in MATH:
                text.parts.append("".join(t.text or "" for t in child.iter(MATH_TEXT)))
                text.formulas += 1

    def run(self, run: Any, text: _Text, *, hidden: bool) -> None:
        shown = not hidden and all(f.result for f in self.fields)
        for child in run:
            tag = child.tag
            if tag == T:
                if shown:
                    text.parts.append(child.text or "")
            elif tag in TABS:
                if shown:
                    text.parts.append("\t")
            elif tag in BREAKS:
                if shown:
                    text.parts.append("\n")
            elif tag == _w("noBreakHyphen"):
                if shown:
                    text.parts.append("-")
            elif tag == FLD_CHAR:
                kind = child.get(_w("fldCharType"))
                if kind == "begin":
                    self.fields.append(_Field())
                elif kind == "separate" and self.fields:
                    self.fields[-1].result = True
                elif kind == "end" and self.fields:
                    self.fields.pop()
                shown = not hidden and all(f.result for f in self.fields)
            elif tag == INSTR:
                if self.fields:
                    self.fields[-1].instruction += child.text or ""
                    text.toc = text.toc or self.fields[-1].toc
                    text.index = text.index or self.fields[-1].index
            elif tag in NOTE_REFERENCES:
                text.footnotes += 1
            elif tag in PICTURES:
                text.drawing = text.drawing or _has_image(child)
                text.boxes.extend(_boxes(child))
            elif tag == ALTERNATE:
                choice = child.find(CHOICE)
                if choice is not None:
                    self.run(choice, text, hidden=hidden)


def _remarks(text: _Text) -> list[str]:
    """What the person should know about a paragraph the tree cannot hold as it was."""
    remarks = []
    if text.footnotes:
        remarks.append("有脚注，脚注的内容没有导入，请把它写进正文或注中")
    if text.formulas:
        remarks.append("有公式，公式已按文字导入，请核对")
    return remarks


def _children(parent: Any, tag: str) -> Iterator[Any]:
    """Direct children ``tag`` of ``parent``, looking through content controls."""
    for child in parent:
        if child.tag == tag:
            yield child
        elif child.tag == SDT:
            content = child.find(SDT_CONTENT)
            if content is not None:
                yield from _children(content, tag)
        elif child.tag in BLOCK_WRAPPERS:
            yield from _children(child, tag)


def _deleted_row(tr: Any) -> bool:
    trpr = tr.find(TRPR)
    return trpr is not None and trpr.find(_w("del")) is not None


def _boxes(picture: Any) -> list[Any]:
    """Text boxes of a picture, each once (not the copy in an mc:Fallback)."""
    found = []
    for box in picture.iter(TXBX):
        ancestor = box.getparent()
        fallback = False
        while ancestor is not None and ancestor is not picture:
            if ancestor.tag == f"{{{MC}}}Fallback":
                fallback = True
                break
            ancestor = ancestor.getparent()
        if not fallback:
            found.append(box)
    return found


def _has_image(picture: Any) -> bool:
    """A picture or chart, not a shape that only frames a text box."""
    return any(
        isinstance(el.tag, str) and el.tag.rsplit("}", 1)[-1] in ("blip", "imagedata", "chart")
        for el in picture.iter()
    )


def _is_toc_control(sdt: Any) -> bool:
    props = sdt.find(SDT_PR)
    if props is None:
        return False
    gallery = props.find(f"{_w('docPartObj')}/{_w('docPartGallery')}")
    return gallery is not None and "contents" in (gallery.get(VAL) or "").lower()


def _first_footers(package: Package, main: str, body: Any, reader: _Reader) -> list[str]:
    """The lines of the first section's footers (the cover page's foot)."""
    sect = next(body.iter(_w("sectPr")), None)
    if sect is None:
        return []
    targets = package.relationships(main)
    lines: list[str] = []
    for ref in sect.findall(_w("footerReference")):
        part = targets.get(ref.get(f"{{{R}}}id") or "")
        root = package.xml(part) if part else None
        if root is None:
            continue
        for p in root.iter(P):
            text = "".join(reader.text_of(p).parts)
            lines.extend(line.strip() for line in text.split("\n") if line.strip())
        reader.fields.clear()
    return lines


def read_docx(data: bytes) -> Docx:
    """Read a .docx; raise ``ImportFailed`` when it is not one or is damaged."""
    if not data:
        raise ImportFailed("文件是空的（0字节），请重新选择文件。")
    package = Package(data)
    main = package.main_part()
    root = package.xml(main, required=True)
    if root.tag == f"{{{STRICT}}}document":
        raise ImportFailed(
            "文件是“严格Open XML”格式，无法读取。请在Word中另存为“Word文档（.docx）”后再导入。"
        )
    body = root.find(_w("body"))
    if root.tag != _w("document") or body is None:
        raise ImportFailed("文件里没有Word正文，不是有效的Word文档。请另存为.docx后再导入。")
    targets = package.relationships(main)
    styles_part = next(
        (t for t in targets.values() if t.endswith("/styles.xml")), "word/styles.xml"
    )
    numbering_part = next(
        (t for t in targets.values() if t.endswith("/numbering.xml")), "word/numbering.xml"
    )
    reader = _Reader(Styles(package.xml(styles_part)), Numbering(package.xml(numbering_part)))
    reader.body(body)
    if reader.carry:
        reader.blocks.append(Block(no=reader.no + 1, text=reader.carry))
        reader.count += 1
    reader.fields.clear()
    return Docx(reader.blocks, _first_footers(package, main, body, reader), reader.count)
