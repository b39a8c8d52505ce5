"""Full-page screenshots of the organization screens and the shared pages (change log,
attachments, notifications, Excel import) at 375 px and 1280 px, for a person to look at
(HOUQIN_SHOTS=1 writes them to tests/e2e/_shots/; skipped otherwise)."""

from __future__ import annotations

import datetime
import io
import os
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook
from PIL import Image, ImageDraw
from playwright.sync_api import Page, expect

from houqin.accounts.models import User
from houqin.common.attachments import attachment_add
from houqin.common.notifications import notify
from houqin.common.services import record_create, record_update
from houqin.common.workflow import transition_apply
from houqin.org.models import (
    Contract,
    Department,
    Post,
    ServedUnit,
    Staff,
    Team,
    Vendor,
)
from tests.conftest import person
from tests.e2e.browser import sign_in_as
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.skipif(
    os.environ.get("HOUQIN_SHOTS") != "1", reason="screenshots only with HOUQIN_SHOTS=1"
)


@pytest.fixture(params=["phone", "desktop"])
def screen(request: pytest.FixtureRequest) -> Page:
    return request.getfixturevalue("phone_page" if request.param == "phone" else "page")


class Camera:
    def __init__(self, page: Page, directory: Path, live_server: Any) -> None:
        self.page = page
        self.directory = directory
        self.live_server = live_server

    @property
    def phone(self) -> bool:
        size = self.page.viewport_size
        return bool(size and size["width"] < 992)

    def as_user(self, user: User) -> None:
        self.page.context.clear_cookies()
        sign_in_as(self.page, user, self.live_server)

    def open(self, path: str) -> None:
        self.page.goto(path)
        expect(self.page.locator("h1, .empty-title").first).to_be_visible()

    def shoot(self, name: str, *, full_page: bool = True) -> None:
        """A full-page shot; a dialog is shot as the screen shows it (full_page=False)."""
        width = self.page.viewport_size["width"] if self.page.viewport_size else 0
        self.page.screenshot(
            path=self.directory / f"{name}-{width}.png", full_page=full_page, animations="disabled"
        )

    def open_modal(self, button: str, modal: str) -> None:
        self.page.locator(".page-actions").get_by_role("button", name=button, exact=True).click()
        dialog = self.page.locator(modal)
        expect(dialog).to_be_visible()
        expect(dialog).to_have_class("modal modal-blur fade show")


@pytest.fixture
def camera(
    screen: Page, screenshot_dir: Path, live_server: Any, settings: Any, tmp_path: Path
) -> Camera:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "media"},
        },
    }
    return Camera(screen, screenshot_dir, live_server)


@dataclass
class Center:
    department: Department
    staff: Staff
    draft: Contract
    active: Contract


