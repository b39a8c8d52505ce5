"""Inline Tabler icons (vendored SVG files; no icon font download)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.utils.safestring import SafeString, mark_safe

_ICON_DIR = Path(settings.BASE_DIR) / "houqin" / "static" / "vendor" / "tabler-icons"


@lru_cache(maxsize=128)
def icon_svg(name: str) -> SafeString:
    svg = (_ICON_DIR / f"{name}.svg").read_text(encoding="utf-8")
    svg = svg.replace("<svg", '<svg aria-hidden="true" focusable="false"', 1)
    return mark_safe(svg)  # noqa: S308  (our vendored, checksummed SVG files)
