"""The yearly self-evaluation of standardization work (GB/T 24421.4 标准实施及评价): the
system's completeness (标准体系评价: the coverage of service lines by standards in force),
implementation (标准实施评价: the compliance figures), effects (third-party evaluations,
the findings trend by month) and the improvements made (supervision orders, rectifications,
standards published or revised). Houqin reads the figures and drafts the texts; the office
edits the texts and exports the whole to Word."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Avg, Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from houqin.appraisal.models import Circular, Period, SelfEvaluation
from houqin.checklists.models import Record
from houqin.checklists.selectors import day_bounds
from houqin.common.changelog import changelog_record, diff, snapshot
from houqin.common.models import ChangeLogEntry
from houqin.findings.compliance import compliance
from houqin.findings.models import Finding, Rectification, SupervisionOrder
from houqin.standards.models import IN_FORCE_STATES, Standard
from houqin.standards.selectors_system import coverage_matrix

DRAFT = "appraisal.add_selfevaluation"
EDIT = "appraisal.change_selfevaluation"
LABELS = {
    "title": "标题",
    "completeness": "标准体系完整性",
    "implementation": "标准实施情况",
    "effects": "实施效果",
    "improvements": "改进情况",
    "conclusion": "评价结论",
}
TEXTS = ("title", "completeness", "implementation", "effects", "improvements", "conclusion")


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value}%"


def _coverage(user: Any) -> dict[str, Any]:
    matrix = coverage_matrix(user=user)
    return {
        "leaves": matrix.leaf_count,
        "lines": [
            {
                "label": g.label,
                "in_force": g.in_force,
                "covered": g.covered,
                "gaps": g.gaps[:20],
            }
            for g in matrix.gaps
        ],
    }


def _standards(organization: Any, year: int, today: date) -> dict[str, int]:
    rows = Standard.objects.filter(organization=organization)
    return rows.aggregate(
        in_force=Count("pk", filter=Q(status__in=IN_FORCE_STATES)),
        published=Count("pk", filter=Q(published_on__year=year)),
        review_overdue=Count("pk", filter=Q(status__in=IN_FORCE_STATES, review_due_on__lt=today)),
    )


def _trend(organization: Any, year: int) -> list[dict[str, int]]:
    """Findings raised per month of the year, first occurrences and repeats (one query)."""
    counts: dict[str, Any] = {}
    for month in range(1, 13):
        since = day_bounds(date(year, month, 1))[0]
        following = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
        until = day_bounds(following)[0]
        moment = Q(raised_at__gte=since, raised_at__lt=until)
        counts[f"new_{month}"] = Count("pk", filter=moment & Q(repeat_of__isnull=True))
        counts[f"repeat_{month}"] = Count("pk", filter=moment & Q(repeat_of__isnull=False))
    found = Finding.objects.filter(organization=organization).aggregate(**counts)
    return [
        {"month": m, "new": found[f"new_{m}"], "repeat": found[f"repeat_{m}"]} for m in range(1, 13)
    ]


def _third_party(organization: Any, since: datetime, until: datetime) -> dict[str, Any]:
    found = Record.objects.filter(
        organization=organization,
        kind="third_party",
        status=Record.Status.SUBMITTED,
        submitted_at__gte=since,
        submitted_at__lt=until,
    ).aggregate(count=Count("pk"), passed=Count("pk", filter=Q(passed=True)), average=Avg("score"))
    average = found["average"]
    return {
        "count": found["count"],
        "passed": found["passed"],
        "average": round(float(average), 1) if average is not None else None,
    }


def _improvements(organization: Any, year: int, since: datetime, until: datetime) -> dict[str, int]:
    orders = SupervisionOrder.objects.filter(organization=organization, year=year).aggregate(
        issued=Count("pk"),
        closed=Count("pk", filter=Q(status=SupervisionOrder.Status.CLOSED)),
    )
    closed = Rectification.objects.filter(
        organization=organization,
        status=Rectification.Status.CLOSED,
        closed_at__gte=since,
        closed_at__lt=until,
    ).count()
    periods = Period.objects.filter(
        organization=organization, status=Period.Status.FINAL, ends_on__year=year
    ).count()
    circulars = Circular.objects.filter(
        organization=organization, status=Circular.Status.PUBLISHED, dated__year=year
    ).count()
    return {
        "orders": orders["issued"],
        "orders_closed": orders["closed"],
        "rectifications_closed": closed,
        "periods": periods,
        "circulars": circulars,
    }


def selfeval_figures(*, organization: Any, user: Any, year: int, now: datetime) -> dict[str, Any]:
    """The year's figures (up to now), as plain JSON: coverage, standards, compliance,
    third-party evaluations, the monthly findings trend and the improvements."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    since, until = day_bounds(start)[0], min(day_bounds(end)[1], now)
    figures = compliance(organization, start=start, end=end, now=now)
    return {
        "year": year,
        "coverage": _coverage(user),
        "standards": _standards(organization, year, timezone.localdate(now)),
        "tasks": figures["tasks"],
        "records": figures["records"],
        "findings": {
            "total": figures["findings"]["total"],
            "repeats": figures["findings"]["repeats"],
            "repeat_rate": figures["findings"]["repeat_rate"],
        },
        "rectification": figures["rectification"],
        "third_party": _third_party(organization, since, until),
        "trend": _trend(organization, year),
        "improvements": _improvements(organization, year, since, until),
    }


