"""Comments during a consultation: who may comment, until when, on which clause, and how the
drafters answer them (采纳 / 部分采纳 / 不采纳 with a reason), change-logged until the draft
goes to review."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from houqin.common.models import ChangeLogEntry
from houqin.org.models import ServedUnit
from houqin.standards import lifecycle as steps
from houqin.standards import lifecycle_comments as commenting
from houqin.standards.models import Comment, Standard
from tests.conftest import person
from tests.standards.builders import COMPLETE_TEXT, draft_make
from tests.standards.test_lifecycle import TODAY, at, circulate

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen():
    with at(TODAY):
        yield


@pytest.fixture
def consultation(department, department_head, worker, leader, org_a, standards_officer):
    """A draft of the 物业管理科 (COMPLETE_TEXT, which the drafting check passes) circulated
    to that department, a served unit and the leader, until 16 March."""
    draft = draft_make(org_a, standards_officer, text=COMPLETE_TEXT)
    Standard.objects.filter(pk=draft.pk).update(owner_department=department)
    draft.refresh_from_db()
    unit = ServedUnit.objects.create(organization=org_a, code="SW", name="市委办公室", body="party")
    unit.requesters.add(person(org_a, "sunny", "served", name="孙科员"))
    return circulate(
        draft,
        department_head,
        deadline=date(2026, 3, 16),
        departments=[department],
        served_units=[unit],
        people=[leader],
    )


def clause(consultation, **lookup):
    return consultation.version.clauses.get(**lookup)


def test_invitees_comment_on_a_clause_with_its_number_and_their_unit(
    consultation, worker, leader, org_a
) -> None:
    sunny = org_a.users.get(username="sunny")
    on_frequency = clause(consultation, text="保洁员应每2 h保洁1次。")
    by_worker = commenting.comment_add(
        consultation=consultation, actor=worker, text="改为每1 h", clause_uid=on_frequency.uid
    )
    by_unit = commenting.comment_add(
        consultation=consultation,
        actor=sunny,
        text="注的说法不清",
        clause_uid=str(clause(consultation, kind="note").uid),
    )
    overall = commenting.comment_add(consultation=consultation, actor=leader, text="总体同意")
    assert (by_worker.clause_number, by_worker.author_unit) == ("4.1", "物业管理科")
    assert (by_unit.clause_number, by_unit.author_unit) == ("4.2 注", "市委办公室")
    assert (overall.clause_uid, overall.clause_number) == (None, "")
    assert overall.author_unit == org_a.name  # the leader has no department
    assert {c.disposition for c in (by_worker, by_unit, overall)} == {"pending"}
    assert (
        ChangeLogEntry.objects.filter(content_type__model="comment", action="create").count() == 3
    )


def test_people_not_invited_may_not_comment_but_office_and_drafters_may(
    consultation, vendor_worker, standards_officer, served
) -> None:
    for stranger in (vendor_worker, served):
        with pytest.raises(PermissionDenied, match="你不在本次征求意见的范围内，不能提意见。"):
            commenting.comment_add(consultation=consultation, actor=stranger, text="我也说两句")
    commenting.comment_add(
        consultation=consultation, actor=standards_officer, text="格式按GB/T 1.1"
    )
    assert Comment.objects.count() == 1


def test_comments_close_at_the_end_of_the_deadline_day(consultation, worker) -> None:
    with at(date(2026, 3, 16), 23, 59):
        commenting.comment_add(consultation=consultation, actor=worker, text="最后一天")
    late = pytest.raises(ValidationError, match="征求意见已于2026-03-16截止，不能再提意见。")
    with at(date(2026, 3, 17), 0, 1), late:
        commenting.comment_add(consultation=consultation, actor=worker, text="晚了一分钟")
    assert Comment.objects.count() == 1


def test_a_comment_needs_text_and_a_clause_of_this_draft(consultation, worker, in_force) -> None:
    with pytest.raises(ValidationError, match="请填写意见内容。"):
        commenting.comment_add(consultation=consultation, actor=worker, text="   ")
    elsewhere = in_force.versions.get().clauses.first()
    for uid in (elsewhere.uid, "not-a-uuid"):
        with pytest.raises(ValidationError, match="所选条款不在本次征求意见稿中，请重新选择。"):
            commenting.comment_add(
                consultation=consultation, actor=worker, text="x", clause_uid=uid
            )
    with pytest.raises(ValidationError, match="意见内容最多2000字"):
        commenting.comment_add(consultation=consultation, actor=worker, text="长" * 2001)


def test_no_comment_once_the_draft_went_to_review(consultation, worker, department_head) -> None:
    steps.review_submit(standard=consultation.standard, actor=department_head)
    with pytest.raises(ValidationError, match="本次征求意见已经结束，不能再提意见。"):
        commenting.comment_add(consultation=consultation, actor=worker, text="还想提")


def test_drafters_answer_each_comment_with_a_reason_when_not_accepted(
    consultation, worker, department_head
) -> None:
    comment = commenting.comment_add(consultation=consultation, actor=worker, text="改为每1 h")
    for disposition in ("partly", "rejected"):
        with pytest.raises(ValidationError) as error:
            commenting.comment_answer(
                comment=comment, actor=department_head, disposition=disposition, reply=" "
            )
        assert error.value.message_dict["reply"][0].endswith("请在处理说明中写明理由。")
    with pytest.raises(ValidationError, match="请选择处理结果：采纳、部分采纳或不采纳。"):
        commenting.comment_answer(
            comment=comment, actor=department_head, disposition="pending", reply=""
        )
    commenting.comment_answer(
        comment=comment, actor=department_head, disposition="accepted", reply=""
    )
    comment.refresh_from_db()
    assert (comment.disposition, comment.answered_by) == ("accepted", department_head)
    assert comment.answered_at is not None


def test_only_drafters_of_the_standard_answer(consultation, worker, leader, org_a) -> None:
    comment = commenting.comment_add(consultation=consultation, actor=worker, text="改为每1 h")
    other = person(org_a, "carl", "department_head")  # a head without the owner department
    for someone in (worker, leader, other):
        with pytest.raises(
            PermissionDenied, match="只有标准化办公室或归口科室的起草人员可以处理意见。"
        ):
            commenting.comment_answer(
                comment=comment, actor=someone, disposition="accepted", reply=""
            )


def test_an_answer_may_change_until_review_and_every_change_is_logged(
    consultation, worker, department_head, standards_officer
) -> None:
    comment = commenting.comment_add(consultation=consultation, actor=worker, text="改为每1 h")
    commenting.comment_answer(
        comment=comment, actor=department_head, disposition="accepted", reply=""
    )
    commenting.comment_answer(
        comment=comment, actor=standards_officer, disposition="partly", reply="高峰时段每1 h"
    )
    entries = ChangeLogEntry.objects.filter(
        content_type__model="comment", object_id=str(comment.pk), action="update"
    ).order_by("pk")
    assert [e.changes["disposition"] for e in entries] == [["待处理", "采纳"], ["采纳", "部分采纳"]]
    assert entries[1].changes["reply"] == ["", "高峰时段每1 h"]
    assert entries[1].actor == standards_officer
    steps.review_submit(standard=consultation.standard, actor=department_head)
    with pytest.raises(
        ValidationError,
        match="本次征求意见已经结束（草案已提交审查或退回起草），处理结果不能再修改。",
    ):
        commenting.comment_answer(
            comment=comment, actor=department_head, disposition="rejected", reply="算了"
        )
    assert Comment.objects.get(pk=comment.pk).disposition == "partly"


def test_answers_may_come_after_the_deadline(consultation, worker, department_head) -> None:
    comment = commenting.comment_add(consultation=consultation, actor=worker, text="改为每1 h")
    with at(date(2026, 3, 20)):
        commenting.comment_answer(
            comment=comment, actor=department_head, disposition="rejected", reply="现行频次够用"
        )
        steps.review_submit(standard=consultation.standard, actor=department_head)
    assert Standard.objects.get(pk=consultation.standard_id).status == "review"
