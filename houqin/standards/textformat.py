"""The plain-text markup a standard's text is typed in, its parser and its writer.

``parse(text)`` turns the markup into a ``Document``: a ``Header`` (the metadata block) and a
tuple of ``Node`` trees; ``write(header, nodes)`` turns them back into markup that parses to
the same ``Document``. Numbers are never written: chapters, clauses, terms, annexes, list
labels, notes, tables and figures are numbered by position when the tree is stored
(``clauses.numbering``), so the markup gives structure by heading level and line kind only.
A line the parser cannot place raises ``MarkupError(line_no, message)``; no text is dropped.

A short document::

    编号: JGSW/TG 001—2026
    名称: 机关食堂餐饮服务规范
    层级: internal
    服务条线: canteen
    状态: in_force

    @前言
    本文件按照GB/T 1.1—2020《……》的规定起草。

    # 规范性引用文件
    下列文件中的内容通过文中的规范性引用而构成本文件必不可少的条款。……
    > GB 31654 食品安全国家标准 餐饮服务通用卫生规范

    # 术语和定义
    下列术语和定义适用于本文件。
    = 留样 | food sample retention | 按餐次、品种留存成品食品样品……的做法。

    # 进货查验
    ## 验收
    验收内容应包括下列项目：
    a) 供货凭证与实物一致；
      1) 名称、规格一致；
      2) 数量一致；
    b) 冷藏食材的到货温度不高于8 ℃。
    注：说明文字。
    ## 索证索票
    ###
    第一个无标题条。
    ###
    第二个无标题条。

    @附录 资料性 留样记录表
    表：留样记录表
    | 日期 | 餐次 | 留样量/g |
    | 4月1日 | 午餐 | 150 |

The lines (one line is one element; blank lines only separate, except after a table or a
figure; leading spaces are allowed on list items only):

- Header: ``key: value`` lines (``:`` or ``：``) before the first heading, keys from
  ``HEADER_KEYS`` (编号 名称 英文名称 层级 体系节点 服务条线 适用岗位 归口科室 起草单位 起草人
  发布日期 实施日期 状态), each optional and at most once. 层级, 状态 and 服务条线 take codes or
  their Chinese labels; lists split on , ， 、 ; and dates are YYYY-MM-DD.
- ``@前言``, ``@引言``, ``@参考文献``; ``@附录 规范性 标题`` / ``@附录 资料性 标题`` (also
  ``@附录（资料性）标题``).
- ``# 标题``: a chapter; the titles 范围, 规范性引用文件 and 术语和定义 make the kinds scope,
  references and terms. ``## 标题`` is a titled clause (5.1), ``##`` alone an untitled one;
  ``###`` … ``######`` go down to the fifth 条 level (5.1.1.1.1.1). A level may not be skipped;
  前言, 引言 and 参考文献 have no clauses.
- ``a) 文字`` / ``1) 文字`` / ``—— 文字`` / ``- 文字`` (also ``- a) 文字``, ``a）``): a list
  item of style alpha / numeric / dash; the letter or number is a style mark only. An item
  indented deeper than the one above is its child.
- ``注：`` / ``注1：`` and ``示例：`` / ``示例2：``: a note / an example (label and number are
  dropped). A 注 line right after a table's last row or a figure line (no blank line between)
  belongs to the table or figure; after a term line, 注 and 示例 lines belong to the term.
- ``表：标题`` then at once ``| a | b |`` rows, the first row being the header (``表：`` may
  be left out for an untitled table; a blank line ends the table). ``图：图题`` or
  ``图：图题 | 文件名``: a figure.
- ``> 代号 编号[—年号] 名称``: a reference, only in 规范性引用文件 or 参考文献; a line that
  starts with no standard code is a document title (``> 中华人民共和国消防法``).
- ``= 术语 | English | 定义[ | 来源]``: a term entry, only directly in 术语和定义 (a leading
  "来源：" of the source is dropped); after a term only terms or headings may follow.
- ``|`` and ``｜`` separate fields; ``\\|`` is a literal bar and ``\\\\`` a backslash. A line
  starting with ``\\`` is a plain paragraph of the rest (so is a list text after its label).
- Any other line is a paragraph.

``Node.kind`` is one of ``KINDS``; ``extra`` holds a kind's own fields: list_item
{"style": "dash"|"alpha"|"numeric"}, annex {"annex_type": "normative"|"informative"}, table
{"header": [...], "rows": [[...], ...]}, figure {"src": ...} when a file is named, term
{"term", "english", "definition", "source"}, reference {"code", "year", "title"}.
Foreword, introduction and bibliography have an empty title (the kind names them)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, fields
from datetime import date
from typing import Any, NamedTuple

FOREWORD = "foreword"
INTRODUCTION = "introduction"
SCOPE = "scope"
REFERENCES = "references"
TERMS = "terms"
CHAPTER = "chapter"
CLAUSE = "clause"
PARAGRAPH = "paragraph"
LIST_ITEM = "list_item"
NOTE = "note"
EXAMPLE = "example"
TABLE = "table"
FIGURE = "figure"
ANNEX = "annex"
BIBLIOGRAPHY = "bibliography"
TERM = "term"
REFERENCE = "reference"

CHAPTER_KINDS = frozenset({SCOPE, REFERENCES, TERMS, CHAPTER})
TOP_KINDS = CHAPTER_KINDS | {FOREWORD, INTRODUCTION, ANNEX, BIBLIOGRAPHY}
CONTENT_KINDS = frozenset({PARAGRAPH, LIST_ITEM, NOTE, EXAMPLE, TABLE, FIGURE})
KINDS = TOP_KINDS | CONTENT_KINDS | {CLAUSE, TERM, REFERENCE}
SPECIAL_CHAPTERS = {"范围": SCOPE, "规范性引用文件": REFERENCES, "术语和定义": TERMS}
ELEMENT_NAMES = {FOREWORD: "前言", INTRODUCTION: "引言", BIBLIOGRAPHY: "参考文献"}
ANNEX_TYPES = {"规范性": "normative", "资料性": "informative"}
LIST_STYLES = ("dash", "alpha", "numeric")
MAX_LEVEL = 6  # heading level: a chapter is 1, its 条 2 … the fifth 条 level is 6

LEVELS = {
    "national": ("国家", "国家标准"),
    "industry": ("行业", "行业标准"),
    "local": ("地方", "地方标准"),
    "group": ("团体", "团体标准"),
    "internal": ("内部", "内部标准", "企业", "企业标准"),
}
STATUSES = {
    "proposed": ("立项",),
    "drafting": ("起草",),
    "consultation": ("征求意见",),
    "review": ("审查",),
    "published": ("已发布", "批准发布"),
    "in_force": ("实施", "现行"),
    "under_review": ("复审",),
    "revising": ("修订",),
    "withdrawn": ("废止",),
}
SERVICE_LINES = {
    "vehicles": ("公务用车",),
    "canteen": ("机关食堂", "食堂"),
    "meetings": ("会议服务", "会务"),
    "reception": ("公务接待", "接待"),
    "property": ("物业保洁", "物业"),
    "security": ("安全保卫", "安保"),
    "maintenance": ("设施设备维护", "维修"),
    "general": ("综合管理", "通用"),
}


class MarkupError(ValueError):
    """A line of markup that cannot be read; ``message`` is for the author (Chinese)."""

    def __init__(self, line_no: int, message: str) -> None:
        super().__init__(f"第{line_no}行：{message}")
        self.line_no = line_no
        self.message = message


@dataclass(frozen=True)
class Node:
    """One element of a standard's text; ``children`` in document order."""

    kind: str
    title: str = ""
    text: str = ""
    extra: dict[str, Any] = field(default_factory=dict, hash=False)
    children: tuple[Node, ...] = ()

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown node kind {self.kind!r}")