def jpeg(width: int = 800, height: int = 600) -> bytes:
    """A photo-like JPEG: sky, a building and windows."""
    image = Image.new("RGB", (width, height), (170, 205, 235))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, height * 2 // 3, width, height), fill=(120, 150, 90))
    draw.rectangle((200, 150, 600, height * 2 // 3 + 20), fill=(210, 200, 185))
    for x in range(230, 580, 70):
        for y in range(180, height * 2 // 3, 70):
            draw.rectangle((x, y, x + 40, y + 40), fill=(70, 100, 140))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85)
    return out.getvalue()


PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


@pytest.fixture
def center(org_a: Any, leader: User, worker: User, department: Department) -> Center:
    """Organization A with departments, staff, a vendor and its contracts, served units,
    a department's change log and attachments, and two notifications for the leader."""

    def create(model: Any, **data: Any) -> Any:
        return record_create(model=model, actor=leader, organization=org_a, data=data)

    canteen = create(Department, code="CY", name="餐饮服务科")
    create(Department, code="CL", name="车辆管理科")
    meetings = create(Department, code="HW", name="会务科")
    record_update(obj=meetings, actor=leader, data={"name": "会务保障科"})
    record_update(obj=meetings, actor=leader, data={"code": "HWBZ"})
    early = create(Team, department=department, name="早班保洁组")
    cleaner = create(Post, code="BJ", name="保洁员")
    cook = create(Post, code="CS", name="厨师")
    driver = create(Post, code="JSY", name="驾驶员")
    vendor = create(
        Vendor,
        code="JGJ",
        name="金管家物业服务有限公司",
        contact="陈经理",
        phone="13911112222",
        scope="办公区保洁、绿化养护",
    )
    create(
        Vendor,
        code="XSD",
        name="鑫速达汽车服务有限公司",
        contact="周经理",
        phone="0571-88886666",
        scope="公务用车维修保养",
        active=False,
    )
    staff = create(
        Staff,
        number="A0001",
        name="赵师傅",
        employment=Staff.Employment.INSTITUTION,
        department=department,
        team=early,
        post=cleaner,
        phone="13812345678",
        user=worker,
    )
    create(
        Staff,
        number="A0002",
        name="钱大厨",
        employment=Staff.Employment.CONTRACT,
        department=canteen,
        post=cook,
        phone="13700001111",
    )
    create(
        Staff,
        number="A0003",
        name="孙师傅",
        employment=Staff.Employment.CIVIL_SERVANT,
        department=department,
        post=driver,
    )
    create(
        Staff,
        number="W0001",
        name="刘保洁",
        employment=Staff.Employment.OUTSOURCED,
        department=department,
        team=early,
        post=cleaner,
        vendor=vendor,
        phone="15900002222",
    )
    left = create(
        Staff,
        number="W0002",
        name="欧阳慧敏",
        employment=Staff.Employment.OUTSOURCED,
        department=department,
        vendor=vendor,
    )
    Staff.objects.filter(pk=left.pk).update(status=Staff.Status.LEFT)
    for code, name, body in (
        ("SW-BGT", "市委办公厅", ServedUnit.Body.PARTY),
        ("RD-BGT", "市人大常委会办公厅", ServedUnit.Body.CONGRESS),
        ("ZF-BGT", "市政府办公厅", ServedUnit.Body.GOVERNMENT),
        ("ZX-BGT", "市政协办公厅", ServedUnit.Body.CPPCC),
    ):
        create(ServedUnit, code=code, name=name, body=body, contact="李秘书", phone="13600003333")
    active = create(
        Contract,
        vendor=vendor,
        number="HT-2025-017",
        title="2025年度办公区保洁服务",
        scope="1号、2号办公楼公共区域日常保洁",
        starts_on=datetime.date(2025, 1, 1),
        ends_on=datetime.date(2025, 12, 31),
        amount=Decimal("1286400.00"),
    )
    transition_apply(obj=active, name="activate", actor=leader, note="经主任办公会审议通过")
    draft = create(
        Contract,
        vendor=vendor,
        number="HT-2026-003",
        title="2026年度办公区保洁及绿化养护服务",
        scope="1号、2号办公楼公共区域日常保洁；大院绿化养护",
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2026, 12, 31),
        amount=Decimal("1452000.00"),
    )
    record_update(obj=department, actor=leader, data={"name": "物业服务科"})
    record_update(obj=department, actor=leader, data={"code": "WYFW"})
    attachment_add(
        obj=department,
        upload=SimpleUploadedFile("物业服务科岗位职责（2026版）.pdf", PDF),
        actor=leader,
        caption="",
    )
    attachment_add(
        obj=department,
        upload=SimpleUploadedFile("办公楼外立面.jpg", jpeg()),
        actor=leader,
        caption="1号办公楼外立面",
    )
    notify(
        recipients=[leader],
        kind="workflow",
        title="合同“2026年度办公区保洁及绿化养护服务”待生效",
        body="服务商金管家物业服务有限公司的合同草稿已登记，请审阅后办理生效。",
        link=f"/org/contracts/{draft.pk}/",
        target=draft,
    )
    notify(
        recipients=[leader],
        kind="system",
        title="系统将于周六 22:00 至 23:00 升级维护",
        body="维护期间无法登录，请提前保存手头的工作。",
    )
    return Center(department=department, staff=staff, draft=draft, active=active)


def bad_staff_workbook(folder: Path) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["工号", "姓名", "编制类型", "科室", "手机号"])
    sheet.append(["B001", "张三", "公务员", "物业服务科", "13800138000"])
    sheet.append(["B002", "李四", "事业编制", "保卫科", "13900139000"])
    sheet.append(["B003", "王五", "外包", "物业服务科", "1390013"])
    sheet.append(["", "赵六", "临时工", "餐饮服务科", ""])
    path = folder / "职工名单.xlsx"
    book.save(path)
    return path


