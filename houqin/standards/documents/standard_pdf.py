"""A version of a standard as PDF (WeasyPrint): the print page's markup
(``standards/print_body.html``) with its stylesheet and the paged-media rules of
``pdf.css``. The page says ``lang="zh-CN"`` and names the SC fonts, else fontconfig picks
Japanese glyph forms (STACK.md §4). Only inline ``data:`` resources are read (the figures);
a PDF of a standard never reaches the network or the file system."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from houqin.standards.documents.source import Source, document_source
from houqin.standards.documents.standard_html import document_parts
from houqin.standards.models import Standard, StandardVersion

_HERE = Path(__file__).resolve().parent
PRINT_CSS = _HERE.parent / "static" / "standards" / "print.css"
PDF_CSS = _HERE / "pdf.css"


@cache
def _stylesheets() -> str:
    return PRINT_CSS.read_text(encoding="utf-8") + "\n" + PDF_CSS.read_text(encoding="utf-8")


def css_string(text: str) -> str:
    """``text`` as a CSS string literal (anything but letters, digits, CJK and a few
    harmless marks is escaped, so no text can close the string or the style element)."""
    safe = " /.—-"
    escaped = "".join(
        ch if ch.isalnum() or ch in safe or ord(ch) > 0x2E7F else f"\\{ord(ch):x} " for ch in text
    )
    return f'"{escaped}"'


def source_html(source: Source) -> str:
    css = _stylesheets().replace("RUNNING_HEAD", css_string(source.header))
    context = {"source": source, "parts": document_parts(source), "css": mark_safe(css)}  # noqa: S308
    return render_to_string("standards/pdf_version.html", context)


def standard_pdf(standard: Standard, version: StandardVersion | None) -> bytes:
    html = source_html(document_source(standard, version))
    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=("data",))).write_pdf()


def version_pdf(version: StandardVersion) -> bytes:
    """The version as a PDF file (bytes)."""
    return standard_pdf(version.standard, version)
