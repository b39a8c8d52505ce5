"""Every write of the checklist engine: building templates from clauses of standards in
force, editing items without touching past records, and filling, scoring and submitting a
record. Each write checks its rule and records the change log in the same transaction."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from houqin.checklists.models import Answer, ChecklistItem, ChecklistTemplate, Record, Task
from houqin.checklists.selectors import cite_label, version_cites
from houqin.common.changelog import changelog_record, diff, snapshot
from houqin.common.models import ChangeLogEntry
from houqin.common.services import record_create, validate
from houqin.standards.models import IN_FORCE_STATES, Clause

A = ChecklistItem.AnswerType
R = Answer.Outcome
ITEM_FIELDS = frozenset(
    {
        "text",
        "guidance",
        "answer_type",
        "unit",
        "min_value",
        "max_value",
        "choices",
        "fail_choices",
        "photo_rule",
        "note_on_fail",
        "finding_on_fail",
        "critical",
        "veto",
        "score",
        "weight",
        "severity",
        "fix_days",
    }
)
HUNDRED = Decimal("100")


# ---- templates and items ------------------------------------------------------------------


def _in_force_clauses(organization: Any, clause_ids: Iterable[int]) -> list[Clause]:
    """The clauses asked for, each in the published version of a standard in force of the
    organization; anything else is refused."""
    ids = list(dict.fromkeys(clause_ids))
    clauses = list(
        Clause.objects.filter(
            pk__in=ids,
            version__published_at__isnull=False,
            version__standard__organization=organization,
            version__standard__status__in=IN_FORCE_STATES,
        ).select_related("version__standard")
    )
    if len(clauses) != len(ids):
        raise ValidationError("只能引用本单位现行标准已发布版本中的条款。")
    order = {pk: index for index, pk in enumerate(ids)}
    return sorted(clauses, key=lambda c: order[c.pk])


def item_text_of(clause: Clause) -> str:
    """An item's wording from a clause: its text (or title), one line, at most 300 chars."""
    text = " ".join((clause.text or clause.title).split())
    return text[:300]


@transaction.atomic
def items_from_clauses(
    *, template: ChecklistTemplate, actor: Any, clause_ids: Iterable[int]
) -> list[ChecklistItem]:
    """Add one item per ticked clause, citing it (standard, the clause's stable ``uid`` and
    the published row), worded as the clause is; the person edits the wording after."""
    clauses = _in_force_clauses(template.organization, clause_ids)
    cites = version_cites({c.version_id for c in clauses})
    start = _next_position(template)
    items = []
    for offset, clause in enumerate(clauses):
        item = ChecklistItem(
            organization=template.organization,
            template=template,
            position=start + offset,
            text=item_text_of(clause),
            guidance=f"依据 {clause.version.standard.number} {cite_label(cites[clause.pk])}",
            standard=clause.version.standard,
            clause=clause,
            clause_uid=clause.uid,
        )
        validate(item)
        items.append(item)
    ChecklistItem.objects.bulk_create(items)
    if items:
        _bump(template, actor, f"从标准条款添加 {len(items)} 个检查项")
    return items


def _next_position(template: ChecklistTemplate) -> int:
    top = template.items.filter(current=True).aggregate(top=Max("position"))["top"]
    return 0 if top is None else top + 1


def _bump(template: ChecklistTemplate, actor: Any, what: str) -> None:
    ChecklistTemplate.objects.filter(pk=template.pk).update(
        revision=template.revision + 1, updated_at=timezone.now()
    )
    template.revision += 1
    changelog_record(
        obj=template,
        action=ChangeLogEntry.Action.UPDATE,
        actor=actor,
        changes={"检查项": ["", what]},
    )


@transaction.atomic
def item_add(*, template: ChecklistTemplate, actor: Any, data: dict[str, Any]) -> ChecklistItem:
    """A freely written item (no clause cited)."""
    _check_item_fields(data)
    item = ChecklistItem(
        organization=template.organization,
        template=template,
        position=_next_position(template),
        **data,
    )
    _check_item(item)
    item.save()
    _bump(template, actor, f"新增检查项“{item.text}”")
    return item


