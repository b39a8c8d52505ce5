"""Numbering rules (GB/T 1.1—2020 §7.1–7.4): how deep 条 may go, no lone subdivision, titles
alike among siblings, no hanging paragraph, no subdivided untitled 条, one level of 部分."""

from __future__ import annotations

import re
from collections.abc import Iterator

from houqin.standards import textformat as tf
from houqin.standards.checker.base import Issue, issue, rule
from houqin.standards.checker.document import Draft, Element
from houqin.standards.checker.rules.elements import headings
from houqin.standards.numbers import normalized

MAX_CLAUSE_DEPTH = 5
_PARENTS = tf.CHAPTER_KINDS | {tf.CLAUSE, tf.ANNEX}
# A number typed at the head of a paragraph that reaches a sixth 条 level: 5.1.1.1.1.1.1
_TOO_DEEP_TYPED = re.compile(r"^(?:[A-Z]|\d{1,2})(?:\.\d{1,2}){6,}(?=[\s\u3000]|$)")


def _clauses(element: Element) -> list[Element]:
    return [c for c in element.children if c.kind == tf.CLAUSE]


def _parents(draft: Draft) -> list[Element]:
    """Chapters, clauses and annexes: the elements that may hold 条."""
    return headings(draft)


def _sub_number(element: Element) -> str:
    """The number its first sub-clause takes: "5.1", "A.1"."""
    return f"{element.number.removeprefix('附录')}.1"


@rule(
    "S-NUM-01",
    severity="error",
    title="条最多分到第五层",
    basis="GB/T 1.1—2020 7.3",
    why=(
        "条可以一层层细分，但最多到第五层（如5.1.1.1.1.1）。再往下分，编号冗长、难以引用，"
        "也说明内容需要重新组织：拆成新的条或改用列项。"
    ),
    wrong=(
        "# 安全\n## 消防\n### 设施\n#### 灭火器\n##### 检查\n###### 外观\n"
        "5.1.1.1.1.1.1 压力表指针应在绿区。\n"
    ),
    right=(
        "# 安全\n## 消防\n### 设施\n#### 灭火器\n##### 检查\n###### 外观\n压力表指针应在绿区。\n"
    ),
    scope="document",
)
def clause_depth(draft: Draft) -> Iterator[Issue]:
    def visit(element: Element, depth: int) -> Iterator[Issue]:
        for child in element.children:
            if child.kind == tf.CLAUSE:
                if depth + 1 > MAX_CLAUSE_DEPTH:
                    yield issue(
                        "S-NUM-01",
                        child,
                        f"条“{child.number}”已是第{depth + 1}层，条最多分到第五层。",
                        "合并这一层，或把细分的内容改写为列项。",
                        source=child.title,
                    )
                    continue
                yield from visit(child, depth + 1)
            elif child.kind == tf.PARAGRAPH:
                typed = _TOO_DEEP_TYPED.match(child.text)
                if typed:
                    yield issue(
                        "S-NUM-01",
                        child,
                        f"段首手工编号“{typed.group()}”超过了条的第五层。",
                        "条最多分到第五层；把这部分内容改写为列项，或重新组织上一层的条。",
                        span=typed.span(),
                    )

    for top in draft.elements:
        if top.kind in tf.CHAPTER_KINDS or top.kind == tf.ANNEX:
            yield from visit(top, 0)


