"""Notifications in a real browser: one leader activates a contract; the other leader sees the
bell's count, finds the notice in the inbox, follows it to the contract and marks it read."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

from playwright.sync_api import Locator, Page, expect

from houqin.accounts.models import User
from houqin.org.models import Contract, Vendor
from tests.conftest import person
from tests.e2e.browser import sign_in_as, submit_login


def bell(page: Page) -> Locator:
    """The bell of the top bar shown at this width (the other one is hidden)."""
    return page.locator(".notification-bell").locator("visible=true")


def test_it_notifies_the_other_leader_of_an_activated_contract(
    page: Page, leader: User, org_a: Any, live_server: Any
) -> None:
    other = person(org_a, "leader2", "leader", name="陈领导")
    supplier = Vendor.objects.create(organization=org_a, code="V1", name="洁美保洁公司")
    contract = Contract.objects.create(
        organization=org_a,
        vendor=supplier,
        number="HT-2026-01",
        title="办公楼保洁服务",
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 12, 31),
        amount=Decimal("480000"),
    )

    sign_in_as(page, leader, live_server)
    page.goto(f"/org/contracts/{contract.pk}/")
    page.locator(".page-actions").get_by_role("button", name="生效", exact=True).click()
    dialog = page.locator("#transition-activate")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("heading")).to_have_text("确认生效？")
    dialog.get_by_role("button", name="生效", exact=True).click()
    expect(page.get_by_role("status").filter(has_text="状态已更新。")).to_be_visible()
    expect(page.locator(".detail-fields")).to_contain_text("生效")
    contract.refresh_from_db()
    assert contract.status == Contract.Status.ACTIVE
    expect(bell(page)).to_have_attribute("aria-label", "通知")  # the actor is not told

    page.context.clear_cookies()
    submit_login(page, other.username)
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))
    expect(bell(page)).to_have_count(1)
    expect(bell(page)).to_have_attribute("aria-label", "通知，1 条未读")
    expect(bell(page).locator(".badge-notification")).to_have_text("1")

    bell(page).click()
    expect(page).to_have_url(re.compile(r"/notifications/$"))
    items = page.get_by_test_id("notification")
    expect(items).to_have_count(1)
    item = items.first
    expect(item).to_contain_text("未读")
    title = item.get_by_role("link", name=re.compile("办公楼保洁服务.*已生效"))
    expect(title).to_have_text("合同“办公楼保洁服务”已生效")
    expect(item).to_contain_text("张领导将合同状态改为“生效”。")

    title.click()
    expect(page).to_have_url(re.compile(rf"/org/contracts/{contract.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("办公楼保洁服务（HT-2026-01）")

    page.go_back()
    expect(page).to_have_url(re.compile(r"/notifications/$"))
    page.get_by_role("button", name="全部标为已读").click()
    expect(page.get_by_role("status").filter(has_text="已将 1 条通知标为已读。")).to_be_visible()
    expect(items.first).not_to_contain_text("未读")
    expect(page.get_by_role("button", name="全部标为已读")).to_have_count(0)
    expect(bell(page)).to_have_attribute("aria-label", "通知")
    expect(bell(page).locator(".badge-notification")).to_have_count(0)
