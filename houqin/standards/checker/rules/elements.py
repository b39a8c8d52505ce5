"""Element rules (GB/T 1.1—2020 §8, §9.6): the cover, the order and presence of the elements,
chapter numbering, the 目次 and the marking of annexes.

Also holds the small text helpers the other structural rule modules share."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from houqin.standards import textformat as tf
from houqin.standards.checker.base import WARNING, Fix, Issue, issue, rule
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


def headings(draft: Draft) -> Iterator[Element]:
    """Chapters, annexes and their 条 in document order (the content is not entered)."""
    stack = [e for e in reversed(draft.elements) if e.kind in HEADED]
    while stack:
        element = stack.pop()
        yield element
        stack.extend(c for c in reversed(element.children) if c.kind == tf.CLAUSE)


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
    return [e for e in draft.elements if e.kind in kinds and not is_toc_chapter(e)]


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


# ---- S-ELEM-05 目次 ------------------------------------------------------------------------

# Dot leaders and the page number that end a 目次 line: "1　范围………1", "前言\tⅠ".
_TOC_PAGE = re.compile(
    r"(?:[\s\u3000.．…·•_]+(?:[ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ]+|[IVXLivxl]+|\d+))?[\s\u3000.．…·•_]*$"
)
_TOC_HEAD = re.compile(
    r"^(?P<number>附录[A-Z]|[表图](?:[A-Z]\.)?\d+|(?:[A-Z]\.)?\d+(?:\.\d+)*)?"
    r"[\s\u3000]*(?P<title>.*)$"
)
_ANNEX_MARK = re.compile(r"[（(](?:规范性|资料性)(?:附录)?[)）]")
_TOC_SUMMARY_AFTER = 4


def _toc_key(number: str, title: str) -> str:
    return squeeze(number) + "|" + squeeze(_ANNEX_MARK.sub("", title))


def _toc_line(line: str) -> tuple[str, str]:
    text = _TOC_PAGE.sub("", line.strip())
    match = _TOC_HEAD.match(text)
    assert match is not None
    return match["number"] or "", match["title"]


def _headings(draft: Draft) -> tuple[dict[str, str], set[str], set[str], dict[str, str]]:
    """目次 keys of the headings that must be listed (with their printed line), of those
    that may be, of the term entries, and each listed heading's key by its bare title."""
    required: dict[str, str] = {}
    optional: set[str] = set()
    terms: set[str] = set()
    by_title: dict[str, str] = {}
    for element in walk(draft.elements):
        kind, title = element.kind, element.title
        if kind in (tf.FOREWORD, tf.INTRODUCTION, tf.BIBLIOGRAPHY):
            required[_toc_key("", element.label)] = element.label
        elif (kind in tf.CHAPTER_KINDS or kind == tf.ANNEX) and not is_toc_chapter(element):
            key = _toc_key(printed_number(element), title)
            required[key] = f"{printed_number(element)} {title}"
            by_title[squeeze(title)] = key
        elif kind == tf.CLAUSE and title:
            optional.add(_toc_key(printed_number(element), title))
        elif kind in (tf.TABLE, tf.FIGURE) and title:
            optional.add(_toc_key(element.number, title))
        elif kind == tf.TERM:
            terms.add(squeeze(field(element, "term")))
    return required, optional, terms, by_title


def _toc_faults(draft: Draft, toc: list[str]) -> list[str]:
    required, optional, terms, by_title = _headings(draft)
    faults: list[str] = []
    seen: set[str] = set()
    for raw in toc:
        number, title = _toc_line(raw)
        key, bare = _toc_key(number, title), squeeze(_ANNEX_MARK.sub("", title))
        if not squeeze(raw) or bare == "索引":
            continue
        if key in required or key in optional:
            seen.add(key)
        elif bare in terms:
            faults.append(f"列出了术语“{bare}”，术语和定义中的条目不应列入目次")
        elif bare in by_title:
            seen.add(by_title[bare])
            faults.append(f"“{raw.strip()}”的编号与正文标题“{required[by_title[bare]]}”不一致")
        else:
            faults.append(f"“{raw.strip()}”在正文中没有对应的标题")
    faults += [f"缺少“{line}”" for key, line in required.items() if key not in seen]
    return faults


