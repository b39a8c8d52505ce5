"""What each block is: a heading, a list item, a note, a table title … from its paragraph
style when the style says (Word's Heading 1…9 / 标题 1…9, the styles of the Chinese
standard-drafting templates — 章标题, 一级条标题, 附录标识, 列项——, 注：, 术语条一 … — matched
loosely by name, and the house template's 章标题/条标题/无标题条 …), else from the text as
typed ("5.2.1 标题", "a)", "注1：", "表A.1 标题", "附录A（规范性）")."""

from __future__ import annotations

import re
from functools import lru_cache

from houqin.standards import textformat as tf
from houqin.standards.importer import base as b
from houqin.standards.importer.base import Block, Line, has_cjk, one_line, squeeze

FRONT_NAMES = {"前言": tf.FOREWORD, "引言": tf.INTRODUCTION, "参考文献": tf.BIBLIOGRAPHY}
TOC_NAMES = frozenset({"目次", "目录"})
ANNEX_TYPES = {
    "规范性": "normative",
    "标准的": "normative",
    "normative": "normative",
    "资料性": "informative",
    "提示的": "informative",
    "参考性": "informative",
    "informative": "informative",
}
_CN = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6}

NUMBER = re.compile(
    r"(?P<num>\d{1,2}(?:\.\d{1,3}){0,6}|[A-Z](?:\.\d{1,3}){1,6})(?:[\s\u3000]+|$)(?P<rest>.*)",
    re.S,
)
_NOT_TITLE_START = re.compile(r"[A-Za-z℃%‰°～~×/+\-—:：、，,.；;)）]")
_OPENERS = "“‘《（(【〈「0123456789"
_SENTENCE = re.compile(r"[。；;，,：:！？!?]")
LIST_MARK = re.compile(
    r"(?P<mark>——|—|[·•●▪]|-(?=\s)|[a-z][)）]|\d{1,2}[)）]|[（(]\d{1,2}[)）]|[①-⑳])"
    r"[\s\u3000]*(?P<text>.*)",
    re.S,
)
NOTE = re.compile(r"注\s*(?P<n>\d*)\s*[:：]\s*(?P<text>.*)", re.S)
EXAMPLE = re.compile(r"示例\s*(?P<n>\d*)\s*(?:[:：]\s*(?P<text>.*))?", re.S)
SOURCE = re.compile(r"[\[［【]?\s*来源\s*[:：]\s*(?P<text>.*?)\s*[\]］】]?", re.S)
_CAPTION = r"\s*(?P<n>(?:[A-Z]\s*\.\s*)?\d{1,3})?\s*(?P<cont>[（(]续[)）])?"
_CAPTION_END = r"(?:\s*[—–\-－:：]\s*|[\s\u3000]+|$)(?P<text>.*)"
TABLE_TITLE = re.compile(r"(?P<pre>续)?表" + _CAPTION + _CAPTION_END, re.S)
FIGURE_TITLE = re.compile(r"图" + _CAPTION + _CAPTION_END, re.S)
BIB_LABEL = re.compile(r"[\[［](?P<n>\d{1,3})[\]］]\s*(?P<text>.+)", re.S)
ANNEX = re.compile(r"附\s*录\s*(?P<letter>[A-Z])(?![A-Za-z])\s*(?P<rest>.*)", re.S)
ANNEX_TYPE = re.compile(
    r"[（(]\s*(?P<type>规范性|资料性|标准的|提示的|参考性|normative|informative)\s*(?:附录)?\s*"
    r"[)）]\s*(?P<title>.*)",
    re.S | re.I,
)
_END_LINE = re.compile(r"[—―_－─━\-=＿]{2,}")
_PAGE_NUMBER = re.compile(r"[-—]?\s*(?:\d{1,4}|[IVXⅠ-Ⅻ]{1,6})\s*[-—]?")
_TOC_PAGE = re.compile(r"[\s\u3000.·…．_]+(?:\d{1,4}|[IVXⅠ-Ⅻivx]{1,6})\s*$")
_TOC_LEADERS = re.compile(r"[.·…．_]{2,}")


