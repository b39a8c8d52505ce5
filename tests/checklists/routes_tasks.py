"""Sweep entries for the schedule, workday calendar and task routes (see
tests/test_url_sweep.py) and the org-A rows they take."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from tests.routes import Route

SCHEDULE = "checklists.schedule"
TASK = "checklists.task"
DAY = "checklists.calendarday"
VIEW_SCHEDULE = "checklists.view_schedule"
CHANGE_TASK = "checklists.change_task"
ADD_DAY = "checklists.add_calendarday"

ROUTES: dict[str, Route] = {
    "checklists:schedule_list": Route(VIEW_SCHEDULE, denied="worker"),
    "checklists:schedule_create": Route("checklists.add_schedule", denied="leader"),
    "checklists:schedule_detail": Route(VIEW_SCHEDULE, sample=SCHEDULE, denied="worker"),
    "checklists:schedule_update": Route(
        "checklists.change_schedule", sample=SCHEDULE, denied="leader"
    ),
    "checklists:calendar_list": Route("checklists.view_calendarday", denied="worker"),
    "checklists:calendar_day_add": Route(ADD_DAY, method="post", denied="leader"),
    "checklists:calendar_day_delete": Route(
        "checklists.delete_calendarday", sample=DAY, method="post", denied="leader"
    ),
    "checklists:calendar_import": Route(ADD_DAY, denied="leader"),
    "checklists:task_list": Route(VIEW_SCHEDULE, denied="worker"),
    "checklists:task_detail": Route("checklists.view_task", sample=TASK, denied="served"),
    "checklists:task_move": Route(CHANGE_TASK, sample=TASK, denied="leader"),
    "checklists:task_reassign": Route(CHANGE_TASK, sample=TASK, denied="leader"),
    "checklists:task_cancel": Route(CHANGE_TASK, sample=TASK, method="post", denied="leader"),
    "checklists:my_tasks": Route("checklists.view_task", denied="served"),
    "api:task-list": Route("checklists.view_task", denied="served"),
    "api:task-detail": Route("checklists.view_task", sample=TASK, denied="served"),
    "api:task-start": Route("checklists.add_record", sample=TASK, method="post", denied="leader"),
}


def sample(app_model: str, org: Any) -> Any:
    """An org-A row for a sweep route that takes a schedule, a task or a calendar day."""
    from houqin.checklists.models import CalendarDay, ChecklistTemplate, Schedule, Task

    if app_model == DAY:
        return CalendarDay.objects.get_or_create(
            organization=org, day=date(2026, 10, 1), defaults={"workday": False, "note": "国庆节"}
        )[0]
    template = ChecklistTemplate.objects.get_or_create(organization=org, name="样例检查表")[0]
    schedule = Schedule.objects.get_or_create(
        organization=org,
        name="样例计划",
        defaults={"template": template, "times": ["08:00"], "starts_on": date(2026, 1, 1)},
    )[0]
    if app_model == SCHEDULE:
        return schedule
    if app_model == TASK:
        opens = timezone.now() + timedelta(hours=1)
        return Task.objects.create(
            organization=org,
            template=template,
            schedule=schedule,
            occurrence=f"{schedule.pk}:-:{opens.isoformat()}",
            kind="self",
            opens_at=opens,
            due_at=opens + timedelta(hours=2),
        )
    raise LookupError(f"no sample maker for {app_model} in tests/checklists/routes_tasks.py")
