"""Standard numbers (S-ID-01): the code of each level and the center's internal scheme.

    GB 31654—2021 / GB/T 24421.1—2023 / GB/Z …        national
    WB/T 1001—2020, JGJ 33—2012 (2–4 letters [/T])    industry
    DB64/T 1773—2021, DB3206/T 1088—2024              local (2 or 4 digit region code)
    T/CAS 290—2017                                     group
    <prefix>/XX 003—2026                               internal (prefix is a setting)

The year has four digits; the dash is the em dash "—" (a hyphen or en dash is accepted on
input and stored as "—")."""

from __future__ import annotations

import re

_SEQ = r"\d{1,5}(?:\.\d{1,3})*"
_YEAR = r"(?:—(?P<year>\d{4}))"
PATTERNS: dict[str, str] = {
    "national": rf"GB(?:/T|/Z)? {_SEQ}{_YEAR}?",
    "industry": rf"(?!GB|DB|T/)[A-Z]{{2,4}}(?:/T)? [A-Z]?{_SEQ}{_YEAR}?",
    "local": rf"DB\d{{2}}(?:\d{{2}})?(?:/T)? {_SEQ}{_YEAR}?",
    "group": rf"T/[A-Z]{{2,10}} {_SEQ}{_YEAR}?",
}
EXAMPLES = {
    "national": "GB/T 24421.1—2023",
    "industry": "WB/T 1001—2020",
    "local": "DB64/T 1773—2021",
    "group": "T/CAS 290—2017",
}


def normalized(number: str) -> str:
    """Collapse spaces, use the em dash between number and year."""
    text = re.sub(r"\s+", " ", number.strip().replace("／", "/"))
    return re.sub(r"\s*[-–－―]+\s*(?=\d{4}$)|\s*—\s*(?=\d{4}$)", "—", text)


def internal_pattern(prefix: str) -> str:
    return rf"{re.escape(prefix)}/[A-Z]{{1,4}} \d{{1,4}}{_YEAR}"


def number_error(number: str, level: str, prefix: str) -> str:
    """Why a number does not fit its level's format, or "" when it does."""
    pattern = internal_pattern(prefix) if level == "internal" else PATTERNS.get(level)
    if pattern is None or re.fullmatch(pattern, number):
        return ""
    example = f"{prefix}/FW 003—2026" if level == "internal" else EXAMPLES[level]
    return (
        f"编号“{number}”不符合格式，应形如“{example}”"
        "（代号与顺序号之间空一格，年号为四位，用“—”连接）。"
    )
