"""What the period, score and appeal pages show, built from the appraisal selectors: the
lookups through what the person may see (outsider → 404), the steps and buttons of a
period, its progress, the ranking rows as strings, the 红黑榜, the appeals, the rows changed
after the freeze, a score's breakdown with its manual entries, and two subjects compared."""

from __future__ import annotations

import html
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from django.utils.safestring import mark_safe

from houqin.appraisal import period_services, selectors
from houqin.appraisal.compute import SCORING
from houqin.appraisal.models import Appeal, ManualEntry, Method, Period, Score, Source
from houqin.common.lists import url_for_pk
from houqin.common.models import Attachment

RUN = "appraisal.change_period"
APPEAL = "appraisal.add_appeal"
STEP_LABELS = [
    (Period.Status.DRAFT, "草稿"),
    (Period.Status.COMPUTED, "计算"),
    (Period.Status.PUBLISHED, "公示"),
    (Period.Status.APPEAL, "申诉"),
    (Period.Status.FINAL, "定稿"),
]
APPEAL_BADGES = {"submitted": "bg-yellow-lt", "accepted": "bg-green-lt", "rejected": "bg-red-lt"}
ROLE_LABELS = {"indicator": "指标", "bonus": "加分", "deduction": "扣分"}
SIGNS = {"indicator": "", "bonus": "+", "deduction": "−"}
FIGURE_LABELS = {
    "part": "分子",
    "whole": "分母",
    "count": "次数",
    "value": "录入值",
    "rated": "评价次数",
}


def period_get(user: Any, pk: Any, action: str = "view") -> Period:
    """A period the person may see (and, for ``change``, run); else 404."""
    periods = selectors.periods_for(user)
    if action != "view":
        periods = periods.filter(pk__in=Period.objects.for_user(user, action).values("pk"))
    period = periods.select_related("scheme", "version").filter(pk=pk).first()
    if period is None:
        raise Http404
    return period


def score_get(user: Any, pk: Any) -> Score:
    """A score the person may see: its period visible and the score among theirs."""
    score = (
        Score.objects.for_user(user, "view")
        .select_related("period", "period__scheme", "period__version", "team")
        .filter(pk=pk)
        .first()
    )
    if score is None or not selectors.periods_for(user).filter(pk=score.period_id).exists():
        raise Http404
    if (
        not selectors.is_office(user)
        and not selectors.scores_for(user, score.period).filter(pk=score.pk).exists()
    ):
        raise Http404
    return score


def appeal_get(user: Any, pk: Any, action: str = "view") -> Appeal:
    """An appeal the person may see: the office any of the organization; a subject's
    people those on their own scores."""
    appeal = (
        Appeal.objects.for_user(user, action)
        .select_related(
            "score", "score__period", "score__period__scheme", "line", "submitted_by", "decided_by"
        )
        .filter(pk=pk)
        .first()
    )
    if appeal is None:
        raise Http404
    if not selectors.is_office(user):
        score_get(user, appeal.score_id)
    return appeal


def status_steps(period: Period) -> list[dict[str, Any]]:
    return [{"label": label, "current": value == period.status} for value, label in STEP_LABELS]


def actions(period: Period, user: Any) -> list[dict[str, Any]]:
    """The steps this person may take now, with what each confirmation says."""
    if period.computing or period.organization_id != user.organization_id:
        return []
    result = []
    for name, transition in Period.workflow.available(period, user):
        label = "重新计算" if name == "compute" and period.computed_at else transition.label
        result.append(
            {
                "name": name,
                "label": label,
                "confirm": transition.confirm,
                "needs_note": transition.needs_note,
                "danger": False,
            }
        )
    return result


def progress(period: Period) -> dict[str, Any]:
    total = period.total or 0
    done = min(period.done or 0, total)
    return {
        "running": period.computing,
        "done": done,
        "total": total,
        "percent": int(done * 100 / total) if total else 0,
        "stage": period.stage or SCORING,
        "error": period.compute_error,
    }


def _movement(movement: int | None) -> tuple[str, str]:
    """(HTML, text) of the places gained or lost since the last period."""
    if movement is None:
        return '<span class="text-secondary">—</span>', ""
    if movement > 0:
        return f'<span class="move-up">↑ 升 {movement}</span>', f"↑{movement}"
    if movement < 0:
        return f'<span class="move-down">↓ 降 {-movement}</span>', f"↓{-movement}"
    return '<span class="text-secondary">持平</span>', "持平"


