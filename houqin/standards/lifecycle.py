"""The lifecycle of a standard, step by step, with each step's own rule on top of the
workflow's state and permission check (``StandardWorkflow`` in models.py):

立项 → 起草 → 征求意见 → 审查 → 批准发布 → 实施 → 复审 → 修订 / 废止

Who may do what: the standards office (``manage_standard``) runs the process; drafters are
people with ``draft_standard`` who are in the office or in the standard's owner department;
the leader (``approve_standard``) approves. A refusal because of *who* raises
``PermissionDenied``; a refusal because of the *state* of things raises ``ValidationError``;
both say why in Chinese. Every status change goes through ``transition_apply`` (change log,
then ``transition_notify`` after the commit)."""

from __future__ import annotations

import logging
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from houqin.common.changelog import changelog_record
from houqin.common.models import ChangeLogEntry
from houqin.common.notifications import NOTIFICATION_KINDS
from houqin.common.services import record_create, record_update
from houqin.common.workflow import transition_apply
from houqin.standards.lifecycle_people import governed_people, is_drafter
from houqin.standards.models import (
    APPROVE,
    MANAGE,
    Acknowledgement,
    Comment,
    Consultation,
    PeriodicReview,
    ReviewMeeting,
    Standard,
    StandardWorkflow,
)
from houqin.standards.services import (
    add_years,
    draft_version,
    published_version,
    settings_for,
    version_new_draft,
    version_publish,
)
from houqin.standards.services.checks import version_check

logger = logging.getLogger(__name__)

KIND = "standard"
NOTIFICATION_KINDS.setdefault(KIND, "标准制修订")

S = Standard.Status
D = Comment.Disposition
SHOWN_BLOCKERS = 3  # errors named in a refusal; the check panel lists them all


class SystemActor:
    """The system acting by itself (the daily job, or a standard whose date has come when
    it is approved): allowed every transition, logged as “系统（自动）”, never notified."""

    pk = None
    name = "系统（自动）"
    is_active = False
    is_authenticated = True
    organization_id = None
    department_id = None

    def has_perm(self, perm: str) -> bool:
        return True

    def __str__(self) -> str:
        return self.name


SYSTEM = SystemActor()


def _today(today: date | None = None) -> date:
    return today or timezone.localdate()


def _status_label(standard: Standard) -> str:
    return str(S(standard.status).label)


def _refuse_state(standard: Standard, doing: str) -> ValidationError:
    return ValidationError(f"标准处于“{_status_label(standard)}”阶段，不能{doing}。")


# ---- who ---------------------------------------------------------------------------------


def _require_drafter(user: Any, standard: Standard, doing: str) -> None:
    if not is_drafter(user, standard):
        raise PermissionDenied(f"只有标准化办公室或归口科室的起草人员可以{doing}。")


def _require(user: Any, perm: str, message: str) -> None:
    if not user.has_perm(perm):
        raise PermissionDenied(message)


# ---- reads the steps share -----------------------------------------------------------------


def standard_link(standard: Standard) -> str:
    """The standard's page, where its lifecycle panel is."""
    return reverse("standards:standard_detail", args=[standard.pk])


def open_consultation(standard: Standard) -> Consultation | None:
    """The consultation still open on a standard (at most one)."""
    return (
        Consultation.objects.filter(standard=standard, closed_at__isnull=True)
        .order_by("-created_at", "-pk")
        .first()
    )


def approval_review(standard: Standard) -> ReviewMeeting | None:
    """The review meeting an approval rests on: the last one recorded on the current draft."""
    version = draft_version(standard)
    if version is None:
        return None
    return ReviewMeeting.objects.filter(standard=standard, version=version).order_by("-pk").first()


def approval_refusal(standard: Standard) -> str:
    """Why the leader may not approve the draft now, or "" when the review allows it."""
    if standard.status != S.REVIEW:
        return f"标准处于“{_status_label(standard)}”阶段，须先经审查才能批准发布。"
    meeting = approval_review(standard)
    if meeting is None:
        return "草案还没有审查结论；审查会通过后才能批准发布。"
    if meeting.conclusion == ReviewMeeting.Conclusion.FAILED:
        return "最近一次审查结论为“不通过”，不能批准发布。"
    edited_at = meeting.version.edited_at
    if edited_at is not None and edited_at > meeting.created_at:
        return "草案在审查后又修改过，请重新审查后再批准发布。"
    return ""