@dataclass(frozen=True)
class Header:
    """The metadata block: one attribute per header key (``HEADER_KEYS``)."""

    number: str = ""
    title: str = ""
    english_title: str = ""
    level: str = ""
    node: str = ""
    service_lines: tuple[str, ...] = ()
    posts: tuple[str, ...] = ()
    owner_department: str = ""
    drafting_units: tuple[str, ...] = ()
    drafters: tuple[str, ...] = ()
    published_on: date | None = None
    effective_on: date | None = None
    status: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


HEADER_KEYS = {
    "编号": "number",
    "名称": "title",
    "英文名称": "english_title",
    "层级": "level",
    "体系节点": "node",
    "服务条线": "service_lines",
    "适用岗位": "posts",
    "归口科室": "owner_department",
    "起草单位": "drafting_units",
    "起草人": "drafters",
    "发布日期": "published_on",
    "实施日期": "effective_on",
    "状态": "status",
}
_LIST_FIELDS = frozenset({"service_lines", "posts", "drafting_units", "drafters"})
_DATE_FIELDS = frozenset({"published_on", "effective_on"})
_CHOICES = {"level": LEVELS, "status": STATUSES, "service_lines": SERVICE_LINES}


class Document(NamedTuple):
    header: Header
    nodes: tuple[Node, ...]


