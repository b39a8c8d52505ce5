"""The editor's rows: what each clause of a draft shows and what may be done on it (the
same placement rules as ``clauses._check_parent``), the fields a new clause starts with,
and reading the fields a row posts into the arguments of ``clauses.clause_edit``.
Pure functions of the clause tree and the request: no query."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest

from houqin.standards import clauses as ops
from houqin.standards.clauses import Item
from houqin.standards.models import Clause, Standard

K = Clause.Kind
KIND_LABELS: dict[str, str] = dict(Clause.Kind.choices)
KIND_LABELS[K.TERM] = "术语"
KIND_LABELS[K.REFERENCE] = "引用文件"

CONTENT_KINDS = (K.PARAGRAPH, K.LIST_ITEM, K.NOTE, K.EXAMPLE, K.TABLE, K.FIGURE)
TEXT_KINDS = ops.TEXT_KINDS
SPECIAL_TITLES: dict[str, str] = {
    K.SCOPE: "范围",
    K.REFERENCES: "规范性引用文件",
    K.TERMS: "术语和定义",
}
FIXED_NAMES: dict[str, str] = {
    K.FOREWORD: "前言",
    K.INTRODUCTION: "引言",
    K.BIBLIOGRAPHY: "参考文献",
}
# The order of the top-level elements (GB/T 1.1 §8): a new one goes to its place.
TOP_ORDER = (
    K.FOREWORD,
    K.INTRODUCTION,
    K.SCOPE,
    K.REFERENCES,
    K.TERMS,
    K.CHAPTER,
    K.ANNEX,
    K.BIBLIOGRAPHY,
)
SINGLE_TOP = frozenset(TOP_ORDER) - {K.CHAPTER, K.ANNEX}
NAMED_BY_NUMBER = frozenset({K.NOTE, K.EXAMPLE, K.TABLE, K.FIGURE})
ANNEX_TYPES = (("normative", "规范性"), ("informative", "资料性"))
LIST_STYLES = (("alpha", "a) b) c)"), ("numeric", "1) 2) 3)"), ("dash", "—— 破折号"))
MAX_TITLE = 200
MAX_TEXT = 5000
MAX_FIELD = 1000
MAX_COLUMNS = 20
MAX_ROWS = 200


def allowed_under(parent_kind: str | None) -> tuple[str, ...]:
    """The kinds that may stand under a parent of this kind, in menu order (the same rules
    as ``clauses._check_parent``)."""
    if parent_kind is None:
        return TOP_ORDER
    if parent_kind in (K.SCOPE, K.CHAPTER, K.ANNEX, K.CLAUSE):
        return (K.CLAUSE, *CONTENT_KINDS)
    if parent_kind == K.REFERENCES:
        return (K.REFERENCE, K.CLAUSE, *CONTENT_KINDS)
    if parent_kind == K.TERMS:
        return (K.TERM, K.CLAUSE, *CONTENT_KINDS)
    if parent_kind == K.BIBLIOGRAPHY:
        return (K.REFERENCE, *CONTENT_KINDS)
    if parent_kind in (K.FOREWORD, K.INTRODUCTION):
        return CONTENT_KINDS
    if parent_kind == K.LIST_ITEM:
        return (K.LIST_ITEM,)
    if parent_kind in (K.TABLE, K.FIGURE):
        return (K.NOTE,)
    if parent_kind == K.TERM:
        return (K.NOTE, K.EXAMPLE)
    return ()


def _menu(kinds: tuple[str, ...]) -> list[tuple[str, str]]:
    return [(kind, KIND_LABELS[kind]) for kind in kinds]


def after_kinds(clause: Clause, parent_kind: str | None) -> list[tuple[str, str]]:
    """What "add after" offers on a row: the siblings its parent takes (a term is followed
    by terms, a reference by references; the top level by chapters and annexes)."""
    if clause.kind in (K.TERM, K.REFERENCE):
        return _menu((clause.kind,))
    if parent_kind is None:
        return _menu((K.CHAPTER, K.ANNEX))
    return _menu(allowed_under(parent_kind))


def default_extra(kind: str, parent: Clause | None, after: Clause | None) -> dict[str, Any]:
    """The fields a new clause of this kind starts with (what the text markup expects)."""
    if kind == K.LIST_ITEM:
        if after is not None and after.kind == K.LIST_ITEM:
            return {"style": (after.extra or {}).get("style", "alpha")}
        return {
            "style": "numeric" if parent is not None and parent.kind == K.LIST_ITEM else "alpha"
        }
    if kind == K.TABLE:
        return {"header": ["", ""], "rows": [["", ""]]}
    if kind == K.TERM:
        return {"term": "", "english": "", "definition": "", "source": ""}
    if kind == K.REFERENCE:
        return {"code": "", "year": "", "title": ""}
    if kind == K.ANNEX:
        return {"annex_type": "normative"}
    return {}


def reference_extra(standard: Standard) -> dict[str, str]:
    """A library standard as a reference entry: "GB/T 24421.1—2023" → code and year."""
    match = re.fullmatch(r"(.+?)—(\d{4})", standard.number)
    code, year = (match.group(1), match.group(2)) if match else (standard.number, "")
    return {"code": code, "year": year, "title": standard.title}


@dataclass
class Row:
    """One clause row of the editor with what may be done on it."""

    clause: Clause
    depth: int
    mode: str
    parent: Clause | None
    after: list[tuple[str, str]] = field(default_factory=list)
    children: list[tuple[str, str]] = field(default_factory=list)
    ops: frozenset[str] = frozenset()
    below: int = 0
    term_header: bool = False
    list_head: bool = False  # the first item of a list: its style select is the list's
    tail: str = ""  # "terms" / "library": the add block after the last row of a chapter
    tail_parent: Clause | None = None

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.clause.kind]

    @property
    def badge(self) -> str:
        """The kind as a badge: "章" for 范围 and the like, none where the name or the
        number already says it (前言, 注, 示例, 表1, 图1)."""
        if self.clause.kind in FIXED_NAMES or self.clause.kind in NAMED_BY_NUMBER:
            return ""
        if self.clause.kind in SPECIAL_TITLES:
            return KIND_LABELS[K.CHAPTER]
        return self.kind_label

    @property
    def text_rows(self) -> int:
        """Rows of a text box: enough for the text at about 30 characters a line."""
        return min(8, max(2, len(self.clause.text) // 30 + 1))

    @property
    def label(self) -> str:
        """How the row names itself to a screen reader and in confirmations."""
        c = self.clause
        if not c.number and c.kind in TEXT_KINDS:
            parent = self.parent
            where = (parent.number or FIXED_NAMES.get(parent.kind, "")) if parent else ""
            return f"{where}下的{self.kind_label}" if where else self.kind_label
        name = c.title or FIXED_NAMES.get(c.kind, "")
        if c.kind == K.TERM:
            name = (c.extra or {}).get("term", "")
        if c.kind == K.REFERENCE:
            name = (c.extra or {}).get("code", "") or (c.extra or {}).get("title", "")
        return " ".join(part for part in (c.number, self.kind_label, name) if part)

    @property
    def fixed_name(self) -> str:
        return FIXED_NAMES.get(self.clause.kind, "") or SPECIAL_TITLES.get(self.clause.kind, "")

    @property
    def table(self) -> dict[str, Any]:
        extra = self.clause.extra or {}
        header = list(extra.get("header") or [""])
        rows = [list(row) + [""] * (len(header) - len(row)) for row in extra.get("rows", [])]
        return {"header": header, "rows": [row[: len(header)] for row in rows]}


def _mode(clause: Clause) -> str:
    if clause.kind in FIXED_NAMES or clause.kind in SPECIAL_TITLES:
        return "fixed"
    if clause.kind in TEXT_KINDS:
        return "text"
    if clause.kind in (K.CHAPTER, K.CLAUSE, K.FIGURE):
        return "heading"
    return str(clause.kind)  # annex, table, term, reference


def _size(item: Item) -> int:
    return sum(1 + _size(child) for child in item.children)


def editor_rows(items: list[Item]) -> list[Row]:
    """The tree as a flat list of rows in document order (built in memory, no query)."""
    rows: list[Row] = []

    def visit(siblings: list[Item], parent: Item | None, grand: Item | None) -> None:
        parent_kind = parent.clause.kind if parent else None
        grand_kind = grand.clause.kind if grand else None
        for index, item in enumerate(siblings):
            c = item.clause
            before = siblings[index - 1] if index else None
            following = siblings[index + 1] if index + 1 < len(siblings) else None
            can = set()
            if before is not None:
                can.add("up")
                if c.kind in allowed_under(before.clause.kind):
                    can.add("indent")
            if following is not None:
                can.add("down")
                if following.clause.kind == c.kind and c.kind in ops.TEXT_KINDS:
                    can.add("merge")
            if parent is not None and c.kind in allowed_under(grand_kind):
                can.add("outdent")
            if c.kind in TEXT_KINDS and len(c.text) > 1:
                can.add("split")
            first_term = c.kind == K.TERM and (before is None or before.clause.kind != K.TERM)
            list_head = c.kind == K.LIST_ITEM and (
                before is None or before.clause.kind != K.LIST_ITEM
            )
            rows.append(
                Row(
                    clause=c,
                    depth=item.depth,
                    mode=_mode(c),
                    parent=parent.clause if parent else None,
                    after=after_kinds(c, parent_kind),
                    children=_menu(allowed_under(c.kind)),
                    ops=frozenset(can),
                    below=_size(item),
                    term_header=first_term,
                    list_head=list_head,
                )
            )
            visit(item.children, item, parent)
            if c.kind in (K.REFERENCES, K.BIBLIOGRAPHY, K.TERMS):
                rows[-1].tail = "terms" if c.kind == K.TERMS else "library"
                rows[-1].tail_parent = c

    visit(items, None, None)
    return rows


def one_line(value: str) -> str:
    """A clause's text is one paragraph: line breaks typed or pasted are dropped."""
    return re.sub(r"[\r\n]+", "", value)


