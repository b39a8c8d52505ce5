"""Third-party evaluations (第三方评价): an outside party's results, entered one by one on a
form or imported from Excel, by a person of the organization on the party's behalf.

Each result becomes a record of kind “第三方评价” through the same record services as any
check (``record_start``, ``answer_save``, ``findings.services.record_finish``), so a failed
item raises a finding. The evidence is the party's report (its number is kept), not photos
taken by the person entering it: photo rules are therefore not asked of these records.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from houqin.checklists.models import (
    DO_TASKS,
    MANAGE,
    Answer,
    ChecklistItem,
    ChecklistTemplate,
    InspectionKind,
    Record,
    ThirdPartyEvaluation,
)
from houqin.checklists.services import answer_save, outcome, record_start
from houqin.common.changelog import changelog_record
from houqin.common.models import ChangeLogEntry

A = ChecklistItem.AnswerType
R = Answer.Outcome
WORDS = {"合格": R.PASS, "是": R.PASS, "不合格": R.FAIL, "否": R.FAIL, "不适用": R.NOT_APPLICABLE}
NOTE_MARKS = ("：", ":")


@dataclass(frozen=True)
class Party:
    """Who evaluated: the outside organization, the evaluator, the day and the report number."""

    party: str
    evaluator: str
    evaluated_on: date
    reference: str = ""


def answer_parse(item: ChecklistItem, cell: str) -> tuple[str, str]:
    """A cell as the party wrote it → (value, note). “合格”, “不合格：地面有积水”, “不适用”,
    a number or a choice; the words after a colon are the note. Raises ValidationError
    with a plain message when the cell does not fit the item."""
    text = " ".join((cell or "").split())
    note = ""
    for mark in NOTE_MARKS:
        if mark in text:
            text, note = (part.strip() for part in text.split(mark, 1))
            break
    value = WORDS.get(text, text) if item.answer_type == A.PASS_FAIL else text
    if text == "不适用":
        value = R.NOT_APPLICABLE
    result = outcome(item, value)
    if result == R.EMPTY and item.answer_type != A.PHOTO:
        raise ValidationError(f"“{item.text}”没有填写。")
    if result == R.FAIL and item.note_on_fail and not note:
        raise ValidationError(f"“{item.text}”不合格，请在“不合格”后加冒号写明情况。")
    return value, note


def answers_parse(
    items: Sequence[ChecklistItem], cells: Mapping[int, str]
) -> tuple[dict[int, tuple[str, str]], list[str]]:
    """Every item's cell parsed (by item pk), and every problem found."""
    parsed: dict[int, tuple[str, str]] = {}
    problems: list[str] = []
    for item in items:
        try:
            parsed[item.pk] = answer_parse(item, cells.get(item.pk, ""))
        except ValidationError as error:
            problems.extend(error.messages)
    return parsed, problems


def _check_party(organization_id: int, party: Party) -> None:
    problems = {}
    if not party.party.strip():
        problems["party"] = "请填写评价单位。"
    if not party.evaluator.strip():
        problems["evaluator"] = "请填写评价人。"
    if (
        party.reference
        and ThirdPartyEvaluation.objects.filter(
            organization_id=organization_id, reference=party.reference
        ).exists()
    ):
        problems["reference"] = f"报告编号“{party.reference}”已经录入过。"
    if problems:
        raise ValidationError(problems)


def current_items(template: ChecklistTemplate) -> list[ChecklistItem]:
    return list(template.items.filter(current=True).order_by("position", "pk"))


@transaction.atomic
def third_party_record(
    *,
    template: ChecklistTemplate,
    actor: Any,
    party: Party,
    cells: Mapping[int, str],
    place: Any = None,
    equipment: Any = None,
) -> Record:
    """录入第三方评价：以录入人为检查人建一份“第三方评价”记录，逐项填入对方的结论，提交并
    为不合格项生成问题；评价单位、评价人、评价日期和报告编号另行保存。"""
    # findings is built on this engine (it imports these services), hence the late import
    from houqin.findings.services import record_finish

    if not (actor.has_perm(DO_TASKS) and actor.has_perm(MANAGE)):
        raise PermissionDenied
    if template.organization_id != actor.organization_id:
        raise ValidationError("只能使用本单位的检查表。")
    for obj in (place, equipment):
        if obj is not None and obj.organization_id != template.organization_id:
            raise ValidationError("只能评价本单位的场所和设备。")
    _check_party(template.organization_id, party)
    items = current_items(template)
    parsed, problems = answers_parse(items, cells)
    if problems:
        raise ValidationError({"answers": problems})
    record = record_start(template=template, actor=actor, place=place, equipment=equipment)
    Record.objects.filter(pk=record.pk).update(kind=InspectionKind.THIRD_PARTY)
    record.kind = InspectionKind.THIRD_PARTY
    answers = list(record.answers.select_related("item"))
    for answer in answers:
        value, note = parsed[answer.item_id]
        answer_save(answer=answer, actor=actor, value=value, note=note)
    record = record_finish(record=record, actor=actor, photos={a.pk: 1 for a in answers})
    evaluation = ThirdPartyEvaluation.objects.create(
        organization=template.organization,
        record=record,
        party=party.party.strip()[:100],
        evaluator=party.evaluator.strip()[:40],
        evaluated_on=party.evaluated_on,
        reference=party.reference.strip()[:60],
    )
    changelog_record(
        obj=evaluation,
        action=ChangeLogEntry.Action.CREATE,
        actor=actor,
        changes={
            "评价单位": [None, evaluation.party],
            "评价人": [None, evaluation.evaluator],
            "评价日期": [None, str(evaluation.evaluated_on)],
        },
    )
    return record
