"""The person's own notification pages: inbox, mark read, settings."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from houqin.common.models import NotificationPreference
from houqin.common.notifications import (
    NOTIFICATION_KINDS,
    OPTIONAL_CHANNELS,
    kind_label,
    notification_get,
    notification_list,
    notification_mark_all_read,
    notification_mark_read,
    notification_preferences,
    notification_preferences_set,
    unread_count,
)
from houqin.common.tasks import email_address

PAGE_SIZE = 25
CHANGED_EVENT = "notifications-changed"  # htmx event: the bell's count may refresh on it


@login_required
def notification_list_view(request: HttpRequest) -> HttpResponse:
    page = Paginator(notification_list(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    for notification in page.object_list:
        notification.kind_label = kind_label(notification.kind)  # type: ignore[attr-defined]
    context = {"page": page, "unread": unread_count(request.user)}
    template = (
        "common/_notification_list.html"
        if getattr(request, "htmx", False)
        else "common/notification_list.html"
    )
    return render(request, template, context)


@require_POST
@login_required
def notification_read_view(request: HttpRequest, pk: int) -> HttpResponse:
    notification = notification_get(user=request.user, pk=pk)
    if notification is None:
        raise Http404
    notification_mark_read(notification=notification, actor=request.user)
    if getattr(request, "htmx", False):
        notification.kind_label = kind_label(notification.kind)  # type: ignore[attr-defined]
        response = render(request, "common/_notification_item.html", {"n": notification})
        response["HX-Trigger"] = CHANGED_EVENT
        return response
    return redirect("common:notification_list")


@require_POST
@login_required
def notification_read_all_view(request: HttpRequest) -> HttpResponse:
    count = notification_mark_all_read(actor=request.user)
    messages.success(request, f"已将 {count} 条通知标为已读。" if count else "没有未读的通知。")
    return redirect("common:notification_list")


def _settings_rows(preferences: dict[tuple[str, str], bool]) -> list[dict[str, Any]]:
    channels = [(c, NotificationPreference.Channel(c).label) for c in OPTIONAL_CHANNELS]
    return [
        {
            "kind": kind,
            "label": label,
            "cells": [
                {
                    "name": f"{kind}:{channel}",
                    "label": f"{label}：{channel_label}",
                    "checked": preferences[(kind, channel)],
                }
                for channel, channel_label in channels
            ],
        }
        for kind, label in NOTIFICATION_KINDS.items()
    ]


@login_required
def notification_settings_view(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        enabled = {
            (kind, channel)
            for kind in NOTIFICATION_KINDS
            for channel in OPTIONAL_CHANNELS
            if request.POST.get(f"{kind}:{channel}")
        }
        notification_preferences_set(user=request.user, enabled=enabled)
        messages.success(request, "通知设置已保存。")
        return redirect("common:notification_settings")
    context = {
        "rows": _settings_rows(notification_preferences(user=request.user)),
        "channels": [NotificationPreference.Channel(c).label for c in OPTIONAL_CHANNELS],
        "has_email": bool(email_address(request.user)),
    }
    return render(request, "common/notification_settings.html", context)
