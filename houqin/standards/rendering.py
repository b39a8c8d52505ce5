"""A version's text as HTML, built as one string (a 200-clause standard renders in
milliseconds): headings with their numbers, paragraphs, lists, notes and examples set as
GB/T 1.1 sets them, tables and figures with captions, annexes with their type, terms and
references. Every clause carries ``id="c-<uid>"`` so comments and checklist items can link
to it across versions. Styles: ``standards/standards.css``."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from houqin.standards.clauses import Item, version_items
from houqin.standards.models import Clause

K = Clause.Kind
ANNEX_TYPES = {"normative": "规范性", "informative": "资料性"}
FRONT_TITLES: dict[str, str] = {
    K.FOREWORD: "前言",
    K.INTRODUCTION: "引言",
    K.BIBLIOGRAPHY: "参考文献",
}


def reference_text(extra: dict) -> str:
    """ "GB/T 24421.1—2023　服务业组织标准化工作指南 第1部分：基本要求"."""
    code = extra.get("code", "")
    year = extra.get("year", "")
    number = f"{code}—{year}" if year else code
    return f"{number}　{extra.get('title', '')}".strip()


def heading_text(clause: Clause) -> str:
    """The heading as printed: "5.2　人员", "前言", "附录A（规范性）　记录表"."""
    if clause.kind in FRONT_TITLES:
        return FRONT_TITLES[clause.kind]
    if clause.kind == K.ANNEX:
        kind = ANNEX_TYPES.get((clause.extra or {}).get("annex_type", ""), "")
        label = f"{clause.number}（{kind}）" if kind else clause.number
        return f"{label}　{clause.title}".strip()
    return f"{clause.number}　{clause.title}".strip()


def _table(clause: Clause) -> str:
    extra = clause.extra or {}
    header = "".join(f"<th>{escape(cell)}</th>" for cell in extra.get("header", []))
    rows = "".join(
        "<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in row) + "</tr>"
        for row in extra.get("rows", [])
    )
    head = f"<thead><tr>{header}</tr></thead>" if header else ""
    caption = escape(f"{clause.number}　{clause.title}".strip())
    return (
        f'<figure class="std-table"><figcaption>{caption}</figcaption>'
        f'<div class="table-responsive"><table class="table table-sm table-bordered">'
        f"{head}<tbody>{rows}</tbody></table></div></figure>"
    )


def _annex_heading(clause: Clause) -> str:
    """附录A / （规范性） / 标题 on three lines, as GB/T 1.1 sets an annex heading."""
    kind = ANNEX_TYPES.get((clause.extra or {}).get("annex_type", ""), "")
    lines: list[str] = [escape(clause.number)]
    if kind:
        lines.append(f'<span class="std-annex-type">（{kind}）</span>')
    if clause.title:
        lines.append(escape(clause.title))
    return "<br>".join(lines)


def clause_html(item: Item, list_level: int = 0) -> str:
    """One clause (without its children) as HTML; ``list_level`` is how many list items a
    list item sits in (0 for a first-level item)."""
    c = item.clause
    anchor = f'id="c-{c.uid}" data-clause="{c.uid}"'
    text = escape(c.text)
    number = escape(c.number)
    level = min(item.depth + 2, 6)
    if c.kind == K.ANNEX:
        body = f'<p class="std-p">{text}</p>' if text else ""
        return f'<h2 class="std-h std-annex" {anchor}>{_annex_heading(c)}</h2>{body}'
    if c.kind in (K.FOREWORD, K.INTRODUCTION, K.BIBLIOGRAPHY, K.SCOPE, K.REFERENCES, K.TERMS) or (
        c.kind == K.CHAPTER
    ):
        css = "std-front" if c.kind in FRONT_TITLES else "std-chapter"
        body = f'<p class="std-p">{text}</p>' if text else ""
        return f'<h2 class="std-h {css}" {anchor}>{escape(heading_text(c))}</h2>{body}'
    if c.kind == K.CLAUSE:
        title = f"{number}　{escape(c.title)}" if c.title else number
        body = f'<span class="std-p-inline">{text}</span>' if text else ""
        return f'<h{level} class="std-h std-clause" {anchor}>{title}</h{level}>{body}'
    if c.kind == K.PARAGRAPH:
        return f'<p class="std-p" {anchor}>{text}</p>'
    if c.kind == K.LIST_ITEM:
        return (
            f'<div class="std-li std-l{min(list_level, 3)}" {anchor}>'
            f'<span class="std-no">{number}</span>{text}</div>'
        )
    if c.kind in (K.NOTE, K.EXAMPLE):
        return (
            f'<div class="std-{c.kind}" {anchor}><span class="std-no">{number}：</span>{text}</div>'
        )
    if c.kind == K.TABLE:
        return f"<div {anchor}>{_table(c)}</div>"
    if c.kind == K.FIGURE:
        caption = escape(f"{c.number}　{c.title}".strip())
        src = (c.extra or {}).get("src", "")
        picture = f'<div class="std-figure-file">（图：{escape(src)}）</div>' if src else ""
        return (
            f'<figure class="std-figure" {anchor}>{picture}<figcaption>{caption}</figcaption>'
            "</figure>"
        )
    if c.kind == K.TERM:
        extra = c.extra or {}
        source = extra.get("source", "")
        source_html = f'<p class="std-source">[来源：{escape(source)}]</p>' if source else ""
        return (
            f'<div class="std-term" {anchor}><div class="std-no">{number}</div>'
            f'<div class="std-term-name">{escape(extra.get("term", ""))}'
            f'<span class="std-term-en">{escape(extra.get("english", ""))}</span></div>'
            f'<p class="std-p">{escape(extra.get("definition", ""))}</p>{source_html}</div>'
        )
    if c.kind == K.REFERENCE:
        return f'<p class="std-ref" {anchor}>{escape(reference_text(c.extra or {}))}</p>'
    return f'<p class="std-p" {anchor}>{text}</p>'


def _pieces(items: list[Item], list_level: int, out: list[str]) -> None:
    for item in items:
        out.append(clause_html(item, list_level))
        inner = list_level + 1 if item.clause.kind == K.LIST_ITEM else list_level
        _pieces(item.children, inner, out)


def text_html(items: list[Item]) -> SafeString:
    """The whole text in document order."""
    out: list[str] = []
    _pieces(items, 0, out)
    return mark_safe(  # noqa: S308 (every piece of text above is escaped)
        '<div class="std-text">' + "".join(out) + "</div>"
    )


def version_html(version: Any) -> SafeString:
    """A version's whole text. A published version never changes, so its text is rendered
    once per process and kept in the cache under its id; a draft is rendered every time."""
    if not version.is_published:
        items = version_items(version)
        return text_html(items) if items else mark_safe("")
    key = f"standards:text:{version.pk}"
    html = cache.get(key)
    if html is None:
        items = version_items(version)
        html = str(text_html(items)) if items else ""
        cache.set(key, html, None)
    return mark_safe(html)  # noqa: S308 (built by text_html, which escapes every text)