def ranking_rows(user: Any, period: Period) -> dict[str, Any]:
    """The ranking of the scores the person may see: heads of the indicator columns and one
    row per score (the row's HTML built as one string, its values kept for the export)."""
    rows = selectors.ranking(period, selectors.scores_for(user, period))
    heads: list[str] = []
    indicator_seqs: list[int] = []
    if rows:
        for line in rows[0]["lines"]:
            if line.adjustment_id is None:
                heads.append(line.label)
                indicator_seqs.append(line.seq)
    built = []
    for row in rows:
        score: Score = row["score"]
        by_seq = {line.seq: line.points for line in row["lines"]}
        points = [by_seq.get(seq) for seq in indicator_seqs]
        move_html, move_text = _movement(row["movement"])
        url = html.escape(url_for_pk("appraisal:score_detail", score.pk))
        grade = score.get_grade_display() if score.grade else ""
        cells = [
            f'<td class="text-nowrap" data-label="名次">{score.rank or "—"}</td>',
            f'<td class="text-nowrap" data-label="较上期">{move_html}</td>',
            f'<td class="text-break"><a href="{url}">{html.escape(score.subject_name)}</a></td>',
            *(
                f'<td class="num" data-label="{html.escape(head)}">{_num(value)}</td>'
                for head, value in zip(heads, points, strict=True)
            ),
            f'<td class="num" data-label="加分">{_num(score.bonus)}</td>',
            f'<td class="num" data-label="扣分">{_num(score.deduction)}</td>',
            f'<td class="num fw-bold" data-label="总分">{_num(score.total)}</td>',
            f'<td data-label="等次">{html.escape(grade) or "—"}</td>',
        ]
        built.append(
            {
                "html": mark_safe("<tr>" + "".join(cells) + "</tr>"),  # noqa: S308  (escaped)
                "rank": score.rank,
                "movement_text": move_text,
                "subject": score.subject_name,
                "points": points,
                "bonus": score.bonus,
                "deduction": score.deduction,
                "total": score.total,
                "grade": grade,
                "grade_code": score.grade,
            }
        )
    return {"heads": heads, "rows": built}