def walk(
    nodes: Iterable[Node], parents: tuple[Node, ...] = ()
) -> Iterator[tuple[Node, tuple[Node, ...]]]:
    """Every node in document order with the tuple of its ancestors."""
    for node in nodes:
        yield node, parents
        yield from walk(node.children, (*parents, node))


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


def _one_line(value: Any, what: str, *, required: bool = False) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{what}: expected a string, got {value!r}")
    if value != value.strip() or "\n" in value or "\r" in value:
        raise ValueError(f"{what}: {value!r} must be one line without surrounding spaces")
    if required and not value:
        raise ValueError(f"{what}: must not be empty")
    return value


def _check_fields(node: Node, *, title: bool = False, text: bool = False) -> None:
    if node.title and not title:
        raise ValueError(f"{node.kind}: a title cannot be written")
    if node.text and not text:
        raise ValueError(f"{node.kind}: a text cannot be written")


def _check_extra(node: Node, keys: Iterable[str]) -> None:
    if set(node.extra) != set(keys):
        raise ValueError(f"{node.kind}: extra must have exactly {sorted(keys)}, not {node.extra}")


def _safe_text(text: str) -> str:
    """Paragraph text that reads back as a paragraph."""
    return text if _classify(text) == PARAGRAPH else "\\" + text


def _header_lines(header: Header) -> list[str]:
    lines = []
    for key, name in HEADER_KEYS.items():
        value = getattr(header, name)
        if name in _DATE_FIELDS:
            if value is None:
                continue
            if not isinstance(value, date):
                raise ValueError(f"{name}: expected a date, got {value!r}")
            lines.append(f"{key}: {value.isoformat()}")
            continue
        if name in _LIST_FIELDS:
            items = [_one_line(v, name, required=True) for v in value]
            for item in items:
                if _LIST_SPLIT.search(item):
                    raise ValueError(f"{name}: {item!r} holds a list separator")
                if name in _CHOICES and item not in _CHOICES[name]:
                    raise ValueError(f"{name}: unknown code {item!r}")
            if len(set(items)) != len(items):
                raise ValueError(f"{name}: duplicate items")
            if items:
                sep = ", " if name in _CHOICES else "、"
                lines.append(f"{key}: {sep.join(items)}")
            continue
        value = _one_line(value, name)
        if name in _CHOICES and value and value not in _CHOICES[name]:
            raise ValueError(f"{name}: unknown code {value!r}")
        if value:
            lines.append(f"{key}: {value}")
    return lines


