"""The workday calendar (工作日历): the days of a year that differ from the usual week — a
holiday on a weekday, a make-up workday on a weekend — added or removed one at a time with a
note, or imported for a year by pasting the State Council's notice as lines."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from houqin.accounts.models import User
from houqin.checklists import services
from houqin.checklists.forms import CalendarDayForm, CalendarImportForm
from houqin.checklists.models import CalendarDay
from houqin.checklists.scheduling import calendar_lines_parse
from houqin.checklists.selectors import calendar_days
from houqin.common.decorators import perm_required
from houqin.common.generic import add_errors, scoped_get

VIEW = "checklists.view_calendarday"
ADD = "checklists.add_calendarday"
DELETE = "checklists.delete_calendarday"
WEEKDAYS = "一二三四五六日"
YEARS_SHOWN = 50  # how far from this year the year switcher goes
EXAMPLE = "2026-10-01 休息 国庆节\n2026-10-02 休息 国庆节\n2026-10-10 上班 国庆节调休"


def _actor(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _year(request: HttpRequest) -> int:
    this = timezone.localdate().year
    value = request.GET.get("year", "")
    year = int(value) if value.isdigit() else this
    return year if abs(year - this) <= YEARS_SHOWN else this


def _calendar_url(year: int) -> str:
    return f"{reverse('checklists:calendar_list')}?year={year}"


def _page(request: HttpRequest, year: int, form: CalendarDayForm) -> HttpResponse:
    user = _actor(request)
    days = list(calendar_days(user=user, year=year))
    rows = [
        {
            "day": d,
            "weekday": f"周{WEEKDAYS[d.day.weekday()]}",
            "weekend": d.day.weekday() >= 5,
            "modal": f"remove-{d.pk}",
        }
        for d in days
    ]
    context = {
        "year": year,
        "rows": rows,
        "rest_count": sum(1 for d in days if not d.workday),
        "work_count": sum(1 for d in days if d.workday),
        "form": form,
        "can_add": user.has_perm(ADD),
        "can_delete": user.has_perm(DELETE),
        "previous": year - 1,
        "following": year + 1,
    }
    return render(request, "checklists/calendar_list.html", context)


@perm_required(VIEW)
def calendar_list(request: HttpRequest) -> HttpResponse:
    """The calendar's exceptions in a year, and the form to add one."""
    year = _year(request)
    return _page(request, year, CalendarDayForm(initial={"workday": "0"}))


@require_POST
@perm_required(ADD)
def calendar_day_add(request: HttpRequest) -> HttpResponse:
    """Add a day (or change one already there); tasks not started yet follow the calendar."""
    user = _actor(request)
    form = CalendarDayForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.calendar_day_set(
                organization=user.organization,
                actor=user,
                day=data["day"],
                workday=data["workday"],
                note=data["note"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            kind = "上班" if data["workday"] else "休息"
            messages.success(request, f"已记下：{data['day']:%Y-%m-%d} {kind}。")
            return redirect(_calendar_url(data["day"].year))
    year = form.cleaned_data["day"].year if "day" in form.cleaned_data else _year(request)
    return _page(request, year, form)


@require_POST
@perm_required(DELETE)
def calendar_day_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Remove a day: it counts as an ordinary day of the week again."""
    user = _actor(request)
    day: CalendarDay = scoped_get(CalendarDay, user, pk, "delete")
    year = day.day.year
    services.calendar_day_remove(day=day, actor=user)
    messages.success(request, f"已删除 {day.day:%Y-%m-%d}，这一天按平常的周一至周五上班。")
    return redirect(_calendar_url(year))


@perm_required(ADD)
def calendar_import(request: HttpRequest) -> HttpResponse:
    """Paste a year's holidays and make-up workdays, one day a line; nothing is written
    unless every line is right."""
    user = _actor(request)
    posted = request.POST if request.method == "POST" else None
    form = CalendarImportForm(posted)
    problems: list[str] = []
    if posted is not None and form.is_valid():
        try:
            count = services.calendar_import(
                organization=user.organization, actor=user, text=form.cleaned_data["text"]
            )
        except ValidationError as error:
            problems = error.message_dict.get("text", error.messages)
        else:
            messages.success(
                request, f"已导入，新增或修改了 {count} 天；还没开始的任务已按新日历调整。"
            )
            return redirect(_calendar_url(_first_year(form.cleaned_data["text"])))
    context: dict[str, Any] = {"form": form, "problems": problems, "example": EXAMPLE}
    return render(request, "checklists/calendar_import.html", context)


def _first_year(text: str) -> int:
    lines, _ = calendar_lines_parse(text)
    return lines[0].day.year if lines else timezone.localdate().year


urlpatterns = [
    path("calendar/", calendar_list, name="calendar_list"),
    path("calendar/add/", calendar_day_add, name="calendar_day_add"),
    path("calendar/<int:pk>/delete/", calendar_day_delete, name="calendar_day_delete"),
    path("calendar/import/", calendar_import, name="calendar_import"),
]
