"""Element rules (GB/T 1.1—2020 §8, §9.6): the cover, the order and presence of the elements,
chapter numbering, the 目次 and the marking of annexes.

Also holds the small text helpers the other structural rule modules share."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from houqin.standards import textformat as tf
from houqin.standards.checker.base import Fix, Issue, issue, rule
from houqin.standards.checker.document import Cover, Draft, Element
from houqin.standards.numbers import PATTERNS, normalized

SPACES = re.compile(r"[\s\u3000]+")
TOC_TITLES = frozenset({"目次", "目录"})
HEADED = tf.CHAPTER_KINDS | {tf.CLAUSE, tf.ANNEX}
# A number typed at the head of a chapter or clause title: "4 总体要求", "5.1　人员", "A.2 记录".
TYPED_IN_TITLE = re.compile(
    r"^(?P<number>(?:[A-Z]\.)?\d{1,2}(?:\.\d{1,2}){0,6})[\s\u3000]+(?=[\u4e00-\u9fff])"
)


def squeeze(text: str) -> str:
    """``text`` without any whitespace (ASCII or full-width), for comparisons."""
    return SPACES.sub("", text)


def bare_title(title: str) -> str:
    """A heading's title without a number typed in front of it."""
    return TYPED_IN_TITLE.sub("", title.strip(), count=1)


def is_toc_chapter(element: Element) -> bool:
    """A chapter titled 目次: a contents list typed into the text as if it were a chapter."""
    return element.kind in tf.CHAPTER_KINDS and squeeze(bare_title(element.title)) in TOC_TITLES


def field(element: Element, key: str) -> str:
    """A text field of ``extra`` ("" when absent or not a string)."""
    value = element.extra.get(key)
    return value.strip() if isinstance(value, str) else ""


def printed_number(element: Element) -> str:
    """The number as the file prints it (an imported file's typed number), else by position."""
    return field(element, "typed") or element.number


def walk(elements: Iterable[Element]) -> Iterator[Element]:
    """These elements and everything below them in document order (iterative: the draft's
    own recursive walk costs a generator frame per level)."""
    stack = list(elements)[::-1]
    while stack:
        element = stack.pop()
        yield element
        if element.children:
            stack.extend(reversed(element.children))


def memo(draft: Draft, key: Any, build: Callable[[], Any]) -> Any:
    """What ``build`` derives from the whole draft, computed once per check."""
    try:
        return draft.memo[key]
    except KeyError:
        value = draft.memo[key] = build()
        return value


def walked_of(draft: Draft) -> list[Element]:
    """Every element of the draft in document order (once per check)."""
    return memo(draft, "walk", lambda: list(walk(draft.elements)))


def _headings(draft: Draft) -> Iterator[Element]:
    stack = [e for e in reversed(draft.elements) if e.kind in HEADED]
    while stack:
        element = stack.pop()
        yield element
        stack.extend(c for c in reversed(element.children) if c.kind == tf.CLAUSE)


def headings(draft: Draft) -> list[Element]:
    """Chapters, annexes and their 条 in document order (the content is not entered)."""
    return memo(draft, "headings", lambda: list(_headings(draft)))


def texts_of(draft: Draft, element: Element) -> list[str]:
    """``own_texts`` of an element of the draft, read once per check for the whole walk."""
    try:
        return draft.memo["texts"][id(element)]
    except KeyError:
        texts = memo(draft, "texts", lambda: {id(e): own_texts(e) for e in walked_of(draft)})
        return texts.get(id(element)) or own_texts(element)


def own_texts(element: Element) -> list[str]:
    """The words an element itself holds (not its children): text, heading title, cells."""
    if element.kind == tf.TABLE:
        header = element.extra.get("header") or []
        rows = element.extra.get("rows") or []
        cells = [*header, *(cell for row in rows for cell in row)]
        return [element.title, *(c for c in cells if isinstance(c, str))]
    if element.kind == tf.TERM:
        return [field(element, "term"), field(element, "definition")]
    if element.kind == tf.REFERENCE:
        return [field(element, "code"), field(element, "title")]
    return [t for t in (element.title, element.text) if t]


def top(draft: Draft, *kinds: str) -> list[Element]:
    """The top-level elements of these kinds, in order (a typed 目次 chapter left out)."""
    return memo(
        draft,
        ("top", kinds),
        lambda: [e for e in draft.elements if e.kind in kinds and not is_toc_chapter(e)],
    )


def chapters(draft: Draft) -> list[Element]:
    return top(draft, *tf.CHAPTER_KINDS)


def foreword_of(draft: Draft) -> Element | None:
    found = top(draft, tf.FOREWORD)
    return found[0] if found else None


# ---- S-ELEM-01 cover ----------------------------------------------------------------------