def circulation_blockers(standard: Standard) -> list[str]:
    """What stops a draft from being circulated (or sent to review without consultation):
    one sentence per error of the drafting check (``services.checks.version_check``) that
    stands on the current draft — “4.2 S-VERB-01：……”, “全文” for a fault of the whole text.
    A rule switched off for a clause with a recorded reason (``CheckWaiver``) does not
    block; warnings and hints never do. No draft: nothing to check ([])."""
    version = draft_version(standard)
    if version is None:
        return []
    return [
        f"{issue.clause or '全文'} {issue.rule}：{issue.message}"
        for issue in version_check(version).errors
    ]


def _content_refusal(standard: Standard, doing: str) -> str:
    version = draft_version(standard)
    if version is None or not version.clauses.exists():
        return f"草案还没有内容，请先起草文本再{doing}。"
    blockers = circulation_blockers(standard)
    if blockers:
        shown = "；".join(b.rstrip("。") for b in blockers[:SHOWN_BLOCKERS])
        more = len(blockers) - SHOWN_BLOCKERS
        rest = f"；其余 {more} 处见编辑页的“起草规则检查”" if more > 0 else ""
        return (
            f"草案还有 {len(blockers)} 处起草规则错误，改正（或对不适用的条款写明理由关闭规则）"
            f"后才能{doing}：{shown}{rest}。"
        )
    return ""


def _consultation_close(consultation: Consultation, actor: Any, why: str) -> None:
    now = timezone.now()
    closed = Consultation.objects.filter(pk=consultation.pk, closed_at__isnull=True).update(
        closed_at=now, updated_at=now
    )
    if closed:
        consultation.closed_at = now
        changelog_record(
            obj=consultation,
            action=ChangeLogEntry.Action.UPDATE,
            actor=actor,
            changes={"closed_at": [None, timezone.localtime(now).strftime("%Y-%m-%d %H:%M")]},
            note=why,
        )


# ---- 立项 ----------------------------------------------------------------------------------


@transaction.atomic
def proposal_approve(*, standard: Standard, actor: Any) -> Standard:
    """批准立项：立项 → 起草，并建好第一版（空白）草案。只有标准化办公室可以批准。"""
    transition_apply(obj=standard, name="start_drafting", actor=actor)
    version_new_draft(standard=standard, actor=actor)
    return standard


@transaction.atomic
def proposal_reject(*, standard: Standard, actor: Any, note: str) -> Standard:
    """不予立项：须写明理由；标准转为“废止”，立项记录保留。"""
    transition_apply(obj=standard, name="reject_proposal", actor=actor, note=note.strip())
    return standard


# ---- 征求意见 ------------------------------------------------------------------------------


@transaction.atomic
def consultation_open(
    *,
    standard: Standard,
    actor: Any,
    deadline: date | None,
    departments: Any = (),
    served_units: Any = (),
    people: Any = (),
    message: str = "",
) -> Consultation:
    """发出征求意见稿：起草或修订中的草案（有内容，且没有未解决的起草规则错误，见
    ``circulation_blockers``；警告不影响）发给选定的科室、服务单位和人员，截止日期须晚于今天，
    至少一个接收对象。由起草人员发起；提交后通知每位被征求意见的人。"""
    _require_drafter(actor, standard, "发出征求意见稿")
    if standard.status not in StandardWorkflow.transitions["circulate"].sources:
        raise _refuse_state(standard, "征求意见")
    departments, served_units, people = list(departments), list(served_units), list(people)
    errors: dict[str, str] = {}
    if deadline is None:
        errors["deadline"] = "请填写截止日期。"
    elif deadline <= _today():
        errors["deadline"] = "截止日期须晚于今天，请给被征求意见的人留出时间。"
    if not (departments or served_units or people):
        errors["departments"] = "请至少选择一个征求意见的科室、服务单位或人员。"
    for row in (*departments, *served_units, *people):
        if row.organization_id != standard.organization_id:
            errors["departments"] = f"“{row}”不属于本单位。"
    if errors:
        raise ValidationError(errors)
    refusal = _content_refusal(standard, "征求意见")
    if refusal:
        raise ValidationError(refusal)
    previous = open_consultation(standard)
    if previous is not None:
        _consultation_close(previous, actor, "发出新的征求意见稿")
    consultation = record_create(
        model=Consultation,
        actor=actor,
        organization=standard.organization,
        data={
            "standard": standard,
            "version": draft_version(standard),
            "deadline": deadline,
            "message": message.strip(),
            "opened_by": actor,
        },
    )
    consultation.departments.set(departments)
    consultation.served_units.set(served_units)
    consultation.people.set(people)
    assert deadline is not None
    names = [str(row) for row in (*departments, *served_units)] + [p.name for p in people]
    shown = "、".join(names[:8]) + (f"等{len(names)}个科室、单位和人员" if len(names) > 8 else "")
    note = f"截止{deadline:%Y-%m-%d}；发给{shown}"
    transition_apply(obj=standard, name="circulate", actor=actor, note=note)
    return consultation


