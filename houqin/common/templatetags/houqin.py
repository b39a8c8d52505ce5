"""Template helpers of the shell: inline icons, form fields, query strings."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

from houqin.common.icons import icon_svg

register = template.Library()


@register.simple_tag
def icon(name: str) -> SafeString:
    """An inline Tabler icon."""
    return icon_svg(name)


@register.simple_tag(takes_context=True)
def user_menu(context: Any, menu_id: str) -> SafeString:
    """The user menu, rendered once per request although the shell shows it twice (in the
    phone navigation and in the desktop header)."""
    request = context["request"]
    html = getattr(request, "_houqin_user_menu", None)
    if html is None:
        template = context.template.engine.get_template("_user_menu.html")
        with context.push(menu_id="__menu_id__"):
            html = template.render(context)
        request._houqin_user_menu = html
    return mark_safe(html.replace("__menu_id__", menu_id))  # noqa: S308  (our own template)


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


@register.filter
def verbose_name_plural(model: Any) -> str:
    return str(model._meta.verbose_name_plural)
