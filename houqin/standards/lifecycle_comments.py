"""Comments of a consultation: who may comment and until when, how a comment names the
clause it is on, and the drafters' answer to each (采纳 / 部分采纳 / 不采纳 with a reason)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from houqin.common.services import record_create, record_update
from houqin.standards.clauses import clause_tree, walk
from houqin.standards.lifecycle import S, _require_drafter, _status_label, _today
from houqin.standards.lifecycle_people import may_comment
from houqin.standards.models import Clause, Comment, Consultation, StandardVersion

D = Comment.Disposition
ANSWERS = (D.ACCEPTED, D.PARTLY, D.REJECTED)
COMMENT_MAX = 2000


def comment_refusal(consultation: Consultation, today: date | None = None) -> str:
    """Why nobody may comment on this consultation now, or "" when comments are open."""
    if consultation.closed_at is not None:
        return "本次征求意见已经结束，不能再提意见。"
    if consultation.standard.status != S.CONSULTATION:
        return f"标准处于“{_status_label(consultation.standard)}”阶段，不在征求意见中。"
    if _today(today) > consultation.deadline:
        return f"征求意见已于{consultation.deadline:%Y-%m-%d}截止，不能再提意见。"
    return ""


def clause_labels(version: StandardVersion) -> dict[uuid.UUID, str]:
    """How each clause of a version is named in a comment: its own number ("5.2", "附录A",
    "表1"), an element's name ("前言"), or its parent's number plus its own ("5.2 注",
    "5.2 a)"); a paragraph takes its parent's. One query."""
    names: dict[str, str] = {
        Clause.Kind.FOREWORD: "前言",
        Clause.Kind.INTRODUCTION: "引言",
        Clause.Kind.BIBLIOGRAPHY: "参考文献",
    }
    labels: dict[uuid.UUID, str] = {}
    by_pk: dict[int, str] = {}
    for item in walk(clause_tree(version.clauses.all())):
        clause = item.clause
        parent = by_pk.get(clause.parent_id or 0, "")
        if clause.kind in names:
            label = names[clause.kind]
        elif clause.kind in (Clause.Kind.NOTE, Clause.Kind.EXAMPLE, Clause.Kind.LIST_ITEM):
            label = f"{parent} {clause.number}".strip()
        elif clause.number:
            label = clause.number
        else:
            label = parent
        labels[clause.uid] = label[:32]
        by_pk[clause.pk] = label if clause.kind != Clause.Kind.LIST_ITEM else parent
    return labels


def _author_unit(user: Any, consultation: Consultation) -> str:
    unit = consultation.served_units.filter(requesters=user).values_list("name", flat=True).first()
    if unit:
        return unit
    department = getattr(user, "department", None)
    if department is not None:
        return department.name
    return consultation.organization.name


@transaction.atomic
def comment_add(
    *, consultation: Consultation, actor: Any, text: str, clause_uid: Any = None
) -> Comment:
    """提意见：被征求意见的人（列出的人员、所选科室的成员、所选服务单位的申请人）以及标准化
    办公室和起草人员可以提；只在征求意见期间、截止日当天结束前；意见可以针对征求意见稿的某一条，
    记下条款编号，也可以是总体意见。"""
    if not may_comment(actor, consultation):
        raise PermissionDenied("你不在本次征求意见的范围内，不能提意见。")
    consultation = (
        Consultation.objects.select_for_update(of=("self",))
        .select_related("standard", "version", "organization")
        .get(pk=consultation.pk)
    )  # as it is now: a submission for review may have closed it meanwhile
    refusal = comment_refusal(consultation)
    if refusal:
        raise ValidationError(refusal)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "请填写意见内容。"})
    if len(text) > COMMENT_MAX:
        raise ValidationError({"text": f"意见内容最多{COMMENT_MAX}字，请分条提出。"})
    uid: uuid.UUID | None = None
    number = ""
    if clause_uid:
        try:
            uid = clause_uid if isinstance(clause_uid, uuid.UUID) else uuid.UUID(str(clause_uid))
        except ValueError:
            uid = None
        labels = clause_labels(consultation.version)
        if uid is None or uid not in labels:
            raise ValidationError({"clause": "所选条款不在本次征求意见稿中，请重新选择。"})
        number = labels[uid] or "—"
    return record_create(
        model=Comment,
        actor=actor,
        organization=consultation.organization,
        data={
            "consultation": consultation,
            "clause_uid": uid,
            "clause_number": number,
            "author": actor,
            "author_unit": _author_unit(actor, consultation)[:100],
            "text": text,
        },
    )


@transaction.atomic
def comment_answer(*, comment: Comment, actor: Any, disposition: str, reply: str) -> Comment:
    """答复意见：起草人员逐条给出“采纳 / 部分采纳 / 不采纳”，部分采纳和不采纳须写明理由；
    提交审查（征求意见结束）前可以改，每次修改记变更日志。"""
    consultation = Consultation.objects.select_for_update().get(pk=comment.consultation_id)
    standard = consultation.standard
    _require_drafter(actor, standard, "处理意见")
    if consultation.closed_at is not None:
        raise ValidationError(
            "本次征求意见已经结束（草案已提交审查或退回起草），处理结果不能再修改。"
        )
    if disposition not in ANSWERS:
        raise ValidationError({"disposition": "请选择处理结果：采纳、部分采纳或不采纳。"})
    reply = (reply or "").strip()
    if disposition != D.ACCEPTED and not reply:
        label = D(disposition).label
        raise ValidationError({"reply": f"处理结果为“{label}”时，请在处理说明中写明理由。"})
    if (comment.disposition, comment.reply) == (disposition, reply):
        return comment
    return record_update(
        obj=comment,
        actor=actor,
        data={
            "disposition": disposition,
            "reply": reply,
            "answered_by": actor,
            "answered_at": timezone.now(),
        },
    )


# ---- 审查 ----------------------------------------------------------------------------------
