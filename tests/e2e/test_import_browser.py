"""Excel import in the browser: a file with a bad row shows the error and imports nothing;
the fixed file passes the check, is confirmed and imported."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from playwright.sync_api import Page, expect

from houqin.accounts.models import User
from houqin.accounts.roles import ROLE_BY_CODE
from houqin.org.models import Staff
from tests.e2e.browser import sign_in_as


@pytest.fixture
def importer(department_head: User, monkeypatch: pytest.MonkeyPatch, settings: Any) -> User:
    """charlie, a department head whose role may add staff; the import pages routed."""
    role = ROLE_BY_CODE["department_head"]
    granted = dataclasses.replace(role, permissions=(*role.permissions, "org.add_staff"))
    monkeypatch.setitem(ROLE_BY_CODE, "department_head", granted)
    settings.ROOT_URLCONF = "tests.common.import_urls"
    return department_head


def staff_file(folder: Path, department: str) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["工号", "姓名", "编制类型", "科室", "手机号"])
    sheet.append(["A001", "张三", "公务员", "WY", "13800138000"])
    sheet.append(["A002", "李四", "事业编制", department, "13900139000"])
    path = folder / f"职工-{department}.xlsx"
    book.save(path)
    return path


def test_it_shows_a_bad_row_then_imports_the_fixed_file(
    page: Page,
    importer: User,
    live_server: Any,
    tmp_path: Path,
    settings: Any,
    screenshot_dir: Path,
) -> None:
    settings.VAR_DIR = tmp_path / "var"
    sign_in_as(page, importer, live_server)
    page.goto("/import/staff/")
    expect(page.get_by_role("heading", level=1)).to_have_text("导入职工")
    expect(page.get_by_role("link", name="下载模板").first).to_be_visible()
    expect(page.locator("#import-upload-progress")).to_be_hidden()  # shown only while sending

    page.get_by_label("Excel 文件").set_input_files(str(staff_file(tmp_path, "物业科")))
    page.get_by_role("button", name="上传并检查").click()
    errors = page.locator("table.import-errors")
    expect(errors).to_contain_text("第 3 行")
    expect(errors).to_contain_text("科室“物业科”不存在，请先在“科室”中添加或修改表格。")
    expect(page.get_by_role("button", name="确认导入")).to_have_count(0)
    assert not Staff.objects.exists()
    page.screenshot(path=str(screenshot_dir / "import-errors.png"), full_page=True)

    page.get_by_label("Excel 文件").set_input_files(str(staff_file(tmp_path, "物业管理科")))
    page.get_by_role("button", name="上传并检查").click()
    expect(page.locator("#import-result")).to_contain_text("将新建 2 行，更新 0 行，未变 0 行")
    assert not Staff.objects.exists()
    page.screenshot(path=str(screenshot_dir / "import-preview.png"), full_page=True)

    page.get_by_role("button", name="确认导入").click()
    expect(page.locator("#import-result")).to_contain_text(
        "已导入职工：新建 2 行，更新 0 行，未变 0 行。"
    )
    assert sorted(Staff.objects.values_list("number", flat=True)) == ["A001", "A002"]
    page.screenshot(path=str(screenshot_dir / "import-done.png"), full_page=True)
