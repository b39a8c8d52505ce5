"""Checking a file without storing it (``manage.py check_standard`` and
``POST /api/v1/standards/check/``): a ``.docx`` is imported from Word, anything else is read
as the pasted text of a standard; the drafting rules then run on what was read."""

from __future__ import annotations

from dataclasses import dataclass

from houqin.standards.checker import check
from houqin.standards.checker.base import Issue
from houqin.standards.checker.document import draft_from_document
from houqin.standards.importer import Imported, ImportFailed, import_docx, import_text

MAX_BYTES = 20 * 1024 * 1024
# Files the Word importer reads or refuses with its own reason (.docx, old .doc, PDF).
BINARY_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"%PDF")


@dataclass
class FileCheck:
    imported: Imported
    issues: list[Issue]

    @property
    def errors(self) -> int:
        return sum(1 for i in self.issues if i.severity == "error")


def _decoded(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFailed("无法识别文件的文字编码，请另存为 UTF-8 编码的文本文件或 .docx 后再检查。")


def read_file(name: str, data: bytes) -> Imported:
    """The standard in a file: the Word importer for a Word-like name or content (it tells
    an old .doc or a PDF apart itself), else text."""
    if len(data) > MAX_BYTES:
        raise ImportFailed("文件超过 20 MB，无法检查。")
    if name.lower().endswith((".doc", ".docx")) or data.startswith(BINARY_MAGIC):
        return import_docx(data)
    return import_text(_decoded(data))


def check_imported(imported: Imported, *, internal_prefix: str = "JGSW") -> FileCheck:
    draft = draft_from_document(
        imported.document, cover=imported.cover, internal_prefix=internal_prefix
    )
    return FileCheck(imported, check(draft))


def check_file(name: str, data: bytes, *, internal_prefix: str = "JGSW") -> FileCheck:
    """Read and check one file; ``ImportFailed`` (a message for the person) when it cannot
    be read."""
    return check_imported(read_file(name, data), internal_prefix=internal_prefix)
