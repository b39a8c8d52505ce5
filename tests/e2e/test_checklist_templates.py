"""Checklist templates in a real browser: a department head creates a template, adds items
by ticking the clauses of a standard in force, adds a number item with limits, and sees
them on the template's page, with nothing refused by the content security policy. With
HOUQIN_SHOTS=1 it also saves screenshots of the pages at 375 px and 1280 px."""

from __future__ import annotations

import os
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import ConsoleMessage, Page, expect

from houqin.accounts.models import User
from houqin.checklists.models import ChecklistItem, ChecklistTemplate
from houqin.checklists.services import item_add, items_from_clauses, template_create
from tests.e2e.browser import sign_in_as
from tests.standards.builders import in_force_make


def refused_by_csp(page: Page) -> list[str]:
    errors: list[str] = []

    def record(message: ConsoleMessage) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            errors.append(message.text)

    page.on("console", record)
    return errors


def test_a_template_is_built_from_clauses_and_a_number_item(
    page: Page, org_a: Any, department_head: User, standards_officer: User, live_server: Any
) -> None:
    standard = in_force_make(org_a, standards_officer)
    csp_errors = refused_by_csp(page)
    sign_in_as(page, department_head, live_server)

    page.goto("/checklists/templates/")
    page.get_by_role("link", name="新建检查表").first.click()
    page.get_by_label("检查表名称").fill("公共卫生间保洁检查")
    page.get_by_label("服务条线").select_option(label="物业保洁")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("公共卫生间保洁检查")
    expect(page.get_by_text("还没有检查项")).to_be_visible()

    page.locator(".page-actions").get_by_role("link", name="从标准条款添加").click()
    page.get_by_label("查找标准").fill("卫生间")
    page.get_by_role("button", name="查看条款").click()
    picker = page.locator("[data-testid=clause-picker]")
    add = picker.get_by_role("button", name="添加到检查表")
    expect(add).to_be_disabled()
    picker.get_by_label(re.compile("保洁员应每2 h保洁1次")).check()
    picker.get_by_label(re.compile("地面宜无积水")).check()
    expect(picker.locator("[data-bulk-count]").first).to_have_text("2")
    add.click()
    expect(page.get_by_text(f"已从《{standard.title}》添加 2 个检查项。")).to_be_visible()

    page.locator(".page-actions").get_by_role("link", name="添加检查项").click()
    page.get_by_label("检查内容").fill("冰箱冷藏温度")
    page.get_by_label("答案类型").select_option(label="数值")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("数值型检查项至少要有下限或上限")).to_be_visible()
    page.get_by_label("单位").fill("℃")
    page.get_by_label("下限").fill("0")
    page.get_by_label("上限").fill("8")
    page.get_by_label("否决项").check()
    page.get_by_role("button", name="保存").click()

    items = page.locator("[data-testid=item]")
    expect(items).to_have_count(3)
    expect(items.nth(0)).to_contain_text("保洁员应每2 h保洁1次。")
    expect(items.nth(0)).to_contain_text(f"依据：{standard.number} 第2.1条")
    expect(items.nth(1)).to_contain_text("第2.2条")
    expect(items.nth(2)).to_contain_text("数值 0 – 8 ℃")
    expect(items.nth(2)).to_contain_text("否决项")
    method = page.locator("[data-testid=scoring-method]").locator("visible=true")
    expect(method).to_contain_text("按合格率")
    template = ChecklistTemplate.objects.get(name="公共卫生间保洁检查")
    assert template.items.filter(current=True).count() == 3
    assert template.items.get(text="冰箱冷藏温度").max_value == Decimal("8")

    items.nth(2).get_by_role("button", name=re.compile("上移")).click()
    expect(items.nth(1)).to_contain_text("冰箱冷藏温度")
    items.nth(1).get_by_role("button", name=re.compile("删除")).click()
    dialog = page.locator(f"#remove-item-{template.items.get(text='冰箱冷藏温度').pk}")
    expect(dialog.get_by_role("heading")).to_have_text("删除这个检查项？")
    dialog.get_by_role("button", name="删除").click()
    expect(items).to_have_count(2)
    assert csp_errors == []


@pytest.fixture
def shots_data(org_a: Any, department_head: User, standards_officer: User, department: Any) -> Any:
    """A template built from clauses with a changed citation, a number item and a choice
    item; a second template in another line."""
    standard = in_force_make(org_a, standards_officer)
    template = template_create(
        organization=org_a,
        actor=department_head,
        data={
            "name": "公共卫生间保洁检查",
            "department": department,
            "owner": department_head,
            "service_line": "property",
            "description": "每天开馆前和午间各检查一次，发现问题当场整改。",
        },
    )
    version = standard.versions.get()
    clauses = version.clauses.filter(kind="paragraph", parent__kind="clause").order_by("pk")
    items_from_clauses(template=template, actor=department_head, clause_ids=[c.pk for c in clauses])
    ChecklistItem.objects.filter(template=template, clause=clauses[1]).update(
        clause_changed="第2.2条在第2版中有修改"
    )
    item_add(
        template=template,
        actor=department_head,
        data={
            "text": "冰箱冷藏温度",
            "answer_type": "number",
            "unit": "℃",
            "min_value": Decimal("0"),
            "max_value": Decimal("8"),
            "veto": True,
            "critical": True,
            "fix_days": 1,
            "severity": "major",
        },
    )
    item_add(
        template=template,
        actor=department_head,
        data={
            "text": "地面状况",
            "answer_type": "choice",
            "choices": ["干净", "有水渍", "有垃圾"],
            "fail_choices": ["有垃圾"],
            "guidance": "重点看洗手台下方和隔间角落。",
        },
    )
    empty = template_create(
        organization=org_a,
        actor=department_head,
        data={"name": "厨房开餐前检查", "kind": "patrol", "service_line": "canteen"},
    )
    return template, empty


@pytest.mark.skipif(
    os.environ.get("HOUQIN_SHOTS") != "1", reason="screenshots only with HOUQIN_SHOTS=1"
)
@pytest.mark.parametrize("screen", ["phone_page", "page"])
def test_it_shoots_the_template_screens(
    screen: str,
    request: pytest.FixtureRequest,
    shots_data: Any,
    department_head: User,
    live_server: Any,
    screenshot_dir: Path,
) -> None:
    page: Page = request.getfixturevalue(screen)
    width = 375 if screen == "phone_page" else 1280
    sign_in_as(page, department_head, live_server)
    template, empty = shots_data
    item = template.items.get(text="冰箱冷藏温度")

    def shoot(path: str, name: str) -> None:
        page.goto(path)
        expect(page.locator("h1").first).to_be_visible()
        page.screenshot(
            path=screenshot_dir / f"checklists-{name}-{width}.png",
            full_page=True,
            animations="disabled",
        )

    shoot("/checklists/templates/", "list")
    shoot(f"/checklists/templates/{template.pk}/", "detail")
    shoot(f"/checklists/templates/{template.pk}/edit/", "form")
    shoot(f"/checklists/templates/{empty.pk}/items/from-clauses/?q=卫生间", "pick")
    shoot(f"/checklists/templates/{empty.pk}/", "empty")
    shoot(f"/checklists/items/{item.pk}/edit/", "item")
