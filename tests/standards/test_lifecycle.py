"""The lifecycle rules: who may move a standard through 立项 → 起草 → 征求意见 → 审查 → 批准发布
→ 实施 → 复审 → 修订 / 废止, what is refused and why, what is logged and who is told.
The clock is frozen (time-machine); nothing reads the real date."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from houqin.common.models import ChangeLogEntry, Notification
from houqin.org.models import Department, Post, ServedUnit, Staff
from houqin.standards import lifecycle as steps
from houqin.standards import lifecycle_comments as commenting
from houqin.standards.clauses import clause_edit
from houqin.standards.lifecycle_people import consultation_invitees
from houqin.standards.models import (
    Acknowledgement,
    Comment,
    Consultation,
    PeriodicReview,
    ReviewMeeting,
    Standard,
    StandardSettings,
)
from houqin.standards.services import draft_version, published_version
from tests.conftest import person
from tests.standards.builders import COMPLETE_TEXT, draft_make, in_force_make

pytestmark = pytest.mark.django_db

TZ = ZoneInfo("Asia/Shanghai")
TODAY = date(2026, 3, 2)


def at(day: date, hour: int = 10, minute: int = 0) -> time_machine.travel:
    return time_machine.travel(
        datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ), tick=False
    )


@pytest.fixture(autouse=True)
def _frozen():
    with at(TODAY):
        yield


@pytest.fixture
def owned(org_a, standards_officer, department):
    """A draft the drafting check passes (COMPLETE_TEXT), owned by the 物业管理科 (so its
    head drafts it), due on 30 June."""
    draft = draft_make(org_a, standards_officer, text=COMPLETE_TEXT)
    Standard.objects.filter(pk=draft.pk).update(
        owner_department=department, due_on=date(2026, 6, 30)
    )
    draft.refresh_from_db()
    return draft


def inbox(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).values_list("title", flat=True))


def circulate(standard, actor, **recipients) -> Consultation:
    recipients.setdefault("deadline", date(2026, 3, 16))
    return steps.consultation_open(standard=standard, actor=actor, **recipients)


def transition_notes(standard) -> list[str]:
    return list(
        ChangeLogEntry.objects.filter(
            object_id=str(standard.pk),
            content_type__model="standard",
            action=ChangeLogEntry.Action.TRANSITION,
        )
        .order_by("pk")
        .values_list("note", flat=True)
    )


def reviewed(standard, officer, conclusion="passed", conditions="") -> ReviewMeeting:
    """Submit a draft for review and record its meeting."""
    steps.review_submit(standard=standard, actor=officer)
    return steps.review_record(
        standard=standard,
        actor=officer,
        held_on=TODAY,
        reviewers="张领导、李标准",
        conclusion=conclusion,
        conditions=conditions,
    )


# ---- 立项 ----------------------------------------------------------------------------------


def proposal(org, actor) -> Standard:
    from houqin.standards.services import standard_propose
    from tests.standards.builders import node_make

    return standard_propose(
        organization=org,
        actor=actor,
        data={"title": "会议服务规范", "node": node_make(org), "reason": "会务服务无章可循"},
    )


def test_it_approves_a_proposal_into_drafting_with_a_first_draft(
    org_a, standards_officer, department_head
) -> None:
    standard = proposal(org_a, department_head)
    steps.proposal_approve(standard=standard, actor=standards_officer)
    standard.refresh_from_db()
    assert standard.status == "drafting"
    assert draft_version(standard) is not None
    entry = ChangeLogEntry.objects.filter(action="transition", object_id=str(standard.pk)).get()
    assert entry.changes == {"status": ["立项", "起草"]} and entry.actor == standards_officer


def test_only_the_office_approves_or_rejects_a_proposal(org_a, department_head, leader) -> None:
    standard = proposal(org_a, department_head)
    for someone in (department_head, leader):
        with pytest.raises(PermissionDenied):
            steps.proposal_approve(standard=standard, actor=someone)
        with pytest.raises(PermissionDenied):
            steps.proposal_reject(standard=standard, actor=someone, note="不需要")
    assert Standard.objects.get(pk=standard.pk).status == "proposed"


def test_a_rejection_needs_its_reason_and_tells_the_proposer(
    org_a, standards_officer, department, django_capture_on_commit_callbacks
) -> None:
    head = person(org_a, "head2", "department_head", name="钱科长", department=department)
    standard = proposal(org_a, head)
    Standard.objects.filter(pk=standard.pk).update(proposer=head)
    standard.refresh_from_db()
    with pytest.raises(ValidationError, match="请填写不予立项的原因。"):
        steps.proposal_reject(standard=standard, actor=standards_officer, note="  ")
    with django_capture_on_commit_callbacks(execute=True):
        steps.proposal_reject(standard=standard, actor=standards_officer, note="已有国家标准")
    assert Standard.objects.get(pk=standard.pk).status == "withdrawn"
    assert inbox(head) == ["《会议服务规范》未予立项"]
    assert Notification.objects.get(recipient=head).body == "已有国家标准"


# ---- 征求意见 ------------------------------------------------------------------------------


def test_the_owner_departments_head_circulates_and_invitees_hear_of_it(
    owned, department_head, worker, leader, org_a, django_capture_on_commit_callbacks
) -> None:
    unit = ServedUnit.objects.create(organization=org_a, code="SW", name="市委办公室", body="party")
    served = person(org_a, "sunny", "served", name="孙科员")
    unit.requesters.add(served)
    with django_capture_on_commit_callbacks(execute=True):
        consultation = circulate(
            owned,
            department_head,
            departments=[worker.department],
            served_units=[unit],
            people=[leader],
            message="请重点看保洁频次。",
        )
    owned.refresh_from_db()
    assert owned.status == "consultation"
    assert consultation.version == draft_version(owned)
    assert set(consultation_invitees(consultation)) == {
        worker,
        served,
        leader,
        department_head,
    }
    for invited in (worker, served, leader):
        assert inbox(invited) == ["请对《公共卫生间保洁规范》征求意见稿提出意见"]
    note = Notification.objects.get(recipient=worker)
    assert "2026年03月16日前提出意见" in note.body and "请重点看保洁频次" in note.body
    assert note.link == f"/standards/consultations/{consultation.pk}/"
    assert inbox(department_head) == []  # not told of their own step
    assert transition_notes(owned)[-1] == "截止2026-03-16；发给物业管理科、市委办公室、张领导"


def test_only_drafters_of_the_standard_circulate_it(owned, org_a, worker, leader) -> None:
    other = Department.objects.create(organization=org_a, code="CG", name="车管科")
    head_elsewhere = person(org_a, "carl", "department_head", department=other)
    with pytest.raises(
        PermissionDenied, match="只有标准化办公室或归口科室的起草人员可以发出征求意见稿"
    ):
        circulate(owned, head_elsewhere, people=[worker])
    for someone in (worker, leader):
        with pytest.raises(PermissionDenied):
            circulate(owned, someone, people=[worker])
    assert not Consultation.objects.exists()


@pytest.mark.parametrize(
    ("deadline", "recipients", "message"),
    [
        (TODAY, True, "截止日期须晚于今天"),
        (date(2026, 3, 1), True, "截止日期须晚于今天"),
        (None, True, "请填写截止日期"),
        (date(2026, 3, 16), False, "请至少选择一个征求意见的科室、服务单位或人员"),
    ],
)
def test_a_consultation_needs_a_future_deadline_and_someone_to_ask(
    owned, standards_officer, worker, deadline, recipients, message
) -> None:
    with pytest.raises(ValidationError, match=message):
        circulate(
            owned, standards_officer, deadline=deadline, people=[worker] if recipients else []
        )
    assert Standard.objects.get(pk=owned.pk).status == "drafting"


def test_an_empty_draft_or_a_standard_in_force_is_not_circulated(
    org_a, standards_officer, worker, in_force
) -> None:
    empty = proposal(org_a, standards_officer)
    steps.proposal_approve(standard=empty, actor=standards_officer)
    with pytest.raises(ValidationError, match="草案还没有内容，请先起草文本再征求意见。"):
        circulate(empty, standards_officer, people=[worker])
    with pytest.raises(ValidationError, match="标准处于“实施”阶段，不能征求意见。"):
        circulate(in_force, standards_officer, people=[worker])


def test_the_drafting_checker_hook_blocks_circulation(
    owned, standards_officer, worker, monkeypatch
) -> None:
    assert steps.circulation_blockers(owned) == []
    monkeypatch.setattr(steps, "circulation_blockers", lambda s: ["S-ELEM-03：缺少“范围”一章"])
    with pytest.raises(ValidationError, match=r"1 处起草规则错误.*后才能征求意见：S-ELEM-03"):
        circulate(owned, standards_officer, people=[worker])


def test_recipients_of_another_organization_are_refused(owned, standards_officer, outsider) -> None:
    with pytest.raises(ValidationError, match="不属于本单位"):
        circulate(owned, standards_officer, people=[outsider])


# ---- 审查 ----------------------------------------------------------------------------------


def test_review_waits_for_every_comment_to_be_answered(
    owned, department_head, worker, leader, standards_officer, django_capture_on_commit_callbacks
) -> None:
    consultation = circulate(owned, department_head, people=[worker])
    first = commenting.comment_add(consultation=consultation, actor=worker, text="频次太低")
    commenting.comment_add(consultation=consultation, actor=worker, text="写明消毒剂")
    with pytest.raises(ValidationError, match="还有 2 条意见未处理"):
        steps.review_submit(standard=owned, actor=department_head)
    commenting.comment_answer(
        comment=first, actor=department_head, disposition="accepted", reply=""
    )
    with pytest.raises(ValidationError, match="还有 1 条意见未处理"):
        steps.review_submit(standard=owned, actor=department_head)
    second = Comment.objects.get(text="写明消毒剂")
    commenting.comment_answer(
        comment=second, actor=department_head, disposition="rejected", reply="另有消毒规范"
    )
    with django_capture_on_commit_callbacks(execute=True):
        steps.review_submit(standard=owned, actor=department_head)
    owned.refresh_from_db()
    consultation.refresh_from_db()
    assert owned.status == "review" and consultation.closed_at is not None
    assert inbox(leader) == ["《公共卫生间保洁规范》已提交审查"]
    assert inbox(standards_officer) == ["《公共卫生间保洁规范》已提交审查"]
    assert inbox(department_head) == []


def test_only_drafters_submit_for_review(owned, worker, leader) -> None:
    for someone in (worker, leader):
        with pytest.raises(PermissionDenied):
            steps.review_submit(standard=owned, actor=someone)


def test_an_empty_draft_is_not_sent_to_review(org_a, standards_officer) -> None:
    empty = proposal(org_a, standards_officer)
    steps.proposal_approve(standard=empty, actor=standards_officer)
    with pytest.raises(ValidationError, match="草案还没有内容，请先起草文本再提交审查。"):
        steps.review_submit(standard=empty, actor=standards_officer)


def test_returning_a_draft_ends_its_consultation(owned, department_head, worker) -> None:
    consultation = circulate(owned, department_head, people=[worker])
    with pytest.raises(ValidationError, match="请填写退回起草的原因。"):
        steps.standard_return_drafting(standard=owned, actor=department_head, note="")
    steps.standard_return_drafting(standard=owned, actor=department_head, note="范围要改")
    consultation.refresh_from_db()
    assert Standard.objects.get(pk=owned.pk).status == "drafting"
    assert consultation.closed_at is not None
    with pytest.raises(ValidationError, match="本次征求意见已经结束"):
        commenting.comment_add(consultation=consultation, actor=worker, text="晚了")


@pytest.mark.parametrize(
    ("conclusion", "conditions", "field", "message"),
    [
        ("conditional", "", "conditions", "结论为“修改后通过”时，请写明须修改的内容。"),
        ("failed", "", "conditions", "结论为“不通过”时，请写明理由和修改意见"),
        ("maybe", "", "conclusion", "请选择审查结论。"),
    ],
)
def test_a_review_conclusion_states_its_conditions(
    owned, standards_officer, conclusion, conditions, field, message
) -> None:
    steps.review_submit(standard=owned, actor=standards_officer)
    with pytest.raises(ValidationError) as error:
        steps.review_record(
            standard=owned,
            actor=standards_officer,
            held_on=TODAY,
            reviewers="张领导",
            conclusion=conclusion,
            conditions=conditions,
        )
    assert message in error.value.message_dict[field][0]
    assert not ReviewMeeting.objects.exists()


def test_a_review_is_recorded_by_the_office_after_it_was_held(
    owned, standards_officer, department_head
) -> None:
    with pytest.raises(
        ValidationError, match="标准处于“起草”阶段，不能记录审查结论；请先提交审查。"
    ):
        steps.review_record(
            standard=owned,
            actor=standards_officer,
            held_on=TODAY,
            reviewers="张领导",
            conclusion="passed",
        )
    steps.review_submit(standard=owned, actor=standards_officer)
    with pytest.raises(PermissionDenied, match="只有标准化办公室可以记录审查会。"):
        steps.review_record(
            standard=owned,
            actor=department_head,
            held_on=TODAY,
            reviewers="张",
            conclusion="passed",
        )
    with pytest.raises(ValidationError, match="审查日期不能晚于今天"):
        steps.review_record(
            standard=owned,
            actor=standards_officer,
            held_on=date(2026, 3, 3),
            reviewers="张",
            conclusion="passed",
        )


def test_a_failed_review_sends_the_draft_back_with_its_reasons(
    owned, standards_officer, department_head, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        meeting = reviewed(owned, standards_officer, "failed", "频次依据不足")
    owned.refresh_from_db()
    assert owned.status == "drafting" and meeting.version == draft_version(owned)
    assert transition_notes(owned)[-1] == "审查不通过：频次依据不足"
    assert "《公共卫生间保洁规范》已退回起草" in inbox(department_head)
    assert Notification.objects.get(recipient=department_head, title__contains="退回").body == (
        "审查不通过：频次依据不足"
    )


def test_a_passed_review_asks_the_leader_to_approve(
    owned, standards_officer, leader, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        reviewed(owned, standards_officer)
    assert Standard.objects.get(pk=owned.pk).status == "review"
    assert "《公共卫生间保洁规范》审查通过，待批准发布" in inbox(leader)


# ---- 批准发布、实施 --------------------------------------------------------------------------


def approve(standard, actor, effective_on=date(2026, 4, 1), number="JGSW/FW 007—2026"):
    return steps.standard_approve(
        standard=standard,
        actor=actor,
        number=number,
        published_on=TODAY,
        effective_on=effective_on,
    )


def test_only_the_leader_approves_and_only_after_a_passed_review(
    owned, standards_officer, leader
) -> None:
    with pytest.raises(ValidationError, match="须先经审查才能批准发布"):
        approve(owned, leader)
    steps.review_submit(standard=owned, actor=standards_officer)
    with pytest.raises(PermissionDenied, match="只有中心领导可以批准发布标准。"):
        approve(owned, standards_officer)
    with pytest.raises(ValidationError, match="草案还没有审查结论"):
        approve(owned, leader)


def test_a_draft_edited_after_its_review_needs_a_new_one(owned, standards_officer, leader) -> None:
    reviewed(owned, standards_officer, "conditional", "补充消毒要求")
    steps.standard_return_drafting(standard=owned, actor=standards_officer, note="按条件修改")
    clause = draft_version(owned).clauses.get(text="地面宜无积水。")
    with at(TODAY, 11):
        clause_edit(
            clause=clause, actor=standards_officer, base_revision=None, text="地面应无积水。"
        )
        steps.review_submit(standard=owned, actor=standards_officer)
        with pytest.raises(ValidationError, match="草案在审查后又修改过，请重新审查后再批准发布。"):
            approve(owned, leader)
    with at(TODAY, 14):
        steps.review_record(
            standard=owned,
            actor=standards_officer,
            held_on=TODAY,
            reviewers="张",
            conclusion="passed",
        )
        approve(owned, leader)
    assert Standard.objects.get(pk=owned.pk).status == "published"


def test_approval_fixes_the_number_and_dates_and_tells_drafters_and_office(
    owned, standards_officer, department_head, leader, django_capture_on_commit_callbacks
) -> None:
    reviewed(owned, standards_officer)
    with pytest.raises(ValidationError) as error:
        steps.standard_approve(
            standard=owned,
            actor=leader,
            number="JGSW/FW 007—2026",
            published_on=date(2026, 3, 3),
            effective_on=date(2026, 4, 1),
        )
    assert error.value.message_dict["published_on"] == ["发布日期不能晚于今天。"]
    with pytest.raises(ValidationError, match="不符合格式"):
        approve(owned, leader, number="保洁规范1号")
    with django_capture_on_commit_callbacks(execute=True):
        approve(owned, leader)
    owned.refresh_from_db()
    version = published_version(owned)
    assert owned.status == "published" and owned.number == "JGSW/FW 007—2026"
    assert (owned.published_on, owned.effective_on) == (TODAY, date(2026, 4, 1))
    assert owned.review_due_on == date(2031, 4, 1)
    assert version is not None and version.number == "JGSW/FW 007—2026"
    for told in (standards_officer, department_head):
        assert "《公共卫生间保洁规范》已批准发布" in inbox(told)
    body = Notification.objects.get(recipient=department_head, title__contains="批准发布").body
    assert body == "标准编号 JGSW/FW 007—2026，2026-03-02发布，2026-04-01实施。"
    assert not Acknowledgement.objects.exists()


@pytest.fixture
def governed(org_a, owned, department, department_head, worker):
    """Who the standard governs: a cleaner on its post (with and without an account, one who
    left), the owner department's people; plus someone it does not govern."""
    post = Post.objects.create(organization=org_a, code="BJ", name="保洁员")
    owned.posts.add(post)
    cleaner = person(org_a, "cleaner", "vendor_worker", name="周保洁")
    gone = person(org_a, "gone", "vendor_worker", name="吴离职")
    disabled = person(
        org_a, "disabled", "worker", name="郑停用", department=department, is_active=False
    )
    Staff.objects.create(
        organization=org_a,
        number="001",
        name="周保洁",
        user=cleaner,
        post=post,
        employment="contract",
    )
    Staff.objects.create(
        organization=org_a,
        number="002",
        name="吴离职",
        user=gone,
        post=post,
        employment="contract",
        status="left",
    )
    Staff.objects.create(
        organization=org_a, number="003", name="无账号", post=post, employment="contract"
    )
    unrelated = person(org_a, "driver", "worker", name="冯司机")
    return {
        "in": {cleaner, department_head, worker},
        "out": {gone, disabled, unrelated},
    }


