"""What the wording rules (verbs, quantities, verifiable) read: the text fields of one
element, which elements hold provisions, the text with the prescribed sentences, quotations
and document titles blanked out (same length, so offsets hold), sentences, and hits and
fixes on one field (a paragraph's text, a title, a table cell, a term's definition)."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from houqin.standards import provisions
from houqin.standards import textformat as tf
from houqin.standards.checker.base import Fix, Issue, issue
from houqin.standards.checker.document import Draft, Element
from houqin.standards.checker.texts import without_mandated

# Tops whose text is never read by a word rule about provisions.
NOT_PROVISIONS = frozenset({tf.FOREWORD, tf.REFERENCES, tf.BIBLIOGRAPHY})
INFORMATIVE = frozenset({tf.NOTE, tf.EXAMPLE})


def listed(text: str) -> list[str]:
    """The space-separated words of ``text`` (word lists kept short on the page)."""
    return text.split()


def alternation(items: list[str]) -> str:
    """A regex matching any of ``items``, the longest first."""
    return "|".join(re.escape(i) for i in sorted(items, key=len, reverse=True))


# Words holding 应 / 宜 / 可 that are no modal verb, beyond those provisions.masked() knows.
_MORE_NOT_MODAL = listed(
    "应力 应变 应邀 应征 应季 应时 应试 应酬 应允 应承 顺应 呼应 内应 报应 时宜 权宜 机宜 宜居 "
    "可口 可爱 可惜 可是 可疑 可观 可逆 可塑 可溶 可比 可信 可食 可吸入 可再生 可降解 可循环 "
    "可操作 可持续 宁可 必不可少 不可少 不可缺 不可或缺 不可抗 不可避免 不可预 不可替代 不可分 "
    "不可恢复 不可修复 不可思议 缺一不可"
)
_MORE_MASK = re.compile(alternation(_MORE_NOT_MODAL))
# Quotations and document titles: a word in them is cited, not used.
_QUOTED = re.compile(r"“[^“”\n]{0,80}”|‘[^‘’\n]{0,80}’|「[^「」\n]{0,80}」|《[^《》\n]{0,80}》")
_QUOTE_MARKS = frozenset("“‘「《")
_SENTENCE = re.compile(r"[^。！？\n]+[。！？]?")
_CLAUSE = re.compile(r"[^。；！？\n]+[。；！？]?")
REQUIREMENT = re.compile(r"应|必须|不得|禁止|严禁|只准许|不准许")


def _blanks(match: re.Match[str]) -> str:
    return " " * len(match.group())


_MANDATED_MARKS = ("本文件", "下列", "请注意", "界定的以及")


@lru_cache(maxsize=8192)
def plain(text: str) -> str:
    """The text with the prescribed sentences, quotations (“…”) and document titles (《…》)
    blanked out; the same length as ``text``."""
    if any(mark in text for mark in _MANDATED_MARKS):
        text = without_mandated(text)
    return _QUOTED.sub(_blanks, text) if _QUOTE_MARKS.intersection(text) else text


# provisions.masked() reads every 应对 / 应用 as one word, but "应对设备进行检查" and
# "应用流动水冲洗" are 应 + 对 / 用. They are words only before or after these.
_WORD_AFTER = {
    "应对": re.compile(
        "措施|方案|预案|能力|突发|策略|机制|工作|处置|风险|危机|挑战|事件|变化|疫情|灾害"
    ),
    "应用": re.compile(
        "于|程序|软件|系统|场景|领域|范围|技术|效果|情况|推广|的|层|水平|能力|广泛|普遍|实践|案例"
        "|研究|成果|价值|前景|过程|中|后|和|与|及|、|，|。"
    ),
}
_WORD_BEFORE = re.compile(
    "(?:的|和|及|与|、|以|于|为|做好|有效|积极|妥善|快速|如何|共同|科学|推广|广泛|实际|加强|推进"
    "|开发|深化|创新|普及|在|软件|手机|移动)$"
)
_AMBIGUOUS = re.compile("应对|应用")


@lru_cache(maxsize=8192)
def modal(text: str, *, split: bool = True) -> str:
    """``plain(text)`` with words that merely contain 应 / 宜 / 可 (供应, 应急, 可能 …) masked,
    so that every 应 / 宜 / 可 left is a modal verb. With ``split``, 应对 / 应用 read as
    应 + 对 / 用 unless a word sits next to them; without, they stay words (where a false
    应 would be an error, as in a note)."""
    source = plain(text)
    masked = _MORE_MASK.sub(lambda m: "□" * len(m.group()), provisions.masked(source))
    if not split:
        return masked
    for match in _AMBIGUOUS.finditer(source):
        start, end = match.span()
        if masked[start:end] != "□□":
            continue
        if _WORD_AFTER[match.group()].match(source, end) or _WORD_BEFORE.search(
            source[max(0, start - 4) : start]
        ):
            continue
        masked = masked[:start] + "应" + "□" + masked[end:]
    return masked


def _spans(pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in pattern.finditer(text) if m.group().strip()]


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence, split after 。！？ and line ends."""
    return _spans(_SENTENCE, text)


