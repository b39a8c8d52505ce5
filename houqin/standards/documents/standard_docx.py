"""A version of a standard as a Word file laid out as GB/T 1.1—2020 lays out a standard:
cover; 目次 (a Word TOC field whose shown result is the list of headings, so the file is
right before anyone updates it); 前言 and 引言 each on a page of their own, paged I, II …;
the body from page 1 with the standard's name, chapter and 条 headings numbered in the
text (never Word auto-numbering), lists with hanging indents, 注/示例 in 小五, tables with
their captions above and figures with captions below, terms as GB/T 1.1 sets them; each
annex on a new page titled 附录A / （规范性） / title; 参考文献. The running head carries
the standard's number, the foot the page number (a PAGE field), odd pages right and even
pages left. Styles come from ``template.docx`` (see ``scripts/make-docx-template``).

An adopted external standard without clauses becomes a cover and a metadata page."""

from __future__ import annotations

from io import BytesIO

from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Emu, RGBColor
from docx.text.paragraph import Paragraph
from PIL import Image, UnidentifiedImageError

from houqin.standards.clauses import Item
from houqin.standards.documents import wordkit
from houqin.standards.documents.source import (
    ELEMENT_TITLES,
    Source,
    document_source,
    inline_paragraph,
)
from houqin.standards.models import Clause, Standard, StandardVersion
from houqin.standards.rendering import heading_text, reference_text

K = Clause.Kind
HEADED = (K.SCOPE, K.REFERENCES, K.TERMS, K.CHAPTER)
LIST_STYLES = ("列项", "列项2", "列项3")
FS = wordkit.FULL_SPACE


def version_docx(version: StandardVersion) -> bytes:
    """The version as a .docx file (bytes)."""
    return standard_docx(version.standard, version)


def standard_docx(standard: Standard, version: StandardVersion | None) -> bytes:
    """A standard as a .docx: its text when ``version`` has clauses, else its cover and
    metadata page (an adopted external standard kept as metadata and a PDF)."""
    return _Writer(document_source(standard, version)).build()


