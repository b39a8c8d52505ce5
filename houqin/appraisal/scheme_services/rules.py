"""The rules a draft version must keep before it is published, and the constants the
scheme pages share. ``row_problems`` checks one row (used when it is saved),
``version_problems`` the whole version (used before publishing and shown live)."""

from __future__ import annotations

from decimal import Decimal
from itertools import pairwise
from typing import Any

from django.db import models

from houqin.appraisal.models import (
    Adjustment,
    Grade,
    GradeBand,
    Indicator,
    Method,
    RewardRule,
    SchemeVersion,
    Source,
    SubjectKind,
)

DRAFT = SchemeVersion.Status.DRAFT
PUBLISHED = SchemeVersion.Status.PUBLISHED
HUNDRED = Decimal(100)

# Sources whose figure is a count of events, and those whose figure is a rate (0–100 %).
COUNT_SOURCES = frozenset(
    {Source.VETO_FAILURES, Source.TASKS_MISSED, Source.REPEAT_FINDINGS, Source.FINDINGS}
)
RATE_SOURCES = frozenset(
    {
        Source.PASS_RATE,
        Source.TASK_DONE_RATE,
        Source.FIX_ON_TIME_RATE,
        Source.THIRD_PARTY,
        Source.ACKNOWLEDGED_RATE,
    }
)
GRADE_ORDER = [Grade.EXCELLENT, Grade.GOOD, Grade.PASS, Grade.FAIL]
GRADE_LABELS = dict(Grade.choices)

ROW_MODELS: dict[str, type[models.Model]] = {
    "indicator": Indicator,
    "adjustment": Adjustment,
    "band": GradeBand,
    "rule": RewardRule,
}
ROW_LABELS = {"indicator": "指标", "adjustment": "加扣分项", "band": "等次", "rule": "奖惩规则"}
ROW_FIELDS = {
    "indicator": ("name", "weight", "source", "method", "kind", "per_unit", "note"),
    "adjustment": ("name", "direction", "source", "points", "cap"),
    "band": ("grade", "min_score", "max_share"),
    "rule": ("grade", "kind", "measure", "amount"),
}
# The subject relation a scheme of each kind chooses from (empty = every subject of the kind).
SUBJECT_FIELD = {
    SubjectKind.DEPARTMENT: "departments",
    SubjectKind.TEAM: "teams",
    SubjectKind.VENDOR: "contracts",
    SubjectKind.PERSON: "posts",
}
SUBJECT_NOUN = {
    SubjectKind.DEPARTMENT: "科室",
    SubjectKind.TEAM: "班组",
    SubjectKind.VENDOR: "服务合同",
    SubjectKind.PERSON: "岗位",
}


def num(value: Decimal | int | None) -> str:
    """A figure as people write it: 60, 2.5, 0.25 (no trailing zeros)."""
    if value is None:
        return ""
    text = f"{Decimal(value):.2f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def row_problems(kind: str, row: Any) -> dict[str, str]:
    """What is wrong with one row on its own (field → a sentence naming the row); the same
    sentences are shown when the row is saved and when the version is checked for
    publishing."""
    problems: dict[str, str] = {}
    if kind == "indicator":
        name, source, method = row.name, row.source, row.method
        if method == Method.DEDUCT and (row.per_unit or 0) <= 0:
            problems["per_unit"] = f"指标“{name}”用扣分制，请填写每次扣分（大于 0）。"
        if method == Method.MANUAL and source != Source.MANUAL:
            problems["source"] = f"指标“{name}”为人工评分，数据来源应选“人工录入”。"
        if source == Source.MANUAL and method != Method.MANUAL:
            problems["method"] = f"指标“{name}”的数据来源是人工录入，计分方法应选“人工评分”。"
        elif method == Method.RATE and source in COUNT_SOURCES:
            problems["method"] = (
                f"指标“{name}”的数据来源“{Source(source).label}”是次数，"
                "不能按比率得分，请选“扣分制”。"
            )
        elif method == Method.DEDUCT and source in RATE_SOURCES:
            problems["method"] = (
                f"指标“{name}”的数据来源“{Source(source).label}”是比率，请选“按比率得分”。"
            )
        if row.kind and source != Source.PASS_RATE:
            problems["kind"] = (
                f"指标“{name}”：只有数据来源为“检查合格率”时才能选检查类型，请改为“全部类型”。"
            )
    elif kind == "adjustment":
        if row.source in RATE_SOURCES:
            problems["source"] = (
                f"加扣分项“{row.name}”按次计分，数据来源应是次数（如否决项不合格次数）或人工录入。"
            )
        if row.points and row.cap and row.cap < row.points:
            problems["cap"] = (
                f"加扣分项“{row.name}”的封顶（{num(row.cap)} 分）"
                f"不能小于每次分值（{num(row.points)} 分）。"
            )
    return problems


