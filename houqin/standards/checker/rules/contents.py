"""S-ELEM-05 (the 目次 agrees with the headings) and S-ELEM-06 (annexes marked and used)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from houqin.standards import textformat as tf
from houqin.standards.checker.base import WARNING, Issue, issue, rule
from houqin.standards.checker.document import Draft, Element
from houqin.standards.checker.rules.elements import (
    field,
    is_toc_chapter,
    printed_number,
    squeeze,
    texts_of,
    top,
    walk,
    walked_of,
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
    for element in walked_of(draft):
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


@lru_cache(maxsize=8192)
def _letters(text: str) -> frozenset[str]:
    """The annex letters a text names (a text unchanged since the last check is not read
    again)."""
    return frozenset(a or b or c for a, b, c in _MENTION.findall(text))


def _mentions(draft: Draft) -> dict[str, list[str]]:
    """By annex letter, the texts outside that annex naming it or its tables, figures or 条."""
    found: dict[str, list[str]] = {}
    for top_element in draft.elements:
        own = {_annex_letter(top_element)} if top_element.kind == tf.ANNEX else set()
        texts = [t for element in walk([top_element]) for t in texts_of(draft, element)]
        if not _letters("\n".join(texts)) - own:
            continue  # one read of the whole chapter; its texts only when it names an annex
        for text in texts:
            for letter in _letters(text) - own:
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
