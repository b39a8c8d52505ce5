"""The security admin's pages (policy, lockouts) and the roles page everyone may read."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import Permission
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from houqin.accounts.forms import PolicyForm, UnlockForm
from houqin.accounts.models import User
from houqin.accounts.policy import policy_get
from houqin.accounts.roles import ROLES
from houqin.accounts.selectors import active_lockouts
from houqin.accounts.services import POLICY_FIELDS, lockout_clear, policy_update
from houqin.common.decorators import perm_required

_DEFAULT_ACTIONS = {"view": "查看", "add": "新增", "change": "修改", "delete": "删除"}


def permission_label(permission: Permission) -> str:
    """Our own permissions carry Chinese names; Django's default ones get one here."""
    action, _, _ = permission.codename.partition("_")
    model = permission.content_type.model_class()
    if action in _DEFAULT_ACTIONS and model is not None and permission.name.startswith("Can "):
        return f"{_DEFAULT_ACTIONS[action]}{model._meta.verbose_name}"
    return permission.name


@login_required
def role_list_view(request: HttpRequest) -> HttpResponse:
    """Each role, its duties and the permissions it carries."""
    names = {
        f"{p.content_type.app_label}.{p.codename}": permission_label(p)
        for p in Permission.objects.select_related("content_type").filter(
            codename__in={dotted.split(".")[1] for role in ROLES for dotted in role.permissions}
        )
    }
    roles = [
        {"role": role, "permissions": [names.get(p, p) for p in role.permissions]} for role in ROLES
    ]
    return render(request, "accounts/role_list.html", {"roles": roles})


@perm_required("accounts.manage_policy")
def policy_view(request: HttpRequest) -> HttpResponse:
    actor: User = request.user  # type: ignore[assignment]
    policy = policy_get()
    form = PolicyForm(request.POST or None, instance=type(policy).objects.get(pk=policy.pk))
    if request.method == "POST" and form.is_valid():
        policy_update(
            actor=actor,
            values={name: form.cleaned_data[name] for name in POLICY_FIELDS},
            request=request,
        )
        messages.success(request, "安全策略已保存，立即生效。")
        return redirect("accounts:policy")
    return render(request, "accounts/policy.html", {"form": form})


@perm_required("accounts.manage_policy")
def lockout_list_view(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/lockouts.html",
        {"lockouts": active_lockouts(), "form": UnlockForm(), "policy": policy_get()},
    )


@require_POST
@perm_required("accounts.manage_policy")
def lockout_clear_view(request: HttpRequest) -> HttpResponse:
    actor: User = request.user  # type: ignore[assignment]
    form = UnlockForm(request.POST)
    if form.is_valid():
        count = lockout_clear(
            actor=actor,
            username=form.cleaned_data["username"],
            ip=form.cleaned_data["ip"] or "",
            request=request,
        )
        if count:
            messages.success(request, "已解除锁定，对方可以重新登录。")
        else:
            messages.info(request, "没有找到对应的锁定记录，可能已自动解除。")
        return redirect("accounts:lockouts")
    return render(
        request,
        "accounts/lockouts.html",
        {"lockouts": active_lockouts(), "form": form, "policy": policy_get()},
        status=400,
    )