class _Writer:
    def __init__(self, source: Source) -> None:
        self.source = source
        self.doc = wordkit.open_template()
        self.styles = wordkit.Styles(self.doc)
        self.bibliography_no = 0
        self.in_bibliography = False

    # ---- the frame -----------------------------------------------------------------------

    def build(self) -> bytes:
        doc = self.doc
        props = doc.core_properties
        props.title = self.source.cover.title
        props.subject = self.source.cover.number
        props.author = self.source.cover.issuer
        props.comments = "由后勤 Houqin 导出"
        doc.settings.odd_and_even_pages_header_footer = True
        wordkit.a4(doc.sections[0])
        self.cover()
        if not self.source.has_text:
            self.new_section("decimal")
            self.running_heads(doc.sections[-1])
            self.metadata_page()
            return wordkit.to_bytes(doc)
        self.new_section("upperRoman")
        self.running_heads(doc.sections[-1])
        self.contents()
        for item in self.source.front:
            self.element(item, page_break=True)
        self.new_section("decimal")
        self.para(self.source.cover.title, "标准名称")
        for item in self.source.body:
            self.item(item, 0)
        for item in self.source.annexes:
            self.item(item, 0)
        for item in self.source.bibliography:
            self.element(item, page_break=True)
        return wordkit.to_bytes(doc)

    def new_section(self, fmt: str) -> None:
        section = self.doc.add_section(WD_SECTION.NEW_PAGE)
        wordkit.page_numbers(section, fmt, 1)

    def running_heads(self, section: object) -> None:
        """Number in the head, PAGE field in the foot; right on odd, left on even pages."""
        text = self.source.header
        for header, align in (
            (section.header, WD_ALIGN_PARAGRAPH.RIGHT),  # type: ignore[attr-defined]
            (section.even_page_header, WD_ALIGN_PARAGRAPH.LEFT),  # type: ignore[attr-defined]
        ):
            header.is_linked_to_previous = False
            paragraph = header.paragraphs[0]
            paragraph.text = text
            paragraph.alignment = align
        for footer, align in (
            (section.footer, WD_ALIGN_PARAGRAPH.RIGHT),  # type: ignore[attr-defined]
            (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),  # type: ignore[attr-defined]
        ):
            footer.is_linked_to_previous = False
            paragraph = footer.paragraphs[0]
            paragraph.alignment = align
            wordkit.add_field(paragraph, "PAGE", "1")

    # ---- cover, contents, metadata -------------------------------------------------------

    def cover(self) -> None:
        cover = self.source.cover
        add = self.para
        add(f"ICS {cover.ics}" if cover.ics else "", "封面代号")
        add(f"CCS {cover.ccs}" if cover.ccs else "", "封面代号")
        add(cover.mark, "封面标志")
        kind = add(cover.kind, "封面类别")
        wordkit.paragraph_border(kind, "top", 12)
        last = add(cover.number, "封面编号")
        for number in cover.replaces:
            last = add(f"代替 {number}", "封面代替")
        wordkit.paragraph_border(last, "bottom", 12)
        add("\n".join(cover.title_lines), "封面标准名称")
        if cover.english_title:
            add(cover.english_title, "封面英文名称")
        if cover.stage:
            add(f"（{cover.stage}）", "封面阶段")
        # The dates and the issuer stand at the foot of the cover: in the cover's own footer
        # (a footer always sits at the bottom, in Word and in LibreOffice alike).
        footer = self.doc.sections[0].footer
        footer.is_linked_to_previous = False
        dates = footer.paragraphs[0]
        dates.text = f"{cover.published} 发布\t{cover.effective} 实施"
        self.styles.apply(dates, "封面日期")
        wordkit.paragraph_border(dates, "top", 12)
        self.styles.add(f"{cover.issuer}{FS}发布", "封面发布机构", footer)

    def contents(self) -> None:
        self.para(f"目{FS}{FS}次", "目次标题")
        entries = self.source.toc
        paragraphs = [self.para("", "toc 1") for _ in entries]
        if not paragraphs:
            return
        wordkit.field_begin(paragraphs[0], 'TOC \\o "1-1" \\h \\z \\u')
        for paragraph, entry in zip(paragraphs, entries, strict=True):
            paragraph.add_run(entry.text)
        wordkit.field_end(paragraphs[-1])

    def metadata_page(self) -> None:
        doc = self.doc
        self.para("标准信息", "要素标题")
        table = doc.add_table(rows=0, cols=2, style="标准表格")
        for label, value in self.source.metadata:
            cells = table.add_row().cells
            self.styles.cell(cells[0], label, "表头")
            self.styles.cell(cells[1], value, "表格文字")
        wordkit.column_widths(table, (36, 129))
        self.para("", "标准正文")
        if self.source.attachments:
            names = "、".join(self.source.attachments)
            text = (
                f"本标准为采用的外部标准，本系统未录入其条文；正文以标准文本为准（附件：{names}）。"
            )
        else:
            text = "本标准为采用的外部标准，本系统未录入其条文；正文以正式出版的标准文本为准。"
        self.para(text, "标准正文")

    # ---- the text ------------------------------------------------------------------------

    def para(self, text: str, style: str) -> Paragraph:
        return self.styles.add(text, style)

    def element(self, item: Item, page_break: bool) -> None:
        """前言, 引言, 参考文献: a centred title, then the content."""
        c = item.clause
        title = self.para(ELEMENT_TITLES[c.kind], "要素标题")
        title.paragraph_format.page_break_before = page_break
        if c.text:
            self.para(c.text, "标准正文")
        self.in_bibliography = c.kind == K.BIBLIOGRAPHY
        for child in item.children:
            self.item(child, 0)
        self.in_bibliography = False

    def item(self, item: Item, list_level: int) -> None:
        c = item.clause
        kind = c.kind
        children = item.children
        if kind in HEADED:
            self.para(heading_text(c), "章标题")
            if c.text:
                self.para(c.text, "标准正文")
        elif kind == K.ANNEX:
            self.annex_title(c)
            if c.text:
                self.para(c.text, "标准正文")
        elif kind in ELEMENT_TITLES:
            self.element(item, page_break=True)
            return
        elif kind == K.CLAUSE:
            children = self.clause(item)
        elif kind == K.PARAGRAPH:
            self.para(c.text, "标准正文")
        elif kind == K.LIST_ITEM:
            style = LIST_STYLES[min(list_level, len(LIST_STYLES) - 1)]
            separator = "" if c.number == "——" else "\t"
            self.para(f"{c.number}{separator}{c.text}", style)
            for child in children:
                self.item(child, list_level + 1)
            return
        elif kind == K.NOTE:
            self.para(f"{c.number}：\t{c.text}", "注")
        elif kind == K.EXAMPLE:
            self.para(f"{c.number}：\t{c.text}", "示例")
        elif kind == K.TABLE:
            self.table(c)
        elif kind == K.FIGURE:
            self.figure(item)
            return
        elif kind == K.TERM:
            self.term(item)
            return
        elif kind == K.REFERENCE:
            self.reference(item)
        else:
            self.para(c.text, "标准正文")
        for child in children:
            self.item(child, list_level)

    def annex_title(self, c: Clause) -> None:
        kind = {"normative": "规范性", "informative": "资料性"}.get(
            (c.extra or {}).get("annex_type", ""), ""
        )
        lines = [c.number, f"（{kind}）" if kind else "", c.title]
        self.para("\n".join(line for line in lines if line), "附录标题")

    def clause(self, item: Item) -> list[Item]:
        """A titled 条 is a heading; an untitled one starts its paragraph with its number.
        Returns the children still to print."""
        c = item.clause
        if c.title:
            heading = self.para(f"{c.number}{FS}{c.title}", "条标题")
            wordkit.set_outline_level(heading._p.get_or_add_pPr(), min(item.depth, 8))
            if c.text:
                self.para(c.text, "标准正文")
            return item.children
        inline = inline_paragraph(item)
        text = inline.clause.text if inline else c.text
        paragraph = self.para("", "无标题条")
        wordkit.run_fonts(paragraph.add_run(c.number), wordkit.HEI, wordkit.HEI)
        paragraph.add_run(f"{FS}{text}")
        return item.children[1:] if inline else item.children

    def table(self, c: Clause) -> None:
        extra = c.extra or {}
        header = [str(cell) for cell in extra.get("header", [])]
        rows = [[str(cell) for cell in row] for row in extra.get("rows", [])]
        columns = max([len(header), *(len(r) for r in rows)])
        self.para(f"{c.number}{FS}{c.title}".strip(), "表题")
        if not columns:
            return
        doc = self.doc
        table = doc.add_table(rows=0, cols=columns, style="标准表格")
        wordkit.table_width_full(table)
        if header:
            row = table.add_row()
            wordkit.repeat_header(row)
            for cell, value in zip(row.cells, header + [""] * (columns - len(header)), strict=True):
                self.styles.cell(cell, value, "表头")
        for values in rows:
            row = table.add_row()
            wordkit.cant_split(row)
            for cell, value in zip(row.cells, values + [""] * (columns - len(values)), strict=True):
                self.styles.cell(cell, value, "表格文字")

    def figure(self, item: Item) -> None:
        c = item.clause
        src = str((c.extra or {}).get("src", ""))
        data = self.source.images.get(src) if src else None
        holder = self.para("", "图")
        if data is not None:
            width = self._picture_width(data)
            if width:
                holder.add_run().add_picture(BytesIO(data), width=Emu(width))
            else:
                data = None
        if data is None and src:
            run = holder.add_run(f"［图文件“{src}”未上传］")
            run.font.color.rgb = RGBColor(0x66, 0x66, 0x66)
        for child in item.children:
            self.item(child, 0)
        self.para(f"{c.number}{FS}{c.title}".strip(), "图题")

    def _picture_width(self, data: bytes) -> int:
        """The picture's width in EMU: its size at 150 dpi, at most the text width."""
        try:
            with Image.open(BytesIO(data)) as image:
                pixels = image.size[0]
        except (UnidentifiedImageError, OSError):
            return 0
        natural = int(pixels / 150 * 914400)
        return min(natural, wordkit.content_width(self.doc.sections[-1]))

    def term(self, item: Item) -> None:
        c = item.clause
        extra = c.extra or {}
        self.para(c.number, "术语条目号")
        line = self.para("", "术语")
        line.add_run(str(extra.get("term", "")))
        english = str(extra.get("english", ""))
        if english:
            wordkit.run_fonts(line.add_run(f"{FS}{english}"), wordkit.SONG)
        if extra.get("definition"):
            self.para(str(extra["definition"]), "标准正文")
        for child in item.children:
            self.item(child, 0)
        if extra.get("source"):
            self.para(f"[来源：{extra['source']}]", "标准正文")

    def reference(self, item: Item) -> None:
        text = reference_text(item.clause.extra or {}) or item.clause.text
        if self.in_bibliography:
            self.bibliography_no += 1
            self.para(f"[{self.bibliography_no}]\t{text}", "参考文献条目")
        else:
            self.para(text, "标准正文")
