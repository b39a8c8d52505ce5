"""Reading the security policy, cached briefly, and the hooks django-axes calls."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest

from houqin.accounts.models import SecurityPolicy

_CACHE_KEY = "houqin:security-policy"
_CACHE_SECONDS = 60


def policy_get() -> SecurityPolicy:
    """The policy row (created with the defaults on first use), cached for a minute."""
    policy = cache.get(_CACHE_KEY)
    if policy is None:
        policy, _ = SecurityPolicy.objects.get_or_create(pk=1)
        cache.set(_CACHE_KEY, policy, _CACHE_SECONDS)
    return policy


def policy_forget() -> None:
    cache.delete(_CACHE_KEY)


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
