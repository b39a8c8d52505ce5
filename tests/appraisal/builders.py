"""Builders of the appraisal tests (shared by every appraisal test module): a published
scheme of any subject kind with its indicators, adjustments and grade bands, a period, a
score with lines (without computing), and checklist rows placed in time for subjects
(tasks, submitted records, findings with their rectification)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone

from houqin.appraisal.models import (
    Adjustment,
    AppraisalScheme,
    GradeBand,
    Indicator,
    Period,
    RewardRule,
    SchemeVersion,
    Score,
    ScoreLine,
    SubjectKind,
)
from houqin.checklists.models import ChecklistTemplate, Record, Task, ThirdPartyEvaluation
from houqin.findings.models import Finding, Rectification
from houqin.org.models import Contract, Department, Staff, Team, Vendor
from houqin.places.models import Place

SHANGHAI = ZoneInfo("Asia/Shanghai")
# The third quarter of 2026 and a moment after it (periods are computed at NOW).
Q3_START = date(2026, 7, 1)
Q3_END = date(2026, 9, 30)
Q2_START = date(2026, 4, 1)
Q2_END = date(2026, 6, 30)
NOW = datetime(2026, 10, 9, 9, 0, tzinfo=SHANGHAI)


def at(month: int, day: int, hour: int = 9, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, 0, tzinfo=SHANGHAI)


def D(value: Any) -> Decimal:
    return Decimal(str(value))


DEFAULT_INDICATORS: list[dict[str, Any]] = [
    {"name": "检查合格率", "weight": 60, "source": "pass_rate", "method": "rate"},
    {"name": "任务完成率", "weight": 40, "source": "task_done_rate", "method": "rate"},
]
DEFAULT_ADJUSTMENTS: list[dict[str, Any]] = [
    {
        "name": "否决项不合格",
        "direction": "deduction",
        "source": "veto_failures",
        "points": 2,
        "cap": 20,
    },
]
# grade → (lowest score, largest share % or None)
DEFAULT_BANDS: dict[str, tuple[Any, int | None]] = {
    "excellent": (90, 20),
    "good": (80, None),
    "pass": (60, None),
    "fail": (0, None),
}
DEFAULT_RULES: list[dict[str, Any]] = [
    {"grade": "excellent", "kind": "reward", "measure": "通报表扬并奖励", "amount": 2000},
    {"grade": "fail", "kind": "penalty", "measure": "约谈并提交整改计划", "amount": None},
]


def scheme_make(
    org: Any,
    *,
    subject_kind: str = SubjectKind.DEPARTMENT,
    indicators: Iterable[dict[str, Any]] | None = None,
    adjustments: Iterable[dict[str, Any]] | None = None,
    bands: dict[str, tuple[Any, int | None]] | None = None,
    grading: str = SchemeVersion.Grading.SCORE,
    rules: Iterable[dict[str, Any]] | None = None,
    name: str = "",
    subjects: Iterable[Any] = (),
    published: bool = True,
) -> AppraisalScheme:
    """A scheme with one version (published unless told otherwise). ``indicators`` and
    ``adjustments`` are dicts of the model fields (weights, per_unit, points, cap as
    numbers); ``bands`` maps a grade to (min_score, max_share); ``subjects`` limits the
    version to those departments/teams/contracts/posts (empty = all of the kind)."""
    scheme = AppraisalScheme.objects.create(
        organization=org,
        name=name or f"{SubjectKind(subject_kind).label}考核方案",
        subject_kind=subject_kind,
    )
    version = SchemeVersion.objects.create(
        organization=org,
        scheme=scheme,
        seq=1,
        grading=grading,
        status=SchemeVersion.Status.PUBLISHED if published else SchemeVersion.Status.DRAFT,
        published_at=timezone.now() if published else None,
    )
    for seq, data in enumerate(DEFAULT_INDICATORS if indicators is None else indicators, 1):
        values = {"kind": "", "per_unit": 0, **data}
        Indicator.objects.create(
            organization=org,
            version=version,
            seq=seq,
            name=values["name"],
            weight=D(values["weight"]),
            source=values["source"],
            method=values["method"],
            kind=values["kind"],
            per_unit=D(values["per_unit"]),
        )
    for seq, data in enumerate(DEFAULT_ADJUSTMENTS if adjustments is None else adjustments, 1):
        Adjustment.objects.create(
            organization=org,
            version=version,
            seq=seq,
            name=data["name"],
            direction=data["direction"],
            source=data["source"],
            points=D(data["points"]),
            cap=D(data["cap"]),
        )
    for grade, (low, share) in (DEFAULT_BANDS if bands is None else bands).items():
        GradeBand.objects.create(
            organization=org, version=version, grade=grade, min_score=D(low), max_share=share
        )
    for rule in DEFAULT_RULES if rules is None else rules:
        amount = rule.get("amount")
        RewardRule.objects.create(
            organization=org,
            version=version,
            grade=rule["grade"],
            kind=rule["kind"],
            measure=rule["measure"],
            amount=None if amount is None else D(amount),
        )
    relation = {
        Department: version.departments,
        Team: version.teams,
        Contract: version.contracts,
    }
    for subject in subjects:
        manager = relation.get(type(subject), version.posts)
        manager.add(subject)
    return scheme


def period_make(
    scheme: AppraisalScheme,
    starts_on: date = Q3_START,
    ends_on: date = Q3_END,
    status: str = Period.Status.DRAFT,
    *,
    name: str = "",
    cadence: str = Period.Cadence.QUARTER,
    frozen_at: datetime | None = None,
    publicity_ends_on: date | None = None,
) -> Period:
    """A period of the scheme's latest published version, put straight in ``status``."""
    version = scheme.versions.filter(status=SchemeVersion.Status.PUBLISHED).order_by("-seq")[0]
    return Period.objects.create(
        organization=scheme.organization,
        scheme=scheme,
        version=version,
        name=name or f"{starts_on:%Y}年{starts_on:%m}月至{ends_on:%m}月",
        cadence=cadence,
        starts_on=starts_on,
        ends_on=ends_on,
        status=status,
        publicity_ends_on=publicity_ends_on,
        frozen_at=frozen_at,
    )


