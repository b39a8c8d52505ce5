"""Generating tasks from schedules: idempotent (running twice, or after a task was moved,
makes none), holidays and make-up workdays from the workday calendar, one task per room of a
kind, the schedule's assignee and kind copied, edits of a schedule or the calendar making
untouched future tasks again, the command, and a query count that does not grow with days."""

from __future__ import annotations

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from houqin.checklists.models import CalendarDay, Schedule, Task
from houqin.checklists.services import (
    calendar_day_remove,
    calendar_day_set,
    calendar_import,
    schedule_update,
    tasks_generate,
)
from houqin.common.changelog import changelog_entries
from houqin.places.services import equipment_create
from tests.checklists.task_builders import NOW, at, campus, crew, plan, template

pytestmark = pytest.mark.django_db
__all__ = ["campus", "crew", "template"]  # fixtures used here

NATIONAL_DAY = (
    "2026-09-20 上班 国庆节调休\n"
    + "".join(f"2026-10-0{d} 休息 国庆节\n" for d in range(1, 8))
    + "2026-10-10 上班 国庆节调休"
)


def days_of(schedule: Schedule) -> list[str]:
    return [
        f"{t.opens_at.astimezone(NOW.tzinfo):%m-%d}"
        for t in Task.objects.filter(schedule=schedule).order_by("opens_at", "pk")
    ]


def test_it_generates_once_however_often_it_runs(org_a, department_head, template, worker) -> None:
    schedule = plan(org_a, department_head, template, person=worker, times=["08:00", "14:00"])
    assert Task.objects.filter(schedule=schedule).count() == 14  # 7 days ahead on creation
    assert tasks_generate(start=date(2026, 9, 30), days=7, now=NOW) == 0
    assert tasks_generate(organization=org_a, start=date(2026, 9, 30), days=10, now=NOW) == 6
    assert tasks_generate(start=date(2026, 9, 28), days=12, now=NOW) == 0  # past ones: due
    task = Task.objects.filter(schedule=schedule).earliest("opens_at")
    assert task.occurrence == f"{schedule.pk}:-:2026-09-30T08:00:00+08:00"
    assert (task.person, task.kind, task.template, task.status) == (
        worker,
        "self",
        template,
        "pending",
    )
    assert task.due_at - task.opens_at == timedelta(minutes=120)


def test_a_moved_task_is_not_made_again_at_its_old_time(
    org_a, department_head, template, worker
) -> None:
    schedule = plan(org_a, department_head, template, person=worker, active=False)
    Schedule.objects.filter(pk=schedule.pk).update(active=True)
    assert tasks_generate(start=date(2026, 10, 1), days=1, now=NOW) == 1
    Task.objects.filter(schedule=schedule).update(opens_at=at(10, 3, 9), due_at=at(10, 3, 11))
    assert tasks_generate(start=date(2026, 10, 1), days=1, now=NOW) == 0


def test_workday_schedules_follow_the_calendar_of_their_own_organization(
    org_a, org_b, department_head, template, worker
) -> None:
    calendar_import(organization=org_a, actor=department_head, text=NATIONAL_DAY, now=NOW)
    CalendarDay.objects.create(organization=org_b, day=date(2026, 10, 9), workday=False)
    workdays = plan(org_a, department_head, template, person=worker, days="workdays")
    restdays = plan(
        org_a, department_head, template, person=worker, days="restdays", name="节假日巡查"
    )
    tasks_generate(start=date(2026, 9, 30), days=12, now=NOW)
    assert days_of(workdays) == ["09-30", "10-08", "10-09", "10-10"]
    assert days_of(restdays) == [f"10-0{d}" for d in range(1, 8)] + ["10-11"]


def test_one_task_per_active_room_of_the_kind_under_the_place(
    org_a, department_head, template, campus, crew
) -> None:
    rooms = plan(
        org_a,
        department_head,
        template,
        team=crew["team"],
        place=campus["building"],
        place_kind="room",
    )
    today = Task.objects.filter(schedule=rooms, opens_at=at(9, 30, 8))
    assert sorted(t.place.name for t in today) == ["1层女卫生间", "1层男卫生间"]
    assert {(t.team, t.person) for t in today} == {(crew["team"], None)}
    one = plan(
        org_a, department_head, template, team=crew["team"], place=campus["men"], name="男卫"
    )
    assert [t.place for t in Task.objects.filter(schedule=one, opens_at=at(9, 30, 8))] == [
        campus["men"]
    ]
    itself = plan(
        org_a,
        department_head,
        template,
        team=crew["team"],
        place=campus["elsewhere"],
        place_kind="room",
        name="2号楼",
    )
    assert (
        Task.objects.filter(schedule=itself, opens_at=at(9, 30, 8)).get().place
        == campus["elsewhere"]
    )
    lift = equipment_create(
        organization=org_a,
        data={"code": "DT-01", "type": "elevator", "name": "1号客梯", "place": campus["building"]},
        actor=None,
    )
    monthly = plan(
        org_a,
        department_head,
        template,
        post=crew["post"],
        equipment=lift,
        frequency="monthly",
        month_day=30,
        kind="patrol",
        name="电梯月检",
    )
    (task,) = Task.objects.filter(schedule=monthly)
    assert (task.equipment, task.place, task.post, task.kind) == (
        lift,
        None,
        crew["post"],
        "patrol",
    )


