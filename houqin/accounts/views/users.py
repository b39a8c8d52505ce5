"""Account administration: the system admin manages accounts, the security admin roles."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import localtime
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from houqin.accounts.filters import UserFilter
from houqin.accounts.forms import RoleForm, UserCreateForm, UserEditForm
from houqin.accounts.models import AuditEvent, User
from houqin.accounts.selectors import (
    role_labels,
    role_labels_by_user,
    user_get,
    user_list,
    user_roles,
    with_department_names,
)
from houqin.accounts.services import (
    audit_record,
    user_create,
    user_reset_password,
    user_set_active,
    user_set_roles,
    user_update,
)
from houqin.common.decorators import perm_required
from houqin.common.exports import xlsx_response
from houqin.common.lists import Column, ListPage, as_html, url_for_pk
from houqin.common.masking import mask_phone

MANAGE = "accounts.manage_accounts"
ASSIGN = "accounts.assign_roles"

COLUMNS = [
    Column("登录名", "username"),
    Column("姓名", "name"),
    Column("科室", "department__name"),
    Column("手机号"),
    Column("角色"),
    Column("状态", "is_active"),
    Column("最近登录", "last_login"),
]


def _list_page(request: HttpRequest) -> ListPage:
    actor: User = request.user  # type: ignore[assignment]
    return ListPage(
        request,
        user_list(actor=actor),
        columns=COLUMNS,
        default_sort="username",
        filterset_class=UserFilter,
        filterset_kwargs={"organization_id": actor.organization_id},
        search_fields=("username", "name"),
    )


ACTIVE = mark_safe('<span class="status status-green"><span class="status-dot"></span>启用</span>')
DISABLED = mark_safe(
    '<span class="status status-secondary"><span class="status-dot"></span>已停用</span>'
)
DEMO = mark_safe(' <span class="badge bg-azure-lt">演示</span>')


def user_row(user: dict[str, Any], roles: list[str]) -> SafeString:
    """One row of the account list, built as a string (25 of them on every page view)."""
    seen = user["last_login"]
    last_login = localtime(seen).strftime("%Y-%m-%d %H:%M") if seen else "从未登录"
    cells = (
        user["name"],
        user["department__name"] or "—",
        mask_phone(user["phone"]) or "—",
        "、".join(roles) or "—",
        ACTIVE if user["is_active"] else DISABLED,
        last_login,
    )
    url = url_for_pk("accounts:user_detail", user["pk"])
    return mark_safe(  # noqa: S308  (every value escaped by as_html)
        f'<tr><td><a href="{as_html(url)}">{as_html(user["username"])}</a>'
        f"{DEMO if user['is_demo'] else ''}</td>"
        + "".join(f"<td>{as_html(cell)}</td>" for cell in cells)
        + "</tr>"
    )


@perm_required(MANAGE, ASSIGN)
def user_list_view(request: HttpRequest) -> HttpResponse:
    listing = _list_page(request)
    page = listing.page()
    users = with_department_names(list(page.object_list))
    labels = role_labels_by_user([user["pk"] for user in users])
    rows = [user_row(user, labels[user["pk"]]) for user in users]
    context = {
        "listing": listing,
        "page": page,
        "rows": rows,
        "can_create": request.user.has_perm(MANAGE),
    }
    template = "accounts/_user_table.html" if request.htmx else "accounts/user_list.html"  # type: ignore[attr-defined]
    return render(request, template, context)


@perm_required(MANAGE, ASSIGN)
def user_export_view(request: HttpRequest) -> HttpResponse:
    listing = _list_page(request)
    users = with_department_names(list(listing.rows))
    labels = role_labels_by_user([user["pk"] for user in users])
    actor: User = request.user  # type: ignore[assignment]
    audit_record(
        kind=AuditEvent.Kind.EXPORT,
        actor=actor,
        request=request,
        detail={"what": "accounts", "filter": listing.filter_note(), "rows": len(users)},
    )
    return xlsx_response(
        title="账号列表",
        headers=["登录名", "姓名", "科室", "手机号", "角色", "状态", "最近登录", "创建时间"],
        rows=(
            [
                u["username"],
                u["name"],
                u["department__name"] or "",
                mask_phone(u["phone"]),
                "、".join(labels[u["pk"]]),
                "启用" if u["is_active"] else "已停用",
                u["last_login"],
                u["date_joined"],
            ]
            for u in users
        ),
        filter_note=listing.filter_note(),
        filename="账号列表.xlsx",
        exported_by=actor.name,
    )


@perm_required(MANAGE)
@never_cache
def user_create_view(request: HttpRequest) -> HttpResponse:
    actor: User = request.user  # type: ignore[assignment]
    form = UserCreateForm(request.POST or None, organization_id=actor.organization_id)
    if request.method == "POST" and form.is_valid():
        try:
            user, password = user_create(
                actor=actor,
                organization=actor.organization,
                username=form.cleaned_data["username"],
                name=form.cleaned_data["name"],
                phone=form.cleaned_data["phone"],
                email=form.cleaned_data["email"],
                department=form.cleaned_data["department"],
                request=request,
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            return render(
                request,
                "accounts/user_password_issued.html",
                {"target": user, "password": password, "created": True},
            )
    return render(request, "accounts/user_create.html", {"form": form})


@perm_required(MANAGE, ASSIGN)
def user_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor: User = request.user  # type: ignore[assignment]
    target = user_get(actor=actor, pk=pk)
    can_manage = actor.has_perm(MANAGE) and target.pk != actor.pk
    can_assign = actor.has_perm(ASSIGN) and target.pk != actor.pk
    edit_form = None
    if can_manage:
        edit_form = UserEditForm(
            request.POST or None, instance=target, organization_id=actor.organization_id
        )
        if request.method == "POST" and edit_form.is_valid():
            user_update(
                actor=actor,
                user=target,
                name=edit_form.cleaned_data["name"],
                phone=edit_form.cleaned_data["phone"],
                email=edit_form.cleaned_data["email"],
                department=edit_form.cleaned_data["department"],
                request=request,
            )
            messages.success(request, "账号信息已保存。")
            return redirect("accounts:user_detail", pk=target.pk)
    elif request.method == "POST":
        raise PermissionDenied
    role_form = RoleForm(initial={"roles": sorted(user_roles(target))}) if can_assign else None
    return render(
        request,
        "accounts/user_detail.html",
        {
            "target": target,
            "roles": role_labels(target),
            "phone": mask_phone(target.phone),
            "edit_form": edit_form,
            "role_form": role_form,
            "can_manage": can_manage,
        },
    )


@require_POST
@perm_required(ASSIGN)
def user_roles_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor: User = request.user  # type: ignore[assignment]
    target = user_get(actor=actor, pk=pk)
    form = RoleForm(request.POST)
    if form.is_valid():
        try:
            user_set_roles(
                actor=actor,
                user=target,
                role_codes=set(form.cleaned_data["roles"]),
                request=request,
            )
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, "角色已更新，对方下一次打开页面时生效。")
    else:
        messages.error(request, "所选角色无效，请重新选择。")
    return redirect("accounts:user_detail", pk=target.pk)


@require_POST
@perm_required(MANAGE)
def user_set_active_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor: User = request.user  # type: ignore[assignment]
    target = user_get(actor=actor, pk=pk)
    active = request.POST.get("active") == "1"
    try:
        user_set_active(actor=actor, user=target, active=active, request=request)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, "账号已启用。" if active else "账号已停用，其所有会话已结束。")
    return redirect("accounts:user_detail", pk=target.pk)


@require_POST
@perm_required(MANAGE)
@never_cache
def user_reset_password_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor: User = request.user  # type: ignore[assignment]
    target = user_get(actor=actor, pk=pk)
    try:
        password = user_reset_password(actor=actor, user=target, request=request)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("accounts:user_detail", pk=target.pk)
    return render(
        request,
        "accounts/user_password_issued.html",
        {"target": target, "password": password, "created": False},
    )
