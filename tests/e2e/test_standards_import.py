"""Importing a standard's text in a real browser: a Word file is uploaded (the button is
disabled and the progress line shows while the server works) and the editor opens with the
clauses and the message; a damaged file shows its reason in the form without leaving the
page. With HOUQIN_SHOTS=1 it also saves the page at 375 px and 1280 px."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, Route, expect

from houqin.accounts.models import User
from tests.e2e.browser import sign_in_as
from tests.standards.builders import draft_make
from tests.standards.test_import_page import empty_draft, word_file

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def choose(page: Page, name: str, data: bytes) -> None:
    page.get_by_label("Word 文档或文本文件").set_input_files(
        {"name": name, "mimeType": DOCX, "buffer": data}
    )


def test_it_uploads_a_word_file_and_opens_the_editor(
    page: Page, standards_officer: User, org_a: Any, live_server: Any
) -> None:
    version = empty_draft(org_a, standards_officer)
    sign_in_as(page, standards_officer, live_server)
    page.goto(f"/standards/versions/{version.pk}/import/")
    expect(page.locator("#import-progress")).to_be_hidden()

    held: list[Route] = []
    page.route(re.compile(r"/import/$"), lambda route: held.append(route))
    choose(page, "保洁规范.docx", word_file(flagged=True))
    button = page.get_by_role("button", name="导入到草案")
    button.click()
    expect(button).to_be_disabled()  # cannot be sent twice while the server works
    expect(page.locator("#import-progress")).to_be_visible()
    expect(page.locator("[data-import-text]")).to_contain_text("正在")
    held[0].continue_()

    expect(page).to_have_url(re.compile(rf"/standards/versions/{version.pk}/editor/$"))
    expect(page.locator(".alert-success")).to_contain_text("已从“保洁规范.docx”读入 10 条内容")
    expect(page.locator(".alert-warning")).to_contain_text("有 1 处未能确定位置")
    row = page.locator('form.ed-row:has(.ed-no:text-is("2.1"))')
    expect(row.locator("input[name=title]")).to_have_value("频次")
    expect(page.locator("#check")).not_to_contain_text("正在按 GB/T 1.1—2020 检查草案")


def test_a_damaged_file_shows_its_reason_in_the_form(
    page: Page, standards_officer: User, org_a: Any, live_server: Any
) -> None:
    version = empty_draft(org_a, standards_officer)
    sign_in_as(page, standards_officer, live_server)
    page.goto(f"/standards/versions/{version.pk}/import/")
    choose(page, "坏文件.docx", b"PK\x03\x04 damaged")
    page.get_by_role("button", name="导入到草案").click()

    expect(page.locator("#import-card")).to_contain_text("文件已损坏或不是Word文档（.docx）")
    expect(page.get_by_role("button", name="导入到草案")).to_be_enabled()
    expect(page).to_have_url(re.compile(r"/import/$"))
    assert not version.clauses.exists()


@pytest.mark.skipif(
    os.environ.get("HOUQIN_SHOTS") != "1", reason="screenshots only with HOUQIN_SHOTS=1"
)
@pytest.mark.parametrize("screen", ["phone_page", "page"])
def test_it_shoots_the_import_page(
    screen: str,
    request: pytest.FixtureRequest,
    standards_officer: User,
    org_a: Any,
    live_server: Any,
    screenshot_dir: Path,
) -> None:
    page: Page = request.getfixturevalue(screen)
    width = 375 if screen == "phone_page" else 1280
    version = draft_make(org_a, standards_officer).versions.get()
    sign_in_as(page, standards_officer, live_server)

    def shoot(name: str) -> None:
        overflow = page.evaluate(
            "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right"
            " > document.documentElement.clientWidth + 1).map(e => e.tagName + '.' + e.className)"
            ".slice(0, 5)"
        )
        assert overflow == [], f"{name} is wider than the screen: {overflow}"
        page.screenshot(
            path=screenshot_dir / f"standards-import-{name}-{width}.png",
            full_page=True,
            animations="disabled",
        )

    page.goto(f"/standards/versions/{version.pk}/import/")
    expect(page.get_by_label("替换草案现有的 10 条内容")).to_be_visible()
    shoot("form")

    page.get_by_label("或者粘贴标准全文").fill("JGSW/FW 001—2026\n公共卫生间保洁服务规范")
    page.get_by_label("替换草案现有的 10 条内容").check()
    page.get_by_role("button", name="导入到草案").click()
    expect(page.locator("#import-card .invalid-feedback")).to_contain_text("没有找到正文")
    shoot("error")

    choose(page, "保洁规范.docx", word_file())
    page.get_by_label("或者粘贴标准全文").fill("")
    page.locator("#import-form").evaluate(
        "form => { const detail = {elt: form, lengthComputable: true, loaded: 45, total: 100};"
        " form.dispatchEvent(new CustomEvent('htmx:beforeRequest', {bubbles: true, detail}));"
        " form.dispatchEvent(new CustomEvent('htmx:xhr:progress', {bubbles: true, detail})); }"
    )
    expect(page.locator("[data-import-text]")).to_have_text("正在上传 45%……")
    shoot("uploading")
    page.locator("#import-form").evaluate(
        "form => form.dispatchEvent(new CustomEvent('htmx:xhr:progress', {bubbles: true,"
        " detail: {elt: form, lengthComputable: true, loaded: 100, total: 100}}))"
    )
    expect(page.locator("[data-import-spinner]")).to_be_visible()
    shoot("reading")