def test_a_schedule_that_makes_no_sense_is_refused_field_by_field(
    org_a, department_head, template, campus, crew, worker
) -> None:
    with pytest.raises(ValidationError) as caught:
        plan(
            org_a,
            department_head,
            template,
            person=worker,
            team=crew["team"],
            frequency="weekly",
            times=["8点"],
            place=campus["men"],
            place_kind="building",
            ends_on=date(2026, 8, 1),
        )
    errors = caught.value.message_dict
    assert set(errors) == {"person", "times", "weekdays", "place_kind", "ends_on"}
    assert errors["place_kind"] == ["“1层男卫生间”是房间，它下面没有楼宇。"]
    assert not Schedule.objects.exists()


def test_an_edit_makes_untouched_future_tasks_again_and_keeps_the_others(
    org_a, department_head, template, worker, crew
) -> None:
    schedule = plan(org_a, department_head, template, team=crew["team"])
    taken = Task.objects.get(schedule=schedule, opens_at=at(10, 1, 8))
    Task.objects.filter(pk=taken.pk).update(taken_by=worker, status="in_progress")
    later = NOW + timedelta(hours=3)
    schedule_update(schedule=schedule, actor=department_head, data={"times": ["09:30"]}, now=later)
    hours = sorted(
        {
            f"{t.opens_at.astimezone(NOW.tzinfo):%H:%M}"
            for t in Task.objects.filter(schedule=schedule)
        }
    )
    assert hours == ["08:00", "09:30"]
    assert Task.objects.filter(schedule=schedule, opens_at=at(9, 30, 8)).exists()  # already open
    assert Task.objects.filter(pk=taken.pk).exists()
    assert Task.objects.filter(schedule=schedule, opens_at__gte=at(10, 2)).count() == 5
    entry = changelog_entries(schedule)[0]
    assert entry.note == "未开始的任务 5 个按新设置重新生成。"
    assert entry.changes == {"times": ["08:00", "09:30"]}


def test_a_holiday_entered_late_takes_back_the_tasks_already_made(
    org_a, department_head, template, worker
) -> None:
    schedule = plan(org_a, department_head, template, person=worker, days="workdays")
    assert "10-01" in days_of(schedule)
    calendar_day_set(
        organization=org_a,
        actor=department_head,
        day=date(2026, 10, 1),
        workday=False,
        note="国庆节",
        now=NOW,
    )
    assert days_of(schedule) == ["09-30", "10-02", "10-05", "10-06"]
    day = CalendarDay.objects.get(day=date(2026, 10, 1))
    calendar_day_remove(day=day, actor=department_head, now=NOW)
    assert days_of(schedule) == ["09-30", "10-01", "10-02", "10-05", "10-06"]


def test_a_pasted_calendar_is_written_whole_or_not_at_all(org_a, department_head) -> None:
    with pytest.raises(ValidationError) as caught:
        calendar_import(
            organization=org_a, actor=department_head, text="2026-10-01 休息\n2026-10-32 休息"
        )
    assert caught.value.message_dict["text"] == [
        "第 2 行：日期“2026-10-32”不对，请写成 2026-10-01 这样。"
    ]
    assert not CalendarDay.objects.exists()
    assert calendar_import(organization=org_a, actor=department_head, text=NATIONAL_DAY) == 9
    assert calendar_import(organization=org_a, actor=department_head, text=NATIONAL_DAY) == 0
    assert CalendarDay.objects.get(day=date(2026, 10, 10)).note == "国庆节调休"


def test_generation_reads_a_fixed_number_of_queries_whatever_the_days(
    org_a, department_head, template, campus, crew
) -> None:
    for name in ("A", "B"):
        plan(
            org_a,
            department_head,
            template,
            team=crew["team"],
            place=campus["building"],
            place_kind="room",
            name=name,
            times=["08:00", "14:00"],
            active=False,
        )
    Schedule.objects.update(active=True)

    def run(start: date, days: int) -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            made = tasks_generate(start=start, days=days, now=NOW)
        reads = [q for q in queries.captured_queries if q["sql"].startswith("SELECT")]
        return made, len(reads)

    week, week_reads = run(date(2026, 10, 1), 7)
    month, month_reads = run(date(2026, 11, 1), 30)
    assert (week, month) == (56, 240)
    assert month_reads == week_reads == 5  # schedules, calendar, 2 subtrees, existing keys


def test_the_command_says_how_many_it_made(org_a, department_head, template, worker) -> None:
    plan(org_a, department_head, template, person=worker, active=False)
    Schedule.objects.update(active=True)
    out = StringIO()
    call_command(
        "generate_tasks", "--days", "3", "--date", "2099-01-01", "--org", "org-a", stdout=out
    )
    assert out.getvalue().strip() == "生成检查任务 3 个（已有的不重复生成）。"
    again = StringIO()
    call_command("generate_tasks", "--days", "3", "--date", "2099-01-01", stdout=again)
    assert again.getvalue().strip() == "生成检查任务 0 个（已有的不重复生成）。"
    with pytest.raises(CommandError, match="没有代码为“nope”的单位"):
        call_command("generate_tasks", "--org", "nope")
    with pytest.raises(CommandError, match="1 到 366"):
        call_command("generate_tasks", "--days", "0")


def test_a_schedule_with_a_time_stored_by_hand_is_skipped_and_the_others_run(
    org_a, department_head, template, worker, caplog
) -> None:
    good = plan(org_a, department_head, template, person=worker, active=False)
    bad = plan(org_a, department_head, template, person=worker, name="手工", active=False)
    Schedule.objects.filter(pk=bad.pk).update(times=["8点"])
    Schedule.objects.update(active=True)
    assert tasks_generate(start=date(2026, 10, 1), days=2, now=NOW) == 2
    assert {t.schedule for t in Task.objects.all()} == {good}
    assert f"schedule {bad.pk} has a time that is not HH:MM" in caplog.text