def clause_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each clause of a sentence, split after 。；！？ and line ends."""
    return _spans(_CLAUSE, text)


def enclosing(parts: list[tuple[int, int]], position: int) -> tuple[int, int]:
    """The span of ``parts`` holding ``position``."""
    for start, end in parts:
        if start <= position < end:
            return start, end
    return 0, 0


_WORDING_KINDS = frozenset({tf.PARAGRAPH, tf.LIST_ITEM, tf.TABLE, tf.TERM})
_PROVISION_KINDS = frozenset({tf.PARAGRAPH, tf.LIST_ITEM, tf.TABLE})


def _outer(element: Element) -> tuple[Element, bool]:
    """The top element above ``element`` and whether a 注 or 示例 lies on the way."""
    node, inside = element, element.kind in INFORMATIVE
    while node.parent is not None:
        node = node.parent
        inside = inside or node.kind in INFORMATIVE
    return node, inside


def wording(element: Element) -> bool:
    """Text whose modal verbs the S-VERB rules read: paragraphs, list items, table cells and
    term definitions outside the 前言, chapter 2, the 参考文献, notes and examples."""
    if element.kind not in _WORDING_KINDS:
        return False
    first, inside = _outer(element)
    return first.kind not in NOT_PROVISIONS and not inside


def provisional(element: Element) -> bool:
    """Text that holds the provisions of the document: the technical chapters (from chapter 4
    on) and normative annexes, outside notes and examples. The scope, the terms and
    informative annexes state facts."""
    if element.kind not in _PROVISION_KINDS:
        return False
    first, inside = _outer(element)
    if inside:
        return False
    if first.kind == tf.ANNEX:
        return first.extra.get("annex_type") == "normative"
    return first.kind == tf.CHAPTER


def lead_in(item: Element) -> Element | None:
    """The text a list item continues: its parent item, or the paragraph before its list."""
    parent = item.parent
    if parent is None:
        return None
    if parent.kind == tf.LIST_ITEM:
        return parent
    siblings = parent.children
    index = next(i for i, child in enumerate(siblings) if child is item)
    while index > 0 and siblings[index - 1].kind == tf.LIST_ITEM:
        index -= 1
    if index > 0 and siblings[index - 1].kind == tf.PARAGRAPH:
        return siblings[index - 1]
    return None


def required(item: Element) -> bool:
    """A list item that is part of a requirement: it or a lead-in above it holds 应 (or a
    word used for one)."""
    node: Element | None = item
    while node is not None:
        if REQUIREMENT.search(modal(node.text)):
            return True
        node = lead_in(node) if node.kind == tf.LIST_ITEM else None
    return False


def table_required(table: Element) -> bool:
    """A table that a requirement points to ("……应符合表1的规定")."""
    parent = table.parent
    if parent is None:
        return False
    return any(
        child.kind == tf.PARAGRAPH and "表" in child.text and REQUIREMENT.search(modal(child.text))
        for child in parent.children
    )


@dataclass(frozen=True)
class Field:
    """One piece of an element's text: ``key`` is "text", "title", a term's "definition",
    a reference's "reference" (its title) or a table's "header" / "rows" cell (``row``,
    ``col``)."""

    element: Element
    key: str
    text: str
    row: int = 0
    col: int = 0

    def replaced(self, start: int, end: int, new: str) -> Fix:
        """A fix putting ``new`` in place of text[start:end] of this field."""
        after = self.text[:start] + new + self.text[end:]
        element = self.element
        if self.key == "text":
            return Fix(element.uid, "text", self.text, after)
        if self.key == "title":
            return Fix(element.uid, "title", self.text, after)
        extra = copy.deepcopy(element.extra)
        if self.key == "header":
            extra["header"][self.col] = after
        elif self.key == "rows":
            extra["rows"][self.row][self.col] = after
        elif self.key == "reference":
            extra["title"] = after
        else:
            extra[self.key] = after
        return Fix(element.uid, "extra", copy.deepcopy(element.extra), extra)

    def hit(
        self,
        rule_id: str,
        span: tuple[int, int],
        message: str,
        suggestion: str = "",
        *,
        severity: str | None = None,
        fix: Fix | None = None,
    ) -> Issue:
        return issue(
            rule_id,
            self.element,
            message,
            suggestion,
            span=span,
            source=self.text,
            severity=severity,
            fix=fix,
        )


_EXTRA_TEXT = frozenset({tf.TABLE, tf.TERM, tf.REFERENCE})


def fields(
    element: Element,
    *,
    titles: bool = False,
    references: bool = False,
    where: Callable[[str], object] | None = None,
) -> list[Field]:
    """The text fields of one element (not its children) whose text passes ``where`` (a
    cheap test that skips texts a rule cannot hit). Titles only with ``titles``; a cited
    document's title (copied as its issuer wrote it) only with ``references``, its code
    never (S-ID-01 reads codes)."""
    if element.kind not in _EXTRA_TEXT:
        found = []
        if titles and element.title and (where is None or where(element.title)):
            found.append(Field(element, "title", element.title))
        if element.text and (where is None or where(element.text)):
            found.append(Field(element, "text", element.text))
        return found
    pieces: list[tuple[str, str, int, int]] = []
    if titles and element.title:
        pieces.append(("title", element.title, 0, 0))
    if element.text:
        pieces.append(("text", element.text, 0, 0))
    extra = element.extra
    if element.kind == tf.TABLE:
        for col, cell in enumerate(extra.get("header") or []):
            pieces.append(("header", cell, 0, col))
        for row, cells in enumerate(extra.get("rows") or []):
            for col, cell in enumerate(cells):
                pieces.append(("rows", cell, row, col))
    elif element.kind == tf.TERM and extra.get("definition"):
        pieces.append(("definition", extra["definition"], 0, 0))
    elif element.kind == tf.REFERENCE and references and extra.get("title"):
        pieces.append(("reference", extra["title"], 0, 0))
    return [
        Field(element, key, text, row, col)
        for key, text, row, col in pieces
        if text and (where is None or where(text))
    ]


def defined_terms(draft: Draft) -> tuple[str, ...]:
    """The terms chapter 3 defines, longest first (a defined term is no vague word)."""
    found = [
        child.extra.get("term", "")
        for element in draft.elements
        if element.kind == tf.TERMS
        for child in element.children
        if child.kind == tf.TERM
    ]
    return tuple(sorted((t for t in found if t), key=len, reverse=True))


def without_terms(text: str, terms: tuple[str, ...]) -> str:
    for term in terms:
        if term in text:
            text = text.replace(term, "□" * len(term))
    return text
