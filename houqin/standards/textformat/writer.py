"""Writing a ``Document`` back as markup that parses to the same document."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
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
    CONTENT_KINDS,
    ELEMENT_NAMES,
    EXAMPLE,
    FIGURE,
    HEADER_KEYS,
    LIST_ITEM,
    LIST_STYLES,
    MAX_LEVEL,
    NOTE,
    PARAGRAPH,
    REFERENCE,
    REFERENCES,
    SPECIAL_CHAPTERS,
    TABLE,
    TERM,
    TERMS,
    TOP_KINDS,
    Header,
    Node,
)
from houqin.standards.textformat.parser import (
    _LABEL_START,
    _LIST_SPLIT,
    _SOURCE_LABEL,
    _classify,
    _escape_field,
    _is_rule_row,
    _reference_extra,
)


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
