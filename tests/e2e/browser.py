"""Steps shared by the browser tests."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page

from houqin.accounts.models import User
from tests.conftest import signed_in
from tests.factories import PASSWORD


def submit_login(page: Page, username: str, password: str = PASSWORD) -> None:
    """Sign in through the login form."""
    page.goto("/accounts/login/")
    page.get_by_label("登录名", exact=True).fill(username)
    page.get_by_label("密码", exact=True).fill(password)
    page.get_by_role("button", name="登录", exact=True).click()


def sign_in_as(page: Page, user: User, live_server: Any) -> None:
    """Give the browser the session of a signed-in (and, for admins, verified) user."""
    client = signed_in(user)
    cookie = client.cookies["houqin_session"].value
    page.context.add_cookies([{"name": "houqin_session", "value": cookie, "url": live_server.url}])
