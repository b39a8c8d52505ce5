"""Overdue rectifications escalate once to the head of the responsible department, and after
a further full deadline period to the leaders; never twice for the same level. The clock is
injected (``now``)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from houqin.common.models import ChangeLogEntry, Notification
from houqin.findings.models import Rectification
from houqin.findings.services import rectifications_escalate
from houqin.findings.tasks import findings_daily
from houqin.org.models import Staff, Vendor
from tests.conftest import person
from tests.findings.builders import at, raise_one

pytestmark = pytest.mark.django_db

RAISED = at(2026, 11, 2, 10)  # a minor finding: 7 days, due 2026-11-09 23:59:59


@pytest.fixture
def finding(org_a, standards_officer, department, department_head, leader):
    return raise_one(org_a, standards_officer, department=department, now=RAISED)


def sent(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).values_list("title", flat=True))


def test_nothing_happens_before_the_deadline(finding, department_head, leader) -> None:
    assert rectifications_escalate(now=at(2026, 11, 9, 23, 0)) == {"head": 0, "leader": 0}
    assert not Notification.objects.exists()


def test_an_overdue_fix_goes_to_the_head_once_then_to_the_leader_once(
    finding, department_head, leader, worker
) -> None:
    assert rectifications_escalate(now=at(2026, 11, 10, 8)) == {"head": 1, "leader": 0}
    assert sent(department_head) == ["整改逾期：消防通道堆放杂物"]
    assert sent(leader) == [] and sent(worker) == []
    assert rectifications_escalate(now=at(2026, 11, 12, 8)) == {"head": 0, "leader": 0}
    assert len(sent(department_head)) == 1
    # the period was 7 days 14 hours: the leader hears after 2026-11-17 23:59:59
    assert rectifications_escalate(now=at(2026, 11, 17, 8)) == {"head": 0, "leader": 0}
    assert rectifications_escalate(now=at(2026, 11, 18, 8)) == {"head": 0, "leader": 1}
    assert sent(leader) == ["整改严重逾期：消防通道堆放杂物"]
    assert rectifications_escalate(now=at(2026, 11, 25, 8)) == {"head": 0, "leader": 0}
    assert len(sent(leader)) == 1 and len(sent(department_head)) == 1
    rectification = Rectification.objects.get()
    assert rectification.escalation == 2
    notes = ChangeLogEntry.objects.filter(object_id=str(rectification.pk)).values_list(
        "note", flat=True
    )
    assert set(notes) >= {"逾期催办：已通知科室负责人", "逾期催办：已通知中心领导"}


def test_a_long_pause_sends_both_levels_at_once(finding, department_head, leader) -> None:
    assert rectifications_escalate(now=at(2026, 12, 1)) == {"head": 1, "leader": 1}
    assert len(sent(department_head)) == 1 and len(sent(leader)) == 1


def test_fixes_waiting_for_acceptance_or_closed_are_not_escalated(finding, department_head) -> None:
    Rectification.objects.update(status="fixed")
    assert rectifications_escalate(now=at(2026, 12, 1)) == {"head": 0, "leader": 0}
    Rectification.objects.update(status="returned")
    assert rectifications_escalate(now=at(2026, 12, 1))["head"] == 1


def test_without_a_department_the_vendor_managers_then_the_leaders_hear(
    org_a, standards_officer, leader
) -> None:
    vendor = Vendor.objects.create(organization=org_a, code="V1", name="洁净物业公司")
    manager = person(org_a, "henry", "vendor_manager", name="周经理")
    Staff.objects.create(
        organization=org_a,
        number="W01",
        name="周经理",
        user=manager,
        employment="outsourced",
        vendor=vendor,
    )
    raise_one(org_a, standards_officer, title="保洁不到位", vendor=vendor, now=RAISED)
    other = Vendor.objects.create(organization=org_a, code="V2", name="无人负责公司")
    raise_one(org_a, standards_officer, title="绿化未修剪", vendor=other, now=RAISED)
    assert rectifications_escalate(now=at(2026, 11, 10, 8)) == {"head": 2, "leader": 0}
    assert sent(manager) == ["整改逾期：保洁不到位"]
    assert sent(leader) == ["整改逾期：绿化未修剪"]


def test_other_organizations_leaders_do_not_hear(org_a, org_b, finding, leader) -> None:
    stranger = person(org_b, "ivan", "leader")
    rectifications_escalate(now=at(2026, 12, 1))
    assert sent(stranger) == [] and len(sent(leader)) == 1


def test_the_daily_command_and_task_run_the_escalation(finding, department_head) -> None:
    out = StringIO()
    call_command("findings_daily", "--now", "2026-11-10 08:00", stdout=out)
    assert out.getvalue().strip() == "催办科室负责人 1 项；报中心领导 0 项。"
    assert findings_daily.call("2026-11-10T09:00:00+08:00") == {"head": 0, "leader": 0}
    with pytest.raises(Exception, match="格式不对"):
        call_command("findings_daily", "--now", "昨天")


def test_the_queries_do_not_grow_with_the_overdue_rows(
    org_a, standards_officer, department, department_head, leader, django_assert_max_num_queries
) -> None:
    for i in range(5):
        raise_one(org_a, standards_officer, title=f"问题{i}", department=department, now=RAISED)
    rows = Rectification.objects.count()
    # reads: the rows, the heads, the leaders, the content type; per row a savepoint, the
    # update, the change log, the notifications and the release
    with django_assert_max_num_queries(4 + rows * 5):
        assert rectifications_escalate(now=at(2026, 11, 10, 8)) == {"head": rows, "leader": 0}
