"""An appraisal period in a real browser: the office computes it (the job runs in-process),
opens a department's breakdown down to a record behind a number and publishes; on a 375 px
phone the department head appeals one line with a file; the office accepts the appeal with
the corrected figure and freezes the period. Nothing is refused by the content security
policy. With HOUQIN_SHOTS=1 it saves screenshots of the pages at 375 px and 1280 px (to
HOUQIN_SHOTS_DIR when set)."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from houqin.accounts.models import User
from houqin.appraisal.models import Appeal, Period, Score
from tests.appraisal.builders import (
    at,
    department_make,
    period_make,
    place_make,
    record_put,
    scheme_make,
    template_make,
)
from tests.e2e.browser import sign_in_as
from tests.e2e.test_checklist_templates import refused_by_csp


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


@pytest.fixture
def period(org_a: Any, department: Any, standards_officer: User) -> Period:
    """A department scheme over 物业管理科 and 餐饮服务科; 物业管理科 has one passed and one
    failed record in the third quarter."""
    other = department_make(org_a, "CY", "餐饮服务科")
    sheet = template_make(org_a)
    place = place_make(org_a, "R1", department)
    record_put(sheet, standards_officer, at(8, 3), place=place, passed=True)
    record_put(sheet, standards_officer, at(8, 4), place=place, passed=False)
    scheme = scheme_make(org_a, subjects=[department, other], name="科室季度考核")
    return period_make(scheme, name="2026年第三季度")


def step(page: Page, label: str) -> None:
    """Press a period step and confirm it in its dialog."""
    page.get_by_role("button", name=label, exact=True).first.click()
    dialog = page.locator(".modal.show")
    expect(dialog.get_by_role("heading", name=label)).to_be_visible()
    dialog.get_by_role("button", name=label, exact=True).click()


def test_a_period_is_computed_appealed_and_frozen(
    page: Page,
    phone_page: Page,
    period: Period,
    department: Any,
    standards_officer: User,
    department_head: User,
    live_server: Any,
    media: Path,
    tmp_path: Path,
) -> None:
    csp_errors = refused_by_csp(page)
    phone_errors = refused_by_csp(phone_page)
    sign_in_as(page, standards_officer, live_server)
    page.goto("/appraisal/periods/")
    page.get_by_role("link", name="2026年第三季度").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("2026年第三季度")
    step(page, "计算得分")
    expect(page.get_by_text("计算得分已完成")).to_be_visible()
    ranking = page.get_by_test_id("ranking-table")
    expect(ranking.get_by_role("row")).to_have_count(3)
    expect(page.locator("#period-chart[data-rendered]")).to_be_attached()

    ranking.get_by_role("link", name="物业管理科").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("物业管理科的得分")
    expect(page.get_by_text("60 × 1/2 = 30")).to_be_visible()
    page.get_by_text("依据的记录（2 条）").first.click()
    page.get_by_test_id("line-rows").first.get_by_role("link").first.click()
    expect(page).to_have_url(re.compile(r"/checklists/records/\d+/"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("公共区域保洁检查")

    page.goto(f"/appraisal/periods/{period.pk}/")
    step(page, "公示")
    expect(page.get_by_test_id("period-status")).to_have_text("公示")

    evidence = tmp_path / "停水通知.pdf"
    evidence.write_bytes(b"%PDF-1.4\n%%EOF\n")
    score = Score.objects.get(period=period, department=department)
    sign_in_as(phone_page, department_head, live_server)
    phone_page.goto(f"/appraisal/scores/{score.pk}/")
    phone_page.get_by_role("button", name="申诉").first.click()
    dialog = phone_page.locator(".modal.show")
    dialog.get_by_label("申诉理由").fill("8月4日不合格是全楼停水造成的")
    dialog.get_by_label("证明材料").set_input_files(str(evidence))
    dialog.get_by_role("button", name="提交申诉").click()
    expect(phone_page.get_by_text("已对“检查合格率”提出申诉")).to_be_visible()
    appeal = Appeal.objects.get(score=score)

    page.goto(f"/appraisal/periods/{period.pk}/")
    page.get_by_test_id("appeal-table").get_by_role("link", name="物业管理科").click()
    page.get_by_label("采纳申诉").check()
    page.get_by_label("更正后的合格记录").fill("2")
    page.get_by_label("处理意见").fill("停水属实，该次按合格计")
    page.get_by_role("button", name="提交处理结果").click()
    expect(page.get_by_test_id("appeal-change")).to_have_text("30.00 → 60.00")
    appeal.refresh_from_db()
    assert appeal.status == "accepted"

    page.goto(f"/appraisal/periods/{period.pk}/")
    step(page, "定稿")
    expect(page.get_by_test_id("period-status")).to_have_text("定稿")
    expect(page.get_by_text("定稿后没有修改过的记录。")).to_be_visible()
    assert csp_errors == [] and phone_errors == []


@pytest.mark.skipif(
    os.environ.get("HOUQIN_SHOTS") != "1", reason="screenshots only with HOUQIN_SHOTS=1"
)
@pytest.mark.parametrize("screen", ["phone_page", "page"])
def test_it_shoots_the_period_screens(
    screen: str,
    request: pytest.FixtureRequest,
    period: Period,
    department: Any,
    standards_officer: User,
    live_server: Any,
    media: Path,
    screenshot_dir: Path,
) -> None:
    from django.utils import timezone

    from houqin.appraisal.period_services import period_compute, period_step

    page: Page = request.getfixturevalue(screen)
    width = 375 if screen == "phone_page" else 1280
    shots = Path(os.environ.get("HOUQIN_SHOTS_DIR") or screenshot_dir)
    shots.mkdir(parents=True, exist_ok=True)
    sign_in_as(page, standards_officer, live_server)
    # A first computation part-way through counting the quarter's days.
    Period.objects.filter(pk=period.pk).update(
        computing=True, done=40, total=186, stage="正在汇总每日检查数据（每天只汇总一次）"
    )
    page.goto(f"/appraisal/periods/{period.pk}/")
    expect(page.get_by_test_id("period-progress")).to_contain_text("21%")
    page.screenshot(path=shots / f"period-computing-{width}.png", full_page=True)
    Period.objects.filter(pk=period.pk).update(status="computed", computing=False)
    period.refresh_from_db()
    period_compute(period, now=timezone.now())
    period_step(period, "publish", standards_officer)
    score = Score.objects.get(period=period, department=department)
    line = score.lines.first()
    appeal = Appeal.objects.create(
        organization=period.organization,
        score=score,
        line=line,
        reason="8月4日不合格是全楼停水造成的",
        submitted_by=standards_officer,
        submitted_at=timezone.now(),
        points_before=line.points if line else None,
    )

    def shoot(path: str, name: str) -> None:
        page.goto(path)
        expect(page.locator("h1").first).to_be_visible()
        page.wait_for_load_state("load")
        page.screenshot(path=shots / f"{name}-{width}.png", full_page=True, animations="disabled")

    page.set_default_timeout(20_000)
    shoot("/appraisal/periods/", "period-list")
    shoot("/appraisal/periods/new/", "period-form")
    shoot(f"/appraisal/periods/{period.pk}/", "period-detail")
    shoot(f"/appraisal/scores/{score.pk}/", "score-detail")
    other = Score.objects.exclude(pk=score.pk).get(period=period)
    shoot(f"/appraisal/periods/{period.pk}/compare/?a={score.pk}&b={other.pk}", "period-compare")
    shoot(f"/appraisal/appeals/{appeal.pk}/", "appeal-detail")
