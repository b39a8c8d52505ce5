"""Helpers of the importer tests: Word files built with python-docx, the tree checked
against the rules of ``clauses._check_parent``, and compact views of a tree."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from io import BytesIO
from typing import Any

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.text.paragraph import Paragraph

from houqin.standards import textformat as tf
from houqin.standards.clauses import _check_parent


def new_document() -> Any:
    return Document()


def style(document: Any, name: str) -> Any:
    """The paragraph style ``name``, added to the document when it has none."""
    for existing in document.styles:
        if existing.name == name:
            return existing
    return document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)


def para(document: Any, text: str, style_name: str | None = None) -> Paragraph:
    paragraph = document.add_paragraph(text)
    if style_name is not None:
        paragraph.style = style(document, style_name)
    return paragraph


def xml(tag: str, inner: str = "", attributes: str = "") -> Any:
    """The WordprocessingML element ``<w:tag attributes>inner</w:tag>``."""
    return parse_xml(f"<w:{tag} {nsdecls('w')} {attributes}>{inner}</w:{tag}>")


def to_bytes(document: Any) -> bytes:
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@dataclass
class _Stored:
    """What ``_check_parent`` reads of a stored parent clause."""

    kind: str
    parent: _Stored | None

    @property
    def parent_id(self) -> int | None:
        return None if self.parent is None else 1


def check_tree(nodes: Iterable[tf.Node], parent: _Stored | None = None) -> None:
    """Raise ValidationError where a node stands where ``clauses.tree_load`` refuses it."""
    for node in nodes:
        _check_parent(node.kind, parent)  # type: ignore[arg-type]
        check_tree(node.children, _Stored(node.kind, parent))


def outline(nodes: Iterable[tf.Node], depth: int = 0) -> list[str]:
    """One line per node: indentation, kind, and its title or text or main extra field."""
    lines = []
    for node in nodes:
        label = node.title or node.text
        if node.kind == tf.TERM:
            label = f"{node.extra['term']}|{node.extra['english']}|{node.extra['definition']}"
        elif node.kind == tf.REFERENCE:
            extra = node.extra
            label = f"{extra['code']}|{extra['year']}|{extra['title']}"
        elif node.kind == tf.LIST_ITEM:
            label = f"{node.extra['style']}:{node.text}"
        lines.append(f"{'  ' * depth}{node.kind} {label}".rstrip())
        lines.extend(outline(node.children, depth + 1))
    return lines


def shape(nodes: Iterable[tf.Node]) -> list[tuple[Any, ...]]:
    """Kinds, titles, texts and extra fields (without what only the importer adds: the
    typed numbers and flags) of a tree, for comparing two trees."""
    return [
        (
            node.kind,
            node.title,
            node.text,
            {k: v for k, v in node.extra.items() if k not in ("typed", "flag")},
            shape(node.children),
        )
        for node in nodes
    ]


def find(nodes: Iterable[tf.Node], kind: str) -> list[tf.Node]:
    return [node for node, _parents in tf.walk(nodes) if node.kind == kind]


def typed_out(document: tf.Document) -> str:
    """A standard as a person would paste it as plain text: cover lines, then every heading
    with its number typed, list labels, 注/示例 labels, "表1 标题" over "|" rows, terms as
    number / term and English / definition, references one a line."""
    from houqin.standards.checker.document import draft_from_document

    header = document.header
    lines = [header.number, header.title, header.english_title]
    if header.published_on and header.effective_on:
        lines.append(f"{header.published_on} 发布    {header.effective_on} 实施")
    lines += ["江城市机关事务服务中心　发布", ""]
    for element in draft_from_document(document).elements:
        _typed_element(element, lines, 0)
    return "\n".join(lines) + "\n"


def _typed_element(element: Any, lines: list[str], depth: int) -> None:
    kind, number, children = element.kind, element.number, list(element.children)
    names = {tf.FOREWORD: "前言", tf.INTRODUCTION: "引言", tf.BIBLIOGRAPHY: "参考文献"}
    if kind in names:
        lines.append(names[kind])
    elif kind == tf.ANNEX:
        label = {"normative": "（规范性）", "informative": "（资料性）"}[
            element.extra["annex_type"]
        ]
        lines += [number, label, element.title]
    elif kind in tf.CHAPTER_KINDS or (kind == tf.CLAUSE and element.title):
        lines.append(f"{number} {element.title}")
    elif kind == tf.CLAUSE:
        if children and children[0].kind == tf.PARAGRAPH:
            lines.append(f"{number} {children.pop(0).text}")
        else:
            lines.append(number)
    elif kind == tf.PARAGRAPH:
        lines.append(element.text)
    elif kind == tf.LIST_ITEM:
        lines.append(f"{'  ' * depth}{number} {element.text}")
        for child in children:
            _typed_element(child, lines, depth + 1)
        return
    elif kind in (tf.NOTE, tf.EXAMPLE):
        lines.append(f"{number}：{element.text}")
    elif kind == tf.TABLE:
        lines.append(f"{number} {element.title}".strip())
        for row in [element.extra["header"], *element.extra["rows"]]:
            lines.append("| " + " | ".join(row) + " |")
    elif kind == tf.FIGURE:
        lines.append(f"{number} {element.title}".strip())
    elif kind == tf.TERM:
        extra = element.extra
        lines += [number, f"{extra['term']} {extra['english']}".strip(), extra["definition"]]
        for child in children:
            _typed_element(child, lines, depth)
        if extra["source"]:
            lines.append(f"[来源：{extra['source']}]")
        return
    elif kind == tf.REFERENCE:
        extra = element.extra
        code = f"{extra['code']}—{extra['year']}" if extra["year"] else extra["code"]
        lines.append(f"{code} {extra['title']}".strip())
    for child in children:
        _typed_element(child, lines, depth)
    if kind in (tf.TABLE, tf.FIGURE):
        lines.append("")  # a blank line: a 注 after it is no longer the table's