def test_it_shoots_the_staff_pages(camera: Camera, leader: User, center: Center) -> None:
    page = camera.page
    camera.as_user(leader)
    camera.open("/org/staff/")
    camera.shoot("60-org-staff-list")
    page.get_by_label("选择 钱大厨（A0002）").check()
    page.get_by_label("选择 刘保洁（W0001）").check()
    page.get_by_role("button", name="执行").click()
    expect(page.locator("#bulk-confirm")).to_have_class("modal modal-blur fade show")
    camera.shoot("60-org-staff-list-bulk-confirm", full_page=False)

    camera.open(f"/org/staff/{center.staff.pk}/")
    camera.shoot("61-org-staff-detail")
    camera.open_modal("办理离职", "#staff-leave")
    camera.shoot("62-org-staff-leave-modal", full_page=False)

    camera.open("/org/staff/new/")
    page.get_by_label("工号").fill("A0001")
    page.get_by_label("姓名").fill("周新人")
    page.get_by_label("编制类型").select_option(label="外包")
    page.get_by_label("手机号").fill("12345")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".invalid-feedback").first).to_be_visible()
    camera.shoot("63-org-staff-create-errors")


def test_it_shoots_the_contract_and_vendor_pages(
    camera: Camera, leader: User, center: Center
) -> None:
    camera.as_user(leader)
    camera.open(f"/org/contracts/{center.draft.pk}/")
    camera.shoot("64-org-contract-draft")
    camera.open_modal("生效", "#transition-activate")
    camera.shoot("65-org-contract-activate-modal", full_page=False)

    camera.open("/org/contracts/")
    camera.shoot("66-org-contract-list")
    camera.open("/org/vendors/")
    camera.shoot("67-org-vendor-list")

    fresh = OrganizationFactory(code="org-c", name="丙市机关事务服务中心")
    camera.as_user(person(fresh, "newlead", "leader", name="钱主任"))
    camera.open("/org/vendors/")
    camera.shoot("68-org-vendor-list-empty")


def test_it_shoots_the_change_log_and_attachments(
    camera: Camera, leader: User, center: Center
) -> None:
    camera.as_user(leader)
    camera.open(f"/org/departments/{center.department.pk}/")
    expect(camera.page.locator("[data-testid=attachment-images] img")).to_be_visible()
    camera.shoot("70-org-department-detail")
    camera.open("/org/departments/")
    camera.shoot("71-org-department-list")
    camera.open("/changelog/")
    camera.shoot("72-changelog")


def test_it_shoots_the_notifications(camera: Camera, leader: User, center: Center) -> None:
    camera.as_user(leader)
    camera.open("/notifications/")
    camera.shoot("73-notifications")
    camera.open("/notifications/settings/")
    camera.shoot("74-notification-settings")


def test_it_shoots_the_import_pages(
    camera: Camera, leader: User, center: Center, settings: Any, tmp_path: Path
) -> None:
    settings.VAR_DIR = tmp_path / "var"
    page = camera.page
    camera.as_user(leader)
    camera.open("/import/")
    camera.shoot("75-import-index")
    camera.open("/import/staff/")
    camera.shoot("76-import-staff")
    page.get_by_label("Excel 文件").set_input_files(str(bad_staff_workbook(tmp_path)))
    page.get_by_role("button", name="上传并检查").click()
    expect(page.locator("table.import-errors")).to_contain_text("第 3 行")
    camera.shoot("77-import-staff-errors")


def test_it_shoots_the_home_of_the_leader(camera: Camera, leader: User, center: Center) -> None:
    page = camera.page
    camera.as_user(leader)
    camera.open("/")
    camera.shoot("78-home-leader")
    if camera.phone:
        page.locator(".navbar-toggler").click()
        expect(page.locator("#sidebar-menu")).to_be_visible()
        expect(page.locator("#sidebar-menu")).to_have_class("navbar-collapse collapse show")
        camera.shoot("79-home-leader-menu")
    else:
        last = page.locator("#sidebar-menu .nav-link").last
        last.scroll_into_view_if_needed()
        expect(last).to_be_in_viewport()
        camera.shoot("79-home-leader-sidebar-end", full_page=False)
