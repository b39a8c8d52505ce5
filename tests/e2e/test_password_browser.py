"""The forced password change after a first sign-in or a reset by an administrator."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from houqin.accounts.models import User
from tests.e2e.browser import submit_login
from tests.factories import PASSWORD

NEW_PASSWORD = "Brand-New-Pass-2027"


def fill_passwords(page: Page, new_password: str) -> None:
    page.get_by_label("当前密码", exact=True).fill(PASSWORD)
    page.get_by_label("新密码", exact=True).fill(new_password)
    page.get_by_label("再次输入新密码", exact=True).fill(new_password)
    page.get_by_role("button", name="保存新密码").click()


def test_it_makes_a_new_user_change_the_password_before_anything_else(
    page: Page, worker: User
) -> None:
    worker.must_change_password = True
    worker.save(update_fields=["must_change_password"])

    submit_login(page, worker.username, PASSWORD)

    expect(page).to_have_url(re.compile(r"/accounts/password/change/$"))
    expect(page.locator("[data-testid=password-reason]")).to_contain_text("新密码")

    page.goto("/accounts/profile/")  # any other page sends the person back
    expect(page).to_have_url(re.compile(r"/accounts/password/change/$"))

    fill_passwords(page, "Ab1-x")

    error = page.locator("#id_new_password1_error")
    expect(error).to_be_visible()
    expect(error).to_contain_text(re.compile(r"密码至少需要 \d+ 个字符"))
    expect(page.get_by_label("新密码", exact=True)).to_have_attribute("aria-invalid", "true")

    fill_passwords(page, NEW_PASSWORD)

    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("status")).to_contain_text("密码已修改")
    expect(page.get_by_role("heading", level=1)).to_have_text("赵师傅，您好")
    worker.refresh_from_db()
    assert worker.must_change_password is False
    assert worker.check_password(NEW_PASSWORD)
