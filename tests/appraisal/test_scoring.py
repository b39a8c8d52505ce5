"""The arithmetic of a score: rates, deductions, manual points, adjustments with caps,
totals, ranks with ties, and grades by score and by rank share."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError

from houqin.appraisal import scoring
from houqin.appraisal.scoring import Band

D = Decimal
BANDS = [
    Band("excellent", D(90), 20),
    Band("good", D(80)),
    Band("pass", D(60)),
    Band("fail", D(0)),
]


def test_rate_points_write_the_formula_with_the_numbers() -> None:
    result = scoring.rate_points(D(20), 412, 430)
    assert result.points == D("19.16")
    assert result.formula == "20 × 412/430 = 19.16"


def test_a_rate_with_nothing_to_count_gives_the_full_weight() -> None:
    result = scoring.rate_points(D(40), 0, 0)
    assert result.points == D("40.00")
    assert "无可计数的数据" in result.formula


def test_deduction_never_goes_below_zero() -> None:
    assert scoring.deduct_points(D(10), D(2), 3).points == D("4.00")
    floor = scoring.deduct_points(D(10), D(3), 5)
    assert floor.points == D("0.00")
    assert floor.formula == "10 − 3 × 5 = 0（最低 0 分）"


def test_an_adjustment_stops_at_its_cap() -> None:
    assert scoring.adjustment_points(D(2), D(20), 4).points == D("8.00")
    capped = scoring.adjustment_points(D(2), D(20), 13)
    assert capped.points == D("20.00")
    assert capped.formula == "2 × 13 = 20（封顶 20）"


def test_manual_points_are_checked_against_the_weight() -> None:
    assert scoring.manual_points(D(10), D("8.5")).points == D("8.50")
    assert scoring.manual_points(D(10), None).points == D(0)
    with pytest.raises(ValidationError, match="0 至 10"):
        scoring.manual_points(D(10), D(11))


def test_a_count_source_cannot_be_scored_as_a_rate() -> None:
    indicator = SimpleNamespace(name="漏检", method="rate", weight=D(10), per_unit=D(1))
    with pytest.raises(ValidationError, match="只有次数"):
        scoring.indicator_points(indicator, {"count": 3})


def test_totals_add_bonus_and_subtract_deductions_not_below_zero() -> None:
    result = scoring.totals([("indicator", D(80)), ("bonus", D(5)), ("deduction", D(6))])
    assert (result.base, result.bonus, result.deduction, result.total) == (
        D("80.00"),
        D("5.00"),
        D("6.00"),
        D("79.00"),
    )
    assert scoring.totals([("indicator", D(3)), ("deduction", D(20))]).total == D("0.00")


def test_ties_share_a_rank_and_the_next_rank_skips() -> None:
    ranks = scoring.ranks([("a", D(90)), ("b", D(95)), ("c", D(90)), ("d", D(70))])
    assert ranks == {"b": 1, "a": 2, "c": 2, "d": 4}


def test_grades_by_score_follow_the_bands() -> None:
    items = [("a", D(95)), ("b", D(85)), ("c", D(60)), ("d", D("59.99"))]
    assert scoring.grades(items, BANDS, by_share=False) == {
        "a": "excellent",
        "b": "good",
        "c": "pass",
        "d": "fail",
    }


def test_grades_by_share_give_at_most_twenty_percent_excellent() -> None:
    items = [(n, D(99 - n)) for n in range(10)]  # ten subjects, all above 90
    grades = scoring.grades(items, BANDS, by_share=True)
    assert [n for n, g in grades.items() if g == "excellent"] == [0, 1]
    assert grades[2] == "good"  # 97 reaches 90 but the share is used up


def test_a_tie_that_would_overflow_the_share_drops_whole() -> None:
    items = [("a", D(99)), ("b", D(95)), ("c", D(95)), *[(f"x{n}", D(70)) for n in range(7)]]
    grades = scoring.grades(items, BANDS, by_share=True)
    assert grades["a"] == "excellent"
    assert grades["b"] == grades["c"] == "good"  # 3 of 10 would be 30 %


def test_a_lower_total_never_takes_the_place_a_tie_could_not_fill() -> None:
    items = [("a", D(100)), ("b", D(100)), ("c", D(98)), *[(f"x{n}", D(70)) for n in range(7)]]
    grades = scoring.grades(items, BANDS, by_share=True)  # 优秀 at most 2 of 10 … but a tie of 2
    assert grades["a"] == grades["b"] == "excellent"
    items = [("a", D(100)), ("b", D(100)), ("c", D(98)), ("d", D(75)), ("e", D(70))]
    grades = scoring.grades(items, BANDS, by_share=True)  # 20 % of 5 is one: the tie is two
    assert grades["a"] == grades["b"] == "good"
    assert grades["c"] == "good"  # not 优秀 ahead of the higher totals


def test_grades_by_share_still_need_the_lowest_score() -> None:
    items = [("a", D(85)), ("b", D(50))]
    grades = scoring.grades(items, BANDS, by_share=True)
    assert grades == {"a": "good", "b": "fail"}
