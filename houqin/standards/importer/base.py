"""What the importer's stages pass along: the error it raises, a source ``Block`` (one
paragraph or table of the file, or one line of pasted text) and a classified ``Line``."""

from __future__ import annotations

import re
from dataclasses import dataclass, field


class ImportFailed(ValueError):
    """The file cannot be read at all; ``message`` tells the person why (Chinese)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(slots=True)
class Block:
    """One paragraph or table of the source, in reading order.

    ``style`` is the paragraph style's name normalized (``style_key``); ``outline`` the
    heading level Word's outline level gives (1–9, 0 for body text); ``numbering`` the
    number format of a Word list the paragraph belongs to ("bullet", "lowerLetter",
    "decimal" …) with its ``list_level``; ``indent`` the leading spaces of a pasted line
    (-1 for a Word paragraph); ``toc`` marks a line of a table of contents; ``drawing`` a
    paragraph holding a picture; ``generated`` a line of an index Word builds; ``remarks``
    what the person should know about the paragraph (a footnote not imported …)."""

    no: int
    text: str = ""
    style: str = ""
    outline: int = 0
    numbering: str = ""
    list_level: int = 0
    rows: list[list[str]] | None = None
    toc: bool = False
    drawing: bool = False
    indent: int = -1
    generated: bool = False
    remarks: list[str] = field(default_factory=list)


BLANK = "blank"
SKIP = "skip"  # page furniture: page numbers, the end line
TOC_TITLE = "toc_title"
TOC = "toc"
FRONT = "front"  # 前言 / 引言 / 参考文献 title; ``style`` holds the textformat kind
ANNEX = "annex"
ANNEX_TYPE = "annex_type"
HEADING = "heading"
PARAGRAPH = "paragraph"
LIST = "list"
NOTE = "note"
EXAMPLE = "example"
SOURCE = "source"  # [来源：…] of a term
TABLE_TITLE = "table_title"
TABLE = "table"
FIGURE_TITLE = "figure_title"
DRAWING = "drawing"
TERM_NUMBER = "term_number"
TERM_LINE = "term_line"
ENGLISH = "english"
DOC_TITLE = "doc_title"  # the standard's name printed above chapter 1
COVER = "cover"
BIB_ENTRY = "bib_entry"  # "[1] …"


@dataclass(slots=True)
class Line:
    """A classified piece of the source.

    ``text`` is the text without its label (a heading's title, a list item's text …);
    ``typed`` the number or label as typed ("5.3", "a)", "注1", "表A.1", "A");
    ``level`` a heading level (1 = chapter) or a list level (-1 when the source does not
    say); ``style`` a list style, an annex type or a front element's kind; ``certain`` is
    True when a paragraph style or outline level, not just the typed text, gives the kind;
    ``untitled`` marks a numbered clause whose number is followed by text, not a title."""

    kind: str
    no: int
    text: str = ""
    typed: str = ""
    level: int = 0
    style: str = ""
    rows: list[list[str]] | None = None
    certain: bool = False
    untitled: bool = False
    raw: str = ""
    indent: int = -1
    remarks: list[str] = field(default_factory=list)


_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_SPACES = re.compile(r"[\s\u3000]+")


def has_cjk(text: str) -> bool:
    return _CJK.search(text) is not None


def squeeze(text: str) -> str:
    """The text without any whitespace (to compare titles typed with spacing: "前　　言")."""
    return _SPACES.sub("", text)


def one_line(text: str) -> str:
    """Tabs and line breaks as single spaces, ends stripped (inner double spaces are kept:
    the 前言 statement has two spaces in the title it quotes)."""
    return re.sub(r"[\t\n\r\v\f]+", " ", text).strip()


def join_lines(first: str, second: str) -> str:
    """Two pieces of one paragraph split by a line break: no space between Chinese."""
    if not first or not second:
        return first or second
    if has_cjk(first[-1]) or has_cjk(second[0]):
        return first + second
    return f"{first} {second}"


def excerpt(text: str, size: int = 20) -> str:
    text = one_line(text)
    return text if len(text) <= size else text[:size] + "……"


def style_key(name: str) -> str:
    """A style name normalized for loose matching: no whitespace, lower case."""
    return squeeze(name).lower()
