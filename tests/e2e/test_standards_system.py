"""The standard system and the yearly plan in a real browser: the officer opens the system,
adds a node, sees it in the tree and the structure diagram, opens the coverage view,
creates a plan with an item and sees the Gantt chart drawn, with no script or style refused
by the content security policy. With HOUQIN_SHOTS=1 it also saves screenshots of every
page at 375 px and 1280 px."""

from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import ConsoleMessage, Page, expect

from houqin.accounts.models import User
from houqin.standards import services
from houqin.standards.models import Standard, StandardLine, StandardNode
from houqin.standards.views import plan as plan_views
from tests.e2e.browser import sign_in_as
from tests.standards.builders import in_force_make

TODAY = date(2026, 7, 10)


@pytest.fixture
def center(org_a: Any, standards_officer: User, department: Any, monkeypatch) -> Any:
    """Organization A with the GB/T 24421 tree; plans measured on 2026-07-10."""
    monkeypatch.setattr(plan_views, "_today", lambda: TODAY)
    services.system_template_create(organization=org_a, actor=standards_officer)
    return org_a


def refused_by_csp(page: Page) -> list[str]:
    errors: list[str] = []

    def record(message: ConsoleMessage) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            errors.append(message.text)

    page.on("console", record)
    return errors


def test_the_officer_builds_the_system_and_plans_the_year(
    page: Page, center: Any, standards_officer: User, live_server: Any
) -> None:
    csp_errors = refused_by_csp(page)
    sign_in_as(page, standards_officer, live_server)

    page.goto("/standards/system/")
    tree = page.locator("[data-testid=system-tree]")
    expect(tree.get_by_role("link", name="服务规范", exact=True)).to_be_visible()
    expect(page.locator("[data-testid=system-diagram] canvas")).to_be_visible()

    tree.get_by_role("button", name="“服务规范”的操作").click()
    tree.get_by_role("link", name="添加下级节点").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("在“服务规范”下添加节点")
    page.get_by_label("体系编号").fill("TG-01-01")
    page.get_by_label("名称", exact=True).fill("保洁服务规范")
    page.get_by_role("button", name="保存").click()

    expect(page).to_have_url(re.compile(r"/standards/system/#node-\d+$"))
    expect(page.get_by_text("已添加节点“TG-01-01 保洁服务规范”。")).to_be_visible()
    expect(tree.get_by_role("link", name="保洁服务规范")).to_be_visible()

    page.locator(".page-actions").get_by_role("link", name="覆盖情况").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("标准覆盖情况")
    expect(page.locator("[data-testid=coverage-matrix]")).to_be_visible()
    expect(page.locator("[data-testid=coverage-gaps]")).to_contain_text("处空白")

    page.goto("/standards/system/")
    page.get_by_role("link", name="年度计划").click()
    page.get_by_role("link", name="新建年度计划").first.click()
    page.get_by_label("年度").fill("2026")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("2026年度标准制修订计划")

    page.get_by_role("link", name="添加第一个计划项").click()
    page.get_by_label("类型").select_option(label="制定")
    page.get_by_label("标准名称").fill("公共卫生间保洁规范")
    added = StandardNode.objects.get(organization=center, code="TG-01-01")
    page.get_by_label("体系节点").select_option(value=str(added.pk))
    page.get_by_label("负责科室").select_option(label="物业管理科")
    page.get_by_label("开始日期").fill("2026-03-01")
    page.get_by_label("完成日期").fill("2026-06-30")
    page.get_by_role("button", name="保存").click()

    expect(page.get_by_text("已添加计划项“公共卫生间保洁规范”。")).to_be_visible()
    expect(page.locator("[data-testid=plan-gantt] canvas")).to_be_visible()
    expect(page.locator("[data-testid=plan-items]")).to_contain_text("已滞后 10 天")
    assert csp_errors == []