def _num(value: Decimal | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def chart(ranking: dict[str, Any]) -> dict[str, Any]:
    """The bar chart's data: names, totals and grades in ranking order."""
    rows = ranking["rows"]
    return {
        "names": [row["subject"] for row in rows],
        "totals": [float(row["total"]) for row in rows],
        "grades": [row["grade_code"] for row in rows],
        "max": 100 if all(row["total"] <= 100 for row in rows) else None,
    }


def red_black_rows(user: Any, period: Period) -> dict[str, list[dict[str, Any]]]:
    """红黑榜 of a published period (the office sees it as soon as scores exist)."""
    if period.status not in selectors.SHOWN and not selectors.is_office(user):
        return {"red": [], "black": []}
    lists = selectors.red_black(period)

    def rows(scores: list[Score]) -> list[dict[str, Any]]:
        return [
            {
                "subject": s.subject_name,
                "total": s.total,
                "grade": s.get_grade_display(),
                "url": url_for_pk("appraisal:score_detail", s.pk),
            }
            for s in scores
        ]

    return {"red": rows(lists["praised"]), "black": rows(lists["criticized"])}


def _appeal_row(appeal: Appeal, subject: str) -> dict[str, Any]:
    return {
        "url": url_for_pk("appraisal:appeal_detail", appeal.pk),
        "subject": subject,
        "line": appeal.line.label,
        "status": appeal.get_status_display(),
        "badge": APPEAL_BADGES.get(appeal.status, ""),
        "submitted_at": appeal.submitted_at,
        "points_before": appeal.points_before,
        "points_after": appeal.points_after,
    }


def appeal_rows(user: Any, period: Period) -> list[dict[str, Any]]:
    """The period's appeals the person may see (the office: all; else on their scores)."""
    if not user.has_perm("appraisal.view_appeal"):
        return []
    appeals = Appeal.objects.for_user(user, "view").filter(score__period=period)
    if not selectors.is_office(user):
        appeals = appeals.filter(score__in=selectors.scores_for(user, period))
    appeals = appeals.select_related("score", "line").order_by("-submitted_at", "pk")
    return [_appeal_row(a, a.score.subject_name) for a in appeals]


def late_rows(user: Any, period: Period) -> list[dict[str, Any]]:
    """定稿后变更: rows behind the scores changed after the freeze (office only)."""
    if period.status != Period.Status.FINAL or not selectors.is_office(user):
        return []
    return selectors.after_freeze(period)


def may_enter(user: Any, period: Period) -> bool:
    return (
        user.has_perm(RUN)
        and period.organization_id == user.organization_id
        and period.status in (Period.Status.DRAFT, Period.Status.COMPUTED)
        and not period.computing
    )


def may_appeal(user: Any, score: Score) -> bool:
    return (
        user.has_perm(APPEAL)
        and score.period.status == Period.Status.PUBLISHED
        and period_services.is_own(user, score)
    )


def manual_targets(score: Score) -> list[tuple[str, str]]:
    """The lines of a score entered by hand, as choices ("i<id>" an indicator, "a<id>" an
    adjustment)."""
    version = score.period.version
    choices = [
        (f"i{i.pk}", f"{i.name}（人工评分，满分 {i.weight}）")
        for i in version.indicators.order_by("seq")
        if i.method == Method.MANUAL or i.source == Source.MANUAL
    ]
    choices += [
        (f"a{a.pk}", f"{a.name}（{a.get_direction_display()}，每次 {a.points} 分，填次数）")
        for a in version.adjustments.filter(source=Source.MANUAL).order_by("seq")
    ]
    return choices


def manual_target(score: Score, key: str) -> tuple[Any, Any]:
    """(indicator, adjustment) named by a choice of manual_targets."""
    version = score.period.version
    number = int(key[1:])
    if key.startswith("i"):
        return version.indicators.get(pk=number), None
    return None, version.adjustments.get(pk=number)


def _entries(score: Score) -> dict[int, dict[str, Any]]:
    """The score's manual entries with who entered them and their evidence (two queries)."""
    entries = list(ManualEntry.objects.filter(score=score).select_related("entered_by"))
    files: dict[str, list[Attachment]] = {}
    if entries:
        content_type = ContentType.objects.get_for_model(ManualEntry)
        for item in Attachment.objects.filter(
            content_type=content_type, object_id__in=[str(e.pk) for e in entries]
        ).only("id", "object_id", "original_name"):
            item.download_url = url_for_pk("common:attachment_download", item.pk)  # type: ignore[attr-defined]
            files.setdefault(item.object_id, []).append(item)
    return {
        e.pk: {
            "value": e.value,
            "note": e.note,
            "entered_by": e.entered_by.name,
            "entered_at": e.entered_at,
            "attachments": files.get(str(e.pk), []),
        }
        for e in entries
    }


def breakdown(score: Score, can_appeal: bool) -> list[dict[str, Any]]:
    """Each line of the score with its formula, numbers, rows, manual entry and appeal."""
    entries = _entries(score)
    appeals: dict[int, Appeal] = {}
    for item in Appeal.objects.filter(score=score).order_by("submitted_at", "pk"):
        appeals[item.line_id] = item  # the latest appeal of each line
    result = []
    for line in selectors.score_breakdown(score):
        figure = line["figure"] or {}
        appeal = appeals.get(line["id"])
        result.append(
            {
                "pk": line["id"],
                "label": line["label"],
                "role_label": ROLE_LABELS.get(line["role"], ""),
                "sign": SIGNS.get(line["role"], "") if line["points"] else "",
                "formula": line["formula"],
                "points": line["points"],
                "figures": figure_items(figure),
                "rows": line["rows"],
                "row_count": line["count"],
                "more": line["more"],
                "entries": [entries[line["manual"]]] if line["manual"] in entries else [],
                "appeal": None
                if appeal is None
                else {
                    "url": url_for_pk("appraisal:appeal_detail", appeal.pk),
                    "status": appeal.get_status_display(),
                    "badge": APPEAL_BADGES.get(appeal.status, ""),
                },
                "can_appeal": can_appeal
                and (appeal is None or appeal.status != Appeal.Status.SUBMITTED),
            }
        )
    return result


def figure_items(figure: dict[str, Any]) -> list[tuple[str, Any]]:
    """The numbers of a line with their labels (the figure's own labels when it has them),
    e.g. [("合格记录", 412), ("有结论的检查记录", 430)]."""
    items = []
    for key, label in FIGURE_LABELS.items():
        if key in figure and figure[key] is not None:
            items.append((str(figure.get(f"{key}_label") or label), figure[key]))
    return items


def score_appeals(score: Score) -> list[dict[str, Any]]:
    appeals = Appeal.objects.filter(score=score).select_related("line")
    return [_appeal_row(a, score.subject_name) for a in appeals.order_by("-submitted_at", "pk")]


def compare_table(user: Any, period: Period, a: str, b: str) -> dict[str, Any] | None:
    """Two of the person's visible scores side by side; None when either is not theirs."""
    scores = {s.pk: s for s in selectors.scores_for(user, period).filter(pk__in=[a, b])}
    if len(scores) != 2:
        return None
    score_a, score_b = scores[int(a)], scores[int(b)]
    table = selectors.compare(period, score_a, score_b)
    rows = []
    for row in table["rows"]:
        pa = row["a"].points if row["a"] is not None else None
        pb = row["b"].points if row["b"] is not None else None
        rows.append(
            {
                "label": row["label"],
                "a": pa,
                "b": pb,
                "a_formula": row["a"].formula if row["a"] is not None else "",
                "b_formula": row["b"].formula if row["b"] is not None else "",
                "diff": _signed(None if pa is None or pb is None else pa - pb),
            }
        )
    return {
        "a": score_a,
        "b": score_b,
        "rows": rows,
        "diff": _signed(score_a.total - score_b.total),
    }


def _signed(value: Decimal | None) -> str:
    """A difference with its sign, for the comparison."""
    if value is None:
        return "—"
    return f"+{value:.2f}" if value > 0 else f"{value:.2f}"
