"""Signing in through the login form: success, a wrong password, the lockout."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from houqin.accounts.models import User
from tests.e2e.browser import submit_login
from tests.factories import PASSWORD

WRONG = "Wrong-Horse-99"


def test_it_signs_a_worker_in_to_the_home_page(page: Page, worker: User) -> None:
    submit_login(page, worker.username, PASSWORD)

    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("赵师傅，您好")
    icon = page.locator("link[rel=icon]").get_attribute("href")
    assert icon and page.request.get(icon).headers["content-type"] == "image/svg+xml"


def test_it_says_so_when_the_password_is_wrong(page: Page, worker: User) -> None:
    submit_login(page, worker.username, WRONG)

    expect(page.get_by_role("alert")).to_contain_text("登录名或密码不正确")
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(page.get_by_label("登录名", exact=True)).to_have_value(worker.username)


def test_it_locks_the_login_name_after_five_wrong_passwords(page: Page, worker: User) -> None:
    for _ in range(5):
        submit_login(page, worker.username, WRONG)
        expect(page.get_by_role("alert").first).to_be_visible()

    submit_login(page, worker.username, PASSWORD)

    lockout = page.locator("[data-testid=lockout]")
    expect(lockout).to_be_visible()
    expect(lockout).to_contain_text("锁定")
    expect(page.get_by_role("heading", level=1)).to_have_text("登录")
