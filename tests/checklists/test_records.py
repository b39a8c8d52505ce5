"""Templates built from clauses of standards in force, items that never change a past
record, and a record filled, checked for what its rules ask, scored and submitted once."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from houqin.checklists.models import Answer, ChecklistItem, Record
from houqin.checklists.services import (
    answer_save,
    item_add,
    item_remove,
    item_update,
    items_from_clauses,
    record_start,
    record_submit,
    template_create,
)
from houqin.common.models import ChangeLogEntry
from houqin.standards.models import Clause
from tests.standards.builders import draft_make, in_force_make

pytestmark = pytest.mark.django_db
A = ChecklistItem.AnswerType


@pytest.fixture
def template(org_a, standards_officer):
    return template_create(
        organization=org_a, actor=standards_officer, data={"name": "公共卫生间保洁检查"}
    )


def _provisions(standard) -> list[Clause]:
    version = standard.versions.get(published_at__isnull=False)
    return list(version.clauses.filter(kind__in=("paragraph", "list_item")).order_by("pk"))


def test_items_cite_clauses_of_standards_in_force_only(template, org_a, standards_officer) -> None:
    standard = in_force_make(org_a, standards_officer)
    clauses = _provisions(standard)[:2]
    items = items_from_clauses(
        template=template, actor=standards_officer, clause_ids=[c.pk for c in clauses]
    )
    assert [i.clause_uid for i in items] == [c.uid for c in clauses]
    assert items[0].text == " ".join(clauses[0].text.split())
    assert standard.number in items[0].guidance and items[0].standard == standard
    assert template.revision == 2
    drafting = draft_make(org_a, standards_officer, number="JGSW/FW 099—2026")
    draft_clause = drafting.versions.get().clauses.exclude(text="").first()
    with pytest.raises(ValidationError, match="现行标准"):
        items_from_clauses(template=template, actor=standards_officer, clause_ids=[draft_clause.pk])


def test_a_number_item_needs_limits_and_a_choice_two_options(template, standards_officer) -> None:
    with pytest.raises(ValidationError) as caught:
        item_add(
            template=template,
            actor=standards_officer,
            data={"text": "冰箱温度", "answer_type": A.NUMBER},
        )
    assert "min_value" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        item_add(
            template=template,
            actor=standards_officer,
            data={"text": "地面", "answer_type": A.CHOICE, "choices": ["干净"]},
        )
    assert "choices" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        item_add(
            template=template,
            actor=standards_officer,
            data={"text": "备注", "answer_type": A.TEXT, "veto": True},
        )
    assert "veto" in caught.value.message_dict


def _filled(template, actor, values: dict[str, str]) -> Record:
    record = record_start(template=template, actor=actor)
    for answer in record.answers.select_related("item"):
        value = values.get(answer.item.text, "pass")
        answer_save(
            answer=answer, actor=actor, value=value, note="地面有积水" if value == "fail" else ""
        )
    return record


def test_editing_a_used_item_never_changes_the_past_record(template, standards_officer) -> None:
    floor = item_add(template=template, actor=standards_officer, data={"text": "地面无积水"})
    item_add(template=template, actor=standards_officer, data={"text": "洗手液充足"})
    record = _filled(template, standards_officer, {})
    record_submit(record=record, actor=standards_officer, photos={})
    used_pk, key = floor.pk, floor.key
    edited = item_update(item=floor, actor=standards_officer, data={"text": "地面干燥、无积水"})
    assert edited.pk != used_pk and edited.key == key and edited.current
    floor = ChecklistItem.objects.get(pk=used_pk)
    assert not floor.current and floor.text == "地面无积水"
    assert [a.item.text for a in record.answers.select_related("item")] == [
        "地面无积水",
        "洗手液充足",
    ]
    next_record = record_start(template=template, actor=standards_officer)
    assert [a.item.text for a in next_record.answers.select_related("item")] == [
        "地面干燥、无积水",
        "洗手液充足",
    ]
    item_remove(item=edited, actor=standards_officer)
    assert ChecklistItem.objects.filter(pk=edited.pk).exists()  # a draft record holds it
    assert template.items.filter(current=True).count() == 1


def test_an_unused_item_is_edited_in_place(template, standards_officer) -> None:
    floor = item_add(template=template, actor=standards_officer, data={"text": "地面无积水"})
    edited = item_update(item=floor, actor=standards_officer, data={"text": "地面干燥"})
    assert edited.pk == floor.pk
    item_remove(item=edited, actor=standards_officer)
    assert not ChecklistItem.objects.filter(pk=floor.pk).exists()


def test_a_failure_needs_its_note_and_photo_before_submitting(template, standards_officer) -> None:
    item_add(template=template, actor=standards_officer, data={"text": "地面无积水"})
    record = record_start(template=template, actor=standards_officer)
    answer = record.answers.get()
    with pytest.raises(ValidationError, match="还没有填写"):
        record_submit(record=record, actor=standards_officer, photos={})
    answer_save(answer=answer, actor=standards_officer, value="fail")
    with pytest.raises(ValidationError) as caught:
        record_submit(record=record, actor=standards_officer, photos={})
    assert "需要拍照" in str(caught.value) and "不合格需要写明情况" in str(caught.value)
    answer_save(answer=answer, actor=standards_officer, value="fail", note="门口有积水")
    submitted = record_submit(record=record, actor=standards_officer, photos={answer.pk: 1})
    assert submitted.status == "submitted" and submitted.passed is False
    assert submitted.score == Decimal("0.00")


def test_a_record_is_submitted_once_and_a_retried_draft_finds_it(
    template, standards_officer, worker
) -> None:
    item_add(template=template, actor=standards_officer, data={"text": "洗手液充足"})
    first = record_start(
        template=template,
        actor=standards_officer,
        client_key="4a7f3c1e-0000-4000-8000-000000000001",
    )
    again = record_start(
        template=template, actor=standards_officer, client_key=str(first.client_key)
    )
    assert again.pk == first.pk and Record.objects.count() == 1
    answer_save(answer=first.answers.get(), actor=standards_officer, value="pass")
    done = record_submit(record=first, actor=standards_officer, photos={})
    when = done.submitted_at
    assert record_submit(record=first, actor=standards_officer, photos={}).submitted_at == when
    with pytest.raises(ValidationError, match="已提交"):
        answer_save(answer=first.answers.get(), actor=standards_officer, value="fail")
    assert done.passed is True and done.score == Decimal("100.00")
    assert (
        ChangeLogEntry.objects.filter(object_id=str(done.pk), content_type__model="record").count()
        == 2
    )


def test_only_the_inspector_fills_the_record(template, standards_officer, worker) -> None:
    item_add(template=template, actor=standards_officer, data={"text": "洗手液充足"})
    record = record_start(template=template, actor=standards_officer)
    with pytest.raises(ValidationError, match="检查人本人"):
        answer_save(answer=record.answers.get(), actor=worker, value="pass")
    assert Answer.objects.get(record=record).outcome == ""
