"""Reading the markup into a ``Document`` (see the package docstring for the lines)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from houqin.standards.textformat.nodes import (
    _CHOICES,
    _DATE_FIELDS,
    _LIST_FIELDS,
    ANNEX,
    ANNEX_TYPES,
    BIBLIOGRAPHY,
    CHAPTER,
    CHAPTER_KINDS,
    CLAUSE,
    EXAMPLE,
    FIGURE,
    FOREWORD,
    HEADER_KEYS,
    INTRODUCTION,
    LIST_ITEM,
    MAX_LEVEL,
    NOTE,
    PARAGRAPH,
    REFERENCE,
    REFERENCES,
    SPECIAL_CHAPTERS,
    TABLE,
    TERM,
    TERMS,
    Document,
    Header,
    MarkupError,
    Node,
)

_HEADER_LINE = re.compile(r"(?P<key>[^:：\s]+)\s*[:：]\s*(?P<value>.*)")
_HEADING = re.compile(r"(?P<marks>#+)(?P<title>.*)")
_ELEMENT = re.compile(r"@\s*(?P<name>前言|引言|参考文献|附录)(?P<rest>.*)")
_ANNEX_REST = re.compile(r"\s*[（(]?(?P<type>规范性|资料性)[)）]?\s*(?P<title>.*)")
_ITEM = re.compile(
    r"(?:(?P<dash>——|[-·•](?=\s))\s*)?"
    r"(?:(?P<label>[a-z]{1,3}|\d{1,3})[)）]\s*)?"
    r"(?P<text>.*)"
)
_LABEL_START = re.compile(r"(?:[a-z]{1,3}|\d{1,3})[)）]")
_NOTE = re.compile(r"注\s*\d*\s*[:：]\s*(?P<text>.*)")
_EXAMPLE = re.compile(r"示例\s*\d*\s*[:：]\s*(?P<text>.*)")
_TABLE_TITLE = re.compile(r"表\s*(?:[A-Z]\.)?\d*\s*[:：]\s*(?P<title>.*)")
_FIGURE = re.compile(r"图\s*(?:[A-Z]\.)?\d*\s*[:：]\s*(?P<rest>.*)")
_SEPARATORS = "|｜"
_MD_RULE = re.compile(r":?-{3,}:?")
_CODE = (
    r"[A-Z][A-Z0-9]*(?:/[A-Z0-9]+)*\s+[A-Z]?\d+(?:\.\d+)*(?:-\d{1,3}(?!\d))*"
    r"(?:（所有部分）|\(所有部分\))?"
)
_REFERENCE = re.compile(
    rf"(?P<code>{_CODE})(?:\s*(?:[—–－-]|:)\s*(?P<year>\d{{4}}))?"
    r"(?:(?:\s+|(?=[^\x00-\x7f]))(?P<title>.*))?"
)
_LIST_SPLIT = re.compile(r"[,，、;；]")
_SOURCE_LABEL = re.compile(r"^来源\s*[:：]\s*")


def _is_rule_row(cells: list[str]) -> bool:
    return all(_MD_RULE.fullmatch(cell) for cell in cells)


def _split_fields(text: str, *, closing: bool = True) -> list[str]:
    """Split on unescaped | or ｜ ("\\x" is a literal x); with ``closing``, a separator that
    ends the text closes the last field instead of opening an empty one. Fields are
    stripped."""
    parts: list[str] = []
    current: list[str] = []
    trailing = False
    chars = iter(text.rstrip())
    for char in chars:
        trailing = False
        if char == "\\":
            current.append(next(chars, "\\"))
        elif char in _SEPARATORS:
            parts.append("".join(current))
            current = []
            trailing = True
        else:
            current.append(char)
    if not (closing and trailing and parts):
        parts.append("".join(current))
    return [part.strip() for part in parts]


def _reference_extra(text: str) -> dict[str, str]:
    """code, year and title of a reference line's text (after ">")."""
    match = _REFERENCE.fullmatch(text)
    if not match:
        return {"code": "", "year": "", "title": text}
    return {
        "code": re.sub(r"\s+", " ", match["code"]),
        "year": match["year"] or "",
        "title": (match["title"] or "").strip(),
    }