def test_a_standard_whose_date_has_come_takes_effect_when_approved(
    owned, standards_officer, leader, governed, django_capture_on_commit_callbacks
) -> None:
    StandardSettings.objects.update_or_create(
        organization=owned.organization, defaults={"acknowledge_days": 10}
    )
    reviewed(owned, standards_officer)
    with django_capture_on_commit_callbacks(execute=True):
        approve(owned, leader, effective_on=TODAY)
    owned.refresh_from_db()
    assert owned.status == "in_force"
    acks = Acknowledgement.objects.filter(version=published_version(owned))
    assert {a.user for a in acks} == governed["in"]
    assert {a.due_on for a in acks} == {date(2026, 3, 12)}
    for user in governed["in"]:
        assert "请阅读并确认：《公共卫生间保洁规范》" in inbox(user)
    for user in governed["out"]:
        assert inbox(user) == []
    entry = ChangeLogEntry.objects.filter(object_id=str(owned.pk), action="transition").first()
    assert entry.changes == {"status": ["已发布", "实施"]}
    assert entry.actor is None and entry.actor_name == "系统（自动）"


def test_a_published_standard_takes_effect_on_its_date_once(
    owned, standards_officer, leader, governed, django_capture_on_commit_callbacks
) -> None:
    reviewed(owned, standards_officer)
    approve(owned, leader, effective_on=date(2026, 4, 1))
    with pytest.raises(ValidationError, match="实施日期为2026-04-01，还没到；到期后系统自动实施。"):
        steps.standard_take_effect(standard=owned, actor=standards_officer)
    assert steps.effective_standards_activate(today=date(2026, 3, 31)) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert steps.effective_standards_activate(today=date(2026, 4, 1)) == 1
    assert Standard.objects.get(pk=owned.pk).status == "in_force"
    assert steps.effective_standards_activate(today=date(2026, 4, 2)) == 0
    assert Acknowledgement.objects.count() == len(governed["in"])
    assert {a.due_on for a in Acknowledgement.objects.all()} == {date(2026, 4, 15)}


