"""The rectification loop in a real browser: on a 375 px phone a worker opens a finding of
their department, submits the fix with a note and a photo (a test image fed to the file
input); on a desktop the department head accepts it and the finding closes. Nothing is
refused by the content security policy. With HOUQIN_SHOTS=1 it also saves screenshots of
the findings list, a finding, the board and the compliance view at 375 px and 1280 px."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import Page, expect

from houqin.accounts.models import User
from houqin.common.models import Attachment
from houqin.findings.models import Finding, Rectification, SupervisionOrder
from houqin.findings.order_services import order_issue
from houqin.org.models import Vendor
from tests.e2e.browser import sign_in_as
from tests.e2e.test_checklist_templates import refused_by_csp
from tests.findings.builders import campus, check, cited_template, raise_one, set_rectification


@pytest.fixture
def photo(tmp_path: Path) -> Path:
    path = tmp_path / "fixed.jpg"
    Image.new("RGB", (800, 600), (40, 160, 90)).save(path, format="JPEG")
    return path


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "media"},
        },
    }
    return tmp_path


def test_a_worker_fixes_on_a_phone_and_the_head_accepts_on_a_desktop(
    phone_page: Page,
    page: Page,
    org_a: Any,
    department: Any,
    worker: User,
    department_head: User,
    standards_officer: User,
    live_server: Any,
    photo: Path,
    media: Path,
) -> None:
    places = campus(org_a, department)
    finding = raise_one(
        org_a,
        standards_officer,
        title="洗手台下有积水",
        department=department,
        place=places["first"],
    )
    phone_errors = refused_by_csp(phone_page)
    sign_in_as(phone_page, worker, live_server)
    phone_page.goto("/findings/")
    phone_page.get_by_role("link", name="洗手台下有积水").click()
    expect(phone_page.get_by_role("heading", level=1)).to_have_text("洗手台下有积水")
    phone_page.get_by_role("button", name="提交整改").click()
    dialog = phone_page.locator("#step-fix")
    expect(dialog.get_by_role("heading", name="提交整改")).to_be_visible()
    dialog.get_by_label("整改情况").fill("已更换水管接头并拖干地面")
    dialog.get_by_label("整改后照片").set_input_files(str(photo))
    dialog.get_by_role("button", name="提交整改").click()
    expect(phone_page.get_by_text("整改已提交，等待验收。")).to_be_visible()
    expect(phone_page.get_by_test_id("rectification-status")).to_have_text("待验收")
    expect(phone_page.get_by_test_id("evidence")).to_have_text("已更换水管接头并拖干地面")
    expect(phone_page.get_by_test_id("fix-photos").locator("img")).to_have_count(1)
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375
    rectification = Rectification.objects.get(finding=finding)
    assert Attachment.objects.filter(object_id=str(rectification.pk), kind="image").count() == 1

    desk_errors = refused_by_csp(page)
    sign_in_as(page, department_head, live_server)
    page.goto(f"/findings/{finding.pk}/")
    page.get_by_role("button", name="验收通过").click()
    page.locator("#step-accept").get_by_role("button", name="验收通过").click()
    expect(page.get_by_text("已验收。")).to_be_visible()
    expect(page.get_by_test_id("rectification-status")).to_have_text("已关闭")
    assert Rectification.objects.get(finding=finding).status == "closed"
    assert phone_errors == [] and desk_errors == []


def test_a_manager_ticks_findings_and_issues_an_order(
    page: Page,
    org_a: Any,
    department: Any,
    department_head: User,
    standards_officer: User,
    live_server: Any,
) -> None:
    places = campus(org_a, department)
    for title in ("消防通道堆放杂物", "灭火器过期"):
        raise_one(
            org_a, standards_officer, title=title, department=department, place=places["first"]
        )
    errors = refused_by_csp(page)
    sign_in_as(page, standards_officer, live_server)
    page.goto("/findings/")
    issue = page.get_by_role("button", name="对所选问题签发督办单")
    expect(issue).to_be_disabled()
    page.get_by_label("全选本页").check()
    expect(page.locator("[data-bulk-count]")).to_have_text("2")
    issue.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("签发督办单")
    expect(page.get_by_label("主送科室")).to_have_value(str(department.pk))
    page.get_by_role("button", name="签发").click()
    year = timezone.localdate().year
    expect(page.get_by_text(f"已签发督办单 督办〔{year}〕1号，已通知主送方。")).to_be_visible()
    expect(page.get_by_test_id("order-findings").locator("tbody tr")).to_have_count(2)
    assert SupervisionOrder.objects.get().findings.count() == 2 and errors == []


@pytest.fixture
def shots_data(
    org_a: Any, department: Any, standards_officer: User, worker: User, department_head: User
) -> Finding:
    """Findings in every state at the rooms of 物业管理科 and the vendor-run canteen."""
    places = campus(org_a, department)
    vendor = Vendor.objects.create(organization=org_a, code="V1", name="好味餐饮公司")
    template = cited_template(org_a, standards_officer, service_line="property")
    check(template, worker, places["first"])
    check(template, worker, places["first"], fails=("保洁员",))
    repeat = check(template, worker, places["first"], fails=("保洁员",)).findings.get()
    check(template, worker, places["second"], fails=("保洁员",))
    now = timezone.now()
    late = raise_one(
        org_a,
        standards_officer,
        title="消防通道堆放杂物",
        department=department,
        place=places["building"],
    )
    set_rectification(late, deadline=now - timedelta(days=2), escalation=1)
    done = raise_one(
        org_a, standards_officer, title="垃圾桶满溢", department=department, place=places["second"]
    )
    set_rectification(done, status="fixed", evidence="已清运并消毒", fixed_at=now)
    raise_one(
        org_a,
        standards_officer,
        title="后厨地面油污",
        severity="major",
        vendor=vendor,
        place=places["canteen"],
    )
    order_issue(
        organization=org_a,
        actor=standards_officer,
        title="关于督促整改卫生间保洁问题的督办单",
        body="经检查，一楼卫生间多次未按时保洁，同一问题重复发生。\n请查明原因，落实保洁责任人。",
        deadline=timezone.localdate() + timedelta(days=7),
        findings=[repeat, late],
        department=department,
    )
    return repeat


@pytest.mark.skipif(
    os.environ.get("HOUQIN_SHOTS") != "1", reason="screenshots only with HOUQIN_SHOTS=1"
)
@pytest.mark.parametrize("screen", ["phone_page", "page"])
def test_it_shoots_the_findings_screens(
    screen: str,
    request: pytest.FixtureRequest,
    shots_data: Finding,
    department_head: User,
    live_server: Any,
    screenshot_dir: Path,
    media: Path,
) -> None:
    page: Page = request.getfixturevalue(screen)
    width = 375 if screen == "phone_page" else 1280
    sign_in_as(page, department_head, live_server)

    def shoot(path: str, name: str) -> None:
        page.goto(path)
        expect(page.locator("h1").first).to_be_visible()
        page.wait_for_load_state("load")
        page.screenshot(
            path=screenshot_dir / f"findings-{name}-{width}.png",
            full_page=True,
            animations="disabled",
        )

    page.set_default_timeout(20_000)
    shoot("/findings/", "list")
    shoot(f"/findings/{shots_data.pk}/", "detail")
    shoot("/findings/board/", "board")
    shoot("/findings/compliance/", "compliance")
    order = SupervisionOrder.objects.get()
    shoot(f"/findings/orders/{order.pk}/", "order")
    shoot(f"/findings/orders/{order.pk}/print/", "order-print")
    page.goto(f"/findings/{shots_data.pk}/")
    page.get_by_role("button", name="提交整改").click()
    expect(page.locator("#step-fix").get_by_label("整改情况")).to_be_visible()
    page.screenshot(path=screenshot_dir / f"findings-fix-{width}.png", animations="disabled")
