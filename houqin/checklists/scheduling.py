"""When a schedule's checks fall due — pure functions, no database.

A schedule recurs daily, weekly on some weekdays, every N days counted from its first day,
or monthly on a day (a month without that day uses its last day). ``days`` keeps the checks
to workdays or rest days: a workday is Monday to Friday unless the workday calendar says
otherwise (a holiday on a weekday, a make-up workday on a weekend: 调休). A daily, weekly or
every-N-days check on a day of the wrong kind is skipped; a monthly one moves forward to
the next day of the right kind (顺延), so that no month goes without its check.

Each day gives one check per time of day; a check opens at that local time
(``settings.TIME_ZONE``) and is due ``window_minutes`` of elapsed time later."""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Protocol
from zoneinfo import ZoneInfo

from django.conf import settings

DAILY, WEEKLY, EVERY_N_DAYS, MONTHLY = "daily", "weekly", "every_n_days", "monthly"
ALL, WORKDAYS, RESTDAYS = "all", "workdays", "restdays"
WEEKDAY_NAMES = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
SHIFT_LIMIT = 31  # days a monthly check may move forward to reach a day of the right kind
PREVIEW_HORIZON = 400  # days searched ahead for the next occurrences of a schedule
MINUTES_PER_HOUR = 60
MINUTES_PER_DAY = 24 * 60

Overrides = Mapping[date, bool]  # day → is it a workday (the calendar's exceptions only)


class Recurrence(Protocol):
    """What a schedule says about when (``checklists.Schedule`` has these fields)."""

    frequency: str
    interval: int
    weekdays: Sequence[int]
    month_day: int | None
    times: Sequence[str]
    days: str
    window_minutes: int
    starts_on: date
    ends_on: date | None


def local_zone() -> tzinfo:
    return ZoneInfo(settings.TIME_ZONE)


def is_workday(day: date, overrides: Overrides) -> bool:
    """Monday to Friday, unless the calendar says otherwise for that day."""
    found = overrides.get(day)
    return found if found is not None else day.isoweekday() <= 5


def _kind_ok(day: date, days: str, overrides: Overrides) -> bool:
    if days == WORKDAYS:
        return is_workday(day, overrides)
    if days == RESTDAYS:
        return not is_workday(day, overrides)
    return True


def _each_day(first: date, last: date) -> Iterator[date]:
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


def _month_starts(first: date, last: date) -> Iterator[tuple[int, int]]:
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        yield year, month
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def month_day_in(year: int, month: int, wanted: int) -> date:
    """The ``wanted`` day of the month, or its last day when the month is shorter."""
    return date(year, month, min(wanted, calendar.monthrange(year, month)[1]))


def _shifted(day: date, days: str, overrides: Overrides) -> date | None:
    """The day itself when it is of the right kind, else the next one that is (顺延)."""
    for offset in range(SHIFT_LIMIT + 1):
        candidate = day + timedelta(days=offset)
        if _kind_ok(candidate, days, overrides):
            return candidate
    return None


def due_days(schedule: Recurrence, overrides: Overrides, start: date, end: date) -> list[date]:
    """The days in [start, end] (both included) on which the schedule's checks fall."""
    first = max(start, schedule.starts_on)
    last = min(end, schedule.ends_on) if schedule.ends_on else end
    if schedule.frequency == MONTHLY:
        return _monthly_days(schedule, overrides, start, end)
    if first > last:
        return []
    weekdays = set(schedule.weekdays or [schedule.starts_on.isoweekday()])
    step = max(int(schedule.interval or 1), 1)
    result = []
    for day in _each_day(first, last):
        if schedule.frequency == WEEKLY and day.isoweekday() not in weekdays:
            continue
        if schedule.frequency == EVERY_N_DAYS and (day - schedule.starts_on).days % step:
            continue
        if _kind_ok(day, schedule.days, overrides):
            result.append(day)
    return result


def _monthly_days(schedule: Recurrence, overrides: Overrides, start: date, end: date) -> list[date]:
    """A monthly check belongs to the month of its nominal day (which must lie within the
    series); moved forward, it may land a few days later, even in the next month."""
    wanted = schedule.month_day or schedule.starts_on.day
    result = []
    for year, month in _month_starts(start - timedelta(days=SHIFT_LIMIT), end):
        nominal = month_day_in(year, month, wanted)
        if nominal < schedule.starts_on or (schedule.ends_on and nominal > schedule.ends_on):
            continue
        day = _shifted(nominal, schedule.days, overrides)
        if day is not None and start <= day <= end:
            result.append(day)
    return sorted(set(result))


def clock_times(schedule: Recurrence) -> list[time]:
    """The schedule's times of day, sorted (stored as "HH:MM" strings)."""
    return sorted({time.fromisoformat(value) for value in schedule.times})


def occurrences(
    schedule: Recurrence,
    overrides: Overrides,
    start: date,
    end: date,
    zone: tzinfo | None = None,
) -> list[tuple[datetime, datetime]]:
    """(opens_at, due_at) of every check whose day lies in [start, end], in time order.
    Times are local (aware, in ``zone`` — the site's time zone by default); the window is
    elapsed time, so it stays exact across a daylight-saving change in zones that have one."""
    zone = zone or local_zone()
    window = timedelta(minutes=schedule.window_minutes)
    times = clock_times(schedule)
    result = []
    for day in due_days(schedule, overrides, start, end):
        for moment in times:
            opens = datetime.combine(day, moment, tzinfo=zone)
            due = (opens.astimezone(UTC) + window).astimezone(zone)
            result.append((opens, due))
    return result


