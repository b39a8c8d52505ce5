"""Doing a check on a 375 px phone (and at 1280 px): scan the label → start the task →
answer → take a photo (a test image fed to the camera input, downscaled and stamped in the
page) → submit, a failure raising a finding; a reload mid-way keeps the answers, also those
the server has not received yet; a submission made offline goes once the connection
returns, as exactly one record; a handover signed with a finger. With HOUQIN_SHOTS=1 it
saves screenshots of the scan page, the record page mid-way and the result page."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import Page, Route, expect

from houqin.accounts.models import User
from houqin.checklists.models import Answer, Handover, Record, Task
from houqin.common.models import Attachment
from houqin.findings.models import Finding
from tests.checklists.record_builders import schedule_for, sheet, site, task_now
from tests.conftest import person
from tests.e2e.browser import sign_in_as
from tests.e2e.test_checklist_templates import refused_by_csp

SAVED = "已保存"
OFFLINE = "已保存在手机上，联网后自动提交"


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "media"},
        },
    }


@pytest.fixture
def check(org_a: Any, department: Any, department_head: User, worker: User) -> dict[str, Any]:
    """The worker's toilet check, open now, with the standard it cites."""
    places = site(org_a, department)
    template = sheet(org_a, department_head, department)
    schedule_for(template, places["toilet"])
    task = task_now(template, places["toilet"], now=timezone.now(), person=worker)
    return {"places": places, "template": template, "task": task}


@pytest.fixture(params=["phone_page", "page"])
def screen(request: pytest.FixtureRequest) -> Page:
    return request.getfixturevalue(request.param)


