"""The change log in a real browser: a department renamed through its form shows the change on
its own page, and the global change log finds it when filtered by 操作 = 修改."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import Page, expect

from houqin.accounts.models import User
from houqin.common.services import record_create
from houqin.org.models import Department
from tests.e2e.browser import sign_in_as


def test_it_shows_a_renamed_department_in_both_change_logs(
    page: Page, leader: User, department: Department, live_server: Any
) -> None:
    # A second department, created through the audited service: a 新建 row the filter drops.
    record_create(
        model=Department,
        actor=leader,
        organization=department.organization,
        data={"code": "CY", "name": "餐饮服务科"},
    )
    sign_in_as(page, leader, live_server)

    page.goto(f"/org/departments/{department.pk}/edit/")
    name = page.get_by_label("科室名称", exact=True)
    expect(name).to_have_value("物业管理科")
    name.fill("物业服务科")
    page.get_by_role("button", name="保存").click()

    expect(page).to_have_url(re.compile(rf"/org/departments/{department.pk}/$"))
    expect(page.get_by_role("status").filter(has_text="已保存。")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("物业服务科")
    log = page.locator(".card").filter(has=page.get_by_role("heading", name="变更记录", exact=True))
    entries = log.locator(".list-group-item")
    expect(entries).to_have_count(1)
    entry = entries.first
    expect(entry.locator("strong")).to_have_text("修改")
    expect(entry).to_contain_text("张领导")
    expect(entry.locator(".changelog-changes li")).to_have_text("科室名称：物业管理科 → 物业服务科")

    page.goto("/changelog/")
    expect(page.get_by_role("heading", level=1)).to_have_text("变更记录")
    rows = page.locator("#object-table tbody tr")
    expect(rows).to_have_count(2)
    page.get_by_label("操作", exact=True).select_option(label="修改")
    page.get_by_role("button", name="筛选").click()

    expect(page).to_have_url(re.compile(r"[?&]action=update"))
    expect(rows).to_have_count(1)
    cells = rows.first.locator("td")
    expect(cells.nth(1)).to_have_text("修改")
    expect(cells.nth(2)).to_contain_text("物业服务科")
    expect(cells.nth(3)).to_have_text("张领导")
    expect(cells.nth(5)).to_have_text("科室名称：物业管理科 → 物业服务科")
