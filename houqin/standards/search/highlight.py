"""Hits in context: the words searched for wrapped in ``<mark>``, everything else escaped."""

from __future__ import annotations

import re
from collections.abc import Iterable
from html import escape as _escape

from django.utils.safestring import SafeString, mark_safe

SNIPPET = 90  # characters of a clause shown around its first hit
BEFORE = 24  # of which before the hit


def escape(text: str) -> str:
    """HTML-escaped text (the standard library's, without Django's lazy-string wrapper)."""
    return _escape(text, quote=True)


def pattern(surfaces: Iterable[str]) -> re.Pattern[str] | None:
    """One pattern for every surface string, longest first; spaces match any spacing."""
    parts = [
        re.escape(s).replace("\\ ", r"\s*")
        for s in sorted({s.strip() for s in surfaces if s.strip()}, key=len, reverse=True)
    ]
    return re.compile("|".join(parts), re.IGNORECASE) if parts else None


def marked(text: str, found: re.Pattern[str] | None) -> SafeString:
    """``text`` as HTML: each piece escaped on its own, the matches inside ``<mark>`` (so a
    search never matches inside an escaped entity such as ``&amp;``)."""
    if found is None:
        return mark_safe(escape(text))  # noqa: S308 (escaped)
    out: list[str] = []
    last = 0
    for match in found.finditer(text):
        if match.end() == match.start():
            continue
        out.append(escape(text[last : match.start()]))
        out.append(f"<mark>{escape(match[0])}</mark>")
        last = match.end()
    out.append(escape(text[last:]))
    return mark_safe("".join(out))  # noqa: S308 (every piece escaped above)


def snippet(text: str, found: re.Pattern[str] | None, width: int = SNIPPET) -> SafeString:
    """The part of ``text`` around its first match (or its start), marked, with "…" where
    it was cut."""
    text = " ".join(text.split())
    match = found.search(text) if found is not None else None
    start = max(0, match.start() - BEFORE) if match else 0
    end = min(len(text), start + width)
    start = max(0, min(start, end - width))
    body = marked(text[start:end], found)
    head = "…" if start > 0 else ""
    tail = "…" if end < len(text) else ""
    return mark_safe(f"{head}{body}{tail}")  # noqa: S308 (body is marked() output)
