"""What the appraisal pages and the API read: the periods and scores a person may see, the
ranking with its movement since the last period, the 红黑榜, two subjects side by side, a
score's breakdown down to the rows behind each number, and the rows changed after the
freeze. Every function runs a fixed number of queries, however many subjects there are."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from houqin.appraisal import sources
from houqin.appraisal.models import Appeal, Period, Score, ScoreLine
from houqin.findings.compliance import Scope
from houqin.org.models import Staff

OFFICE = "appraisal.view_appraisalscheme"  # the office and the leaders see every score
SHOWN = (Period.Status.PUBLISHED, Period.Status.APPEAL, Period.Status.FINAL)
SUBJECT_FIELDS = ("department_id", "team_id", "contract_id", "staff_id")


def is_office(user: Any) -> bool:
    return bool(user.has_perm(OFFICE))


def periods_for(user: Any) -> QuerySet[Period]:
    """The periods a person may see: all of the organization for the office; the published
    ones (公示, 申诉, 定稿) for the subjects' own people."""
    periods = Period.objects.for_user(user, "view")
    if not is_office(user):
        periods = periods.filter(status__in=SHOWN)
    return periods


def _own(user: Any) -> Q:
    """The scores that are the person's own: their department's, their department's teams',
    their vendor's (a vendor manager), their own."""
    staff = Staff.objects.filter(user_id=user.pk, status=Staff.Status.ACTIVE)
    own = Q(staff__user_id=user.pk)
    vendors = staff.filter(vendor__isnull=False).values("vendor_id")
    own |= Q(subject_kind="vendor", vendor_id__in=vendors)
    if user.department_id:
        own |= Q(subject_kind="department", department_id=user.department_id)
        own |= Q(subject_kind="team", team__department_id=user.department_id)
    return own


def scores_for(user: Any, period: Period) -> QuerySet[Score]:
    """The period's scores the person may see, by rank: all for the office; a subject's own
    people see their own score once it is published."""
    scores = Score.objects.for_user(user, "view").filter(period=period)
    if is_office(user):
        return scores.order_by("rank", "subject_name", "pk")
    if period.status not in SHOWN:
        return scores.none()
    return scores.filter(_own(user)).order_by("rank", "subject_name", "pk")


def visible_scores(user: Any) -> QuerySet[Score]:
    """Every score the person may see, of any period (the API's detail and breakdown)."""
    scores = Score.objects.for_user(user, "view")
    if is_office(user):
        return scores
    return scores.filter(_own(user), period__status__in=SHOWN)


def appeals_for(user: Any) -> QuerySet[Appeal]:
    """The appeals the person may see: all for the office; their own scores' otherwise."""
    appeals = Appeal.objects.for_user(user, "view")
    if is_office(user):
        return appeals
    return appeals.filter(score__in=visible_scores(user))


def _subject(score: Score) -> tuple[str, int | None]:
    for field in SUBJECT_FIELDS:
        value = getattr(score, field)
        if value:
            return field, value
    return "", None


def previous_period(period: Period) -> Period | None:
    """The last earlier period of the same scheme that has been computed."""
    return (
        Period.objects.filter(
            scheme_id=period.scheme_id,
            ends_on__lt=period.starts_on,
            computed_at__isnull=False,
        )
        .order_by("-ends_on", "-pk")
        .first()
    )


def ranking(period: Period, scores: QuerySet[Score] | None = None) -> list[dict[str, Any]]:
    """The ranking (or the given scores of it): each row {score, rank, previous_rank,
    movement (places gained since the previous period; negative when fallen; None if the
    subject was not ranked then), lines (by sequence)}. Four queries."""
    rows = list(
        (scores if scores is not None else Score.objects.filter(period=period))
        .select_related("period")
        .prefetch_related(_lines())
        .order_by("rank", "subject_name", "pk")
    )
    before = previous_period(period)
    previous: dict[tuple[str, int | None], int | None] = {}
    if before is not None:
        for score in Score.objects.filter(period=before).only("rank", *SUBJECT_FIELDS):
            previous[_subject(score)] = score.rank
    result = []
    for score in rows:
        earlier = previous.get(_subject(score))
        movement = earlier - score.rank if earlier and score.rank else None
        result.append(
            {
                "score": score,
                "rank": score.rank,
                "previous_rank": earlier,
                "movement": movement,
                "lines": list(score.lines.all()),
            }
        )
    return result


def _lines() -> Any:
    from django.db.models import Prefetch

    return Prefetch(
        "lines", queryset=ScoreLine.objects.select_related("adjustment").order_by("seq")
    )