def next_occurrences(
    schedule: Recurrence,
    overrides: Overrides,
    after: datetime,
    count: int = 5,
    zone: tzinfo | None = None,
) -> list[tuple[datetime, datetime]]:
    """The next ``count`` checks that open at or after ``after`` (searched a month at a time,
    at most ``PREVIEW_HORIZON`` days ahead)."""
    zone = zone or local_zone()
    found: list[tuple[datetime, datetime]] = []
    day = after.astimezone(zone).date()
    stop = day + timedelta(days=PREVIEW_HORIZON)
    while len(found) < count and day <= stop:
        chunk_end = min(day + timedelta(days=30), stop)
        found += [
            pair
            for pair in occurrences(schedule, overrides, day, chunk_end, zone)
            if pair[0] >= after
        ]
        day = chunk_end + timedelta(days=1)
    return found[:count]


# ---- words -------------------------------------------------------------------------------


def duration_words(minutes: int) -> str:
    """120 → "2 小时", 90 → "1 小时 30 分钟", 1440 → "1 天"."""
    days, rest = divmod(minutes, MINUTES_PER_DAY)
    hours, mins = divmod(rest, MINUTES_PER_HOUR)
    parts = [f"{days} 天" if days else "", f"{hours} 小时" if hours else ""]
    parts.append(f"{mins} 分钟" if mins or not (days or hours) else "")
    return " ".join(p for p in parts if p)


def weekday_words(weekdays: Sequence[int]) -> str:
    return "、".join(WEEKDAY_NAMES[d - 1] for d in sorted(set(weekdays)) if 1 <= d <= 7)


def describe(schedule: Recurrence) -> str:
    """The recurrence in one sentence, e.g. "每周一、周三 08:00、14:00，只在工作日，开始后
    2 小时内完成"."""
    times = "、".join(t.strftime("%H:%M") for t in clock_times(schedule))
    if schedule.frequency == WEEKLY:
        when = f"每{weekday_words(schedule.weekdays or [schedule.starts_on.isoweekday()])}"
    elif schedule.frequency == EVERY_N_DAYS:
        when = f"每 {schedule.interval} 天一次（从 {schedule.starts_on:%Y-%m-%d} 算起）"
    elif schedule.frequency == MONTHLY:
        day = schedule.month_day or schedule.starts_on.day
        when = f"每月 {day} 日" + ("（没有这一天的月份取最后一天）" if day > 28 else "")
    else:
        when = "每天"
    days = {
        WORKDAYS: "，只在工作日",
        RESTDAYS: "，只在休息日",
    }.get(schedule.days, "")
    if days and schedule.frequency == MONTHLY:
        days += "（遇" + ("休息日" if schedule.days == WORKDAYS else "工作日") + "顺延）"
    return f"{when} {times}{days}，开始后 {duration_words(schedule.window_minutes)}内完成"


# ---- parsing what people type ------------------------------------------------------------

_TIME = re.compile(r"^(\d{1,2})[:：](\d{2})$")
_SEPARATORS = re.compile(r"[,，、;；\s]+")


def times_parse(text: str) -> list[str]:
    """ "8:00，14:30" → ["08:00", "14:30"] (sorted, without repeats); ValueError in Chinese
    for anything else."""
    values = [v for v in _SEPARATORS.split(text.strip()) if v]
    if not values:
        raise ValueError("请至少填写一个开始时间，例如 08:00。")
    result = set()
    for value in values:
        match = _TIME.match(value)
        hour, minute = (int(match.group(1)), int(match.group(2))) if match else (-1, -1)
        if not (0 <= hour <= 23 and 0 <= minute <= 59):
            raise ValueError(f"“{value}”不是有效的时间，请写成 08:00 这样的 24 小时制。")
        result.add(f"{hour:02d}:{minute:02d}")
    return sorted(result)


@dataclass(frozen=True)
class CalendarLine:
    """One line of a pasted workday calendar: a day, whether people work, a note."""

    day: date
    workday: bool
    note: str


WORK_WORDS = frozenset({"上班", "补班", "工作日", "班"})
REST_WORDS = frozenset({"休息", "放假", "休息日", "休"})
NOTE_LIMIT = 40
_DATE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")


def calendar_lines_parse(text: str) -> tuple[list[CalendarLine], list[str]]:
    """Lines such as "2026-10-01 休息 国庆节" or "2026-10-10 上班 调休" → the days, and a
    message for every bad line (blank lines are skipped). Nothing is valid if any line is
    not: the caller writes nothing then."""
    lines: list[CalendarLine] = []
    errors: list[str] = []
    seen: dict[date, int] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        parts = raw.split(maxsplit=2)
        if not parts:
            continue
        where = f"第 {number} 行"
        match = _DATE.match(parts[0])
        try:
            day = date(*(int(g) for g in match.groups())) if match else None
        except ValueError:
            day = None
        if day is None:
            errors.append(f"{where}：日期“{parts[0]}”不对，请写成 2026-10-01 这样。")
            continue
        word = parts[1] if len(parts) > 1 else ""
        if word not in WORK_WORDS | REST_WORDS:
            errors.append(f"{where}：日期后面请写“上班”或“休息”。")
            continue
        if day in seen:
            errors.append(f"{where}：{day:%Y-%m-%d} 在第 {seen[day]} 行已经写过。")
            continue
        note = parts[2].strip() if len(parts) > 2 else ""
        if len(note) > NOTE_LIMIT:
            errors.append(f"{where}：说明最多 {NOTE_LIMIT} 个字。")
            continue
        seen[day] = number
        lines.append(CalendarLine(day, word in WORK_WORDS, note))
    if not lines and not errors:
        errors.append("没有读到任何日期，请每行写一天，例如“2026-10-01 休息 国庆节”。")
    return lines, errors