def selfeval_texts(organization_name: str, f: dict[str, Any]) -> dict[str, str]:
    """The draft texts of the four parts and the conclusion, written from the figures."""
    year = f["year"]
    lines = f["coverage"]["lines"]
    gaps = [f"{x['label']}（{len(x['gaps'])} 处空白）" for x in lines if x["gaps"]]
    covered = "、".join(x["label"] for x in lines if x["in_force"] and not x["gaps"])
    standards = f["standards"]
    completeness = (
        f"截至评价时，{organization_name}现行有效标准 {standards['in_force']} 项，"
        f"{year}年发布 {standards['published']} 项。"
        + (f"已全面覆盖的服务条线：{covered}。" if covered else "")
        + (
            f"存在标准空白的服务条线：{'、'.join(gaps)}。"
            if gaps
            else "各服务条线均有现行标准覆盖。"
        )
        + (
            f"有 {standards['review_overdue']} 项标准已过复审日期，需尽快复审。"
            if standards["review_overdue"]
            else "现行标准均在复审期内。"
        )
    )
    tasks, records, rect = f["tasks"], f["records"], f["rectification"]
    implementation = (
        f"{year}年应检任务 {tasks['due']} 项，完成 {tasks['done']} 项，"
        f"完成率 {_pct(tasks['done_rate'])}，漏检 {tasks['missed']} 项；"
        f"提交检查记录 {records['submitted']} 份，合格 {records['passed']} 份，"
        f"合格率 {_pct(records['pass_rate'])}。发现问题 {f['findings']['total']} 个，"
        f"按期整改 {rect['on_time']} 个，逾期整改 {rect['late']} 个，"
        f"整改及时率 {_pct(rect['on_time_rate'])}。"
    )
    third = f["third_party"]
    trend = f["trend"]
    first_half = sum(m["new"] + m["repeat"] for m in trend[:6])
    second_half = sum(m["new"] + m["repeat"] for m in trend[6:])
    direction = (
        "下降" if second_half < first_half else "上升" if second_half > first_half else "持平"
    )
    effects = (
        (
            f"全年开展第三方评价 {third['count']} 次，合格 {third['passed']} 次"
            + (f"，平均得分率 {third['average']}%。" if third["average"] is not None else "。")
            if third["count"]
            else "全年未开展第三方评价。"
        )
        + f"下半年发现问题 {second_half} 个，上半年 {first_half} 个，环比{direction}；"
        f"重复发生的问题 {f['findings']['repeats']} 个，"
        f"重复发生率 {_pct(f['findings']['repeat_rate'])}。"
    )
    imp = f["improvements"]
    improvements = (
        f"全年签发督办单 {imp['orders']} 份，已办结 {imp['orders_closed']} 份；"
        f"关闭整改 {imp['rectifications_closed']} 项；完成考核 {imp['periods']} 期，"
        f"印发通报 {imp['circulars']} 份。"
    )
    conclusion = (
        f"{year}年标准化工作总体运行正常。下一年度将针对标准空白和逾期复审的标准补充制修订计划，"
        "针对整改及时率和重复发生的问题加强督办，持续提升服务质量。"
    )
    return {
        "title": f"{organization_name}{year}年度标准化工作自我评价报告",
        "completeness": completeness,
        "implementation": implementation,
        "effects": effects,
        "improvements": improvements,
        "conclusion": conclusion,
    }


