"""One occurrence at a time: overdue (逾期) when the window closes and missed (漏检) a day
later, by the system and logged; a team's task taken by the first member who starts it; a
move or a reassignment with a reason that leaves the series alone; “my tasks” of a person,
their post and their team by due time; reminders before a window opens and closes, once."""

from __future__ import annotations

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from houqin.checklists.models import Schedule, Task
from houqin.checklists.services import (
    task_cancel,
    task_move,
    task_reassign,
    task_take,
    tasks_expire,
    tasks_for,
    tasks_generate,
    tasks_remind,
)
from houqin.common.changelog import changelog_entries
from houqin.common.models import Notification
from tests.checklists.task_builders import NOW, at, campus, crew, plan, template
from tests.conftest import person

pytestmark = pytest.mark.django_db
__all__ = ["campus", "crew", "template"]  # fixtures used here


@pytest.fixture
def team_task(org_a, department_head, template, crew) -> Task:
    schedule = plan(org_a, department_head, template, team=crew["team"], name="早班保洁")
    return Task.objects.get(schedule=schedule, opens_at=at(10, 1, 8))


def test_it_marks_late_tasks_overdue_then_missed_a_day_later(
    org_a, department_head, template, worker
) -> None:
    schedule = plan(org_a, department_head, template, person=worker)
    first = Task.objects.get(schedule=schedule, opens_at=at(9, 30, 8))
    assert tasks_expire(now=at(9, 30, 9, 59)) == {"overdue": 0, "missed": 0}
    assert tasks_expire(now=at(9, 30, 10)) == {"overdue": 1, "missed": 0}
    first.refresh_from_db()
    assert first.status == "overdue"
    entry = changelog_entries(first)[0]
    assert (entry.actor_name, entry.changes) == ("系统（自动）", {"status": ["待检查", "逾期"]})
    assert tasks_expire(now=at(10, 1, 9, 59)) == {"overdue": 0, "missed": 0}  # still doable
    assert tasks_expire(now=at(10, 3, 10)) == {"overdue": 3, "missed": 3}  # a job that slept
    assert list(
        Task.objects.filter(schedule=schedule, status="missed").values_list("opens_at", flat=True)
    ) == [at(9, 30, 8), at(10, 1, 8), at(10, 2, 8)]
    assert Task.objects.get(schedule=schedule, opens_at=at(10, 3, 8)).status == "overdue"


def test_the_first_member_who_starts_a_team_task_takes_it(team_task, worker, crew) -> None:
    assert tasks_for(worker, date(2026, 10, 1)) == [team_task]
    assert tasks_for(crew["mate"], date(2026, 10, 1)) == [team_task]
    task_take(task=team_task, actor=crew["mate"])
    team_task.refresh_from_db()
    assert (team_task.status, team_task.taken_by) == ("in_progress", crew["mate"])
    assert changelog_entries(team_task)[0].note == "钱保洁接手"
    with pytest.raises(ValidationError, match="这项任务已由钱保洁接手，你不用再做。"):
        task_take(task=Task.objects.get(pk=team_task.pk), actor=worker)
    assert tasks_for(worker, date(2026, 10, 1)) == []  # taken by someone else
    task_take(task=team_task, actor=crew["mate"])  # the one who took it carries on
    with pytest.raises(ValidationError, match="不是派给你的"):
        task_take(task=team_task, actor=crew["other"])  # on the post, not the team


def test_a_personal_task_is_only_its_persons(
    org_a, department_head, template, worker, crew
) -> None:
    schedule = plan(org_a, department_head, template, person=crew["other"])
    task = Task.objects.filter(schedule=schedule).first()
    with pytest.raises(ValidationError, match="不是派给你的"):
        task_take(task=task, actor=worker)
    task_take(task=task, actor=crew["other"])
    task.refresh_from_db()
    assert task.status == "in_progress" and changelog_entries(task)[0].note == ""


def test_my_tasks_are_mine_my_posts_and_my_teams_by_due_time(
    org_a, department_head, template, worker, crew, campus
) -> None:
    mine = plan(org_a, department_head, template, person=worker, times=["15:00"], name="个人")
    posts = plan(org_a, department_head, template, post=crew["post"], times=["09:00"], name="岗位")
    teams = plan(
        org_a,
        department_head,
        template,
        team=crew["team"],
        place=campus["floor"],
        place_kind="room",
        times=["07:30"],
        window_minutes=600,
        name="班组",
    )
    plan(org_a, department_head, template, person=crew["other"], name="别人的")
    found = tasks_for(worker, date(2026, 10, 1))
    assert [t.schedule for t in found] == [posts, mine, teams, teams]  # by due time
    Task.objects.filter(schedule=mine, opens_at=at(9, 30, 15)).update(status="overdue")
    assert tasks_for(worker, date(2026, 10, 1))[0].schedule == mine  # still doable
    Task.objects.filter(schedule=posts, opens_at=at(10, 1, 9)).update(status="cancelled")
    assert posts not in [t.schedule for t in tasks_for(worker, date(2026, 10, 1))]


