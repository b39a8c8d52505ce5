"""Task pages (检查任务): the managers' list (filters, Excel export), a task's page with its
one-off changes — move, reassign, cancel, each with a reason — and “我的任务”, the phone
page of what a person has to check today, ordered by due time."""

from __future__ import annotations

import html
from datetime import date, datetime, timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_POST

from houqin.accounts.models import User
from houqin.checklists import services
from houqin.checklists.filters import TaskFilter
from houqin.checklists.forms import ASSIGNEE_FIELDS, ReasonForm, TaskMoveForm, TaskReassignForm
from houqin.checklists.models import InspectionKind, Task
from houqin.checklists.selectors import (
    assignee_label,
    subject_label,
    task_get,
    task_rows,
    tasks_for,
)
from houqin.checklists.task_services import may_do
from houqin.common.changelog import changelog_entries
from houqin.common.decorators import perm_required
from houqin.common.generic import Col, ObjectListView, add_errors
from houqin.common.icons import icon_svg
from houqin.common.lists import url_for_pk

VIEW_TASK = "checklists.view_task"
VIEW_SCHEDULE = "checklists.view_schedule"  # the managers' list: who may see the plans
CHANGE_TASK = "checklists.change_task"
T = Task.Status
KIND_LABELS = dict(InspectionKind.choices)
STATUS_LABELS = dict(T.choices)
STATUS_LOOK: dict[str, tuple[str, str]] = {  # colour, icon: never colour alone
    T.PENDING: ("blue", "clock"),
    T.IN_PROGRESS: ("azure", "pencil"),
    T.DONE: ("green", "circle-check"),
    T.OVERDUE: ("red", "alert-triangle"),
    T.MISSED: ("red", "x"),
    T.CANCELLED: ("secondary", "ban"),
}
STATUS_HTML: dict[str, SafeString] = {
    status: mark_safe(  # noqa: S308  (our own labels and icons)
        f'<span class="badge bg-{colour}-lt" data-status="{status}">{icon_svg(icon)}'
        f"{STATUS_LABELS[status]}</span>"
    )
    for status, (colour, icon) in STATUS_LOOK.items()
}
WEEKDAYS = "一二三四五六日"


