"""The lifecycle of a standard in a real browser: the office circulates a draft to the
物业管理科, its head comments on clause 4.1, the office answers the comment, submits the draft
for review and records a passed review, the leader approves and publishes it. Screenshots of
the consultation page and the lifecycle panel at 375 px and 1280 px go to ``screenshot_dir``
(tests/e2e/_shots/ with HOUQIN_SHOTS=1)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from houqin.accounts.models import User
from houqin.standards.models import Comment, Standard
from tests.e2e.browser import sign_in_as
from tests.standards.builders import COMPLETE_TEXT, SAMPLE_TEXT, draft_make


@pytest.fixture
def standard(org_a: Any, standards_officer: User, department: Any) -> Standard:
    made = draft_make(org_a, standards_officer, text=COMPLETE_TEXT)
    Standard.objects.filter(pk=made.pk).update(owner_department=department)
    made.refresh_from_db()
    return made


def as_user(page: Page, user: User, live_server: Any) -> None:
    page.context.clear_cookies()
    sign_in_as(page, user, live_server)


def shoot(page: Page, directory: Path, name: str) -> None:
    width = page.viewport_size["width"] if page.viewport_size else 0
    page.screenshot(
        path=directory / f"lifecycle-{name}-{width}.png", full_page=True, animations="disabled"
    )


def test_a_draft_goes_from_consultation_to_publication(
    page: Page,
    phone_page: Page,
    live_server: Any,
    screenshot_dir: Path,
    standard: Standard,
    standards_officer: User,
    department_head: User,
    leader: User,
) -> None:
    detail = f"/standards/{standard.pk}/"
    clause = standard.versions.get().clauses.get(text="保洁员应每2 h保洁1次。")

    # The office sends the draft to the 物业管理科.
    as_user(page, standards_officer, live_server)
    page.goto(detail, timeout=60_000)  # the first request loads the whole URLconf
    panel = page.locator("#lifecycle")
    expect(panel).to_contain_text("当前：起草")
    panel.get_by_role("link", name="征求意见", exact=True).click()
    expect(page.get_by_role("heading", name="发出征求意见稿")).to_be_visible()
    page.get_by_label("物业管理科", exact=True).check()
    page.get_by_role("button", name="发出征求意见稿").click()
    expect(page).to_have_url(re.compile(r"/standards/consultations/\d+/$"))
    expect(page.get_by_text("征求意见稿已发出，被征求意见的人已收到通知。")).to_be_visible()
    consultation_url = page.url

    # The department head comments on clause 4.1 from the "提意见" beside it.
    as_user(page, department_head, live_server)
    page.goto(consultation_url)
    page.locator(f'[data-comment-clause="{clause.uid}"]').click()
    expect(page.locator("#id_clause")).to_have_value(str(clause.uid))
    expect(page.locator("#id_text")).to_be_focused()
    page.locator("#id_text").fill("建议改为每1 h保洁1次，高峰时段增加巡查。")
    page.get_by_role("button", name="提交意见").click()
    note = page.locator(f"#b-{clause.uid} .consult-note")
    expect(note).to_contain_text("建议改为每1 h保洁1次")
    expect(note).to_contain_text("物业管理科")
    expect(note).to_contain_text("待处理")
    assert Comment.objects.get().clause_number == "4.1"

    # The office answers it in the disposition table.
    as_user(page, standards_officer, live_server)
    page.goto(consultation_url)
    page.locator("#disposition").get_by_role("link", name="答复").click()
    page.locator("label.form-selectgroup-item", has_text="部分采纳").click()
    page.get_by_label("处理说明").fill("高峰时段每1 h，其余时段每2 h。")
    page.get_by_role("button", name="保存处理结果").click()
    table = page.locator("#disposition")
    expect(table).to_contain_text("部分采纳")
    expect(table).to_contain_text("高峰时段每1 h，其余时段每2 h。")
    for shot_page in (page, phone_page):
        if shot_page is phone_page:
            sign_in_as(phone_page, standards_officer, live_server)
            phone_page.goto(consultation_url)
        expect(shot_page.locator(f"#b-{clause.uid} .consult-note")).to_be_visible()
        shoot(shot_page, screenshot_dir, "consultation")

    # The office submits it for review (after the confirmation) and records the meeting.
    page.goto(detail)
    panel.get_by_role("button", name="提交审查").click()
    dialog = page.locator("#lc-submit_review")
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="提交审查").click()
    expect(page.get_by_text("已提交审查，已通知中心领导和标准化办公室。")).to_be_visible()
    expect(panel).to_contain_text("当前：审查")
    panel.get_by_role("link", name="记录审查结论").click()
    page.get_by_label("审查人员").fill("张领导、李标准、王科长")
    page.locator("label.form-selectgroup-item", has_text="通过").first.click()
    page.get_by_role("button", name="保存审查结论").click()
    expect(page.get_by_text("已记录审查结论，已通知中心领导批准发布。")).to_be_visible()

    # The leader approves and publishes it.
    as_user(page, leader, live_server)
    page.goto(detail)
    expect(panel).to_contain_text("审查结论")
    for shot_page in (page, phone_page):
        if shot_page is phone_page:
            as_user(phone_page, leader, live_server)
            phone_page.goto(detail)
        shot_page.locator("#lifecycle").scroll_into_view_if_needed()
        shoot(shot_page, screenshot_dir, "panel-review")
    panel.get_by_role("link", name="批准发布").click()
    page.get_by_label("标准编号").fill("JGSW/FW 003—2026")
    page.get_by_role("button", name="批准发布").click()
    confirm = page.locator("#approve-confirm")
    expect(confirm).to_contain_text("发布后本版本不可修改")
    confirm.get_by_role("button", name="批准发布").click()
    expect(
        page.get_by_text(re.compile(r"已批准发布，将于 \d{4}-\d{2}-\d{2} 开始实施。"))
    ).to_be_visible()
    expect(panel).to_contain_text("当前：已发布")
    standard.refresh_from_db()
    assert standard.status == "published" and standard.number == "JGSW/FW 003—2026"
    assert standard.versions.get().is_published

    lifecycle = f"/standards/{standard.pk}/lifecycle/"
    for shot_page in (page, phone_page):
        shot_page.goto(lifecycle)
        expect(shot_page.locator("#lifecycle")).to_contain_text("已发布")
        shoot(shot_page, screenshot_dir, "page")


def test_a_draft_with_drafting_errors_is_not_circulated_and_says_why(
    phone_page: Page,
    live_server: Any,
    screenshot_dir: Path,
    org_a: Any,
    department: Any,
    standards_officer: User,
) -> None:
    """SAMPLE_TEXT lacks chapters 2 and 3: the form lists the errors, sending is refused."""
    draft = draft_make(org_a, standards_officer, title="会议服务规范", text=SAMPLE_TEXT)
    sign_in_as(phone_page, standards_officer, live_server)
    phone_page.goto(f"/standards/{draft.pk}/consultation/new/", timeout=60_000)
    expect(phone_page.get_by_role("alert").first).to_contain_text("缺少“规范性引用文件”一章")
    phone_page.get_by_label("物业管理科", exact=True).check()
    phone_page.get_by_role("button", name="发出征求意见稿").click()
    refusal = phone_page.locator(".alert-danger")
    expect(refusal).to_contain_text("草案还有 2 处起草规则错误")
    expect(refusal).to_contain_text("后才能征求意见：全文 S-REF-01：缺少“规范性引用文件”一章")
    shoot(phone_page, screenshot_dir, "refused")
    draft.refresh_from_db()
    assert draft.status == "drafting" and not draft.consultations.exists()
