"""The user's own pages: profile, sessions, two-factor."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from houqin.accounts.forms import TokenForm
from houqin.accounts.models import User
from houqin.accounts.roles import ROLE_BY_CODE
from houqin.accounts.selectors import (
    has_totp,
    password_days_left,
    sessions_of,
    user_is_admin,
    user_roles,
)
from houqin.accounts.services import (
    recovery_codes_new,
    session_end,
    totp_device_pending,
    totp_disable,
    totp_enroll,
)
from houqin.accounts.views.auth import _base32, totp_qr_svg
from houqin.common.masking import mask_phone


@login_required
def profile_view(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    roles = [ROLE_BY_CODE[code] for code in sorted(user_roles(user)) if code in ROLE_BY_CODE]
    return render(
        request,
        "accounts/profile.html",
        {
            "roles": roles,
            "phone": mask_phone(user.phone),
            "has_totp": has_totp(user),
            "days_left": password_days_left(user),
            "session_count": sessions_of(user).count(),
        },
    )


@login_required
def sessions_view(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    return render(
        request,
        "accounts/sessions.html",
        {"sessions": list(sessions_of(user)), "current_key": request.session.session_key},
    )


@require_POST
@login_required
def session_end_view(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    session = sessions_of(user).filter(pk=pk).first()
    if session is None:
        raise Http404
    is_current = session.session_key == request.session.session_key
    session_end(actor=user, session=session, request=request)
    if is_current:
        return redirect("accounts:login")
    messages.success(request, "已结束该会话，那台设备需要重新登录。")
    return redirect("accounts:sessions")


@sensitive_post_parameters("token")
@login_required
@never_cache
def two_factor_view(request: HttpRequest) -> HttpResponse:
    """Status of two-factor, and enrolment of a new authenticator (replaces the old one)."""
    user: User = request.user  # type: ignore[assignment]
    enrolled = has_totp(user)
    enrolling = request.GET.get("setup") == "1" or request.method == "POST"
    context: dict[str, object] = {
        "enrolled": enrolled,
        "required": user_is_admin(user),
        "enrolling": enrolling,
    }
    if enrolling:
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
                return render(
                    request, "accounts/recovery_codes.html", {"codes": codes, "next_url": ""}
                )
        context.update(form=form, qr_svg=totp_qr_svg(device.config_url), secret=_base32(device))
    return render(request, "accounts/two_factor.html", context)


@require_POST
@login_required
@never_cache
def recovery_codes_view(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if not has_totp(user):
        messages.error(request, "请先启用两步验证。")
        return redirect("accounts:two_factor")
    codes = recovery_codes_new(user=user)
    return render(request, "accounts/recovery_codes.html", {"codes": codes, "next_url": ""})


@require_POST
@login_required
def two_factor_disable_view(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    try:
        totp_disable(user=user, request=request)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, "已关闭两步验证。")
    return redirect("accounts:two_factor")