def _actor(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _now() -> datetime:
    """The moment the pages count from (tests replace it)."""
    return timezone.now()


def when_words(opens: datetime, due: datetime) -> str:
    """A window in words: “10-01 周四 08:00–10:00”, the end's day named when it differs."""
    start, end = timezone.localtime(opens), timezone.localtime(due)
    until = f"{end:%H:%M}" if end.date() == start.date() else f"{end:%m-%d %H:%M}"
    return f"{start:%m-%d} 周{WEEKDAYS[start.weekday()]} {start:%H:%M}–{until}"


def _list_when(task: Task) -> str:
    return when_words(task.opens_at, task.due_at)


COLUMNS = [
    Col("时间", _list_when, "opens_at"),
    Col("检查表", lambda t: t.template.name, "template__name"),
    Col("查什么", lambda t: subject_label(t) if t.place_id or t.equipment_id else ""),
    Col("由谁检查", assignee_label),
    Col("检查类型", lambda t: KIND_LABELS.get(t.kind, ""), "kind"),
    Col("状态", lambda t: STATUS_LABELS.get(t.status, ""), "status"),
]


class TaskListView(ObjectListView):
    """Every task of the organization, for those who run the checks."""

    model = Task
    title = "检查任务"
    columns = COLUMNS
    default_sort = "-opens_at"
    filterset_class = TaskFilter
    search_fields = ("template__name", "place__name", "equipment__name")
    search_hint = "检查表、场所或设备名称"
    detail_url_name = "checklists:task_detail"
    template_name = "checklists/task_list.html"
    bulk_actions = {}

    filter_columns = "col-6 col-md-3 col-xl-2"

    def get_queryset(self) -> Any:
        return task_rows(user=self.request.user)

    def row_html(self, row: Task, selectable: bool = False) -> SafeString:
        url = html.escape(url_for_pk(self.detail_url_name, row.pk))
        taken = (
            f'<div class="small text-secondary">{html.escape(row.taken_by.name)} 接手</div>'
            if row.taken_by_id and row.taken_by_id != row.person_id
            else ""
        )
        late = ' class="table-danger"' if row.status in (T.OVERDUE, T.MISSED) else ""
        cells = [
            f'<td class="text-nowrap"><a href="{url}">{html.escape(_list_when(row))}</a></td>',
            f'<td data-label="检查表">{html.escape(row.template.name)}</td>',
            f'<td data-label="查什么">{html.escape(subject_label(row))}</td>',
            f'<td data-label="由谁检查">{html.escape(assignee_label(row))}{taken}</td>',
            f'<td data-label="检查类型">{KIND_LABELS.get(row.kind, "")}</td>',
            f'<td data-label="状态">{STATUS_HTML[row.status]}</td>',
        ]
        return mark_safe(f"<tr{late}>" + "".join(cells) + "</tr>")  # noqa: S308  (escaped)


task_list = perm_required(VIEW_SCHEDULE)(TaskListView.as_view())  # type: ignore[arg-type]


def _buttons(task: Task, user: User) -> dict[str, bool]:
    own = task.organization_id == user.organization_id
    manager = own and user.has_perm(CHANGE_TASK)
    return {
        "can_start": task.status in (T.PENDING, T.OVERDUE, T.IN_PROGRESS)
        and task.taken_by_id in (None, user.pk)
        and may_do(user, task),
        "can_move": manager and task.status == T.PENDING,
        "can_reassign": manager and task.status in (T.PENDING, T.OVERDUE),
        "can_cancel": manager
        and task.status in (T.PENDING, T.OVERDUE)
        and user.has_perm(Task.workflow.transitions["cancel"].permission),
    }


def _task_context(task: Task) -> dict[str, Any]:
    open_now = task.status in (T.PENDING, T.IN_PROGRESS)
    return {
        "task": task,
        "when": when_words(task.opens_at, task.due_at),
        "what": subject_label(task) if task.place_id or task.equipment_id else "不限地点",
        "late": task.status in (T.OVERDUE, T.MISSED) or (open_now and task.due_at <= _now()),
        "who": assignee_label(task),
        "kind": KIND_LABELS.get(task.kind, ""),
        "status_html": STATUS_HTML[task.status],
    }


@perm_required(VIEW_TASK)
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One task: what, where, when, who; starting it; and, for those who run the checks,
    moving, reassigning or cancelling this one occurrence."""
    user = _actor(request)
    task = task_get(user=user, pk=pk)
    context = {
        **_task_context(task),
        **_buttons(task, user),
        "cancel_form": ReasonForm(),
        "changelog": changelog_entries(task),
        "can_see_schedule": bool(task.schedule_id) and user.has_perm(VIEW_SCHEDULE),
        "manager": user.has_perm(VIEW_SCHEDULE),
    }
    return render(request, "checklists/task_detail.html", context)


def _managed(request: HttpRequest, pk: int) -> Task:
    user = _actor(request)
    task = task_get(user=user, pk=pk, action="change")
    if task.organization_id != user.organization_id:
        raise PermissionDenied
    return task


@perm_required(CHANGE_TASK)
def task_move(request: HttpRequest, pk: int) -> HttpResponse:
    """Move this one occurrence to another window (the schedule's other tasks stay)."""
    user, task = _actor(request), _managed(request, pk)
    posted = request.POST if request.method == "POST" else None
    initial = {
        "opens_at": timezone.localtime(task.opens_at),
        "due_at": timezone.localtime(task.due_at),
    }
    form = TaskMoveForm(posted, initial=initial)
    if posted is not None and form.is_valid():
        try:
            services.task_move(
                task=task,
                actor=user,
                opens_at=form.cleaned_data["opens_at"],
                due_at=form.cleaned_data["due_at"],
                reason=form.cleaned_data["reason"],
                now=_now(),
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request, f"已调整这次任务的时间：{when_words(task.opens_at, task.due_at)}。"
            )
            return redirect("checklists:task_detail", pk=task.pk)
    context = {**_task_context(task), "form": form}
    return render(request, "checklists/task_move.html", context)


@perm_required(CHANGE_TASK)
def task_reassign(request: HttpRequest, pk: int) -> HttpResponse:
    """Give this one occurrence to someone else (the schedule's other tasks stay)."""
    user, task = _actor(request), _managed(request, pk)
    posted = request.POST if request.method == "POST" else None
    form = TaskReassignForm(posted, organization_id=user.organization_id)
    if posted is not None and form.is_valid():
        data = form.cleaned_data
        try:
            services.task_reassign(
                task=task,
                actor=user,
                reason=data["reason"],
                **{name: data.get(name) for name in ASSIGNEE_FIELDS},
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, f"这次任务已改派给{assignee_label(task)}。")
            return redirect("checklists:task_detail", pk=task.pk)
    context = {
        **_task_context(task),
        "form": form,
        "assignee_fields": [form[name] for name in ASSIGNEE_FIELDS],
    }
    return render(request, "checklists/task_reassign.html", context)


@require_POST
@perm_required(CHANGE_TASK)
def task_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    user, task = _actor(request), _managed(request, pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请写明取消的原因。")
        return redirect("checklists:task_detail", pk=task.pk)
    try:
        services.task_cancel(task=task, actor=user, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, "这次任务已取消，计划的其他任务不变。")
    return redirect("checklists:task_detail", pk=task.pk)


def _day(request: HttpRequest, today: date) -> date:
    try:
        return date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        return today


@perm_required(VIEW_TASK)
def my_tasks(request: HttpRequest) -> HttpResponse:
    """我的任务: the day's tasks of the person, of their post, team and vendor (those no one
    else has taken), and any still overdue, by due time; big tap targets for a phone."""
    user = _actor(request)
    now = _now()
    today = timezone.localdate(now)
    day = _day(request, today)
    tasks = tasks_for(user, day)
    cards: list[dict[str, Any]] = []
    for task in tasks:
        opens, due = timezone.localtime(task.opens_at), timezone.localtime(task.due_at)
        late = task.status in (T.OVERDUE, T.MISSED) or (
            task.status in (T.PENDING, T.IN_PROGRESS) and task.due_at <= now
        )
        cards.append(
            {
                "task": task,
                "url": url_for_pk("checklists:task_detail", task.pk),
                "time": f"{opens:%H:%M}–{due:%H:%M}",
                "start": f"{opens:%H:%M}",
                "end": f"{due:%H:%M}" if due.date() == opens.date() else f"{due:%m-%d %H:%M}",
                "day": "" if opens.date() == day else f"{opens:%m-%d}",
                "what": subject_label(task),
                "who": assignee_label(task) if not task.person_id else "",
                "status": STATUS_HTML[task.status],
                "late": late,
                "done": task.status in (T.DONE, T.CANCELLED),
            }
        )
    open_count = sum(1 for c in cards if not c["done"])
    context = {
        "cards": cards,
        "day": day,
        "today": today,
        "is_today": day == today,
        "day_words": format_html(
            "{}年{}月{}日 周{}", day.year, day.month, day.day, WEEKDAYS[day.weekday()]
        ),
        "previous": (day - timedelta(days=1)).isoformat(),
        "following": (day + timedelta(days=1)).isoformat(),
        "open_count": open_count,
        "late_count": sum(1 for c in cards if c["late"]),
        "done_count": sum(1 for task in tasks if task.status == T.DONE),
    }
    return render(request, "checklists/my_tasks.html", context)


urlpatterns = [
    path("tasks/", task_list, name="task_list"),
    path("tasks/<int:pk>/", task_detail, name="task_detail"),
    path("tasks/<int:pk>/move/", task_move, name="task_move"),
    path("tasks/<int:pk>/reassign/", task_reassign, name="task_reassign"),
    path("tasks/<int:pk>/cancel/", task_cancel, name="task_cancel"),
    path("my/", my_tasks, name="my_tasks"),
]