@transaction.atomic
def review_submit(*, standard: Standard, actor: Any) -> Standard:
    """提交审查：由起草人员提交。从征求意见阶段提交时，本轮每条意见都须已答复，提交后征求
    意见结束；未经征求意见直接提交时，草案须有内容且没有未解决的起草规则错误（同征求意见）。
    提交后通知中心领导和标准化办公室。"""
    _require_drafter(actor, standard, "提交审查")
    consultation = None
    if standard.status == S.CONSULTATION:
        consultation = open_consultation(standard)
        if consultation is not None:
            consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
            pending = consultation.comments.filter(disposition=D.PENDING).count()
            if pending:
                raise ValidationError(
                    f"还有 {pending} 条意见未处理，请在意见处理表中逐条答复"
                    "（采纳、部分采纳或不采纳）后再提交审查。"
                )
    elif standard.status in (S.DRAFTING, S.REVISING):
        refusal = _content_refusal(standard, "提交审查")
        if refusal:
            raise ValidationError(refusal)
    transition_apply(obj=standard, name="submit_review", actor=actor)
    if consultation is not None:
        _consultation_close(consultation, actor, "提交审查，征求意见结束")
    return standard


@transaction.atomic
def standard_return_drafting(*, standard: Standard, actor: Any, note: str) -> Standard:
    """退回起草：征求意见或审查中的草案退回起草阶段（须写明原因）；进行中的征求意见随之结束。"""
    _require_drafter(actor, standard, "退回起草")
    consultation = open_consultation(standard)
    transition_apply(obj=standard, name="return_drafting", actor=actor, note=note.strip())
    if consultation is not None:
        _consultation_close(consultation, actor, "退回起草，征求意见结束")
    return standard


@transaction.atomic
def review_record(
    *,
    standard: Standard,
    actor: Any,
    held_on: date | None,
    reviewers: str,
    conclusion: str,
    conditions: str = "",
) -> ReviewMeeting:
    """记录审查会：标准化办公室记下审查日期、审查人员和结论。“修改后通过”须写明条件；
    “不通过”须写明理由，草案自动退回起草（理由即退回说明）；通过时通知中心领导批准发布。"""
    _require(actor, MANAGE, "只有标准化办公室可以记录审查会。")
    if standard.status != S.REVIEW:
        raise _refuse_state(standard, "记录审查结论；请先提交审查")
    C = ReviewMeeting.Conclusion
    reviewers = (reviewers or "").strip()
    conditions = (conditions or "").strip()
    errors: dict[str, str] = {}
    if held_on is None:
        errors["held_on"] = "请填写审查日期。"
    elif held_on > _today():
        errors["held_on"] = "审查日期不能晚于今天；审查会开过之后再记录结论。"
    if not reviewers:
        errors["reviewers"] = "请填写审查人员。"
    if conclusion not in C.values:
        errors["conclusion"] = "请选择审查结论。"
    elif conclusion == C.CONDITIONAL and not conditions:
        errors["conditions"] = "结论为“修改后通过”时，请写明须修改的内容。"
    elif conclusion == C.FAILED and not conditions:
        errors["conditions"] = "结论为“不通过”时，请写明理由和修改意见，草案将据此退回起草。"
    if errors:
        raise ValidationError(errors)
    version = draft_version(standard)
    if version is None:
        raise ValidationError("没有可审查的草案。")
    meeting = record_create(
        model=ReviewMeeting,
        actor=actor,
        organization=standard.organization,
        data={
            "standard": standard,
            "version": version,
            "held_on": held_on,
            "reviewers": reviewers,
            "conclusion": conclusion,
            "conditions": conditions,
            "recorded_by": actor,
        },
    )
    if conclusion == C.FAILED:
        transition_apply(
            obj=standard, name="return_drafting", actor=actor, note=f"审查不通过：{conditions}"
        )
    else:
        transaction.on_commit(
            lambda: transition_notify(standard=standard, name="review_passed", actor=actor)
        )
    return meeting


