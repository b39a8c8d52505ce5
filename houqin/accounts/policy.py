"""Reading the security policy, cached briefly, and the hooks django-axes calls."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

from django.http import HttpRequest

from houqin.accounts.models import SecurityPolicy

_KEEP_SECONDS = 60.0
_memo: dict[str, Any] = {"policy": None, "until": 0.0}


def policy_get() -> SecurityPolicy:
    """The policy row (created with the defaults on first use), kept in this process for a
    minute: every request reads it, so other worker processes see a change within that."""
    now = time.monotonic()
    if _memo["policy"] is None or now > _memo["until"]:
        _memo["policy"], _ = SecurityPolicy.objects.get_or_create(pk=1)
        _memo["until"] = now + _KEEP_SECONDS
    return _memo["policy"]


def policy_forget() -> None:
    _memo["policy"] = None


def axes_failure_limit(request: HttpRequest | None, credentials: Any) -> int:
    return policy_get().lockout_failures


def axes_cool_off(request: HttpRequest | None = None) -> timedelta:
    return timedelta(minutes=policy_get().lockout_minutes)


def axes_username(request: HttpRequest | None, credentials: dict[str, Any] | None) -> str:
    """Lock the case-folded login name, so that 'Leader' and 'leader' share one counter."""
    username = (credentials or {}).get("username") or ""
    if not username and request is not None:
        username = request.POST.get("username", "")
    return str(username).strip().casefold()