def test_the_office_may_put_a_standard_in_force_once_its_date_has_come(
    owned, standards_officer, leader, department_head
) -> None:
    reviewed(owned, standards_officer)
    approve(owned, leader, effective_on=date(2026, 3, 5))
    with at(date(2026, 3, 5)):
        with pytest.raises(PermissionDenied):
            steps.standard_take_effect(standard=owned, actor=department_head)
        steps.standard_take_effect(standard=owned, actor=standards_officer)
    assert Standard.objects.get(pk=owned.pk).status == "in_force"


def test_only_the_person_acknowledges_and_only_once(
    owned, standards_officer, leader, governed, worker, department_head
) -> None:
    reviewed(owned, standards_officer)
    approve(owned, leader, effective_on=TODAY)
    ack = Acknowledgement.objects.get(user=worker)
    with pytest.raises(PermissionDenied, match="只能确认自己的阅读任务。"):
        steps.acknowledge(acknowledgement=ack, actor=department_head)
    steps.acknowledge(acknowledgement=ack, actor=worker)
    ack.refresh_from_db()
    assert ack.acknowledged_at is not None
    with pytest.raises(ValidationError, match="你已经确认阅读过这个版本。"):
        steps.acknowledge(acknowledgement=ack, actor=worker)
    assert ChangeLogEntry.objects.filter(object_id=str(ack.pk), note="我已阅读").count() == 1
    steps.standard_withdraw(standard=owned, actor=standards_officer, note="合并到新标准")
    other = Acknowledgement.objects.get(user=department_head)
    with pytest.raises(ValidationError, match="这项标准已经废止，不需要再确认阅读。"):
        steps.acknowledge(acknowledgement=other, actor=department_head)


