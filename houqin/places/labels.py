"""QR codes, and QR labels as an A4 PDF (WeasyPrint): a grid of labels, each with a name,
a code and a QR code pointing at the absolute ``/q/<token>`` URL."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar
from urllib.parse import quote

import segno
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from houqin.places.selectors import Label

T = TypeVar("T")

COLUMNS = 3
ROWS = 4
PER_PAGE = COLUMNS * ROWS
MAX_LABELS = 2000
FILENAME = "二维码标签.pdf"


def qr_svg_inline(url: str, *, title: str) -> SafeString:
    """A QR code as inline SVG for a page (sized by CSS: ``.qr-box svg``)."""
    svg = segno.make(url, error="m").svg_inline(
        scale=1, border=2, omitsize=True, title=title, svgclass="qr-code"
    )
    svg = svg.replace("<svg", '<svg role="img"', 1)
    return mark_safe(svg)  # noqa: S308  (segno's own markup; the title is escaped by segno)


def qr_data_uri(url: str) -> str:
    """A QR code as a one-pixel-per-module PNG data URI for the PDF, drawn with
    ``image-rendering: pixelated`` so it prints sharp. (WeasyPrint lays out PNGs about
    twice as fast as SVGs: 2000 labels take about 20 s, most of it segno choosing masks.)"""
    return str(segno.make(url, error="m").png_data_uri(scale=1, border=4))


def batched(items: Sequence[T], size: int) -> list[Sequence[T]]:
    return [items[start : start + size] for start in range(0, len(items), size)]


def labels_pdf(labels: Sequence[Label], *, url_for_token: Callable[[str], str]) -> bytes:
    """The A4 PDF of the labels, ``PER_PAGE`` to a page."""
    from weasyprint import HTML  # imported on use: about 0.4 s

    cells = [{"label": label, "qr": qr_data_uri(url_for_token(label.token))} for label in labels]
    pages = [[list(row) for row in batched(page, COLUMNS)] for page in batched(cells, PER_PAGE)]
    html = render_to_string("places/labels_pdf.html", {"pages": pages, "columns": COLUMNS})
    return bytes(HTML(string=html).write_pdf())


def pdf_response(pdf: bytes, filename: str = FILENAME) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f"attachment; filename=\"labels.pdf\"; filename*=UTF-8''{quote(filename)}"
    )
    return response