def _check_item_fields(data: dict[str, Any]) -> None:
    unknown = set(data) - ITEM_FIELDS
    if unknown:
        raise ValidationError(f"不能修改这些字段：{'、'.join(sorted(unknown))}。")


def _check_item(item: ChecklistItem) -> None:
    validate(item)
    errors: dict[str, str] = {}
    if item.answer_type == A.NUMBER:
        low, high = item.min_value, item.max_value
        if low is None and high is None:
            errors["min_value"] = "数值型检查项至少要有下限或上限，才能判断合格与否。"
        elif low is not None and high is not None and low > high:
            errors["max_value"] = "上限不能小于下限。"
    if item.answer_type == A.CHOICE:
        choices = [str(c).strip() for c in item.choices or [] if str(c).strip()]
        if len(choices) < 2:
            errors["choices"] = "选择型检查项至少要有两个选项。"
        elif not set(item.fail_choices or []) <= set(choices):
            errors["fail_choices"] = "算作不合格的选项必须是已有的选项。"
        item.choices = choices
    if item.veto and item.answer_type in (A.TEXT, A.PHOTO, A.SIGNATURE, A.DATETIME):
        errors["veto"] = "只有能判断合格与否的检查项（合格/不合格、数值、选择）才能设为否决项。"
    if item.score < 0 or item.weight <= 0:
        errors["weight"] = "分值不能为负，权重必须大于 0。"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def item_update(*, item: ChecklistItem, actor: Any, data: dict[str, Any]) -> ChecklistItem:
    """Change an item. A row that a record already used is frozen: it is retired and its
    successor (same ``key``, same place) carries the change, so past records read as filled."""
    _check_item_fields(data)
    stored = ChecklistItem.objects.select_for_update().get(pk=item.pk)
    if not stored.current:
        raise ValidationError("这个检查项已被修改过，请刷新页面后在最新内容上修改。")
    before = snapshot(stored)
    for name, value in data.items():
        setattr(item, name, value)
    _check_item(item)
    changes = diff(before, snapshot(item))
    if not changes:
        return item
    if Answer.objects.filter(item_id=stored.pk).exists():
        ChecklistItem.objects.filter(pk=stored.pk).update(current=False)
        item.pk = None
        item._state.adding = True
    item.save()
    template = item.template
    _bump(template, actor, f"修改检查项“{item.text}”")
    return item


@transaction.atomic
def item_remove(*, item: ChecklistItem, actor: Any) -> None:
    """Take an item off the template; a used row stays for the records that hold it."""
    if Answer.objects.filter(item_id=item.pk).exists():
        ChecklistItem.objects.filter(pk=item.pk).update(current=False)
    else:
        item.delete()
    _bump(item.template, actor, f"删除检查项“{item.text}”")


# ---- answers and scoring ------------------------------------------------------------------


def _number(value: str) -> Decimal | None:
    try:
        return Decimal(value.strip().replace("，", ".").replace(",", "."))
    except (InvalidOperation, AttributeError):
        return None


def outcome(item: ChecklistItem, value: str) -> str:
    """The outcome an answer's value gives under the item's rule ("" while unanswered).
    Pass/fail takes "pass", "fail" or "na"; a number passes within its limits; a choice
    fails when it is one of the failing choices; the other types pass once filled."""
    value = (value or "").strip()
    if not value:
        return R.EMPTY
    if value == R.NOT_APPLICABLE:
        return R.NOT_APPLICABLE
    if item.answer_type == A.PASS_FAIL:
        if value not in (R.PASS, R.FAIL):
            raise ValidationError(f"“{item.text}”只能选合格、不合格或不适用。")
        return value
    if item.answer_type == A.NUMBER:
        number = _number(value)
        if number is None:
            raise ValidationError(f"“{item.text}”请填写数字。")
        low, high = item.min_value, item.max_value
        inside = (low is None or number >= low) and (high is None or number <= high)
        return R.PASS if inside else R.FAIL
    if item.answer_type == A.CHOICE:
        if value not in item.choices:
            raise ValidationError(f"“{item.text}”请从选项中选择。")
        return R.FAIL if value in item.fail_choices else R.PASS
    return R.PASS


