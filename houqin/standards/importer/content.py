"""Placing content lines: paragraphs, list items (nested by Word list level, indentation
or the kind of mark), notes and examples (a 注 right after a table or figure is its note;
inside a term entry, the entry's), tables with their titles and notes, figures (a picture,
the notes under it, then its caption), term entries, and reference entries."""

from __future__ import annotations

from houqin.standards import textformat as tf
from houqin.standards.importer import base as b
from houqin.standards.importer.base import Line, excerpt
from houqin.standards.importer.classify import list_style
from houqin.standards.importer.parts import (
    Part,
    is_english,
    reference_extra,
    split_term,
    table_notes,
)

_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def mark_kind(line: Line) -> str:
    """Which marks make one list level: "——" and "—" one, "·" another, a) …, 1) …"""
    mark = line.typed
    if not mark:
        return f"style:{line.style}"
    if mark in ("——", "—", "-"):
        return "dash"
    if mark in "·•●▪":
        return "dot"
    if mark[0] in "（(":
        return "paren"
    if mark[0] in _CIRCLED:
        return "circled"
    return list_style(mark)


class Content:
    """The open state of the tree while lines are placed."""

    def __init__(self, lines: list[Line], unit: str, plain: bool) -> None:
        self.lines = lines
        self.plain = plain
        self.index = 0
        self.unit = unit
        self.roots: list[Part] = []
        self.top: Part | None = None  # the element being read (chapter, 前言, annex …)
        self.stack: list[Part] = []  # open headings: stack[0] a chapter or annex, then 条
        self.lists: list[tuple[str, int, Part]] = []  # open list items: mark kind, indent
        self.term: Part | None = None
        self.term_stage = ""
        # the table or figure just placed: in pasted text a 注 right after it is its note
        # (as in the markup); in a Word file only a 表注/图注-styled one is (GB/T 1.1 puts
        # a table's notes inside its frame, a note after it is the clause's)
        self.attach: Part | None = None
        self.open_text: Part | None = None  # a 注/示例 whose text is on the next line
        self.annex_open: Part | None = None  # an annex whose type or title may follow
        self.drawing: Line | None = None  # a picture waiting for its caption
        self.held: list[Line] = []  # notes between a picture and its caption
        self.table_title: Line | None = None
        self.last_table: Part | None = None
        self.strays: list[Line] = []
        self.flag_lines: list[tuple[int, str]] = []  # (source number, message)

    def next_index(self, start: int | None = None) -> int | None:
        """The index of the first non-blank line after ``start`` (the current line)."""
        begin = self.index if start is None else start
        for index in range(begin + 1, len(self.lines)):
            if self.lines[index].kind != b.BLANK:
                return index
        return None

    def next_line(self, start: int | None = None) -> Line | None:
        index = self.next_index(start)
        return None if index is None else self.lines[index]

    @property
    def flags(self) -> list[str]:
        """The flag lines in the order of the source."""
        return [message for _no, message in sorted(self.flag_lines, key=lambda f: f[0])]

    def add_flag(self, no: int, message: str) -> None:
        self.flag_lines.append((no, message))

    def end_pending(self) -> None:
        """The end of the text: a picture without caption, a table title without table."""
        self.untitled_figure()
        if self.table_title is not None:
            self.end_table_title()
        self.end_open_text()

    def container(self) -> Part | None:
        return self.stack[-1] if self.stack else self.top

    def close(self) -> None:
        """A heading or element begins: open lists, terms and attachments end."""
        self.lists = []
        self.term = None
        self.attach = None
        self.end_open_text()

    def flag(self, line: Line, reason: str, text: str = "") -> None:
        shown = excerpt(text or line.raw or line.text)
        self.add_flag(line.no, f"第{line.no}{self.unit}“{shown}”{reason}")

    def flagged(self, line: Line, reason: str) -> None:
        """Keep a line that cannot be placed as a paragraph, flagged."""
        text = line.raw or line.text
        container = self.container()
        if container is None:
            self.strays.append(line)
            return
        self.lists = []
        self.attach = None
        container.add(Part(tf.PARAGRAPH, text=text, extra={"flag": reason}))
        self.flag(line, reason, text)

    def end_open_text(self) -> None:
        node = self.open_text
        self.open_text = None
        if node is not None and not node.text and node.parent is not None:
            node.parent.children.remove(node)
            name = "注" if node.kind == tf.NOTE else "示例"
            no = int(node.extra.pop("no", 0))
            self.add_flag(no, f"第{no}{self.unit}的“{name}”后面没有文字，已略去这个空的{name}")

    def paragraph(self, line: Line) -> None:
        if self.open_text is not None:
            self.open_text.text = line.text
            self.open_text.extra.pop("no", None)
            self.open_text = None
            return
        self.lists = []
        self.attach = None
        if self.term is not None:
            self.term_piece(line)
            return
        container = self.container()
        if container is None:
            self.strays.append(line)
            return
        if container.kind in (tf.REFERENCES, tf.BIBLIOGRAPHY):
            extra = self.reference(line.text)
            if extra is not None:
                container.add(Part(tf.REFERENCE, extra=extra))
                return
        container.add(Part(tf.PARAGRAPH, text=line.text))

    @staticmethod
    def reference(text: str) -> dict[str, str] | None:
        """A line of 规范性引用文件 or 参考文献 that is an entry (a standard's code and title,
        or a document's title), not a sentence."""
        extra = reference_extra(text)
        if extra is not None:
            return extra
        sentence = text.endswith(("。", "：", ":", "；")) or len(text) > 120
        if sentence or text.startswith("下列") or "没有规范性引用文件" in text:
            return None
        return {"code": "", "year": "", "title": text}

    def bib_entry(self, line: Line) -> None:
        container = self.container()
        if container is not None and container.kind in (tf.REFERENCES, tf.BIBLIOGRAPHY):
            self.end_open_text()
            self.lists = []
            extra = reference_extra(line.text) or {"code": "", "year": "", "title": line.text}
            container.add(Part(tf.REFERENCE, extra=extra))
            return
        self.paragraph(Line(b.PARAGRAPH, line.no, text=line.raw or line.text, raw=line.raw))

    def list_item(self, line: Line) -> None:
        self.end_open_text()
        if not line.text:
            self.flagged(line, "是列项符号，但后面没有文字，已作为段落保留")
            return
        if self.term is not None:
            self.term = None
            self.flagged(line, "是列项，不能放在术语条目中，已作为段落放在术语条目之后")
            return
        self.attach = None
        container = self.container()
        if container is None:
            self.strays.append(line)
            return
        mark = mark_kind(line)
        level = self.list_level(line, mark)
        parent = self.lists[level - 1][2] if level else container
        extra = {"style": line.style}
        if line.typed:
            extra["typed"] = line.typed
        node = parent.add(Part(tf.LIST_ITEM, text=line.text, extra=extra))
        self.lists = [*self.lists[:level], (mark, line.indent, node)]

    def list_level(self, line: Line, mark: str) -> int:
        lists = self.lists
        if line.level >= 0:
            return min(line.level, len(lists))
        if lists and line.indent >= 0:
            deepest = lists[-1][1]
            if line.indent > deepest:
                return len(lists)
            if line.indent < deepest:
                return next(i for i, entry in enumerate(lists) if entry[1] >= line.indent)
        for index in range(len(lists) - 1, -1, -1):
            if lists[index][0] == mark:
                return index
        return len(lists)

    def note(self, line: Line) -> None:
        self.end_open_text()
        kind = tf.NOTE if line.kind == b.NOTE else tf.EXAMPLE
        extra = {"typed": line.typed} if line.typed else {}
        node = Part(kind, text=line.text, extra=extra)
        self.lists = []
        if (
            kind == tf.NOTE
            and self.attach is not None
            and (self.plain or line.style == self.attach.kind)
        ):
            self.attach.add(node)
        elif self.term is not None:
            self.term.add(node)
            self.term_stage = "after"
        else:
            self.attach = None
            container = self.container()
            if container is None:
                self.strays.append(line)
                return
            container.add(node)
        if not line.text:
            node.extra["no"] = line.no  # for the flag when no text comes; removed either way
            self.open_text = node

    def start_term(self, chapter: Part, line: Line) -> None:
        self.close()
        self.stack = [chapter]
        extra = {"term": "", "english": "", "definition": "", "source": ""}
        if line.typed:
            extra["typed"] = line.typed
        self.term = chapter.add(Part(tf.TERM, extra=extra))
        self.term_stage = "term"
        if line.text:
            self.term_piece(Line(b.TERM_LINE, line.no, text=line.text, raw=line.raw))

    def term_piece(self, line: Line) -> None:
        """The term, its English equivalent and its definition, on the lines after the
        entry's number."""
        term, stage, text = self.term, self.term_stage, line.text
        chapter = self.stack[0] if self.stack else None
        if term is None or (line.kind == b.TERM_LINE and stage != "term"):
            if chapter is not None and chapter.kind == tf.TERMS and line.kind == b.TERM_LINE:
                self.start_term(chapter, Line(b.TERM_NUMBER, line.no, text=text, raw=line.raw))
            else:
                self.term = None
                self.paragraph(Line(b.PARAGRAPH, line.no, text=text, raw=line.raw))
            return
        extra = term.extra
        if line.kind == b.ENGLISH:
            extra["english"] = text
            self.term_stage = "definition" if stage in ("term", "english") else stage
        elif stage == "term":
            extra["term"], extra["english"] = split_term(text)
            self.term_stage = "definition" if extra["english"] else "english"
        elif stage == "english" and is_english(text):
            extra["english"] = text
            self.term_stage = "definition"
        elif stage in ("english", "definition"):
            extra["definition"] = text
            self.term_stage = "after"
        else:
            self.term = None
            self.flagged(line, "在术语条目的定义之后，无法归入术语条目，已作为段落保留")

    def source(self, line: Line) -> None:
        if self.term is not None:
            self.term.extra["source"] = line.text
            self.term_stage = "after"
            return
        self.flagged(line, "是术语的来源，但不在术语条目之后，已作为段落保留")

    def table_title_line(self, line: Line) -> None:
        index = self.next_index()
        following = None if index is None else self.lines[index]
        if following is not None and following.kind == b.PARAGRAPH:
            unit = following.text.startswith("单位")  # "单位为毫米" may stand in between
            following = self.next_line(index) if unit else None
        if following is not None and following.kind == b.TABLE:
            self.table_title = line
            return
        self.end_table_title(line)

    def end_table_title(self, line: Line | None = None) -> None:
        line = line or self.table_title
        self.table_title = None
        if line is None:
            return
        if line.certain or line.typed:
            self.flagged(line, "像是表题，但后面没有表格，已作为段落保留")
        else:
            self.paragraph(Line(b.PARAGRAPH, line.no, text=line.raw or line.text, raw=line.raw))

    def table(self, line: Line) -> None:
        self.end_open_text()
        width = max((len(row) for row in line.rows or []), default=0)
        rows = [row + [""] * (width - len(row)) for row in line.rows or []]
        title_line, self.table_title = self.table_title, None
        if not rows:
            return
        previous = self.last_table
        if title_line is not None and title_line.style == "continued" and previous is not None:
            if rows[0] == previous.extra["header"] and len(rows) > 1:
                rows = rows[1:]
            notes = table_notes(rows) if len(rows) > 1 else []
            previous.extra["rows"].extend(r for r in rows if r != previous.extra["header"])
            for text in notes:
                previous.add(Part(tf.NOTE, text=text))
            self.attach = previous
            return
        notes = table_notes(rows)
        extra: dict[str, object] = {"header": rows[0], "rows": rows[1:]}
        if title_line is not None and title_line.typed:
            extra["typed"] = title_line.typed
        node = Part(tf.TABLE, title=title_line.text if title_line else "", extra=extra)
        for text in notes:
            node.add(Part(tf.NOTE, text=text))
        self.lists = []
        if self.term is not None:
            self.term = None
            self.flag(line, "是表格，不能放在术语条目中，已放在术语条目之后", "表格")
        container = self.container()
        if container is None:
            self.strays.append(line)
            return
        container.add(node)
        self.attach = self.last_table = node

    def figure_pending(self, line: Line) -> bool:
        """Lines after a picture: notes wait for the caption; anything else means the
        picture has none."""
        if line.kind == b.NOTE:
            self.held.append(line)
            return True
        if line.kind != b.FIGURE_TITLE:
            self.untitled_figure()
        return False

    def untitled_figure(self) -> None:
        drawing, self.drawing = self.drawing, None
        if drawing is None:
            return
        self.figure(Line(b.FIGURE_TITLE, drawing.no))
        self.add_flag(drawing.no, f"第{drawing.no}{self.unit}的图片没有图题，已作为无题的图导入")

    def figure(self, line: Line) -> None:
        self.end_open_text()
        self.drawing = None
        extra = {"typed": line.typed} if line.typed else {}
        node = Part(tf.FIGURE, title=line.text, extra=extra)
        for held in self.held:
            node.add(
                Part(tf.NOTE, text=held.text, extra={"typed": held.typed} if held.typed else {})
            )
        self.held = []
        self.lists = []
        if self.term is not None:
            self.term = None
        container = self.container()
        if container is None:
            self.strays.append(line)
            return
        container.add(node)
        self.attach = node
