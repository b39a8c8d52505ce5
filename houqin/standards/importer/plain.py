"""Pasted plain text as ``Block``s: one line is one block; a run of lines with "|"
separators, or of at least two lines with the same number of tab-separated cells, becomes
a table (a markdown rule row "|---|---|" is dropped; a contents list "1 范围<tab>1" is not
a table)."""

from __future__ import annotations

import re

from houqin.standards.importer.base import Block

_RULE_CELL = re.compile(r":?-{3,}:?")
_PAGE = re.compile(r"[\dIVXivxⅠ-Ⅻ]+")


def _bar_cells(body: str) -> list[str] | None:
    if body[:1] not in ("|", "｜"):
        return None
    inner = body[1:]
    if inner[-1:] in ("|", "｜"):
        inner = inner[:-1]
    return [cell.strip() for cell in re.split(r"[|｜]", inner)]


def _tab_cells(body: str) -> list[str] | None:
    if "\t" not in body:
        return None
    cells = [cell.strip() for cell in re.split(r"\t+", body.strip())]
    return cells if len(cells) >= 2 else None


def _is_contents(rows: list[list[str]]) -> bool:
    return all(len(row) == 2 and _PAGE.fullmatch(row[1]) for row in rows)


def text_blocks(text: str) -> tuple[list[Block], int]:
    """The blocks of pasted text and how many lines were read."""
    lines = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    blocks: list[Block] = []
    index = 0
    while index < len(lines):
        line = lines[index].rstrip()
        no = index + 1
        stripped = line.lstrip(" \u3000\t")
        bar = _bar_cells(stripped)
        if bar is not None:
            rows = []
            while index < len(lines) and (cells := _bar_cells(lines[index].strip())) is not None:
                if not all(_RULE_CELL.fullmatch(cell) for cell in cells):
                    rows.append(cells)
                index += 1
            if rows:
                blocks.append(Block(no=no, rows=rows))
            continue
        tabbed = _tab_cells(stripped)
        if tabbed is not None:
            rows = [tabbed]
            end = index + 1
            while end < len(lines) and (cells := _tab_cells(lines[end])) is not None:
                if len(cells) != len(tabbed):
                    break
                rows.append(cells)
                end += 1
            if len(rows) >= 2 and not _is_contents(rows):
                blocks.append(Block(no=no, rows=rows))
                index = end
                continue
        indent = len(line[: len(line) - len(stripped)].expandtabs(4))
        blocks.append(Block(no=no, text=stripped, indent=indent))
        index += 1
    for block in blocks:
        if block.rows:
            width = max(len(row) for row in block.rows)
            block.rows = [row + [""] * (width - len(row)) for row in block.rows]
    return blocks, len(lines)
