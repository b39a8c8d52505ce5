"""What is overdue in the lifecycle of an organization's standards, for the standards
officer's home page, the reminders page and the daily digest: consultations past their
deadline still open, standards whose periodic review is overdue, proposals and drafts past
their planned date, read-and-acknowledge tasks past due. ``today`` is always passed in."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.urls import reverse

from houqin.accounts.selectors import home_card
from houqin.common.models import Notification
from houqin.common.notifications import notify
from houqin.standards.lifecycle import KIND, MANAGE
from houqin.standards.lifecycle_people import office_people
from houqin.standards.models import Acknowledgement, Comment, Consultation, Standard

S = Standard.Status
IN_PROGRESS = (S.PROPOSED, S.DRAFTING, S.CONSULTATION, S.REVIEW, S.REVISING)
DIGEST_LIST = 10  # names listed per kind in the digest; the rest are counted


@dataclass
class Overdue:
    """The overdue things of one organization on one day."""

    consultations: list[Consultation] = field(default_factory=list)
    reviews: list[Standard] = field(default_factory=list)
    late: list[Standard] = field(default_factory=list)
    acknowledgements: list[dict[str, Any]] = field(default_factory=list)

    @property
    def acknowledgement_total(self) -> int:
        return sum(row["overdue"] for row in self.acknowledgements)

    @property
    def empty(self) -> bool:
        return not (self.consultations or self.reviews or self.late or self.acknowledgements)


def _org_id(organization: Any) -> int:
    return int(getattr(organization, "pk", organization))


def _pending() -> Count:
    return Count("comments", filter=Q(comments__disposition=Comment.Disposition.PENDING))


def consultations_open(organization: Any) -> QuerySet[Consultation]:
    """Consultations in progress, each with its count of comments not yet answered."""
    return (
        Consultation.objects.filter(
            organization_id=_org_id(organization),
            closed_at__isnull=True,
            standard__status=S.CONSULTATION,
        )
        .select_related("standard")
        .annotate(pending=_pending(), total=Count("comments"))
        .order_by("deadline", "pk")
    )


def overdue(organization: Any, today: date) -> Overdue:
    """Everything overdue on ``today`` (four queries)."""
    org = _org_id(organization)
    consultations = list(consultations_open(org).filter(deadline__lt=today))
    reviews = list(
        Standard.objects.filter(
            organization_id=org,
            status__in=(S.IN_FORCE, S.UNDER_REVIEW),
            review_due_on__lt=today,
        ).order_by("review_due_on", "pk")
    )
    late = list(
        Standard.objects.filter(
            organization_id=org, status__in=IN_PROGRESS, due_on__lt=today
        ).order_by("due_on", "pk")
    )
    acknowledgements: list[dict[str, Any]] = [
        dict(row)
        for row in Acknowledgement.objects.filter(
            organization_id=org, acknowledged_at__isnull=True, due_on__lt=today
        )
        .exclude(version__standard__status=S.WITHDRAWN)
        .values(
            standard_id=F("version__standard_id"),
            number=F("version__standard__number"),
            title=F("version__standard__title"),
        )
        .annotate(overdue=Count("pk"))
        .order_by("-overdue", "standard_id")
    ]
    return Overdue(consultations, reviews, late, acknowledgements)


def officer_cards(user: Any, today: date) -> list[dict[str, object]]:
    """The standards officer's home-page cards: what is overdue and what is in progress,
    each figure linking to its rows on the reminders page."""
    if not user.has_perm(MANAGE) or user.organization_id is None:
        return []
    url = reverse("standards:reminder_list")
    found = overdue(user.organization_id, today)
    progress = Consultation.objects.filter(
        organization_id=user.organization_id,
        closed_at__isnull=True,
        standard__status=S.CONSULTATION,
    ).aggregate(open=Count("pk", distinct=True), pending=_pending())
    return [
        home_card(
            "标准到期提醒",
            "alert-triangle",
            url,
            "查看到期事项",
            "复审逾期、征求意见过了截止日期、立项或起草超过计划完成日期的标准。",
            [
                ("复审逾期", len(found.reviews), f"{url}#reviews"),
                ("征求意见已截止", len(found.consultations), f"{url}#consultations"),
                ("制修订超期", len(found.late), f"{url}#late"),
            ],
        ),
        home_card(
            "征求意见与宣贯",
            "list-details",
            url,
            "查看进展",
            "正在征求意见的标准、还没答复的意见，以及逾期未确认阅读的人次。",
            [
                ("征求意见中", progress["open"], f"{url}#open"),
                ("意见待处理", progress["pending"], f"{url}#open"),
                ("阅读确认逾期", found.acknowledgement_total, f"{url}#acknowledgements"),
            ],
        ),
    ]


def _names(rows: list[Any], describe: Any) -> str:
    shown = "、".join(describe(row) for row in rows[:DIGEST_LIST])
    more = len(rows) - DIGEST_LIST
    return f"{shown}等{len(rows)}项" if more > 0 else shown


def digest_text(found: Overdue) -> str:
    """The body of the daily digest: one line per kind of overdue thing."""
    lines = []
    if found.reviews:
        lines.append(
            f"复审逾期 {len(found.reviews)} 项："
            + _names(
                found.reviews, lambda s: f"{s.number}《{s.title}》（应于{s.review_due_on}复审）"
            )
        )
    if found.consultations:
        lines.append(
            f"征求意见已过截止日期 {len(found.consultations)} 项："
            + _names(
                found.consultations,
                lambda c: f"《{c.standard.title}》（{c.deadline}截止，{c.pending} 条意见待处理）",
            )
        )
    if found.late:
        lines.append(
            f"制修订超过计划完成日期 {len(found.late)} 项："
            + _names(found.late, lambda s: f"《{s.title}》（计划{s.due_on}完成）")
        )
    if found.acknowledgements:
        lines.append(f"阅读确认逾期 {found.acknowledgement_total} 人次。")
    return "\n".join(lines)


def digest_title(today: date) -> str:
    return f"标准化每日提醒（{today:%Y-%m-%d}）"


def daily_digest_send(*, today: date) -> int:
    """Send each organization's standards officers one digest of what is overdue on
    ``today``; an officer who already has today's digest gets no second one, and nothing is
    sent when nothing is overdue. Returns how many notifications were written."""
    title = digest_title(today)
    sent = 0
    organizations = Standard.objects.values_list("organization_id", flat=True).distinct()
    for org in sorted(set(organizations)):
        found = overdue(org, today)
        if found.empty:
            continue
        officers = office_people(org)
        already = set(
            Notification.objects.filter(recipient__in=officers, kind=KIND, title=title).values_list(
                "recipient_id", flat=True
            )
        )
        recipients = [user for user in officers if user.pk not in already]
        if recipients:
            sent += len(
                notify(
                    recipients=recipients,
                    kind=KIND,
                    title=title,
                    body=digest_text(found),
                    link=reverse("standards:reminder_list"),
                )
            )
    return sent