def test_retiring_asks_first_and_shows_why_it_is_refused(
    page: Page, center: Any, standards_officer: User, live_server: Any
) -> None:
    in_force_make(center, standards_officer)  # sits in TG-01 服务规范
    sign_in_as(page, standards_officer, live_server)
    page.goto("/standards/system/")
    tree = page.locator("[data-testid=system-tree]")

    tree.get_by_role("button", name="“服务规范”的操作").click()
    tree.get_by_role("button", name="停用").first.click()
    dialog = page.locator("#retire-node")
    expect(dialog.get_by_role("heading")).to_have_text(re.compile("停用“TG-01 服务规范”？"))
    dialog.get_by_role("button", name="停用").click()

    expect(page.get_by_role("alert")).to_contain_text("“服务规范”下还有1项现行标准")


def shots_data(org: Any, officer: User, department: Any) -> Any:
    """Standards in several nodes and lines, a plan with items in every state."""
    nodes = {n.code: n for n in StandardNode.objects.filter(organization=org)}
    samples = [
        ("TG-02-02", "机关食堂服务规范", "internal", "in_force", ["canteen"]),
        ("TG-02-01", "公务用车调度规范", "internal", "drafting", ["vehicles"]),
        ("TG-02-03", "会议服务规范", "internal", "in_force", ["meetings"]),
        ("BZ-03", "消防演练规范", "internal", "in_force", ["security", "property"]),
        ("TY-01", "标准化工作导则", "national", "in_force", ["general"]),
        ("BZ-07", "电梯维护保养规则", "national", "in_force", ["maintenance"]),
    ]
    made = []
    for code, title, level, status, lines in samples:
        standard = Standard.objects.create(
            organization=org, node=nodes[code], title=title, level=level, status=status
        )
        StandardLine.objects.bulk_create([StandardLine(standard=standard, line=li) for li in lines])
        made.append(standard)
    plan = services.plan_create(organization=org, actor=officer, data={"year": 2026})
    for title, standard, start, due, code in [
        ("", made[1], date(2026, 2, 1), date(2026, 6, 30), "TG-02-01"),
        ("", made[0], date(2026, 1, 10), date(2026, 4, 30), "TG-02-02"),
        ("公务接待服务规范", None, date(2026, 5, 1), date(2026, 9, 30), "TG-02-04"),
        ("保洁员岗位工作标准", None, date(2026, 9, 1), date(2026, 12, 15), "GW-02-05"),
    ]:
        services.plan_item_add(
            plan=plan,
            actor=officer,
            data={
                "action": "new",
                "title": title,
                "standard": standard,
                "node": nodes[code],
                "owner_department": department,
                "starts_on": start,
                "due_on": due,
            },
        )
    return plan


@pytest.mark.skipif(
    os.environ.get("HOUQIN_SHOTS") != "1", reason="screenshots only with HOUQIN_SHOTS=1"
)
@pytest.mark.parametrize("screen", ["phone_page", "page"])
def test_it_shoots_the_system_and_plan_screens(
    screen: str,
    request: pytest.FixtureRequest,
    center: Any,
    standards_officer: User,
    department: Any,
    live_server: Any,
    screenshot_dir: Path,
) -> None:
    page: Page = request.getfixturevalue(screen)
    width = 375 if screen == "phone_page" else 1280
    plan = shots_data(center, standards_officer, department)
    node = StandardNode.objects.get(organization=center, code="TG")
    sign_in_as(page, standards_officer, live_server)

    def shoot(path: str, name: str, wait: str = "h1") -> None:
        page.goto(path)
        expect(page.locator(wait).first).to_be_visible()
        page.screenshot(
            path=screenshot_dir / f"standards-{name}-{width}.png",
            full_page=True,
            animations="disabled",
        )

    shoot("/standards/system/", "system", "[data-testid=system-diagram] canvas")
    page.locator("[data-testid=system-tree]").get_by_role("button", name="“服务规范”的操作").click()
    page.screenshot(path=screenshot_dir / f"standards-system-menu-{width}.png")
    shoot(f"/standards/system/nodes/{node.pk}/", "node")
    shoot(f"/standards/system/nodes/new/?parent={node.pk}", "node-form")
    shoot("/standards/coverage/", "coverage")
    shoot("/standards/settings/", "settings")
    shoot("/standards/plans/", "plan-list")
    shoot(f"/standards/plans/{plan.pk}/", "plan", "[data-testid=plan-gantt] canvas")
    shoot(f"/standards/plans/{plan.pk}/items/new/", "plan-item-form")