# ---- 批准发布、实施 --------------------------------------------------------------------------


@transaction.atomic
def standard_approve(
    *,
    standard: Standard,
    actor: Any,
    number: str,
    published_on: date | None,
    effective_on: date | None,
) -> Standard:
    """批准发布：中心领导批准经审查通过（或修改后通过）的当前草案；编号和日期随版本确定，
    版本从此不可修改。实施日期不晚于今天的，批准后立即实施。"""
    _require(actor, APPROVE, "只有中心领导可以批准发布标准。")
    refusal = approval_refusal(standard)
    if refusal:
        raise ValidationError(refusal)
    today = _today()
    errors: dict[str, str] = {}
    if published_on is None:
        errors["published_on"] = "请填写发布日期。"
    elif published_on > today:
        errors["published_on"] = "发布日期不能晚于今天。"
    if effective_on is None:
        errors["effective_on"] = "请填写实施日期。"
    if errors:
        raise ValidationError(errors)
    assert published_on is not None and effective_on is not None
    version = draft_version(standard)
    assert version is not None
    version_publish(
        version=version,
        actor=actor,
        number=number,
        published_on=published_on,
        effective_on=effective_on,
    )
    transition_apply(obj=standard, name="approve", actor=actor)
    if effective_on <= today:
        standard_take_effect(standard=standard, actor=SYSTEM, today=today)
    return standard


def acknowledgements_create(*, standard: Standard, today: date) -> int:
    """Read-and-acknowledge tasks for the version in force, one per governed person who has
    none yet, due in the organization's ``acknowledge_days``. Returns how many were made."""
    version = published_version(standard)
    if version is None:
        return 0
    days = settings_for(standard.organization).acknowledge_days
    have = set(Acknowledgement.objects.filter(version=version).values_list("user_id", flat=True))
    rows = [
        Acknowledgement(
            organization_id=standard.organization_id,
            version=version,
            user_id=pk,
            due_on=today + timedelta(days=days),
        )
        for pk in governed_people(standard).values_list("pk", flat=True)
        if pk not in have
    ]
    Acknowledgement.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


@transaction.atomic
def standard_take_effect(*, standard: Standard, actor: Any, today: date | None = None) -> Standard:
    """实施：已发布的标准到实施日期开始实施；适用岗位的在岗人员和归口科室的人员各得到一项
    阅读确认任务（期限见标准化设置），并收到通知。实施日期未到的不能提前实施。"""
    today = _today(today)
    if standard.status == S.PUBLISHED and standard.effective_on and standard.effective_on > today:
        raise ValidationError(
            f"实施日期为{standard.effective_on:%Y-%m-%d}，还没到；到期后系统自动实施。"
        )
    transition_apply(obj=standard, name="take_effect", actor=actor)
    acknowledgements_create(standard=standard, today=today)
    return standard


def effective_standards_activate(*, today: date) -> int:
    """每日：实施日期已到的已发布标准开始实施（系统执行，记入变更日志）；返回实施的项数。"""
    count = 0
    due = Standard.objects.filter(status=S.PUBLISHED, effective_on__lte=today).order_by("pk")
    for standard in due:
        try:
            standard_take_effect(standard=standard, actor=SYSTEM, today=today)
        except ValidationError as error:  # changed by someone meanwhile: next run
            logger.warning("standard %s did not take effect: %s", standard.pk, error.messages)
        else:
            count += 1
    return count


