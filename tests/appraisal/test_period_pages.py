"""The period pages: the list (filters, empty state, query count), 新建考核周期 with the dates
filled from the cadence, a period's page (steps and their buttons, computing with progress,
the ranking with movement, its export, the 红黑榜, query count as subjects grow), what a
department head sees, and two subjects compared."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from houqin.appraisal.models import DayBuilt, Period, Score
from houqin.appraisal.period_forms import cadence_defaults
from tests.appraisal.builders import (
    NOW,
    Q2_END,
    Q2_START,
    department_make,
    period_make,
    scheme_make,
    score_make,
)
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db


def count_queries(client: Client, url: str) -> int:
    """Queries of a page, read after a first request has filled the per-process caches."""
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def computed(period: Period) -> Period:
    Period.objects.filter(pk=period.pk).update(computed_at=NOW)
    period.refresh_from_db()
    return period


def lines(total: int) -> list[tuple[str, int] | dict[str, Any]]:
    return [("检查合格率", total - 40), ("任务完成率", 40)]


# ---- list and new period ------------------------------------------------------------------


def test_the_list_queries_do_not_grow_with_the_periods(org_a, standards_officer) -> None:
    scheme = scheme_make(org_a)
    other = scheme_make(org_a, name="班组考核方案", subject_kind="team")
    client = signed_in(standards_officer)

    def make(first: int, count: int) -> None:
        for year in range(first, first + count):
            for item in (scheme, other):
                period_make(item, Q2_START.replace(year=year), Q2_END.replace(year=year))

    make(2000, 1)
    url = reverse("appraisal:period_list")
    few = count_queries(client, url)
    filtered = count_queries(client, f"{url}?status=draft&scheme={scheme.pk}")
    make(2001, 10)
    assert count_queries(client, url) == few
    assert count_queries(client, f"{url}?status=draft&scheme={scheme.pk}") == filtered


def test_the_list_filters_and_says_what_to_do_when_empty(org_a, standards_officer) -> None:
    client = signed_in(standards_officer)
    url = reverse("appraisal:period_list")
    page = client.get(url).content.decode()
    assert "还没有考核周期" in page
    assert reverse("appraisal:period_create") in page
    scheme = scheme_make(org_a)
    period_make(scheme, name="2026年第三季度")
    period_make(scheme, Q2_START, Q2_END, Period.Status.FINAL, name="2026年第二季度")
    page = client.get(f"{url}?status=final").content.decode()
    assert "2026年第二季度" in page
    assert "2026年第三季度" not in page
    export = client.get(f"{url}?status=final&export=xlsx")
    sheet = load_workbook(io.BytesIO(export.content)).active
    assert [row[0] for row in sheet.iter_rows(min_row=4, values_only=True)] == ["2026年第二季度"]


def test_the_cadence_fills_the_dates_and_the_name() -> None:
    from datetime import date

    defaults = cadence_defaults(date(2026, 11, 26))
    assert defaults["quarter"] == {
        "starts_on": "2026-10-01",
        "ends_on": "2026-12-31",
        "name": "2026年第四季度",
    }
    assert defaults["half_year"]["starts_on"] == "2026-07-01"
    assert defaults["half_year"]["name"] == "2026年下半年"
    assert defaults["year"]["ends_on"] == "2026-12-31"
    assert defaults["custom"]["ends_on"] == "2026-11-30"
    assert cadence_defaults(date(2027, 2, 28))["quarter"]["ends_on"] == "2027-03-31"


def test_the_office_creates_a_period_of_a_published_scheme(org_a, standards_officer) -> None:
    scheme = scheme_make(org_a)
    draft = scheme_make(org_a, name="未发布的方案", published=False)
    client = signed_in(standards_officer)
    url = reverse("appraisal:period_create")
    page = client.get(url).content.decode()
    assert 'id="period-cadence-defaults"' in page
    data = {
        "scheme": scheme.pk,
        "cadence": "quarter",
        "name": "2026年第三季度",
        "starts_on": "2026-07-01",
        "ends_on": "2026-09-30",
        "publicity_days": 5,
    }
    response = client.post(url, data)
    period = Period.objects.get(scheme=scheme)
    assert response["Location"] == reverse("appraisal:period_detail", args=[period.pk])
    assert (period.status, period.version.seq, period.publicity_days) == ("draft", 1, 5)
    again = client.post(url, {**data, "name": "重叠"}).content.decode()
    assert "日期重叠" in again
    unpublished = client.post(url, {**data, "scheme": draft.pk}).content.decode()
    assert "还没有发布的版本" in unpublished
    backwards = client.post(url, {**data, "ends_on": "2026-06-30"}).content.decode()
    assert "结束日期不能早于开始日期" in backwards


# ---- a period's page ----------------------------------------------------------------------


def test_the_period_page_queries_do_not_grow_with_the_subjects(org_a, standards_officer) -> None:
    scheme = scheme_make(org_a)
    before = computed(period_make(scheme, Q2_START, Q2_END, Period.Status.FINAL))
    period = period_make(scheme, status=Period.Status.PUBLISHED)
    client = signed_in(standards_officer)

    def make(first: int, count: int) -> None:
        for i in range(first, first + count):
            department = department_make(org_a, f"D{i}")
            score_make(before, department, 70 + i, lines(70 + i), rank=count - i + 1)
            score_make(period, department, 60 + i, lines(60 + i), rank=i + 1, grade="pass")

    make(0, 2)
    url = reverse("appraisal:period_detail", args=[period.pk])
    few = count_queries(client, url)
    make(2, 18)
    assert count_queries(client, url) == few


def test_the_ranking_shows_points_movement_and_grades(org_a, standards_officer) -> None:
    scheme = scheme_make(org_a)
    north, south = department_make(org_a, "N", "北区科"), department_make(org_a, "S", "南区科")
    before = computed(period_make(scheme, Q2_START, Q2_END, Period.Status.FINAL))
    score_make(before, north, 80, rank=2)
    score_make(before, south, 90, rank=1)
    period = period_make(scheme, status=Period.Status.PUBLISHED)
    score_make(period, north, 95, lines(95), rank=1, grade="excellent")
    score_make(period, south, 50, lines(50), rank=2, grade="fail")
    client = signed_in(standards_officer)
    url = reverse("appraisal:period_detail", args=[period.pk])
    page = client.get(url).content.decode()
    assert "↑ 升 1" in page
    assert "↓ 降 1" in page
    assert '<th class="num">检查合格率</th>' in page
    assert 'id="period-chart-data"' in page
    red, black = page.split("红榜（表扬）")[1].split("黑榜（批评）")
    assert "北区科" in red and "南区科" not in red
    assert "南区科" in black
    export = client.get(f"{url}?export=xlsx")
    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert rows[0] == (
        "名次",
        "较上期",
        "考核对象",
        "检查合格率",
        "任务完成率",
        "加分",
        "扣分",
        "总分",
        "等次",
    )
    assert rows[1][:3] == (1, "↑1", "北区科")
    assert rows[1][-2:] == (95, "优秀")


def test_the_office_computes_and_sees_progress_until_done(
    org_a, standards_officer, departments, time_machine, django_capture_on_commit_callbacks
) -> None:
    time_machine.move_to(NOW, tick=False)
    scheme = scheme_make(org_a, subjects=departments[:2])
    period = period_make(scheme)
    client = signed_in(standards_officer)
    url = reverse("appraisal:period_detail", args=[period.pk])
    page = client.get(url).content.decode()
    assert "计算得分" in page
    assert "按考核方案从检查、问题和整改数据重新计算" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("appraisal:period_step", args=[period.pk]), {"name": "compute"}
        )
    assert response.status_code == 302
    period.refresh_from_db()
    assert (period.status, period.computing, period.stage) == ("computed", False, "")
    # A step per day counted into the roll-ups (of each kind of rows), then per subject.
    days = DayBuilt.objects.filter(organization=org_a).count()
    assert days > 0 and period.done == period.total == days + 2
    assert Score.objects.filter(period=period).count() == 2
    progress = client.get(
        reverse("appraisal:period_progress", args=[period.pk]) + "?polling=1",
        HTTP_HX_REQUEST="true",
    )
    assert progress["HX-Refresh"] == "true"
    page = client.get(url).content.decode()
    assert "重新计算" in page and "公示" in page
    assert 'data-testid="ranking-table"' in page


def test_a_running_computation_is_polled(org_a, standards_officer) -> None:
    period = period_make(scheme_make(org_a), status=Period.Status.COMPUTED)
    Period.objects.filter(pk=period.pk).update(computing=True, done=3, total=12)
    client = signed_in(standards_officer)
    page = client.get(reverse("appraisal:period_detail", args=[period.pk])).content.decode()
    assert 'hx-trigger="every 2s"' in page
    assert 'value="3" max="12"' in page
    assert "period-step-publish" not in page  # no step while the job runs
    fragment = client.get(
        reverse("appraisal:period_progress", args=[period.pk]) + "?polling=1",
        HTTP_HX_REQUEST="true",
    )
    assert "HX-Refresh" not in fragment
    assert "25%" in fragment.content.decode() and "正在计算得分" in fragment.content.decode()


def test_a_department_head_sees_only_their_own_published_score(
    org_a, department_head, departments
) -> None:
    scheme = scheme_make(org_a)
    draft = period_make(scheme, Q2_START, Q2_END)
    period = period_make(scheme, status=Period.Status.PUBLISHED)
    own = score_make(period, departments[0], 88, rank=2)
    other = score_make(period, departments[1], 92, rank=1)
    client = signed_in(department_head)
    assert client.get(reverse("appraisal:period_detail", args=[draft.pk])).status_code == 404
    page = client.get(reverse("appraisal:period_detail", args=[period.pk])).content.decode()
    assert own.subject_name in page
    assert other.subject_name not in page
    assert 'data-bs-target="#period-step-' not in page
    step = client.post(reverse("appraisal:period_step", args=[period.pk]), {"name": "freeze"})
    assert step.status_code == 403
    other_url = reverse("appraisal:score_detail", args=[other.pk])
    assert client.get(other_url).status_code == 404


def test_two_subjects_are_compared_line_by_line(org_a, standards_officer, departments) -> None:
    period = period_make(scheme_make(org_a), status=Period.Status.PUBLISHED)
    a = score_make(period, departments[0], 90, lines(90), rank=1)
    b = score_make(period, departments[1], 75, lines(75), rank=2)
    client = signed_in(standards_officer)
    url = reverse("appraisal:period_compare", args=[period.pk])
    page = client.get(f"{url}?a={a.pk}&b={b.pk}").content.decode()
    assert 'data-testid="compare-table"' in page
    assert "+15.00" in page
    same = client.get(f"{url}?a={a.pk}&b={a.pk}").content.decode()
    assert "请选择两个不同的考核对象" in same


def test_rows_changed_after_the_freeze_are_listed_not_counted(
    org_a, standards_officer, departments, sheet, time_machine, django_capture_on_commit_callbacks
) -> None:
    from datetime import timedelta

    from houqin.appraisal.period_services import period_step
    from tests.appraisal.builders import at, place_make, record_put

    time_machine.move_to(NOW, tick=False)
    place = place_make(org_a, "R1", departments[0])
    record = record_put(sheet, standards_officer, at(8, 3), place=place, passed=False)
    period = period_make(scheme_make(org_a, subjects=departments[:1]))
    with django_capture_on_commit_callbacks(execute=True):
        period_step(period, "compute", standards_officer)
    period_step(period, "publish", standards_officer)
    period_step(period, "freeze", standards_officer)
    score = Score.objects.get(period=period)
    total = score.total
    url = reverse("appraisal:period_detail", args=[period.pk])
    client = signed_in(standards_officer)
    assert "定稿后没有修改过的记录。" in client.get(url).content.decode()
    time_machine.move_to(NOW + timedelta(days=2), tick=False)
    record.passed = True
    record.save()
    page = signed_in(standards_officer).get(url).content.decode()  # the old session expired
    assert 'data-testid="late-table"' in page
    assert reverse("checklists:record_detail", args=[record.pk]) in page
    score.refresh_from_db()
    assert score.total == total