@rule(
    "S-NUM-02",
    severity="error",
    title="不能只分出一个条（有5.1就应有5.2）",
    basis="GB/T 1.1—2020 7.3",
    why=(
        "分条是把一章或一条分成几个并列的部分；只分出一个条（有5.1而没有5.2）等于没有分，"
        "徒增一层编号。要么再分出第二个条，要么取消这一层。"
    ),
    wrong="# 留样\n## 留样量\n每个品种的留样量应不少于125 g。\n",
    right=(
        "# 留样\n## 留样量\n每个品种的留样量应不少于125 g。\n"
        "## 留样时间\n留样食品的存放时间应不少于48 h。\n"
    ),
    scope="document",
)
def lone_subdivision(draft: Draft) -> Iterator[Issue]:
    for parent in _parents(draft):
        subs = _clauses(parent)
        if len(subs) == 1:
            (lone,) = subs
            yield issue(
                "S-NUM-02",
                lone,
                f"“{parent.number}”之下只有一个条“{lone.number}”。",
                f"再分出一个并列的条，或取消“{lone.number}”这一层，把内容并入“{parent.number}”。",
                source=lone.title,
            )


@rule(
    "S-NUM-03",
    severity="warning",
    title="同一层的条要么都有标题，要么都没有",
    basis="GB/T 1.1—2020 7.3",
    why=(
        "同一章或同一条之下的并列各条，标题要统一：都有标题，或都没有标题。有的有、有的没有，"
        "读者无法从目次和标题判断条文结构。"
    ),
    wrong=(
        "# 留样\n## 留样量\n每个品种的留样量应不少于125 g。\n##\n留样食品的存放时间应不少于48 h。\n"
    ),
    right=(
        "# 留样\n## 留样量\n每个品种的留样量应不少于125 g。\n"
        "## 留样时间\n留样食品的存放时间应不少于48 h。\n"
    ),
    scope="document",
)
def titles_alike(draft: Draft) -> Iterator[Issue]:
    for parent in _parents(draft):
        subs = _clauses(parent)
        titled = [bool(c.title.strip()) for c in subs]
        if len(set(titled)) < 2:
            continue
        at = next(i for i in range(len(subs) - 1) if titled[i] != titled[i + 1])
        untitled = "、".join(c.number for c, t in zip(subs, titled, strict=True) if not t)
        yield issue(
            "S-NUM-03",
            subs[at],
            f"“{parent.number}”之下的条有的有标题，有的没有（{untitled}没有标题）。",
            "给无标题的条补上标题，或去掉其余各条的标题。",
            source=subs[at].title,
        )


@rule(
    "S-NUM-04",
    severity="error",
    title="不能有悬置段",
    basis="GB/T 1.1—2020 7.4",
    why=(
        "章或条的标题之下、第一个分条之前的段落叫悬置段：它没有自己的编号，无法被准确引用"
        "（“见5”指的是这段还是整章？）。应把它放进一个新的条，通常是“x.1 概述”。"
    ),
    wrong=(
        "# 留样\n留样应由专人负责。\n## 留样量\n每个品种的留样量应不少于125 g。\n"
        "## 留样时间\n留样食品的存放时间应不少于48 h。\n"
    ),
    right=(
        "# 留样\n## 概述\n留样应由专人负责。\n## 留样量\n每个品种的留样量应不少于125 g。\n"
        "## 留样时间\n留样食品的存放时间应不少于48 h。\n"
    ),
    scope="document",
    fix="suggestion",
)
def hanging_paragraph(draft: Draft) -> Iterator[Issue]:
    for parent in _parents(draft):
        if parent.kind in (tf.TERMS, tf.REFERENCES) or not _clauses(parent):
            continue
        hanging = [c for c in parent.children if c.kind in tf.CONTENT_KINDS]
        if hanging:
            first = hanging[0]
            yield issue(
                "S-NUM-04",
                parent,
                f"“{parent.number}”的标题之下、分条之外有{len(hanging)}段内容（悬置段）。",
                f"增加“{_sub_number(parent)} 概述”，把这些内容移入其中，原有各条依次后移。",
                source=first.text or first.title,
            )


