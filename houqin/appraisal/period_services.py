"""Appraisal periods (考核周期): creating one, its steps (计算 → 公示 → 申诉 → 定稿) through the
workflow helper, the computing job's body, manual entries, and appeals with their
recomputation. The figures come from ``sources``, the arithmetic from ``scoring``."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from houqin.appraisal import scoring
from houqin.appraisal.compute import (
    is_manual,
    manual_figure,
    period_compute,
    period_rerank,
    score_retotal,
)
from houqin.appraisal.models import (
    Adjustment,
    Appeal,
    AppraisalScheme,
    Indicator,
    ManualEntry,
    Period,
    SchemeVersion,
    Score,
    ScoreLine,
    Source,
)
from houqin.appraisal.models.periods import APPEAL, DECIDE, RUN
from houqin.common.attachments import attachment_add
from houqin.common.changelog import changelog_record
from houqin.common.models import ChangeLogEntry
from houqin.common.notifications import NOTIFICATION_KINDS, notify
from houqin.common.workflow import transition_apply
from houqin.org.models import Staff

__all__ = [  # the computing job's body lives in ``compute``; callers find it here too
    "appeal_decide",
    "appeal_submit",
    "is_own",
    "manual_entry_set",
    "period_compute",
    "period_create",
    "period_rerank",
    "period_step",
    "score_retotal",
    "subject_people",
]

NOTICE_KIND = "appraisal"
NOTIFICATION_KINDS.setdefault(NOTICE_KIND, "考核")
Action = ChangeLogEntry.Action


# ---- creating a period --------------------------------------------------------------------


def period_create(
    *,
    scheme: AppraisalScheme,
    name: str,
    cadence: str,
    starts_on: date,
    ends_on: date,
    publicity_days: int,
    actor: Any,
) -> Period:
    """新建考核周期：用方案最新发布的版本计分；同一方案的周期日期不能重叠。"""
    if not actor.has_perm(RUN):
        raise PermissionDenied
    if ends_on < starts_on:
        raise ValidationError({"ends_on": "结束日期不能早于开始日期。"})
    version = (
        SchemeVersion.objects.filter(scheme=scheme, status=SchemeVersion.Status.PUBLISHED)
        .order_by("-seq")
        .first()
    )
    if version is None:
        raise ValidationError(f"考核方案“{scheme.name}”还没有发布的版本，不能新建考核周期。")
    overlap = (
        Period.objects.filter(scheme=scheme, starts_on__lte=ends_on, ends_on__gte=starts_on)
        .order_by("starts_on")
        .first()
    )
    if overlap is not None:
        raise ValidationError(
            f"与已有的考核周期“{overlap.name}”"
            f"（{overlap.starts_on} 至 {overlap.ends_on}）日期重叠。"
        )
    period = Period(
        organization_id=scheme.organization_id,
        scheme=scheme,
        version=version,
        name=name.strip(),
        cadence=cadence,
        starts_on=starts_on,
        ends_on=ends_on,
        publicity_days=publicity_days,
    )
    period.full_clean(exclude=["version", "scheme", "organization"])
    with transaction.atomic():
        period.save()
        changelog_record(obj=period, action=Action.CREATE, actor=actor, changes={})
    return period


# ---- steps --------------------------------------------------------------------------------


def period_step(period: Period, name: str, actor: Any, note: str = "") -> Period:
    """考核周期的一步（计算得分、公示、结束公示、定稿），经流程助手执行并记变更日志。"""
    with transaction.atomic():
        period = Period.objects.select_for_update().get(pk=period.pk)
        if name == "compute" and period.computing:
            raise ValidationError("正在计算得分，请等计算完成后再操作。")
        if name == "publish" and (period.computing or period.computed_at is None):
            raise ValidationError("得分还没有算完，不能公示。")
        if name == "publish" and period.compute_error:
            raise ValidationError(f"上次计算失败（{period.compute_error}），请重新计算后再公示。")
        if (
            name == "freeze"
            and period.scores.filter(appeals__status=Appeal.Status.SUBMITTED).exists()
        ):
            raise ValidationError("还有未处理的申诉，处理完后才能定稿。")
        transition_apply(obj=period, name=name, actor=actor, note=note)
        if name == "compute":
            _compute_start(period, actor)
        elif name == "publish":
            _publish(period)
        elif name == "freeze":
            _freeze(period, actor)
    return period


def _compute_start(period: Period, actor: Any) -> None:
    from houqin.appraisal.tasks import period_compute_job

    period.computing, period.done, period.total, period.compute_error = True, 0, 0, ""
    period.stage = ""
    period.save(
        update_fields=["computing", "done", "total", "stage", "compute_error", "updated_at"]
    )
    pk, actor_id = period.pk, actor.pk
    transaction.on_commit(lambda: period_compute_job.enqueue(pk, actor_id=actor_id))


def compute_notify(period: Period, actor_id: int) -> None:
    """Tell whoever started the computation that it has ended, or why it failed."""
    from houqin.accounts.models import User

    actor = User.objects.filter(pk=actor_id, is_active=True).first() if actor_id else None
    if actor is None:
        return
    failed = bool(period.compute_error)
    notify(
        recipients=[actor],
        kind=NOTICE_KIND,
        title=f"{period}的得分{'计算失败' if failed else '已算完'}",
        body=period.compute_error if failed else "可以查看排名和得分明细，核对后公示。",
        link=reverse("appraisal:period_detail", args=[period.pk]),
        target=period,
    )


def _publish(period: Period) -> None:
    today = timezone.localdate()
    period.publicity_ends_on = today + timedelta(days=period.publicity_days)
    period.save(update_fields=["publicity_ends_on", "updated_at"])
    notify(
        recipients=subject_people(period),
        kind=NOTICE_KIND,
        title=f"{period}的考核得分已公示",
        body=f"公示至 {period.publicity_ends_on}，对得分有异议的可在公示期内对具体项目提出申诉。",
        link=reverse("appraisal:period_detail", args=[period.pk]),
        target=period,
    )


def _freeze(period: Period, actor: Any) -> None:
    from houqin.appraisal.ledger_services import ledger_from_period

    period.frozen_at, period.frozen_by = timezone.now(), actor
    period.save(update_fields=["frozen_at", "frozen_by", "updated_at"])
    ledger_from_period(period, actor)


def subject_people(period: Period) -> list[Any]:
    """The people who see a subject's score as their own: the department head of a
    department (or of a team's department), the vendor manager of a vendor, the person."""
    from houqin.accounts.models import User

    scores = Score.objects.filter(period=period)
    kind = period.scheme.subject_kind
    users = User.objects.filter(organization_id=period.organization_id, is_active=True)
    if kind == "department":
        users = users.filter(
            department_id__in=scores.values("department_id"),
            memberships__group__name="department_head",
        )
    elif kind == "team":
        users = users.filter(
            department_id__in=scores.values("team__department_id"),
            memberships__group__name="department_head",
        )
    elif kind == "vendor":
        users = users.filter(
            staff__vendor_id__in=scores.values("vendor_id"),
            memberships__group__name="vendor_manager",
        )
    else:
        users = users.filter(staff__in=scores.values("staff_id"))
    return list(users.distinct())


def is_own(user: Any, score: Score) -> bool:
    """Whether the score is the user's own (their department, team's department, vendor or
    themselves); reads the staff record only for vendors and persons."""
    kind = score.subject_kind
    if kind == "department":
        return bool(user.department_id) and user.department_id == score.department_id
    if kind == "team":
        return bool(user.department_id) and user.department_id == score.team.department_id
    staff = Staff.objects.filter(user_id=user.pk, status=Staff.Status.ACTIVE).first()
    if staff is None:
        return False
    if kind == "vendor":
        return staff.vendor_id is not None and staff.vendor_id == score.vendor_id
    return staff.pk == score.staff_id


# ---- manual entries -----------------------------------------------------------------------


def manual_entry_set(
    score: Score,
    *,
    indicator: Indicator | None = None,
    adjustment: Adjustment | None = None,
    value: Decimal,
    note: str,
    actor: Any,
    evidence: Sequence[Any] = (),
) -> ManualEntry:
    """人工录入：人工评分的指标填 0 至权重的分数，人工统计的加扣分项填次数；写明依据（证明材料
    作为附件上传到录入上），随即重算该对象的总分和本周期的名次、等次。公示后不能再录入。"""
    if not actor.has_perm(RUN):
        raise PermissionDenied
    period = score.period
    if period.status not in (Period.Status.DRAFT, Period.Status.COMPUTED):
        raise ValidationError("考核得分已公示，不能再人工录入；如有错误请通过申诉更正。")
    if (indicator is None) == (adjustment is None):
        raise ValidationError("请选择要录入的指标或加扣分项（只选一个）。")
    item: Indicator | Adjustment = indicator if indicator is not None else adjustment  # type: ignore[assignment]
    if item.version_id != period.version_id:
        raise ValidationError(f"“{item.name}”不属于本周期使用的方案版本。")
    value = Decimal(str(value))
    if isinstance(item, Indicator):
        if not is_manual(item):
            raise ValidationError(f"指标“{item.name}”由系统按数据计算，不能人工录入。")
        scoring.check_manual(item.weight, value)
    else:
        if item.source != Source.MANUAL:
            raise ValidationError(f"“{item.name}”由系统按数据统计次数，不能人工录入。")
        if value < 0 or value != value.to_integral_value():
            raise ValidationError({"value": "次数应为 0 或正整数。"})
    if not note.strip():
        raise ValidationError({"note": "请写明录入的依据。"})
    with transaction.atomic():
        entry, created = ManualEntry.objects.update_or_create(
            score=score,
            indicator=indicator,
            adjustment=adjustment,
            defaults={
                "organization_id": score.organization_id,
                "value": value,
                "note": note.strip()[:300],
                "entered_by": actor,
                "entered_at": timezone.now(),
            },
        )
        changelog_record(
            obj=entry,
            action=Action.CREATE if created else Action.UPDATE,
            actor=actor,
            changes={"value": [None, str(value)]},
            note=note,
        )
        for upload in evidence:
            attachment_add(obj=entry, upload=upload, actor=actor)
        line = score.lines.filter(**{type(item).__name__.lower(): item}).first()
        if line is not None:
            figure = manual_figure(entry, as_count=isinstance(item, Adjustment))
            result = (
                scoring.indicator_points(item, figure)
                if isinstance(item, Indicator)
                else scoring.adjustment_line(item, figure)
            )
            line.figure, line.points, line.formula = figure, result.points, result.formula
            line.save(update_fields=["figure", "points", "formula", "updated_at"])
            score_retotal(score)
            period_rerank(period)
    return entry


# ---- appeals ------------------------------------------------------------------------------


def appeal_submit(
    score: Score, line: ScoreLine, *, reason: str, actor: Any, evidence: Sequence[Any] = ()
) -> Appeal:
    """提出申诉：只在公示期内，只能由考核对象自己（科室负责人、服务商负责人或本人）对一项得分
    申诉，每项同时只能有一条待处理的申诉；证明材料作为附件上传到申诉上。"""
    if not actor.has_perm(APPEAL):
        raise PermissionDenied
    period = score.period
    if period.status != Period.Status.PUBLISHED:
        raise ValidationError("只有公示期内才能申诉。")
    if period.publicity_ends_on and timezone.localdate() > period.publicity_ends_on:
        raise ValidationError(f"公示期已于 {period.publicity_ends_on} 结束，不能再申诉。")
    if not is_own(actor, score):
        raise PermissionDenied
    if line.score_id != score.pk:
        raise ValidationError("申诉的项目不属于这个得分。")
    if not reason.strip():
        raise ValidationError({"reason": "请填写申诉理由。"})
    if Appeal.objects.filter(line=line, status=Appeal.Status.SUBMITTED).exists():
        raise ValidationError(f"“{line.label}”已有待处理的申诉，请等处理结果。")
    with transaction.atomic():
        appeal = Appeal.objects.create(
            organization_id=score.organization_id,
            score=score,
            line=line,
            reason=reason.strip(),
            submitted_by=actor,
            submitted_at=timezone.now(),
            points_before=line.points,
        )
        changelog_record(obj=appeal, action=Action.CREATE, actor=actor, changes={}, note=reason)
        for upload in evidence:
            attachment_add(obj=appeal, upload=upload, actor=actor)
    return appeal


CORRECTABLE = ("part", "whole", "count", "value")


def _corrected_line(line: ScoreLine, corrected: dict[str, Any]) -> scoring.Points:
    if "points" in corrected:
        points = scoring.money(Decimal(str(corrected["points"])))
        limit = line.indicator.weight if line.indicator_id else line.adjustment.cap  # type: ignore[union-attr]
        if points < 0 or points > limit:
            raise ValidationError({"corrected": f"更正后的得分应在 0 至 {limit} 分之间。"})
        return scoring.Points(points, f"申诉更正为 {scoring.show(points)}（原 {line.formula}）")
    unknown = set(corrected) - set(CORRECTABLE)
    if unknown or not corrected:
        raise ValidationError({"corrected": "请填写更正后的得分或数据。"})
    figure = {**line.figure, **{k: corrected[k] for k in CORRECTABLE if k in corrected}}
    line.figure = figure
    if line.indicator_id:
        return scoring.indicator_points(line.indicator, figure)
    return scoring.adjustment_line(line.adjustment, figure)


def appeal_decide(
    appeal: Appeal,
    name: str,
    *,
    actor: Any,
    note: str,
    corrected: dict[str, Any] | None = None,
) -> Appeal:
    """处理申诉：采纳时按更正的得分（points）或数据（part、whole、count、value）改正该项，重算
    该对象的总分和本周期的名次、等次，记下更正前后；驳回时得分不变。两者都要写处理意见。"""
    period = appeal.score.period
    if period.status not in (Period.Status.PUBLISHED, Period.Status.APPEAL):
        raise ValidationError("考核周期已定稿，不能再处理申诉。")
    if name == "accept" and not corrected:
        raise ValidationError({"corrected": "采纳申诉时请填写更正后的得分或数据。"})
    if not actor.has_perm(DECIDE):
        raise PermissionDenied
    line = ScoreLine.objects.select_related("indicator", "adjustment").get(pk=appeal.line_id)
    before, total_before = line.points, appeal.score.total
    if name == "accept":  # checked before the transition: a wrong correction changes nothing
        result = _corrected_line(line, dict(corrected or {}))
    with transaction.atomic():
        transition_apply(obj=appeal, name=name, actor=actor, note=note)
        appeal.answer, appeal.decided_by, appeal.decided_at = note.strip(), actor, timezone.now()
        fields = ["answer", "decided_by", "decided_at", "updated_at"]
        if name == "accept":
            line.points, line.formula = result.points, result.formula[:300]
            line.save(update_fields=["points", "formula", "figure", "updated_at"])
            score = score_retotal(appeal.score)
            period_rerank(period)
            appeal.points_before, appeal.points_after = before, line.points
            fields += ["points_before", "points_after"]
            changelog_record(
                obj=score,
                action=Action.UPDATE,
                actor=actor,
                changes={
                    line.label: [str(before), str(line.points)],
                    "total": [str(total_before), str(score.total)],
                },
                note=f"采纳申诉：{note}",
            )
        appeal.save(update_fields=fields)
        notify(
            recipients=[appeal.submitted_by],
            kind=NOTICE_KIND,
            title=f"您对“{appeal.line.label}”的申诉{appeal.get_status_display()}",
            body=note.strip(),
            link=reverse("appraisal:period_detail", args=[period.pk]),
            target=appeal,
        )
    return appeal
