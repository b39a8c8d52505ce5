"""Template helpers of the shell: inline icons, form fields, query strings."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.templatetags.static import static
from django.utils.safestring import SafeString, mark_safe

from houqin.common.icons import icon_svg
from houqin.common.lists import filter_bar_html, pagination_html, url_for
from houqin.common.navigation import bell_html, user_menu_html

register = template.Library()


@lru_cache(maxsize=64)
def _asset_url(path: str) -> str:
    return static(path)


@receiver(setting_changed)
def _forget_asset_urls(*, setting: str, **kwargs: Any) -> None:
    if setting in {"STORAGES", "STATIC_URL", "STATIC_ROOT"}:
        _asset_url.cache_clear()


@register.simple_tag
def asset(path: str) -> str:
    """{% static %} resolved once per process: the shell links five files on every page."""
    return _asset_url(path)


@register.simple_tag
def url_named(name: str) -> str:
    """{% url %} of a URL without arguments, resolved once per process."""
    return url_for(name)


@register.simple_tag
def icon(name: str) -> SafeString:
    """An inline Tabler icon."""
    return icon_svg(name)


@register.simple_tag(takes_context=True)
def user_menu(context: Any, menu_id: str) -> SafeString:
    """The user menu (the shell shows it twice: in the phone navigation and in the desktop
    header)."""
    request = context.get("request")
    html = getattr(request, "_houqin_user_menu", None)
    if html is None:
        html = user_menu_html(context["user"], context.get("csrf_token") or "", "__menu_id__")
        if request is not None:
            request._houqin_user_menu = html
    return mark_safe(html.replace("__menu_id__", menu_id))  # noqa: S308  (built escaped)


@register.simple_tag(takes_context=True)
def bell(context: Any) -> SafeString:
    """The notification bell (shown twice too; counted once per request)."""
    return bell_html(context.get("unread_notifications") or 0)


@register.simple_tag(takes_context=True)
def filter_bar(context: Any) -> SafeString:
    """The filter bar of the context's ``listing`` (a ListPage), with its ``search_hint``."""
    return filter_bar_html(context["listing"], context.get("search_hint") or "")


@register.simple_tag(takes_context=True)
def pagination(context: Any) -> SafeString:
    """The footer of a list for the context's ``page``: the count and page links."""
    return pagination_html(context["request"], context["page"])


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
