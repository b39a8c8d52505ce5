"""The demo center's appraisal: a department scheme, a vendor scheme (by contract) and a
person scheme (the cleaners' post), each published; for each, the two quarters before this
one closed and frozen, the later one after an appeal accepted and one rejected, with its
circular published for the department scheme; this quarter computed from the live data;
deduction terms on the vendor contracts and last month's deduction statements; this
quarter's 督办 round with some orders issued; and this year's self-evaluation drafted.
Everything goes through the services, so the scores, the change log, the ledger entries at
the freeze and the notices are the pages' own. Idempotent: an organization that already has
a scheme is left alone."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from houqin.accounts.models import User
from houqin.appraisal.circular_services import circular_draft, circular_publish
from houqin.appraisal.compute import period_compute
from houqin.appraisal.deduction_services import rule_add, statements_monthly, terms_save
from houqin.appraisal.models import AppraisalScheme, Period, Score, SubjectKind
from houqin.appraisal.models.circulars import RoundItem
from houqin.appraisal.period_services import (
    appeal_decide,
    appeal_submit,
    is_own,
    period_create,
    period_step,
    subject_people,
)
from houqin.appraisal.round_services import round_issue, round_open, round_pick
from houqin.appraisal.scheme_services import (
    scheme_create,
    version_publish,
    version_row_save,
    version_settings_save,
)
from houqin.appraisal.selfeval_services import selfeval_draft
from houqin.checklists.demo import CLOSED_QUARTERS, quarter_start
from houqin.org.models import Contract, Department, Organization, Post

K = SubjectKind
# per contract: what a finding of each severity and a missed task cost (yuan)
DEDUCTION_RULES = (
    {"basis": "finding", "severity": "minor", "unit_amount": Decimal("50")},
    {"basis": "finding", "severity": "major", "unit_amount": Decimal("200")},
    {"basis": "finding", "severity": "critical", "unit_amount": Decimal("500")},
    {"basis": "missed_task", "unit_amount": Decimal("30")},
)


def _indicator(name: str, weight: int, source: str, method: str, per_unit: str = "0") -> dict:
    return {
        "name": name,
        "weight": Decimal(weight),
        "source": source,
        "method": method,
        "kind": "",
        "per_unit": Decimal(per_unit),
        "note": "",
    }


def _adjustment(name: str, direction: str, source: str, points: str, cap: str) -> dict:
    return {
        "name": name,
        "direction": direction,
        "source": source,
        "points": Decimal(points),
        "cap": Decimal(cap),
    }


BANDS_BY_SCORE = (
    ("excellent", 90, None),
    ("good", 80, None),
    ("pass", 60, None),
    ("fail", 0, None),
)
# at most a quarter of the subjects 优秀
BANDS_BY_SHARE = (("excellent", 90, 25), ("good", 80, None), ("pass", 60, None), ("fail", 0, None))
RULES = (
    ("excellent", "reward", "通报表扬", None),
    ("fail", "penalty", "约谈负责人并限期提交整改计划", None),
)

SCHEMES: tuple[dict[str, Any], ...] = (
    {
        "name": "科室服务质量考核",
        "kind": K.DEPARTMENT,
        "description": "按季度督办、半年评比：检查合格率、任务完成、整改及时和重复问题。",
        "grading": "share",
        "departments": ("CL", "CY", "HY", "WY"),  # the service departments that run checks
        "indicators": (
            _indicator("检查合格率", 40, "pass_rate", "rate"),
            _indicator("任务完成率", 20, "task_done_rate", "rate"),
            _indicator("整改及时率", 20, "fix_on_time_rate", "rate"),
            _indicator("漏检任务", 10, "tasks_missed", "deduct", "1"),
            _indicator("重复发生的问题", 10, "repeat_findings", "deduct", "2"),
        ),
        "adjustments": (
            _adjustment("否决项不合格", "deduction", "veto_failures", "2", "20"),
            _adjustment("服务单位书面表扬", "bonus", "manual", "5", "10"),
        ),
        "bands": BANDS_BY_SHARE,
    },
    {
        "name": "外包服务商考核",
        "kind": K.VENDOR,
        "description": "按服务合同考核外包服务商，结果与服务费扣款挂钩。",
        "grading": "score",
        "indicators": (
            _indicator("检查合格率", 50, "pass_rate", "rate"),
            _indicator("整改及时率", 25, "fix_on_time_rate", "rate"),
            _indicator("漏检任务", 15, "tasks_missed", "deduct", "1"),
            _indicator("第三方评价", 10, "third_party", "rate"),
        ),
        "adjustments": (_adjustment("否决项不合格", "deduction", "veto_failures", "2", "20"),),
        "bands": BANDS_BY_SCORE,
    },
    {
        "name": "保洁岗位人员考核",
        "kind": K.PERSON,
        "description": "保洁员按本人完成的检查任务和检查结果考核。",
        "grading": "score",
        "posts": ("P07",),
        "indicators": (
            _indicator("检查合格率", 60, "pass_rate", "rate"),
            _indicator("任务完成率", 30, "task_done_rate", "rate"),
            _indicator("标准阅读确认率", 10, "acknowledged_rate", "rate"),
        ),
        "adjustments": (),
        "bands": BANDS_BY_SCORE,
    },
)


def _scheme(center: Organization, officer: User, spec: dict[str, Any]) -> AppraisalScheme:
    scheme = scheme_create(
        organization=center,
        actor=officer,
        name=spec["name"],
        subject_kind=spec["kind"],
        description=spec["description"],
    )
    version = scheme.versions.get()
    subjects = [
        *Post.objects.filter(organization=center, code__in=spec.get("posts", ())),
        *Department.objects.filter(organization=center, code__in=spec.get("departments", ())),
    ]
    version_settings_save(
        version=version, actor=officer, grading=spec["grading"], note="首次发布", subjects=subjects
    )
    for data in spec["indicators"]:
        version_row_save(version=version, kind="indicator", actor=officer, data=data)
    for data in spec["adjustments"]:
        version_row_save(version=version, kind="adjustment", actor=officer, data=data)
    for grade, floor, share in spec["bands"]:
        data = {"grade": grade, "min_score": Decimal(floor), "max_share": share}
        version_row_save(version=version, kind="band", actor=officer, data=data)
    for grade, kind, measure, amount in RULES:
        data = {"grade": grade, "kind": kind, "measure": measure, "amount": amount}
        version_row_save(version=version, kind="rule", actor=officer, data=data)
    version_publish(version=version, actor=officer)
    return scheme


def _quarter_name(first: Any) -> str:
    return f"{first.year}年第{(first.month - 1) // 3 + 1}季度"


def _computed(scheme: AppraisalScheme, officer: User, back: int) -> Period:
    first = quarter_start(timezone.localdate(), back)
    following = quarter_start(timezone.localdate(), back - 1)
    period = period_create(
        scheme=scheme,
        name=_quarter_name(first),
        cadence=Period.Cadence.QUARTER,
        starts_on=first,
        ends_on=following - timedelta(days=1),
        publicity_days=5,
        actor=officer,
    )
    period = period_step(period, "compute", officer)
    period_compute(period)  # here and now; the job the step queued then finds nothing to do
    period.refresh_from_db()
    return period


def _appeals(period: Period, officer: User) -> None:
    """An appeal accepted and one rejected, by the people of the first subject that has
    someone to appeal (the demo department head's own department, for instance)."""
    people = subject_people(period)
    for score in Score.objects.filter(period=period).order_by("rank", "pk"):
        appellant = next((user for user in people if is_own(user, score)), None)
        lines = [
            line
            for line in score.lines.select_related("indicator").order_by("seq")
            if line.indicator and line.points + 2 <= line.indicator.weight
        ]
        if appellant is None or len(lines) < 2:
            continue
        accepted = appeal_submit(
            score,
            lines[0],
            reason="本季度有两次检查记录是在停水检修期间填写的，不合格不是保洁原因，请复核。",
            actor=appellant,
        )
        appeal_decide(
            accepted,
            "accept",
            actor=officer,
            note="经核实停水检修属实，这两次不合格不计入，按更正后的得分计。",
            corrected={"points": lines[0].points + 2},
        )
        rejected = appeal_submit(
            score,
            lines[1],
            reason="漏检的任务是节假日安排的，当天无人值班。",
            actor=appellant,
        )
        appeal_decide(
            rejected,
            "reject",
            actor=officer,
            note="节假日值班表已明确安排了人员，漏检属实，维持原得分。",
        )
        return


def _deductions(center: Organization, officer: User) -> None:
    """Deduction terms on each active vendor contract (the fee is the contract's amount over
    its months, the cap 5 %), and last month's statements as drafts."""
    for contract in Contract.objects.filter(organization=center, status=Contract.Status.ACTIVE):
        months = max(
            1,
            (contract.ends_on.year - contract.starts_on.year) * 12
            + contract.ends_on.month
            - contract.starts_on.month
            + 1,
        )
        fee = (contract.amount / months).quantize(Decimal("0.01"))
        terms = terms_save(
            contract=contract, actor=officer, data={"monthly_fee": fee, "cap_percent": Decimal(5)}
        )
        for data in DEDUCTION_RULES:
            rule_add(terms=terms, actor=officer, data=data)
    statements_monthly(today=timezone.localdate())


def _round_and_evaluation(center: Organization, officer: User) -> None:
    """This quarter's 督办 round with its first proposals of each kind issued, and this
    year's self-evaluation drafted from the data."""
    today = timezone.localdate()
    sround = round_open(organization=center, actor=officer, day=today)
    picked = [
        RoundItem.objects.filter(round=sround, kind=kind)
        .order_by("pk")
        .values_list("pk", flat=True)[:2]
        for kind in RoundItem.objects.filter(round=sround).values_list("kind", flat=True).distinct()
    ]
    round_pick(sround=sround, actor=officer, item_ids=[pk for kind in picked for pk in kind])
    round_issue(sround=sround, actor=officer, deadline=today + timedelta(days=10))
    selfeval_draft(organization=center, actor=officer, year=today.year)


def seed_appraisal(center: Organization) -> dict[str, int]:
    """Schemes, two frozen quarters each (appeals and a circular on the later one) and this
    quarter computed (only when the organization has no scheme yet)."""
    if AppraisalScheme.objects.filter(organization=center).exists():
        return {"schemes": 0, "periods": 0}
    officer = User.objects.get(organization=center, username="standards_officer")
    periods = 0
    for spec in SCHEMES:
        scheme = _scheme(center, officer, spec)
        for back in range(CLOSED_QUARTERS, 0, -1):
            period = _computed(scheme, officer, back)
            period = period_step(period, "publish", officer)
            if back == 1:
                _appeals(period, officer)
            period = period_step(period, "close_publicity", officer)
            period = period_step(period, "freeze", officer)
            if back == 1 and spec["kind"] == K.DEPARTMENT:
                circular = circular_draft(period=period, actor=officer)
                circular_publish(circular=circular, actor=officer)
            periods += 1
        _computed(scheme, officer, 0)
        periods += 1
    _deductions(center, officer)
    _round_and_evaluation(center, officer)
    return {"schemes": len(SCHEMES), "periods": periods}
