"""The parts of a .docx package the reader needs: the zip with size limits and safe XML
parsing (``ImportFailed`` with a Chinese reason for what is not a Word file or is damaged),
relationships, paragraph styles (name, outline level, list numbering through ``basedOn``)
and list number formats."""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Iterator
from typing import Any

from lxml import etree

from houqin.standards.importer.base import ImportFailed

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MAX_PART = 64 * 1024 * 1024  # bytes of one unpacked part: more is a zip bomb, not a standard
VAL = f"{{{W}}}val"
PPR = f"{{{W}}}pPr"

_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_comments=True
)


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


class Package:
    def __init__(self, data: bytes) -> None:
        if data[:4] == b"\xd0\xcf\x11\xe0":
            raise ImportFailed(
                "这是旧版Word文件（.doc）或加了密码的文件，无法读取。"
                "请在Word中取消密码，另存为“Word文档（.docx）”后再导入。"
            )
        if data[:4] == b"%PDF":
            raise ImportFailed("这是PDF文件，不是Word文档。请导入.docx文件，或把文字粘贴进来。")
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
        except (zipfile.BadZipFile, ValueError, OSError) as error:
            raise ImportFailed(
                "文件已损坏或不是Word文档（.docx），无法打开。请用Word打开确认后另存为.docx再导入。"
            ) from error
        self.names = set(self.zip.namelist())

    def raw(self, name: str) -> bytes:
        try:
            info = self.zip.getinfo(name)
            if info.file_size > MAX_PART:
                raise ImportFailed("文件内容过大，无法导入。请拆分文件或删除其中的大图片后再试。")
            with self.zip.open(info) as handle:
                data = handle.read(MAX_PART + 1)
        except ImportFailed:
            raise
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError, RuntimeError) as error:
            raise ImportFailed(
                "文件已损坏（压缩内容无法解开），无法读取。请用Word打开确认后另存为.docx再导入。"
            ) from error
        except NotImplementedError as error:
            raise ImportFailed(
                "文件使用了不支持的压缩方式，请用Word另存为.docx后再导入。"
            ) from error
        if len(data) > MAX_PART:
            raise ImportFailed("文件内容过大，无法导入。请拆分文件或删除其中的大图片后再试。")
        return data

    def xml(self, name: str, *, required: bool = False) -> Any:
        if name not in self.names:
            if required:
                raise ImportFailed(
                    "文件里没有Word正文（缺少 word/document.xml），不是有效的Word文档。"
                    "请用Word打开确认后另存为.docx再导入。"
                )
            return None
        try:
            return etree.fromstring(self.raw(name), _PARSER)
        except etree.XMLSyntaxError as error:
            if not required:
                return None
            raise ImportFailed(
                "文件的正文内容已损坏（XML格式错误），无法读取。请用Word打开修复后另存为.docx再导入。"
            ) from error

    def relationships(self, part: str) -> dict[str, str]:
        """Relationship id → part name, for ``part`` (e.g. "word/document.xml")."""
        folder, _, name = part.rpartition("/")
        root = self.xml(f"{folder}/_rels/{name}.rels")
        if root is None:
            return {}
        targets = {}
        for rel in root:
            target = rel.get("Target") or ""
            if rel.get("TargetMode") == "External" or not target:
                continue
            path = target.lstrip("/") if target.startswith("/") else f"{folder}/{target}"
            targets[rel.get("Id") or ""] = _resolve(path)
        return targets

    def main_part(self) -> str:
        root = self.xml("_rels/.rels")
        if root is not None:
            for rel in root:
                if (rel.get("Type") or "").endswith("/officeDocument"):
                    target = _resolve((rel.get("Target") or "").lstrip("/"))
                    if target in self.names:
                        return target
        return "word/document.xml"


def _resolve(path: str) -> str:
    parts: list[str] = []
    for piece in path.split("/"):
        if piece == "..":
            if parts:
                parts.pop()
        elif piece and piece != ".":
            parts.append(piece)
    return "/".join(parts)


class Styles:
    """Paragraph styles: name, outline level and list numbering through ``basedOn``."""

    def __init__(self, root: Any) -> None:
        self.styles: dict[str, tuple[str, str, int | None, tuple[str, int] | None]] = {}
        self.default = ""
        if root is None:
            return
        for style in root.iter(_w("style")):
            if style.get(_w("type")) != "paragraph":
                continue
            sid = style.get(_w("styleId")) or ""
            name_el = style.find(_w("name"))
            name = name_el.get(VAL) if name_el is not None else sid
            based = style.find(_w("basedOn"))
            ppr = style.find(PPR)
            outline, numbering = outline_level(ppr), list_numbering(ppr)
            self.styles[sid] = (
                name or sid,
                based.get(VAL) if based is not None else "",
                outline,
                numbering,
            )
            if style.get(_w("default")) in ("1", "true"):
                self.default = sid

    def chain(self, sid: str) -> Iterator[tuple[str, str, int | None, tuple[str, int] | None]]:
        seen = set()
        while sid and sid in self.styles and sid not in seen:
            seen.add(sid)
            style = self.styles[sid]
            yield style
            sid = style[1]

    def name(self, sid: str) -> str:
        sid = sid or self.default
        return self.styles[sid][0] if sid in self.styles else sid

    def outline_level(self, sid: str) -> int | None:
        return next((s[2] for s in self.chain(sid or self.default) if s[2] is not None), None)

    def list_numbering(self, sid: str) -> tuple[str, int] | None:
        return next((s[3] for s in self.chain(sid or self.default) if s[3] is not None), None)


def outline_level(ppr: Any) -> int | None:
    if ppr is None:
        return None
    level = ppr.find(_w("outlineLvl"))
    if level is None:
        return None
    try:
        return int(level.get(VAL) or "9")
    except ValueError:
        return None


def list_numbering(ppr: Any) -> tuple[str, int] | None:
    if ppr is None:
        return None
    num = ppr.find(_w("numPr"))
    if num is None:
        return None
    num_id, ilvl = num.find(_w("numId")), num.find(_w("ilvl"))
    try:
        level = int(ilvl.get(VAL)) if ilvl is not None else 0
    except (TypeError, ValueError):
        level = 0
    return ((num_id.get(VAL) or "0") if num_id is not None else "", level)


class Numbering:
    """numId + level → the number format ("bullet", "lowerLetter", "decimal" …)."""

    def __init__(self, root: Any) -> None:
        self.abstract: dict[str, dict[int, str]] = {}
        self.nums: dict[str, str] = {}
        if root is None:
            return
        for abstract in root.iter(_w("abstractNum")):
            levels = {}
            for lvl in abstract.iter(_w("lvl")):
                fmt = lvl.find(_w("numFmt"))
                try:
                    levels[int(lvl.get(_w("ilvl")) or "0")] = (
                        fmt.get(VAL) or "" if fmt is not None else ""
                    )
                except ValueError:
                    continue
            self.abstract[abstract.get(_w("abstractNumId")) or ""] = levels
        for num in root.iter(_w("num")):
            ref = num.find(_w("abstractNumId"))
            if ref is not None:
                self.nums[num.get(_w("numId")) or ""] = ref.get(VAL) or ""

    def format(self, num_id: str, level: int) -> str:
        if num_id in ("", "0"):
            return ""
        levels = self.abstract.get(self.nums.get(num_id, ""), {})
        return levels.get(level, "decimal" if num_id in self.nums else "")
