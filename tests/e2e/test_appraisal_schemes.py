"""A scheme built in a real browser: the office creates a scheme from the empty list, adds
indicators in place (the running weight total follows the typing; a deduction without its
points per event is refused, what was typed stays and the cursor waits in the field to
mend), sets grade bands, removes one after confirming, publishes the first version and
revises it into a second draft; the page fits a 375 px phone. Nothing is refused by the
content security policy. With HOUQIN_SHOTS=1 it saves screenshots of the editor at 1280 px
and 375 px."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect

from houqin.accounts.models import User
from houqin.appraisal.models import AppraisalScheme, SchemeVersion
from tests.e2e.browser import sign_in_as
from tests.e2e.test_checklist_templates import refused_by_csp


def add_row(page: Page, section: str, button: str, fields: dict[str, str]) -> None:
    """Open a section's add form in place and fill it (text boxes and drop-downs)."""
    card = page.get_by_test_id(f"section-{section}")
    page.wait_for_load_state("domcontentloaded")  # htmx has taken over the page's links
    card.get_by_role("link", name=button).click()
    form = card.get_by_test_id("row-form")
    # htmx puts the cursor in the first field once the form settles: type after that.
    expect(form.locator("[autofocus]")).to_be_focused()
    for label, value in fields.items():
        box = form.get_by_label(label, exact=True)
        if box.evaluate("el => el.tagName") == "SELECT":
            box.select_option(label=value)
        else:
            box.fill(value)


def test_the_office_builds_publishes_and_revises_a_scheme(
    page: Page,
    phone_page: Page,
    org_a: Any,
    standards_officer: User,
    live_server: Any,
    screenshot_dir: Path,
) -> None:
    csp_errors = refused_by_csp(page)
    sign_in_as(page, standards_officer, live_server)
    page.goto("/appraisal/schemes/")
    expect(page.get_by_text("还没有考核方案")).to_be_visible()
    page.get_by_role("link", name="新建考核方案").last.click()
    page.get_by_label("方案名称").fill("科室季度考核")
    page.get_by_label("考核对象").select_option(label="科室")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("科室季度考核")
    editor = page.get_by_test_id("draft-editor")
    expect(editor.get_by_test_id("problems")).to_contain_text("还没有考核指标")

    add_row(
        page,
        "indicator",
        "添加指标",
        {
            "指标名称": "检查合格率",
            "数据来源": "检查合格率",
            "计分方法": "按比率得分（权重 × 比率）",
        },
    )
    form = page.get_by_test_id("row-form")
    form.get_by_label("权重（分）").fill("60")
    expect(form.locator("[data-weight-live]")).to_contain_text("60 / 100 分 （还差 40 分）")
    form.get_by_role("button", name="保存").click()
    expect(editor.get_by_test_id("saved")).to_have_text("已添加指标“检查合格率”。")
    expect(editor.get_by_test_id("weight-total")).to_contain_text("60 / 100 分")
    expect(editor.get_by_test_id("problems")).to_contain_text("还差 40 分")

    add_row(
        page,
        "indicator",
        "添加指标",
        {
            "指标名称": "否决项",
            "权重（分）": "40",
            "数据来源": "否决项不合格次数",
            "计分方法": "扣分制（权重 − 每次扣分 × 次数，最低 0 分）",
        },
    )
    form = page.get_by_test_id("row-form")
    expect(form.locator("[data-weight-live]")).to_contain_text("100 / 100 分 （正好 100 分）")
    form.get_by_role("button", name="保存").click()
    form = page.get_by_test_id("row-form")
    expect(form).to_contain_text("指标“否决项”用扣分制，请填写每次扣分（大于 0）。")
    expect(form.get_by_label("指标名称")).to_have_value("否决项")
    expect(form.get_by_label("每次扣分")).to_be_focused()
    form.get_by_label("每次扣分").fill("2")
    form.get_by_role("button", name="保存").click()
    expect(editor.get_by_test_id("weight-total")).to_contain_text("100 / 100 分")
    expect(editor.get_by_test_id("indicator-row")).to_have_count(2)

    add_row(page, "band", "添加等次", {"等次": "优秀", "最低分": "90"})
    page.get_by_test_id("row-form").get_by_role("button", name="保存").click()
    expect(editor.get_by_test_id("saved")).to_have_text("已添加等次“优秀”。")
    add_row(page, "band", "添加等次", {"等次": "合格", "最低分": "0"})
    page.get_by_test_id("row-form").get_by_role("button", name="保存").click()
    expect(editor.get_by_test_id("band-row")).to_have_count(2)

    editor.get_by_role("link", name="删除“优秀”").click()
    confirm = page.get_by_test_id("remove-confirm")
    expect(confirm).to_contain_text("删除等次“优秀”？")
    confirm.get_by_role("button", name="确认删除").click()
    expect(editor.get_by_test_id("band-row")).to_have_count(1)
    expect(editor.get_by_test_id("problems")).to_contain_text("检查通过")
    page.screenshot(path=str(screenshot_dir / "appraisal-scheme-editor-1280.png"), full_page=True)

    editor.get_by_test_id("publish").click()
    dialog = page.locator("#publish-version")
    expect(dialog).to_contain_text("发布后本版本不可修改")
    dialog.get_by_role("button", name="发布").click()
    expect(page.get_by_text("已发布第1版。之后新建的考核周期按此版本计分。")).to_be_visible()
    expect(page.get_by_test_id("current-version")).to_contain_text("否决项")

    page.get_by_role("button", name="修订方案").click()
    page.locator("#revise-scheme").get_by_role("button", name="复制为新草稿").click()
    expect(page.get_by_test_id("draft-editor")).to_contain_text("第2版草稿")
    scheme = AppraisalScheme.objects.get(name="科室季度考核")
    assert list(scheme.versions.values_list("seq", "status")) == [
        (2, SchemeVersion.Status.DRAFT),
        (1, SchemeVersion.Status.PUBLISHED),
    ]
    assert csp_errors == []

    phone_errors = refused_by_csp(phone_page)
    sign_in_as(phone_page, standards_officer, live_server)
    phone_page.goto(f"/appraisal/schemes/{scheme.pk}/")
    expect(phone_page.get_by_test_id("draft-editor")).to_be_visible()
    phone_page.get_by_test_id("section-indicator").get_by_role("link", name="添加指标").click()
    expect(phone_page.get_by_test_id("row-form").get_by_label("指标名称")).to_be_visible()
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375
    phone_page.screenshot(
        path=str(screenshot_dir / "appraisal-scheme-editor-375.png"), full_page=True
    )
    assert phone_errors == []