def list_style(mark: str) -> str:
    if mark[0] in "—·•●▪-":
        return "dash"
    if mark[0].isascii() and mark[0].isalpha():
        return "alpha"
    return "numeric"


def number_style(fmt: str) -> str:
    """The list style of a Word list number format."""
    if fmt == "bullet":
        return "dash"
    if fmt in ("lowerLetter", "upperLetter"):
        return "alpha"
    return "numeric"


def depth(typed: str) -> int:
    """Heading level of a typed number: "5" → 1, "5.2" → 2, "A.1" → 2."""
    return typed.count(".") + 1


def title_like(text: str, limit: int = 40) -> bool:
    """Short, without sentence punctuation, not starting like a quantity ("2 h内")."""
    return (
        bool(text)
        and len(text) <= limit
        and not _SENTENCE.search(text)
        and not _NOT_TITLE_START.match(text)
    )


def has_page_number(text: str) -> bool:
    """A contents line: text, leader dots or a tab, then a page number."""
    return _TOC_PAGE.search(one_line(text)) is not None and has_cjk(text)


def toc_text(text: str) -> str:
    """A contents line without its page number and leader dots, spaces single."""
    text = _TOC_PAGE.sub("", one_line(text))
    text = _TOC_LEADERS.sub(" ", text)
    return " ".join(text.replace("\u3000", " ").split())


@lru_cache(maxsize=512)
def style_role(name: str) -> tuple[str, int, str]:
    """(role, level, list style) of a normalized style name; ("", 0, "") for body text."""
    n = name.rsplit("_", 1)[-1]
    if not n:
        return ("", 0, "")
    heading = re.fullmatch(r"(?:heading|标题)(\d)", n)
    if heading:
        return ("heading", int(heading[1]), "")
    if re.fullmatch(r"(?:toc|目录|目次)\d", n):
        return ("toc", 0, "")
    if n in ("tocheading", "目次标题", "目录标题", "目次", "目录"):
        return ("toc_title", 0, "")
    if "封面" in n:
        return ("cover", 0, "")
    cn = re.search(r"([一二三四五六])级", n)
    if "附录" in n:
        if "标识" in n or n in ("附录标题", "附录", "附录名称"):
            return ("annex", 0, "")
        if "条" in n and cn:
            return ("heading", _CN[cn[1]] + 2, "")
        if "章" in n:
            return ("heading", 2, "")
    if "无标题" in n:
        return ("untitled", _CN[cn[1]] + 1 if cn else 0, "")
    if "条标题" in n:
        return ("heading", _CN[cn[1]] + 1 if cn else 0, "")
    if n.endswith("章标题"):
        return ("heading", 1, "")
    if "前言" in n or "引言" in n or n == "要素标题" or (n.startswith("参考文献") and "标题" in n):
        return ("front", 0, "")
    if n.startswith("参考文献"):
        return ("bib_entry", 0, "")
    if "列项" in n or n.startswith(("listbullet", "listnumber", "listparagraph")):
        return _list_role(n, cn)
    if n.startswith("术语条") or n == "术语条目号":
        return ("term_number", 0, "")
    if n in ("术语", "术语名称"):
        return ("term", 0, "")
    if n in ("英文对应词", "英文术语"):
        return ("english", 0, "")
    if n.startswith("示例"):
        return ("example", 0, "")
    if n in ("表注", "图注"):
        return ("note", 0, tf.TABLE if n == "表注" else tf.FIGURE)
    if n.startswith("注"):
        return ("note", 0, "")
    if n.endswith(("表题", "表标题", "表名")):
        return ("table_title", 0, "")
    if n.endswith(("图题", "图标题", "图名")):
        return ("figure_title", 0, "")
    if n in ("caption", "题注"):
        return ("caption", 0, "")
    if n in ("图", "图片"):
        return ("figure", 0, "")
    if n.endswith("标准名称") or n == "title":
        return ("doc_title", 0, "")
    return ("", 0, "")


