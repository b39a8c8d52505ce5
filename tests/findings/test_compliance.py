"""The compliance figures of a department, vendor, place subtree, service line or standard
over a period (a fixed number of queries), the rows behind each figure, the compliance
page with its heat map, and the rectification board by department and vendor."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from houqin.checklists.models import Record, Task
from houqin.checklists.services import item_add
from houqin.checklists.services import template_create as checklist_create
from houqin.findings.compliance import FIGURES, compliance, figure_rows, scope_for
from houqin.findings.models import Finding
from houqin.org.models import Vendor
from tests.conftest import signed_in
from tests.findings.builders import at, check, cited_template, raise_one, set_rectification

pytestmark = pytest.mark.django_db

NOW = at(2026, 11, 20, 12)
START, END = date(2026, 11, 1), date(2026, 11, 30)


def task(org, template, where, due, status, vendor=None) -> Task:
    return Task.objects.create(
        organization=org,
        template=template,
        kind="self",
        place=where,
        vendor=vendor,
        opens_at=due - timedelta(hours=2),
        due_at=due,
        status=status,
    )


def moved(record: Record, when) -> Record:
    Record.objects.filter(pk=record.pk).update(submitted_at=when)
    Finding.objects.filter(record=record).update(raised_at=when)
    return record


@pytest.fixture
def world(org_a, standards_officer, worker, department, places) -> dict[str, Any]:
    """November 2026 at 物业管理科's rooms and the vendor-run canteen (see the figures
    asserted below)."""
    vendor = Vendor.objects.create(organization=org_a, code="V1", name="好味餐饮公司")
    cleaning = cited_template(org_a, standards_officer, service_line="property")
    canteen = checklist_create(
        organization=org_a,
        actor=standards_officer,
        data={"name": "食堂开餐检查", "service_line": "canteen"},
    )
    item_add(template=canteen, actor=standards_officer, data={"text": "餐具已消毒"})
    first, second, kitchen = places["first"], places["second"], places["canteen"]
    task(org_a, cleaning, first, at(2026, 11, 5, 10), "done")
    task(org_a, cleaning, second, at(2026, 11, 6, 10), "missed")
    task(org_a, cleaning, first, at(2026, 11, 18, 10), "overdue")
    served = task(org_a, canteen, kitchen, at(2026, 11, 10, 10), "done", vendor=vendor)
    task(org_a, cleaning, first, at(2026, 11, 25, 10), "pending")  # not due yet
    task(org_a, cleaning, first, at(2026, 11, 8, 10), "cancelled")
    task(org_a, cleaning, first, at(2026, 10, 30, 10), "done")  # before the period
    moved(check(cleaning, worker, first), at(2026, 11, 5, 9))
    r2 = moved(check(cleaning, worker, first, fails=("保洁员",)), at(2026, 11, 6, 9))
    r3 = moved(check(cleaning, worker, second, fails=("保洁员",)), at(2026, 11, 7, 9))
    r4 = moved(check(canteen, worker, kitchen, fails=("餐具",), task=served), at(2026, 11, 10, 9))
    f1, f2, f3 = r2.findings.get(), r3.findings.get(), r4.findings.get()
    f4 = raise_one(
        org_a,
        standards_officer,
        title="镜面有水渍",
        department=department,
        place=first,
        now=at(2026, 11, 12),
    )
    f5 = raise_one(
        org_a,
        standards_officer,
        title="又没有按时保洁",
        department=department,
        place=first,
        now=at(2026, 11, 15),
    )
    Finding.objects.filter(pk=f5.pk).update(repeat_of=f1, severity="critical")
    set_rectification(f1, status="closed", fixed_at=at(2026, 11, 7), deadline=at(2026, 11, 9))
    set_rectification(f2, status="fixed", fixed_at=at(2026, 11, 12), deadline=at(2026, 11, 10))
    set_rectification(f3, status="assigned", deadline=at(2026, 11, 17))
    set_rectification(f4, status="assigned", deadline=at(2026, 11, 25))
    set_rectification(f5, status="returned", fixed_at=at(2026, 11, 16), deadline=at(2026, 11, 18))
    assert f3.rectification.vendor == vendor and f1.rectification.department == department
    return {"vendor": vendor, "cleaning": cleaning, "canteen": canteen, "places": places}


def figures(org, **scope) -> dict[str, Any]:
    return compliance(org, start=START, end=END, now=NOW, **scope)


def test_the_figures_of_the_whole_organization(org_a, world) -> None:
    data = figures(org_a)
    assert data["tasks"] == {"due": 4, "done": 2, "missed": 1, "overdue": 1, "done_rate": 50.0}
    assert data["records"] == {"submitted": 4, "passed": 1, "failed": 3, "pass_rate": 25.0}
    found = data["findings"]
    assert found["total"] == 5 and found["repeats"] == 1 and found["repeat_rate"] == 20.0
    assert found["by_severity"] == {"minor": 2, "major": 2, "critical": 1}
    assert found["by_status"] == {
        "assigned": 2,
        "fixed": 1,
        "returned": 1,
        "effect_check": 0,
        "closed": 1,
    }
    assert data["rectification"] == {"on_time": 1, "late": 3, "pending": 1, "on_time_rate": 25.0}
    heat = data["heat"]
    assert [(p["name"], p["findings"], p["failures"]) for p in heat["places"]] == [
        ("一楼卫生间", 3, 1),
        ("二楼卫生间", 1, 1),
        ("食堂", 1, 1),
    ]
    assert heat["buckets"][0] == "11-06" and heat["max"] == 2
    assert sum(n for _, _, n in heat["cells"]) == 8


@pytest.mark.parametrize(
    ("scope", "expected"),
    [
        ("department", (3, 3, 4)),
        ("vendor", (1, 1, 1)),
        ("building", (3, 3, 4)),
        ("second", (1, 1, 1)),
        ("service_line", (1, 1, 1)),
        ("standard", (3, 3, 2)),
    ],
)
def test_the_figures_of_a_scope(org_a, world, department, scope, expected) -> None:
    given = {
        "department": {"department": department},
        "vendor": {"vendor": world["vendor"]},
        "building": {"place": world["places"]["building"]},
        "second": {"place": world["places"]["second"]},
        "service_line": {"service_line": "canteen"},
        "standard": {
            "standard": world["cleaning"].items.get(current=True, clause__isnull=False).standard
        },
    }[scope]
    data = figures(org_a, **given)
    assert (
        data["tasks"]["due"],
        data["records"]["submitted"],
        data["findings"]["total"],
    ) == expected


def test_each_figure_counts_the_rows_behind_it(org_a, world) -> None:
    data = figures(org_a)
    scope = scope_for(org_a, start=START, end=END, now=NOW)
    shown = {
        "tasks_due": data["tasks"]["due"],
        "tasks_missed": data["tasks"]["missed"],
        "records_failed": data["records"]["failed"],
        "findings_repeat": data["findings"]["repeats"],
        "fix_late": data["rectification"]["late"],
        "severity_major": data["findings"]["by_severity"]["major"],
        "status_assigned": data["findings"]["by_status"]["assigned"],
    }
    for name, number in shown.items():
        assert figure_rows(scope, name).count() == number, name
    assert set(FIGURES) >= set(shown)


def test_the_figures_take_eight_queries_whatever_the_rows(
    org_a, world, standards_officer, department, django_assert_num_queries
) -> None:
    with django_assert_num_queries(8):
        figures(org_a, department=department)
    for i in range(10):
        raise_one(
            org_a,
            standards_officer,
            title=f"问题{i}",
            department=department,
            place=world["places"]["second"],
            now=at(2026, 11, 3 + i),
        )
    with django_assert_num_queries(8):
        data = figures(org_a, department=department)
    assert data["findings"]["total"] == 14


def test_a_longer_period_is_mapped_by_week(org_a, world) -> None:
    heat = compliance(org_a, start=date(2026, 10, 1), end=date(2026, 12, 31), now=NOW)["heat"]
    assert heat["buckets"] == ["11-02 起", "11-09 起"]  # Mondays of the weeks with findings
    assert sum(n for _, _, n in heat["cells"]) == 8


def test_an_empty_scope_has_no_rates(org_a, department) -> None:
    data = figures(org_a, department=department)
    assert data["tasks"]["done_rate"] is None and data["records"]["pass_rate"] is None
    assert data["rectification"]["on_time_rate"] is None and data["heat"]["places"] == []


# ---- the pages ---------------------------------------------------------------------------


def page_queries(client, url: str) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_page_links_each_figure_to_its_rows(
    org_a, world, leader, worker, department, time_machine
) -> None:
    time_machine.move_to(NOW, tick=False)
    url = reverse("findings:compliance")
    assert signed_in(worker).get(url).status_code == 403
    client = signed_in(leader)
    page = client.get(url).content.decode()  # this month by default
    assert "2026-11-01 至 2026-11-30" in page and "25.0%" in page and "50.0%" in page
    rows = reverse("findings:compliance_rows")
    link = f"{rows}?figure=fix_late&amp;start=2026-11-01&amp;end=2026-11-30"
    assert link in page and 'id="heat-chart"' in page and "一楼卫生间" in page
    listed = client.get(f"{rows}?figure=fix_late&start=2026-11-01&end=2026-11-30").content.decode()
    assert listed.count("<tr>") == 1 + 3 and "逾期整改" in listed
    scoped = f"{url}?start=2026-11-01&end=2026-11-30&department={department.pk}"
    assert "物业管理科" in client.get(scoped).content.decode()
    tasks = client.get(f"{rows}?figure=tasks_due&start=2026-11-01&end=2026-11-30").content.decode()
    assert tasks.count("<tr>") == 1 + 4 and "卫生间保洁检查" in tasks
    assert client.get(f"{rows}?figure=nothing").status_code == 404
    wrong = client.get(f"{url}?start=2026-11-30&end=2026-11-01").content.decode()
    assert "结束日期不能早于开始日期。" in wrong


def test_the_pages_queries_do_not_grow_with_the_rows(
    org_a, world, leader, standards_officer, department, time_machine
) -> None:
    time_machine.move_to(NOW, tick=False)
    client = signed_in(leader)
    url = reverse("findings:compliance")
    rows = reverse("findings:compliance_rows") + "?figure=findings&start=2026-11-01&end=2026-11-30"
    page, listed = page_queries(client, url), page_queries(client, rows)
    for i in range(8):
        raise_one(
            org_a,
            standards_officer,
            title=f"问题{i}",
            department=department,
            place=world["places"]["second"],
            now=at(2026, 11, 3 + i),
        )
    assert page_queries(client, url) == page and page_queries(client, rows) == listed


def test_the_board_counts_open_fixes_by_department_and_vendor(
    org_a, world, leader, worker, department
) -> None:
    url = reverse("findings:board")
    assert signed_in(worker).get(url).status_code == 403
    client = signed_in(leader)
    page = client.get(url).content.decode()
    listing = reverse("findings:finding_list")
    assert f'href="{listing}?status=assigned&amp;department={department.pk}">1<' in page
    assert f'href="{listing}?overdue=1&amp;vendor={world["vendor"].pk}">1<' in page
    assert "好味餐饮公司" in page and 'id="board-chart"' in page
    queries = page_queries(client, url)
    for i in range(6):
        raise_one(org_a, leader, title=f"问题{i}", department=department)
    assert page_queries(client, url) == queries


def test_the_heat_map_counts_by_the_local_day(org_a, standards_officer, department, world) -> None:
    # 23:30 and 00:30 Beijing time fall on two local days (15:30 and 16:30 UTC on one day)
    for moment in (at(2026, 11, 24, 23, 30), at(2026, 11, 25, 0, 30)):
        raise_one(
            org_a,
            standards_officer,
            department=department,
            place=world["places"]["second"],
            now=moment,
        )
    heat = compliance(org_a, start=date(2026, 11, 24), end=date(2026, 11, 25), now=at(2026, 11, 26))
    assert heat["heat"]["buckets"] == ["11-24", "11-25"]