_PRINTED_LEVELS = ("national", "industry", "local")


def _level(cover: Cover) -> str:
    if cover.level:
        return cover.level
    number = normalized(cover.number)
    for level, pattern in PATTERNS.items():
        if re.fullmatch(pattern, number):
            return level
    return ""


def _read_from_a_file(cover: Cover) -> bool:
    """Whether the cover was read from an imported file's cover page (the importer fills
    ``fields`` or ``toc``); a cover from the markup header or the record is not."""
    return bool(cover.fields) or cover.toc is not None


@rule(
    "S-ELEM-01",
    severity="error",
    title="封面信息应完整",
    basis="GB/T 1.1—2020 8.1",
    why=(
        "封面标明文件是什么、由谁在何时发布、何时实施。缺少编号或名称的文件无法被引用和检索；"
        "发布、实施日期和发布机构缺失，使用者无法判断文件是否有效。"
    ),
    wrong="名称: 机关食堂餐饮服务规范\n\n# 范围\n本文件规定了机关食堂餐饮服务的要求。\n",
    right=(
        "编号: JGSW/TG 001—2026\n名称: 机关食堂餐饮服务规范\n\n"
        "# 范围\n本文件规定了机关食堂餐饮服务的要求。\n"
    ),
    scope="document",
)
def cover_complete(draft: Draft) -> Iterator[Issue]:
    cover = draft.cover
    required = (
        (("名称", cover.title),)
        if draft.stored
        else (("编号", cover.number), ("名称", cover.title))
    )
    missing = [name for name, value in required if not value]
    # A stored draft's cover is the standard's record: the number, the dates and the issuing
    # body are fixed when the standard is approved, so a draft only needs its title. A markup
    # header needs its number and title (it has no issuing body); the same holds
    # for a markup header (it has no issuing body); a cover read from an imported file is a
    # printed cover and must carry everything §8.1 lists.
    if not draft.stored and _read_from_a_file(cover):
        for name, value in (
            ("发布日期", cover.published_on),
            ("实施日期", cover.effective_on),
            ("发布机构", cover.issuer),
        ):
            if not value:
                missing.append(name)
        level = _level(cover)
        if level in _PRINTED_LEVELS:
            missing += [key for key in ("ICS", "CCS") if not cover.fields.get(key, "").strip()]
        if level in ("national", "industry") and not cover.english_title:
            missing.append("英文名称")
    elif not draft.stored and bool(cover.published_on) != bool(cover.effective_on):
        missing.append("实施日期" if cover.published_on else "发布日期")
    if missing:
        yield issue(
            "S-ELEM-01",
            None,
            f"封面缺少{'、'.join(missing)}。",
            f"请补充{'、'.join(missing)}。",
            source=cover.title or cover.number,
            clause="封面",
        )
    if cover.published_on and cover.effective_on and cover.effective_on < cover.published_on:
        yield issue(
            "S-ELEM-01",
            None,
            f"实施日期（{cover.effective_on:%Y-%m-%d}）早于发布日期"
            f"（{cover.published_on:%Y-%m-%d}）。",
            "实施日期应在发布日期当日或之后，请核对两个日期。",
            source=cover.title or cover.number,
            clause="封面",
        )


# ---- S-ELEM-02 order ----------------------------------------------------------------------

_SYMBOL_TITLES = frozenset({"符号", "缩略语", "符号和缩略语", "符号、代号和缩略语", "代号和缩略语"})
_CLASS_TITLES = frozenset({"分类和编码", "分类与编码", "分类", "编码", "系统构成"})
_GENERAL_TITLES = frozenset(
    {"总体原则", "总体要求", "总体原则和总体要求", "总体原则和要求", "总则"}
)
_CHAPTER_NAMES = {tf.SCOPE: "范围", tf.REFERENCES: "规范性引用文件", tf.TERMS: "术语和定义"}


def chapter_role(element: Element) -> str:
    """scope / references / terms by kind or by its title (a typed number stripped), else
    symbols / classification / general / core by the title of §8.8–8.11."""
    if element.kind in _CHAPTER_NAMES:
        return element.kind
    title = squeeze(bare_title(element.title))
    for kind, name in _CHAPTER_NAMES.items():
        if title == name:
            return kind
    if title in _SYMBOL_TITLES:
        return "symbols"
    if title in _CLASS_TITLES:
        return "classification"
    if title in _GENERAL_TITLES:
        return "general"
    return "core"


_CHAPTER_RANK = {
    tf.SCOPE: 0,
    tf.REFERENCES: 1,
    tf.TERMS: 2,
    "symbols": 3,
    "classification": 4,
    "general": 5,
    "core": 6,
}
_GROUP = {tf.FOREWORD: 0, tf.INTRODUCTION: 1, tf.ANNEX: 3, tf.BIBLIOGRAPHY: 4}


