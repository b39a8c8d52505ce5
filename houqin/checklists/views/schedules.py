"""Schedule pages (检查计划): the list, a schedule's page with its recurrence in words, the
next five checks and the tasks made so far, and the form that shows only the fields of the
chosen frequency and kind of assignee."""

from __future__ import annotations

import copy
import html
from datetime import datetime, timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from houqin.accounts.models import User
from houqin.checklists import scheduling, services
from houqin.checklists.forms import ASSIGNEE_FIELDS, ScheduleForm
from houqin.checklists.models import InspectionKind, Schedule
from houqin.checklists.selectors import (
    assignee_label,
    calendar_overrides,
    day_bounds,
    schedule_get,
    schedule_rows,
    subject_label,
)
from houqin.checklists.task_services import GENERATE_AHEAD_DAYS
from houqin.checklists.views.tasks import STATUS_HTML, when_words
from houqin.common.changelog import changelog_entries
from houqin.common.decorators import perm_required
from houqin.common.generic import Col, ObjectListView, add_errors
from houqin.common.lists import url_for_pk
from houqin.places.models import Place

VIEW = "checklists.view_schedule"
ADD = "checklists.add_schedule"
CHANGE = "checklists.change_schedule"
KIND_LABELS = dict(InspectionKind.choices)
PLACE_KINDS = dict(Place.Kind.choices)
PREVIEW = 5
RECENT_TASKS = 10


