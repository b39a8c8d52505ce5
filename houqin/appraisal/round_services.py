"""Quarterly supervision rounds (每季度一督办): Houqin proposes what deserves a 督办单 —
overdue rectifications, repeated findings, low scores of frozen periods, standards past
their review date — the office ticks the items to pursue and one supervision order is
issued for each through ``houqin.findings.order_services``."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Max, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from houqin.appraisal.models import Grade, Period, RoundItem, Score, SupervisionRound
from houqin.appraisal.models.circulars import RUN_ROUND
from houqin.common.changelog import changelog_record
from houqin.common.models import ChangeLogEntry
from houqin.findings import order_services
from houqin.findings.compliance import findings_in, scope_for
from houqin.findings.models import Finding, Rectification, SupervisionOrder
from houqin.standards.models import IN_FORCE_STATES, Standard

K = RoundItem.Kind
OPEN = (Rectification.Status.ASSIGNED, Rectification.Status.RETURNED)
ACTIVE_ORDERS = (SupervisionOrder.Status.ISSUED, SupervisionOrder.Status.ANSWERED)
MAX_PER_KIND = 100


def quarter_of(day: date) -> tuple[int, int, date, date]:
    """(year, quarter, first day, last day) of the quarter a day falls in."""
    quarter = (day.month - 1) // 3 + 1
    first = date(day.year, 3 * quarter - 2, 1)
    last_month = 3 * quarter
    following = date(day.year + 1, 1, 1) if last_month == 12 else date(day.year, last_month + 1, 1)
    return day.year, quarter, first, date.fromordinal(following.toordinal() - 1)


@dataclass
class Proposal:
    kind: str
    key: str
    title: str
    detail: str
    finding: Finding | None = None
    score: Score | None = None
    standard: Standard | None = None
    department: Any = None
    vendor: Any = None
    extra: dict[str, Any] = field(default_factory=dict)


def _in_active_order() -> QuerySet[Any]:
    return SupervisionOrder.objects.filter(status__in=ACTIVE_ORDERS).values("findings")


def _overdue(organization: Any, now: datetime) -> list[Proposal]:
    rows = (
        Finding.objects.filter(
            organization=organization,
            rectification__status__in=OPEN,
            rectification__deadline__lt=now,
        )
        .exclude(pk__in=_in_active_order())
        .select_related("rectification__department", "rectification__vendor")
        .order_by("rectification__deadline", "pk")[:MAX_PER_KIND]
    )
    return [
        Proposal(
            K.OVERDUE,
            f"overdue:{f.pk}",
            f.title,
            f"整改期限 {timezone.localtime(f.rectification.deadline):%Y-%m-%d}，"
            f"已逾期 {(now - f.rectification.deadline).days} 天",
            finding=f,
            department=f.rectification.department,
            vendor=f.rectification.vendor,
        )
        for f in rows
    ]


def _repeats(sround: SupervisionRound, now: datetime) -> list[Proposal]:
    scope = scope_for(sround.organization, start=sround.starts_on, end=sround.ends_on, now=now)
    rows = (
        findings_in(scope)
        .filter(repeat_of__isnull=False)
        .exclude(pk__in=_in_active_order())
        .select_related("repeat_of", "rectification__department", "rectification__vendor")
        .order_by("raised_at", "pk")[:MAX_PER_KIND]
    )
    return [
        Proposal(
            K.REPEAT,
            f"repeat:{f.pk}",
            f.title,
            f"{timezone.localtime(f.raised_at):%Y-%m-%d} 再次发现，"
            f"上次发现于 {timezone.localtime(f.repeat_of.raised_at):%Y-%m-%d}",
            finding=f,
            department=f.rectification.department,
            vendor=f.rectification.vendor,
        )
        for f in rows
        if f.repeat_of is not None
    ]


def _score_recipient(score: Score) -> tuple[Any, Any]:
    """The department or vendor a score's order goes to (a team's department, a person's
    department or vendor, a contract's vendor)."""
    if score.department is not None or score.vendor is not None:
        return score.department, score.vendor
    if score.team is not None:
        return score.team.department, None
    if score.staff is not None:
        return score.staff.department, score.staff.vendor
    return None, None


