"""Every rule teaches with its own examples: the wrong one gives a hit of that rule, the
right one none (a false alarm on a right example would teach people a wrong rule); every
checkable id of DOMAIN.md's table is implemented."""

from __future__ import annotations

import pytest

from houqin.standards import textformat as tf
from houqin.standards.checker import RULES, check
from houqin.standards.checker.document import draft_from_document

DOMAIN_IDS = (
    [f"S-ELEM-0{i}" for i in range(1, 7)]
    + [f"S-FORE-0{i}" for i in range(1, 6)]
    + [f"S-NUM-0{i}" for i in range(1, 7)]
    + ["S-LIST-01", "S-LIST-02"]
    + [f"S-VERB-0{i}" for i in range(1, 6)]
    + ["S-INFO-01"]
    + [f"S-REF-0{i}" for i in range(1, 5)]
    + [f"S-TERM-0{i}" for i in range(1, 4)]
    + [f"S-QTY-0{i}" for i in range(1, 5)]
    + ["S-CHAR-01", "S-ID-01", "P-MEAS-01", "P-MEAS-02"]
)


def test_every_id_of_the_table_is_a_rule() -> None:
    assert sorted(RULES) == sorted(DOMAIN_IDS)
    assert len(RULES) >= 30


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_the_wrong_example_hits_and_the_right_one_does_not(rule_id: str) -> None:
    rule = RULES[rule_id]
    wrong = check(draft_from_document(tf.parse(rule.wrong)), rule_ids=[rule_id])
    right = check(draft_from_document(tf.parse(rule.right)), rule_ids=[rule_id])
    assert wrong, f"{rule_id}: the wrong example gives no hit"
    assert right == [], f"{rule_id}: the right example gives {right}"
    assert rule.title and rule.why and rule.basis
    assert all(hit.message for hit in wrong)