def _rank(element: Element) -> tuple[int, int]:
    if element.kind in tf.CHAPTER_KINDS:
        return 2, _CHAPTER_RANK[chapter_role(element)]
    return _GROUP.get(element.kind, 2), 0


def _name(element: Element) -> str:
    if element.kind in tf.CHAPTER_KINDS:
        return f"{element.number} {element.title}"
    if element.kind == tf.ANNEX:
        return element.number
    return element.label


def _misplaced(elements: list[Element]) -> set[int]:
    """Indices of the elements to move so the rest stand in canonical order. Front matter
    belongs before everything else; for the others the fewest moves, and of two elements that
    swapped places the earlier (lower-numbered) one is the one to move."""
    ranks = [_rank(e) for e in elements]
    bad = {
        i
        for i, (group, _) in enumerate(ranks)
        if group < 2 and any(r[0] > group for r in ranks[:i])
    }
    rest = [i for i, r in enumerate(ranks) if r[0] >= 2]
    values = [ranks[i] for i in rest]
    count = len(values)
    longest = [1] * count  # longest non-decreasing run of ranks starting at each element
    for i in range(count - 1, -1, -1):
        for j in range(i + 1, count):
            if values[j] >= values[i]:
                longest[i] = max(longest[i], longest[j] + 1)
    need = max(longest, default=0)
    kept: set[int] = set()
    floor, start = (0, 0), 0
    while need:
        pick = max(i for i in range(start, count) if longest[i] == need and values[i] >= floor)
        kept.add(pick)
        floor, start, need = values[pick], pick + 1, need - 1
    bad.update(rest[i] for i in range(count) if i not in kept)
    return bad


@rule(
    "S-ELEM-02",
    severity="error",
    title="要素应按规定的顺序编排",
    basis="GB/T 1.1—2020 第8章",
    why=(
        "GB/T 1.1 规定了要素的先后：前言、引言、范围、规范性引用文件、术语和定义、符号和缩略语、"
        "分类和编码、总体要求、核心技术要素、附录、参考文献。顺序固定，读者才能在每份标准的同一"
        "位置找到同一类内容。"
    ),
    wrong=(
        "@前言\n本文件由江城市机关事务服务中心提出。\n\n# 范围\n本文件规定了会议服务的要求。\n\n"
        "# 会场准备\n会场温度应保持在18 ℃～26 ℃。\n\n# 总体要求\n会议服务员应穿着统一工装。\n"
    ),
    right=(
        "@前言\n本文件由江城市机关事务服务中心提出。\n\n# 范围\n本文件规定了会议服务的要求。\n\n"
        "# 总体要求\n会议服务员应穿着统一工装。\n\n# 会场准备\n会场温度应保持在18 ℃～26 ℃。\n"
    ),
    scope="document",
    fix="auto",
)
def canonical_order(draft: Draft) -> Iterator[Issue]:
    siblings = draft.elements
    placed = [(i, e) for i, e in enumerate(siblings) if not is_toc_chapter(e)]
    bad_local = _misplaced([e for _, e in placed])
    bad = {placed[k][0] for k in bad_local}
    for index in sorted(bad):
        element = siblings[index]
        rank = _rank(element)
        others = [(i, e) for i, e in enumerate(siblings) if i != index]
        target = len(others)
        for position, (i, other) in enumerate(others):
            if i not in bad and not is_toc_chapter(other) and _rank(other) > rank:
                target = position
                break
        if target:
            where = f"应移到“{_name(others[target - 1][1])}”之后"
        else:
            where = f"应移到“{_name(others[0][1])}”之前"
        yield issue(
            "S-ELEM-02",
            element,
            f"“{_name(element)}”的位置不符合要素顺序，{where}。",
            "要素顺序：前言、引言、范围、规范性引用文件、术语和定义、符号和缩略语、分类和编码、"
            "总体要求、核心技术要素、附录、参考文献。",
            source=element.title or element.text,
            fix=Fix(element.uid, "position", index, target),
        )


# ---- S-ELEM-03 required elements ----------------------------------------------------------