def band_problems(grading: str, bands: list[GradeBand]) -> list[str]:
    """Grade bands in order and without overlap, the lowest one catching every score, and
    under rank-share grading shares that fit in 100 %."""
    if not bands:
        return ["还没有设定等次分数线，请至少设定一个等次（如“合格”60 分、“不合格”0 分）。"]
    ordered = sorted(bands, key=lambda band: GRADE_ORDER.index(Grade(band.grade)))
    problems = []
    for higher, lower in pairwise(ordered):
        high, low = GRADE_LABELS[higher.grade], GRADE_LABELS[lower.grade]
        if lower.min_score == higher.min_score:
            problems.append(
                f"“{high}”和“{low}”的最低分都是 {num(higher.min_score)} 分，分数段重叠，"
                f"请调高“{high}”的最低分。"
            )
        elif lower.min_score > higher.min_score:
            problems.append(
                f"等次顺序不对：“{low}”的最低分（{num(lower.min_score)} 分）"
                f"高于“{high}”（{num(higher.min_score)} 分），请调整分数线。"
            )
    lowest = ordered[-1]
    lowest_label = GRADE_LABELS[lowest.grade]
    if lowest.min_score > 0:
        problems.append(
            f"最低一档“{lowest_label}”的最低分是 {num(lowest.min_score)} 分，"
            f"低于这个分数的考核对象将没有等次，请把它设为 0。"
        )
    if grading == SchemeVersion.Grading.SHARE:
        shares = [band.max_share for band in ordered if band.max_share]
        if not shares:
            problems.append(
                "按排名比例评定时，请至少为一个等次设定名额比例上限（如“优秀”不超过 20%）。"
            )
        elif sum(shares) > 100:
            problems.append(f"各等次的名额比例上限合计 {sum(shares)}%，超过了 100%。")
        if lowest.max_share:
            problems.append(
                f"最低一档“{lowest_label}”不能设名额比例上限：超出上一档名额的考核对象要落到这一档。"
            )
    return problems


def weight_total(indicators: list[Indicator]) -> Decimal:
    return sum((row.weight for row in indicators), Decimal(0))


def version_problems(version: SchemeVersion) -> list[str]:
    """The reasons (in Chinese, one sentence each) why a version cannot be published; empty
    when it can. Reads the version's rows (prefetched rows are used as they are)."""
    indicators = list(version.indicators.all())
    problems: list[str] = []
    if not indicators:
        problems.append("还没有考核指标，请至少添加一项。")
    else:
        total = weight_total(indicators)
        if total != HUNDRED:
            gap = "还差" if total < HUNDRED else "多了"
            problems.append(
                f"各项指标的权重合计 {num(total)} 分，应正好为 100 分"
                f"（{gap} {num(abs(HUNDRED - total))} 分）。"
            )
    for indicator in indicators:
        problems.extend(row_problems("indicator", indicator).values())
    for adjustment in version.adjustments.all():
        problems.extend(row_problems("adjustment", adjustment).values())
    bands = list(version.bands.all())
    problems.extend(band_problems(version.grading, bands))
    graded = {band.grade for band in bands}
    problems.extend(
        f"奖惩规则“{rule}”的等次“{GRADE_LABELS[rule.grade]}”没有设定分数线，"
        "请先设定这个等次或删除这条规则。"
        for rule in version.reward_rules.all()
        if rule.grade not in graded
    )
    return problems
