"""The parts of a parsed text: kinds, the metadata header, nodes, the document."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
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