def camera_image(size: tuple[int, int] = (2400, 1200)) -> dict[str, Any]:
    """What the camera input receives: a PNG larger than what is kept."""
    out = io.BytesIO()
    image = Image.new("RGB", size, (60, 140, 90))
    image.paste((230, 230, 230), (0, 0, size[0] // 2, size[1] // 3))
    image.save(out, format="PNG")
    return {"name": "现场.png", "mimeType": "image/png", "buffer": out.getvalue()}


def shoot(page: Page, directory: Path, name: str, full: bool = True) -> None:
    width = page.viewport_size["width"] if page.viewport_size else 0
    page.screenshot(path=str(directory / f"checklist-{name}-{width}.png"), full_page=full)


def start_from_scan(page: Page, check: dict[str, Any]) -> None:
    page.goto(f"/q/{check['places']['toilet'].qr_token}")
    page.get_by_test_id("scan-start").click()
    expect(page).to_have_url(re.compile(r"/checklists/records/\d+/fill/$"))


def card(page: Page, number: int) -> Any:
    return page.get_by_test_id("record-item").nth(number)


def status(page: Page) -> Any:
    return page.locator("[data-status]")


def no_overflow(page: Page) -> None:
    wide = page.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1")
    assert not wide, "the page scrolls sideways"


def test_scan_answer_photograph_and_submit(
    screen: Page, check: dict[str, Any], worker: User, live_server: Any, screenshot_dir: Path
) -> None:
    page = screen
    refused = refused_by_csp(page)
    sign_in_as(page, worker, live_server)
    page.goto(f"/q/{check['places']['toilet'].qr_token}")
    expect(page.get_by_role("heading", level=1)).to_have_text("1层男卫生间")
    expect(page.get_by_test_id("scan-start")).to_contain_text("卫生间保洁检查")
    expect(page.get_by_test_id("scan-rules")).to_contain_text("保洁员应每2 h保洁1次。")
    no_overflow(page)
    shoot(page, screenshot_dir, "scan")

    page.get_by_test_id("scan-start").click()
    expect(page).to_have_url(re.compile(r"/checklists/records/\d+/fill/$"))
    first = card(page, 0)
    expect(first.locator("[data-note]")).to_be_hidden()
    first.locator("label.record-fail").click()
    expect(first.get_by_text("必填")).to_be_visible()
    expect(first.get_by_text("必须拍照")).to_be_visible()
    first.get_by_label("不合格情况说明").fill("地面有积水")
    first.locator("[data-photo-input]").set_input_files(camera_image())
    expect(first.locator("figure[data-photo-id]")).to_have_count(1)
    expect(first.get_by_text("必须拍照")).to_be_hidden()
    first.locator("summary", has_text="标准要求").click()
    expect(first.locator(".record-clause")).to_have_text("保洁员应每2 h保洁1次。")
    card(page, 1).get_by_label("读数").fill("4.5")
    card(page, 2).locator("label", has_text="干净").click()
    expect(status(page)).to_have_text(SAVED)
    expect(page.locator("[data-progress]")).to_have_text("已填 3 / 3 项")
    no_overflow(page)
    first.scroll_into_view_if_needed()
    shoot(page, screenshot_dir, "record", full=False)  # what the person sees, the bar at the foot

    page.get_by_role("button", name="提交", exact=True).click()
    confirm = page.get_by_test_id("record-confirm")
    expect(confirm).to_contain_text("不合格 1 项")
    expect(confirm).to_contain_text("得分 66.67%")
    confirm.get_by_role("button", name="确认提交").click()
    expect(page).to_have_url(re.compile(r"/checklists/records/\d+/result/$"))
    expect(page.get_by_test_id("record-verdict")).to_contain_text("不合格")
    expect(page.get_by_test_id("record-failures")).to_contain_text("已生成问题")
    no_overflow(page)
    shoot(page, screenshot_dir, "result")
    page.get_by_role("link", name="查看这份记录").click()
    expect(page.get_by_test_id("record-answers")).to_contain_text("说明：地面有积水")
    no_overflow(page)
    shoot(page, screenshot_dir, "detail")

    record = Record.objects.get()
    assert record.status == Record.Status.SUBMITTED and record.place == check["places"]["toilet"]
    assert Finding.objects.filter(record=record).count() == 1
    answer = record.answers.get(position=0)
    stored = Attachment.objects.get(object_id=str(answer.pk))
    with Image.open(stored.file.path) as kept:
        assert kept.size == (1600, 800) and kept.format == "JPEG"
    check["task"].refresh_from_db()
    assert check["task"].status == Task.Status.DONE
    assert refused == []


def test_a_reload_keeps_the_answers_even_those_not_sent_yet(
    phone_page: Page, check: dict[str, Any], worker: User, live_server: Any
) -> None:
    page = phone_page
    sign_in_as(page, worker, live_server)
    start_from_scan(page, check)
    card(page, 0).locator("label.record-pass").click()
    card(page, 1).get_by_label("读数").fill("5")
    expect(status(page)).to_have_text(SAVED)
    page.reload()
    expect(card(page, 0).locator("input[value=pass]")).to_be_checked()
    expect(card(page, 1).get_by_label("读数")).to_have_value("5")

    page.route("**/checklists/records/answers/**", lambda route: route.abort())
    card(page, 2).locator("label", has_text="有垃圾").click()
    expect(status(page)).to_have_text(OFFLINE)
    page.reload()
    expect(card(page, 2).locator("input[value=有垃圾]")).to_be_checked()
    floor = Answer.objects.get(item__text="地面状况")
    assert floor.value == ""
    page.unroute("**/checklists/records/answers/**")
    page.reload()
    expect(status(page)).to_have_text(SAVED)
    floor.refresh_from_db()
    assert floor.value == "有垃圾" and floor.outcome == "fail"


def test_an_answer_tapped_while_the_page_still_loads_is_saved(
    phone_page: Page, check: dict[str, Any], worker: User, live_server: Any
) -> None:
    """On a slow phone the buttons show before the page's script has run: a tap then is
    kept and sent once the script starts, not lost."""
    page = phone_page
    sign_in_as(page, worker, live_server)
    held: list[Route] = []
    script = re.compile(r"/checklists/record[^/]*\.js")
    page.route(script, lambda route: held.append(route))
    start_from_scan(page, check)
    card(page, 0).locator("label.record-pass").click()
    expect(card(page, 0).locator("input[value=pass]")).to_be_checked()
    assert len(held) == 1 and status(page).inner_text() == ""
    held[0].continue_()
    page.unroute(script)
    expect(status(page)).to_have_text(SAVED)
    page.reload()
    expect(card(page, 0).locator("input[value=pass]")).to_be_checked()
    assert Answer.objects.get(item__text="保洁员应每2 h保洁1次。").outcome == "pass"


def test_an_offline_submission_goes_once_when_back_online(
    phone_page: Page, check: dict[str, Any], worker: User, live_server: Any
) -> None:
    page = phone_page
    sign_in_as(page, worker, live_server)
    start_from_scan(page, check)
    card(page, 0).locator("label.record-pass").click()
    card(page, 2).locator("label", has_text="干净").click()
    expect(status(page)).to_have_text(SAVED)

    page.context.set_offline(True)
    card(page, 1).get_by_label("读数").fill("6")
    card(page, 1).get_by_label("读数").blur()
    expect(status(page)).to_have_text(OFFLINE)
    page.get_by_role("button", name="提交", exact=True).click()
    confirm = page.get_by_test_id("record-confirm")
    expect(confirm).to_contain_text("现在没有网络")
    confirm.get_by_role("button", name="确认提交").click()
    expect(status(page)).to_have_text(OFFLINE)
    assert Record.objects.get().status == Record.Status.DRAFT

    page.context.set_offline(False)
    expect(page).to_have_url(re.compile(r"/checklists/records/\d+/result/$"))
    expect(page.get_by_test_id("record-verdict")).to_contain_text("合格")
    record = Record.objects.get()
    assert record.status == Record.Status.SUBMITTED and record.passed is True
    assert record.answers.get(item__text="冰箱冷藏温度").value == "6"
    assert Record.objects.count() == 1


def test_a_handover_is_signed_with_a_finger(
    phone_page: Page, org_a: Any, worker: User, live_server: Any, screenshot_dir: Path
) -> None:
    page = phone_page
    person(org_a, "gina", "worker", name="钱保洁")
    sign_in_as(page, worker, live_server)
    page.goto("/checklists/handovers/new/")
    page.get_by_label("班次").fill("早班")
    page.get_by_label("本班完成情况").fill("1层卫生间保洁3次")
    page.get_by_label("交接的钥匙、设备和物品").fill("工具间钥匙1把")
    page.get_by_label("接班人", exact=True).select_option(label="钱保洁")
    page.get_by_role("button", name="保存交接班").click()
    expect(page.get_by_text("请接班人在签名框里签名。")).to_be_visible()

    pad = page.locator("[data-pad]")
    pad.scroll_into_view_if_needed()
    box = pad.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + 20, box["y"] + box["height"] / 2)
    page.mouse.down()
    for step in range(1, 8):
        page.mouse.move(box["x"] + 20 + step * 30, box["y"] + box["height"] / 2 + (step % 2) * 20)
    page.mouse.up()
    no_overflow(page)
    shoot(page, screenshot_dir, "handover")
    page.get_by_role("button", name="保存交接班").click()
    expect(page.get_by_test_id("handover-signature")).to_be_visible()
    handover = Handover.objects.get()
    assert handover.incoming.name == "钱保洁"
    assert Attachment.objects.filter(object_id=str(handover.pk), kind="image").exists()
