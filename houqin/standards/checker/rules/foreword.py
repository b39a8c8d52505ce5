"""Foreword rules (GB/T 1.1—2020 §8.3): the drafting statement first, no provisions, figures,
tables or numbering, the 提出/归口/起草 lines, the patent notice, and the replacement or
first-issue statement. A draft without a foreword gets none of these hits (S-ELEM-03 reports
the missing foreword once)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from houqin.standards import textformat as tf
from houqin.standards.checker import texts
from houqin.standards.checker.base import Fix, Issue, issue, rule
from houqin.standards.checker.document import Draft, Element
from houqin.standards.checker.rules.elements import foreword_of, squeeze, walk
from houqin.standards.numbers import normalized
from houqin.standards.provisions import masked

_STATEMENT = re.compile(
    r"本文件按照GB/T1\.1—2020《标准化工作导则第1部分：标准化文件的结构和起草规则》的规定起草。"
)
_LOOKS_LIKE_STATEMENT = re.compile(r"(?:按照|依据|根据).{0,80}?(?:起草|编写)")
_OLD_EDITION = re.compile(r"GB/T\s*1\.1\s*[—–-]\s*(?!2020)\d{4}")

_FOREWORD_BODY = """@前言
{first}
请注意本文件的某些内容可能涉及专利。本文件的发布机构不承担识别专利的责任。
本文件由江城市机关事务服务中心提出。
本文件由江城市机关事务服务中心会议接待科归口。
本文件起草单位：江城市机关事务服务中心。
本文件主要起草人：孙晓东、林佳怡。
{last}
"""
_RIGHT = _FOREWORD_BODY.format(first=texts.DRAFTING_STATEMENT, last=texts.FIRST_ISSUE)


def _paragraphs(foreword: Element) -> list[tuple[int, Element]]:
    return [(i, c) for i, c in enumerate(foreword.children) if c.kind == tf.PARAGRAPH]


def _is_statement(element: Element) -> bool:
    return element.kind == tf.PARAGRAPH and bool(_STATEMENT.fullmatch(squeeze(element.text)))


@rule(
    "S-FORE-01",
    severity="error",
    title="前言以起草依据开头",
    basis="GB/T 1.1—2020 8.3",
    why=(
        "前言的第一段固定写明文件按哪项标准起草："
        "“本文件按照GB/T 1.1—2020《标准化工作导则  第1部分：标准化文件的结构和起草规则》的规定"
        "起草。”读者据此知道文件遵循的编写规则；引用2009版或措辞走样都不符合要求。"
    ),
    wrong=_FOREWORD_BODY.format(first="本标准按照GB/T 1.1—2009给出的规则起草。", last=""),
    right=_RIGHT,
    scope="document",
    fix="auto",
)
def drafting_statement(draft: Draft) -> Iterator[Issue]:
    foreword = foreword_of(draft)
    if foreword is None:
        return
    children = foreword.children
    if children and _is_statement(children[0]):
        return
    placed = next((i for i, c in enumerate(children) if _is_statement(c)), None)
    if placed is not None:
        element = children[placed]
        yield issue(
            "S-FORE-01",
            element,
            "起草依据的说明没有放在前言的第一段。",
            "把这一段移到前言开头。",
            fix=Fix(element.uid, "position", placed, 0),
        )
        return
    similar = next(
        (c for _, c in _paragraphs(foreword) if _LOOKS_LIKE_STATEMENT.search(c.text)), None
    )
    if similar is not None:
        old = _OLD_EDITION.search(similar.text)
        message = (
            f"起草依据引用了“{old.group()}”，应为GB/T 1.1—2020。"
            if old
            else "起草依据的表述与GB/T 1.1—2020规定的不一致。"
        )
        yield issue(
            "S-FORE-01",
            similar,
            message,
            f"改为：{texts.DRAFTING_STATEMENT}",
            span=old.span() if old else None,
            fix=Fix(similar.uid, "text", similar.text, texts.DRAFTING_STATEMENT),
        )
        return
    yield issue(
        "S-FORE-01",
        foreword,
        "前言没有以起草依据开头。",
        f"在前言第一段写：{texts.DRAFTING_STATEMENT}",
        source=children[0].text if children else "",
        clause="前言",
        fix=Fix(foreword.uid, "insert", 0, tf.Node(tf.PARAGRAPH, text=texts.DRAFTING_STATEMENT)),
    )


# ---- S-FORE-02 no provisions, figures, tables or numbering ---------------------------------

# The lines naming who proposed, owns and drafted the document ("本文件由……提出。"); their
# names of places and people may hold 宜, 可 or 应 (宜昌, 李应龙).
_WHO = r"^本(?:文件|标准|部分)"
_PEOPLE_LINE = re.compile(
    rf"{_WHO}(?:由.{{1,80}}?(?:提出|归口)|.{{0,6}}起草单位\s*[:：]|.{{0,6}}起草人\s*[:：])"
)
_MODAL = re.compile(r"不准许|只准许|不需要|无须|不必|不应|不宜|应|宜|可|推荐|建议|允许")
_NOT_MODAL = re.compile(r"推荐性|建议稿|可能")
_NUMBERED = re.compile(
    r"^(?:\d{1,2}(?:\.\d{1,2})*[\s\u3000、．.]|[（(][一二三四五六七八九十]{1,3}[)）]|"
    r"[一二三四五六七八九十]{1,3}、)"
)
_FORBIDDEN_KINDS = {
    tf.TABLE: "表",
    tf.FIGURE: "图",
    tf.CLAUSE: "分条",
}


@rule(
    "S-FORE-02",
    severity="error",
    title="前言不含要求、图、表和编号",
    basis="GB/T 1.1—2020 8.3",
    why=(
        "前言只交代文件自身以外的信息（起草依据、与其他文件的关系、起草者等），不规定任何事情："
        "不能有“应”“宜”“可”这样的条款，不用图、表和公式，也不分条、不编号。要求应写进正文。"
    ),
    wrong=_FOREWORD_BODY.format(
        first=texts.DRAFTING_STATEMENT, last="各科室应在实施前组织学习本文件。"
    ),
    right=_RIGHT,
    scope="document",
)
def no_provisions(draft: Draft) -> Iterator[Issue]:
    foreword = foreword_of(draft)
    if foreword is None:
        return
    for child in walk([foreword]):
        if child is foreword:
            continue
        if child.kind in _FORBIDDEN_KINDS:
            yield issue(
                "S-FORE-02",
                child,
                f"前言中出现了{_FORBIDDEN_KINDS[child.kind]}。",
                "前言不使用图、表，不分条；需要的内容移到正文或附录。",
                source=child.title or child.text,
                clause="前言",
            )
            continue
        if child.kind not in (tf.PARAGRAPH, tf.LIST_ITEM) or _PEOPLE_LINE.search(child.text):
            continue
        numbered = _NUMBERED.match(child.text)
        if numbered:
            yield issue(
                "S-FORE-02",
                child,
                "前言中的段落带有编号。",
                "前言不分条、不编号；删除编号，列举变化时用“——”列项。",
                span=(0, numbered.end()),
                clause="前言",
            )
            continue
        plain = masked(texts.without_mandated(child.text))
        plain = _NOT_MODAL.sub(lambda m: "□" * len(m.group()), plain)
        modal = _MODAL.search(plain)
        if modal:
            yield issue(
                "S-FORE-02",
                child,
                f"前言中有“{modal.group()}”引出的条款。",
                "前言不规定要求、推荐或允许；把这句话移到正文相应的章条中。",
                span=modal.span(),
                clause="前言",
            )


# ---- S-FORE-03 提出, 归口, 起草单位, 主要起草人 -----------------------------------------------

_LINES = (
    ("提出", re.compile(rf"{_WHO}由.{{1,80}}?提出")),
    ("归口", re.compile(rf"{_WHO}由.{{1,80}}?归口")),
    ("起草单位", re.compile(rf"{_WHO}.{{0,6}}起草单位\s*[:：]")),
    ("主要起草人", re.compile(rf"{_WHO}.{{0,6}}起草人\s*[:：]")),
)
_LINES_TEMPLATE = "本文件由××提出。本文件由××归口。本文件起草单位：××。本文件主要起草人：××、××。"


@rule(
    "S-FORE-03",
    severity="warning",
    title="前言写明提出、归口、起草单位和主要起草人",
    basis="GB/T 1.1—2020 8.3",
    why=(
        "前言依次说明文件由谁提出、由谁归口、起草单位和主要起草人，使用者知道向谁反馈、由谁"
        "负责解释。这四项缺一项或顺序颠倒，都不符合前言的写法。"
    ),
    wrong=(
        f"@前言\n{texts.DRAFTING_STATEMENT}\n{texts.PATENT_NOTICE}\n"
        "本文件起草单位：江城市机关事务服务中心。\n本文件由江城市机关事务服务中心提出。\n"
        f"{texts.FIRST_ISSUE}\n"
    ),
    right=_RIGHT,
    scope="document",
    fix="suggestion",
)
def people_lines(draft: Draft) -> Iterator[Issue]:
    foreword = foreword_of(draft)
    if foreword is None:
        return
    positions: list[tuple[str, int]] = []
    missing: list[str] = []
    for name, pattern in _LINES:
        index = next(
            (i for i, c in _paragraphs(foreword) if pattern.search(c.text)),
            None,
        )
        if index is None:
            missing.append(name)
        else:
            positions.append((name, index))
    source = "\n".join(c.text for c in foreword.children)
    if missing:
        yield issue(
            "S-FORE-03",
            foreword,
            f"前言缺少{'、'.join(missing)}的说明。",
            f"按顺序补写：{_LINES_TEMPLATE}",
            source=source,
            clause="前言",
        )
    indices = [i for _, i in positions]
    if indices != sorted(indices):
        order = "、".join(name for name, _ in sorted(positions, key=lambda p: p[1]))
        yield issue(
            "S-FORE-03",
            foreword,
            f"前言中这几项的顺序是{order}，不符合规定。",
            "顺序应为：提出、归口、起草单位、主要起草人。",
            source=source,
            clause="前言",
        )


# ---- S-FORE-04 patent notice --------------------------------------------------------------

_PATENT = squeeze(texts.PATENT_NOTICE)
_PATENT_LIKE = re.compile(r"专利")
_AFTER_PATENT = re.compile(rf"{_WHO}(?:由.{{1,80}}?(?:提出|归口)|.{{0,6}}起草|首次发布|及其所代替)")


@rule(
    "S-FORE-04",
    severity="warning",
    title="前言有专利说明",
    basis="GB/T 1.1—2020 8.3",
    why=(
        "尚未识别出文件是否涉及专利时，前言应写明：“请注意本文件的某些内容可能涉及专利。本文件的"
        "发布机构不承担识别专利的责任。”这句话提醒使用者自行注意专利，措辞是固定的。"
    ),
    wrong=(
        f"@前言\n{texts.DRAFTING_STATEMENT}\n本文件由江城市机关事务服务中心提出。\n"
        f"{texts.FIRST_ISSUE}\n"
    ),
    right=_RIGHT,
    scope="document",
    fix="auto",
)
def patent_notice(draft: Draft) -> Iterator[Issue]:
    foreword = foreword_of(draft)
    if foreword is None:
        return
    paragraphs = _paragraphs(foreword)
    if any(_PATENT in squeeze(c.text) for _, c in paragraphs):
        return
    similar = next((c for _, c in paragraphs if _PATENT_LIKE.search(c.text)), None)
    if similar is not None:
        yield issue(
            "S-FORE-04",
            similar,
            "专利说明的措辞与规定的不一致。",
            f"改为：{texts.PATENT_NOTICE}",
            clause="前言",
            fix=Fix(similar.uid, "text", similar.text, texts.PATENT_NOTICE),
        )
        return
    at = next((i for i, c in paragraphs if _AFTER_PATENT.search(c.text)), len(foreword.children))
    yield issue(
        "S-FORE-04",
        foreword,
        "前言缺少专利说明。",
        f"在提出、归口信息之前加一段：{texts.PATENT_NOTICE}",
        source="\n".join(c.text for c in foreword.children),
        clause="前言",
        fix=Fix(foreword.uid, "insert", at, tf.Node(tf.PARAGRAPH, text=texts.PATENT_NOTICE)),
    )


# ---- S-FORE-05 replacement or first issue --------------------------------------------------

_REPLACES = re.compile(r"本(?:文件|标准|部分)代替(?P<what>[^。]*)")
_CHANGES = re.compile(r"相比|变化|主要.{0,6}(?:修改|更改)")
_CODE = re.compile(r"[A-Z][A-Z0-9]*(?:/[A-Z0-9]+)*\s*[A-Z]?\d+(?:\.\d+)*(?:\s*[—–-]\s*\d{4})?")


def _codes(text: str) -> set[str]:
    return {squeeze(normalized(m.group())) for m in _CODE.finditer(text)}


def _without_year(code: str) -> str:
    return re.sub(r"—\d{4}$", "", code)


@rule(
    "S-FORE-05",
    severity="warning",
    title="前言说明代替关系和主要变化，或“本文件首次发布”",
    basis="GB/T 1.1—2020 8.3",
    why=(
        "修订的文件要在前言中写明代替了哪个文件、与之相比主要有哪些技术变化；首次制定的文件写"
        "“本文件首次发布。”。使用者据此知道该找哪个版本、这一版改了什么。"
    ),
    wrong=_FOREWORD_BODY.format(first=texts.DRAFTING_STATEMENT, last=""),
    right=_RIGHT,
    scope="document",
    fix="suggestion",
)
def replacement_or_first(draft: Draft) -> Iterator[Issue]:
    foreword = foreword_of(draft)
    if foreword is None:
        return
    lines = [c for c in walk([foreword]) if c.kind in (tf.PARAGRAPH, tf.LIST_ITEM)]
    source = "\n".join(c.text for c in lines)
    first = next((c for c in lines if squeeze(c.text) == squeeze(texts.FIRST_ISSUE)), None)
    statement = next((c for c in lines if _REPLACES.search(c.text)), None)
    replaced = [squeeze(normalized(n)) for n in draft.cover.replaces if n]
    if replaced and first is not None:
        yield issue(
            "S-FORE-05",
            first,
            f"本文件代替{'、'.join(draft.cover.replaces)}，前言却写“本文件首次发布。”。",
            "删去这句，改写代替说明和与被代替文件相比的主要技术变化。",
            clause="前言",
        )
        return
    if statement is None:
        if replaced:
            yield issue(
                "S-FORE-05",
                foreword,
                f"前言没有说明本文件代替{'、'.join(draft.cover.replaces)}。",
                f"写明“本文件代替{draft.cover.replaces[0]}……”，并列出主要技术变化。",
                source=source,
                clause="前言",
            )
        elif first is None:
            yield issue(
                "S-FORE-05",
                foreword,
                "前言既没有说明代替关系，也没有写“本文件首次发布。”。",
                f"首次制定的文件在前言末尾写：{texts.FIRST_ISSUE}",
                source=source,
                clause="前言",
            )
        return
    match = _REPLACES.search(statement.text)
    assert match is not None
    named = _codes(match["what"])
    named_bare = {_without_year(c) for c in named}
    absent = [
        n
        for n, key in zip(draft.cover.replaces, replaced, strict=True)
        if key not in named and _without_year(key) not in named_bare
    ]
    if absent:
        yield issue(
            "S-FORE-05",
            statement,
            f"代替说明没有列出被代替的{'、'.join(absent)}。",
            "在“本文件代替……”中写全被代替文件的编号。",
            span=match.span(),
            clause="前言",
        )
    at = lines.index(statement)
    if not any(_CHANGES.search(c.text) for c in lines[at:]):
        yield issue(
            "S-FORE-05",
            statement,
            "前言说明了代替关系，但没有说明与被代替文件相比的主要技术变化。",
            "接着写“与……相比，除结构调整和编辑性改动外，主要技术变化如下：”，并逐项列出。",
            span=match.span(),
            clause="前言",
        )