def _checked(value: str, limit: int, what: str) -> str:
    if len(value) > limit:
        raise ValidationError(f"{what}不能超过{limit}个字，现在有{len(value)}个字。")
    return value


def _table_extra(request: HttpRequest) -> dict[str, Any]:
    """The grid posted by a table row, with a row/column added or removed (``grid``)."""
    header = [_checked(one_line(v), MAX_FIELD, "表格单元") for v in request.POST.getlist("th")]
    cells = [_checked(one_line(v), MAX_FIELD, "表格单元") for v in request.POST.getlist("td")]
    width = len(header)
    if width == 0 or len(cells) % width:
        raise ValidationError("表格数据不完整，请刷新页面后再改。")
    rows = [cells[i : i + width] for i in range(0, len(cells), width)]
    action, _, index_text = request.POST.get("grid", "").partition(":")
    index = int(index_text) if index_text.isdigit() else -1
    if action == "add_row":
        if len(rows) >= MAX_ROWS:
            raise ValidationError(f"一个表最多{MAX_ROWS}行。")
        rows.append([""] * width)
    elif action == "add_col":
        if width >= MAX_COLUMNS:
            raise ValidationError(f"一个表最多{MAX_COLUMNS}列。")
        header.append("")
        rows = [[*row, ""] for row in rows]
    elif action == "del_row" and 0 <= index < len(rows):
        rows.pop(index)
    elif action == "del_col" and 0 <= index < width:
        if width == 1:
            raise ValidationError("表格至少要有一列。")
        header.pop(index)
        rows = [row[:index] + row[index + 1 :] for row in rows]
    elif action:
        raise ValidationError("没有这种表格操作。")
    return {"header": header, "rows": rows}