def test_moving_one_occurrence_needs_a_reason_and_leaves_the_series(
    org_a, department_head, team_task, worker, crew
) -> None:
    with pytest.raises(ValidationError) as caught:
        task_move(
            task=team_task,
            actor=department_head,
            opens_at=at(10, 1, 9),
            due_at=at(10, 1, 8),
            reason=" ",
            now=NOW,
        )
    assert set(caught.value.message_dict) == {"reason", "due_at"}
    with pytest.raises(PermissionDenied):
        task_move(
            task=team_task, actor=worker, opens_at=at(10, 1, 9), due_at=at(10, 1, 11), reason="x"
        )
    task_move(
        task=team_task,
        actor=department_head,
        opens_at=at(10, 1, 13),
        due_at=at(10, 1, 15),
        reason="上午停水",
        now=NOW,
    )
    team_task.refresh_from_db()
    assert (team_task.opens_at, team_task.note) == (at(10, 1, 13), "上午停水")
    entry = changelog_entries(team_task)[0]
    assert entry.note == "上午停水"
    assert entry.changes["开始时间"] == ["2026-10-01 08:00", "2026-10-01 13:00"]
    assert tasks_generate(start=date(2026, 10, 1), days=1, now=NOW) == 0  # not made again
    assert Task.objects.filter(opens_at=at(10, 2, 8)).count() == 1  # the series is as it was
    told = Notification.objects.filter(title="检查任务的时间调整了")
    assert {n.recipient for n in told} == {worker, crew["mate"]}
    assert "10-01 13:00 至 15:00" in told[0].body and "上午停水" in told[0].body
    task_take(task=team_task, actor=worker)
    with pytest.raises(ValidationError, match="只能调整还没开始的任务"):
        task_move(
            task=team_task,
            actor=department_head,
            opens_at=at(10, 1, 16),
            due_at=at(10, 1, 17),
            reason="再改",
            now=NOW,
        )


def test_reassigning_one_occurrence_clears_the_taker_and_tells_the_new_person(
    org_a, department_head, team_task, crew, org_b
) -> None:
    stranger = person(org_b, "zed", "worker")
    with pytest.raises(ValidationError) as caught:
        task_reassign(task=team_task, actor=department_head, reason="", person=stranger)
    assert set(caught.value.message_dict) == {"person", "reason"}
    with pytest.raises(ValidationError, match="只选一个"):
        task_reassign(
            task=team_task,
            actor=department_head,
            reason="请假",
            person=crew["other"],
            post=crew["post"],
        )
    Task.objects.filter(pk=team_task.pk).update(status="overdue")
    team_task.refresh_from_db()
    task_reassign(task=team_task, actor=department_head, reason="赵师傅请假", person=crew["other"])
    team_task.refresh_from_db()
    assert (team_task.person, team_task.team, team_task.taken_by) == (crew["other"], None, None)
    assert changelog_entries(team_task)[0].changes == {"执行人": ["班组：早班保洁组", "孙保洁"]}
    assert Notification.objects.get(title="有一项检查任务改派给你").recipient == crew["other"]
    assert Task.objects.filter(team=crew["team"]).count() == 6  # the rest of the series


def test_cancelling_one_occurrence_needs_a_reason(department_head, team_task) -> None:
    with pytest.raises(ValidationError):
        task_cancel(task=team_task, actor=department_head, reason="  ")
    task_cancel(task=team_task, actor=department_head, reason="节日闭馆")
    team_task.refresh_from_db()
    assert team_task.status == "cancelled"
    assert tasks_expire(now=at(10, 9)) == {"overdue": 6, "missed": 6}  # the others only


def test_reminders_go_before_opening_and_before_closing_once(
    org_a, department_head, template, team_task, worker, crew
) -> None:
    assert tasks_remind(now=at(10, 1, 7, 20)) == 0  # 40 minutes before: too early
    assert tasks_remind(now=at(10, 1, 7, 31)) == 2  # both members of the team
    assert tasks_remind(now=at(10, 1, 7, 45)) == 0  # once
    opening = Notification.objects.get(recipient=worker)
    assert opening.title == "检查任务 08:00 开始：公共卫生间保洁检查"
    assert opening.link == f"/checklists/tasks/{team_task.pk}/"
    task_take(task=team_task, actor=crew["mate"])
    assert tasks_remind(now=at(10, 1, 9, 40)) == 1  # only the member who took it
    closing = Notification.objects.filter(recipient=crew["mate"]).first()
    assert closing.title == "检查任务 10:00 截止：公共卫生间保洁检查"
    Task.objects.filter(pk=team_task.pk).update(status="done")
    assert tasks_remind(now=at(10, 1, 9, 50) + timedelta(seconds=1)) == 0


def test_the_tick_generates_expires_and_reminds_once(
    org_a, department_head, template, worker, time_machine
) -> None:
    plan(org_a, department_head, template, person=worker, active=False)
    Schedule.objects.update(active=True)
    time_machine.move_to(at(9, 30, 7, 45), tick=False)
    out = StringIO()
    call_command("checklists_tick", stdout=out)
    assert out.getvalue().strip() == (
        "生成检查任务 7 个；标为逾期 0 个，标为漏检 0 个；发送提醒 1 条。"
    )
    time_machine.move_to(at(9, 30, 10, 5), tick=False)
    again = StringIO()
    call_command("checklists_tick", stdout=again)
    assert again.getvalue().strip() == (
        "生成检查任务 0 个；标为逾期 1 个，标为漏检 0 个；发送提醒 0 条。"
    )
