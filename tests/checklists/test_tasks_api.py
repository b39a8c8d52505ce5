"""GET /api/v1/tasks/?mine=1 (a contract): my tasks today by due time, the same as the
phone page; filters by status and date; workers only ever list their own; starting a task
through the API takes it as the page does; scoped, read-only, queries fixed."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from houqin.checklists.models import Task
from tests.checklists.task_builders import NOW, at, campus, crew, plan, template
from tests.conftest import person, signed_in

pytestmark = pytest.mark.django_db
__all__ = ["campus", "crew", "template"]  # fixtures used here

TASKS = "/api/v1/tasks/"


@pytest.fixture(autouse=True)
def clock(time_machine) -> None:
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def schedules(org_a, department_head, template, worker, crew, campus) -> dict:
    return {
        "own": plan(org_a, department_head, template, person=worker, times=["15:00"], name="个人"),
        "team": plan(
            org_a,
            department_head,
            template,
            team=crew["team"],
            place=campus["men"],
            times=["09:00"],
            name="班组",
        ),
        "other": plan(org_a, department_head, template, person=crew["other"], name="别人"),
    }


def test_mine_lists_my_tasks_of_today_by_due_time(schedules, worker) -> None:
    body = signed_in(worker).get(TASKS, {"mine": "1"}).json()
    assert body["count"] == 2
    first, second = body["results"]
    assert (first["assignee"], first["place_name"], first["status_label"]) == (
        "班组：早班保洁组",
        "1层男卫生间",
        "待检查",
    )
    assert first["opens_at"] == "2026-09-30T09:00:00+08:00"
    assert (second["assignee"], second["template_name"], second["kind_label"]) == (
        "赵师傅",
        "公共卫生间保洁检查",
        "自查",
    )
    assert [r["id"] for r in body["results"]] == [
        t.pk
        for t in Task.objects.filter(
            opens_at__in=[at(9, 30, 9), at(9, 30, 15)], schedule__in=schedules.values()
        ).order_by("due_at")
    ]


def test_it_filters_by_date_and_status(schedules, worker, department_head) -> None:
    client = signed_in(worker)
    assert client.get(TASKS, {"mine": "1", "date": "2026-10-02"}).json()["count"] == 2
    Task.objects.filter(schedule=schedules["own"], opens_at=at(10, 2, 15)).update(status="done")
    done = client.get(TASKS, {"mine": "1", "status": "done"}).json()
    assert [r["opens_at"] for r in done["results"]] == ["2026-10-02T15:00:00+08:00"]
    assert client.get(TASKS, {"date": "2026-13-01"}).status_code == 400
    assert client.get(TASKS, {"status": "nope"}).json()["error"]["fields"] == {
        "status": ["没有这个状态。"]
    }
    everyone = signed_in(department_head).get(TASKS, {"date": "2026-10-02"}).json()
    assert everyone["count"] == 3  # the head sees the organization's tasks


def test_a_worker_only_ever_lists_their_own_tasks(schedules, worker, crew) -> None:
    client = signed_in(worker)
    listed = client.get(TASKS).json()
    assert listed["count"] == 14  # 7 days of theirs and 7 of their team's
    others = Task.objects.filter(schedule=schedules["other"]).first()
    assert client.get(f"{TASKS}{others.pk}/").status_code == 404


def test_starting_through_the_api_takes_the_task(schedules, worker, crew) -> None:
    task = Task.objects.filter(schedule=schedules["team"]).first()
    response = signed_in(worker).post(f"{TASKS}{task.pk}/start/")
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["taken_by_name"]) == (
        "in_progress",
        "赵师傅",
    )
    refused = signed_in(crew["mate"]).post(f"{TASKS}{task.pk}/start/")
    assert refused.status_code == 400
    assert refused.json()["error"]["fields"] == {
        "non_field_errors": ["这项任务已由赵师傅接手，你不用再做。"]
    }


def test_it_is_scoped_guarded_and_read_only(schedules, worker, org_b, served) -> None:
    stranger = person(org_b, "zed", "worker")
    assert signed_in(stranger).get(TASKS, {"mine": "1"}).json()["count"] == 0
    task = Task.objects.filter(schedule=schedules["own"]).first()
    assert signed_in(stranger).get(f"{TASKS}{task.pk}/").status_code == 404
    assert Client().get(TASKS).status_code in (401, 403)
    assert signed_in(served).get(TASKS).status_code == 403
    assert signed_in(worker).post(TASKS, {}).status_code in (403, 405)


def test_the_list_reads_the_same_queries_for_2_and_20_tasks(
    org_a, department_head, template, worker, crew
) -> None:
    plan(org_a, department_head, template, person=worker, times=["08:00", "15:00"])
    client = signed_in(worker)
    client.get(TASKS)  # the first request of a session does its own bookkeeping

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(TASKS, {"mine": "1"}).status_code == 200
        return len(captured)

    few = count()
    times = [f"{h:02d}:00" for h in range(6, 24)]
    plan(org_a, department_head, template, team=crew["team"], times=times, name="整点")
    assert client.get(TASKS, {"mine": "1"}).json()["count"] == 20
    assert count() == few
