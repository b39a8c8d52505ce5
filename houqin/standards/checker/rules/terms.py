"""Term rules (GB/T 1.1—2020 §8.7): chapter 3's lead-in, the parts of a term entry, and terms
that are defined but never used."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from houqin.standards import textformat as tf
from houqin.standards.checker import texts
from houqin.standards.checker.base import Fix, Issue, issue, rule
from houqin.standards.checker.document import Draft, Element
from houqin.standards.checker.rules.elements import (
    chapter_role,
    chapters,
    field,
    squeeze,
    texts_of,
    walk,
)

_BORROWED = re.compile(texts.TERMS_LEAD_IN_BORROWED.pattern.lstrip("^") + "$")
_BORROWED_ONLY = re.compile(r".{2,200}?界定的术语和定义适用于本文件。$")
_DEFINED_IN = re.compile(r"^(?P<source>.{2,200}?)界定")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_PARENTHESES = re.compile(r"[（(](?P<inner>[^）)]*)[）)]")


def terms_chapter(draft: Draft) -> Element | None:
    """Chapter 3, by kind or by its title ("3 术语和定义" typed with its number)."""
    return next((c for c in chapters(draft) if chapter_role(c) == tf.TERMS), None)


def term_entries(draft: Draft) -> list[Element]:
    chapter = terms_chapter(draft)
    return [] if chapter is None else [e for e in walk([chapter]) if e.kind == tf.TERM]


def _accepted(text: str, with_terms: bool) -> bool:
    text = text.strip()
    if with_terms:
        return squeeze(text) == squeeze(texts.TERMS_LEAD_IN) or bool(_BORROWED.match(text))
    return squeeze(text) == squeeze(texts.TERMS_NONE) or bool(_BORROWED_ONLY.match(text))


def _wanted(text: str, with_terms: bool) -> str:
    borrowed = _DEFINED_IN.match(text.strip())
    if borrowed and with_terms:
        return f"{borrowed['source']}界定的以及下列术语和定义适用于本文件。"
    if borrowed:
        return f"{borrowed['source']}界定的术语和定义适用于本文件。"
    return texts.TERMS_LEAD_IN if with_terms else texts.TERMS_NONE


@rule(
    "S-TERM-01",
    severity="error",
    title="术语和定义一章用规定的引导语",
    basis="GB/T 1.1—2020 8.7",
    why=(
        "第3章的引导语是固定的：“下列术语和定义适用于本文件。”；同时采用其他文件界定的术语时写"
        "“GB/T ××××界定的以及下列术语和定义适用于本文件。”。没有需要界定的术语时，仍保留这一章，"
        "写“本文件没有需要界定的术语和定义。”"
    ),
    wrong=(
        "# 术语和定义\n本标准采用下列术语和定义。\n"
        "= 留样 | food sample retention | 按餐次、品种留存成品食品样品的做法。\n\n"
        "# 留样\n每餐次的每个品种均应留样。\n"
    ),
    right=(
        f"# 术语和定义\n{texts.TERMS_LEAD_IN}\n"
        "= 留样 | food sample retention | 按餐次、品种留存成品食品样品的做法。\n\n"
        "# 留样\n每餐次的每个品种均应留样。\n"
    ),
    scope="document",
    fix="auto",
)
def lead_in(draft: Draft) -> Iterator[Issue]:
    chapter = terms_chapter(draft)
    if chapter is None:
        if not chapters(draft):
            return
        at = 0
        for index, element in enumerate(draft.elements):
            if element.kind in (tf.FOREWORD, tf.INTRODUCTION, tf.SCOPE, tf.REFERENCES):
                at = index + 1
        node = tf.Node(
            tf.TERMS,
            title="术语和定义",
            children=(tf.Node(tf.PARAGRAPH, text=texts.TERMS_NONE),),
        )
        yield issue(
            "S-TERM-01",
            None,
            "缺少“术语和定义”一章。",
            f"没有需要界定的术语时也保留这一章，写：{texts.TERMS_NONE}",
            clause="",
            fix=Fix("", "insert", at, node),
        )
        return
    with_terms = any(e.kind == tf.TERM for e in walk([chapter]))
    first = chapter.children[0] if chapter.children else None
    if first is None or first.kind != tf.PARAGRAPH:
        wanted = _wanted("", with_terms)
        yield issue(
            "S-TERM-01",
            chapter,
            "缺少引导语。" if with_terms else "这一章是空的。",
            f"在章标题下写：{wanted}",
            source=chapter.title,
            fix=Fix(chapter.uid, "insert", 0, tf.Node(tf.PARAGRAPH, text=wanted)),
        )
        return
    if _accepted(first.text, with_terms):
        return
    wanted = _wanted(first.text, with_terms)
    if with_terms and squeeze(first.text) == squeeze(texts.TERMS_NONE):
        message = "界定了术语，引导语却写着“本文件没有需要界定的术语和定义。”。"
    elif not with_terms and _accepted(first.text, True):
        message = "没有界定任何术语，引导语却写着“下列术语和定义适用于本文件”。"
    else:
        message = "引导语与GB/T 1.1—2020规定的不一致。"
    yield issue(
        "S-TERM-01",
        first,
        message,
        f"改为：{wanted}",
        fix=Fix(first.uid, "text", first.text, wanted),
    )


@rule(
    "S-TERM-02",
    severity="warning",
    title="术语条目包括术语、英文对应词和定义",
    basis="GB/T 1.1—2020 8.7",
    why=(
        "每个术语条目依次给出条目编号、术语、英文对应词和定义，需要时注明来源。定义是一个能直接"
        "替换术语的短语，不写成“××是指……”。"
    ),
    wrong=(
        f"# 术语和定义\n{texts.TERMS_LEAD_IN}\n"
        "= 留样 |  | 留样是指按餐次、品种留存成品食品样品的做法。\n"
    ),
    right=(
        f"# 术语和定义\n{texts.TERMS_LEAD_IN}\n"
        "= 留样 | food sample retention | 按餐次、品种留存成品食品样品的做法。\n"
    ),
    scope="clause",
)
def term_entry(element: Element, draft: Draft) -> Iterator[Issue]:
    if element.kind != tf.TERM:
        return
    term, english = field(element, "term"), field(element, "english")
    definition = field(element, "definition")
    if not term or not definition:
        missing = "术语" if not term else "定义"
        yield issue(
            "S-TERM-02",
            element,
            f"术语条目缺少{missing}。",
            "术语条目依次写术语、英文对应词和定义。",
            source=term or definition,
        )
        return
    if not english:
        yield issue(
            "S-TERM-02",
            element,
            f"术语“{term}”没有英文对应词。",
            "在术语之后给出英文对应词（小写，专有名词除外）。",
            source=term,
        )
    elif _CJK.search(english):
        yield issue(
            "S-TERM-02",
            element,
            f"术语“{term}”的英文对应词中有汉字。",
            "英文对应词只写英文。",
            source=english,
        )
    lead = re.match(rf"^(?:{re.escape(term)})?\s*(?:是指|系指|指的是|是|指)", definition)
    if lead and (lead.group().startswith(term) or lead.group() in ("是指", "系指", "指的是")):
        yield issue(
            "S-TERM-02",
            element,
            f"“{term}”的定义写成了“{lead.group()}……”。",
            "定义应能直接替换术语，去掉开头的“是指”等字样，写成“……的活动”这样的短语。",
            span=lead.span(),
            source=definition,
        )


def _variants(term: str) -> list[str]:
    """The words a term is used under: each synonym (；) and an abbreviation in brackets."""
    found: list[str] = []
    for name in re.split(r"[；;]", term):
        inner = [m["inner"] for m in _PARENTHESES.finditer(name)]
        found += [squeeze(w) for w in (_PARENTHESES.sub("", name), *inner) if squeeze(w)]
    return found


_OUTSIDE_BODY = (tf.FOREWORD, tf.TERMS, tf.REFERENCES, tf.BIBLIOGRAPHY)


@lru_cache(maxsize=8192)
def _squeezed(text: str) -> str:
    """A chapter's text without whitespace (a chapter unchanged since the last check is not
    read again)."""
    return squeeze(text)


@rule(
    "S-TERM-03",
    severity="warning",
    title="界定的术语应在正文中使用",
    basis="GB/T 1.1—2020 8.7",
    why=(
        "术语和定义一章只界定文件中用到的术语。界定了却从不使用的术语是多余的，还会让读者去找"
        "它在哪里出现；要么在正文中使用它，要么删去这一条。"
    ),
    wrong=(
        f"# 术语和定义\n{texts.TERMS_LEAD_IN}\n"
        "= 中心温度 | core temperature | 食品几何中心部位的温度。\n\n"
        "# 烹饪\n烹饪食品的温度应不低于70 ℃。\n"
    ),
    right=(
        f"# 术语和定义\n{texts.TERMS_LEAD_IN}\n"
        "= 中心温度 | core temperature | 食品几何中心部位的温度。\n\n"
        "# 烹饪\n烹饪食品的中心温度应不低于70 ℃。\n"
    ),
    scope="document",
)
def term_used(draft: Draft) -> Iterator[Issue]:
    chapter = terms_chapter(draft)
    defined = term_entries(draft)
    if not defined:
        return
    body = "".join(
        _squeezed("".join(text for element in walk([top]) for text in texts_of(draft, element)))
        for top in draft.elements
        if top.kind not in _OUTSIDE_BODY and top is not chapter
    )
    for entry in defined:
        term = field(entry, "term")
        variants = _variants(term)
        if variants and not any(v in body for v in variants):
            yield issue(
                "S-TERM-03",
                entry,
                f"术语“{term}”在正文中没有使用。",
                "在正文中使用这个术语，或从术语和定义中删去这一条。",
                source=term,
            )
