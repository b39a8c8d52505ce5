"""Forms of sign-in, passwords, two-factor, accounts, roles and the policy."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.contrib.auth.password_validation import (
    password_validators_help_texts,
    validate_password,
)
from django.core.exceptions import ValidationError

from houqin.accounts.models import SecurityPolicy, User
from houqin.accounts.roles import ROLES
from houqin.common.forms import StyledForm, StyledModelForm
from houqin.org.models import Department

USERNAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{1,63}$")
PHONE_RE = re.compile(r"^(1\d{10}|0\d{2,3}-?\d{7,8})$")


class LoginForm(StyledForm):
    username = forms.CharField(label="登录名", max_length=64)
    password = forms.CharField(label="密码", strip=False, widget=forms.PasswordInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update(autocomplete="username", autofocus=True)
        self.fields["password"].widget.attrs.update(autocomplete="current-password")


class TokenForm(StyledForm):
    token = forms.CharField(
        label="动态码",
        max_length=12,
        help_text="打开手机上的验证器，输入 6 位数字；手机不在身边时可输入一个恢复码。",
    )

    def __init__(self, *args: Any, setup: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setup = setup
        if setup:
            self.fields["token"].help_text = "输入验证器上显示的 6 位数字，完成绑定。"
        self.fields["token"].widget.attrs.update(
            autocomplete="one-time-code", inputmode="numeric", autofocus=True
        )

    def clean_token(self) -> str:
        token = self.cleaned_data["token"].strip().replace(" ", "")
        if self.setup and not re.fullmatch(r"\d{6}", token):
            raise forms.ValidationError("请输入验证器上显示的 6 位数字。")
        if not re.fullmatch(r"\d{6}|\d{4}-\d{4}", token):
            raise forms.ValidationError("请输入 6 位数字动态码，或形如 1234-5678 的恢复码。")
        return token


class PasswordChangeForm(StyledForm):
    old_password = forms.CharField(label="当前密码", strip=False, widget=forms.PasswordInput)
    new_password1 = forms.CharField(label="新密码", strip=False, widget=forms.PasswordInput)
    new_password2 = forms.CharField(label="再次输入新密码", strip=False, widget=forms.PasswordInput)

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].help_text = " ".join(password_validators_help_texts())
        self.fields["old_password"].widget.attrs["autocomplete"] = "current-password"
        for name in ("new_password1", "new_password2"):
            self.fields[name].widget.attrs["autocomplete"] = "new-password"

    def clean_old_password(self) -> str:
        value = self.cleaned_data["old_password"]
        if not self.user.check_password(value):
            raise forms.ValidationError("当前密码不正确。")
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        new = data.get("new_password1")
        if new:
            try:
                validate_password(new, self.user)
            except ValidationError as error:
                self.add_error("new_password1", error)
            if new != data.get("new_password2"):
                self.add_error("new_password2", "两次输入的新密码不一致。")
        return data


def _clean_phone(value: str) -> str:
    value = value.strip().replace(" ", "")
    if value and not PHONE_RE.match(value):
        raise forms.ValidationError("手机号格式不正确：请填写 11 位手机号，或带区号的座机号。")
    return value


class UserEditForm(StyledModelForm):
    class Meta:
        model = User
        fields = ["name", "phone", "email", "department"]

    def __init__(self, *args: Any, organization_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        department = self.fields["department"]
        department.queryset = Department.objects.filter(organization_id=organization_id)  # type: ignore[attr-defined]
        department.empty_label = "（不属于科室）"  # type: ignore[attr-defined]

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError("请填写姓名。")
        return name

    def clean_phone(self) -> str:
        return _clean_phone(self.cleaned_data["phone"])


class UserCreateForm(UserEditForm):
    class Meta(UserEditForm.Meta):
        fields = ["username", "name", "phone", "email", "department"]

    def clean_username(self) -> str:
        username = self.cleaned_data["username"].strip()
        if not USERNAME_RE.match(username):
            raise forms.ValidationError(
                "登录名只能使用字母、数字、点、下划线或短横线，以字母或数字开头，2 到 64 个字符。"
            )
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError("该登录名已被使用，请换一个。")
        return username


class RoleForm(StyledForm):
    roles = forms.MultipleChoiceField(
        label="角色",
        required=False,
        choices=[(role.code, role.label) for role in ROLES],
        widget=forms.CheckboxSelectMultiple,
        help_text="三员（系统管理员、安全管理员、安全审计员）只能选一个，且不能再兼任业务角色。",
    )


class PolicyForm(StyledModelForm):
    class Meta:
        model = SecurityPolicy
        fields = [
            "password_min_length",
            "password_min_classes",
            "password_history",
            "password_max_age_days",
            "lockout_failures",
            "lockout_minutes",
            "idle_timeout_minutes",
        ]

    _RANGES = {
        "password_min_length": (8, 64),
        "password_min_classes": (1, 4),
        "password_history": (0, 24),
        "password_max_age_days": (0, 365),
        "lockout_failures": (3, 20),
        "lockout_minutes": (1, 1440),
        "idle_timeout_minutes": (5, 480),
    }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name, (low, high) in self._RANGES.items():
            value = data.get(name)
            if value is not None and not low <= value <= high:
                self.add_error(name, f"请填写 {low} 到 {high} 之间的整数。")
        return data


class UnlockForm(StyledForm):
    username = forms.CharField(label="登录名", max_length=64, required=False)
    ip = forms.GenericIPAddressField(label="地址", required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("username") and not data.get("ip"):
            raise forms.ValidationError("请填写要解除锁定的登录名或地址。")
        return data