def _low_scores(sround: SupervisionRound) -> list[Proposal]:
    """Scores graded 不合格, and the last place of each period, of the periods frozen (定稿)
    or ended during the round's quarter."""
    periods = Period.objects.filter(
        organization=sround.organization, status=Period.Status.FINAL
    ).filter(
        Q(ends_on__range=(sround.starts_on, sround.ends_on))
        | Q(frozen_at__date__range=(sround.starts_on, sround.ends_on))
    )
    bottom = periods.annotate(last=Max("scores__rank")).values_list("pk", "last")
    last_rank = {pk: last for pk, last in bottom if last is not None}
    condition = Q(grade=Grade.FAIL)
    for pk, last in last_rank.items():
        condition |= Q(period_id=pk, rank=last)
    rows = (
        Score.objects.filter(period__in=periods)
        .filter(condition)
        .select_related(
            "period",
            "department",
            "vendor",
            "team__department",
            "staff__department",
            "staff__vendor",
        )
        .order_by("period_id", "rank", "pk")[:MAX_PER_KIND]
    )
    proposals = []
    for score in rows:
        department, vendor = _score_recipient(score)
        grade = score.get_grade_display() or "未评等次"
        rank = f"，第 {score.rank} 名" if score.rank else ""
        proposals.append(
            Proposal(
                K.LOW_SCORE,
                f"score:{score.pk}",
                f"{score.subject_name}在“{score.period.name}”考核中得分偏低",
                f"{score.total} 分，{grade}{rank}",
                score=score,
                department=department,
                vendor=vendor,
            )
        )
    return proposals


def _reviews(organization: Any, today: date) -> list[Proposal]:
    rows = (
        Standard.objects.filter(
            organization=organization,
            status__in=IN_FORCE_STATES,
            review_due_on__lt=today,
        )
        .select_related("owner_department")
        .order_by("review_due_on", "pk")[:MAX_PER_KIND]
    )
    return [
        Proposal(
            K.REVIEW,
            f"review:{s.pk}",
            f"{s}逾期未复审",
            f"复审日期 {s.review_due_on:%Y-%m-%d}",
            standard=s,
            department=s.owner_department,
        )
        for s in rows
        if s.review_due_on is not None
    ]


def proposals_for(sround: SupervisionRound, now: datetime) -> list[Proposal]:
    """Everything Houqin would propose for the round now (four kinds, a few queries each)."""
    return [
        *_overdue(sround.organization, now),
        *_repeats(sround, now),
        *_low_scores(sround),
        *_reviews(sround.organization, timezone.localdate(now)),
    ]


def _check(actor: Any) -> None:
    if not actor.has_perm(RUN_ROUND):
        raise PermissionDenied


@transaction.atomic
def round_open(*, organization: Any, actor: Any, day: date, now: datetime | None = None) -> Any:
    """开启某日所在季度的督办轮次（每季度一个），并提出督办事项；记变更日志。"""
    _check(actor)
    now = now or timezone.now()
    year, quarter, first, last = quarter_of(day)
    if SupervisionRound.objects.filter(
        organization=organization, year=year, quarter=quarter
    ).exists():
        raise ValidationError(f"{year}年第{quarter}季度已经有督办轮次了，请直接打开它。")
    sround = SupervisionRound.objects.create(
        organization=organization,
        year=year,
        quarter=quarter,
        starts_on=first,
        ends_on=last,
        created_by=actor,
        proposed_at=now,
    )
    changelog_record(
        obj=sround,
        action=ChangeLogEntry.Action.CREATE,
        actor=actor,
        changes={"季度": [None, str(sround)]},
    )
    round_propose(sround=sround, actor=actor, now=now)
    return sround


@transaction.atomic
def round_propose(*, sround: SupervisionRound, actor: Any, now: datetime | None = None) -> int:
    """重新提出督办事项：只添加本轮还没有的事项，已勾选和已签发的保持不变；返回新增条数。"""
    _check(actor)
    now = now or timezone.now()
    known = set(RoundItem.objects.filter(round=sround).values_list("key", flat=True))
    fresh = [p for p in proposals_for(sround, now) if p.key not in known]
    RoundItem.objects.bulk_create(
        [
            RoundItem(
                organization_id=sround.organization_id,
                round=sround,
                kind=p.kind,
                key=p.key,
                title=p.title[:200],
                detail=p.detail[:300],
                finding=p.finding,
                score=p.score,
                standard=p.standard,
                department=p.department,
                vendor=p.vendor,
            )
            for p in fresh
        ]
    )
    SupervisionRound.objects.filter(pk=sround.pk).update(proposed_at=now)
    sround.proposed_at = now
    if fresh:
        changelog_record(
            obj=sround,
            action=ChangeLogEntry.Action.UPDATE,
            actor=actor,
            changes={"督办事项": [None, f"新增 {len(fresh)} 项"]},
        )
    return len(fresh)


@transaction.atomic
def round_pick(*, sround: SupervisionRound, actor: Any, item_ids: Iterable[int]) -> int:
    """保存勾选：勾选的事项标为“拟督办”，其余未签发的取消；已签发督办单的不变。返回勾选数。"""
    _check(actor)
    chosen = set(item_ids)
    open_items = RoundItem.objects.filter(round=sround, order__isnull=True)
    before = set(open_items.filter(picked=True).values_list("pk", flat=True))
    open_items.filter(pk__in=chosen).update(picked=True)
    open_items.exclude(pk__in=chosen).update(picked=False)
    after = set(open_items.filter(picked=True).values_list("pk", flat=True))
    if before != after:
        changelog_record(
            obj=sround,
            action=ChangeLogEntry.Action.UPDATE,
            actor=actor,
            changes={"拟督办事项": [f"{len(before)} 项", f"{len(after)} 项"]},
        )
    return len(after)


