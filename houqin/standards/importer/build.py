"""Classified lines → the tree of a standard (``textformat`` kinds, placed where
``clauses._check_parent`` lets them stand) plus its cover and its 目次.

Reading order: the cover until the first 目次, 前言, 引言, heading or annex; a 目次 until a
line that is not one of its entries; then the text. Headings open chapters and clauses at
their level (a typed number's depth, else the style's level; a level is never skipped);
content goes into the deepest open heading or front element. What cannot be placed is kept
as a paragraph with ``extra["flag"]`` and a line in ``flags``."""

from __future__ import annotations

import re

from houqin.standards import textformat as tf
from houqin.standards.checker.document import Cover
from houqin.standards.importer import base as b
from houqin.standards.importer.base import Line, excerpt, squeeze
from houqin.standards.importer.classify import depth, has_page_number, title_like, toc_text
from houqin.standards.importer.content import Content
from houqin.standards.importer.cover import CoverReader
from houqin.standards.importer.parts import Part

MAX_LEVEL = tf.MAX_LEVEL
SPECIAL = {**tf.SPECIAL_CHAPTERS, "术语与定义": tf.TERMS}
_HEADING_LIKE = frozenset({b.FRONT, b.ANNEX, b.HEADING, b.TOC})
_NAME_ENDINGS = re.compile(r"(?:规范|标准|规程|指南|规则|导则|办法|制度|细则|准则)$")