def _actor(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _now() -> datetime:
    """The moment the preview counts from (tests replace it)."""
    return timezone.now()


def what_words(schedule: Schedule) -> str:
    """Where or on what, in words: “1号楼下的每个房间”, a place, a piece of equipment."""
    if schedule.place_id and schedule.place_kind:
        return f"{schedule.place}下的每个{PLACE_KINDS.get(schedule.place_kind, '')}"
    return subject_label(schedule) if (schedule.place_id or schedule.equipment_id) else "不限"


def _describe(schedule: Schedule) -> str:
    try:
        return scheduling.describe(schedule)
    except ValueError:  # a time stored by hand that is not HH:MM
        return "（时间设置有误，请修改）"


COLUMNS = [
    Col("名称", lambda s: s.name, "name"),
    Col("检查表", lambda s: s.template.name, "template__name"),
    Col("什么时候", _describe),
    Col("由谁检查", assignee_label),
    Col("查什么", what_words),
    Col("状态", lambda s: "启用" if s.active else "停用", "active"),
]


class ScheduleListView(ObjectListView):
    """The organization's schedules."""

    model = Schedule
    title = "检查计划"
    columns = COLUMNS
    default_sort = "name"
    search_fields = ("name", "template__name")
    search_hint = "计划名称或检查表"
    detail_url_name = "checklists:schedule_detail"
    create_url_name = "checklists:schedule_create"
    empty_text = (
        "检查计划规定谁在什么时候用哪张检查表检查哪里。新建一个计划，"
        "系统会按计划提前生成检查任务，执行人在“我的任务”里看到。"
    )
    template_name = "checklists/schedule_list.html"
    bulk_actions = {}

    def get_queryset(self) -> Any:
        return schedule_rows(user=self.request.user)

    def row_html(self, row: Schedule, selectable: bool = False) -> SafeString:
        url = html.escape(url_for_pk(self.detail_url_name, row.pk))
        off = "" if row.active else ' <span class="badge bg-secondary-lt">停用</span>'
        cells = [
            f'<td class="text-break"><a href="{url}">{html.escape(row.name)}</a>{off}</td>',
            f'<td data-label="检查表">{html.escape(row.template.name)}</td>',
            f'<td class="text-break" data-label="什么时候">{html.escape(_describe(row))}</td>',
            f'<td data-label="由谁检查">{html.escape(assignee_label(row))}</td>',
            f'<td data-label="查什么">{html.escape(what_words(row))}</td>',
            f'<td data-label="状态">{"启用" if row.active else "停用"}</td>',
        ]
        return mark_safe("<tr>" + "".join(cells) + "</tr>")  # noqa: S308  (escaped above)


schedule_list = ScheduleListView.as_view()


@perm_required(VIEW)
def schedule_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A schedule: its settings in words, the next five checks under the workday calendar,
    the tasks from today on and the change log."""
    user = _actor(request)
    schedule = schedule_get(user=user, pk=pk)
    now = _now()
    today = timezone.localdate(now)
    overrides = calendar_overrides(
        [schedule.organization_id], today, today + timedelta(days=scheduling.PREVIEW_HORIZON)
    ).get(schedule.organization_id, {})
    try:
        upcoming = scheduling.next_occurrences(schedule, overrides, now, PREVIEW)
    except ValueError:
        upcoming = []
    tasks = list(
        schedule.tasks.filter(due_at__gte=day_bounds(today)[0])
        .select_related("place", "equipment", "taken_by")
        .order_by("opens_at", "pk")[:RECENT_TASKS]
    )
    context = {
        "schedule": schedule,
        "recurrence": _describe(schedule),
        "what": what_words(schedule),
        "who": assignee_label(schedule),
        "kind": KIND_LABELS.get(schedule.kind, ""),
        "upcoming": [when_words(opens, due) for opens, due in upcoming],
        "tasks": [
            (t, when_words(t.opens_at, t.due_at), subject_label(t), STATUS_HTML[t.status])
            for t in tasks
        ],
        "changelog": changelog_entries(schedule),
        "ahead": GENERATE_AHEAD_DAYS,
        "can_change": schedule.organization_id == user.organization_id and user.has_perm(CHANGE),
    }
    return render(request, "checklists/schedule_detail.html", context)


def _form_page(request: HttpRequest, form: ScheduleForm, schedule: Schedule | None) -> HttpResponse:
    cancel = (
        url_for_pk("checklists:schedule_detail", schedule.pk)
        if schedule
        else reverse("checklists:schedule_list")
    )
    context = {
        "form": form,
        "schedule": schedule,
        "cancel_url": cancel,
        "assignee_fields": [form[name] for name in ASSIGNEE_FIELDS],
    }
    return render(request, "checklists/schedule_form.html", context)


@perm_required(ADD)
def schedule_create(request: HttpRequest) -> HttpResponse:
    user = _actor(request)
    posted = request.POST if request.method == "POST" else None
    initial = {"starts_on": timezone.localdate(), "times": ["08:00"], "frequency": "daily"}
    if request.GET.get("template", "").isdigit():
        initial["template"] = int(request.GET["template"])
    form = ScheduleForm(posted, initial=initial, organization_id=user.organization_id)
    if posted is not None and form.is_valid():
        try:
            schedule = services.schedule_create(
                organization=user.organization, actor=user, data=form.data_for_service()
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, f"已新建检查计划“{schedule}”，最近几天的任务已经生成。")
            return redirect("checklists:schedule_detail", pk=schedule.pk)
    return _form_page(request, form, None)


@perm_required(CHANGE)
def schedule_update(request: HttpRequest, pk: int) -> HttpResponse:
    user = _actor(request)
    schedule = schedule_get(user=user, pk=pk, action="change")
    posted = request.POST if request.method == "POST" else None
    form = ScheduleForm(posted, instance=copy.copy(schedule), organization_id=user.organization_id)
    if posted is not None and form.is_valid():
        try:
            services.schedule_update(schedule=schedule, actor=user, data=form.data_for_service())
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, "已保存；还没开始的任务已按新的设置重新生成。")
            return redirect("checklists:schedule_detail", pk=schedule.pk)
    return _form_page(request, form, schedule)


urlpatterns = [
    path("schedules/", schedule_list, name="schedule_list"),
    path("schedules/new/", schedule_create, name="schedule_create"),
    path("schedules/<int:pk>/", schedule_detail, name="schedule_detail"),
    path("schedules/<int:pk>/edit/", schedule_update, name="schedule_update"),
]
