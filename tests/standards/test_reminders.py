"""What is overdue (with an injected ``today``), the officer's home cards, the daily digest
and its command."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.core.management import CommandError, call_command

from houqin.common.models import Notification
from houqin.standards import lifecycle as steps
from houqin.standards import lifecycle_comments as commenting
from houqin.standards.models import Acknowledgement, Standard
from houqin.standards.reminders import (
    daily_digest_send,
    officer_cards,
    overdue,
)
from houqin.standards.services import published_version
from houqin.standards.tasks import standards_daily_digest
from tests.conftest import person
from tests.standards.builders import COMPLETE_TEXT, draft_make, in_force_make
from tests.standards.test_lifecycle import TODAY, TZ, at, circulate

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(org_a, org_b, standards_officer, department_head, worker):
    """Organization A on 2 March 2026: a consultation that closed on 1 March with a comment
    waiting, one still open, a standard whose review was due on 1 March and one due later, a
    draft planned for 28 February, two reading tasks past due and one done; organization B
    has an overdue review of its own."""
    with at(date(2026, 2, 20)):
        late_consultation = draft_make(
            org_a, standards_officer, title="会议服务规范", text=COMPLETE_TEXT
        )
        consultation = circulate(
            late_consultation, standards_officer, deadline=date(2026, 3, 1), people=[worker]
        )
        commenting.comment_add(consultation=consultation, actor=worker, text="会场温度写具体")
        still_open = draft_make(org_a, standards_officer, title="车辆调度规范", text=COMPLETE_TEXT)
        circulate(still_open, standards_officer, deadline=date(2026, 3, 10), people=[worker])
    overdue_review = in_force_make(org_a, standards_officer)
    Standard.objects.filter(pk=overdue_review.pk).update(review_due_on=date(2026, 3, 1))
    fine = in_force_make(org_a, standards_officer, number="JGSW/FW 002—2026")
    Standard.objects.filter(pk=fine.pk).update(review_due_on=date(2026, 3, 2))
    late_draft = draft_make(org_a, standards_officer, title="电梯维保规范")
    Standard.objects.filter(pk=late_draft.pk).update(due_on=date(2026, 2, 28))
    version = published_version(overdue_review)
    for user, done in ((worker, False), (department_head, False), (standards_officer, True)):
        Acknowledgement.objects.create(
            organization=org_a,
            version=version,
            user=user,
            due_on=date(2026, 2, 27),
            acknowledged_at=datetime(2026, 3, 1, 9, tzinfo=TZ) if done else None,
        )
    b_officer = person(org_b, "bert", "standards_officer", name="乙标准")
    b_standard = in_force_make(org_b, b_officer, number="JGSW/FW 009—2026")
    Standard.objects.filter(pk=b_standard.pk).update(review_due_on=date(2026, 1, 1))
    return {
        "consultation": consultation,
        "review": overdue_review,
        "late": late_draft,
        "b_officer": b_officer,
    }


def test_it_finds_what_is_overdue_on_the_day_given(world, org_a) -> None:
    found = overdue(org_a, TODAY)
    assert found.consultations == [world["consultation"]]
    assert found.consultations[0].pending == 1
    assert [s.pk for s in found.reviews] == [world["review"].pk]
    assert [s.pk for s in found.late] == [world["late"].pk]
    assert [(r["standard_id"], r["overdue"]) for r in found.acknowledgements] == [
        (world["review"].pk, 2)
    ]
    assert found.acknowledgement_total == 2
    assert overdue(org_a, date(2026, 2, 27)).empty


def test_a_withdrawn_standards_reading_tasks_are_not_overdue(
    world, org_a, standards_officer
) -> None:
    steps.standard_withdraw(standard=world["review"], actor=standards_officer, note="合并")
    found = overdue(org_a, TODAY)
    assert found.acknowledgements == [] and found.reviews == []


def test_the_officers_cards_count_and_link_to_the_rows(world, standards_officer) -> None:
    overdue_card, progress_card = officer_cards(standards_officer, TODAY)
    assert overdue_card["url"] == "/standards/reminders/"
    assert overdue_card["figures"] == [
        ("复审逾期", 1, "/standards/reminders/#reviews"),
        ("征求意见已截止", 1, "/standards/reminders/#consultations"),
        ("制修订超期", 1, "/standards/reminders/#late"),
    ]
    assert progress_card["figures"] == [
        ("征求意见中", 2, "/standards/reminders/#open"),
        ("意见待处理", 1, "/standards/reminders/#open"),
        ("阅读确认逾期", 2, "/standards/reminders/#acknowledgements"),
    ]
    assert set(overdue_card) == {"title", "icon", "url", "action", "text", "figures"}


def test_only_the_office_gets_officer_cards(world, department_head, leader) -> None:
    assert officer_cards(department_head, TODAY) == []
    assert officer_cards(leader, TODAY) == []


def test_a_person_with_reading_tasks_gets_a_card(world, worker, leader, time_machine) -> None:
    from houqin.accounts.selectors import home_cards

    time_machine.move_to(TODAY)
    (card,) = [c for c in home_cards(worker) if c["title"] == "阅读确认"]
    assert card["figures"] == [
        ("待确认", 1, "/standards/acknowledgements/"),
        ("已逾期", 1, "/standards/acknowledgements/"),
    ]
    assert not [c for c in home_cards(leader) if c["title"] == "阅读确认"]


def test_the_digest_goes_to_each_organizations_officers_once_a_day(
    world, org_a, standards_officer
) -> None:
    second = person(org_a, "bella", "standards_officer", name="陈标准")
    assert daily_digest_send(today=TODAY) == 3
    note = Notification.objects.get(recipient=standards_officer)
    assert note.title == "标准化每日提醒（2026-03-02）"
    assert note.link == "/standards/reminders/"
    lines = note.body.splitlines()
    assert lines[0] == "复审逾期 1 项：JGSW/FW 001—2026《公共卫生间保洁规范》（应于2026-03-01复审）"
    assert (
        lines[1] == "征求意见已过截止日期 1 项：《会议服务规范》（2026-03-01截止，1 条意见待处理）"
    )
    assert lines[2] == "制修订超过计划完成日期 1 项：《电梯维保规范》（计划2026-02-28完成）"
    assert lines[3] == "阅读确认逾期 2 人次。"
    assert Notification.objects.filter(recipient=second).count() == 1
    b_note = Notification.objects.get(recipient=world["b_officer"])
    assert b_note.body.startswith("复审逾期 1 项：JGSW/FW 009—2026")
    assert "会议服务规范" not in b_note.body
    assert daily_digest_send(today=TODAY) == 0
    assert Notification.objects.filter(title__startswith="标准化每日提醒").count() == 3
    assert daily_digest_send(today=date(2026, 3, 3)) == 3


def test_no_digest_when_nothing_is_overdue(org_a, standards_officer, in_force) -> None:
    assert daily_digest_send(today=TODAY) == 0
    assert not Notification.objects.exists()


def test_the_daily_task_puts_due_standards_in_force_then_sends_the_digest(
    world, org_a, standards_officer, leader, department_head
) -> None:
    with at(TODAY):
        published = draft_make(org_a, standards_officer, title="消防演练规范", text=COMPLETE_TEXT)
        Standard.objects.filter(pk=published.pk).update(owner_department=department_head.department)
        published.refresh_from_db()
        steps.review_submit(standard=published, actor=standards_officer)
        steps.review_record(
            standard=published,
            actor=standards_officer,
            held_on=TODAY,
            reviewers="张领导",
            conclusion="passed",
        )
        steps.standard_approve(
            standard=published,
            actor=leader,
            number="JGSW/FW 010—2026",
            published_on=TODAY,
            effective_on=date(2026, 3, 3),
        )
    result = standards_daily_digest.call("2026-03-03")
    assert result == {"activated": 1, "notified": 2}  # one officer in A, one in B
    assert Standard.objects.get(pk=published.pk).status == "in_force"
    assert Acknowledgement.objects.filter(user=department_head, due_on=date(2026, 3, 17)).exists()
    assert standards_daily_digest.call("2026-03-03") == {"activated": 0, "notified": 0}


def test_the_command_runs_the_day_or_enqueues_it(world, standards_officer, capsys) -> None:
    call_command("standards_daily", "--date", "2026-03-02")
    assert "开始实施 0 项标准；发送提醒 2 条。" in capsys.readouterr().out
    call_command("standards_daily", "--date", "2026-03-02", "--enqueue")
    assert "已交给后台任务进程执行" in capsys.readouterr().out
    assert Notification.objects.filter(recipient=standards_officer).count() == 1
    with pytest.raises(CommandError, match="日期“3月2日”格式不对"):
        call_command("standards_daily", "--date", "3月2日")