def _list_role(n: str, cn: re.Match[str] | None) -> tuple[str, int, str]:
    style = ""
    if "—" in n or "·" in n or "破折号" in n or "圆点" in n or n.startswith("listbullet"):
        style = "dash"
    elif "字母" in n:
        style = "alpha"
    elif "数字" in n or n.startswith("listnumber"):
        style = "numeric"
    level = -1
    if cn:
        level = _CN[cn[1]] - 1
    elif n[-1].isdigit():
        level = int(n[-1]) - 1
    elif n in ("列项", "listbullet", "listnumber") or n.startswith("列项—"):
        level = 0
    elif n.startswith(("列项·", "列项•")):
        level = 1
    return ("list", level, style)


def classify(block: Block) -> list[Line]:
    """The lines a block makes (a paragraph with line breaks may make several)."""
    lines = _classify(block)
    if block.remarks:
        lines[0].remarks = block.remarks
    return lines


def _classify(block: Block) -> list[Line]:
    no = block.no
    if block.rows is not None:
        return [Line(b.TABLE, no, rows=block.rows)]
    role, level, style = style_role(block.style) if block.style else ("", 0, "")
    text = block.text
    if not text.strip():
        if block.drawing or role == "figure":
            return [Line(b.DRAWING, no)]
        return [Line(b.BLANK, no)]
    whole = one_line(text)
    if block.generated or squeeze(whole) == "索引":
        return [Line(b.SKIP, no)]  # an index Word builds from the text
    if squeeze(whole) in TOC_NAMES:
        return [Line(b.TOC_TITLE, no, raw=whole)]
    if block.toc or role == "toc":
        return [Line(b.TOC, no, text=toc_text(text), raw=whole)]
    if role == "cover":
        return [
            Line(b.COVER, no, text=piece.strip(), raw=whole)
            for piece in text.split("\n")
            if piece.strip()
        ]
    line = _by_role(role, level, style, whole, block)
    if line is not None:
        line.no, line.raw, line.indent = no, whole, block.indent
        return [line]
    lines: list[Line] = []
    for piece in text.split("\n"):
        piece = one_line(piece)
        if not piece:
            continue
        line = by_text(piece, no)
        if block.outline and line.kind in (b.PARAGRAPH, b.HEADING) and not line.untitled:
            line = _heading(piece, block.outline)
        elif block.numbering and line.kind == b.PARAGRAPH:
            line = Line(
                b.LIST, no, text=piece, style=number_style(block.numbering), level=block.list_level
            )
        if lines and line.kind == b.PARAGRAPH and lines[-1].kind == b.PARAGRAPH:
            lines[-1].text = b.join_lines(lines[-1].text, line.text)
            continue
        line.raw, line.indent = whole, block.indent
        lines.append(line)
    return lines or [Line(b.BLANK, no)]


def _heading(text: str, level: int) -> Line:
    """A paragraph a style or outline level makes a heading of ``level`` (0: from the
    typed number)."""
    front = FRONT_NAMES.get(squeeze(text))
    if front:
        return Line(b.FRONT, 0, style=front, certain=True)
    if ANNEX.match(text):
        return annex(text, certain=True)
    match = NUMBER.fullmatch(text)
    if match:
        typed, rest = match["num"], match["rest"].strip()
        untitled = bool(rest) and "." in typed and not title_like(rest, 60)
        return Line(
            b.HEADING,
            0,
            text=rest,
            typed=typed,
            level=depth(typed),
            certain=True,
            untitled=untitled or not rest,
        )
    return Line(b.HEADING, 0, text=text, level=level, certain=True)


