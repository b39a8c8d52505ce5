"""Importing a standard from a Word file (.docx) or from pasted plain text into a
``textformat.Document`` (header and tree of nodes) plus the ``Cover`` the file shows, so it
can be stored as a draft version (``clauses.tree_load``) and checked.

Stages: ``reader`` with ``package`` (docx → blocks: paragraphs with style, outline level and
list numbering, tracked changes accepted, tables) or ``plain`` (text → blocks); ``classify``
(block → lines of a kind); ``build`` with ``content`` (lines → tree, placed as
``clauses._check_parent`` allows) and ``cover`` (the cover page). Nothing is dropped
silently: a line that cannot be placed becomes a paragraph with ``extra["flag"]`` (the
reason) and a line in ``Imported.flags``. Chapters, clauses, annexes, terms, tables and
figures keep the number as typed in ``extra["typed"]``; list items keep their typed mark
there too."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import BinaryIO

from houqin.standards import numbers
from houqin.standards import textformat as tf
from houqin.standards.checker.document import Cover
from houqin.standards.importer.base import Block, ImportFailed, Line
from houqin.standards.importer.build import Builder
from houqin.standards.importer.classify import classify
from houqin.standards.importer.plain import text_blocks
from houqin.standards.importer.reader import read_docx

__all__ = ["ImportFailed", "Imported", "import_docx", "import_text"]

PROGRESS_EVERY = 50
Progress = Callable[[int, int], None]


@dataclass
class Imported:
    """What an import gives: the text, the cover, one Chinese line per thing the importer
    could not place, and how many source paragraphs (or table rows, or lines) it read."""

    document: tf.Document
    cover: Cover
    flags: list[str]
    paragraphs: int


def _lines(blocks: list[Block], progress: Progress | None) -> list[Line]:
    total = len(blocks)
    lines: list[Line] = []
    for done, block in enumerate(blocks):
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress(done, total)
        lines.extend(classify(block))
    return lines


def _imported(
    blocks: list[Block],
    *,
    count: int,
    footer: list[str],
    plain: bool,
    progress: Progress | None,
) -> Imported:
    lines = _lines(blocks, progress)
    if not any(line.kind != "blank" for line in lines):
        raise ImportFailed(
            "文件里没有文字，无法导入。" if not plain else "没有可导入的文字，请粘贴标准的全文。"
        )
    builder = Builder(lines, unit="行" if plain else "段", footer=footer, plain=plain)
    roots, cover = builder.run()
    if not roots:
        raise ImportFailed(
            "只找到了封面，没有找到正文（前言、章条等），无法导入。请确认文件是标准的全文。"
        )
    header = tf.Header(
        number=numbers.normalized(cover.number) if cover.number else "",
        title=cover.title,
        english_title=cover.english_title,
        level=cover.level,
        published_on=cover.published_on,
        effective_on=cover.effective_on,
    )
    nodes = tuple(root.freeze() for root in roots)
    if progress is not None:
        progress(len(blocks), len(blocks))
    return Imported(tf.Document(header, nodes), cover, builder.flags, count)


def import_docx(data: bytes | BinaryIO, progress: Progress | None = None) -> Imported:
    """Read a standard from a .docx file (bytes or an open binary file). Raises
    ``ImportFailed`` for a file that is not a .docx, is damaged, or holds no text."""
    raw = data if isinstance(data, bytes | bytearray) else data.read()
    docx = read_docx(bytes(raw))
    return _imported(
        docx.blocks, count=docx.count, footer=docx.footer, plain=False, progress=progress
    )


def import_text(text: str) -> Imported:
    """Read a standard from pasted plain text (numbers typed as text, tables as lines with
    "|" or tab separators). Raises ``ImportFailed`` when there is no text."""
    blocks, count = text_blocks(text)
    return _imported(blocks, count=count, footer=[], plain=True, progress=None)
