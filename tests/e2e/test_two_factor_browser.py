"""An administrator's sign-in: password, then the code from the authenticator app."""

from __future__ import annotations

import re
from typing import Any

from django_otp.oath import totp
from playwright.sync_api import Page, expect

from houqin.accounts.models import User
from tests.conftest import TOTP_KEY_HEX
from tests.factories import PASSWORD


def current_code() -> str:
    return f"{totp(bytes.fromhex(TOTP_KEY_HEX)):06d}"


def test_it_asks_an_administrator_for_the_code_after_the_password(
    page: Page, system_admin: User, settings: Any
) -> None:
    # django-otp refuses any code for 1 s after a wrong one; the test types faster than that.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    page.goto("/accounts/login/")
    page.get_by_label("登录名", exact=True).fill(system_admin.username)
    page.get_by_label("密码", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()

    expect(page).to_have_url(re.compile(r"/accounts/login/otp/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("两步验证")

    code = current_code()
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    page.get_by_label("动态码", exact=True).fill(wrong)
    page.get_by_role("button", name="验证并登录").click()

    expect(page.locator("#id_token_error")).to_contain_text("动态码不正确")
    expect(page).to_have_url(re.compile(r"/accounts/login/otp/$"))

    page.get_by_label("动态码", exact=True).fill(code)
    page.get_by_role("button", name="验证并登录").click()

    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("吴系统，您好")
    navigation = page.locator("#sidebar-menu")
    expect(navigation.get_by_role("link", name="账号管理")).to_be_visible()
    expect(navigation).not_to_contain_text("审计日志")