@dataclass(frozen=True)
class Score:
    """A record's result: the percentage (points earned / points possible, or items passed
    / items judged), whether a veto item failed, and whether it passes the template's mark."""

    percent: Decimal | None
    vetoed: bool
    passed: bool | None


def score(scoring: str, pass_mark: Decimal, answers: Iterable[tuple[ChecklistItem, str]]) -> Score:
    """Score (item, outcome) pairs. Not-applicable items count in neither the earned nor the
    possible points; a failed veto item fails the record whatever the percentage."""
    earned = possible = Decimal(0)
    vetoed = False
    for item, result in answers:
        if result not in (R.PASS, R.FAIL):
            continue
        vetoed = vetoed or (item.veto and result == R.FAIL)
        worth = item.score * item.weight if scoring == ChecklistTemplate.Scoring.POINTS else 1
        possible += worth
        if result == R.PASS:
            earned += worth
    if not possible:
        return Score(None, vetoed, False if vetoed else None)
    percent = (earned * HUNDRED / possible).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return Score(percent, vetoed, not vetoed and percent >= pass_mark)


def scoring_method(template: ChecklistTemplate) -> str:
    """The scoring rule in words, shown on every record."""
    base = (
        "按得分：合格项的分值×权重之和 ÷ 全部适用项的分值×权重之和"
        if template.scoring == ChecklistTemplate.Scoring.POINTS
        else "按合格率：合格项数 ÷ 适用项数"
    )
    mark = f"{template.pass_mark.normalize():f}"
    return f"{base}，达到 {mark}% 为合格；不适用项不计；否决项不合格则整份记录不合格。"


# ---- records ------------------------------------------------------------------------------


@transaction.atomic
def record_start(
    *,
    template: ChecklistTemplate,
    actor: Any,
    task: Task | None = None,
    place: Any = None,
    equipment: Any = None,
    client_key: uuid.UUID | str | None = None,
) -> Record:
    """Open a record with one empty answer per current item. A ``client_key`` already used
    in the organization returns that record (the phone retried), never a second one."""
    organization = template.organization
    if client_key:
        found = Record.objects.filter(organization=organization, client_key=client_key).first()
        if found is not None:
            return found
    if not template.active:
        raise ValidationError("这张检查表已停用。")
    items = list(template.items.filter(current=True).order_by("position", "pk"))
    if not items:
        raise ValidationError("这张检查表还没有检查项。")
    record = Record(
        organization=organization,
        template=template,
        template_revision=template.revision,
        task=task,
        kind=task.kind if task else template.kind,
        inspector=actor,
        place=place if place is not None else (task.place if task else None),
        equipment=equipment if equipment is not None else (task.equipment if task else None),
        started_at=timezone.now(),
        scoring=template.scoring,
        **({"client_key": client_key} if client_key else {}),
    )
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError:  # the same draft sent twice at once
        return Record.objects.get(organization=organization, client_key=record.client_key)
    Answer.objects.bulk_create(
        Answer(organization=organization, record=record, item=item, position=index)
        for index, item in enumerate(items)
    )
    changelog_record(
        obj=record,
        action=ChangeLogEntry.Action.CREATE,
        actor=actor,
        changes={"检查表": [None, template.name]},
    )
    return record


def _draft(record: Record) -> None:
    if record.status != Record.Status.DRAFT:
        raise ValidationError("记录已提交，不能再修改。")


@transaction.atomic
def answer_save(*, answer: Answer, actor: Any, value: str, note: str = "") -> Answer:
    """Save one answer of a draft record as the person goes (no log per keystroke: the
    submission is the logged event)."""
    record = Record.objects.select_for_update().get(pk=answer.record_id)
    _draft(record)
    if record.inspector_id != getattr(actor, "pk", None):
        raise ValidationError("只有检查人本人可以填写这份记录。")
    answer.outcome = outcome(answer.item, value)
    answer.value = (value or "").strip()[:500]
    answer.note = (note or "").strip()[:500]
    answer.save(update_fields=["value", "outcome", "note", "updated_at"])
    return answer