@rule(
    "S-NUM-05",
    severity="error",
    title="无标题的条不再分条",
    basis="GB/T 1.1—2020 7.3",
    why=(
        "无标题的条只是一段有编号的文字；再在它之下分条，读者无从知道这些分条是关于什么的。"
        "要分条，先给这一条加上标题。"
    ),
    wrong=(
        "# 留样\n##\n### 留样量\n每个品种的留样量应不少于125 g。\n"
        "### 留样时间\n留样食品的存放时间应不少于48 h。\n##\n留样记录应保存12个月。\n"
    ),
    right=(
        "# 留样\n## 留样要求\n### 留样量\n每个品种的留样量应不少于125 g。\n"
        "### 留样时间\n留样食品的存放时间应不少于48 h。\n## 留样记录\n留样记录应保存12个月。\n"
    ),
    scope="document",
)
def untitled_subdivided(draft: Draft) -> Iterator[Issue]:
    for parent in _parents(draft):
        if parent.kind == tf.CLAUSE and not parent.title.strip() and _clauses(parent):
            yield issue(
                "S-NUM-05",
                parent,
                f"条“{parent.number}”没有标题，却又分了条。",
                f"给“{parent.number}”加上标题，或取消它之下的分条。",
                source=parent.text,
            )


_SEQUENCE = re.compile(r"\s(?P<seq>[A-Z]?\d+(?:\.\d+)*)(?:—\d{4})?$")
_PART_TITLE = re.compile(r"第\s*(?P<n>\d+|[一二三四五六七八九十]{1,3})\s*部分")
_CN = {c: i for i, c in enumerate("一二三四五六七八九十", start=1)}


def _part_in_title(text: str) -> int:
    if text.isdigit():
        return int(text)
    if len(text) == 1:
        return _CN[text]
    tens, _, ones = text.partition("十")  # 十一, 二十, 二十三
    return (_CN[tens] if tens else 1) * 10 + (_CN[ones] if ones else 0)


@rule(
    "S-NUM-06",
    severity="error",
    title="部分编号只有一层",
    basis="GB/T 1.1—2020 7.1",
    why=(
        "分为部分的文件，部分编号写在文件顺序号之后，用下脚点隔开（GB/T 24421.1），只能有一层，"
        "不能再分出“.1.2”；部分的名称中写明“第×部分：”，与编号一致。"
    ),
    wrong="编号: GB/T 24421.1.2—2026\n名称: 服务业组织标准化工作指南 第1部分：基本要求\n",
    right="编号: GB/T 24421.1—2026\n名称: 服务业组织标准化工作指南 第1部分：基本要求\n",
    scope="document",
)
def part_number(draft: Draft) -> Iterator[Issue]:
    cover = draft.cover
    match = _SEQUENCE.search(normalized(cover.number)) if cover.number else None
    if match is None:
        return
    parts = match["seq"].split(".")
    source = f"{cover.number} {cover.title}"
    if len(parts) > 2:
        yield issue(
            "S-NUM-06",
            None,
            f"编号“{cover.number}”的部分编号有{len(parts) - 1}层，部分编号只能有一层。",
            "部分不再细分；需要时把它拆成几个并列的部分，各用一个部分编号。",
            source=source,
            clause="封面",
        )
        return
    named = _PART_TITLE.search(cover.title)
    if not cover.title:
        return
    if len(parts) == 2 and named is None:
        yield issue(
            "S-NUM-06",
            None,
            f"编号“{cover.number}”表明这是第{parts[1]}部分，名称中却没有“第{parts[1]}部分”。",
            f"名称写成“……  第{parts[1]}部分：……”。",
            source=source,
            clause="封面",
        )
    elif named is not None and (len(parts) == 1 or _part_in_title(named["n"]) != int(parts[1])):
        yield issue(
            "S-NUM-06",
            None,
            f"名称中的“{named.group()}”与编号“{cover.number}”不一致。",
            "部分编号写在文件顺序号之后，用下脚点隔开，如“GB/T 24421.1”，与名称中的部分一致。",
            span=(named.start() + len(cover.number) + 1, named.end() + len(cover.number) + 1),
            source=source,
            clause="封面",
        )