SUBJECT_FIELD = {Department: "department", Team: "team", Contract: "contract", Staff: "staff"}


def subject_fields(subject: Any) -> dict[str, Any]:
    """The Score fields that name a subject (a contract also names its vendor)."""
    field = SUBJECT_FIELD[type(subject)]
    fields: dict[str, Any] = {field: subject}
    if isinstance(subject, Contract):
        fields["vendor"] = subject.vendor
    return fields


def subject_label(subject: Any) -> str:
    if isinstance(subject, Contract):
        return f"{subject.vendor.name}（{subject.number}）"
    return str(subject.name)


def score_make(
    period: Period,
    subject: Any,
    total: Any,
    lines: Iterable[tuple[str, Any] | dict[str, Any]] | None = None,
    *,
    rank: int | None = None,
    grade: str = "",
) -> Score:
    """A score without computing. ``lines`` are (label, points) pairs or dicts of
    ScoreLine fields; by default one line “检查合格率” with all the points."""
    kind = period.scheme.subject_kind
    score = Score.objects.create(
        organization=period.organization,
        period=period,
        subject_kind=kind,
        subject_name=subject_label(subject),
        base=D(total),
        total=D(total),
        rank=rank,
        grade=grade,
        **subject_fields(subject),
    )
    rows = [("检查合格率", total)] if lines is None else list(lines)
    for seq, row in enumerate(rows, 1):
        data = {"label": row[0], "points": row[1]} if isinstance(row, tuple) else dict(row)
        points = D(data.pop("points"))
        ScoreLine.objects.create(
            organization=period.organization,
            score=score,
            seq=seq,
            label=data.pop("label"),
            points=points,
            formula=data.pop("formula", f"{points}"),
            figure=data.pop("figure", {}),
            drill=data.pop("drill", {}),
            **data,
        )
    return score


# ---- subjects -----------------------------------------------------------------------------


def department_make(org: Any, code: str, name: str = "") -> Department:
    return Department.objects.create(organization=org, code=code, name=name or f"{code}科")


def team_make(org: Any, department: Department, name: str) -> Team:
    return Team.objects.create(organization=org, department=department, name=name)


