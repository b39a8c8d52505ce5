"""Session rules on every request: idle and absolute timeouts, forced password change,
two-factor for administrators."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import LazyObject, empty
from django_otp.middleware import OTPMiddleware as DjangoOTPMiddleware

from houqin.accounts.models import AuditEvent, User, UserSession
from houqin.accounts.policy import policy_get
from houqin.accounts.selectors import device_for_session, user_is_admin, user_roles
from houqin.accounts.services import password_change_required

LAST_SEEN_KEY = "houqin_last_seen"
LOGIN_AT_KEY = "houqin_login_at"
ROLES_KEY = "houqin_roles"
POLL_HEADER = "HTTP_X_HOUQIN_POLL"
_SEEN_WRITE_EVERY = timedelta(seconds=30)  # idle time is measured to this precision
_OPEN_PREFIXES = ("/static/", "/healthz", "/accounts/logout/")


def _redirect(request: HttpRequest, url: str) -> HttpResponse:
    if getattr(request, "htmx", False):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return HttpResponseRedirect(url)


class OTPMiddleware(DjangoOTPMiddleware):
    """django-otp's middleware; the device that verified the session is read with
    device_for_session (the same row, without the ORM's work on every request)."""

    def _device_from_persistent_id(self, persistent_id: str) -> Any:
        return device_for_session(self._normalize_persistent_id(persistent_id))


class SessionPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user = _unwrapped(request.user)
        if user.is_authenticated and not request.path.startswith(_OPEN_PREFIXES):
            if request.META.get("HTTP_AUTHORIZATION", "").startswith("Bearer "):
                return self.get_response(request)
            response = self._check(request)
            if response is not None:
                return response
        return self.get_response(request)

    def _check(self, request: HttpRequest) -> HttpResponse | None:
        now = timezone.now()
        session = request.session
        _roles_from_session(request)
        idle = timedelta(minutes=policy_get().idle_timeout_minutes)
        last_seen = _read_time(session.get(LAST_SEEN_KEY)) or now
        login_at = _read_time(session.get(LOGIN_AT_KEY)) or now
        if now - last_seen > idle or now - login_at > settings.SESSION_ABSOLUTE_AGE:
            request.houqin_logout_kind = AuditEvent.Kind.TIMEOUT  # type: ignore[attr-defined]
            logout(request)
            messages.info(request, "由于长时间未操作，您已自动退出，请重新登录。")
            return _redirect(request, reverse("accounts:login"))
        if LOGIN_AT_KEY not in session:
            session[LOGIN_AT_KEY] = now.isoformat()
        if request.META.get(POLL_HEADER) is None:
            first_request = LAST_SEEN_KEY not in session
            if first_request or now - last_seen >= _SEEN_WRITE_EVERY:
                session[LAST_SEEN_KEY] = now.isoformat()
                UserSession.objects.filter(session_key=session.session_key).update(last_seen_at=now)
        user = cast(User, request.user)
        if user_is_admin(user) and not user.is_verified():  # type: ignore[attr-defined]
            logout(request)
            return _redirect(request, reverse("accounts:login"))
        if password_change_required(user) and request.path not in _password_paths():
            return _redirect(request, reverse("accounts:password_change"))
        return None


def _unwrapped(user: Any) -> Any:
    """The user behind the lazy wrappers of the auth and OTP middleware. Every request
    evaluates them here anyway; views and templates then read the user's attributes
    directly instead of through two proxies (hundreds of lookups per page)."""
    while isinstance(user, LazyObject):
        if user._wrapped is empty:
            user._setup()
        user = user._wrapped
    return user


@lru_cache(maxsize=1)
def _password_paths() -> tuple[str, ...]:
    return (reverse("accounts:password_change"), reverse("accounts:logout"))


def _read_time(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def _roles_from_session(request: HttpRequest) -> None:
    """Role codes kept in the session, valid while the user's roles_version is unchanged:
    a role change takes effect on the next request without a query on every request."""
    user = cast(User, request.user)
    cached = request.session.get(ROLES_KEY)
    if isinstance(cached, list) and len(cached) == 2 and cached[0] == user.roles_version:
        user._houqin_roles = frozenset(cached[1])  # type: ignore[attr-defined]
        return
    request.session[ROLES_KEY] = [user.roles_version, sorted(user_roles(user))]