class _Writer:
    def __init__(self) -> None:
        self.blocks: list[list[str]] = []

    def top(self, node: Node) -> None:
        kind = node.kind
        if kind not in TOP_KINDS:
            raise ValueError(f"{kind}: cannot stand at the top level")
        if kind in ELEMENT_NAMES:
            if node.title not in ("", ELEMENT_NAMES[kind]):
                raise ValueError(f"{kind}: its title is fixed ({ELEMENT_NAMES[kind]})")
            _check_fields(node, title=True)
            _check_extra(node, ())
            self.blocks.append([f"@{ELEMENT_NAMES[kind]}"])
        elif kind == ANNEX:
            _check_fields(node, title=True)
            _check_extra(node, ("annex_type",))
            names = {v: k for k, v in ANNEX_TYPES.items()}
            if node.extra["annex_type"] not in names:
                raise ValueError(f"annex: annex_type {node.extra['annex_type']!r}")
            title = _one_line(node.title, "annex title", required=True)
            self.blocks.append([f"@附录 {names[node.extra['annex_type']]} {title}"])
        else:
            _check_fields(node, title=True)
            _check_extra(node, ())
            special = {v: k for k, v in SPECIAL_CHAPTERS.items()}
            title = node.title or special.get(kind, "")
            _one_line(title, "chapter title", required=True)
            if SPECIAL_CHAPTERS.get(title, CHAPTER) != kind:
                raise ValueError(f"{kind}: the title {title!r} would read back as another kind")
            self.blocks.append([f"# {title}"])
        self.content(node, 1)

    def content(self, parent: Node, level: int) -> None:
        allowed = set(CONTENT_KINDS)
        if parent.kind in CHAPTER_KINDS | {ANNEX, CLAUSE}:
            allowed.add(CLAUSE)
        if parent.kind in (REFERENCES, BIBLIOGRAPHY):
            allowed.add(REFERENCE)
        if parent.kind == TERMS:
            allowed.add(TERM)
        seen_term = seen_clause = False
        items: list[Node] = []
        for child in parent.children:
            if child.kind not in allowed:
                raise ValueError(f"{child.kind}: cannot stand in {parent.kind}")
            if seen_term and child.kind not in (TERM, CLAUSE):
                raise ValueError(f"{child.kind} after a term would read back as the term's child")
            if seen_clause and child.kind != CLAUSE:
                raise ValueError(f"{child.kind} after a clause would read back as its child")
            seen_term = seen_term or child.kind == TERM
            seen_clause = seen_clause or child.kind == CLAUSE
            if child.kind == LIST_ITEM:
                items.append(child)
                continue
            if items:
                self.list_block(items)
                items = []
            self.block(child, level)
        if items:
            self.list_block(items)

    def block(self, node: Node, level: int) -> None:
        kind = node.kind
        if kind == CLAUSE:
            if level + 1 > MAX_LEVEL:
                raise ValueError("clause: deeper than the fifth 条 level")
            _check_fields(node, title=True)
            _check_extra(node, ())
            title = _one_line(node.title, "clause title")
            self.blocks.append(["#" * (level + 1) + (f" {title}" if title else "")])
            self.content(node, level + 1)
        elif kind == PARAGRAPH:
            _check_fields(node, text=True)
            _check_extra(node, ())
            self.blocks.append([_safe_text(_one_line(node.text, "paragraph", required=True))])
        elif kind in (NOTE, EXAMPLE):
            self.blocks.append([self.note_line(node)])
        elif kind == TABLE:
            self.blocks.append(self.table_lines(node))
        elif kind == FIGURE:
            self.blocks.append(self.figure_lines(node))
        elif kind == REFERENCE:
            line = self.reference_line(node)
            if self.blocks and self.blocks[-1][-1].startswith(">"):
                self.blocks[-1].append(line)  # a run of references stays together
            else:
                self.blocks.append([line])
        elif kind == TERM:
            self.blocks.append(self.term_lines(node))

    def note_line(self, node: Node) -> str:
        _check_fields(node, text=True)
        _check_extra(node, ())
        if node.children:
            raise ValueError(f"{node.kind}: cannot have children")
        text = _one_line(node.text, node.kind, required=True)
        return ("注：" if node.kind == NOTE else "示例：") + text

    def notes(self, node: Node, kinds: tuple[str, ...]) -> list[str]:
        lines = []
        for child in node.children:
            if child.kind not in kinds:
                raise ValueError(f"{child.kind}: cannot stand in {node.kind}")
            lines.append(self.note_line(child))
        return lines

    def list_block(self, items: list[Node]) -> None:
        lines: list[str] = []
        self.items(items, 0, lines)
        self.blocks.append(lines)

    def items(self, items: Sequence[Node], depth: int, lines: list[str]) -> None:
        for position, item in enumerate(items):
            if item.kind != LIST_ITEM:
                raise ValueError(f"{item.kind}: cannot stand in a list item")
            _check_fields(item, text=True)
            _check_extra(item, ("style",))
            style = item.extra["style"]
            text = _one_line(item.text, "list item", required=True)
            if text.startswith("\\") or _LABEL_START.match(text):
                text = "\\" + text
            if style not in LIST_STYLES:
                raise ValueError(f"list item: style {style!r}")
            if style == "dash":
                marker = "——"
            elif style == "alpha":
                marker = _alpha(position) + ")"
            else:
                marker = f"{position + 1})"
            lines.append(f"{'  ' * depth}{marker} {text}")
            self.items(item.children, depth + 1, lines)

    def table_lines(self, node: Node) -> list[str]:
        _check_fields(node, title=True)
        _check_extra(node, ("header", "rows"))
        header, rows = node.extra["header"], node.extra["rows"]
        if not header:
            raise ValueError("table: the header must have at least one cell")
        lines = []
        title = _one_line(node.title, "table title")
        if title:
            lines.append(f"表：{title}")
        for index, row in enumerate([header, *rows]):
            if len(row) != len(header):
                raise ValueError("table: every row must have as many cells as the header")
            cells = [_escape_field(_one_line(c, "table cell")) for c in row]
            if index == 1 and _is_rule_row(list(row)):
                raise ValueError("table: a first row of dashes reads as a markdown rule")
            lines.append("| " + " | ".join(cells) + " |")
        return lines + self.notes(node, (NOTE,))

    def figure_lines(self, node: Node) -> list[str]:
        _check_fields(node, title=True)
        caption = _escape_field(_one_line(node.title, "figure caption"))
        if node.extra:
            _check_extra(node, ("src",))
            src = _escape_field(_one_line(node.extra["src"], "figure src", required=True))
            line = f"图：{caption} | {src}"
        else:
            line = f"图：{caption}"
        return [line, *self.notes(node, (NOTE,))]

    def reference_line(self, node: Node) -> str:
        _check_fields(node)
        _check_extra(node, ("code", "year", "title"))
        if node.children:
            raise ValueError("reference: cannot have children")
        code = _one_line(node.extra["code"], "reference code")
        year = _one_line(node.extra["year"], "reference year")
        title = _one_line(node.extra["title"], "reference title")
        if not code and (year or not title):
            raise ValueError("reference: without a code it needs a title and no year")
        if year and not re.fullmatch(r"\d{4}", year):
            raise ValueError(f"reference: year {year!r}")
        if code:
            line = f"> {code}" + (f"—{year}" if year else "") + (f" {title}" if title else "")
        else:
            line = f"> {title}"
        if _reference_extra(line[2:]) != {"code": code, "year": year, "title": title}:
            raise ValueError(f"reference: {line!r} would not read back as {node.extra}")
        return line

    def term_lines(self, node: Node) -> list[str]:
        _check_fields(node)
        _check_extra(node, ("term", "english", "definition", "source"))
        values = [
            _one_line(node.extra[key], f"term {key}", required=key in ("term", "definition"))
            for key in ("term", "english", "definition", "source")
        ]
        if _SOURCE_LABEL.match(values[3]):
            values[3] = "来源：" + values[3]  # the parser drops one label
        if not values[3]:
            values.pop()
        line = "= " + " | ".join(_escape_field(v) for v in values)
        return [line, *self.notes(node, (NOTE, EXAMPLE))]


def _alpha(index: int) -> str:
    """a … z, aa, ab … (the label of the index-th alpha list item)."""
    label = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        label = "abcdefghijklmnopqrstuvwxyz"[rest] + label
    return label


def write(header: Header | None, nodes: Iterable[Node]) -> str:
    """Markup for a header and a tree; ``parse`` reads it back to the same ``Document``.
    Raises ``ValueError`` for a tree the markup cannot express (a node in a place the parser
    would not put it, multi-line text, a field the markup has no room for)."""
    writer = _Writer()
    if header is not None:
        lines = _header_lines(header)
        if lines:
            writer.blocks.append(lines)
    for node in nodes:
        writer.top(node)
    return "\n\n".join("\n".join(block) for block in writer.blocks) + "\n"
