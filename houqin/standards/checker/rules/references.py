"""Reference rules (GB/T 1.1—2020 §8.6, §9.5): chapter 2's lead-in, the list against the
citations in the body, the form and order of the entries, withdrawn or replaced documents."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from houqin.standards import textformat as tf
from houqin.standards.checker import texts
from houqin.standards.checker.base import Fix, Issue, issue, rule
from houqin.standards.checker.document import Draft, Element
from houqin.standards.checker.rules.elements import (
    chapter_role,
    chapters,
    field,
    own_texts,
    squeeze,
    texts_of,
    top,
    walk,
)
from houqin.standards.numbers import normalized

_GB_LIKE = r"GB(?:/[TZ])?|DB\d{2}(?:\d{2})?(?:/T)?|T/[A-Z]{2,10}|ISO(?:/IEC)?|IEC"
CITATION = re.compile(
    r"(?<![A-Za-z0-9/])"
    rf"(?:(?P<gb>{_GB_LIKE})\s*|(?P<other>[A-Z]{{2,6}}(?:/[A-Z]{{1,4}})?)\s+)"
    r"(?P<seq>[A-Z]?\d+(?:\.\d+)*(?:-\d{1,3}(?!\d))*)"
    r"(?:\s*[—–－-]\s*(?P<year>\d{4})(?!\d)|:(?P<iso_year>\d{4})(?!\d))?"
    r"(?P<all>\s*[（(]所有部分[)）])?"
)
ALL_PARTS = "（所有部分）"


@dataclass(frozen=True)
class Citation:
    key: str  # "GB/T 18344", "TSG T5002"
    year: str
    all_parts: bool
    text: str  # as written
    span: tuple[int, int]


def _citation(match: re.Match[str], *, strict: bool = True) -> Citation | None:
    """The citation a match reads; with ``strict``, a code of another body needs a year, a
    lettered number or three digits ("IP 54", "PM 2.5" in running text are no codes)."""
    prefix, seq = match["gb"] or match["other"], match["seq"]
    if strict and match["other"] and not (match["year"] or re.match(r"[A-Z]|\d{3}", seq)):
        return None
    return Citation(
        key=f"{prefix} {seq}",
        year=match["year"] or match["iso_year"] or "",
        all_parts=bool(match["all"]),
        text=match.group().strip(),
        span=match.span(),
    )


_MAY_CITE = re.compile(r"[A-Z]{2}")  # every code above has two capitals in a row


def citations(text: str) -> Iterator[Citation]:
    if not _MAY_CITE.search(text):
        return
    for match in CITATION.finditer(text):
        found = _citation(match)
        if found is not None:
            yield found


def entry_key(element: Element) -> Citation | None:
    """The code of a reference entry read like a citation (None for a document without a
    code, such as a law)."""
    code = field(element, "code")
    if not code:
        return None
    match = CITATION.match(code)
    if match is None or match.end() < len(code.strip()):
        return Citation(squeeze(code), field(element, "year"), False, code, (0, 0))
    found = _citation(match, strict=False)
    assert found is not None
    return Citation(found.key, field(element, "year"), found.all_parts, code, (0, 0))


def entry_text(element: Element) -> str:
    code, year, title = field(element, "code"), field(element, "year"), field(element, "title")
    return f"{code}{'—' + year if year else ''} {title}".strip()


def references_chapter(draft: Draft) -> Element | None:
    """Chapter 2, by kind or by its title ("2 规范性引用文件" typed with its number)."""
    return next((c for c in chapters(draft) if chapter_role(c) == tf.REFERENCES), None)


def entries(chapter: Element | None) -> list[Element]:
    return [] if chapter is None else [c for c in chapter.children if c.kind == tf.REFERENCE]


_BEFORE_REFERENCES = (tf.FOREWORD, tf.INTRODUCTION, tf.SCOPE)


def _insert_after(draft: Draft, kinds: tuple[str, ...]) -> int:
    """The top-level index just after the last element of these kinds (0 when none)."""
    at = 0
    for index, element in enumerate(draft.elements):
        if element.kind in kinds:
            at = index + 1
    return at


# ---- S-REF-01 lead-in ----------------------------------------------------------------------

_LEAD_IN = squeeze(texts.REFERENCES_LEAD_IN)
_NONE = squeeze(texts.REFERENCES_NONE)


@rule(
    "S-REF-01",
    severity="error",
    title="规范性引用文件一章用规定的引导语",
    basis="GB/T 1.1—2020 8.6",
    why=(
        "第2章的引导语是固定的，它说明注日期的引用文件只有该版本适用、不注日期的引用文件以最新"
        "版本（包括所有的修改单）为准。没有规范性引用文件时，仍保留这一章，写“本文件没有规范性"
        "引用文件。”"
    ),
    wrong=(
        "# 规范性引用文件\n下列文件对于本文件的应用是必不可少的。\n"
        "> GB 31654 食品安全国家标准 餐饮服务通用卫生规范\n\n"
        "# 场所\n食品处理区应符合GB 31654的规定。\n"
    ),
    right=(
        f"# 规范性引用文件\n{texts.REFERENCES_LEAD_IN}\n"
        "> GB 31654 食品安全国家标准 餐饮服务通用卫生规范\n\n"
        "# 场所\n食品处理区应符合GB 31654的规定。\n"
    ),
    scope="document",
    fix="auto",
)
def lead_in(draft: Draft) -> Iterator[Issue]:
    chapter = references_chapter(draft)
    if chapter is None:
        if not chapters(draft):
            return
        informative = _bibliography_keys(draft)
        cited = sorted(
            {c.citation.key for c in body_citations(draft, normative=True)} - informative
        )
        if cited:
            yield issue(
                "S-REF-01",
                None,
                f"缺少“规范性引用文件”一章，正文却引用了{'、'.join(cited)}。",
                "在“范围”之后增加“规范性引用文件”一章，写引导语并列出这些文件。",
                clause="",
            )
            return
        node = tf.Node(
            tf.REFERENCES,
            title="规范性引用文件",
            children=(tf.Node(tf.PARAGRAPH, text=texts.REFERENCES_NONE),),
        )
        yield issue(
            "S-REF-01",
            None,
            "缺少“规范性引用文件”一章。",
            f"没有引用文件时也保留这一章，写：{texts.REFERENCES_NONE}",
            clause="",
            fix=Fix("", "insert", _insert_after(draft, _BEFORE_REFERENCES), node),
        )
        return
    listed = entries(chapter)
    wanted = texts.REFERENCES_LEAD_IN if listed else texts.REFERENCES_NONE
    first = chapter.children[0] if chapter.children else None
    if first is not None and first.kind == tf.PARAGRAPH:
        if squeeze(first.text) == squeeze(wanted):
            return
        if listed and squeeze(first.text) == _NONE:
            message = "列出了引用文件，却写着“本文件没有规范性引用文件。”。"
        elif not listed and squeeze(first.text) == _LEAD_IN:
            message = "没有列出任何引用文件，应写“本文件没有规范性引用文件。”。"
        else:
            message = "引导语与GB/T 1.1—2020规定的不一致。"
        yield issue(
            "S-REF-01",
            first,
            message,
            f"改为：{wanted}",
            fix=Fix(first.uid, "text", first.text, wanted),
        )
        return
    yield issue(
        "S-REF-01",
        chapter,
        "缺少引导语。" if listed else "这一章是空的。",
        f"在章标题下写：{wanted}",
        source=chapter.title,
        fix=Fix(chapter.uid, "insert", 0, tf.Node(tf.PARAGRAPH, text=wanted)),
    )


# ---- S-REF-02 list against citations -------------------------------------------------------

_NOT_BODY = (tf.FOREWORD, tf.INTRODUCTION, tf.REFERENCES, tf.BIBLIOGRAPHY)
_NOT_CITING = (tf.NOTE, tf.EXAMPLE, tf.TERM, tf.REFERENCE)


@dataclass(frozen=True)
class Cited:
    element: Element
    text: str  # the text the citation stands in
    citation: Citation
    normative: bool  # False inside an informative annex


def body_citations(draft: Draft, *, normative: bool) -> Iterator[Cited]:
    """Citations in the body: chapters (chapter 3 only in its lead-in, chapter 2 not at all)
    and annexes, never in 注 or 示例. ``normative``: leave out informative annexes."""
    own = squeeze(normalized(draft.cover.number)).split("—")[0]
    for top_element in draft.elements:
        binding = top_element.kind != tf.ANNEX or top_element.extra.get("annex_type") == (
            "normative"
        )
        if top_element.kind in _NOT_BODY or not (binding or not normative):
            continue
        stack = [top_element]
        while stack:
            element = stack.pop()
            if element.kind in _NOT_CITING:
                continue
            for text in texts_of(draft, element):
                for citation in citations(text):
                    if squeeze(citation.key) != own:
                        yield Cited(element, text, citation, binding)
            stack.extend(reversed(element.children))


def _matching(citation: Citation, listed: dict[str, Citation]) -> str | None:
    if citation.key in listed:
        return citation.key
    for key, entry in listed.items():
        if entry.all_parts and citation.key.startswith(key + "."):
            return key
    return None


def _dated(citation: Citation) -> str:
    return f"{citation.key}—{citation.year}" if citation.year else citation.key


def _bibliography_keys(draft: Draft) -> set[str]:
    found = top(draft, tf.BIBLIOGRAPHY)
    keys = (entry_key(e) for e in entries(found[0] if found else None))
    return {k.key for k in keys if k is not None}


def _unused(entry: Element) -> Issue:
    return issue(
        "S-REF-02",
        entry,
        f"“{entry_text(entry)}”列在规范性引用文件中，正文却没有引用它。",
        "删去这一条；只供参考的文件列入参考文献。",
        source=entry_text(entry),
    )


@rule(
    "S-REF-02",
    severity="error",
    title="规范性引用文件与正文中的引用一一对应",
    basis="GB/T 1.1—2020 8.6、9.5",
    why=(
        "第2章只列正文中规范性引用的文件：正文引用了的都要列出，列出的都要在正文中引用，"
        "注日期与否两处一致。只列不引，读者不知道它约束什么；只引不列，读者找不到它的名称和版本。"
    ),
    wrong=(
        f"# 规范性引用文件\n{texts.REFERENCES_LEAD_IN}\n"
        "> GB 14934 食品安全国家标准 消毒餐（饮）具\n\n"
        "# 场所\n食品处理区应符合GB 31654的规定。\n"
    ),
    right=(
        f"# 规范性引用文件\n{texts.REFERENCES_LEAD_IN}\n"
        "> GB 31654 食品安全国家标准 餐饮服务通用卫生规范\n\n"
        "# 场所\n食品处理区应符合GB 31654的规定。\n"
    ),
    scope="document",
)
def list_matches_body(draft: Draft) -> Iterator[Issue]:
    chapter = references_chapter(draft)
    if chapter is None:
        return  # S-REF-01 names what the body cites
    listed: dict[str, tuple[Citation, Element]] = {}
    untitled: list[Element] = []
    for item in entries(chapter):
        code = entry_key(item)
        if code is None:
            untitled.append(item)
        else:
            listed.setdefault(code.key, (code, item))
    informative = _bibliography_keys(draft)
    used: set[str] = set()
    reported: set[str] = set()
    codes = {key: code for key, (code, _) in listed.items()}
    for cited in body_citations(draft, normative=False):
        citation = cited.citation
        matched = _matching(citation, codes)
        if matched is None:
            if cited.normative and citation.key not in informative | reported:
                reported.add(citation.key)
                yield issue(
                    "S-REF-02",
                    cited.element,
                    f"正文引用了{citation.text}，规范性引用文件中没有列出。",
                    f"规范性引用的，在“{chapter.number} 规范性引用文件”中列出它的编号和名称；"
                    "只供参考的，列入参考文献。",
                    span=citation.span,
                    source=cited.text,
                )
            continue
        used.add(matched)
        entry = listed[matched][0]
        if entry.all_parts or matched in reported or citation.year == entry.year:
            continue
        reported.add(matched)
        yield issue(
            "S-REF-02",
            cited.element,
            f"正文引用的是“{_dated(citation)}”，规范性引用文件中列的是“{_dated(entry)}”，"
            "两处注日期与否、年号应一致。",
            "引用特定版本时两处都注同一年号；引用最新版本时两处都不注年号。",
            span=citation.span,
            source=cited.text,
        )
    body = squeeze("".join(_body_texts(draft))) if untitled else ""
    for item in untitled:
        title = squeeze(field(item, "title")).strip("《》")
        if title and title not in body:
            yield _unused(item)
    for key, (_, item) in listed.items():
        if key not in used:
            yield _unused(item)


def _body_texts(draft: Draft) -> Iterator[str]:
    for element in draft.elements:
        if element.kind not in _NOT_BODY:
            for inner in walk([element]):
                if inner.kind not in _NOT_CITING:
                    yield from own_texts(inner)


# ---- S-REF-03 form and order of the entries ------------------------------------------------

_INDUSTRY = re.compile(r"[A-Z]{2,4}(?:/T)?")


def _order_key(entry: Element) -> tuple[int, str, tuple[int, ...]]:
    """GB/T 1.1—2020 8.6: national, industry, local, group, ISO, ISO/IEC, IEC, other bodies'
    documents, then documents without a code; national, ISO and IEC by sequence number, the
    others by code then number."""
    key = entry_key(entry)
    if key is None:
        return 8, "", ()
    prefix, _, seq = key.key.partition(" ")
    number = tuple(int(n) for n in re.findall(r"\d+", seq))
    letters = re.sub(r"\d.*", "", seq)
    if re.fullmatch(r"GB(?:/[TZ])?", prefix):
        return 0, letters, number
    if prefix.startswith("DB"):
        return 2, prefix.removesuffix("/T"), number
    if prefix.startswith("T/"):
        return 3, prefix, number
    if prefix in ("ISO", "ISO/IEC", "IEC"):
        return {"ISO": 4, "ISO/IEC": 5, "IEC": 6}[prefix], letters, number
    if _INDUSTRY.fullmatch(prefix):
        return 1, prefix.removesuffix("/T") + letters, number
    return 7, prefix + letters, number


def _entry_fault(entry: Element) -> tuple[str, str, dict[str, Any] | None] | None:
    """(message, suggestion, corrected extra or None) for the first fault of one entry."""
    extra = dict(entry.extra)
    code, year, title = field(entry, "code"), field(entry, "year"), field(entry, "title")
    if not code:
        return None
    if not title:
        return f"“{code}”没有写文件名称。", "在编号之后空一格写文件名称。", None
    if title.startswith("《") and title.endswith("》"):
        return (
            "规范性引用文件清单中的文件名称不加书名号。",
            f"改为“{code} {title[1:-1]}”。",
            {**extra, "title": title[1:-1]},
        )
    if "(所有部分)" in code:
        fixed = code.replace("(所有部分)", ALL_PARTS)
        return "“(所有部分)”应使用中文括号。", f"改为“{fixed}”。", {**extra, "code": fixed}
    if ALL_PARTS in code and year:
        return (
            f"“{code}”指所有部分，不应注日期。",
            "引用文件的所有部分时不注年号。",
            {**extra, "year": ""},
        )
    return None


@rule(
    "S-REF-03",
    severity="warning",
    title="引用文件写成“编号 名称”，按规定顺序排列",
    basis="GB/T 1.1—2020 8.6",
    why=(
        "清单中每个文件写编号（注日期时含年号），空一格写名称，名称不加书名号；引用一个文件的"
        "所有部分时写“（所有部分）”且不注日期。清单按国家标准、行业标准、地方标准、团体标准、"
        "ISO、IEC、其他文件的顺序排列，国家标准按顺序号排列。"
    ),
    wrong=(
        f"# 规范性引用文件\n{texts.REFERENCES_LEAD_IN}\n"
        "> GB 31654 《食品安全国家标准 餐饮服务通用卫生规范》\n"
        "> GB 14934 食品安全国家标准 消毒餐（饮）具\n"
    ),
    right=(
        f"# 规范性引用文件\n{texts.REFERENCES_LEAD_IN}\n"
        "> GB 14934 食品安全国家标准 消毒餐（饮）具\n"
        "> GB 31654 食品安全国家标准 餐饮服务通用卫生规范\n"
    ),
    scope="document",
    fix="auto",
)
def entry_form(draft: Draft) -> Iterator[Issue]:
    chapter = references_chapter(draft)
    listed = entries(chapter)
    for entry in listed:
        fault = _entry_fault(entry)
        if fault is not None:
            message, suggestion, extra = fault
            yield issue(
                "S-REF-03",
                entry,
                message,
                suggestion,
                source=entry_text(entry),
                fix=Fix(entry.uid, "extra", dict(entry.extra), extra) if extra else None,
            )
    keys = [_order_key(e) for e in listed]
    for at in range(1, len(listed)):
        if keys[at] >= keys[at - 1]:
            continue
        assert chapter is not None
        entry = listed[at]
        siblings = chapter.children
        before = siblings.index(entry)
        others = [c for c in siblings if c is not entry]
        target = next(
            (
                i
                for i, c in enumerate(others)
                if c.kind == tf.REFERENCE and _order_key(c) > keys[at]
            ),
            len(others),
        )
        yield issue(
            "S-REF-03",
            entry,
            f"“{entry_text(entry)}”的排列位置不对，应排在“{entry_text(listed[at - 1])}”之前。",
            "依次排列国家标准（按顺序号）、行业标准、地方标准、团体标准、ISO、IEC标准和其他文件。",
            source=entry_text(entry),
            fix=Fix(entry.uid, "position", before, target),
        )
        break


# ---- S-REF-04 withdrawn or replaced ----------------------------------------------------------

# Editions the checker knows to be replaced, whatever the library holds: number → current
# edition (DOMAIN.md §1, §2).
KNOWN_REPLACED = {
    "GB/T 1.1": "GB/T 1.1—2020",
    "GB/T 24421.2": "GB/T 24421.2—2023",
    "GB/T 24421.4": "GB/T 24421.4—2023",
}
_YEAR = re.compile(r"—(\d{4})$")


def _replacement(draft: Draft, code: str) -> str | None:
    """The current document replacing ``code`` ("" when withdrawn), or None when in force."""
    key = normalized(code)
    if key in draft.superseded:
        return draft.superseded[key]
    return KNOWN_REPLACED.get(key)


@rule(
    "S-REF-04",
    severity="warning",
    title="引用的文件已废止或被代替",
    basis="GB/T 1.1—2020 9.5；标准库",
    why=(
        "注日期引用一个已被新版代替的文件，或引用一个已废止的文件，使用者会按过时的要求执行。"
        "应改为引用现行版本；确需引用旧版的，在编制说明中写明理由。"
    ),
    wrong=(
        f"# 规范性引用文件\n{texts.REFERENCES_LEAD_IN}\n"
        "> GB/T 24421.2—2009 服务业组织标准化工作指南 第2部分：标准体系\n\n"
        "# 标准体系\n标准体系应符合GB/T 24421.2—2009的规定。\n"
    ),
    right=(
        f"# 规范性引用文件\n{texts.REFERENCES_LEAD_IN}\n"
        "> GB/T 24421.2 服务业组织标准化工作指南 第2部分：标准体系\n\n"
        "# 标准体系\n标准体系应符合GB/T 24421.2的规定。\n"
    ),
    scope="document",
    fix="suggestion",
)
def superseded(draft: Draft) -> Iterator[Issue]:
    for entry in entries(references_chapter(draft)):
        code = field(entry, "code").replace(ALL_PARTS, "").strip()
        year = field(entry, "year")
        replacement = _replacement(draft, code) if code else None
        if replacement is None:
            continue
        dated = f"{code}—{year}" if year else code
        if not replacement:
            message, suggestion = f"{dated}已废止。", "删去这项引用，或改为引用现行的替代文件。"
        elif normalized(replacement).split("—")[0] != normalized(code):
            message = f"{dated}已被{replacement}代替。"
            suggestion = f"改为引用{replacement}，并核对被引用的条文。"
        else:
            current = _YEAR.search(normalized(replacement))
            if not year or (current is not None and year >= current.group(1)):
                continue  # undated: the latest edition applies
            message = f"{dated}已被{replacement}代替。"
            suggestion = f"改为引用{replacement}（或不注日期），并核对被引用的条文。"
        yield issue("S-REF-04", entry, message, suggestion, source=entry_text(entry))
