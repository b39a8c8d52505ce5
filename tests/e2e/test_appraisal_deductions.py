"""A vendor's monthly deduction statement in a real browser: on a 375 px phone the vendor
manager opens the issued statement, follows a line to a finding behind it and appeals the
line; the office answers the appeal with a corrected amount and settles the statement; the
leader signs it off and the signed-off PDF is offered. Nothing is refused by the content
security policy."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from houqin.accounts.models import User
from houqin.appraisal import deduction_services as ds
from houqin.appraisal.models import DeductionStatement
from tests.appraisal.builders import at, contract_make, finding_put, staff_make
from tests.appraisal.test_deduction_services import AUGUST, NOW, terms_make
from tests.conftest import person
from tests.e2e.browser import sign_in_as
from tests.e2e.test_checklist_templates import refused_by_csp


@pytest.fixture
def statement(org_a: Any, standards_officer: User) -> DeductionStatement:
    """洁美物业公司's August statement, issued: two major findings at 500 each."""
    contract = contract_make(org_a, "V1", "洁美物业公司")
    for day in (3, 20):
        finding_put(
            org_a,
            standards_officer,
            at(8, day),
            severity="major",
            vendor=contract.vendor,
            title=f"8月{day}日大厅地面有积水",
        )
    made, _ = ds.statement_make(terms=terms_make(contract), month=AUGUST, now=NOW)
    return ds.statement_issue(statement=made, actor=standards_officer, now=NOW)


def confirm_step(page: Page, label: str) -> None:
    page.get_by_role("button", name=label, exact=True).first.click()
    dialog = page.locator(".modal.show")
    dialog.get_by_role("button", name=label, exact=True).click()


def test_a_statement_is_appealed_answered_and_signed_off(
    page: Page,
    phone_page: Page,
    statement: DeductionStatement,
    org_a: Any,
    standards_officer: User,
    leader: User,
    live_server: Any,
) -> None:
    csp_errors, phone_errors = refused_by_csp(page), refused_by_csp(phone_page)
    manager = person(org_a, "henry", "vendor_manager", name="周经理")
    staff_make(org_a, manager, "W-1", vendor=statement.vendor)

    sign_in_as(phone_page, manager, live_server)
    phone_page.goto("/appraisal/deductions/")
    phone_page.get_by_role("link", name="2026-08").click()
    expect(phone_page.get_by_test_id("deduction-total")).to_have_text("1000.00 元")
    lines = phone_page.get_by_test_id("deduction-lines")
    lines.get_by_text("2 条记录").click()
    lines.get_by_role("link", name=re.compile(r"问题 #\d+")).first.click()
    expect(phone_page).to_have_url(re.compile(r"/findings/\d+/"))
    phone_page.go_back()
    phone_page.get_by_role("button", name="提出申诉").first.click()
    dialog = phone_page.locator(".modal.show")
    dialog.get_by_label("申诉理由").fill("8月20日的积水是屋顶漏雨造成的，不属我方责任")
    dialog.get_by_role("button", name="提交申诉").click()
    expect(phone_page.get_by_text("已对“较重问题”提出申诉")).to_be_visible()

    sign_in_as(page, standards_officer, live_server)
    page.goto(f"/appraisal/deductions/{statement.pk}/")
    expect(page.get_by_test_id("deduction-status")).to_have_text("申诉中")
    page.get_by_role("button", name="答复申诉").click()
    dialog = page.locator(".modal.show")
    dialog.get_by_label("采纳，按更正后的金额扣款").check()
    dialog.get_by_role("spinbutton", name=re.compile("更正后的金额")).fill("500")
    dialog.get_by_label("答复", exact=True).fill("核实屋顶漏雨属实，免扣一项")
    dialog.get_by_role("button", name="提交答复").click()
    expect(page.get_by_test_id("deduction-total")).to_have_text("500.00 元")
    confirm_step(page, "申诉处理完毕")
    expect(page.get_by_test_id("deduction-status")).to_have_text("已确认")

    sign_in_as(page, leader, live_server)
    page.goto(f"/appraisal/deductions/{statement.pk}/")
    confirm_step(page, "签发")
    expect(page.get_by_test_id("deduction-signed")).to_contain_text("张领导")
    expect(page.get_by_role("link", name="下载签发的 PDF")).to_be_visible()
    assert csp_errors == [] and phone_errors == []


@pytest.mark.parametrize("screen", ["phone_page", "page"])
def test_a_second_contract_of_the_vendor_must_name_its_own_service_line(
    screen: str,
    request: pytest.FixtureRequest,
    org_a: Any,
    standards_officer: User,
    live_server: Any,
    screenshot_dir: Any,
) -> None:
    page: Page = request.getfixturevalue(screen)
    cleaning = contract_make(org_a, "V1", "洁美物业公司")
    terms_make(cleaning)  # counts all the vendor's lines
    canteen = contract_make(org_a, "V1-ST", vendor=cleaning.vendor, title="洁美食堂服务合同")
    sign_in_as(page, standards_officer, live_server)
    page.goto(f"/appraisal/deductions/contracts/{canteen.pk}/")
    form = page.get_by_test_id("terms-form")
    form.get_by_label("月服务费（元）").fill("5000")
    form.get_by_label("月扣款上限（占月服务费%）").fill("5")
    form.get_by_label("计入的服务条线").select_option(label="机关食堂")
    form.get_by_role("button", name="保存").click()
    expect(form.get_by_text("在同一时期也有扣款约定")).to_be_visible()
    expect(form.get_by_label("月服务费（元）")).to_have_value("5000")  # nothing typed is lost
    width = 375 if screen == "phone_page" else 1280
    page.screenshot(path=screenshot_dir / f"deduction-terms-refused-{width}.png", full_page=True)

    page.goto(f"/appraisal/deductions/contracts/{cleaning.pk}/")
    page.get_by_test_id("terms-form").get_by_label("计入的服务条线").select_option(label="物业保洁")
    page.get_by_test_id("terms-form").get_by_role("button", name="保存").click()
    expect(page.get_by_test_id("deduction-cap")).to_contain_text("计入：物业保洁条线")

    page.goto(f"/appraisal/deductions/contracts/{canteen.pk}/")
    form.get_by_label("月服务费（元）").fill("5000")
    form.get_by_label("月扣款上限（占月服务费%）").fill("5")
    form.get_by_label("计入的服务条线").select_option(label="机关食堂")
    form.get_by_role("button", name="保存").click()
    expect(page.get_by_test_id("deduction-cap")).to_contain_text("计入：机关食堂条线")
    page.screenshot(path=screenshot_dir / f"deduction-terms-{width}.png", full_page=True)
