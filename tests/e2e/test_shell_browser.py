"""The page shell: the phone menu, the user menu, no sideways scrolling, and an
administrator's round trip through the account list."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from houqin.accounts.models import User
from tests.e2e.browser import sign_in_as
from tests.factories import PASSWORD

PHONE_WIDTH = 375


def test_it_folds_the_navigation_behind_the_menu_button_on_a_phone(
    phone_page: Page, worker: User
) -> None:
    page = phone_page
    page.goto("/accounts/login/")
    page.get_by_label("登录名", exact=True).fill(worker.username)
    page.get_by_label("密码", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="登录", exact=True).tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("赵师傅，您好")

    navigation = page.locator("#sidebar-menu")
    expect(navigation).to_be_hidden()
    page.locator(".navbar-toggler").tap()
    expect(navigation.get_by_role("link", name="首页")).to_be_visible()
    expect(navigation.get_by_role("link", name="角色与权限")).to_be_visible()
    expect(page.locator(".navbar-toggler")).to_have_attribute("aria-expanded", "true")

    page.locator("#user-menu-phone").tap()
    logout = page.get_by_role("button", name="退出登录")
    expect(logout).to_be_visible()
    logout.tap()

    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(page.get_by_role("status")).to_contain_text("您已安全退出")


@pytest.mark.parametrize(
    "path",
    ["/", "/accounts/profile/", "/accounts/sessions/", "/accounts/two-factor/?setup=1"],
)
def test_it_never_scrolls_sideways_on_a_phone(
    phone_page: Page, worker: User, live_server: Any, path: str
) -> None:
    sign_in_as(phone_page, worker, live_server)
    phone_page.goto(path)
    expect(phone_page.get_by_role("heading", level=1)).to_be_visible()

    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_WIDTH, f"{path} is {width} px wide"


def test_it_lets_the_system_admin_find_and_disable_an_account(
    page: Page, system_admin: User, worker: User, leader: User, live_server: Any
) -> None:
    sign_in_as(page, system_admin, live_server)
    page.goto("/accounts/users/")
    rows = page.locator("table tbody tr")
    expect(rows.filter(has_text="张领导")).to_have_count(1)

    page.get_by_label("搜索", exact=True).fill("赵")
    page.get_by_label("搜索", exact=True).press("Enter")

    expect(page).to_have_url(re.compile(r"[?&]q=%E8%B5%B5"))
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("赵师傅")

    page.get_by_role("link", name=worker.username, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("赵师傅（dora）")

    page.get_by_role("button", name="停用账号").click()
    dialog = page.locator("#set-active")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("停用后本人不能再登录")
    dialog.get_by_role("button", name="停用", exact=True).click()

    expect(page.get_by_role("status")).to_contain_text("账号已停用")
    expect(page.locator("dd .badge", has_text="已停用")).to_be_visible()
    expect(page.get_by_role("button", name="启用账号")).to_be_visible()
    worker.refresh_from_db()
    assert worker.is_active is False
