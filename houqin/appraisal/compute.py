"""The scoring engine of a period (the computing job's body): the subjects of the period,
their figures read from ``sources`` in a few grouped queries, each line's points from
``scoring``, totals, ranks and grades, written in bulk with progress; and the re-totalling
and re-ranking after a manual entry or an accepted appeal."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from houqin.appraisal import scoring, sources
from houqin.appraisal.models import (
    Adjustment,
    Indicator,
    ManualEntry,
    Method,
    Period,
    SchemeVersion,
    Score,
    ScoreLine,
    Source,
)
from houqin.common.bulk import rows_update
from houqin.findings.compliance import Scope
from houqin.org.models import Contract, Department, Staff, Team

logger = logging.getLogger(__name__)

CHUNK = 200  # subjects written per batch


@dataclass(frozen=True)
class Subject:
    key: int  # the value of the subject's column in the rows (sources.COLUMNS)
    fields: dict[str, int]  # the Score's subject links
    name: str


def subjects_of(period: Period) -> list[Subject]:
    """The subjects of the period's version: those it names, or all of the kind (a vendor
    under each contract in force during the period; a person: active staff with an
    account, of the named posts)."""
    version, org = period.version, period.organization_id
    kind = period.scheme.subject_kind
    if kind == "department":
        named = list(version.departments.order_by("code"))
        departments = named or list(Department.objects.filter(organization_id=org))
        return [Subject(d.pk, {"department_id": d.pk}, d.name) for d in departments]
    if kind == "team":
        teams = list(version.teams.order_by("name")) or list(
            Team.objects.filter(organization_id=org).order_by("name")
        )
        return [Subject(t.pk, {"team_id": t.pk}, t.name) for t in teams]
    if kind == "vendor":
        contracts = list(version.contracts.select_related("vendor").order_by("number")) or list(
            Contract.objects.filter(
                organization_id=org,
                status__in=(Contract.Status.ACTIVE, Contract.Status.ENDED),
                starts_on__lte=period.ends_on,
                ends_on__gte=period.starts_on,
            )
            .select_related("vendor")
            .order_by("number")
        )
        return [
            Subject(
                c.vendor_id,
                {"contract_id": c.pk, "vendor_id": c.vendor_id},
                f"{c.vendor.name}（{c.number}）",
            )
            for c in contracts
        ]
    staff = Staff.objects.filter(
        organization_id=org, status=Staff.Status.ACTIVE, user__isnull=False
    ).order_by("number")
    posts = list(version.posts.values_list("pk", flat=True))
    if posts:
        staff = staff.filter(post_id__in=posts)
    return [Subject(s.user_id, {"staff_id": s.pk}, s.name) for s in staff if s.user_id]


def _subject_of(score: Score) -> tuple[str, int | None]:
    for field in ("contract_id", "department_id", "team_id", "staff_id"):
        if getattr(score, field):
            return field, getattr(score, field)
    return "", None


def is_manual(indicator: Indicator) -> bool:
    return indicator.method == Method.MANUAL or indicator.source == Source.MANUAL


def _line(item: Any, seq: int, figure: dict[str, Any], drill: dict[str, Any]) -> ScoreLine:
    if isinstance(item, Indicator):
        result = scoring.indicator_points(item, figure)
        link = {"indicator": item}
    else:
        result = scoring.adjustment_line(item, figure)
        link = {"adjustment": item}
    return ScoreLine(
        organization_id=item.organization_id,
        seq=seq,
        label=item.name[:60],
        figure=figure,
        formula=result.formula[:300],
        points=result.points,
        drill=drill,
        **link,
    )


def manual_figure(entry: ManualEntry | None, as_count: bool) -> dict[str, Any]:
    if entry is None:
        return {"count": 0} if as_count else {}
    value = float(entry.value)
    figure: dict[str, Any] = {"count": value} if as_count else {"value": value}
    figure.update(note=entry.note, entered_by=entry.entered_by.name, manual_entry=entry.pk)
    return figure


def _role(line: ScoreLine) -> str:
    if line.adjustment_id is None:
        return "indicator"
    return str(line.adjustment.direction)  # type: ignore[union-attr]


def period_compute(period: Period, now: datetime | None = None) -> None:
    """后台计算：为每个考核对象算出各项得分（保留已有的得分行，人工录入随之保留）、总分、名次和等次，
    先把尚未汇总的已过去日子汇总进每日汇总表（每月提交一次并更新进度），再在一个事务中写入得分；
    出错时在 compute_error 中记下原因。写得分的查询次数与考核对象数无关（每 200 个对象一批）。"""
    now = now or timezone.now()
    try:
        _compute(period, now)
    except ValidationError as error:
        _compute_failed(period, "；".join(error.messages))
    except Exception as error:  # any failure is reported on the period, never lost
        logger.exception("appraisal period %s failed to compute", period.pk)
        _compute_failed(period, f"计算时出错（{type(error).__name__}），请联系系统管理员。")


def rollups_prepare(now: datetime | None = None) -> dict[str, int]:
    """每天：为尚待计算（草稿、计算阶段）的考核周期，把已过去的日子按考核对象汇总好，
    计算得分时只需相加。返回周期数和新汇总的天数（每种数据、每类考核对象各算一次）。"""
    now = now or timezone.now()
    periods = Period.objects.filter(
        status__in=(Period.Status.DRAFT, Period.Status.COMPUTED),
        starts_on__lt=timezone.localdate(now),
    ).select_related("scheme")
    counted = days = 0
    for period in periods:
        scope = Scope(period.organization_id, period.starts_on, period.ends_on, now)
        kind = period.scheme.subject_kind
        days += sources.count_days(scope, kind, sources.pending(scope, kind))
        counted += 1
    return {"periods": counted, "days": days}


def _compute_failed(period: Period, reason: str) -> None:
    Period.objects.filter(pk=period.pk).update(
        computing=False, compute_error=reason[:300], updated_at=timezone.now()
    )
    period.computing, period.compute_error = False, reason[:300]


def _compute(period: Period, now: datetime) -> None:
    version = period.version
    indicators = list(version.indicators.order_by("seq"))
    adjustments = list(version.adjustments.order_by("seq"))
    bands = [scoring.Band(b.grade, b.min_score, b.max_share) for b in version.bands.all()]
    subjects = subjects_of(period)
    kind = period.scheme.subject_kind
    wanted = {(i.source, i.kind) for i in indicators if not is_manual(i)}
    wanted |= {(a.source, "") for a in adjustments if a.source != Source.MANUAL}
    scope = Scope(period.organization_id, period.starts_on, period.ends_on, now)
    _counting_days(period, scope, subjects, wanted)
    figures = sources.read(scope, kind, wanted)
    with transaction.atomic():
        scores = _scores_for(period, subjects)
        entries = {
            (e.score_id, e.indicator_id, e.adjustment_id): e
            for e in ManualEntry.objects.filter(score__period=period).select_related("entered_by")
        }
        lines: list[ScoreLine] = []
        for subject in subjects:
            score = scores[subject.key]
            roles: list[tuple[str, Decimal]] = []
            items: list[Indicator | Adjustment] = [*indicators, *adjustments]
            for seq, item in enumerate(items, 1):
                line = _subject_line(item, seq, subject, score, figures, entries)
                line.score = score
                lines.append(line)
                role = "indicator" if isinstance(item, Indicator) else item.direction
                roles.append((role, line.points))
            result = scoring.totals(roles)
            _set_totals(score, result)
        ScoreLine.objects.filter(score__period=period).delete()
        ordered = list(scores.values())
        _rank(ordered, bands, version.grading == SchemeVersion.Grading.SHARE)
        for start in range(0, len(ordered), CHUNK):
            chunk = ordered[start : start + CHUNK]
            for score in chunk:
                score.updated_at = now
            rows_update(chunk, [*SCORE_FIELDS, "subject_name", "updated_at"])
            chunk_ids = {score.pk for score in chunk}
            ScoreLine.objects.bulk_create([ln for ln in lines if ln.score.pk in chunk_ids])
        Period.objects.filter(pk=period.pk).update(
            done=F("total"),
            stage="",
            computing=False,
            computed_at=now,
            compute_error="",
            updated_at=now,
        )
    period.refresh_from_db()


COUNTING, SCORING = "正在汇总每日检查数据（每天只汇总一次）", "正在计算得分"


def _counting_days(
    period: Period, scope: Scope, subjects: list[Subject], wanted: set[sources.Wanted]
) -> None:
    """Count the closed days the roll-ups lack before scoring, with progress in steps: a
    step per day counted (committed a month at a time, so the page sees them move), then
    one per subject (scored in one transaction)."""
    pending = sources.pending(scope, period.scheme.subject_kind, wanted)
    days = sum(len(missing) for missing in pending.values())
    steps = days + len(subjects)
    _progressed(period, 0, steps, COUNTING if days else SCORING)
    done = 0

    def more_days(counted: int) -> None:
        nonlocal done
        done += counted
        _progressed(period, done, steps, COUNTING)

    sources.count_days(scope, period.scheme.subject_kind, pending, more_days)
    if days:
        _progressed(period, days, steps, SCORING)


def _progressed(period: Period, done: int, total: int, stage: str) -> None:
    Period.objects.filter(pk=period.pk).update(done=done, total=total, stage=stage)


SCORE_FIELDS = ("base", "bonus", "deduction", "total", "rank", "grade")


def _scores_for(period: Period, subjects: list[Subject]) -> dict[int, Score]:
    """Each subject's score of the period: the existing one kept (and renamed), a new one
    made; scores of subjects no longer appraised are removed."""
    existing = {_subject_of(s): s for s in Score.objects.filter(period=period)}
    result: dict[int, Score] = {}
    new: list[Score] = []
    for subject in subjects:
        field, value = next(iter(subject.fields.items()))
        score = existing.pop((field, value), None)
        if score is None:
            score = Score(
                organization_id=period.organization_id,
                period=period,
                subject_kind=period.scheme.subject_kind,
                **subject.fields,
            )
            new.append(score)
        score.subject_name = subject.name[:120]
        result[subject.key] = score
    if existing:
        Score.objects.filter(pk__in=[s.pk for s in existing.values()]).delete()
    Score.objects.bulk_create(new)
    return result


def _subject_line(
    item: Indicator | Adjustment,
    seq: int,
    subject: Subject,
    score: Score,
    figures: dict[tuple[str, str], dict[Any, dict[str, Any]]],
    entries: dict[tuple[int, int | None, int | None], ManualEntry],
) -> ScoreLine:
    if isinstance(item, Indicator):
        if is_manual(item):
            entry = entries.get((score.pk, item.pk, None))
            return _line(item, seq, manual_figure(entry, as_count=False), {})
        wanted = (item.source, item.kind)
    else:
        if item.source == Source.MANUAL:
            entry = entries.get((score.pk, None, item.pk))
            return _line(item, seq, manual_figure(entry, as_count=True), {})
        wanted = (item.source, "")
    spec = sources.SPECS[wanted[0]]
    figure = figures[wanted].get(subject.key) or sources.figure_of(spec, None, wanted[1])
    return _line(item, seq, figure, sources.drill_for(wanted[0], wanted[1], subject.key))


def _rank(scores: list[Score], bands: list[scoring.Band], by_share: bool) -> None:
    items = [(index, score.total) for index, score in enumerate(scores)]
    ranks = scoring.ranks(items)
    grades = scoring.grades(items, bands, by_share)
    for index, score in enumerate(scores):
        score.rank, score.grade = ranks[index], grades[index]


def period_rerank(period: Period) -> None:
    """Rank and grade the period's scores again from their totals (after a correction)."""
    version = period.version
    bands = [scoring.Band(b.grade, b.min_score, b.max_share) for b in version.bands.all()]
    scores = list(Score.objects.filter(period=period).order_by("pk"))
    _rank(scores, bands, version.grading == SchemeVersion.Grading.SHARE)
    rows_update(scores, ["rank", "grade"])


def _set_totals(score: Score, result: scoring.Totals) -> None:
    score.base, score.bonus = result.base, result.bonus
    score.deduction, score.total = result.deduction, result.total


def score_retotal(score: Score) -> Score:
    """Sum a score's lines again into its base, bonus, deduction and total."""
    lines = list(score.lines.select_related("adjustment"))
    result = scoring.totals((_role(line), line.points) for line in lines)
    _set_totals(score, result)
    score.save(update_fields=["base", "bonus", "deduction", "total", "updated_at"])
    return score
