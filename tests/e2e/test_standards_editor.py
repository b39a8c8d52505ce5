"""The clause editor in a real browser: autosave while typing, adding and indenting a clause
(automatic numbers), persistence over a reload, the conflict message for a second person
editing on an old revision, and the version difference with the changed words marked.
With HOUQIN_SHOTS=1 it also saves the editor, the difference and the reading view at
375 px and 1280 px."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from houqin.accounts.models import User
from houqin.org.models import Post, Staff
from houqin.standards.models import Standard
from houqin.standards.services import version_new_draft
from tests.conftest import person
from tests.e2e.browser import sign_in_as
from tests.standards.builders import draft_make, in_force_make

SAVED = re.compile(r"已保存 \d\d:\d\d:\d\d")


def row(page: Page, number: str) -> Any:
    return page.locator(f'form.ed-row:has(.ed-no:text-is("{number}"))')


def menu(page: Page, number: str) -> Any:
    target = row(page, number)
    target.locator(".ed-ops-toggle").click()
    return target.locator(".ed-menu")


def test_it_autosaves_adds_indents_and_keeps_the_text(
    page: Page, standards_officer: User, org_a: Any, live_server: Any
) -> None:
    standard = draft_make(org_a, standards_officer)
    version = standard.versions.get()
    sign_in_as(page, standards_officer, live_server)
    page.goto(f"/standards/versions/{version.pk}/editor/")
    expect(page.get_by_role("heading", level=1)).to_have_text("公共卫生间保洁规范")

    paragraph = page.get_by_role("textbox", name="2.1下的段 内容")
    paragraph.fill("保洁员应每1 h保洁1次，并填写保洁记录。")
    expect(page.locator("#save-status")).to_have_text(SAVED)

    menu(page, "2.1").locator('[data-op="add-after"][data-kind="clause"]').click()
    new_row = row(page, "2.2")
    expect(new_row.locator(".ed-kind")).to_have_text("条")
    expect(row(page, "2.3").locator("input[name=title]")).to_have_value("质量")
    title = new_row.locator("input[name=title]")
    expect(title).to_be_focused()
    title.fill("记录")
    expect(page.locator("#save-status")).to_have_text(SAVED)

    menu(page, "2.2").locator('[data-op="indent"]').click()
    expect(row(page, "2.1.1").locator("input[name=title]")).to_have_value("记录")
    expect(row(page, "2.2").locator("input[name=title]")).to_have_value("质量")

    page.reload()
    expect(row(page, "2.1.1").locator("input[name=title]")).to_have_value("记录")
    expect(
        page.locator("#clause-tree").get_by_text("保洁员应每1 h保洁1次，并填写保洁记录。")
    ).to_be_visible()
    version.refresh_from_db()
    assert version.clauses.get(number="2.1.1").title == "记录"


def test_the_keyboard_splits_adds_and_moves(
    page: Page, standards_officer: User, org_a: Any, live_server: Any
) -> None:
    standard = draft_make(org_a, standards_officer)
    version = standard.versions.get()
    sign_in_as(page, standards_officer, live_server)
    page.goto(f"/standards/versions/{version.pk}/editor/")

    field = page.get_by_role("textbox", name="2.1下的段 内容")
    field.focus()
    field.evaluate("el => el.setSelectionRange(4, 4)")  # after 保洁员应
    page.keyboard.press("Enter")
    paragraphs = page.get_by_role("textbox", name="2.1下的段 内容")
    expect(paragraphs).to_have_count(2)
    expect(paragraphs.nth(0)).to_have_value("保洁员应")
    expect(paragraphs.nth(1)).to_have_value("每2 h保洁1次。")
    expect(paragraphs.nth(1)).to_be_focused()

    page.keyboard.press("Alt+ArrowUp")
    expect(paragraphs.nth(0)).to_have_value("每2 h保洁1次。")
    expect(paragraphs.nth(0)).to_be_focused()

    paragraphs.nth(1).focus()
    page.keyboard.press("End")
    page.keyboard.press("Enter")  # at the end: a new paragraph after it
    expect(paragraphs).to_have_count(3)
    expect(paragraphs.nth(2)).to_be_focused()
    page.keyboard.type("应填写保洁记录。")
    expect(page.locator("#save-status")).to_have_text(SAVED)
    texts = list(
        version.clauses.filter(parent__number="2.1")
        .order_by("position")
        .values_list("text", flat=True)
    )
    assert texts == ["每2 h保洁1次。", "保洁员应", "应填写保洁记录。"]

    row(page, "2.2").locator(".ed-title").focus()
    page.keyboard.press("Alt+Shift+ArrowRight")
    expect(row(page, "2.1.1").locator("input[name=title]")).to_have_value("质量")
    expect(row(page, "2.1.1").locator("input[name=title]")).to_be_focused()


def test_a_reference_is_picked_from_the_library_and_a_table_grows(
    page: Page, standards_officer: User, org_a: Any, live_server: Any
) -> None:
    in_force_make(org_a, standards_officer, number="JGSW/FW 007—2026")
    standard = draft_make(org_a, standards_officer, title="会议服务规范")
    version = standard.versions.get()
    sign_in_as(page, standards_officer, live_server)
    page.goto(f"/standards/versions/{version.pk}/editor/")

    page.locator('.ed-top-add [data-kind="references"]').click()
    expect(row(page, "2").locator(".ed-fixed-name")).to_have_text("规范性引用文件")
    page.get_by_label("从本单位标准库添加引用文件").fill("007")
    page.locator(".ed-lib-item", has_text="JGSW/FW 007—2026").click()
    reference = page.locator("form.ed-k-reference")
    expect(reference.locator("input[name=ref_code]")).to_have_value("JGSW/FW 007")
    expect(reference.locator("input[name=ref_year]")).to_have_value("2026")
    expect(reference.locator("input[name=ref_title]")).to_have_value("公共卫生间保洁规范")

    menu(page, "3.1").locator('[data-op="add-child"][data-kind="table"]').click()
    table = page.locator("form.ed-k-table")
    expect(table.locator(".ed-no")).to_have_text("表1")
    # The editor focuses a new row's first field once htmx settles; typing before that
    # could land in the title instead of the header cell.
    expect(table.locator("input[name=title]")).to_be_focused()
    table.locator("input[name=th]").first.fill("时间")
    table.get_by_role("button", name="加一行").click()
    expect(table.locator("tbody tr")).to_have_count(2)
    expect(table.locator("input[name=th]").first).to_have_value("时间")
    table.get_by_role("button", name="加一列").click()
    expect(table.locator("thead input[name=th]")).to_have_count(3)
    version.refresh_from_db()
    saved = version.clauses.get(kind="table").extra
    assert saved == {"header": ["时间", "", ""], "rows": [["", "", ""], ["", "", ""]]}


def test_a_second_person_on_an_old_revision_sees_a_conflict(
    browser: Browser, page: Page, standards_officer: User, org_a: Any, live_server: Any
) -> None:
    standard = draft_make(org_a, standards_officer)
    version = standard.versions.get()
    colleague = person(org_a, "zhang", "standards_officer", name="张三")
    url = f"/standards/versions/{version.pk}/editor/"
    sign_in_as(page, standards_officer, live_server)
    page.goto(url)

    other_context = browser.new_context(locale="zh-CN", base_url=live_server.url)
    other = other_context.new_page()
    try:
        sign_in_as(other, colleague, live_server)
        other.goto(url)  # loads the draft at the same revision
        expect(other.get_by_role("heading", level=1)).to_be_visible()

        row(page, "2.2").locator("input[name=title]").fill("质量要求")
        expect(page.locator("#save-status")).to_have_text(SAVED)

        typed = "地面应无积水，墙面应无污渍。"
        field = other.get_by_role("textbox", name="2.2下的段 内容")
        field.fill(typed)
        banner = other.locator("#conflict-message")
        expect(banner).to_contain_text(re.compile(r"草案已被李标准在\d\d:\d\d修改"))
        expect(banner).to_contain_text("请刷新页面")
        expect(field).to_have_value(typed)  # nothing the second person typed is lost
        expect(other.locator("#conflict-unsaved textarea")).to_have_value(typed)
        expect(other.locator("#save-status")).to_contain_text("未保存")
    finally:
        other_context.close()
    version.refresh_from_db()
    assert not version.clauses.filter(text="地面应无积水，墙面应无污渍。").exists()


def test_the_difference_of_a_revision_marks_the_changed_words(
    page: Page, standards_officer: User, org_a: Any, live_server: Any
) -> None:
    standard = in_force_make(org_a, standards_officer)
    published = standard.versions.get()
    Standard.objects.filter(pk=standard.pk).update(status="revising")
    standard.refresh_from_db()
    draft = version_new_draft(standard=standard, actor=standards_officer)
    sign_in_as(page, standards_officer, live_server)

    page.goto(f"/standards/versions/{draft.pk}/editor/")
    field = page.get_by_role("textbox", name="2.1下的段 内容")
    expect(field).to_have_value("保洁员应每2 h保洁1次。")
    field.fill("保洁员应每1 h保洁1次。")
    expect(page.locator("#save-status")).to_have_text(SAVED)

    page.get_by_role("link", name="版本差异").click()
    expect(page).to_have_url(re.compile(rf"/standards/versions/{draft.pk}/diff/$"))
    changed = page.locator(".df-row.df-changed")
    expect(changed).to_have_count(1)
    expect(changed.locator("del")).to_have_text("2")
    expect(changed.locator("ins")).to_have_text("1")
    expect(page.locator(".df-summary")).to_contain_text("修改 1")

    page.get_by_label("原版本").select_option(str(draft.pk))
    page.get_by_label("新版本").select_option(str(published.pk))
    page.get_by_role("button", name="比较").click()
    expect(page).to_have_url(re.compile(rf"/diff/{published.pk}/$"))
    expect(page.locator(".df-row.df-changed del")).to_have_text("2")


@pytest.mark.skipif(
    os.environ.get("HOUQIN_SHOTS") != "1", reason="screenshots only with HOUQIN_SHOTS=1"
)
@pytest.mark.parametrize("screen", ["phone_page", "page"])
def test_it_shoots_the_standards_text_screens(
    screen: str,
    request: pytest.FixtureRequest,
    standards_officer: User,
    worker: User,
    org_a: Any,
    live_server: Any,
    screenshot_dir: Path,
) -> None:
    from houqin.standards import clauses as ops
    from houqin.standards.models import Acknowledgement

    page: Page = request.getfixturevalue(screen)
    width = 375 if screen == "phone_page" else 1280
    standard = in_force_make(org_a, standards_officer)
    post = Post.objects.create(organization=org_a, code="BJ", name="保洁员")
    standard.posts.add(post)
    Staff.objects.create(
        organization=org_a,
        number="W1",
        name=worker.name,
        employment="contract",
        user=worker,
        post=post,
    )
    Acknowledgement.objects.create(
        organization=org_a, version=standard.versions.get(), user=worker, due_on="2026-12-31"
    )
    in_force_make(org_a, standards_officer, number="JGSW/FW 002—2026")
    Standard.objects.filter(pk=standard.pk).update(status="revising")
    standard.refresh_from_db()
    draft = version_new_draft(standard=standard, actor=standards_officer)
    officer = standards_officer
    paragraph = draft.clauses.get(text="保洁员应每2 h保洁1次。")
    ops.clause_edit(
        clause=paragraph,
        actor=officer,
        base_revision=None,
        text="保洁员应每1 h保洁1次，高峰时段每30 min巡查1次。",
    )
    chapter = draft.clauses.get(kind="chapter")
    ops.clause_add(
        version=draft,
        actor=officer,
        base_revision=None,
        kind="terms",
        title="术语和定义",
        after=draft.clauses.get(kind="scope"),
    )
    terms = draft.clauses.get(kind="terms")
    ops.clause_add(
        version=draft,
        actor=officer,
        base_revision=None,
        kind="term",
        parent=terms,
        extra={
            "term": "保洁",
            "english": "cleaning",
            "definition": "清除公共区域污渍和垃圾的作业。",
            "source": "",
        },
    )
    ops.clause_add(
        version=draft,
        actor=officer,
        base_revision=None,
        kind="clause",
        parent=chapter,
        title="用品",
    )
    tools = draft.clauses.get(title="用品")
    ops.clause_add(
        version=draft,
        actor=officer,
        base_revision=None,
        kind="table",
        parent=tools,
        title="清洁用品配置",
        extra={"header": ["用品", "数量"], "rows": [["拖把", "2 把"], ["消毒液", "1 瓶"]]},
    )
    for text in ("清洁剂应单独存放；", "抹布应按区域分色使用。"):
        ops.clause_add(
            version=draft,
            actor=officer,
            base_revision=None,
            kind="list_item",
            parent=tools,
            text=text,
            extra={"style": "alpha"},
        )
    draft.clauses.get(kind="note").delete()
    ops.renumber(draft)

    def shoot(name: str) -> None:
        expect(page.locator("h1").first).to_be_visible()
        overflow = page.evaluate(
            "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right"
            " > document.documentElement.clientWidth + 1).map(e => e.tagName + '.' + e.className)"
            ".slice(0, 5)"
        )
        assert overflow == [], f"{name} is wider than the screen: {overflow}"
        page.screenshot(
            path=screenshot_dir / f"standards-{name}-{width}.png",
            full_page=True,
            animations="disabled",
        )

    sign_in_as(page, officer, live_server)
    page.goto(f"/standards/versions/{draft.pk}/editor/")
    shoot("editor")
    menu(page, "2.1").locator('[data-op="add-after"]').first.wait_for()
    page.screenshot(
        path=screenshot_dir / f"standards-editor-menu-{width}.png", animations="disabled"
    )
    page.keyboard.press("Escape")
    page.goto(f"/standards/versions/{draft.pk}/diff/")
    shoot("diff")
    page.goto(f"/standards/versions/{standard.versions.get(seq=1).pk}/editor/")
    shoot("editor-published")
    sign_in_as(page, worker, live_server)
    page.goto(f"/standards/{standard.pk}/read/")
    shoot("read")
    page.goto("/standards/read/")
    shoot("read-list")
