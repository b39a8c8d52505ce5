"""The arithmetic of a score, free of the database: an indicator's points from its figure
(by rate, by deduction or by hand), an adjustment's points with its cap, the total, ranks
(ties share a rank) and grades (by score bands or by rank share). Every result comes with
its formula written out with the numbers, e.g. "60 × 412/430 = 57.49"."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import ValidationError

CENT = Decimal("0.01")
ZERO = Decimal("0")
GRADE_ORDER = ("excellent", "good", "pass", "fail")


def money(value: Decimal | int | float | str) -> Decimal:
    """Two decimals, half up (points are shown and stored with two decimals)."""
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


def show(value: Decimal | int | float | None) -> str:
    """A number as it appears in a formula: no trailing zeros, no exponent."""
    if value is None:
        return "—"
    number = Decimal(str(value))
    text = f"{number.normalize():f}"
    return text


@dataclass(frozen=True)
class Points:
    points: Decimal
    formula: str


def rate_points(weight: Decimal, part: Decimal | int | None, whole: Decimal | int | None) -> Points:
    """权重 × 分子/分母；没有可计数的数据时按满分计。"""
    weight = Decimal(weight)
    if not whole:
        return Points(money(weight), f"本期无可计数的数据，按满分 {show(weight)} 计")
    value = money(weight * Decimal(str(part or 0)) / Decimal(str(whole)))
    return Points(value, f"{show(weight)} × {show(part or 0)}/{show(whole)} = {show(value)}")


def deduct_points(weight: Decimal, per_unit: Decimal, count: int | Decimal) -> Points:
    """权重 − 每次扣分 × 次数，最低 0 分。"""
    weight, per_unit = Decimal(weight), Decimal(per_unit)
    raw = weight - per_unit * Decimal(str(count))
    value = money(max(raw, ZERO))
    floor = "（最低 0 分）" if raw < 0 else ""
    return Points(
        value, f"{show(weight)} − {show(per_unit)} × {show(count)} = {show(value)}{floor}"
    )


def manual_points(weight: Decimal, value: Decimal | None) -> Points:
    """人工评分，0 至权重；尚未录入时为 0 分。"""
    if value is None:
        return Points(ZERO, "尚未录入，暂计 0 分")
    check_manual(weight, value)
    return Points(money(value), f"人工评分 {show(value)}（满分 {show(weight)}）")


def check_manual(weight: Decimal, value: Decimal) -> None:
    if value < 0 or value > Decimal(weight):
        raise ValidationError(
            {"value": f"人工评分应在 0 至 {show(weight)} 分之间，填写的是 {show(value)}。"}
        )


def adjustment_points(per_event: Decimal, cap: Decimal, count: int | Decimal) -> Points:
    """每次分值 × 次数，不超过封顶分。"""
    per_event, cap = Decimal(per_event), Decimal(cap)
    raw = per_event * Decimal(str(count))
    value = money(min(raw, cap))
    note = f"（封顶 {show(cap)}）" if raw > cap else ""
    return Points(value, f"{show(per_event)} × {show(count)} = {show(value)}{note}")


def indicator_points(indicator: Any, figure: dict[str, Any]) -> Points:
    """An indicator's points from its figure (``part``/``whole`` for a rate, ``count`` for
    a deduction, ``value`` for a manual score)."""
    method = indicator.method
    if method == "manual":
        value = figure.get("value")
        return manual_points(indicator.weight, None if value is None else Decimal(str(value)))
    if method == "deduct":
        return deduct_points(indicator.weight, indicator.per_unit, figure.get("count") or 0)
    if "whole" not in figure:
        raise ValidationError(f"指标“{indicator.name}”的数据来源只有次数，不能按比率计分。")
    return rate_points(indicator.weight, figure.get("part"), figure.get("whole"))


def adjustment_line(adjustment: Any, figure: dict[str, Any]) -> Points:
    count = figure.get("count")
    if count is None:
        count = figure.get("value") or 0
    return adjustment_points(adjustment.points, adjustment.cap, count)


@dataclass(frozen=True)
class Totals:
    base: Decimal
    bonus: Decimal
    deduction: Decimal
    total: Decimal


def totals(lines: Iterable[tuple[str, Decimal]]) -> Totals:
    """Sum the lines: ("indicator" | "bonus" | "deduction", points). The total is never
    below 0."""
    sums = {"indicator": ZERO, "bonus": ZERO, "deduction": ZERO}
    for role, points in lines:
        sums[role] += Decimal(points)
    total = max(sums["indicator"] + sums["bonus"] - sums["deduction"], ZERO)
    return Totals(
        money(sums["indicator"]), money(sums["bonus"]), money(sums["deduction"]), money(total)
    )


def ranks(items: Sequence[tuple[Hashable, Decimal]]) -> dict[Hashable, int]:
    """Competition ranks by total, highest first: equal totals share a rank and the next
    rank skips (1, 1, 3)."""
    ordered = sorted(items, key=lambda item: -Decimal(item[1]))
    result: dict[Hashable, int] = {}
    previous: Decimal | None = None
    rank = 0
    for position, (key, total) in enumerate(ordered, 1):
        if previous is None or Decimal(total) != previous:
            rank = position
            previous = Decimal(total)
        result[key] = rank
    return result


@dataclass(frozen=True)
class Band:
    grade: str
    min_score: Decimal
    max_share: int | None = None


def _ordered(bands: Iterable[Band]) -> list[Band]:
    return sorted(bands, key=lambda b: (-Decimal(b.min_score), GRADE_ORDER.index(b.grade)))


def grade_by_score(total: Decimal, bands: Iterable[Band]) -> str:
    """The highest band whose lowest score the total reaches ("" when none does)."""
    for band in _ordered(bands):
        if Decimal(total) >= Decimal(band.min_score):
            return band.grade
    return ""


def grades(
    items: Sequence[tuple[Hashable, Decimal]], bands: Iterable[Band], by_share: bool
) -> dict[Hashable, str]:
    """Each subject's grade. By score: the band its total reaches. By rank share: going down
    the ranking, a band takes subjects that reach its lowest score while its share allows
    (at most ``max_share`` % of all subjects, rounded down); a tie that would overflow the
    share goes to the next band whole, so equal totals always get the same grade, and the
    band then takes no one ranked lower (a lower total never gets a better grade)."""
    ordered_bands = _ordered(bands)
    if not by_share:
        return {key: grade_by_score(total, ordered_bands) for key, total in items}
    count = len(items)
    ranking = ranks(items)
    groups: dict[int, list[tuple[Hashable, Decimal]]] = {}
    for key, total in items:
        groups.setdefault(ranking[key], []).append((key, total))
    result: dict[Hashable, str] = {}
    taken = dict.fromkeys((b.grade for b in ordered_bands), 0)
    full: set[str] = set()  # a band a group did not fit in takes no one ranked lower
    for rank in sorted(groups):
        group = groups[rank]
        total = Decimal(group[0][1])
        grade = ""
        for band in ordered_bands:
            if total < Decimal(band.min_score) or band.grade in full:
                continue
            if band.max_share is not None:
                quota = count * band.max_share // 100
                if taken[band.grade] + len(group) > quota:
                    full.add(band.grade)
                    continue
            grade = band.grade
            break
        if grade:
            taken[grade] += len(group)
        for key, _ in group:
            result[key] = grade
    return result
