"""“我的任务” on a 375 px phone: today's tasks of a worker, their post and their team by due
time, the late one in red; a tap opens a task and one more starts it. With HOUQIN_SHOTS=1 it
also saves screenshots of my tasks, a task, the schedule form and the workday calendar at
375 px and 1280 px."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from houqin.accounts.models import User
from houqin.checklists.models import Task
from houqin.checklists.services import calendar_import
from houqin.checklists.views import schedules as schedule_views
from houqin.checklists.views import tasks as task_views
from tests.checklists.task_builders import NOW, at, campus, crew, plan, template
from tests.e2e.browser import sign_in_as

__all__ = ["campus", "crew", "template"]  # fixtures used here

LATER = at(9, 30, 10)  # 10:00 on the Wednesday: the 07:00 task is past its due time


@pytest.fixture
def day(
    monkeypatch: pytest.MonkeyPatch,
    org_a: Any,
    department_head: User,
    template: Any,
    worker: User,
    crew: dict[str, Any],
    campus: dict[str, Any],
) -> dict[str, Any]:
    monkeypatch.setattr(task_views, "_now", lambda: LATER)
    monkeypatch.setattr(schedule_views, "_now", lambda: LATER)
    own = plan(org_a, department_head, template, person=worker, times=["07:00"], name="值班自查")
    post = plan(org_a, department_head, template, post=crew["post"], times=["09:00"], name="岗位")
    team = plan(
        org_a,
        department_head,
        template,
        team=crew["team"],
        place=campus["floor"],
        place_kind="room",
        times=["14:00"],
        kind="patrol",
        name="卫生间巡查",
    )
    return {"own": own, "post": post, "team": team}


def cards(page: Page) -> list[str]:
    times = page.locator("[data-testid=my-tasks] .my-task-time")
    return [times.nth(i).get_attribute("data-window") or "" for i in range(times.count())]


def test_a_worker_sees_todays_tasks_and_starts_one_on_a_phone(
    phone_page: Page, live_server: Any, day: dict[str, Any], worker: User
) -> None:
    page = phone_page
    sign_in_as(page, worker, live_server)
    page.goto("/checklists/my/")
    expect(page.get_by_test_id("my-day")).to_have_text("今天 · 2026年9月30日 周三")
    assert cards(page) == ["07:00–09:00", "09:00–11:00", "14:00–16:00", "14:00–16:00"]
    late = page.locator(".my-task-late")
    expect(late).to_have_count(1)
    expect(late).to_contain_text("已过截止时间")
    expect(page.get_by_test_id("my-summary")).to_contain_text("逾期 1")
    first = page.locator(".my-task").nth(2)
    box = first.bounding_box()
    assert box is not None and box["height"] >= 44 and box["width"] >= 340  # a thumb's target
    first.click()
    expect(page.locator("h1")).to_have_text("公共卫生间保洁检查")
    expect(page.get_by_test_id("task-fields")).to_contain_text("班组：早班保洁组")
    page.get_by_test_id("task-start").click()
    expect(page).to_have_url(re.compile(r"/checklists/records/\d+/fill/$"))  # the checklist
    page.goto("/checklists/my/")
    expect(page.locator(".my-task[data-status=in_progress]")).to_have_count(1)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, "the page scrolls sideways on a phone"


def test_a_day_without_tasks_says_so(
    phone_page: Page, live_server: Any, day: Any, worker: User
) -> None:
    sign_in_as(phone_page, worker, live_server)
    phone_page.goto("/checklists/my/?day=2026-12-01")
    expect(phone_page.locator(".empty-title")).to_have_text("这一天没有检查任务")
    phone_page.get_by_role("link", name="回到今天").click()
    expect(phone_page.locator(".my-task")).to_have_count(4)


def test_the_schedule_form_shows_only_the_fields_of_the_choice(
    page: Page, live_server: Any, department_head: User, template: Any, crew: Any
) -> None:
    sign_in_as(page, department_head, live_server)
    page.goto("/checklists/schedules/new/")
    weekdays = page.locator("[data-show-when='frequency=weekly']")
    expect(weekdays).to_be_hidden()
    page.locator("label").filter(has_text=re.compile(r"^每周$")).click()
    expect(weekdays).to_be_visible()
    expect(page.locator("[data-show-when='assignee=team']")).to_be_hidden()
    page.locator("label").filter(has_text=re.compile(r"^一个班组$")).click()
    expect(page.locator("[data-show-when='assignee=team']")).to_be_visible()
    expect(page.locator("[data-show-when='assignee=person']")).to_be_hidden()


SHOTS = pytest.mark.skipif(
    os.environ.get("HOUQIN_SHOTS") != "1", reason="screenshots only with HOUQIN_SHOTS=1"
)


@SHOTS
@pytest.mark.parametrize("screen", ["phone_page", "page"])
def test_it_shoots_the_task_screens(
    screen: str,
    request: pytest.FixtureRequest,
    live_server: Any,
    day: dict[str, Any],
    worker: User,
    department_head: User,
    org_a: Any,
    screenshot_dir: Path,
) -> None:
    page: Page = request.getfixturevalue(screen)
    width = 375 if screen == "phone_page" else 1280

    def shoot(name: str) -> None:
        page.screenshot(
            path=screenshot_dir / f"{name}-{width}.png", full_page=True, animations="disabled"
        )
        wide = page.evaluate("document.documentElement.scrollWidth")
        assert wide <= width, f"{name} scrolls sideways at {width} px"

    sign_in_as(page, worker, live_server)
    page.goto("/checklists/my/")
    shoot("checklists-my-tasks")
    page.locator(".my-task").first.click()
    shoot("checklists-task")
    page.context.clear_cookies()
    calendar_import(
        organization=org_a,
        actor=department_head,
        text="2026-09-20 上班 国庆节调休\n"
        + "".join(f"2026-10-0{d} 休息 国庆节\n" for d in range(1, 8))
        + "2026-10-10 上班 国庆节调休",
        now=NOW,
    )
    sign_in_as(page, department_head, live_server)
    page.goto("/checklists/schedules/new/")
    page.locator("label").filter(has_text=re.compile(r"^每周$")).click()
    shoot("checklists-schedule-form")
    page.goto(f"/checklists/schedules/{day['team'].pk}/")
    shoot("checklists-schedule")
    page.goto("/checklists/calendar/?year=2026")
    shoot("checklists-calendar")
    page.goto("/checklists/tasks/")
    shoot("checklists-task-list")
    task = Task.objects.filter(schedule=day["post"]).last()
    page.goto(f"/checklists/tasks/{task.pk}/")
    shoot("checklists-task-manager")