TERM_FIELDS = ("term", "english", "definition", "source")
REFERENCE_FIELDS = {"ref_code": "code", "ref_year": "year", "ref_title": "title"}


def posted_changes(request: HttpRequest, clause: Clause) -> dict[str, Any]:
    """The title / text / extra fields a row posted that differ from the stored clause
    (empty when nothing changed): the arguments for ``clauses.clause_edit``."""
    data = request.POST
    changes: dict[str, Any] = {}
    kind = clause.kind
    if "title" in data and kind not in FIXED_NAMES and kind not in SPECIAL_TITLES:
        title = _checked(one_line(data["title"]).strip(), MAX_TITLE, "标题")
        if title != clause.title:
            changes["title"] = title
    if "text" in data:
        text = _checked(one_line(data["text"]).strip(), MAX_TEXT, "内容")
        if text != clause.text:
            changes["text"] = text
    extra: dict[str, Any] = {}
    if kind == K.TERM:
        for name in TERM_FIELDS:
            if name in data:
                extra[name] = _checked(one_line(data[name]).strip(), MAX_FIELD, "术语内容")
    elif kind == K.REFERENCE:
        for name, key in REFERENCE_FIELDS.items():
            if name in data:
                extra[key] = _checked(one_line(data[name]).strip(), MAX_FIELD, "引用文件")
        if extra.get("year") and not re.fullmatch(r"\d{4}", extra["year"]):
            raise ValidationError("年号请填写四位数字，如“2023”；不注日期的引用请留空。")
    elif kind == K.ANNEX and "annex_type" in data:
        if data["annex_type"] not in dict(ANNEX_TYPES):
            raise ValidationError("请选择附录的类型：规范性或资料性。")
        extra["annex_type"] = data["annex_type"]
    elif kind == K.LIST_ITEM and "style" in data:
        if data["style"] not in dict(LIST_STYLES):
            raise ValidationError("没有这种列项符号。")
        extra["style"] = data["style"]
    elif kind == K.TABLE and "th" in data:
        extra = _table_extra(request)
    stored = clause.extra or {}
    if data.get("flag_checked") and stored.get("flag"):
        extra["flag"] = ""  # the author placed an imported line the importer could not
    if any(stored.get(key) != value for key, value in extra.items()):
        changes["extra"] = extra
    return changes
