"""The cover page (GB/T 1.1—2020 §8.1): ICS / CCS / 备案号 lines, the mark and the kind of
standard, the number and the 代替 line, the Chinese and English titles, the stage of a
draft, the dates ("2026-01-01 发布", also "2026 - 01 - 01发布") and the issuing body
("……　发布"). ``CoverReader.feed`` takes one line and says whether it was cover text."""

from __future__ import annotations

import re
from datetime import date

from houqin.standards import numbers
from houqin.standards.checker.document import Cover
from houqin.standards.importer.base import has_cjk, squeeze

_DATE = re.compile(
    r"(?P<y>\d{4}|[Xx×]{4})\s*[-－—–.．/年]\s*(?P<m>\d{1,2}|[Xx×]{1,2})\s*[-－—–.．/月]\s*"
    r"(?P<d>\d{1,2}|[Xx×]{1,2})\s*日?\s*(?P<what>发布|实施)"
)
_INTERNAL = r"[A-Z][A-Z0-9]{0,9}/[A-Z]{1,6} \d{1,5}(?:\.\d{1,3})*—\d{4}"
_LEVEL_ORDER = ("national", "local", "group", "industry")
_REPLACES = re.compile(r"代\s*替\s*[:：]?\s*(?P<list>.+)")
_FIELD = re.compile(r"(?P<key>ICS|CCS|备案号)\s*[:：]?\s*(?P<value>.*)")
_MARK = re.compile(r"(?:[A-Z]{1,8}\d{0,4}(?:/[A-Z]{1,2})?|T/[A-Z]{2,10}|Q/[A-Z0-9]{1,10})")
_KIND = re.compile(r"(?P<who>.{0,40}?)(?P<kind>国家|行业|地方|团体|联盟|内部|企业)标准")
_KIND_LEVELS = {
    "国家": "national",
    "行业": "industry",
    "地方": "local",
    "团体": "group",
    "联盟": "group",
    "内部": "internal",
    "企业": "internal",
}
_STAGE = re.compile(r"[（(](?P<stage>[^()（）]{1,20}稿)[)）]")
_REMARK = re.compile(r"[（(](?P<key>[^:：()（）]{1,20})[:：]\s*(?P<value>[^()（）]+)[)）]")
_ENGLISH = re.compile(r"[A-Za-z][A-Za-z0-9\s,.;:'’\-—–()/&]*")
_SPLIT = re.compile(r"[、，,;；]")


def level_of(number: str) -> str:
    """The level a standard number's code gives, or ""."""
    number = numbers.normalized(number)
    for level in _LEVEL_ORDER:
        if re.fullmatch(numbers.PATTERNS[level], number):
            return level
    if re.fullmatch(_INTERNAL, number):
        return "internal"
    return ""


def _day(match: re.Match[str]) -> date | None:
    try:
        return date(int(match["y"]), int(match["m"]), int(match["d"]))
    except ValueError:
        return None


class CoverReader:
    """Reads cover lines into a ``Cover``; ``left`` keeps lines it took for the issuer but
    that no "发布" line closed (they go back to the text)."""

    def __init__(self) -> None:
        self.cover = Cover()
        self.last = ""  # what the previous cover line was
        self.kind_level = ""
        self.pending: list[tuple[int, str]] = []
        self.flags: list[str] = []
        self.lines = 0
        self.awaiting = ""  # a field label ("ICS") whose value is on the next line

    def feed(self, text: str, no: int = 0) -> bool:
        text = " ".join(text.replace("\u3000", " ").split())
        if not text:
            return True
        if self.awaiting:
            self.cover.fields[self.awaiting], self.awaiting = text, ""
            return True
        taken = self._dates(text) or self._issuer(text) or self._line(text, no)
        if taken:
            self.lines += 1
        return taken

    def feed_footer(self, text: str) -> None:
        """A footer line of the cover page: only dates and the issuer are read from it."""
        text = " ".join(text.replace("\u3000", " ").split())
        if text and not self._dates(text) and not self.cover.issuer:
            self._issuer(text)

    def _dates(self, text: str) -> bool:
        found = list(_DATE.finditer(text))
        if not found or _DATE.sub("", text).strip(" \t"):
            return False
        for match in found:
            day = _day(match) if match["y"].isdigit() else None
            if match["y"].isdigit() and day is None:
                self.flags.append(f"封面日期“{match[0]}”不是有效日期，未读取")
            if match["what"] == "发布":
                self.cover.published_on = day
            else:
                self.cover.effective_on = day
        self.last = "dates"
        return True

    def _issuer(self, text: str) -> bool:
        squeezed = squeeze(text)
        if not squeezed.endswith("发布") or len(squeezed) <= 2 or not has_cjk(squeezed):
            return False
        name = re.sub(r"\s*发\s*布$", "", text).strip()
        parts = [piece for _no, piece in self.pending] + [name]
        self.pending = []
        self.cover.issuer = " ".join(p for p in parts if p)
        self.last = "issuer"
        return True

    def _line(self, text: str, no: int) -> bool:
        cover = self.cover
        match = _FIELD.fullmatch(text)
        if match:
            value = match["value"].strip()
            if value:
                cover.fields[match["key"]] = value
            else:
                self.awaiting = match["key"]
            self.last = "field"
            return True
        number_level = level_of(text)
        if number_level:
            if not cover.number:
                cover.number = text
                cover.level = number_level
            self.last = "number"
            return True
        match = _REPLACES.fullmatch(text)
        if match:
            for piece in _SPLIT.split(match["list"]):
                if piece.strip():
                    cover.replaces.append(piece.strip())
            self.last = "replaces"
            return True
        if _MARK.fullmatch(text):
            self.last = "mark"
            return True
        match = _KIND.fullmatch(squeeze(text))
        if match and not cover.title:
            self.kind_level = _KIND_LEVELS[match["kind"]]
            self.last = "kind"
            return True
        match = _STAGE.fullmatch(text)
        if match:
            cover.fields["阶段"] = match["stage"]
            self.last = "stage"
            return True
        match = _REMARK.fullmatch(text)
        if match:
            cover.fields[match["key"].strip()] = match["value"].strip()
            self.last = "remark"
            return True
        if _ENGLISH.fullmatch(text) and (" " in text or any(c.islower() for c in text)):
            if cover.english_title and self.last == "english":
                cover.english_title = f"{cover.english_title} {text}"
            elif not cover.english_title:
                cover.english_title = text
            else:
                return False
            self.last = "english"
            return True
        if not has_cjk(text) or "。" in text or len(text) > 80:
            return False
        if not cover.title:
            cover.title = text
            self.last = "title"
            return True
        if self.last == "title":
            cover.title = f"{cover.title} {text}"
            return True
        if self.last in ("english", "dates", "issuer_part", "stage", "remark"):
            self.pending.append((no, text))
            self.last = "issuer_part"
            return True
        return False

    def finish(self) -> tuple[Cover, list[tuple[int, str]]]:
        """The cover, and the lines taken for an issuer that never came."""
        if not self.cover.level:
            self.cover.level = self.kind_level
        left, self.pending = self.pending, []
        return self.cover, left