@rule(
    "S-ELEM-03",
    severity="error",
    title="应有前言、范围和核心技术要素",
    basis="GB/T 1.1—2020 第8章",
    why=(
        "前言说明文件的起草依据、提出和归口单位、起草人；范围说明文件规定了什么、适用于什么；"
        "核心技术要素是文件要求本身。缺少其中任何一个，文件都不完整。"
    ),
    wrong="# 范围\n本文件规定了会议服务的要求。\n\n# 会场准备\n会场温度应保持在18 ℃～26 ℃。\n",
    right=(
        "@前言\n本文件由江城市机关事务服务中心提出。\n\n# 范围\n本文件规定了会议服务的要求。\n\n"
        "# 会场准备\n会场温度应保持在18 ℃～26 ℃。\n"
    ),
    scope="document",
    fix="suggestion",
)
def required_elements(draft: Draft) -> Iterator[Issue]:
    roles = [chapter_role(e) for e in chapters(draft)]
    if foreword_of(draft) is None:
        yield issue(
            "S-ELEM-03",
            None,
            "缺少前言。",
            "在范围之前增加“前言”，写明起草依据、专利说明、提出和归口单位、起草单位和起草人。",
            clause="",
        )
    if tf.SCOPE not in roles:
        yield issue(
            "S-ELEM-03",
            None,
            "缺少“范围”一章。",
            "增加第1章“范围”，写明“本文件规定了……”和“本文件适用于……”。",
            clause="",
        )
    if not any(r in ("general", "core", "classification") for r in roles):
        yield issue(
            "S-ELEM-03",
            None,
            "缺少核心技术要素：除范围、规范性引用文件、术语和定义之外没有任何一章。",
            "增加规定具体要求的章，如“4 总体要求”“5 服务提供”。",
            clause="",
        )


# ---- S-ELEM-04 chapter numbering ----------------------------------------------------------


def _expected(previous: str | None, prefix: str) -> str:
    """The number a heading should carry after its previous sibling's printed number."""
    if previous:
        head, _, last = previous.rpartition(".")
        if last.isdigit():
            return f"{head}.{int(last) + 1}" if head else str(int(last) + 1)
    return f"{prefix}.1" if prefix else "1"


def _typed_sequence(siblings: Iterable[Element], prefix: str) -> Iterator[Issue]:
    previous: str | None = None
    for element in siblings:
        if element.kind not in (tf.CHAPTER_KINDS | {tf.CLAUSE}) or is_toc_chapter(element):
            continue
        typed = squeeze(field(element, "typed"))
        expected = _expected(previous, prefix)
        if typed and typed != expected:
            yield issue(
                "S-ELEM-04",
                element,
                f"编号“{typed}”与所在位置不符，按顺序应为“{expected}”。",
                "章、条应从1起连续编号，不跳号、不重号。",
                source=element.title,
                clause=typed,
                fix=Fix(
                    element.uid, "extra", dict(element.extra), {**element.extra, "typed": expected}
                ),
            )
        previous = typed or expected
        yield from _typed_sequence(element.children, previous)


def _annex_prefix(annex: Element) -> str:
    typed = squeeze(field(annex, "typed") or annex.number)
    letter = typed.removeprefix("附录")[:1]
    return letter if letter.isalpha() else annex.number.removeprefix("附录")


@rule(
    "S-ELEM-04",
    severity="error",
    title="章从1起连续编号，第1章为“范围”",
    basis="GB/T 1.1—2020 7.2",
    why=(
        "章、条编号由位置决定：第1章是范围，其后各章、各条依次连续编号。手工输入的编号一旦与"
        "位置不符，引用“见5.3”就会指向错误的条文。"
    ),
    wrong="# 范围\n本文件规定了会议服务的要求。\n\n# 4 会场准备\n会场温度应保持在18 ℃～26 ℃。\n",
    right="# 范围\n本文件规定了会议服务的要求。\n\n# 会场准备\n会场温度应保持在18 ℃～26 ℃。\n",
    scope="document",
    fix="auto",
)
def chapter_numbering(draft: Draft) -> Iterator[Issue]:
    found = chapters(draft)
    roles = [chapter_role(e) for e in found]
    if found and roles[0] != tf.SCOPE and tf.SCOPE in roles:
        first = found[0]
        yield issue(
            "S-ELEM-04",
            first,
            f"第1章应为“范围”，现为“{first.title}”。",
            "把“范围”作为第1章。",
            source=first.title,
        )
    yield from _typed_sequence(draft.elements, "")
    for annex in top(draft, tf.ANNEX):
        yield from _typed_sequence(annex.children, _annex_prefix(annex))
    for element in headings(draft):
        if element.kind == tf.ANNEX:
            continue
        match = TYPED_IN_TITLE.match(element.title)
        if not match or match["number"].count(".") != element.number.count("."):
            continue
        if element.kind != tf.CLAUSE and int(match["number"]) > 30:
            continue
        yield issue(
            "S-ELEM-04",
            element,
            f"标题中手工写了编号“{match['number']}”；章条编号由系统按位置自动生成。",
            "删除标题前的编号。",
            span=(0, match.end()),
            source=element.title,
            fix=Fix(element.uid, "title", element.title, element.title[match.end() :]),
        )