@rule(
    "S-ELEM-05",
    severity=WARNING,
    title="目次应与正文标题一致，不列术语",
    basis="GB/T 1.1—2020 8.2",
    why=(
        "目次呈现文件的结构：前言、引言、各章编号和标题、附录、参考文献，编号和标题应与正文"
        "完全一致；术语和定义中的条目不列入目次。目次由系统按标题自动生成，手工录入的目次"
        "容易与正文脱节。"
    ),
    wrong=("# 目次\n前言\n1 范围\n3.1 留样\n\n# 范围\n本文件规定了机关食堂餐饮服务的要求。\n"),
    right="# 范围\n本文件规定了机关食堂餐饮服务的要求。\n",
    scope="document",
    fix="auto",
)
def table_of_contents(draft: Draft) -> Iterator[Issue]:
    for element in draft.elements:
        if is_toc_chapter(element):
            yield issue(
                "S-ELEM-05",
                element,
                "目次被写成了正文中的一章。",
                "删除这一章：目次由系统根据各章、附录的标题自动生成。",
                source=element.title,
                clause="目次",
            )
    toc = draft.cover.toc
    if draft.stored or not toc:
        return
    faults = _toc_faults(draft, toc)
    if len(faults) > _TOC_SUMMARY_AFTER:
        shown = "；".join(faults[:_TOC_SUMMARY_AFTER])
        yield issue(
            "S-ELEM-05",
            None,
            f"目次与正文标题有{len(faults)}处不一致：{shown}等。",
            "按正文标题重新生成目次。",
            source="\n".join(toc),
            clause="目次",
        )
        return
    for fault in faults:
        yield issue(
            "S-ELEM-05",
            None,
            f"目次{fault}。",
            "按正文标题重新生成目次。",
            source="\n".join(toc),
            clause="目次",
        )


# ---- S-ELEM-06 annexes --------------------------------------------------------------------

_ANNEX_TYPES = {"normative": "规范性", "informative": "资料性"}
# An informative annex cited as a requirement: "……应符合附录A的规定", "按附录B执行".
_REQUIRED_USE = r"(?:应|须)[^。；]{0,30}?(?:符合|按照?|依据|满足|执行)[^。；，,]{0,6}?附录"


def _annex_letter(annex: Element) -> str:
    return annex.number.removeprefix("附录")


_MENTION = re.compile(r"附录\s*([A-Z])(?![A-Za-z])|[表图]\s*([A-Z])\.\d|(?<![A-Za-z./])([A-Z])\.\d")


def _mentions(draft: Draft) -> dict[str, list[str]]:
    """By annex letter, the texts outside that annex naming it or its tables, figures or 条."""
    found: dict[str, list[str]] = {}
    for top_element in draft.elements:
        own = _annex_letter(top_element) if top_element.kind == tf.ANNEX else ""
        for element in walk([top_element]):
            for text in own_texts(element):
                letters = {a or b or c for a, b, c in _MENTION.findall(text)} - {own}
                for letter in letters:
                    found.setdefault(letter, []).append(text)
    return found


@rule(
    "S-ELEM-06",
    severity="error",
    title="附录应标明“规范性”或“资料性”，并在正文中提及",
    basis="GB/T 1.1—2020 9.6",
    why=(
        "规范性附录是文件要求的一部分，资料性附录只提供参考。附录标题下须标明“（规范性）”或"
        "“（资料性）”，并在正文中提及；资料性附录不能被当作要求来引用。"
    ),
    wrong=(
        "# 留样\n留样人应填写留样记录，记录应符合附录A的规定。\n\n"
        "@附录 资料性 留样记录表\n表：留样记录表\n| 日期 | 餐次 |\n| 4月1日 | 午餐 |\n"
    ),
    right=(
        "# 留样\n留样人应填写留样记录，记录格式见附录A。\n\n"
        "@附录 资料性 留样记录表\n表：留样记录表\n| 日期 | 餐次 |\n| 4月1日 | 午餐 |\n"
    ),
    scope="document",
)
def annex_marked(draft: Draft) -> Iterator[Issue]:
    mentioned = _mentions(draft)
    for annex in top(draft, tf.ANNEX):
        kind = annex.extra.get("annex_type")
        if kind not in _ANNEX_TYPES:
            yield issue(
                "S-ELEM-06",
                annex,
                f"{annex.number}没有标明是规范性附录还是资料性附录。",
                f"在{annex.number}的编号之下标明“（规范性）”或“（资料性）”。",
                source=annex.title,
            )
            continue
        letter = _annex_letter(annex)
        mentions = mentioned.get(letter, [])
        if not mentions:
            yield issue(
                "S-ELEM-06",
                annex,
                f"{annex.number}在正文中没有被提及。",
                f"在引出它的条文中写明“见{annex.number}”或“应符合{annex.number}的规定”。",
                source=annex.title,
                severity=WARNING,
            )
            continue
        required = re.compile(_REQUIRED_USE + rf"\s*{letter}(?![A-Za-z])")
        if kind == "informative" and any(required.search(t) for t in mentions):
            used = next(t for t in mentions if required.search(t))
            found = required.search(used)
            assert found is not None
            yield issue(
                "S-ELEM-06",
                annex,
                f"{annex.number}标为资料性附录，正文却要求“符合”它，把它当作要求引用。",
                f"若附录内容是要求，标为“（规范性）”；若只供参考，正文改为“见{annex.number}”。",
                span=found.span(),
                source=used,
                severity=WARNING,
            )
