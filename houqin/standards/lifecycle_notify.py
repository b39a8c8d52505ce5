"""Who hears of each lifecycle step, and what they are told. Runs after the step commits
(``lifecycle.transition_notify``, called by ``StandardWorkflow.after``)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from houqin.accounts.models import User
from houqin.common.models import ChangeLogEntry
from houqin.common.notifications import notify
from houqin.standards.lifecycle import (
    KIND,
    approval_review,
    open_consultation,
    standard_link,
)
from houqin.standards.lifecycle_people import (
    consultation_invitees,
    drafter_people,
    leader_people,
    office_people,
)
from houqin.standards.models import Acknowledgement, Standard, StandardWorkflow
from houqin.standards.services import published_version


def _last_note(standard: Standard) -> str:
    entry = (
        ChangeLogEntry.objects.filter(
            content_type__app_label="standards",
            content_type__model="standard",
            object_id=str(standard.pk),
            action=ChangeLogEntry.Action.TRANSITION,
        )
        .order_by("-created_at", "-pk")
        .first()
    )
    return entry.note if entry is not None else ""


def _message(standard: Standard, name: str, actor: Any) -> tuple[list[User], str, str, str]:
    """(recipients, title, body, link) of a lifecycle step."""
    org = standard.organization_id
    book = f"《{standard.title}》"
    who = getattr(actor, "name", "") or "系统"
    link = standard_link(standard)
    if name == "circulate":
        consultation = open_consultation(standard)
        if consultation is None:
            return [], "", "", ""
        body = f"请于{consultation.deadline:%Y年%m月%d日}前提出意见。"
        if consultation.message:
            body = f"{body}\n{consultation.message}"
        return (
            list(consultation_invitees(consultation)),
            f"请对{book}征求意见稿提出意见",
            body,
            reverse("standards:consultation_detail", args=[consultation.pk]),
        )
    if name == "submit_review":
        people = leader_people(org) + office_people(org)
        return people, f"{book}已提交审查", f"{who}提交了送审稿，请安排审查。", link
    if name == "review_passed":
        meeting = approval_review(standard)
        verdict = meeting.get_conclusion_display() if meeting else "通过"
        body = f"审查结论：{verdict}。请批准发布。"
        return leader_people(org), f"{book}审查{verdict}，待批准发布", body, link
    if name == "approve":
        body = (
            f"标准编号 {standard.number}，{standard.published_on:%Y-%m-%d}发布，"
            f"{standard.effective_on:%Y-%m-%d}实施。"
        )
        return drafter_people(standard) + office_people(org), f"{book}已批准发布", body, link
    if name == "return_drafting":
        people = drafter_people(standard) + office_people(org)
        return people, f"{book}已退回起草", _last_note(standard), link
    if name == "start_drafting":
        return drafter_people(standard), f"{book}已批准立项，请开始起草", "", link
    if name == "reject_proposal":
        people = drafter_people(standard) + office_people(org)
        return people, f"{book}未予立项", _last_note(standard), link
    if name == "take_effect":
        version = published_version(standard)
        pending = Acknowledgement.objects.filter(version=version, acknowledged_at__isnull=True)
        due = pending.order_by("due_on").values_list("due_on", flat=True).first()
        people = list(User.objects.filter(pk__in=pending.values("user_id"), is_active=True))
        body = f"{standard.number}已开始实施。"
        if due is not None:
            body += f"请于{due:%Y年%m月%d日}前阅读并确认。"
        return (
            people,
            f"请阅读并确认：{book}",
            body,
            reverse("standards:acknowledgement_list"),
        )
    if name == "withdraw":
        return office_people(org), f"{book}已废止", _last_note(standard), link
    if name in ("start_periodic_review", "confirm_valid", "revise"):
        label = StandardWorkflow.transitions[name].label
        people = drafter_people(standard) + office_people(org)
        return people, f"{book}：{label}", _last_note(standard), link
    return [], "", "", ""


def step_notify(*, standard: Any, name: str, actor: Any) -> None:
    """Tell the people concerned about a lifecycle step (after it commits): the invitees of a
    consultation (with its deadline), the leaders when a draft goes to review or passes it,
    drafters and office when it is approved or sent back, the governed people when it takes
    effect (their acknowledgements), the office when it is withdrawn. The actor is not told
    of their own step."""
    people, title, body, link = _message(standard, name, actor)
    actor_pk = getattr(actor, "pk", None)
    recipients = {p.pk: p for p in people if p.pk != actor_pk}
    if recipients and title:
        notify(
            recipients=recipients.values(),
            kind=KIND,
            title=title,
            body=body,
            link=link,
            target=standard,
        )