@transaction.atomic
def acknowledge(*, acknowledgement: Acknowledgement, actor: Any) -> Acknowledgement:
    """我已阅读：只有本人可以确认；确认一次，记变更日志。"""
    if acknowledgement.user_id != getattr(actor, "pk", None):
        raise PermissionDenied("只能确认自己的阅读任务。")
    standard = acknowledgement.version.standard
    if standard.status == S.WITHDRAWN:
        raise ValidationError("这项标准已经废止，不需要再确认阅读。")
    now = timezone.now()
    changed = Acknowledgement.objects.filter(
        pk=acknowledgement.pk, acknowledged_at__isnull=True
    ).update(acknowledged_at=now, updated_at=now)
    if not changed:
        raise ValidationError("你已经确认阅读过这个版本。")
    acknowledgement.acknowledged_at = now
    changelog_record(
        obj=acknowledgement,
        action=ChangeLogEntry.Action.UPDATE,
        actor=actor,
        changes={"acknowledged_at": [None, timezone.localtime(now).strftime("%Y-%m-%d %H:%M")]},
        note="我已阅读",
    )
    return acknowledgement


# ---- 复审、修订、废止 -----------------------------------------------------------------------


@transaction.atomic
def periodic_review_start(*, standard: Standard, actor: Any) -> Standard:
    """开始复审：实施中的标准进入复审（到期复审，或按需提前复审）。"""
    transition_apply(obj=standard, name="start_periodic_review", actor=actor)
    return standard


@transaction.atomic
def periodic_review_decide(
    *, standard: Standard, actor: Any, conclusion: str, note: str
) -> PeriodicReview:
    """复审结论（标准化办公室）：继续有效 → 回到实施，下次复审日期从今天起顺延复审周期；
    修订 → 转入修订并以现行版本新建修订草案；废止 → 废止并记废止日期。修订、废止须写明理由。
    复审中或实施中（提前复审）的标准都可以作出结论。"""
    _require(actor, MANAGE, "只有标准化办公室可以作出复审结论。")
    if standard.status not in (S.UNDER_REVIEW, S.IN_FORCE):
        raise _refuse_state(standard, "作出复审结论；复审针对实施中的标准")
    C = PeriodicReview.Conclusion
    note = (note or "").strip()
    if conclusion not in C.values:
        raise ValidationError({"conclusion": "请选择复审结论：继续有效、修订或废止。"})
    if conclusion != C.VALID and not note:
        raise ValidationError({"note": f"复审结论为“{C(conclusion).label}”时，请写明理由。"})
    today = _today()
    review = record_create(
        model=PeriodicReview,
        actor=actor,
        organization=standard.organization,
        data={
            "standard": standard,
            "conclusion": conclusion,
            "note": note,
            "decided_by": actor,
            "decided_on": today,
        },
    )
    if conclusion == C.VALID:
        if standard.status == S.UNDER_REVIEW:
            transition_apply(obj=standard, name="confirm_valid", actor=actor, note=note)
        record_update(
            obj=standard,
            actor=actor,
            data={"review_due_on": add_years(today, standard.review_years)},
        )
    elif conclusion == C.REVISE:
        standard_revise(standard=standard, actor=actor, note=note)
    else:
        standard_withdraw(standard=standard, actor=actor, note=note)
    return review


@transaction.atomic
def standard_revise(*, standard: Standard, actor: Any, note: str = "") -> Standard:
    """修订：以现行版本为底稿新建修订草案（条款保持标识）；修订版发布前现行版本继续有效。"""
    transition_apply(obj=standard, name="revise", actor=actor, note=note)
    version_new_draft(standard=standard, actor=actor)
    return standard


@transaction.atomic
def standard_withdraw(*, standard: Standard, actor: Any, note: str) -> Standard:
    """废止：须写明原因，记废止日期；通知标准化办公室。"""
    transition_apply(obj=standard, name="withdraw", actor=actor, note=note.strip())
    record_update(obj=standard, actor=actor, data={"withdrawn_on": _today()})
    return standard


# ---- notifications -------------------------------------------------------------------------


def transition_notify(*, standard: Any, name: str, actor: Any) -> None:
    """Tell the people concerned about a lifecycle step, after it commits (called by
    ``StandardWorkflow.after``); who and what: ``lifecycle_notify.step_notify``."""
    from houqin.standards.lifecycle_notify import step_notify

    step_notify(standard=standard, name=name, actor=actor)