# ---- 复审、修订、废止 -----------------------------------------------------------------------


def test_a_periodic_review_found_valid_moves_the_next_review(
    in_force, standards_officer, django_capture_on_commit_callbacks
) -> None:
    steps.periodic_review_start(standard=in_force, actor=standards_officer)
    assert Standard.objects.get(pk=in_force.pk).status == "under_review"
    review = steps.periodic_review_decide(
        standard=in_force, actor=standards_officer, conclusion="valid", note=""
    )
    in_force.refresh_from_db()
    assert in_force.status == "in_force" and in_force.review_due_on == date(2031, 3, 2)
    assert (review.decided_on, review.decided_by) == (TODAY, standards_officer)


def test_a_standard_in_force_may_be_reviewed_earlier_on_demand(in_force, standards_officer) -> None:
    steps.periodic_review_decide(
        standard=in_force, actor=standards_officer, conclusion="valid", note="提前复审"
    )
    in_force.refresh_from_db()
    assert in_force.status == "in_force" and in_force.review_due_on == date(2031, 3, 2)
    assert PeriodicReview.objects.get().note == "提前复审"


def test_a_review_concluding_revise_opens_a_revision_draft(in_force, standards_officer) -> None:
    old = published_version(in_force)
    with pytest.raises(ValidationError, match="复审结论为“修订”时，请写明理由。"):
        steps.periodic_review_decide(
            standard=in_force, actor=standards_officer, conclusion="revise", note=""
        )
    steps.periodic_review_decide(
        standard=in_force, actor=standards_officer, conclusion="revise", note="频次要提高"
    )
    in_force.refresh_from_db()
    draft = draft_version(in_force)
    assert in_force.status == "revising" and draft is not None and draft.based_on == old
    assert set(draft.clauses.values_list("uid", flat=True)) == set(
        old.clauses.values_list("uid", flat=True)
    )


