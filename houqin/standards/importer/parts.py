"""Pieces of particular elements: a term line split into the term and its English
equivalent, a reference entry split into code, year and title, the notes Word tables often
carry in their last row, and the node under construction."""

from __future__ import annotations

import re
from typing import Any

from houqin.standards import textformat as tf
from houqin.standards.importer.classify import NOTE

_TERM = re.compile(r"(?P<term>.*?[^\x00-\x7f])[\s\u3000]+(?P<english>[A-Za-z][\x20-\x7e]*)")
_ASCII_TEXT = re.compile(r"[A-Za-z][\x20-\x7e]*")
_SEQ = r"\d+(?:\.\d+)*(?:-\d{1,3}(?!\d))*"
_REFERENCE = re.compile(
    r"(?P<prefix>[A-Z]+(?:\d{2,4}(?=/))?(?:/[A-Z]+)?)"
    rf"(?:[\s\u3000]+(?P<seq>[A-Z]?{_SEQ})|(?P<joined>{_SEQ}))"
    r"(?P<all>\s*(?:（所有部分）|\(所有部分\)))?"
    r"(?:\s*(?:[—–－-]|:)\s*(?P<year>\d{4}))?"
    r"(?:[\s\u3000]+|(?=[^\x00-\x7f])|$)(?P<title>.*)",
    re.S,
)


def split_term(text: str) -> tuple[str, str]:
    """ "留样　food sample retention" → ("留样", "food sample retention")."""
    match = _TERM.fullmatch(text.strip())
    if not match:
        return text.strip(), ""
    return match["term"].strip(), " ".join(match["english"].split())


def is_english(text: str) -> bool:
    return _ASCII_TEXT.fullmatch(text.strip()) is not None


def reference_extra(text: str) -> dict[str, str] | None:
    """code, year and title of an entry that starts with a standard code, else None."""
    match = _REFERENCE.fullmatch(text.strip())
    if not match:
        return None
    code = f"{match['prefix']} {match['seq'] or match['joined']}"
    if match["all"]:
        code += match["all"].strip()
    return {"code": code, "year": match["year"] or "", "title": match["title"].strip()}


def table_notes(rows: list[list[str]]) -> list[str]:
    """Notes typed into the last rows of a table (one merged cell starting with 注),
    removed from ``rows``; returned in order."""
    notes: list[str] = []
    while len(rows) > 1:
        first = rows[-1][0]
        match = NOTE.fullmatch(first)
        if not match or any(cell not in ("", first) for cell in rows[-1][1:]):
            break
        rows.pop()
        notes.insert(0, match["text"].strip())
    return notes


class Part:
    """A node under construction (``textformat.Node`` is frozen)."""

    __slots__ = ("children", "extra", "kind", "parent", "text", "title")

    def __init__(
        self,
        kind: str,
        title: str = "",
        text: str = "",
        extra: dict[str, Any] | None = None,
    ) -> None:
        self.kind, self.title, self.text = kind, title, text
        self.extra: dict[str, Any] = extra or {}
        self.children: list[Part] = []
        self.parent: Part | None = None

    def add(self, child: Part, index: int | None = None) -> Part:
        child.parent = self
        if index is None:
            self.children.append(child)
        else:
            self.children.insert(index, child)
        return child

    def freeze(self) -> tf.Node:
        return tf.Node(
            self.kind,
            self.title,
            self.text,
            self.extra,
            tuple(child.freeze() for child in self.children),
        )