def missing(answer: Answer, photos: int) -> list[str]:
    """What an answer still lacks before the record can be submitted."""
    item = answer.item
    lacks = []
    if answer.outcome == R.EMPTY and item.answer_type != A.PHOTO:
        lacks.append("还没有填写")
    failed = answer.outcome == R.FAIL
    needs_photo = item.photo_rule == item.PhotoRule.ALWAYS or (
        failed and item.photo_rule == item.PhotoRule.ON_FAIL
    )
    if (needs_photo or item.answer_type == A.PHOTO) and not photos:
        lacks.append("需要拍照")
    if failed and item.note_on_fail and not answer.note:
        lacks.append("不合格需要写明情况")
    return lacks


@transaction.atomic
def record_submit(
    *,
    record: Record,
    actor: Any,
    photos: dict[int, int],
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
) -> Record:
    """Submit a draft: every answer filled and carrying what its rule asks (photo, note),
    scored, stamped with the server time; submitting again returns the record unchanged.
    ``photos`` counts the photos attached to each answer (by answer pk)."""
    record = Record.objects.select_for_update().get(pk=record.pk)
    if record.status == Record.Status.SUBMITTED:
        return record
    if record.inspector_id != getattr(actor, "pk", None):
        raise ValidationError("只有检查人本人可以提交这份记录。")
    answers = list(record.answers.select_related("item").order_by("position"))
    problems = {
        a.pk: f"{a.item.text}：{'，'.join(lacks)}"
        for a in answers
        if (lacks := missing(a, photos.get(a.pk, 0)))
    }
    if problems:
        raise ValidationError({"answers": list(problems.values())})
    template = record.template
    result = score(record.scoring, template.pass_mark, ((a.item, a.outcome) for a in answers))
    record.status = Record.Status.SUBMITTED
    record.submitted_at = timezone.now()
    record.score, record.vetoed, record.passed = result.percent, result.vetoed, result.passed
    record.latitude, record.longitude = latitude, longitude
    task = record.task
    record.wrong_place = bool(task and task.place_id and record.place_id != task.place_id)
    record.save()
    changelog_record(
        obj=record,
        action=ChangeLogEntry.Action.UPDATE,
        actor=actor,
        changes={
            "状态": ["填写中", "已提交"],
            "结果": [None, _result_words(result)],
        },
    )
    return record


def _result_words(result: Score) -> str:
    if result.passed is None:
        return "全部不适用"
    verdict = "合格" if result.passed else "不合格"
    shown = f"{result.percent}%" if result.percent is not None else ""
    return f"{verdict} {shown}{'（否决项不合格）' if result.vetoed else ''}".strip()


def template_create(*, organization: Any, actor: Any, data: dict[str, Any]) -> ChecklistTemplate:
    return record_create(model=ChecklistTemplate, actor=actor, organization=organization, data=data)


# ---- written in their own modules for this one's size: doing a check on a phone and shift
# handovers (record_services), schedules and the workday calendar (schedule_services), tasks
# (task_services)

from houqin.checklists.draw_services import (  # noqa: E402, F401
    campaign_create,
    campaign_tasks_assign,
    draw_create,
    draw_verify,
)
from houqin.checklists.record_services import (  # noqa: E402, F401
    answer_photo_add,
    answer_photo_delete,
    answer_sign,
    handover_create,
    record_complete,
    record_open,
    record_preview,
    record_send,
)
from houqin.checklists.schedule_services import (  # noqa: E402, F401
    calendar_day_remove,
    calendar_day_set,
    calendar_import,
    schedule_create,
    schedule_update,
)
from houqin.checklists.selectors import tasks_for  # noqa: E402, F401
from houqin.checklists.task_services import (  # noqa: E402, F401
    task_cancel,
    task_move,
    task_reassign,
    task_take,
    tasks_expire,
    tasks_generate,
    tasks_remind,
)
from houqin.checklists.template_services import (  # noqa: E402, F401
    NOTICE_KIND,
    TEMPLATE_FIELDS,
    CitationReview,
    citation_reviewed,
    citations_review,
    item_change,
    item_move,
    template_update,
)
