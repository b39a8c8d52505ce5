"""Every write of the checklist engine: building templates from clauses of standards in
force, editing items without touching past records, and filling, scoring and submitting a
record. Each write checks its rule and records the change log in the same transaction."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.urls import reverse
from django.utils import timezone

from houqin.checklists.models import Answer, ChecklistItem, ChecklistTemplate, Record, Task
from houqin.checklists.selectors import cite_label, version_cites
from houqin.common.changelog import changelog_record, diff, snapshot
from houqin.common.models import Attachment, ChangeLogEntry
from houqin.common.notifications import NOTIFICATION_KINDS, notify
from houqin.common.services import record_create, record_update, validate
from houqin.standards.models import IN_FORCE_STATES, Clause, Standard

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


# ---- template pages: the template's own fields, order, pictures, clause citations ---------

NOTICE_KIND = "checklist"
NOTIFICATION_KINDS.setdefault(NOTICE_KIND, "检查表")
TEMPLATE_FIELDS = frozenset(
    {
        "name",
        "description",
        "kind",
        "service_line",
        "department",
        "owner",
        "scoring",
        "pass_mark",
        "active",
    }
)


@transaction.atomic
def template_update(
    *, template: ChecklistTemplate, actor: Any, data: dict[str, Any]
) -> ChecklistTemplate:
    """修改检查表本身（名称、类型、负责人、计分方法……），检查项逐项修改。计分方法或合格线
    变了，修订次数加一：之后开始的记录按新办法计分，已有记录不变。"""
    unknown = set(data) - TEMPLATE_FIELDS
    if unknown:
        raise ValidationError(f"不能修改这些字段：{'、'.join(sorted(unknown))}。")
    stored = ChecklistTemplate.objects.get(pk=template.pk)
    template = record_update(obj=template, actor=actor, data=data)
    if (stored.scoring, stored.pass_mark) != (template.scoring, template.pass_mark):
        ChecklistTemplate.objects.filter(pk=template.pk).update(revision=F("revision") + 1)
        template.refresh_from_db(fields=["revision"])
    return template


def _pictures_follow(old_pk: int, new_pk: int) -> None:
    """The pictures of an item ("what good looks like") move to the row that replaced it."""
    if old_pk != new_pk:
        Attachment.objects.filter(
            content_type=ContentType.objects.get_for_model(ChecklistItem), object_id=str(old_pk)
        ).update(object_id=str(new_pk))


@transaction.atomic
def item_change(*, item: ChecklistItem, actor: Any, data: dict[str, Any]) -> ChecklistItem:
    """修改检查项（见 item_update：被记录用过的行保留给记录，由新行承接修改）；检查项的
    图片（合格样例）随检查项转到新行。"""
    old_pk = item.pk
    item = item_update(item=item, actor=actor, data=data)
    _pictures_follow(old_pk, item.pk)
    return item


@transaction.atomic
def item_move(*, item: ChecklistItem, actor: Any, direction: str) -> ChecklistItem:
    """把检查项上移或下移一位（与相邻的现行检查项交换顺序）；已有记录的顺序不变。"""
    if direction not in ("up", "down"):
        raise ValidationError("只能上移或下移。")
    template = item.template
    rows = list(template.items.select_for_update().filter(current=True).order_by("position", "pk"))
    index = next((i for i, row in enumerate(rows) if row.pk == item.pk), None)
    if index is None:
        raise ValidationError("这个检查项已被修改过，请刷新页面后再调整顺序。")
    target = index - 1 if direction == "up" else index + 1
    if not 0 <= target < len(rows):
        raise ValidationError("已经在最前面了。" if direction == "up" else "已经在最后面了。")
    rows[index], rows[target] = rows[target], rows[index]
    moved = []
    for position, row in enumerate(rows):
        if row.position != position:
            row.position = position
            moved.append(row)
    ChecklistItem.objects.bulk_update(moved, ["position"])
    item.position = target
    _bump(template, actor, f"“{item.text}”{'上移' if direction == 'up' else '下移'}一位")
    return item


def _newest_version_id(standard_id: int | None) -> int | None:
    if standard_id is None:
        return None
    return (
        Standard.objects.get(pk=standard_id)
        .versions.filter(published_at__isnull=False)
        .order_by("-seq")
        .values_list("pk", flat=True)
        .first()
    )


def _rewrite(item: ChecklistItem, used: bool, changes: dict[str, Any]) -> ChecklistItem:
    """Change an item's citation; a row a record used is retired and a successor (same key,
    same place, its pictures) carries the change, so the record keeps the clause it cited."""
    for name, value in changes.items():
        setattr(item, name, value)
    if not used:
        item.save(update_fields=[*changes, "updated_at"])
        return item
    old_pk = item.pk
    ChecklistItem.objects.filter(pk=old_pk).update(current=False)
    item.pk = None
    item._state.adding = True
    item.save()
    _pictures_follow(old_pk, item.pk)
    return item


def _cite_log(template: ChecklistTemplate, actor: Any, what: str, bump: bool) -> None:
    if bump:
        ChecklistTemplate.objects.filter(pk=template.pk).update(revision=F("revision") + 1)
        template.revision += 1
    changelog_record(
        obj=template,
        action=ChangeLogEntry.Action.UPDATE,
        actor=actor,
        changes={"依据条款": ["", what]},
    )


@transaction.atomic
def citation_reviewed(*, item: ChecklistItem, actor: Any) -> ChecklistItem:
    """复核依据条款的变化后清除“条款已变化”标记（检查内容需要改的，另行修改检查项）。
    条款在新版本中已删除的，检查项不再引用它。记在检查表的变更记录中。"""
    stored = ChecklistItem.objects.select_for_update().select_related("template").get(pk=item.pk)
    if not stored.current:
        raise ValidationError("这个检查项已被修改过，请刷新页面后再复核。")
    if not stored.clause_changed:
        raise ValidationError("这个检查项的依据条款没有需要复核的变化。")
    note = stored.clause_changed
    changes: dict[str, Any] = {"clause_changed": ""}
    gone = stored.clause_id is not None and (
        stored.clause.version_id != _newest_version_id(stored.standard_id)  # type: ignore[union-attr]
    )
    if gone:
        changes.update(standard=None, clause=None, clause_uid=None)
    used = gone and Answer.objects.filter(item_id=stored.pk).exists()
    fresh = _rewrite(stored, used, changes)
    what = f"“{fresh.text}”：{note}，已复核" + ("，不再引用该条款" if gone else "")
    _cite_log(fresh.template, actor, what, bump=used)
    return fresh


@dataclass(frozen=True)
class CitationReview:
    """What one review of a standard's citations found: items whose clause is unchanged
    (moved to the new text quietly), changed (moved and marked), or deleted (marked)."""

    seq: int | None = None
    kept: int = 0
    changed: int = 0
    removed: int = 0


@transaction.atomic
def citations_review(*, standard: Standard) -> CitationReview:
    """标准发布新版本后，核对引用其条款的现行检查项（按条款标识在最新发布版本中查找）：
    条款未变的，改为引用新版本的条款；内容有修改的，改为引用新条款并标记“第X条在第N版中有
    修改”；已删除的，标记“第X条在第N版中已删除”。被记录用过的检查项由新行承接（记录保留
    当时的条款）。每张受影响的检查表记一条变更记录；有新标记的，通知检查表负责人。重复执行
    不会重复标记或通知。"""
    version = standard.versions.filter(published_at__isnull=False).order_by("-seq").first()
    if version is None:
        return CitationReview()
    items = list(
        ChecklistItem.objects.select_for_update(of=("self",))
        .filter(standard=standard, current=True, clause__isnull=False)
        .exclude(clause__version=version)
        .select_related("clause", "template__owner")
        .order_by("template_id", "position", "pk")
    )
    if not items:
        return CitationReview(version.seq)
    newest = {
        clause.uid: clause
        for clause in Clause.objects.filter(version=version, uid__in={i.clause_uid for i in items})
    }
    cites = version_cites({i.clause.version_id for i in items})  # type: ignore[union-attr]
    used = set(
        Answer.objects.filter(item_id__in=[i.pk for i in items]).values_list("item_id", flat=True)
    )
    counts = {"kept": 0, "changed": 0, "removed": 0}
    notes: dict[int, list[str]] = defaultdict(list)
    quiet: dict[int, int] = defaultdict(int)
    rewritten: set[int] = set()
    templates: dict[int, ChecklistTemplate] = {}
    for item in items:
        old = item.clause
        assert old is not None  # filtered above
        new = newest.get(item.clause_uid)  # type: ignore[arg-type]
        where = cite_label(cites.get(old.pk) or old.number or "")
        changes: dict[str, Any]
        if new is None:
            counts["removed"] += 1
            note = f"{where}在第{version.seq}版中已删除"
            if item.clause_changed == note:
                continue
            changes = {"clause_changed": note}
        elif (new.title, new.text) != (old.title, old.text):
            counts["changed"] += 1
            note = f"{where}在第{version.seq}版中有修改"
            changes = {"clause": new, "clause_changed": note}
        else:
            counts["kept"] += 1
            note = ""
            changes = {"clause": new}
        templates[item.template_id] = item.template
        old_pk = item.pk
        if _rewrite(item, old_pk in used, changes).pk != old_pk:
            rewritten.add(item.template_id)
        if note:
            notes[item.template_id].append(f"“{item.text}”：{note}")
        else:
            quiet[item.template_id] += 1
    for pk, template in templates.items():
        parts = [*notes[pk]]
        if quiet[pk]:
            parts.append(f"{quiet[pk]} 项依据条款未变，已改为引用第{version.seq}版")
        what = f"依据《{standard.title}》第{version.seq}版核对：" + "；".join(parts)
        _cite_log(template, None, what, bump=pk in rewritten)
        if notes[pk] and template.owner is not None:
            notify(
                recipients=[template.owner],
                kind=NOTICE_KIND,
                title=f"检查表“{template.name}”引用的条款有变化，请复核",
                body="\n".join(notes[pk]),
                link=reverse("checklists:template_detail", args=[template.pk]),
                target=template,
            )
    return CitationReview(version.seq, **counts)


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
