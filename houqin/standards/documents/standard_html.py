"""A version of a standard as paged HTML: the same parts as the Word file (cover, 目次,
前言/引言, body, annexes, 参考文献), one ``<section class="std-sheet">`` per part, so the PDF
(WeasyPrint) and the print page render the same markup. Built as strings: every piece of
text is escaped here. Styles: ``static/standards/print.css`` (+ ``pdf.css`` for the PDF)."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from io import BytesIO
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from PIL import Image, UnidentifiedImageError

from houqin.standards.clauses import Item
from houqin.standards.documents.source import ELEMENT_TITLES, Source, inline_paragraph
from houqin.standards.models import Clause
from houqin.standards.rendering import ANNEX_TYPES, heading_text, reference_text

K = Clause.Kind
HEADED = (K.SCOPE, K.REFERENCES, K.TERMS, K.CHAPTER)
FS = "\u3000"
_IMAGE_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg", "GIF": "image/gif", "WEBP": "image/webp"}


@dataclass
class Parts:
    """The HTML of each part of the document, ready for ``standards/print_body.html``."""

    front: list[SafeString]
    body: SafeString
    annexes: list[SafeString]
    bibliography: list[SafeString]


def _safe(html: str) -> SafeString:
    return mark_safe(html)  # noqa: S308 (built from escaped text only)


def document_parts(source: Source) -> Parts:
    writer = _Html(source)
    return Parts(
        front=[_safe(writer.render(i)) for i in source.front],
        body=_safe("".join(writer.render(i) for i in source.body)),
        annexes=[_safe(writer.render(i)) for i in source.annexes],
        bibliography=[_safe(writer.render(i)) for i in source.bibliography],
    )


def _text(value: Any) -> str:
    """Escaped text with its line breaks kept."""
    return str(escape(str(value))).replace("\n", "<br>")


class _Html:
    def __init__(self, source: Source) -> None:
        self.source = source
        self.bibliography_no = 0

    def render(self, item: Item) -> str:
        out: list[str] = []
        self.item(item, 0, out, in_bibliography=False)
        return "".join(out)

    def item(self, item: Item, level: int, out: list[str], in_bibliography: bool) -> None:
        c = item.clause
        kind = c.kind
        anchor = f'id="c-{c.uid}"'
        children = item.children
        if kind in ELEMENT_TITLES:
            out.append(f'<h2 class="std-element" {anchor}>{ELEMENT_TITLES[kind]}</h2>')
            in_bibliography = kind == K.BIBLIOGRAPHY
            if c.text:
                out.append(f'<p class="std-p">{_text(c.text)}</p>')
        elif kind in HEADED:
            out.append(f'<h2 class="std-ch" {anchor}>{_text(heading_text(c))}</h2>')
            if c.text:
                out.append(f'<p class="std-p">{_text(c.text)}</p>')
        elif kind == K.ANNEX:
            annex_type = ANNEX_TYPES.get((c.extra or {}).get("annex_type", ""), "")
            lines = [c.number, f"（{annex_type}）" if annex_type else "", c.title]
            spans = "".join(f"<span>{_text(line)}</span>" for line in lines if line)
            out.append(f'<h2 class="std-annex-title" {anchor}>{spans}</h2>')
            if c.text:
                out.append(f'<p class="std-p">{_text(c.text)}</p>')
        elif kind == K.CLAUSE:
            children = self.clause(item, out)
        elif kind == K.PARAGRAPH:
            out.append(f'<p class="std-p">{_text(c.text)}</p>')
        elif kind == K.LIST_ITEM:
            depth = min(level, 2) + 1
            out.append(
                f'<p class="std-li std-l{depth}"><span class="std-lab">{_text(c.number)}</span>'
                f"{_text(c.text)}</p>"
            )
            for child in children:
                self.item(child, level + 1, out, in_bibliography)
            return
        elif kind in (K.NOTE, K.EXAMPLE):
            out.append(
                f'<p class="std-{kind}"><span class="std-lab">{_text(c.number)}：</span>'
                f"{_text(c.text)}</p>"
            )
        elif kind == K.TABLE:
            out.append(self.table(c))
        elif kind == K.FIGURE:
            out.append(f'<figure class="std-figure">{self.picture(c)}')
            for child in children:
                self.item(child, 0, out, in_bibliography)
            caption = _text(f"{c.number}{FS}{c.title}".strip())
            out.append(f"<figcaption>{caption}</figcaption></figure>")
            return
        elif kind == K.TERM:
            out.append(self.term_head(c))
            for child in children:
                self.item(child, 0, out, in_bibliography)
            source = (c.extra or {}).get("source")
            if source:
                out.append(f'<p class="std-p">[来源：{_text(source)}]</p>')
            return
        elif kind == K.REFERENCE:
            text = _text(reference_text(c.extra or {}) or c.text)
            if in_bibliography:
                self.bibliography_no += 1
                out.append(
                    f'<p class="std-bib"><span class="std-lab">[{self.bibliography_no}]</span>'
                    f"{text}</p>"
                )
            else:
                out.append(f'<p class="std-p std-ref">{text}</p>')
        else:
            out.append(f'<p class="std-p">{_text(c.text)}</p>')
        for child in children:
            self.item(child, level, out, in_bibliography)

    def clause(self, item: Item, out: list[str]) -> list[Item]:
        c = item.clause
        anchor = f'id="c-{c.uid}"'
        if c.title:
            out.append(
                f'<h3 class="std-cl" {anchor}><span class="std-num">{_text(c.number)}</span>'
                f"{_text(c.title)}</h3>"
            )
            if c.text:
                out.append(f'<p class="std-p">{_text(c.text)}</p>')
            return item.children
        inline = inline_paragraph(item)
        text = inline.clause.text if inline else c.text
        out.append(
            f'<p class="std-cl-inline" {anchor}><span class="std-num">{_text(c.number)}</span>'
            f"{_text(text)}</p>"
        )
        return item.children[1:] if inline else item.children

    @staticmethod
    def table(c: Clause) -> str:
        extra = c.extra or {}
        header = [str(cell) for cell in extra.get("header", [])]
        rows = [[str(cell) for cell in row] for row in extra.get("rows", [])]
        columns = max([len(header), *(len(r) for r in rows)])
        caption = _text(f"{c.number}{FS}{c.title}".strip())
        html = [f'<div class="std-table" id="c-{c.uid}"><p class="std-caption">{caption}</p>']
        if columns:
            html.append("<table>")
            if header:
                cells = "".join(f"<th>{_text(v)}</th>" for v in header)
                pad = "<th></th>" * (columns - len(header))
                html.append(f"<thead><tr>{cells}{pad}</tr></thead>")
            html.append("<tbody>")
            for row in rows:
                cells = "".join(f"<td>{_text(v)}</td>" for v in row)
                html.append(f"<tr>{cells}{'<td></td>' * (columns - len(row))}</tr>")
            html.append("</tbody></table>")
        html.append("</div>")
        return "".join(html)

    def picture(self, c: Clause) -> str:
        src = str((c.extra or {}).get("src", ""))
        data = self.source.images.get(src) if src else None
        if data is not None:
            try:
                with Image.open(BytesIO(data)) as image:
                    mime = _IMAGE_TYPES.get(image.format or "")
                    width = image.size[0]
            except (UnidentifiedImageError, OSError):
                mime = None
            if mime:
                encoded = base64.b64encode(data).decode("ascii")
                return (
                    f'<img src="data:{mime};base64,{encoded}" alt="{_text(c.title)}" '
                    f'width="{width}" id="c-{c.uid}">'
                )
        if src:
            return f'<p class="std-missing" id="c-{c.uid}">［图文件“{_text(src)}”未上传］</p>'
        return f'<span id="c-{c.uid}"></span>'

    @staticmethod
    def term_head(c: Clause) -> str:
        extra = c.extra or {}
        english = extra.get("english", "")
        english_html = f'<span class="std-en">{_text(english)}</span>' if english else ""
        definition = extra.get("definition", "")
        return (
            f'<p class="std-term-no" id="c-{c.uid}">{_text(c.number)}</p>'
            f'<p class="std-term"><b>{_text(extra.get("term", ""))}</b>{english_html}</p>'
            + (f'<p class="std-p">{_text(definition)}</p>' if definition else "")
        )