def _by_role(role: str, level: int, style: str, text: str, block: Block) -> Line | None:
    if role == "heading":
        line = _heading(text, level or block.outline)
        if line.kind == b.HEADING and not line.level:
            line.level = 2
        return line
    if role == "untitled":
        match = NUMBER.fullmatch(text)
        typed, rest = (match["num"], match["rest"].strip()) if match else ("", text)
        return Line(
            b.HEADING,
            0,
            text=rest,
            typed=typed,
            level=depth(typed) if typed else level,
            certain=True,
            untitled=True,
        )
    if role == "annex":
        return annex(text, certain=True)
    if role == "front":
        front = FRONT_NAMES.get(squeeze(text))
        return Line(b.FRONT, 0, style=front, certain=True) if front else None
    if role == "toc_title":
        return Line(b.TOC_TITLE, 0)
    if role == "doc_title":
        return Line(b.DOC_TITLE, 0, text=text)
    if role == "term_number":
        match = NUMBER.fullmatch(text)
        if match:
            return Line(b.TERM_NUMBER, 0, typed=match["num"], text=match["rest"].strip())
        return Line(b.TERM_NUMBER, 0, text=text)
    if role == "term":
        return Line(b.TERM_LINE, 0, text=text)
    if role == "english":
        return Line(b.ENGLISH, 0, text=text)
    if role in ("table_title", "figure_title", "caption"):
        return _caption(role, text)
    if role == "note":
        match = NOTE.fullmatch(text)
        typed = f"注{match['n']}" if match else ""
        body = match["text"].strip() if match else text
        return Line(b.NOTE, 0, text=body, typed=typed, style=style)
    if role == "example":
        match = EXAMPLE.fullmatch(text)
        typed = f"示例{match['n']}" if match else ""
        body = (match["text"] or "").strip() if match else text
        return Line(b.EXAMPLE, 0, text=body, typed=typed)
    if role == "list":
        match = LIST_MARK.fullmatch(text)
        mark = match["mark"] if match else ""
        if not style:
            style = list_style(mark) if mark else number_style(block.numbering or "bullet")
        if level < 0 and block.numbering:
            level = block.list_level
        return Line(
            b.LIST,
            0,
            text=match["text"].strip() if match else text,
            typed=mark,
            style=style,
            level=level,
            certain=True,
        )
    if role == "bib_entry":
        match = BIB_LABEL.fullmatch(text)
        return Line(b.BIB_ENTRY, 0, text=match["text"].strip() if match else text)
    return None


def _caption(role: str, text: str) -> Line | None:
    table = TABLE_TITLE.fullmatch(text)
    figure = FIGURE_TITLE.fullmatch(text)
    if role != "figure_title" and table and (table["n"] or role == "table_title"):
        return _table_title(table, certain=True)
    if role != "table_title" and figure and (figure["n"] or role == "figure_title"):
        return Line(b.FIGURE_TITLE, 0, text=figure["text"].strip(), typed=figure["n"] or "")
    if role == "table_title":
        return Line(b.TABLE_TITLE, 0, text=text, certain=True)
    if role == "figure_title":
        return Line(b.FIGURE_TITLE, 0, text=text)
    return None


def _table_title(match: re.Match[str], *, certain: bool = False) -> Line:
    typed = re.sub(r"\s+", "", match["n"] or "")
    continued = bool(match["pre"] or match["cont"])
    return Line(
        b.TABLE_TITLE,
        0,
        text=match["text"].strip(),
        typed=typed,
        style="continued" if continued else "",
        certain=certain,
    )