def test_a_review_concluding_withdraw_withdraws_and_tells_the_office(
    in_force, standards_officer, org_a, django_capture_on_commit_callbacks
) -> None:
    other_officer = person(org_a, "bella", "standards_officer", name="陈标准")
    steps.periodic_review_start(standard=in_force, actor=standards_officer)
    with django_capture_on_commit_callbacks(execute=True):
        steps.periodic_review_decide(
            standard=in_force, actor=standards_officer, conclusion="withdraw", note="业务已外包"
        )
    in_force.refresh_from_db()
    assert in_force.status == "withdrawn" and in_force.withdrawn_on == TODAY
    assert "《公共卫生间保洁规范》已废止" in inbox(other_officer)
    assert transition_notes(in_force)[-1] == "业务已外包"


def test_periodic_reviews_are_the_offices_and_for_standards_in_force(
    owned, in_force, department_head, standards_officer
) -> None:
    with pytest.raises(PermissionDenied, match="只有标准化办公室可以作出复审结论。"):
        steps.periodic_review_decide(
            standard=in_force, actor=department_head, conclusion="valid", note=""
        )
    with pytest.raises(ValidationError, match="标准处于“起草”阶段，不能作出复审结论"):
        steps.periodic_review_decide(
            standard=owned, actor=standards_officer, conclusion="valid", note=""
        )
    with pytest.raises(PermissionDenied):
        steps.periodic_review_start(standard=in_force, actor=department_head)


