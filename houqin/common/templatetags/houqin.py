"""Template helpers of the shell: inline icons, form fields, query strings."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from django import template
from django.conf import settings
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

_ICON_DIR = Path(settings.BASE_DIR) / "houqin" / "static" / "vendor" / "tabler-icons"


@lru_cache(maxsize=128)
def _icon_svg(name: str) -> str:
    svg = (_ICON_DIR / f"{name}.svg").read_text(encoding="utf-8")
    return svg.replace("<svg", '<svg aria-hidden="true" focusable="false"', 1)


@register.simple_tag
def icon(name: str) -> SafeString:
    """An inline Tabler icon (no icon font download)."""
    return mark_safe(_icon_svg(name))  # noqa: S308  (our vendored, checksummed SVG files)


@register.simple_tag(takes_context=True)
def query(context: Any, **changes: Any) -> str:
    """The current query string with some parameters replaced (None removes one)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"