def contract_make(
    org: Any, code: str, name: str = "", vendor: Vendor | None = None, **fields: Any
) -> Contract:
    """An active contract for 2026 of a new vendor (or of ``vendor``: its second one)."""
    if vendor is None:
        vendor = Vendor.objects.create(organization=org, code=code, name=name or f"{code}物业公司")
    values = {
        "number": f"HT-{code}",
        "title": f"{vendor.name}保洁服务合同",
        "starts_on": date(2026, 1, 1),
        "ends_on": date(2026, 12, 31),
        "amount": D(120000),
        "status": Contract.Status.ACTIVE,
        **fields,
    }
    return Contract.objects.create(organization=org, vendor=vendor, **values)


def staff_make(org: Any, user: Any, number: str, **fields: Any) -> Staff:
    return Staff.objects.create(
        organization=org,
        number=number,
        name=user.name,
        user=user,
        employment=fields.pop("employment", Staff.Employment.CONTRACT),
        **fields,
    )


# ---- checklist rows -----------------------------------------------------------------------


def template_make(org: Any, name: str = "公共区域保洁检查", **fields: Any) -> ChecklistTemplate:
    return ChecklistTemplate.objects.create(organization=org, name=name, **fields)


def place_make(org: Any, code: str, department: Department | None = None) -> Place:
    from houqin.places import services as places

    return places.place_create(
        organization=org,
        parent=None,
        data={"kind": "room", "code": code, "name": f"{code}房间", "department": department},
        actor=None,
    )


def task_put(
    template: ChecklistTemplate,
    due_at: datetime,
    status: str = Task.Status.DONE,
    **who: Any,
) -> Task:
    """A task due at ``due_at`` in ``status``; ``who`` sets place/team/vendor/person/post."""
    return Task.objects.create(
        organization=template.organization,
        template=template,
        occurrence=f"test:{uuid.uuid4()}",
        kind=who.pop("kind", "self"),
        opens_at=due_at - timedelta(hours=2),
        due_at=due_at,
        status=status,
        **who,
    )


def record_put(
    template: ChecklistTemplate,
    inspector: Any,
    submitted_at: datetime,
    *,
    passed: bool = True,
    vetoed: bool = False,
    task: Task | None = None,
    place: Place | None = None,
    kind: str = "self",
    third_party: str = "",
) -> Record:
    """A submitted record (``third_party``: the party's name makes it a third-party one)."""
    record = Record.objects.create(
        organization=template.organization,
        template=template,
        template_revision=template.revision,
        task=task,
        kind=kind,
        inspector=inspector,
        place=place if place is not None else getattr(task, "place", None),
        status=Record.Status.SUBMITTED,
        started_at=submitted_at - timedelta(minutes=20),
        submitted_at=submitted_at,
        scoring=template.scoring,
        score=D(100 if passed else 50),
        passed=passed,
        vetoed=vetoed,
    )
    if third_party:
        ThirdPartyEvaluation.objects.create(
            organization=template.organization,
            record=record,
            party=third_party,
            evaluator="评价人",
            evaluated_on=submitted_at.date(),
        )
    return record


def finding_put(
    org: Any,
    raised_by: Any,
    raised_at: datetime,
    *,
    deadline: datetime | None = None,
    fixed_at: datetime | None = None,
    status: str = Rectification.Status.ASSIGNED,
    repeat_of: Finding | None = None,
    record: Record | None = None,
    title: str = "地面有积水",
    severity: str = "minor",
    **responsible: Any,
) -> Finding:
    """A finding with its rectification; ``responsible`` sets department/vendor/person."""
    finding = Finding.objects.create(
        organization=org,
        source=Finding.Source.MANUAL if record is None else Finding.Source.CHECK,
        title=title,
        severity=severity,
        record=record,
        place=responsible.pop("place", None),
        raised_by=raised_by,
        raised_at=raised_at,
        repeat_of=repeat_of,
    )
    Rectification.objects.create(
        organization=org,
        finding=finding,
        deadline=deadline or raised_at + timedelta(days=7),
        fixed_at=fixed_at,
        status=status,
        **responsible,
    )
    return finding
