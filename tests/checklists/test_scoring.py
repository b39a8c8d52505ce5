"""Outcomes of answers and the scoring of a record: points or pass rate, not-applicable
items left out, the veto rule."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from houqin.checklists.models import ChecklistItem, ChecklistTemplate
from houqin.checklists.services import outcome, score, scoring_method

A = ChecklistItem.AnswerType
POINTS, RATE = ChecklistTemplate.Scoring.POINTS, ChecklistTemplate.Scoring.PASS_RATE


def item(**fields) -> ChecklistItem:
    defaults = {"text": "冰箱温度", "answer_type": A.PASS_FAIL}
    return ChecklistItem(**{**defaults, **fields})


def test_a_number_passes_inside_its_limits_and_reads_a_comma_decimal() -> None:
    fridge = item(answer_type=A.NUMBER, min_value=Decimal("0"), max_value=Decimal("8"))
    assert outcome(fridge, "4.5") == "pass"
    assert outcome(fridge, "8") == "pass"
    assert outcome(fridge, "8,1") == "fail"
    assert outcome(fridge, "-1") == "fail"
    sample = item(answer_type=A.NUMBER, min_value=Decimal("125"))
    assert outcome(sample, "125") == "pass" and outcome(sample, "120") == "fail"
    with pytest.raises(ValidationError, match="请填写数字"):
        outcome(fridge, "四度")


def test_pass_fail_choice_and_free_answers() -> None:
    assert outcome(item(), "") == ""
    assert outcome(item(), "na") == "na"
    assert outcome(item(), "fail") == "fail"
    with pytest.raises(ValidationError):
        outcome(item(), "maybe")
    floor = item(
        answer_type=A.CHOICE, choices=["干净", "有水渍", "有垃圾"], fail_choices=["有垃圾"]
    )
    assert outcome(floor, "有水渍") == "pass" and outcome(floor, "有垃圾") == "fail"
    with pytest.raises(ValidationError, match="请从选项中选择"):
        outcome(floor, "很好")
    assert outcome(item(answer_type=A.TEXT), "已交接钥匙") == "pass"


def test_points_weigh_items_and_skip_not_applicable() -> None:
    big = item(score=Decimal("10"), weight=Decimal("2"))
    small = item(score=Decimal("5"))
    result = score(POINTS, Decimal("80"), [(big, "pass"), (small, "fail"), (item(), "na")])
    assert result.percent == Decimal("80.00") and result.passed is True and not result.vetoed
    result = score(RATE, Decimal("80"), [(big, "pass"), (small, "fail"), (item(), "na")])
    assert result.percent == Decimal("50.00") and result.passed is False


def test_a_failed_veto_item_fails_the_record_whatever_the_score() -> None:
    veto = item(veto=True)
    answers = [(item(), "pass")] * 9 + [(veto, "fail")]
    result = score(RATE, Decimal("80"), answers)
    assert result.percent == Decimal("90.00") and result.vetoed and result.passed is False
    assert score(RATE, Decimal("80"), [(veto, "na")]).passed is None


def test_the_method_is_said_in_words() -> None:
    template = ChecklistTemplate(scoring=POINTS, pass_mark=Decimal("85.00"))
    assert "按得分" in scoring_method(template) and "85%" in scoring_method(template)