def red_black(period: Period) -> dict[str, list[Score]]:
    """红黑榜: praised (优秀) and criticized (不合格) subjects, by rank. One query."""
    lists: dict[str, list[Score]] = {"praised": [], "criticized": []}
    for score in Score.objects.filter(period=period, grade__in=("excellent", "fail")).order_by(
        "rank", "subject_name", "pk"
    ):
        lists["praised" if score.grade == "excellent" else "criticized"].append(score)
    return lists


def compare(period: Period, score_a: Score, score_b: Score) -> dict[str, Any]:
    """Two scores of the period side by side: rows {label, a, b} (the lines of the same
    indicator or adjustment; None where one has no such line) and the totals."""
    lines = ScoreLine.objects.filter(
        score__period=period, score__in=(score_a.pk, score_b.pk)
    ).order_by("seq", "pk")
    by_item: dict[tuple[Any, ...], dict[str, Any]] = {}
    for line in lines:
        key = (line.indicator_id, line.adjustment_id, line.seq)
        row = by_item.setdefault(key, {"label": line.label, "a": None, "b": None})
        row["a" if line.score_id == score_a.pk else "b"] = line
    return {"a": score_a, "b": score_b, "rows": list(by_item.values())}


def _scope(period: Period) -> Scope:
    return Scope(
        period.organization_id,
        period.starts_on,
        period.ends_on,
        period.computed_at or timezone.now(),
    )


def score_breakdown(score: Score) -> list[dict[str, Any]]:
    """Each line of the score: {id, label, role (indicator / bonus / deduction), formula,
    points, figure, manual (the hand entry, if any), rows_kind, rows (the rows behind the
    number, each {kind, id, label, when, state, link, changed_after_freeze}), count, more}.
    Rows made after the computation are left out, so a frozen score lists what it was made
    of; rows edited after the freeze are marked. One query per line with rows."""
    period = score.period
    scope = _scope(period)
    kind = period.scheme.subject_kind
    result = []
    for line in score.lines.select_related("adjustment").order_by("seq"):
        drill = line.drill or {}
        rows: list[dict[str, Any]] = []
        if drill.get("rows"):
            queryset = sources.rows_behind(scope, kind, drill, period.computed_at)
            rows = sources.row_dicts(drill["rows"], queryset)
            for row in rows:
                row["changed_after_freeze"] = bool(
                    period.frozen_at and row["updated_at"] > period.frozen_at
                )
        count = _behind(line.figure, drill)
        result.append(
            {
                "id": line.pk,
                "label": line.label,
                "role": line.adjustment.direction if line.adjustment else "indicator",
                "formula": line.formula,
                "points": line.points,
                "figure": line.figure,
                "manual": line.figure.get("manual_entry"),
                "rows_kind": drill.get("rows", ""),
                "rows_label": sources.ROW_KIND_LABELS.get(drill.get("rows", ""), ""),
                "rows": rows,
                "count": count if count is not None else len(rows),
                "more": count is not None and count > len(rows),
            }
        )
    return result


def _behind(figure: dict[str, Any], drill: dict[str, Any]) -> int | None:
    """How many rows the line's listed condition counted (from the stored figure)."""
    if not drill:
        return None
    if "rated" in figure:
        return int(figure["rated"])
    if "whole" in figure and drill.get("condition") != "failed":
        return int(figure["whole"] or 0)
    return int(figure.get("count") or 0)


def after_freeze(period: Period) -> list[dict[str, Any]]:
    """The rows behind the period's scores changed after the freeze (updated after
    ``frozen_at``), newest first, each with the subject's name: listed only, the scores do
    not change. One query per kind of rows the scheme reads (and one for the scores)."""
    if period.frozen_at is None:
        return []
    kind = period.scheme.subject_kind
    column = {
        "department": "department_id",
        "team": "team_id",
        "vendor": "vendor_id",
        "person": "staff__user_id",
    }[kind]
    scores = Score.objects.filter(period=period).values_list(column, "subject_name")
    names: dict[Any, str] = {key: name for key, name in scores if key is not None}
    kinds = sorted(
        {
            sources.SPECS[s].rows
            for s in (
                *period.version.indicators.values_list("source", flat=True),
                *period.version.adjustments.values_list("source", flat=True),
            )
            if s in sources.SPECS
        }
    )
    scope = _scope(period)
    result: list[dict[str, Any]] = []
    for rows in kinds:
        changed = sources.changed_since(scope, kind, rows, names, period.frozen_at)
        for row in sources.row_dicts(rows, changed):
            row["subject_name"] = names.get(row["subject"], "")
            result.append(row)
    result.sort(key=lambda row: _moment(row["updated_at"]), reverse=True)
    return result


def _moment(value: datetime) -> float:
    return value.timestamp()