def _escape_field(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("｜", "\\｜")


def _classify(line: str) -> str:
    """The kind of an unindented, non-blank line (what the parser would make of it)."""
    if line.startswith("\\"):
        return "escaped"
    if line.startswith("@"):
        return "element"
    if line.startswith("#"):
        return "heading"
    match = _ITEM.fullmatch(line)
    if match and (match["dash"] or match["label"]):
        return LIST_ITEM
    if _NOTE.fullmatch(line):
        return NOTE
    if _EXAMPLE.fullmatch(line):
        return EXAMPLE
    if _TABLE_TITLE.fullmatch(line):
        return "table_title"
    if line[0] in _SEPARATORS:
        return "row"
    if _FIGURE.fullmatch(line):
        return FIGURE
    if line.startswith(">"):
        return REFERENCE
    if line.startswith("="):
        return TERM
    return PARAGRAPH


class _Draft:
    """A node under construction (nodes are frozen)."""

    __slots__ = ("children", "extra", "kind", "text", "title")

    def __init__(
        self, kind: str, title: str = "", text: str = "", extra: dict | None = None
    ) -> None:
        self.kind, self.title, self.text = kind, title, text
        self.extra: dict[str, Any] = extra or {}
        self.children: list[_Draft] = []

    def freeze(self) -> Node:
        return Node(
            self.kind, self.title, self.text, self.extra, tuple(c.freeze() for c in self.children)
        )


class _Parser:
    def __init__(self, text: str) -> None:
        text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
        self.lines = text.split("\n")
        self.header: dict[str, Any] = {}
        self.in_header = True
        self.roots: list[_Draft] = []
        self.stack: list[_Draft] = []  # open headings: stack[i] has heading level i + 1
        self.items: list[tuple[int, _Draft]] = []  # open list items with their indentation
        self.term: _Draft | None = None  # the term whose 注/示例 lines may follow
        self.table: _Draft | None = None  # the table whose rows are being read
        self.table_line = 0
        self.attach: _Draft | None = None  # table or figure a 注 line right after belongs to
        self.no = 0

    def error(self, message: str) -> MarkupError:
        return MarkupError(self.no, message)

    def run(self) -> Document:
        for no, raw in enumerate(self.lines, start=1):
            self.no = no
            self.line(raw.rstrip())
        self.no = len(self.lines)
        self.end_table()
        return Document(Header(**self.header), tuple(d.freeze() for d in self.roots))

    def line(self, line: str) -> None:
        if not line.strip():
            self.end_table()
            self.attach = None
            return
        body = line.lstrip()
        indent = len(line[: len(line) - len(body)].expandtabs(4))
        kind = _classify(body)
        if self.table is not None and kind != "row":
            self.end_table()
        if self.in_header:
            if kind in ("element", "heading"):
                self.in_header = False
            else:
                self.header_line(body, indent)
                return
        if kind != NOTE:
            self.attach = None
        if kind != LIST_ITEM:
            self.items = []
        if indent and kind != LIST_ITEM:
            raise self.error("只有列项可以缩进；段落、注、示例、表格等须顶格书写。")
        handler = getattr(self, f"on_{kind}")
        handler(body, indent)

    def container(self) -> _Draft:
        return self.stack[-1]

    def content_target(self, what: str) -> _Draft:
        if self.term is not None:
            raise self.error(f"术语条目之后只能跟注或示例，不能跟{what}；请另起一章或一条。")
        return self.container()

    def header_line(self, body: str, indent: int) -> None:
        match = _HEADER_LINE.fullmatch(body)
        if indent or not match:
            raise self.error(
                "正文须写在要素标题（如“@前言”“# 范围”）之下；"
                "标题之前只能写“键: 值”形式的文件信息。"
            )
        key, value = match["key"], match["value"].strip()
        name = HEADER_KEYS.get(key)
        if name is None:
            raise self.error(f"未知的文件信息“{key}”；可用：{'、'.join(HEADER_KEYS)}。")
        if name in self.header:
            raise self.error(f"文件信息“{key}”重复。")
        self.header[name] = self.header_value(key, name, value)

    def header_value(self, key: str, name: str, value: str) -> Any:
        if name in _DATE_FIELDS:
            if not value:
                return None
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
                raise self.error(f"{key}应写成“2026-03-01”的形式。")
            try:
                return date.fromisoformat(value)
            except ValueError:
                raise self.error(f"{key}“{value}”不是有效日期。") from None
        if name in _LIST_FIELDS:
            items = [item.strip() for item in _LIST_SPLIT.split(value) if item.strip()]
            if name in _CHOICES:
                items = [self.choice(key, name, item) for item in items]
            if len(set(items)) != len(items):
                raise self.error(f"{key}中有重复的项。")
            return tuple(items)
        if name in _CHOICES and value:
            return self.choice(key, name, value)
        return value

    def choice(self, key: str, name: str, value: str) -> str:
        for code, labels in _CHOICES[name].items():
            if value == code or value in labels:
                return code
        allowed = "、".join(f"{code}（{labels[0]}）" for code, labels in _CHOICES[name].items())
        raise self.error(f"{key}“{value}”无效；可用：{allowed}。")

    def open_top(self, draft: _Draft) -> None:
        self.stack = [draft]
        self.roots.append(draft)
        self.term = None

    def on_element(self, body: str, indent: int) -> None:
        match = _ELEMENT.fullmatch(body)
        if not match:
            raise self.error("未知的要素标记；可用：@前言、@引言、@附录 规范性 标题、@参考文献。")
        name, rest = match["name"], match["rest"].strip()
        if name == "附录":
            annex = _ANNEX_REST.fullmatch(rest)
            if not annex:
                raise self.error("附录应标明“规范性”或“资料性”，如“@附录 资料性 留样记录表”。")
            title = annex["title"].strip()
            if not title:
                raise self.error("附录须有标题。")
            extra = {"annex_type": ANNEX_TYPES[annex["type"]]}
            self.open_top(_Draft(ANNEX, title=title, extra=extra))
            return
        if rest:
            raise self.error(f"“@{name}”之后不能有文字；正文另起一行。")
        kind = {"前言": FOREWORD, "引言": INTRODUCTION, "参考文献": BIBLIOGRAPHY}[name]
        self.open_top(_Draft(kind))

    def on_heading(self, body: str, indent: int) -> None:
        match = _HEADING.fullmatch(body)
        assert match is not None
        level, title = len(match["marks"]), match["title"].strip()
        if level == 1:
            if not title:
                raise self.error("章须有标题，如“# 范围”。")
            self.open_top(_Draft(SPECIAL_CHAPTERS.get(title, CHAPTER), title=title))
            return
        if level > MAX_LEVEL:
            raise self.error(f"条最多分到第五层（{'#' * MAX_LEVEL}），不能再往下分。")
        if not self.stack:
            raise self.error("条须写在章或附录之下。")
        if len(self.stack) < level - 1:
            expected = "#" * (len(self.stack) + 1)
            raise self.error(f"标题层级跳跃：这里最多用“{expected}”。")
        parent = self.stack[level - 2]
        if parent.kind not in (CHAPTER_KINDS | {ANNEX, CLAUSE}):
            raise self.error("前言、引言和参考文献不分条。")
        clause = _Draft(CLAUSE, title=title)
        parent.children.append(clause)
        self.stack = [*self.stack[: level - 1], clause]
        self.term = None

    def on_escaped(self, body: str, indent: int) -> None:
        self.on_paragraph(body[1:], indent)

    def on_paragraph(self, body: str, indent: int) -> None:
        if not body.strip():
            raise self.error("反斜杠之后没有文字。")
        self.content_target("段落").children.append(_Draft(PARAGRAPH, text=body.strip()))

    def on_list_item(self, body: str, indent: int) -> None:
        match = _ITEM.fullmatch(body)
        assert match is not None
        label = match["label"]
        style = "dash" if not label else ("numeric" if label.isdigit() else "alpha")
        text = match["text"].strip()
        if text.startswith("\\"):
            text = text[1:].strip()
        if not text:
            raise self.error("列项没有内容。")
        item = _Draft(LIST_ITEM, text=text, extra={"style": style})
        popped = False
        while self.items and self.items[-1][0] > indent:
            self.items.pop()
            popped = True
        if not self.items:
            if indent:
                raise self.error("第一级列项须顶格书写；缩进只用于下一级列项。")
            self.content_target("列项").children.append(item)
        elif self.items[-1][0] == indent:
            self.items.pop()
            parent = self.items[-1][1] if self.items else self.content_target("列项")
            parent.children.append(item)
        elif popped:
            raise self.error("列项的缩进与前面同级列项不一致。")
        else:
            self.items[-1][1].children.append(item)
        self.items.append((indent, item))

    def on_note(self, body: str, indent: int) -> None:
        match = _NOTE.fullmatch(body)
        assert match is not None
        if not match["text"].strip():
            raise self.error("注没有内容。")
        target = self.attach or self.term or self.container()
        target.children.append(_Draft(NOTE, text=match["text"].strip()))

    def on_example(self, body: str, indent: int) -> None:
        match = _EXAMPLE.fullmatch(body)
        assert match is not None
        if not match["text"].strip():
            raise self.error("示例没有内容；示例写在“示例：”之后的同一行。")
        target = self.term or self.container()
        target.children.append(_Draft(EXAMPLE, text=match["text"].strip()))

    def on_table_title(self, body: str, indent: int) -> None:
        match = _TABLE_TITLE.fullmatch(body)
        assert match is not None
        table = _Draft(TABLE, title=match["title"].strip(), extra={"header": [], "rows": []})
        self.content_target("表").children.append(table)
        self.table, self.table_line = table, self.no

    def on_row(self, body: str, indent: int) -> None:
        cells = _split_fields(body[1:])
        if self.table is None:
            table = _Draft(TABLE, extra={"header": [], "rows": []})
            self.content_target("表").children.append(table)
            self.table, self.table_line = table, self.no
        extra = self.table.extra
        if not extra["header"]:
            extra["header"] = cells
            return
        if not extra["rows"] and _is_rule_row(cells):
            raise self.error("表格不需要“|---|”分隔行：第一行就是表头，请删除这一行。")
        if len(cells) != len(extra["header"]):
            raise self.error(f"这一行有{len(cells)}格，表头有{len(extra['header'])}格。")
        extra["rows"].append(cells)

    def end_table(self) -> None:
        if self.table is None:
            return
        table, self.table = self.table, None
        if not table.extra["header"]:
            self.no = self.table_line
            raise self.error("表题之后须紧跟表格行（以“|”开头，第一行为表头）。")
        self.attach = table

    def on_figure(self, body: str, indent: int) -> None:
        match = _FIGURE.fullmatch(body)
        assert match is not None
        parts = _split_fields(match["rest"], closing=False)
        if len(parts) > 2:
            raise self.error("图的写法是“图：图题”或“图：图题 | 文件名”。")
        extra = {"src": parts[1]} if len(parts) == 2 else {}
        if len(parts) == 2 and not parts[1]:
            raise self.error("“|”之后没有文件名。")
        figure = _Draft(FIGURE, title=parts[0], extra=extra)
        self.content_target("图").children.append(figure)
        self.attach = figure

    def on_reference(self, body: str, indent: int) -> None:
        container = self.container()
        if container.kind not in (REFERENCES, BIBLIOGRAPHY):
            raise self.error("“>”引用文件行只能写在“# 规范性引用文件”或“@参考文献”中。")
        text = body[1:].strip()
        if not text:
            raise self.error("“>”之后没有引用文件。")
        extra = _reference_extra(text)
        container.children.append(_Draft(REFERENCE, extra=extra))

    def on_term(self, body: str, indent: int) -> None:
        container = self.container()
        if container.kind != TERMS:
            raise self.error("“=”术语行只能直接写在“# 术语和定义”一章中。")
        parts = _split_fields(body[1:])
        if len(parts) not in (3, 4):
            raise self.error("术语行的写法是“= 术语 | 英文对应词 | 定义”，可再加“| 来源”。")
        term, english, definition = parts[:3]
        source = parts[3] if len(parts) == 4 else ""
        source = _SOURCE_LABEL.sub("", source, count=1)
        if not term or not definition:
            raise self.error("术语和定义都不能为空。")
        extra = {"term": term, "english": english, "definition": definition, "source": source}
        draft = _Draft(TERM, extra=extra)
        container.children.append(draft)
        self.term = draft


def parse(text: str) -> Document:
    """Read markup; raise ``MarkupError`` at the first line that cannot be placed."""
    return _Parser(text).run()
