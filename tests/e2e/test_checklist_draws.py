"""A random spot check in a real browser: the draw page shows its seed and pools, and
"重新抽取核验" re-runs the draw and says it matches. With HOUQIN_SHOTS=1 it saves the draw
page after the check at 375 px and 1280 px."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from django.utils import timezone
from playwright.sync_api import Browser, expect

from houqin.accounts.models import User
from houqin.checklists.draw_services import DrawRequest
from houqin.checklists.services import draw_create
from houqin.org.models import Department
from tests.checklists.task_builders import campus, place, template
from tests.conftest import person
from tests.e2e.browser import sign_in_as

__all__ = ["campus", "template"]  # fixtures used here


def test_the_draw_verifies_from_its_seed(
    browser: Browser,
    department_head: User,
    org_a: Any,
    department: Any,
    campus: Any,
    template: Any,
    live_server: Any,
    screenshot_dir: Path,
) -> None:
    other = Department.objects.create(organization=org_a, code="BW", name="保卫科")
    for n in range(4):
        place(org_a, campus["floor"], "room", f"R{n}", f"办公室{n}", department=department)
    people = [
        person(org_a, f"x{n}", "worker", name=f"保卫科{n}", department=other) for n in range(3)
    ]
    now = timezone.now()
    draw = draw_create(
        organization=org_a,
        actor=department_head,
        request=DrawRequest(
            title="双随机抽查",
            template=template,
            opens_at=now + timedelta(hours=1),
            due_at=now + timedelta(days=2),
            subjects_wanted=2,
            place=campus["floor"],
            place_kind="room",
            people=people,
            avoid_own_department=True,
        ),
    )
    for width in (375, 1280):
        page = browser.new_page(
            viewport={"width": width, "height": 900}, locale="zh-CN", base_url=live_server.url
        )
        sign_in_as(page, department_head, live_server)
        page.goto(f"/checklists/draws/{draw.pk}/")
        expect(page.get_by_test_id("draw-seed")).to_have_text(draw.seed)
        page.get_by_role("button", name="重新抽取核验").click()
        expect(page.get_by_text("核验一致").first).to_be_visible()
        page.screenshot(path=screenshot_dir / f"checklist-draw-{width}.png", full_page=True)
        page.close()