def test_revise_and_withdraw_straight_from_in_force(in_force, standards_officer, org_a) -> None:
    with pytest.raises(ValidationError, match="请填写废止的原因。"):
        steps.standard_withdraw(standard=in_force, actor=standards_officer, note="")
    steps.standard_revise(standard=in_force, actor=standards_officer)
    assert Standard.objects.get(pk=in_force.pk).status == "revising"
    with pytest.raises(ValidationError, match="当前状态为“修订”，不能废止。"):
        steps.standard_withdraw(standard=in_force, actor=standards_officer, note="不用了")


def test_a_revision_goes_through_consultation_and_replaces_the_version_in_force(
    org_a, standards_officer, leader, worker
) -> None:
    in_force = in_force_make(org_a, standards_officer, text=COMPLETE_TEXT)
    steps.standard_revise(standard=in_force, actor=standards_officer)
    consultation = circulate(in_force, standards_officer, people=[worker])
    assert consultation.version == draft_version(in_force)
    commenting.comment_add(consultation=consultation, actor=worker, text="同意")
    commenting.comment_answer(
        comment=Comment.objects.get(), actor=standards_officer, disposition="accepted", reply=""
    )
    reviewed(in_force, standards_officer)
    approve(in_force, leader, effective_on=TODAY, number="JGSW/FW 001—2026")
    in_force.refresh_from_db()
    assert in_force.status == "in_force"
    assert in_force.versions.published().count() == 2
    assert published_version(in_force).seq == 2
