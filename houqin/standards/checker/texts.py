"""Sentences GB/T 1.1—2020 itself prescribes. Text that matches them is never a hit for a
word rule (a modal verb, a vague word), and the safe fixes insert them."""

from __future__ import annotations

import re

DRAFTING_STATEMENT = (
    "本文件按照GB/T 1.1—2020《标准化工作导则 第1部分：标准化文件的结构和起草规则》的规定起草。"
)
PATENT_NOTICE = "请注意本文件的某些内容可能涉及专利。本文件的发布机构不承担识别专利的责任。"
FIRST_ISSUE = "本文件首次发布。"
REFERENCES_LEAD_IN = (
    "下列文件中的内容通过文中的规范性引用而构成本文件必不可少的条款。其中，注日期的引用文件，"
    "仅该日期对应的版本适用于本文件；不注日期的引用文件，其最新版本（包括所有的修改单）适用于"
    "本文件。"
)
REFERENCES_NONE = "本文件没有规范性引用文件。"
TERMS_LEAD_IN = "下列术语和定义适用于本文件。"
TERMS_LEAD_IN_BORROWED = re.compile(r"^.{2,200}?界定的以及下列术语和定义适用于本文件。")
TERMS_NONE = "本文件没有需要界定的术语和定义。"

MANDATED = (
    DRAFTING_STATEMENT,
    PATENT_NOTICE,
    FIRST_ISSUE,
    REFERENCES_LEAD_IN,
    REFERENCES_NONE,
    TERMS_LEAD_IN,
    TERMS_NONE,
)
_MANDATED = re.compile(
    "|".join(
        [re.escape(s) for s in sorted(MANDATED, key=len, reverse=True)]
        + [
            r"本文件按照GB/T\s*1\.1[—-]2020.{0,60}?的规定起草。",
            TERMS_LEAD_IN_BORROWED.pattern.lstrip("^"),
            r"下列文件中的内容通过文中的规范性引用而构成本文件必不可少的条款。.{0,120}?适用于本文件。",
        ]
    ),
    re.S,
)


def without_mandated(text: str) -> str:
    """``text`` with the prescribed sentences blanked out (same length, so offsets hold)."""
    return _MANDATED.sub(lambda m: " " * len(m.group()), text)
