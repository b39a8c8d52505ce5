"""What every page of the shell needs: the organization, the navigation, the bell."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from houqin.common.models import Notification
from houqin.common.navigation import navigation_html
from houqin.common.statements import Counts, Ids


def _unread(ids: Ids) -> dict[str, QuerySet[Notification]]:
    """The user's unread notifications, as notifications.unread_count counts them."""
    return {"unread": Notification.objects.filter(recipient_id=ids.user, read_at__isnull=True)}


_UNREAD = Counts(_unread)


def unread_count(user: Any) -> int:
    """The bell's number: unread_count in a statement compiled once (every page asks)."""
    return _UNREAD.run(ids=Ids(org=user.organization_id, user=user.pk))["unread"]


def shell(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav_html": SimpleLazyObject(lambda: navigation_html(user, request.path)),
        "org_name": user.organization.name,
        "unread_notifications": SimpleLazyObject(lambda: unread_count(user)),
    }
