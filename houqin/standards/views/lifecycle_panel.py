"""The lifecycle panel of a standard: where it stands, what comes next, and the buttons for
the steps this person may take now (``StandardWorkflow.available`` narrowed by the rules of
``houqin.standards.lifecycle``). Built in a fixed handful of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from houqin.common.lists import url_for_pk
from houqin.common.statements import Counts, Ids
from houqin.standards.lifecycle import (
    MANAGE,
    approval_refusal,
    approval_review,
    open_consultation,
)
from houqin.standards.lifecycle_people import is_drafter, may_view_consultation
from houqin.standards.models import (
    Acknowledgement,
    Comment,
    Standard,
    StandardVersion,
    StandardWorkflow,
)
from houqin.standards.services import (
    can_edit_text,
    draft_version,
    published_version,
)

S = Standard.Status
STEPS = (
    (S.PROPOSED, "立项"),
    (S.DRAFTING, "起草"),
    (S.CONSULTATION, "征求意见"),
    (S.REVIEW, "审查"),
    (S.PUBLISHED, "批准发布"),
    (S.IN_FORCE, "实施"),
    (S.UNDER_REVIEW, "复审"),
)
STEP_INDEX: dict[str, int] = {str(status): index for index, (status, _) in enumerate(STEPS)}
STEP_INDEX[S.REVISING] = 1
COLOURS: dict[str, str] = {
    S.PROPOSED: "secondary",
    S.DRAFTING: "blue",
    S.REVISING: "yellow",
    S.CONSULTATION: "azure",
    S.REVIEW: "purple",
    S.PUBLISHED: "green",
    S.IN_FORCE: "green",
    S.UNDER_REVIEW: "yellow",
    S.WITHDRAWN: "red",
}
NEXT: dict[str, str] = {
    S.PROPOSED: "立项申请待标准化办公室审批：批准后进入起草；不予立项须写明理由。",
    S.DRAFTING: "起草草案文本；写好后发出征求意见稿，也可以不征求意见直接提交审查。",
    S.REVISING: "在修订草案上修改；写好后征求意见或提交审查。修订版发布前，现行版本继续有效。",
    S.CONSULTATION: "被征求意见的人在截止日期前对条款提意见；起草人员逐条答复后提交审查。",
    S.REVIEW: "标准化办公室组织审查会并记录结论；通过后由中心领导批准发布。",
    S.PUBLISHED: "标准已发布，到实施日期系统自动开始实施。",
    S.IN_FORCE: "标准实施中：适用人员阅读确认；到复审日期（或需要时提前）开始复审。",
    S.UNDER_REVIEW: "复审中：由标准化办公室作出结论——继续有效、修订或废止。",
    S.WITHDRAWN: "标准已废止，不再适用。",
}


@dataclass(frozen=True)
class Step:
    label: str
    state: str  # "done", "active" or "todo"


@dataclass(frozen=True)
class Fact:
    label: str
    value: str
    warn: bool = False


@dataclass(frozen=True)
class Action:
    """A button: a link to a form page, or a POST after a confirmation dialog."""

    key: str
    label: str
    url: str
    post: bool = True
    confirm: str = ""
    needs_note: bool = False
    note_label: str = "说明"
    style: str = ""  # extra button class: "btn-primary", "btn-outline-danger"


@dataclass
class Panel:
    standard: Standard
    status_label: str
    colour: str
    next_text: str
    steps: list[Step]
    facts: list[Fact] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    hints: list[str] = field(default_factory=list)
    consultation_url: str = ""
    lifecycle_url: str = ""


def steps_for(standard: Standard) -> list[Step]:
    current = STEP_INDEX.get(standard.status)
    steps = []
    for index, (status, label) in enumerate(STEPS):
        if standard.status == S.REVISING and status == S.DRAFTING:
            label = "修订"
        if current is None:  # withdrawn: where it stopped (in force, or at its proposal)
            stop = STEP_INDEX[S.IN_FORCE] if standard.published_on else 0
            state = "active" if index == stop else "done" if index < stop else "todo"
        else:
            state = "active" if index == current else "done" if index < current else "todo"
        steps.append(Step(label, state))
    return steps


def _acknowledgements(ids: Ids) -> dict[str, QuerySet[Acknowledgement]]:
    """Who is asked to read a version, and who has confirmed it."""
    rows = Acknowledgement.objects.filter(version_id=ids.many[0])
    return {"total": rows, "done": rows.filter(acknowledged_at__isnull=False)}


_ACKNOWLEDGEMENTS = Counts(_acknowledgements)  # the panel of every standard in force


def _d(value: date | None) -> str:
    return value.isoformat() if value else "—"


def _url(name: str, standard: Standard) -> str:
    return url_for_pk(f"standards:{name}", standard.pk)


class _Versions:
    """The standard's newest draft and published versions: from ``known`` (all its
    versions, newest first, when the page has read them) or each by a query."""

    def __init__(self, standard: Standard, known: list[StandardVersion] | None) -> None:
        self.standard = standard
        self.known = known

    def draft(self) -> StandardVersion | None:
        if self.known is None:
            return draft_version(self.standard)
        return next((v for v in self.known if not v.is_published), None)

    def published(self) -> StandardVersion | None:
        if self.known is None:
            return published_version(self.standard)
        return next((v for v in self.known if v.is_published), None)


def panel_build(
    user: Any,
    standard: Standard,
    today: date,
    versions: list[StandardVersion] | None = None,
) -> Panel:
    """The panel for this person on this day. ``versions``: all the standard's versions,
    newest first, when the caller has them (saves reading them again)."""
    known = _Versions(standard, versions)
    status = standard.status
    panel = Panel(
        standard=standard,
        status_label=str(S(status).label),
        colour=COLOURS[status],
        next_text=NEXT[status],
        steps=steps_for(standard),
        lifecycle_url=_url("standard_lifecycle", standard),
    )
    available = {name: t for name, t in StandardWorkflow.available(standard, user)}
    drafter = is_drafter(user, standard)
    office = user.has_perm(MANAGE)
    facts, actions, hints = panel.facts, panel.actions, panel.hints

    if standard.number:
        facts.append(Fact("标准编号", standard.number))
    if status in (S.PROPOSED, S.DRAFTING, S.REVISING, S.CONSULTATION, S.REVIEW):
        if standard.due_on:
            late = standard.due_on < today
            facts.append(
                Fact("计划完成", _d(standard.due_on) + ("（已超期）" if late else ""), late)
            )
        version = known.draft()
        if version is not None:
            facts.append(Fact("草案", f"第{version.seq}版"))

    if "start_drafting" in available:
        t = available["start_drafting"]
        actions.append(
            Action(
                "start_drafting",
                t.label,
                _url("proposal_approve", standard),
                confirm=t.confirm,
                style="btn-primary",
            )
        )
    if "reject_proposal" in available:
        actions.append(
            Action(
                "reject_proposal",
                "不予立项",
                _url("proposal_reject", standard),
                confirm="不予立项后这项标准不再起草，立项记录保留。",
                needs_note=True,
                note_label="不予立项的理由",
                style="btn-outline-danger",
            )
        )
    if "circulate" in available and drafter:
        actions.append(
            Action(
                "circulate",
                "征求意见",
                _url("consultation_open", standard),
                post=False,
                style="btn-primary",
            )
        )

    if status == S.CONSULTATION:
        consultation = open_consultation(standard)
        if consultation is not None:
            counts = consultation.comments.aggregate(
                total=Count("pk"),
                pending=Count("pk", filter=Q(disposition=Comment.Disposition.PENDING)),
            )
            closed = consultation.deadline < today
            facts.append(
                Fact(
                    "征求意见截止",
                    _d(consultation.deadline) + ("（已截止）" if closed else ""),
                    closed,
                )
            )
            facts.append(
                Fact(
                    "收到意见",
                    f"{counts['total']} 条，待处理 {counts['pending']} 条",
                    bool(counts["pending"]),
                )
            )
            if may_view_consultation(user, consultation):
                panel.consultation_url = reverse(
                    "standards:consultation_detail", args=[consultation.pk]
                )
            if drafter and counts["pending"]:
                hints.append(
                    f"还有 {counts['pending']} 条意见未处理；在意见处理表中逐条答复后才能提交审查。"
                )
    if "submit_review" in available and drafter:
        t = available["submit_review"]
        confirm = t.confirm
        if status == S.CONSULTATION:
            confirm += "提交后征求意见结束，不能再提意见，意见处理结果也不能再改。"
        actions.append(
            Action(
                "submit_review",
                t.label,
                _url("review_submit", standard),
                confirm=confirm,
                style="btn-primary" if status == S.CONSULTATION else "",
            )
        )

    if status == S.REVIEW:
        meeting = approval_review(standard)
        if meeting is not None and not approval_refusal(standard):
            panel.next_text = "审查已通过，等待中心领导批准发布；批准时确定标准编号和日期。"
        if meeting is not None:
            verdict = f"{meeting.get_conclusion_display()}（{_d(meeting.held_on)}）"
            facts.append(Fact("审查结论", verdict))
            if meeting.conditions:
                facts.append(Fact("修改意见或条件", meeting.conditions))
        if office:
            actions.append(
                Action(
                    "review_record",
                    "记录审查结论",
                    _url("review_record", standard),
                    post=False,
                    style="" if meeting else "btn-primary",
                )
            )
        if "approve" in available:
            refusal = approval_refusal(standard)
            if refusal:
                hints.append(refusal)
            else:
                actions.append(
                    Action(
                        "approve",
                        "批准发布",
                        _url("standard_approve", standard),
                        post=False,
                        style="btn-primary",
                    )
                )
    if "return_drafting" in available and drafter:
        actions.append(
            Action(
                "return_drafting",
                "退回起草",
                _url("standard_return_drafting", standard),
                confirm="草案退回起草阶段，可以继续修改；进行中的征求意见随之结束。",
                needs_note=True,
                note_label="退回的原因",
            )
        )

    if status == S.PUBLISHED:
        facts.append(Fact("发布日期", _d(standard.published_on)))
        facts.append(Fact("实施日期", _d(standard.effective_on)))
        if "take_effect" in available:
            if standard.effective_on and standard.effective_on <= today:
                t = available["take_effect"]
                actions.append(
                    Action(
                        "take_effect",
                        t.label,
                        _url("standard_take_effect", standard),
                        confirm=t.confirm + "适用人员将收到阅读确认任务。",
                        style="btn-primary",
                    )
                )
            else:
                hints.append(f"将于 {_d(standard.effective_on)} 自动开始实施。")

    if status in (S.IN_FORCE, S.UNDER_REVIEW, S.REVISING):
        facts.append(Fact("实施日期", _d(standard.effective_on)))
        overdue = bool(standard.review_due_on and standard.review_due_on < today)
        facts.append(
            Fact(
                "下次复审", _d(standard.review_due_on) + ("（已逾期）" if overdue else ""), overdue
            )
        )
        version = known.published()
        if version is not None:
            acks = _ACKNOWLEDGEMENTS.run(ids=Ids(many=(version.pk,)))
            if acks["total"]:
                facts.append(Fact("阅读确认", f"{acks['done']} / {acks['total']} 人"))
    if "start_periodic_review" in available:
        actions.append(
            Action(
                "start_periodic_review",
                "开始复审",
                _url("periodic_review_start", standard),
                confirm="标准进入复审；复审期间照常实施，复审结论为继续有效、修订或废止。",
            )
        )
    if status == S.UNDER_REVIEW and office:
        actions.append(
            Action(
                "periodic_review_decide",
                "复审结论",
                _url("periodic_review_decide", standard),
                post=False,
                style="btn-primary",
            )
        )
    if "revise" in available and status == S.IN_FORCE:
        t = available["revise"]
        actions.append(
            Action("revise", t.label, _url("standard_revise", standard), confirm=t.confirm)
        )
    if "withdraw" in available and status != S.UNDER_REVIEW:
        actions.append(
            Action(
                "withdraw",
                "废止",
                _url("standard_withdraw", standard),
                confirm=available["withdraw"].confirm,
                needs_note=True,
                note_label="废止的原因",
                style="btn-outline-danger",
            )
        )
    if status == S.WITHDRAWN and standard.withdrawn_on:
        facts.append(Fact("废止日期", _d(standard.withdrawn_on)))
    if standard.is_adopted and can_edit_text(user, standard):
        _adopted_text_actions(panel, standard, known)
    return panel


def _adopted_text_actions(panel: Panel, standard: Standard, known: _Versions) -> None:
    """Entering an adopted standard's clauses: open a draft, go on with it, publish it."""
    draft = known.draft()
    if draft is None:
        entered = known.published() is not None
        panel.actions.append(
            Action(
                "adopted_text_open",
                "修改录入的条款" if entered else "录入条款",
                _url("adopted_text_open", standard),
                confirm=(
                    "新建一份录入稿，把外部标准中需要对照检查的条款录入系统；"
                    "标准照常实施，编号和日期不变。"
                ),
            )
        )
        return
    panel.hints.append(f"条款录入稿（第{draft.seq}版）尚未发布；发布后检查表才能引用这些条款。")
    panel.actions.append(
        Action(
            "adopted_text_edit",
            "继续录入条款",
            reverse("standards:editor", args=[draft.pk]),
            post=False,
        )
    )
    panel.actions.append(
        Action(
            "adopted_text_publish",
            "发布录入的条款",
            _url("adopted_text_publish", standard),
            confirm="发布后这一版条款不能再改；要更正时再新建录入稿。",
            style="btn-primary",
        )
    )


def panel_context(
    request: HttpRequest, standard: Standard, versions: list[StandardVersion] | None = None
) -> dict[str, Any]:
    """The context of ``standards/_lifecycle_panel.html`` for the standard's page."""
    return {
        "panel": panel_build(request.user, standard, timezone.localdate(), versions),
        "next_url": request.get_full_path(),
    }
