"""When a schedule's checks fall due (pure functions): daily, weekly, every N days and
monthly recurrences, workdays and rest days under the workday calendar (National Day 2026
with its make-up days), month ends, windows, and what people type for times and holidays."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from houqin.checklists.scheduling import (
    calendar_lines_parse,
    describe,
    due_days,
    duration_words,
    is_workday,
    next_occurrences,
    occurrences,
    times_parse,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")

# 2026 国庆节：10 月 1 日至 7 日放假调休；9 月 20 日（周日）、10 月 10 日（周六）上班.
NATIONAL_DAY_2026 = {
    date(2026, 9, 20): True,
    **{date(2026, 10, d): False for d in (1, 2, 5, 6, 7)},  # the weekdays among the 7
    date(2026, 10, 10): True,
}


@dataclass
class Plan:
    """A Schedule-like object: only the fields the recurrence reads."""

    frequency: str = "daily"
    interval: int = 1
    weekdays: list[int] = field(default_factory=list)
    month_day: int | None = None
    times: list[str] = field(default_factory=lambda: ["08:00"])
    days: str = "all"
    window_minutes: int = 120
    starts_on: date = date(2026, 1, 1)
    ends_on: date | None = None


def days_of(plan: Plan, start: date, end: date, calendar=NATIONAL_DAY_2026) -> list[str]:
    return [d.strftime("%m-%d") for d in due_days(plan, calendar, start, end)]


def test_it_tells_workdays_by_the_calendar_first_then_the_week() -> None:
    assert is_workday(date(2026, 9, 30), NATIONAL_DAY_2026)  # Wednesday
    assert not is_workday(date(2026, 10, 1), NATIONAL_DAY_2026)  # holiday on a Thursday
    assert not is_workday(date(2026, 10, 4), NATIONAL_DAY_2026)  # Sunday inside the holiday
    assert is_workday(date(2026, 10, 10), NATIONAL_DAY_2026)  # make-up Saturday
    assert not is_workday(date(2026, 10, 11), NATIONAL_DAY_2026)  # an ordinary Sunday
    assert is_workday(date(2026, 10, 1), {})  # without the calendar's word: a Thursday
    assert not is_workday(date(2026, 10, 3), {})  # and a Saturday


def test_a_workday_schedule_skips_national_day_and_works_the_make_up_saturday() -> None:
    plan = Plan(days="workdays")
    assert days_of(plan, date(2026, 9, 26), date(2026, 10, 11)) == [
        "09-28",
        "09-29",
        "09-30",
        "10-08",
        "10-09",
        "10-10",
    ]
    assert days_of(plan, date(2026, 9, 19), date(2026, 9, 20)) == ["09-20"]  # make-up Sunday


def test_a_rest_day_schedule_takes_the_holiday_and_leaves_the_make_up_day() -> None:
    plan = Plan(days="restdays")
    assert days_of(plan, date(2026, 9, 30), date(2026, 10, 11)) == [
        "10-01",
        "10-02",
        "10-03",
        "10-04",
        "10-05",
        "10-06",
        "10-07",
        "10-11",
    ]


def test_a_daily_schedule_for_every_day_ignores_the_calendar() -> None:
    assert len(days_of(Plan(), date(2026, 9, 28), date(2026, 10, 11))) == 14


def test_weekly_on_chosen_weekdays_with_a_holiday_monday_skipped() -> None:
    plan = Plan(frequency="weekly", weekdays=[1, 3, 5], days="workdays")
    assert days_of(plan, date(2026, 9, 28), date(2026, 10, 11)) == ["09-28", "09-30", "10-09"]
    assert days_of(
        Plan(frequency="weekly", weekdays=[6]), date(2026, 10, 1), date(2026, 10, 14)
    ) == [
        "10-03",
        "10-10",
    ]


def test_every_n_days_counts_from_the_first_day_not_from_the_range() -> None:
    plan = Plan(frequency="every_n_days", interval=3, starts_on=date(2026, 9, 30))
    assert days_of(plan, date(2026, 10, 2), date(2026, 10, 12)) == [
        "10-03",
        "10-06",
        "10-09",
        "10-12",
    ]
    assert days_of(plan, date(2026, 9, 1), date(2026, 9, 30)) == ["09-30"]  # not before it starts


def test_monthly_on_a_day_a_short_month_lacks_uses_its_last_day() -> None:
    plan = Plan(frequency="monthly", month_day=31)
    assert days_of(plan, date(2026, 1, 1), date(2026, 6, 30), {}) == [
        "01-31",
        "02-28",
        "03-31",
        "04-30",
        "05-31",
        "06-30",
    ]
    leap = Plan(frequency="monthly", month_day=30, starts_on=date(2028, 1, 1))
    assert days_of(leap, date(2028, 2, 1), date(2028, 3, 31), {}) == ["02-29", "03-30"]


def test_a_monthly_workday_check_moves_forward_over_the_holiday_even_from_an_earlier_range() -> (
    None
):
    plan = Plan(frequency="monthly", month_day=1, days="workdays")
    assert days_of(plan, date(2026, 9, 1), date(2026, 10, 31)) == ["09-01", "10-08"]
    assert days_of(plan, date(2026, 10, 5), date(2026, 10, 9)) == ["10-08"]  # nominal day earlier
    assert days_of(plan, date(2026, 10, 9), date(2026, 10, 31)) == []  # already had its check
    saturday = Plan(frequency="monthly", month_day=31, days="workdays")
    assert days_of(saturday, date(2026, 10, 1), date(2026, 11, 3), {}) == ["11-02"]  # Sat → Mon
    rest = Plan(frequency="monthly", month_day=9, days="restdays")
    assert days_of(rest, date(2026, 10, 1), date(2026, 10, 31)) == ["10-11"]  # Fri → Sun


def test_the_series_starts_and_ends_when_it_says() -> None:
    plan = Plan(starts_on=date(2026, 10, 3), ends_on=date(2026, 10, 5))
    assert days_of(plan, date(2026, 10, 1), date(2026, 10, 31)) == ["10-03", "10-04", "10-05"]
    monthly = Plan(frequency="monthly", month_day=20, starts_on=date(2026, 10, 21))
    assert days_of(monthly, date(2026, 10, 1), date(2026, 11, 30)) == ["11-20"]
    assert days_of(Plan(ends_on=date(2026, 9, 1)), date(2026, 10, 1), date(2026, 10, 2)) == []


def test_each_time_opens_a_local_window_due_after_the_minutes_given() -> None:
    plan = Plan(times=["14:00", "08:00"], window_minutes=90)
    found = occurrences(plan, {}, date(2026, 10, 1), date(2026, 10, 1))
    assert [(o.strftime("%H:%M"), d.strftime("%H:%M")) for o, d in found] == [
        ("08:00", "09:30"),
        ("14:00", "15:30"),
    ]
    assert found[0][0] == datetime(2026, 10, 1, 0, 0, tzinfo=UTC)  # 08:00 in Shanghai
    night = occurrences(
        Plan(times=["22:00"], window_minutes=240), {}, date(2026, 12, 31), date(2026, 12, 31)
    )
    assert night[0][1] == datetime(2027, 1, 1, 2, 0, tzinfo=SHANGHAI)


def test_shanghai_has_no_daylight_saving_and_windows_are_elapsed_time_elsewhere() -> None:
    found = occurrences(Plan(), {}, date(2026, 1, 1), date(2026, 12, 31))
    assert len(found) == 365
    assert {o.utcoffset() for o, _ in found} == {timedelta(hours=8)}
    assert {d - o for o, d in found} == {timedelta(minutes=120)}
    new_york = ZoneInfo("America/New_York")  # clocks go forward at 02:00 on 2026-03-08
    ((opens, due),) = occurrences(
        Plan(times=["01:30"]), {}, date(2026, 3, 8), date(2026, 3, 8), new_york
    )
    assert due.astimezone(UTC) - opens.astimezone(UTC) == timedelta(hours=2)  # elapsed
    assert due.strftime("%H:%M") == "04:30"


def test_the_next_occurrences_start_from_the_moment_given() -> None:
    plan = Plan(times=["08:00", "14:00"], days="workdays")
    after = datetime(2026, 9, 30, 9, 0, tzinfo=SHANGHAI)
    found = next_occurrences(plan, NATIONAL_DAY_2026, after, count=5)
    assert [o.strftime("%m-%d %H:%M") for o, _ in found] == [
        "09-30 14:00",
        "10-08 08:00",
        "10-08 14:00",
        "10-09 08:00",
        "10-09 14:00",
    ]
    assert next_occurrences(Plan(ends_on=date(2026, 9, 1)), {}, after) == []


@pytest.mark.parametrize(
    ("typed", "times"),
    [
        ("08:00, 14:00", ["08:00", "14:00"]),
        ("8:00，14：30 08:00", ["08:00", "14:30"]),
        ("7:05、23:59", ["07:05", "23:59"]),
    ],
)
def test_it_reads_times_as_people_type_them(typed: str, times: list[str]) -> None:
    assert times_parse(typed) == times


@pytest.mark.parametrize(("typed", "message"), [("", "至少"), ("25:00", "25:00"), ("8点", "8点")])
def test_it_refuses_times_it_cannot_read(typed: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        times_parse(typed)


def test_it_reads_a_pasted_holiday_notice() -> None:
    lines, errors = calendar_lines_parse(
        "2026-10-01 休息 国庆节\n\n2026/10/10 上班 国庆节调休\n2026年9月20日 补班\n"
    )
    assert errors == []
    assert [(line.day, line.workday, line.note) for line in lines] == [
        (date(2026, 10, 1), False, "国庆节"),
        (date(2026, 10, 10), True, "国庆节调休"),
        (date(2026, 9, 20), True, ""),
    ]


def test_it_names_every_bad_line_of_a_pasted_calendar() -> None:
    _, errors = calendar_lines_parse(
        "2026-02-30 休息\n2026-10-01 放假 国庆\n2026-10-02 玩\n2026-10-01 休息\n10-03 休息"
    )
    assert errors == [
        "第 1 行：日期“2026-02-30”不对，请写成 2026-10-01 这样。",
        "第 3 行：日期后面请写“上班”或“休息”。",
        "第 4 行：2026-10-01 在第 2 行已经写过。",
        "第 5 行：日期“10-03”不对，请写成 2026-10-01 这样。",
    ]
    assert calendar_lines_parse("\n  \n")[1] == [
        "没有读到任何日期，请每行写一天，例如“2026-10-01 休息 国庆节”。"
    ]


def test_it_says_the_recurrence_in_one_sentence() -> None:
    assert describe(Plan(times=["14:00", "08:00"], days="workdays")) == (
        "每天 08:00、14:00，只在工作日，开始后 2 小时内完成"
    )
    assert describe(Plan(frequency="weekly", weekdays=[5, 1], window_minutes=90)) == (
        "每周一、周五 08:00，开始后 1 小时 30 分钟内完成"
    )
    assert describe(
        Plan(frequency="monthly", month_day=31, days="workdays", window_minutes=1440)
    ) == (
        "每月 31 日（没有这一天的月份取最后一天） 08:00，只在工作日（遇休息日顺延），开始后 1 天内完成"
    )
    assert "每 3 天一次（从 2026-01-01 算起）" in describe(
        Plan(frequency="every_n_days", interval=3)
    )
    assert duration_words(45) == "45 分钟"
