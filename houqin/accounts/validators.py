"""Password rules from the security policy (等保 8.1.4.1a)."""

from __future__ import annotations

import string
from typing import Any

from django.contrib.auth.hashers import check_password
from django.contrib.auth.password_validation import CommonPasswordValidator
from django.core.exceptions import ValidationError

from houqin.accounts.policy import policy_get

_CONTEXT_WORDS = ("houqin", "后勤")


def character_classes(password: str) -> int:
    """How many of upper case, lower case, digits and other characters the password uses."""
    return sum(
        (
            any(c in string.ascii_uppercase for c in password),
            any(c in string.ascii_lowercase for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        )
    )


class PolicyPasswordValidator:
    """Length, character classes, and no login name or product name inside."""

    def validate(self, password: str, user: Any = None) -> None:
        policy = policy_get()
        errors = []
        if len(password) < policy.password_min_length:
            errors.append(f"密码至少需要 {policy.password_min_length} 个字符。")
        if character_classes(password) < policy.password_min_classes:
            classes = policy.password_min_classes
            errors.append(f"密码需要包含大写字母、小写字母、数字、符号中的至少 {classes} 种。")
        lowered = password.casefold()
        username = (getattr(user, "username", "") or "").casefold()
        if username and username in lowered:
            errors.append("密码不能包含登录名。")
        if any(word in lowered for word in _CONTEXT_WORDS):
            errors.append("密码不能包含系统名称“后勤/houqin”。")
        if errors:
            raise ValidationError(errors)

    def get_help_text(self) -> str:
        policy = policy_get()
        return (
            f"至少 {policy.password_min_length} 个字符，包含大写字母、小写字母、数字、符号中的"
            f"至少 {policy.password_min_classes} 种，不能包含登录名。"
        )


class PasswordHistoryValidator:
    """A new password may not repeat the current one or the recent ones."""

    def validate(self, password: str, user: Any = None) -> None:
        if user is None or user.pk is None:
            return
        count = policy_get().password_history
        if count == 0:
            return
        hashes = [user.password] if user.password else []
        hashes += list(user.password_history.values_list("password", flat=True)[:count])
        if any(check_password(password, encoded) for encoded in hashes[:count]):
            raise ValidationError(f"新密码不能与最近 {count} 次使用过的密码相同。")

    def get_help_text(self) -> str:
        return f"不能与最近 {policy_get().password_history} 次使用过的密码相同。"


class CommonPasswordRefused(CommonPasswordValidator):
    """Django's list of 20,000 common passwords, with our own words."""

    def validate(self, password: str, user: Any = None) -> None:
        if password.lower().strip() in self.passwords:
            raise ValidationError(
                "这个密码太常见，容易被猜到，请换一个。", code="password_too_common"
            )

    def get_help_text(self) -> str:
        return "不能使用常见的简单密码。"
