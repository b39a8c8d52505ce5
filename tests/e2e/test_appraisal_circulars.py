"""Circulars and the self-evaluation in a real browser: on a desktop the office drafts the
circular of a frozen period, edits 主送 and publishes it; on a 375 px phone a department
head reads the published circular without sideways scrolling; the self-evaluation page
draws its monthly chart. Nothing is refused by the content security policy."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from playwright.sync_api import Page, expect

from houqin.appraisal.models import Circular, Period
from tests.appraisal.builders import at, department_make, period_make, scheme_make, score_make
from tests.e2e.browser import sign_in_as
from tests.e2e.test_checklist_templates import refused_by_csp


def test_the_office_drafts_and_publishes_a_circular_a_head_reads_it_on_a_phone(
    page: Page,
    phone_page: Page,
    org_a: Any,
    department: Any,
    standards_officer: Any,
    department_head: Any,
    live_server: Any,
) -> None:
    scheme = scheme_make(org_a, name="科室服务质量考核方案")
    period = period_make(
        scheme, status=Period.Status.FINAL, frozen_at=at(10, 5), name="2026年第三季度"
    )
    score_make(period, department, 96, rank=1, grade="excellent")
    score_make(period, department_make(org_a, "CY", "餐饮服务科"), 51, rank=2, grade="fail")

    desk_errors = refused_by_csp(page)
    sign_in_as(page, standards_officer, live_server)
    page.goto("/appraisal/circulars/")
    page.get_by_role("link", name="新建", exact=True).click()
    page.get_by_label("考核周期").select_option(label=str(period))
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("已起草通报，请核对修改后发布。")).to_be_visible()
    sheet = page.get_by_test_id("circular-sheet")
    expect(sheet).to_contain_text("关于科室服务质量考核方案2026年第三季度考核结果的通报")
    expect(sheet).to_contain_text("物业管理科（96.00 分，第 1 名）")
    expect(sheet).to_contain_text("餐饮服务科（51.00 分，第 2 名）")

    form = page.get_by_test_id("circular-form")
    form.get_by_label("主送").fill("各科室、各服务商")
    form.get_by_role("button", name="保存").click()
    expect(page.get_by_text("通报已保存。")).to_be_visible()
    expect(page.get_by_test_id("circular-sheet")).to_contain_text("各科室、各服务商：")

    page.get_by_role("button", name="发布").first.click()
    page.locator("#publish-circular").get_by_role("button", name="发布").click()
    expect(page.get_by_test_id("circular-status")).to_have_text("已发布")
    circular = Circular.objects.get()
    assert circular.reference == f"通报〔{timezone.localdate().year}〕1号"

    phone_errors = refused_by_csp(phone_page)
    sign_in_as(phone_page, department_head, live_server)
    phone_page.goto(f"/appraisal/circulars/{circular.pk}/")
    expect(phone_page.get_by_test_id("circular-sheet")).to_contain_text("各科室、各服务商：")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375
    assert desk_errors == [] and phone_errors == []


def test_the_self_evaluation_page_draws_its_chart(
    page: Page, org_a: Any, standards_officer: Any, live_server: Any
) -> None:
    errors = refused_by_csp(page)
    sign_in_as(page, standards_officer, live_server)
    page.goto("/appraisal/self-evaluations/new/")
    page.get_by_label("年度").fill(str(timezone.localdate().year))
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("已起草自我评价，请核对数字并修改文字。")).to_be_visible()
    expect(page.locator("#board-chart[data-rendered='1']")).to_have_count(1)
    expect(page.get_by_test_id("selfeval-part")).to_have_count(5)
    assert errors == []
