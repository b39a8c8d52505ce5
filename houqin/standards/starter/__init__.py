"""The starter library: the center's first internal standards, one ``textformat`` markup file
each (``*.txt``, UTF-8), and the external standards they adopt (``adopted.ADOPTED``).

The texts name the demo center (江城市机关事务服务中心) in 前言, 范围 and the header; a loader
for another organization replaces that name."""

from __future__ import annotations

from pathlib import Path

from houqin.standards.textformat import Document, MarkupError, parse

DIRECTORY = Path(__file__).resolve().parent
CENTER_NAME = "江城市机关事务服务中心"


def starter_files() -> list[Path]:
    """The markup files, in name order."""
    return sorted(DIRECTORY.glob("*.txt"))


def starter_documents() -> list[tuple[Path, Document]]:
    """Every starter file parsed; a markup error names the file."""
    documents = []
    for path in starter_files():
        try:
            documents.append((path, parse(path.read_text(encoding="utf-8"))))
        except MarkupError as error:
            raise MarkupError(error.line_no, f"{path.name}：{error.message}") from error
    return documents