class Builder(Content):
    """Reads the lines once, in order (``run``), with one line of lookahead."""

    def __init__(self, lines: list[Line], *, unit: str, footer: list[str], plain: bool) -> None:
        super().__init__(lines, unit, plain)
        self.reader = CoverReader()
        self.footer = footer
        self.phase = "cover"
        self.toc: list[str] | None = None
        self.in_toc = False
        self.chapter_no = 0
        self.consumed: set[int] = set()

    def run(self) -> tuple[list[Part], Cover]:
        for index, line in enumerate(self.lines):
            if index in self.consumed:
                continue
            self.index = index
            self.dispatch(line)
        self.end_pending()
        for text in self.footer:
            self.reader.feed_footer(text)
        cover, left = self.reader.finish()
        self.strays.extend(Line(b.PARAGRAPH, no, text=text, raw=text) for no, text in left)
        self.flag_lines.extend((0, message) for message in self.reader.flags)
        self.place_strays()
        cover.toc = self.toc
        return self.roots, cover

    def dispatch(self, line: Line) -> None:
        kind = line.kind
        for remark in line.remarks:
            self.add_flag(line.no, f"第{line.no}{self.unit}“{excerpt(line.raw)}”{remark}")
        if kind == b.BLANK:
            if self.plain:
                self.attach = None
            return
        if kind == b.SKIP:
            self.bare_number(line)
            return
        if kind == b.TOC_TITLE:
            self.toc = self.toc if self.toc is not None else []
            self.in_toc = True
            return
        if kind == b.TOC:
            self.toc = self.toc if self.toc is not None else []
            self.toc.append(line.text)
            return
        if self.in_toc and self.toc_entry(line):
            return
        self.in_toc = False
        if self.phase == "cover" and self.cover_line(line):
            return
        self.phase = "body"
        if self.furniture(line):
            return
        self.body(line)

    def cover_line(self, line: Line) -> bool:
        """Read a line of the cover; False when the text begins with it."""
        kind = line.kind
        if self.reader.awaiting and kind != b.TABLE:
            return self.reader.feed(line.raw or line.text, line.no)  # "ICS" / "03.080"
        if kind == b.HEADING and self.name_heading(line):
            return True
        if kind in _HEADING_LIKE or kind in (b.TERM_NUMBER, b.TABLE_TITLE, b.FIGURE_TITLE):
            return False
        if kind == b.DOC_TITLE:
            if not self.reader.cover.title:
                self.reader.cover.title = line.text
            return True

        if kind == b.TABLE:
            for row in line.rows or []:
                for cell in row:
                    if cell and not self.reader.feed(cell, line.no):
                        self.strays.append(Line(b.PARAGRAPH, line.no, text=cell, raw=cell))
            return True
        if kind in (b.COVER, b.PARAGRAPH, b.ENGLISH, b.TERM_LINE) and self.reader.feed(
            line.text, line.no
        ):
            return True
        if kind in (b.DRAWING, b.ANNEX_TYPE):
            return True
        self.strays.append(line)
        return True

    def name_heading(self, line: Line) -> bool:
        """A first-level heading style used for the standard's name on its first page."""
        cover = self.reader.cover
        if cover.title or line.typed or not line.certain or line.level != 1:
            return False
        if not _NAME_ENDINGS.search(line.text) or squeeze(line.text) in SPECIAL:
            return False
        cover.title = line.text
        return True

    def toc_entry(self, line: Line) -> bool:
        """A line of a 目次 typed as text: a line ending in a page number; in pasted text
        also heading-like lines until the first entry comes round again (the text's own
        first heading)."""
        assert self.toc is not None
        text = line.raw or line.text
        if line.kind in (b.TABLE, b.BLANK) or not text:
            return False
        clean = toc_text(text)
        if has_page_number(text):
            self.toc.append(clean)
            return True
        if not self.plain or (self.toc and squeeze(clean) == squeeze(self.toc[0])):
            return False
        if line.kind in (b.FRONT, b.ANNEX, b.HEADING) or (
            line.kind == b.PARAGRAPH and self.toc and title_like(clean, 60)
        ):
            self.toc.append(clean)
            return True
        return False

    def furniture(self, line: Line) -> bool:
        """Running heads and the repeated name of the standard are no text."""
        text = squeeze(line.raw or line.text)
        cover = self.reader.cover
        if cover.number and text == squeeze(cover.number):
            return True
        if line.kind == b.DOC_TITLE:
            if not cover.title:
                cover.title = line.text
            elif squeeze(line.text) != squeeze(cover.title):
                self.flag(line, "是正文首页的标准名称，与封面上的名称不同，已按封面上的名称导入")
            return True
        if self.stack or line.kind not in (b.PARAGRAPH, b.HEADING, b.COVER):
            return False
        if cover.title:
            return text == squeeze(cover.title)  # the name printed above chapter 1
        following = self.next_line()
        if (
            line.kind == b.PARAGRAPH
            and title_like(line.text)
            and following is not None
            and following.kind == b.HEADING
            and following.level == 1
        ):
            cover.title = line.text  # a name above chapter 1, and no cover gave one
            return True
        return False

    def bare_number(self, line: Line) -> None:
        """A line holding only "5": a chapter number when a title follows, else a page
        number (dropped)."""
        index = self.next_index()
        following = None if index is None else self.lines[index]
        if not line.typed.isdigit() or following is None or following.kind != b.PARAGRAPH:
            return
        number = int(line.typed)
        special = squeeze(following.text) in SPECIAL
        if title_like(following.text) and (number == self.chapter_no + 1 or special):
            assert index is not None
            self.consumed.add(index)
            heading = Line(
                b.HEADING, line.no, text=following.text, typed=line.typed, level=1, raw=line.raw
            )
            self.in_toc = False
            self.phase = "body"
            self.body(heading)

    def body(self, line: Line) -> None:
        kind = line.kind
        if self.drawing is not None and self.figure_pending(line):
            return
        if self.open_text is not None and kind != b.PARAGRAPH:
            self.end_open_text()
        if self.table_title is not None and kind != b.TABLE:
            if kind == b.PARAGRAPH and line.text.startswith("单位"):
                self.paragraph(line)  # "单位为毫米" between a table's title and the table
                return
            self.end_table_title()
        if self.annex_open is not None and self.annex_line(line):
            return
        if kind == b.FRONT:
            self.front(line)
        elif kind == b.ANNEX:
            self.annex(line)
        elif kind == b.HEADING:
            self.heading(line)
        elif kind == b.TERM_NUMBER:
            self.term_number(line)
        elif kind in (b.TERM_LINE, b.ENGLISH):
            self.term_piece(line)
        elif kind == b.TABLE_TITLE:
            self.table_title_line(line)
        elif kind == b.TABLE:
            self.table(line)
        elif kind == b.FIGURE_TITLE:
            self.figure(line)
        elif kind == b.DRAWING:
            self.drawing = line
        elif kind == b.LIST:
            self.list_item(line)
        elif kind in (b.NOTE, b.EXAMPLE):
            self.note(line)
        elif kind == b.SOURCE:
            self.source(line)
        elif kind == b.BIB_ENTRY:
            self.bib_entry(line)
        elif kind == b.COVER and self.reader.feed(line.text, line.no):
            return
        elif kind == b.ANNEX_TYPE:
            self.flagged(line, "是附录的类型说明，但前面没有附录标识，已作为段落保留")
        else:
            self.paragraph(line)

    def front(self, line: Line) -> None:
        self.close()
        self.stack = []
        node = Part(line.style)
        self.roots.append(node)
        self.top = node

    def annex(self, line: Line) -> None:
        self.close()
        extra = {"annex_type": line.style}
        if line.typed:
            extra["typed"] = line.typed
        node = Part(tf.ANNEX, title=line.text, extra=extra)
        self.roots.append(node)
        self.top = node
        self.stack = [node]
        self.annex_open = node if not (line.style and line.text) else None

    def annex_line(self, line: Line) -> bool:
        """The type and the title of an annex on the lines after its label."""
        annex = self.annex_open
        assert annex is not None
        if line.kind == b.ANNEX_TYPE and not annex.extra["annex_type"] and not annex.children:
            annex.extra["annex_type"] = line.style
            return True
        if line.kind == b.ANNEX and not line.typed and not annex.title and not annex.children:
            annex.title = line.text  # the title in a style of its own after the label
            annex.extra["annex_type"] = annex.extra["annex_type"] or line.style
            self.annex_open = None
            return True
        if (
            line.kind in (b.PARAGRAPH, b.HEADING, b.DOC_TITLE)
            and not annex.title
            and not annex.children
            and not line.typed
            and title_like(line.text, 60)
        ):
            annex.title = line.text
            self.annex_open = None if annex.extra["annex_type"] else annex
            return True
        self.annex_open = None
        return False

    def heading(self, line: Line) -> None:
        level = line.level
        if level == 1 and line.untitled:
            level = 2
        if level == 1:
            self.chapter(line)
            return
        base = self.stack[0] if self.stack else None
        if base is not None and base.kind == tf.TERMS:
            self.start_term(base, line)
            return
        if base is None:
            self.flagged(line, "是条的编号，但不在任何章或附录中，已作为段落保留")
            return
        if line.typed and not line.certain and not self.fits(line.typed, base):
            self.flagged(
                line, f"以“{line.typed}”开头，但这个编号不属于所在的章或附录，已作为段落保留"
            )
            return
        if not level:
            level = len(self.stack) if len(self.stack) >= 2 else 2
        level = min(level, len(self.stack) + 1, MAX_LEVEL)
        self.close()
        parent = self.stack[level - 2]
        title = "" if line.untitled else line.text
        node = parent.add(Part(tf.CLAUSE, title=title, extra=self.typed(line)))
        self.stack = [*self.stack[: level - 1], node]
        if line.untitled and line.text:
            node.add(Part(tf.PARAGRAPH, text=line.text))

    def term_number(self, line: Line) -> None:
        """A term entry's number ("3.1", or a 术语条 style that Word numbers)."""
        base = self.stack[0] if self.stack else None
        if base is not None and base.kind == tf.TERMS:
            self.start_term(base, line)
        elif line.typed:
            self.heading(
                Line(
                    b.HEADING,
                    line.no,
                    text=line.text,
                    typed=line.typed,
                    level=depth(line.typed),
                    certain=True,
                    untitled=not line.text,
                    raw=line.raw,
                )
            )
        else:
            self.flagged(line, "是术语条目的编号，但不在“术语和定义”一章中，已作为段落保留")

    def fits(self, typed: str, base: Part) -> bool:
        """Whether a clause number typed as text belongs here (else the line is a
        sentence that happens to start with a number)."""
        head = typed.split(".", 1)[0]
        if base.kind == tf.ANNEX:
            return head == base.extra.get("typed", head) or head.isalpha()
        own = base.extra.get("typed", "")
        if head.isalpha():
            return False
        return (
            head == own
            or (not own and int(head) == self.chapter_no)
            or (abs(int(head) - self.chapter_no) <= 1)
        )

    def chapter(self, line: Line) -> None:
        typed = line.typed
        limit = self.chapter_no + 3 if self.chapter_no else 99  # the first may be any
        if typed and not line.certain and not 1 <= int(typed) <= limit:
            if self.container() is None:
                self.strays.append(line)
            else:
                self.flagged(line, f"以“{typed}”开头，但章的编号接不上，已作为段落保留")
            return
        self.close()
        title = line.text
        kind = SPECIAL.get(squeeze(title), tf.CHAPTER)
        node = Part(kind, title=title, extra=self.typed(line))
        self.roots.append(node)
        self.top = node
        self.stack = [node]
        self.chapter_no = int(typed) if typed.isdigit() else self.chapter_no + 1

    @staticmethod
    def typed(line: Line) -> dict[str, str]:
        return {"typed": line.typed} if line.typed else {}

    def place_strays(self) -> None:
        """Text before the first element that is not cover text: into the 前言 (or the
        引言, or the first chapter) at its start, flagged."""
        if not self.strays:
            return
        target = next((n for n in self.roots if n.kind == tf.FOREWORD), None)
        target = target or next((n for n in self.roots if n.kind == tf.INTRODUCTION), None)
        target = target or next((n for n in self.roots if n.kind in tf.CHAPTER_KINDS), None)
        target = target or next(iter(self.roots), None)
        if target is None:
            target = Part(tf.CHAPTER, title="正文", extra={"flag": "文件中没有章标题"})
            self.roots.append(target)
            self.add_flag(
                0, "文件中没有找到章标题（如“1 范围”），全部文字已放入一章“正文”，请补充章条结构"
            )
            reason = "不在任何章中，已放入“正文”一章"
        else:
            where = {tf.FOREWORD: "前言", tf.INTRODUCTION: "引言", tf.ANNEX: "附录"}.get(
                target.kind, "第一章"
            )
            reason = f"位于正文之前，不是封面、前言或引言的内容，已放入{where}开头"
        for index, line in enumerate(self.strays):
            if line.kind == b.TABLE and line.rows:
                node = Part(tf.TABLE, extra={"header": line.rows[0], "rows": line.rows[1:]})
                self.add_flag(line.no, f"第{line.no}{self.unit}的表格{reason}")
            else:
                text = line.raw or line.text
                node = Part(tf.PARAGRAPH, text=text, extra={"flag": reason})
                self.flag(line, reason, text)
            target.add(node, index)
