"""Sign-in (password, then two-factor where needed), sign-out, password change."""

from __future__ import annotations

from base64 import b32encode
from datetime import datetime, timedelta
from typing import Any

import segno
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import match_token

from houqin.accounts.forms import LoginForm, PasswordChangeForm, TokenForm
from houqin.accounts.middleware import LAST_SEEN_KEY, LOGIN_AT_KEY
from houqin.accounts.models import AuditEvent, User
from houqin.accounts.policy import policy_get
from houqin.accounts.selectors import has_totp, otp_wait_seconds, user_is_admin
from houqin.accounts.services import (
    audit_record,
    password_expired,
    totp_device_pending,
    totp_enroll,
    user_change_password,
)

PENDING_KEY = "houqin_pending_login"
PENDING_MAX_AGE = timedelta(minutes=5)


def lockout_message() -> str:
    minutes = policy_get().lockout_minutes
    return f"登录失败次数过多，已暂时锁定 {minutes} 分钟。请稍后再试，或联系安全管理员解除锁定。"


def lockout_response(
    request: HttpRequest, original_response: Any = None, credentials: Any = None
) -> HttpResponse:
    """What django-axes shows when a login name or an address is locked: the same words
    whether or not the account exists."""
    form = LoginForm(request.POST or None)
    return render(
        request, "accounts/login.html", {"form": form, "lockout": lockout_message()}, status=429
    )


def _safe_next(request: HttpRequest, candidate: str | None) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("home")


def _finish_login(request: HttpRequest, user: User, device: Any = None) -> None:
    if device is not None:
        user.otp_device = device  # type: ignore[attr-defined]
    login(request, user, backend="houqin.accounts.backends.LoginNameBackend")
    now = timezone.now().isoformat()
    request.session[LOGIN_AT_KEY] = now
    request.session[LAST_SEEN_KEY] = now


def needs_second_factor(user: User) -> bool:
    return user_is_admin(user) or has_totp(user)


@sensitive_post_parameters("password")
@never_cache
def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    next_url = request.POST.get("next") or request.GET.get("next")
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = authenticate(
            request,
            username=form.cleaned_data["username"],
            password=form.cleaned_data["password"],
        )
        if getattr(request, "axes_locked_out", False):
            return lockout_response(request)
        if user is None:
            form.add_error(None, "登录名或密码不正确。")
        elif needs_second_factor(user):
            request.session.cycle_key()
            request.session[PENDING_KEY] = {
                "user": user.pk,
                "at": timezone.now().isoformat(),
                "next": _safe_next(request, next_url),
            }
            return redirect("accounts:login_otp")
        else:
            _finish_login(request, user)
            return HttpResponseRedirect(_safe_next(request, next_url))
    return render(request, "accounts/login.html", {"form": form, "next": next_url or ""})


def _pending_user(request: HttpRequest) -> tuple[User | None, str]:
    pending = request.session.get(PENDING_KEY)
    if not isinstance(pending, dict):
        return None, ""
    started = datetime.fromisoformat(pending["at"])
    if timezone.now() - started > PENDING_MAX_AGE:
        request.session.pop(PENDING_KEY, None)
        return None, ""
    user = User.objects.filter(pk=pending["user"], is_active=True).first()
    return user, pending.get("next") or reverse("home")


@sensitive_post_parameters("token")
@never_cache
def login_otp_view(request: HttpRequest) -> HttpResponse:
    """The second step: a code from the authenticator app, or a recovery code."""
    user, next_url = _pending_user(request)
    if user is None:
        messages.info(request, "登录已超时，请重新输入登录名和密码。")
        return redirect("accounts:login")
    if not has_totp(user):
        return redirect("accounts:login_otp_setup")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        wait = otp_wait_seconds(user)
        device = None if wait else match_token(user, form.cleaned_data["token"])
        if wait:
            form.add_error("token", f"输入错误次数较多，请等待 {wait} 秒后再输入新的动态码。")
        elif device is None:
            audit_record(
                kind=AuditEvent.Kind.OTP_FAILED,
                outcome=AuditEvent.Outcome.FAILURE,
                actor=user,
                request=request,
            )
            form.add_error("token", "动态码不正确或已使用过，请等手机上出现新的数字后再输入。")
        else:
            request.session.pop(PENDING_KEY, None)
            _finish_login(request, user, device)
            return HttpResponseRedirect(next_url)
    return render(request, "accounts/login_otp.html", {"form": form, "pending_user": user})


def totp_qr_svg(config_url: str) -> str:
    return segno.make(config_url, error="m").svg_inline(scale=4, dark="#1d273b")


@sensitive_post_parameters("token")
@never_cache
def login_otp_setup_view(request: HttpRequest) -> HttpResponse:
    """Administrators must set up two-factor before their first sign-in completes."""
    user, next_url = _pending_user(request)
    if user is None:
        messages.info(request, "登录已超时，请重新输入登录名和密码。")
        return redirect("accounts:login")
    if has_totp(user):
        return redirect("accounts:login_otp")
    device = totp_device_pending(user)
    form = TokenForm(request.POST or None, setup=True)
    if request.method == "POST" and form.is_valid():
        try:
            codes = totp_enroll(
                user=user, device=device, token=form.cleaned_data["token"], request=request
            )
        except ValidationError as error:
            form.add_error("token", error.message_dict.get("token", error.messages))
        else:
            request.session.pop(PENDING_KEY, None)
            _finish_login(request, user, device)
            return render(
                request, "accounts/recovery_codes.html", {"codes": codes, "next_url": next_url}
            )
    return render(
        request,
        "accounts/login_otp_setup.html",
        {"form": form, "qr_svg": totp_qr_svg(device.config_url), "secret": _base32(device)},
    )


def _base32(device: Any) -> str:
    """The key for typing into an authenticator by hand, in groups of four."""
    key = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.success(request, "您已安全退出。")
    return redirect("accounts:login")


@sensitive_post_parameters("old_password", "new_password1", "new_password2")
@login_required
@never_cache
def password_change_view(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form = PasswordChangeForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user_change_password(
                user=user, new_password=form.cleaned_data["new_password1"], request=request
            )
        except ValidationError as error:
            form.add_error("new_password1", error.messages)
        else:
            update_session_auth_hash(request, user)
            messages.success(request, "密码已修改。")
            return redirect("home")
    reason = ""
    if not user.is_demo and user.must_change_password:
        reason = "这是您第一次登录，或密码刚被管理员重置：请先设置一个只有您知道的新密码。"
    elif password_expired(user):
        reason = "您的密码已超过有效期，请先修改密码。"
    return render(request, "accounts/password_change.html", {"form": form, "reason": reason})
