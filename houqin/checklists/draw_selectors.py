"""Reads of random spot checks and special campaigns: the rows a user may see, a draw's
pools and result with names (a fixed number of queries whatever their size), and a
campaign's tasks, records, pass rate and findings."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from houqin.accounts.models import User
from houqin.checklists.models import Campaign, RandomDraw, Record, Task
from houqin.places.models import Equipment, Place


def draw_rows(*, user: Any) -> QuerySet[RandomDraw]:
    return RandomDraw.objects.for_user(user, "view").select_related("template", "drawn_by")


def draw_get(*, user: Any, pk: Any) -> RandomDraw:
    draw = draw_rows(user=user).select_related("campaign").filter(pk=pk).first()
    if draw is None:
        raise Http404
    return draw


@dataclass(frozen=True)
class Drawn:
    subject: str
    inspectors: list[str]


@dataclass(frozen=True)
class DrawSheet:
    subjects: list[tuple[int, str]]  # the candidate subjects in recorded order
    inspectors: list[tuple[int, str]]
    drawn: list[Drawn]
    tasks: list[Task]


def _subject_names(draw: RandomDraw, ids: list[int]) -> dict[int, str]:
    model = Equipment if draw.subject_type == RandomDraw.Subjects.EQUIPMENT else Place
    rows = model.objects.filter(organization_id=draw.organization_id, pk__in=ids)
    return {pk: f"{code} {name}" for pk, code, name in rows.values_list("pk", "code", "name")}


def draw_sheet(draw: RandomDraw) -> DrawSheet:
    """The pools and the result with names, and the tasks the draw made (three queries)."""
    subject_ids = [row[0] for row in draw.subject_pool]
    people_ids = [row[0] for row in draw.inspector_pool]
    subjects = _subject_names(draw, subject_ids)
    people = dict(
        User.objects.filter(organization_id=draw.organization_id, pk__in=people_ids).values_list(
            "pk", "name"
        )
    )
    gone = "（已删除）"
    tasks = list(
        Task.objects.filter(
            organization_id=draw.organization_id, occurrence__startswith=f"draw{draw.pk}:"
        )
        .select_related("person", "place", "equipment")
        .order_by("pk")
    )
    return DrawSheet(
        subjects=[(pk, subjects.get(pk, gone)) for pk in subject_ids],
        inspectors=[(pk, people.get(pk, gone)) for pk in people_ids],
        drawn=[
            Drawn(subjects.get(s, gone), [people.get(i, gone) for i in ids])
            for s, ids in draw.result
        ],
        tasks=tasks,
    )


def campaign_rows(*, user: Any) -> QuerySet[Campaign]:
    return Campaign.objects.for_user(user, "view")


def campaign_get(*, user: Any, pk: Any) -> Campaign:
    campaign = campaign_rows(user=user).filter(pk=pk).first()
    if campaign is None:
        raise Http404
    return campaign


@dataclass(frozen=True)
class CampaignSheet:
    tasks: list[Task]
    records: list[Record]
    pass_rate: Decimal | None
    findings: int
    done: int


def campaign_sheet(campaign: Campaign) -> CampaignSheet:
    """The campaign's tasks, their submitted records, the pass rate of those records and
    how many findings they raised (three queries)."""
    from houqin.findings.models import Finding

    tasks = list(
        Task.objects.filter(campaign_links__campaign=campaign)
        .select_related("template", "person", "place", "equipment")
        .order_by("due_at", "pk")
    )
    records = list(
        Record.objects.filter(
            task__campaign_links__campaign=campaign, status=Record.Status.SUBMITTED
        )
        .select_related("template", "inspector", "place")
        .order_by("-submitted_at", "-pk")
    )
    judged = [r for r in records if r.passed is not None]
    rate = (
        (Decimal(sum(1 for r in judged if r.passed)) * 100 / len(judged)).quantize(Decimal("0.1"))
        if judged
        else None
    )
    findings = Finding.objects.filter(record__in=[r.pk for r in records]).count() if records else 0
    done = sum(1 for t in tasks if t.status == Task.Status.DONE)
    return CampaignSheet(tasks, records, rate, findings, done)
