"""The schedule, workday calendar and task pages: “我的任务” by due time with late tasks in
red, the managers' task list with its filters and export, starting, moving, reassigning and
cancelling one task, the schedule form and its preview, the calendar with its import, who
may open each page, and query counts that do not grow with the rows."""

from __future__ import annotations

import re
from datetime import date
from io import BytesIO

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from houqin.checklists.models import CalendarDay, Schedule, Task
from houqin.checklists.services import tasks_generate
from tests.checklists import routes_tasks
from tests.checklists.task_builders import NOW, at, campus, crew, plan, template
from tests.conftest import person, signed_in

pytestmark = pytest.mark.django_db
__all__ = ["campus", "crew", "template"]  # fixtures used here

MY = "/checklists/my/"
TASKS = "/checklists/tasks/"


@pytest.fixture(autouse=True)
def clock(time_machine) -> None:
    time_machine.move_to(NOW, tick=False)


def text(response) -> str:
    page = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))


def queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.fixture
def day_of_work(org_a, department_head, template, worker, crew, campus) -> dict[str, Schedule]:
    """dora's Wednesday: a post task at 09:00, her own at 07:00 (late by 10:00), a team
    round of each toilet at 14:00 and someone else's task she never sees."""
    return {
        "own": plan(org_a, department_head, template, person=worker, times=["07:00"], name="个人"),
        "post": plan(
            org_a, department_head, template, post=crew["post"], times=["09:00"], name="岗位"
        ),
        "team": plan(
            org_a,
            department_head,
            template,
            team=crew["team"],
            place=campus["floor"],
            place_kind="room",
            times=["14:00"],
            name="班组",
        ),
        "other": plan(org_a, department_head, template, person=crew["other"], name="别人"),
    }


def test_my_tasks_are_the_days_tasks_by_due_time_with_late_ones_in_red(
    day_of_work, worker, time_machine
) -> None:
    time_machine.move_to(at(9, 30, 10), tick=False)
    page = signed_in(worker).get(MY)
    body = page.content.decode()
    assert "今天 · 2026年9月30日 周三" in text(page)
    order = re.findall(r'data-window="([^"]+)"', body)
    assert order == ["07:00–09:00", "09:00–11:00", "14:00–16:00", "14:00–16:00"]
    assert body.count("my-task-late") == 1  # the 07:00 one, past its due time
    assert "已过截止时间" in body
    assert re.search(r"共 4 项：待完成 4， ?逾期 1 ?，已完成 0", text(page))
    assert "1层男卫生间 · 班组：早班保洁组" in text(page)


def test_my_tasks_says_what_to_do_when_there_is_nothing(worker) -> None:
    page = text(signed_in(worker).get(MY))
    assert "今天没有检查任务" in page and "扫场所或设备上的二维码" in page
    other_day = text(signed_in(worker).get(MY, {"day": "2026-10-08"}))
    assert "2026年10月8日 周四" in other_day and "回到今天" in other_day


def test_my_tasks_read_the_same_queries_for_2_and_20_tasks(
    org_a, department_head, template, worker, crew
) -> None:
    plan(org_a, department_head, template, person=worker, times=["08:00", "15:00"])
    client = signed_in(worker)
    client.get(MY)  # the first request of a session does its own bookkeeping
    few = queries(client, MY)
    plan(
        org_a,
        department_head,
        template,
        team=crew["team"],
        times=[f"{h:02d}:00" for h in range(6, 24)],
        name="整点巡查",
    )
    assert len(re.findall("data-window=", client.get(MY).content.decode())) == 20
    assert queries(client, MY) == few


def test_the_managers_list_filters_by_status_kind_days_assignee_and_place(
    day_of_work, department_head, worker, crew, campus
) -> None:
    client = signed_in(department_head)
    assert signed_in(worker).get(TASKS).status_code == 403
    everything = text(client.get(TASKS))
    assert "共 35 条" in everything  # 4 schedules × 7 days, the team's × 2 rooms
    Task.objects.filter(schedule=day_of_work["own"], opens_at=at(9, 30, 7)).update(status="overdue")
    assert "共 1 条" in text(client.get(TASKS, {"status": "overdue"}))
    assert "共 14 条" in text(client.get(TASKS, {"assignee": f"t{crew['team'].pk}"}))
    assert "共 7 条" in text(client.get(TASKS, {"assignee": f"u{worker.pk}"}))
    assert "共 7 条" in text(client.get(TASKS, {"place": campus["men"].pk}))
    assert "共 14 条" in text(client.get(TASKS, {"place": campus["building"].pk}))
    days = {"date_from": "2026-10-01", "date_to": "2026-10-02"}
    assert "共 10 条" in text(client.get(TASKS, days))
    assert "没有符合条件的任务" in text(client.get(TASKS, {"kind": "patrol"}))
    assert "没有符合条件的任务" in text(client.get(TASKS, {"assignee": "x9"}))


