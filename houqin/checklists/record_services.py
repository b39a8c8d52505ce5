"""The writes of doing a check on a phone (re-exported by ``services``): opening a record
for a task (the team's task taken by the first who starts it), photos and signatures on
answers, submitting (findings raised, the task done), the whole submission of the API in
one step, and the shift handover."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from houqin.checklists.models import Answer, ChecklistItem, Handover, Record, Task
from houqin.checklists.selectors import photo_counts
from houqin.checklists.services import (
    Score,
    answer_save,
    missing,
    record_start,
    score,
)
from houqin.checklists.task_services import task_take
from houqin.common.attachments import attachment_add, attachment_check_type, attachment_delete
from houqin.common.changelog import changelog_record
from houqin.common.models import Attachment, ChangeLogEntry
from houqin.common.services import validate
from houqin.common.workflow import transition_apply

A = ChecklistItem.AnswerType
MAX_PHOTOS = 6  # photos per answer
SIGNED = "已签名"
T = Task.Status
DOABLE = (T.PENDING, T.IN_PROGRESS, T.OVERDUE)


def _locked_draft(answer: Answer, actor: Any) -> Record:
    record = Record.objects.select_for_update().get(pk=answer.record_id)
    if record.status != Record.Status.DRAFT:
        raise ValidationError("记录已提交，不能再修改。")
    if record.inspector_id != getattr(actor, "pk", None):
        raise ValidationError("只有检查人本人可以填写这份记录。")
    return record


@transaction.atomic
def record_open(
    *,
    task: Task,
    actor: Any,
    client_key: uuid.UUID | str | None = None,
    place: Any = None,
    equipment: Any = None,
) -> Record:
    """开始（或继续）一项任务的检查：手机再次发来同一草稿标识时返回原记录；本人已有这项任务
    的草稿时继续那份草稿；否则接手任务（班组、岗位的任务由第一个开始的人接手，任务转为
    “检查中”）并开始新记录。记录的场所是扫码的场所，没有扫码时是任务的场所。"""
    if client_key:
        found = Record.objects.filter(
            organization_id=task.organization_id, client_key=client_key
        ).first()
        if found is not None:
            if found.inspector_id != actor.pk or found.task_id != task.pk:
                raise ValidationError(
                    {"client_key": "这个草稿标识已被另一份记录使用，请刷新页面后重试。"}
                )
            return found
    draft = (
        Record.objects.filter(task=task, inspector_id=actor.pk, status=Record.Status.DRAFT)
        .order_by("-started_at", "-pk")
        .first()
    )
    if draft is not None:
        return draft
    task_take(task=task, actor=actor)
    if equipment is not None and place is None:
        place = equipment.place
    return record_start(
        template=task.template,
        actor=actor,
        task=task,
        place=place,
        equipment=equipment,
        client_key=client_key,
    )


@transaction.atomic
def answer_photo_add(*, answer: Answer, actor: Any, upload: Any) -> Attachment:
    """给一项答案加一张照片（只收图片，每项最多 6 张）；记录提交后不能再加。"""
    _locked_draft(answer, actor)
    if attachment_check_type(upload).kind != Attachment.Kind.IMAGE:
        raise ValidationError("只能上传照片。")
    taken = Attachment.objects.filter(
        content_type=ContentType.objects.get_for_model(Answer), object_id=str(answer.pk)
    ).count()
    if taken >= MAX_PHOTOS:
        raise ValidationError(f"每项最多拍 {MAX_PHOTOS} 张照片，请先删掉不要的照片。")
    return attachment_add(obj=answer, upload=upload, actor=actor, caption=answer.item.text[:200])


@transaction.atomic
def answer_photo_delete(*, answer: Answer, actor: Any, attachment_id: Any) -> None:
    """删掉草稿中一项答案的一张照片。"""
    _locked_draft(answer, actor)
    attachment = Attachment.objects.filter(
        pk=attachment_id,
        content_type=ContentType.objects.get_for_model(Answer),
        object_id=str(answer.pk),
    ).first()
    if attachment is None:
        raise ValidationError("照片已删除，请刷新页面。")
    attachment.parent = answer
    attachment_delete(attachment=attachment, actor=actor)


@transaction.atomic
def answer_sign(*, answer: Answer, actor: Any, upload: Any) -> Answer:
    """签名项：保存手指写下的签名（PNG 图片，替换之前的签名），答案记为“已签名”。"""
    if answer.item.answer_type != A.SIGNATURE:
        raise ValidationError("这一项不需要签名。")
    _locked_draft(answer, actor)
    if attachment_check_type(upload).kind != Attachment.Kind.IMAGE:
        raise ValidationError("签名没有保存成功，请重新签名。")
    earlier = Attachment.objects.filter(
        content_type=ContentType.objects.get_for_model(Answer), object_id=str(answer.pk)
    )
    for attachment in earlier:
        attachment.parent = answer
        attachment_delete(attachment=attachment, actor=actor)
    attachment_add(obj=answer, upload=upload, actor=actor, caption="签名")
    return answer_save(answer=answer, actor=actor, value=SIGNED, note=answer.note)


@dataclass(frozen=True)
class Preview:
    """What submitting now would give: the result, the failed answers, and what is still
    missing (the record cannot be submitted until that list is empty)."""

    result: Score
    failures: list[Answer]
    lacks: list[str]


def record_preview(record: Record) -> Preview:
    """The result a draft would have if submitted now, and what it still lacks (three
    queries); nothing is written."""
    photos = photo_counts(record)
    answers = list(record.answers.select_related("item").order_by("position"))
    result = score(
        record.scoring, record.template.pass_mark, ((a.item, a.outcome) for a in answers)
    )
    lacks = [
        f"{a.item.text}：{'，'.join(lack)}"
        for a in answers
        if (lack := missing(a, photos.get(a.pk, 0)))
    ]
    failures = [a for a in answers if a.outcome == Answer.Outcome.FAIL]
    return Preview(result, failures, lacks)


@transaction.atomic
def record_complete(
    *,
    record: Record,
    actor: Any,
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
) -> Record:
    """提交记录：检查每项答案的要求（照片、说明），计分，为不合格项生成问题，任务记为“已完成”。
    再次提交返回同一份记录，不重复生成问题。"""
    # findings is built on this engine (it imports these services), hence the late import
    from houqin.findings.services import record_finish

    record = record_finish(
        record=record,
        actor=actor,
        photos=photo_counts(record),
        latitude=latitude,
        longitude=longitude,
    )
    if record.task_id:
        task = Task.objects.get(pk=record.task_id)
        if task.status in DOABLE:
            transition_apply(obj=task, name="finish", actor=actor)
    return record


def _answers_put(record: Record, actor: Any, answers: Iterable[Mapping[str, Any]]) -> None:
    by_item = {a.item_id: a for a in record.answers.select_related("item")}
    problems = []
    for number, given in enumerate(answers, start=1):
        answer = by_item.get(_int(given.get("item")) or 0)
        if answer is None:
            problems.append(f"第{number}个答案：检查项不在这份检查表中。")
            continue
        value = given.get("value")
        try:
            answer_save(
                answer=answer,
                actor=actor,
                value="" if value is None else str(value),
                note=str(given.get("note") or ""),
            )
        except ValidationError as error:
            problems.append(f"第{number}个答案：{'；'.join(error.messages)}")
    if problems:
        raise ValidationError({"answers": problems})


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def record_send(
    *,
    task: Task,
    actor: Any,
    client_key: uuid.UUID | str,
    answers: Iterable[Mapping[str, Any]],
    photos: Mapping[int, list[Any]],
    place: Any = None,
    equipment: Any = None,
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
) -> tuple[Record, bool]:
    """一次提交一项任务的全部检查结果（接口用）：按草稿标识开始或找到记录，保存答案，
    加上照片（``photos``：检查项 → 照片），提交。返回（记录，是否本次提交）：同一草稿标识
    再次提交时原样返回第一次的记录，不会有第二份。任何一步不通过，整次提交都不保存。"""
    found = Record.objects.filter(organization_id=task.organization_id, client_key=client_key)
    first = found.select_related("template", "task").first()
    if first is not None and first.status == Record.Status.SUBMITTED:
        if first.inspector_id != actor.pk or first.task_id != task.pk:
            raise ValidationError(
                {"client_key": "这个草稿标识已被另一份记录使用，请换一个后重试。"}
            )
        return first, False
    stored: list[Attachment] = []
    try:
        with transaction.atomic():
            record = record_open(
                task=task, actor=actor, client_key=client_key, place=place, equipment=equipment
            )
            _answers_put(record, actor, answers)
            by_item = {a.item_id: a for a in record.answers.select_related("item")}
            for item_id, uploads in photos.items():
                answer = by_item.get(item_id)
                if answer is None:
                    raise ValidationError({"photos": f"照片 photo_{item_id} 对应的检查项不存在。"})
                stored.extend(
                    answer_photo_add(answer=answer, actor=actor, upload=upload)
                    for upload in uploads
                )
            record = record_complete(
                record=record, actor=actor, latitude=latitude, longitude=longitude
            )
    except BaseException:
        for attachment in stored:  # the rows are gone with the transaction; the files too
            for name in (attachment.file.name, attachment.thumbnail.name):
                if name:
                    attachment.file.storage.delete(name)
        raise
    return record, True


# ---- shift handover ------------------------------------------------------------------------

HANDOVER_FIELDS = frozenset({"shift", "place", "done", "open_items", "handed", "incoming"})


@transaction.atomic
def handover_create(
    *, organization: Any, actor: Any, data: Mapping[str, Any], signature: Any
) -> Handover:
    """交接班：交班人写明本班完成情况、未完成事项和交接的钥匙、设备、物品，接班人在手机上
    签名确认（签名存为图片）。交接时间取服务器时间；保存后不能修改。"""
    unknown = set(data) - HANDOVER_FIELDS
    if unknown:
        raise ValidationError(f"不能填写这些字段：{'、'.join(sorted(unknown))}。")
    incoming = data.get("incoming")
    if incoming is not None and incoming.pk == actor.pk:
        raise ValidationError({"incoming": "接班人不能是交班人本人。"})
    if signature is None:
        raise ValidationError({"signature": "请接班人在签名框里签名。"})
    if attachment_check_type(signature).kind != Attachment.Kind.IMAGE:
        raise ValidationError({"signature": "签名没有保存成功，请重新签名。"})
    handover = Handover(organization=organization, outgoing=actor, handed_at=timezone.now(), **data)
    validate(handover)
    handover.save()
    changelog_record(
        obj=handover,
        action=ChangeLogEntry.Action.CREATE,
        actor=actor,
        changes={"接班人": [None, str(handover.incoming)], "班次": [None, handover.shift or ""]},
    )
    attachment_add(obj=handover, upload=signature, actor=actor, caption="接班人签名")
    return handover