@transaction.atomic
def selfeval_draft(
    *, organization: Any, actor: Any, year: int, now: datetime | None = None
) -> SelfEvaluation:
    """起草某年度的自我评价：按系统数据取数并生成各部分文字（每年一份）；记变更日志。"""
    if not actor.has_perm(DRAFT):
        raise PermissionDenied
    now = now or timezone.now()
    if year > timezone.localdate(now).year or year < 2000:
        raise ValidationError({"year": "请选择今年或以前的年度。"})
    if SelfEvaluation.objects.filter(organization=organization, year=year).exists():
        raise ValidationError({"year": f"{year}年已经有自我评价了，请直接打开它。"})
    figures = selfeval_figures(organization=organization, user=actor, year=year, now=now)
    evaluation = SelfEvaluation.objects.create(
        organization=organization,
        year=year,
        figures=figures,
        figures_at=now,
        drafted_by=actor,
        **selfeval_texts(organization.name, figures),
    )
    changelog_record(
        obj=evaluation,
        action=ChangeLogEntry.Action.CREATE,
        actor=actor,
        changes={"title": [None, evaluation.title]},
    )
    return evaluation


@transaction.atomic
def selfeval_update(
    *, evaluation: SelfEvaluation, actor: Any, data: dict[str, str]
) -> SelfEvaluation:
    """修改自我评价的文字（标题和各部分）；记变更日志。"""
    if not actor.has_perm(EDIT):
        raise PermissionDenied
    before = snapshot(evaluation)
    errors = {}
    for name in TEXTS:
        if name in data:
            setattr(evaluation, name, (data[name] or "").strip())
        if not getattr(evaluation, name):
            errors[name] = f"请填写{LABELS[name]}。"
    if errors:
        raise ValidationError(errors)
    evaluation.save()
    changes = diff(before, snapshot(evaluation))
    if changes:
        changelog_record(
            obj=evaluation, action=ChangeLogEntry.Action.UPDATE, actor=actor, changes=changes
        )
    return evaluation


@transaction.atomic
def selfeval_refresh(
    *, evaluation: SelfEvaluation, actor: Any, now: datetime | None = None
) -> SelfEvaluation:
    """重新取数：按当前数据更新图表和数字，已修改的文字保持不变；记变更日志。"""
    if not actor.has_perm(EDIT):
        raise PermissionDenied
    now = now or timezone.now()
    evaluation.figures = selfeval_figures(
        organization=evaluation.organization, user=actor, year=evaluation.year, now=now
    )
    before = timezone.localtime(evaluation.figures_at)
    evaluation.figures_at = now
    evaluation.save(update_fields=["figures", "figures_at", "updated_at"])
    changelog_record(
        obj=evaluation,
        action=ChangeLogEntry.Action.UPDATE,
        actor=actor,
        changes={
            "取数时间": [f"{before:%Y-%m-%d %H:%M}", f"{timezone.localtime(now):%Y-%m-%d %H:%M}"]
        },
    )
    return evaluation


def selfeval_rows(*, user: Any) -> QuerySet[SelfEvaluation]:
    return SelfEvaluation.objects.for_user(user, "view").only(
        "pk", "year", "title", "figures_at", "updated_at", "organization_id"
    )


def selfeval_get(*, user: Any, pk: Any, action: str = "view") -> SelfEvaluation:
    evaluation = (
        SelfEvaluation.objects.for_user(user, action)
        .select_related("organization")
        .filter(pk=pk)
        .first()
    )
    if evaluation is None:
        raise Http404
    return evaluation


def trend_chart(figures: dict[str, Any]) -> dict[str, Any]:
    """The monthly findings trend in the shape of the findings pages' bar chart."""
    trend = figures.get("trend", [])
    return {
        "names": [f"{m['month']}月" for m in trend],
        "series": [
            {"name": "首次发现", "values": [m["new"] for m in trend]},
            {"name": "重复发生", "values": [m["repeat"] for m in trend]},
        ],
    }


def default_year(today: date) -> int:
    """The year a self-evaluation is usually written for: last year until the end of
    March, this year afterwards."""
    return today.year - 1 if today <= date(today.year, 3, 31) else today.year