def test_the_managers_list_reads_the_same_queries_for_2_and_20_rows(
    org_a, department_head, template, worker, crew
) -> None:
    client = signed_in(department_head)
    plan(org_a, department_head, template, person=worker, active=False)
    Schedule.objects.update(active=True)
    tasks_generate(start=date(2026, 10, 1), days=2, now=NOW)
    client.get(TASKS)  # the first request of a session does its own bookkeeping
    few = queries(client, TASKS)
    filtered = queries(client, f"{TASKS}?status=pending&assignee=u{worker.pk}")
    plan(org_a, department_head, template, team=crew["team"], times=["08:00", "09:00", "10:00"])
    assert Task.objects.count() > 20
    assert queries(client, TASKS) == few
    assert queries(client, f"{TASKS}?status=pending&assignee=u{worker.pk}") == filtered


def test_the_managers_list_exports_what_is_filtered(day_of_work, department_head) -> None:
    response = signed_in(department_head).get(TASKS, {"status": "pending", "export": "xlsx"})
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("检查任务",) + (None,) * 5
    assert rows[1][0].startswith("筛选条件：状态：待检查")
    assert rows[2] == ("时间", "检查表", "查什么", "由谁检查", "检查类型", "状态")
    assert rows[3] == (  # the newest first
        "10-06 周二 14:00–16:00",
        "公共卫生间保洁检查",
        "1层男卫生间",
        "班组：早班保洁组",
        "自查",
        "待检查",
    )
    assert len(rows) == 3 + 35


def test_a_tasks_page_starts_it_and_then_offers_it_only_to_who_took_it(
    day_of_work, worker, crew
) -> None:
    task = Task.objects.filter(schedule=day_of_work["team"]).first()
    url = reverse("checklists:task_detail", args=[task.pk])
    page = signed_in(worker).get(url).content.decode()
    assert 'data-testid="task-start"' in page and "调整这一次" not in page
    start = reverse("checklists:record_start", args=[task.pk])
    assert f'action="{start}"' in page
    response = signed_in(worker).post(start)
    assert re.search(r"/checklists/records/\d+/fill/$", response["Location"])
    after = signed_in(worker).get(url)
    assert "接手人 赵师傅" in text(after) and "继续检查" in text(after)
    other = signed_in(crew["mate"]).get(url)
    assert "接手人 赵师傅" in text(other)
    assert 'data-testid="task-start"' not in other.content.decode()


def test_a_manager_moves_reassigns_and_cancels_one_task_with_a_reason(
    day_of_work, department_head, crew
) -> None:
    client = signed_in(department_head)
    task = Task.objects.get(schedule=day_of_work["post"], opens_at=at(10, 1, 9))
    move = reverse("checklists:task_move", args=[task.pk])
    assert "只改这一次，计划的其他任务不变" in text(client.get(move))
    missing = client.post(move, {"opens_at": "2026-10-01T13:00", "due_at": "2026-10-01T15:00"})
    assert "请填写原因。" in text(missing)
    moved = client.post(
        move,
        {"opens_at": "2026-10-01T13:00", "due_at": "2026-10-01T15:00", "reason": "上午消杀"},
        follow=True,
    )
    assert "已调整这次任务的时间：10-01 周四 13:00–15:00。" in text(moved)
    assert "上午消杀" in text(moved)
    reassign = reverse("checklists:task_reassign", args=[task.pk])
    wrong = client.post(reassign, {"assignee": "team", "reason": "人手不够"})
    assert "请选择班组。" in text(wrong)
    done = client.post(
        reassign,
        {
            "assignee": "team",
            "team": crew["team"].pk,
            "person": crew["other"].pk,
            "reason": "人手不够",
        },
        follow=True,
    )
    assert "这次任务已改派给班组：早班保洁组。" in text(done)
    task.refresh_from_db()
    assert (task.team, task.person, task.post) == (crew["team"], None, None)
    cancel = reverse("checklists:task_cancel", args=[task.pk])
    assert "请写明取消的原因。" in text(client.post(cancel, {"reason": ""}, follow=True))
    cancelled = client.post(cancel, {"reason": "国庆闭馆"}, follow=True)
    assert "这次任务已取消，计划的其他任务不变。" in text(cancelled)
    assert Task.objects.filter(schedule=day_of_work["post"], status="pending").count() == 6