def annex(text: str, *, certain: bool = False) -> Line:
    """An annex label line: "附录A（规范性）留样记录表", or a styled annex label whose letter
    Word numbers ("（规范性）留样记录表")."""
    match = ANNEX.fullmatch(text)
    letter, rest = (match["letter"], match["rest"].strip()) if match else ("", text)
    kind = ANNEX_TYPE.fullmatch(rest)
    if kind:
        return Line(
            b.ANNEX,
            0,
            typed=letter,
            style=ANNEX_TYPES[kind["type"].lower()],
            text=kind["title"].strip(),
            certain=certain,
        )
    return Line(b.ANNEX, 0, typed=letter, text=rest, certain=certain)


def by_text(text: str, no: int) -> Line:
    """A line's kind from its text alone (body-text style or pasted text)."""
    squeezed = squeeze(text)
    if _END_LINE.fullmatch(squeezed):
        return Line(b.SKIP, no)
    if squeezed in TOC_NAMES:
        return Line(b.TOC_TITLE, no)
    if squeezed in FRONT_NAMES:
        return Line(b.FRONT, no, style=FRONT_NAMES[squeezed])
    if _PAGE_NUMBER.fullmatch(text):
        return Line(b.SKIP, no, typed=squeezed)
    match = ANNEX.fullmatch(text)
    if match and _annex_like(match["rest"]):
        line = annex(text)
        line.no = no
        return line
    match = ANNEX_TYPE.fullmatch(text)
    if match and not match["title"].strip():
        return Line(b.ANNEX_TYPE, no, style=ANNEX_TYPES[match["type"].lower()])
    match = NOTE.fullmatch(text)
    if match:
        return Line(b.NOTE, no, text=match["text"].strip(), typed=f"注{match['n']}")
    match = EXAMPLE.fullmatch(text)
    if match:
        return Line(b.EXAMPLE, no, text=(match["text"] or "").strip(), typed=f"示例{match['n']}")
    match = SOURCE.fullmatch(text)
    if match and match["text"]:
        return Line(b.SOURCE, no, text=match["text"])
    match = LIST_MARK.fullmatch(text)
    if match and match["text"].strip():
        mark = match["mark"]
        return Line(
            b.LIST, no, text=match["text"].strip(), typed=mark, style=list_style(mark), level=-1
        )
    match = BIB_LABEL.fullmatch(text)
    if match:
        return Line(b.BIB_ENTRY, no, text=match["text"].strip())
    match = TABLE_TITLE.fullmatch(text)
    if match and (match["n"] or text[1:2] in (":", "：")) and not _SENTENCE.search(match["text"]):
        line = _table_title(match)
        line.no = no
        return line
    match = FIGURE_TITLE.fullmatch(text)
    if match and (match["n"] or text[1:2] in (":", "：")) and title_like(match["text"] or "图", 60):
        return Line(b.FIGURE_TITLE, no, text=match["text"].strip(), typed=match["n"] or "")
    match = NUMBER.fullmatch(text)
    if match:
        return _typed_number(match, no)
    return Line(b.PARAGRAPH, no, text=text)


def _annex_like(rest: str) -> bool:
    rest_stripped = rest.strip()
    if not rest_stripped or ANNEX_TYPE.fullmatch(rest_stripped):
        return True
    return rest[:1] in (" ", "\u3000", "\t") and title_like(rest_stripped)


def _typed_number(match: re.Match[str], no: int) -> Line:
    typed, rest = match["num"], match["rest"].strip()
    text = match.string
    if not rest:
        if "." not in typed:
            return Line(b.SKIP, no, typed=typed)  # a bare "5": a page number, or a chapter
        return Line(b.HEADING, no, typed=typed, level=depth(typed), untitled=True)
    if _NOT_TITLE_START.match(rest) or not (has_cjk(rest[:1]) or rest[:1] in _OPENERS):
        return Line(b.PARAGRAPH, no, text=text)
    if title_like(rest):
        return Line(b.HEADING, no, text=rest, typed=typed, level=depth(typed))
    if "." in typed:
        return Line(b.HEADING, no, text=rest, typed=typed, level=depth(typed), untitled=True)
    return Line(b.PARAGRAPH, no, text=text)