def _basis(item: RoundItem, sround: SupervisionRound, now: datetime) -> list[Finding]:
    """The findings an item's order lists: its own finding, or for a low score the
    findings of that subject raised during the period."""
    if item.finding is not None:
        return [item.finding]
    if item.score is not None and (item.department is not None or item.vendor is not None):
        period = item.score.period
        scope = scope_for(
            sround.organization,
            start=period.starts_on,
            end=period.ends_on,
            department=item.department,
            vendor=item.vendor,
            now=period.frozen_at or now,
        )
        return list(findings_in(scope).order_by("raised_at", "pk")[: order_services.MAX_FINDINGS])
    return []


BODIES = {
    K.OVERDUE: "经查，“{title}”{detail}，整改尚未完成。请立即组织整改，落实责任人，"
    "整改完成后报送整改情况和整改前后照片。",
    K.REPEAT: "经查，“{title}”{detail}，同类问题重复发生。请查明原因，举一反三，"
    "完善相关制度和检查安排，防止再次发生。",
    K.LOW_SCORE: "{title}（{detail}）。请分析失分原因，对照考核明细逐项制定整改计划，"
    "并报送整改措施和完成时限。",
    K.REVIEW: "{title}（{detail}）。请组织复审，提出继续有效、修订或废止的意见，并报送复审结论。",
}


def _order_title(item: RoundItem) -> str:
    return f"关于督促办理“{item.title[:60]}”的督办单"


def round_issue(
    *, sround: SupervisionRound, actor: Any, deadline: date, now: datetime | None = None
) -> tuple[list[SupervisionOrder], list[str]]:
    """对本轮勾选且未签发的事项逐项签发督办单（每项一张，主送其科室或服务商）。每项单独提交：
    一项不能签发（如没有主送方）时说明原因，其余照常签发。返回（签发的督办单, 未签发的原因）。"""
    _check(actor)
    now = now or timezone.now()
    items = list(
        RoundItem.objects.filter(round=sround, picked=True, order__isnull=True)
        .select_related("finding", "score__period", "standard", "department", "vendor")
        .order_by("kind", "pk")
    )
    if not items:
        raise ValidationError("请先勾选要督办的事项。")
    issued: list[SupervisionOrder] = []
    failed: list[str] = []
    for item in items:
        if item.department is None and item.vendor is None:
            failed.append(f"{item.title}：没有主送的科室或服务商，请在问题或标准中补充责任科室。")
            continue
        try:
            with transaction.atomic():
                order = order_services.order_issue(
                    organization=sround.organization,
                    actor=actor,
                    title=_order_title(item),
                    body=BODIES[K(item.kind)].format(title=item.title, detail=item.detail),
                    deadline=deadline,
                    findings=_basis(item, sround, now),
                    department=item.department,
                    vendor=item.vendor,
                    now=now,
                    without_findings=True,
                )
                RoundItem.objects.filter(pk=item.pk, order__isnull=True).update(order=order)
                changelog_record(
                    obj=sround,
                    action=ChangeLogEntry.Action.UPDATE,
                    actor=actor,
                    changes={"签发督办单": [None, f"{order.reference}（{item.title[:60]}）"]},
                )
        except ValidationError as error:
            failed.append(f"{item.title}：{'；'.join(error.messages)}")
        else:
            issued.append(order)
    return issued, failed


def round_rows(*, user: Any) -> QuerySet[Any]:
    """The rounds a user may see, with how many items, picked items and orders each has
    and how many of those orders are closed."""
    return SupervisionRound.objects.for_user(user, "view").annotate(
        item_count=Count("items"),
        picked_count=Count("items", filter=Q(items__picked=True)),
        order_count=Count("items", filter=Q(items__order__isnull=False)),
        closed_count=Count("items", filter=Q(items__order__status=SupervisionOrder.Status.CLOSED)),
    )


def round_get(*, user: Any, pk: Any, action: str = "view") -> SupervisionRound:
    sround = (
        SupervisionRound.objects.for_user(user, action)
        .select_related("organization")
        .filter(pk=pk)
        .first()
    )
    if sround is None:
        raise Http404
    return sround


def round_items(sround: SupervisionRound) -> list[RoundItem]:
    """The items of a round with their recipients and orders (one query)."""
    return list(
        RoundItem.objects.filter(round=sround)
        .select_related("department", "vendor", "order")
        .order_by("kind", "pk")
    )