def test_the_schedule_form_makes_a_weekly_schedule_and_previews_it(
    org_a, department_head, template, crew
) -> None:
    client = signed_in(department_head)
    url = reverse("checklists:schedule_create")
    form = client.get(url).content.decode()
    assert 'data-show-when="frequency=weekly"' in form and 'data-show-when="assignee=team"' in form
    data = {
        "name": "会议室周检",
        "template": template.pk,
        "kind": "patrol",
        "assignee": "post",
        "post": crew["post"].pk,
        "person": department_head.pk,  # hidden by the page: ignored
        "frequency": "weekly",
        "weekdays": ["1", "4"],
        "interval": "1",
        "times": "8:30，14:00",
        "days": "workdays",
        "window_minutes": "90",
        "starts_on": "2026-09-01",
        "active": "on",
    }
    bad_time = client.post(url, {**data, "times": "25:00"})
    assert "“25:00”不是有效的时间，请写成 08:00 这样的 24 小时制。" in text(bad_time)
    no_days = client.post(url, {**data, "weekdays": []})
    assert "请勾选每周哪几天检查。" in text(no_days)
    assert not Schedule.objects.exists()
    CalendarDay.objects.create(organization=org_a, day=date(2026, 10, 1), workday=False)
    CalendarDay.objects.create(organization=org_a, day=date(2026, 10, 5), workday=False)
    created = client.post(url, data, follow=True)
    schedule = Schedule.objects.get()
    assert (schedule.post, schedule.person, schedule.weekdays) == (crew["post"], None, [1, 4])
    assert schedule.times == ["08:30", "14:00"]
    page = text(created)
    assert "已新建检查计划“会议室周检”，最近几天的任务已经生成。" in page
    assert "每周一、周四 08:30、14:00，只在工作日，开始后 1 小时 30 分钟内完成" in page
    upcoming = re.findall(r"\d\d-\d\d 周. \d\d:\d\d–\d\d:\d\d", page.split("接下来的")[1])
    assert upcoming[:5] == [
        "10-08 周四 08:30–10:00",
        "10-08 周四 14:00–15:30",
        "10-12 周一 08:30–10:00",
        "10-12 周一 14:00–15:30",
        "10-15 周四 08:30–10:00",
    ]
    edit = reverse("checklists:schedule_update", args=[schedule.pk])
    assert 'value="08:30, 14:00"' in client.get(edit).content.decode()
    saved = client.post(edit, {**data, "weekdays": ["4"]}, follow=True)
    assert "已保存；还没开始的任务已按新的设置重新生成。" in text(saved)
    assert Schedule.objects.get().weekdays == [4]


def test_the_schedule_list_says_each_plan_in_words(day_of_work, department_head) -> None:
    client = signed_in(department_head)
    page = text(client.get(reverse("checklists:schedule_list")))
    assert "每天 14:00，开始后 2 小时内完成" in page
    assert "1层下的每个房间" in page and "班组：早班保洁组" in page
    few = queries(client, reverse("checklists:schedule_list"))  # after the first request
    org = day_of_work["own"].organization
    for number in range(20):
        Schedule.objects.create(
            organization=org,
            name=f"计划{number:02d}",
            template=day_of_work["own"].template,
            team=day_of_work["team"].team,
            times=["08:00"],
            starts_on=date(2026, 9, 1),
        )
    assert queries(client, reverse("checklists:schedule_list")) == few


def test_the_calendar_adds_removes_and_imports_days(org_a, department_head) -> None:
    client = signed_in(department_head)
    url = reverse("checklists:calendar_list")
    assert "这一年还没有记节假日和调休" in text(client.get(url, {"year": "2026"}))
    added = client.post(
        reverse("checklists:calendar_day_add"),
        {"day": "2026-10-10", "workday": "1", "note": "国庆节调休"},
        follow=True,
    )
    assert "已记下：2026-10-10 上班。" in text(added)
    assert "2026-10-10 周六 上班 国庆节调休" in text(added)
    importer = reverse("checklists:calendar_import")
    bad = client.post(importer, {"text": "2026-10-01 休息 国庆节\n2026-10-02 放假了"})
    assert "有 1 行不对，一行也没有导入" in text(bad)
    assert "第 2 行：日期后面请写“上班”或“休息”。" in text(bad)
    assert CalendarDay.objects.count() == 1
    good = client.post(
        importer, {"text": "2026-10-01 休息 国庆节\n2026-10-02 休息 国庆节"}, follow=True
    )
    assert "已导入，新增或修改了 2 天" in text(good)
    assert "这一年记了休息 2 天、上班 1 天。" in text(good)
    day = CalendarDay.objects.get(day=date(2026, 10, 2))
    removed = client.post(reverse("checklists:calendar_day_delete", args=[day.pk]), follow=True)
    assert "已删除 2026-10-02" in text(removed)
    assert CalendarDay.objects.count() == 2


def _url(name: str, route, org) -> str:
    if not route.sample:
        return reverse(name)
    return reverse(name, args=[routes_tasks.sample(route.sample, org).pk])


@pytest.mark.parametrize("name", sorted(routes_tasks.ROUTES))
def test_every_page_is_guarded(name, request, org_a, org_b) -> None:
    route = routes_tasks.ROUTES[name]
    url = _url(name, route, org_a)
    response = getattr(Client(), route.method)(url)
    if name.startswith("api:"):
        assert response.status_code in (401, 403)
    else:
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    outsider = person(org_b, "outsider-head", "department_head")
    if route.sample:
        assert getattr(signed_in(outsider), route.method)(url).status_code == 404
    denied = request.getfixturevalue(route.denied)
    assert getattr(signed_in(denied), route.method)(url).status_code == 403
