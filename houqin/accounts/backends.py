"""Sign-in by login name, case-insensitively; disabled users cannot sign in.

Permissions come from the user's roles as roles.py defines them (the role groups in the
database are kept equal to it by roles_sync), so a permission check costs no query beyond
the one that reads the user's role codes."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from houqin.accounts.models import User
from houqin.accounts.roles import ROLE_BY_CODE
from houqin.accounts.selectors import user_for_session, user_roles


class LoginNameBackend(ModelBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if not username or not password:
            return None
        user = User.objects.filter(username__iexact=username.strip()).first()
        if user is None:
            User().set_password(password)  # same work as a real check: no timing oracle
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    def get_user(self, user_id: Any) -> User | None:
        user = user_for_session(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None

    def get_user_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        return set()

    def get_group_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        return {
            perm
            for code in user_roles(user_obj)
            if code in ROLE_BY_CODE
            for perm in ROLE_BY_CODE[code].permissions
        }
