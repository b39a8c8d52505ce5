"""What every page of the shell needs: the organization, the navigation."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from houqin.common.navigation import navigation_html
from houqin.common.notifications import unread_count


def shell(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav_html": SimpleLazyObject(lambda: navigation_html(user, request.path)),
        "org_name": user.organization.name,
        "unread_notifications": SimpleLazyObject(lambda: unread_count(user)),
    }
