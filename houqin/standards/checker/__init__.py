"""The GB/T 1.1—2020 drafting checker: ``check(draft)`` runs every registered rule and
returns the hits in document order. Rule modules register themselves on import."""

from __future__ import annotations

from collections.abc import Iterable

from houqin.standards.checker import rules  # noqa: F401  (registers the rules)
from houqin.standards.checker.base import RULES, SEVERITY_ORDER, Issue, Rule
from houqin.standards.checker.document import Draft, Element
from houqin.standards.checker.rules.elements import walked_of

__all__ = ["RULES", "Draft", "Element", "Issue", "Rule", "check"]


def check(
    draft: Draft,
    *,
    rule_ids: Iterable[str] | None = None,
    elements: Iterable[Element] | None = None,
) -> list[Issue]:
    """Every hit of the chosen rules (all by default), in document order then severity.
    ``elements`` limits the clause rules (and the per-element parts of document rules) to
    those elements (the editor's live check of one clause); the document rules always read
    the whole draft."""
    draft.memo.clear()  # the text may have changed since the last check of this draft
    chosen = [RULES[r] for r in rule_ids] if rule_ids is not None else list(RULES.values())
    per_element = [r.check for r in chosen if r.scope == "clause"]
    per_element += [r.each for r in chosen if r.each is not None]
    walked = walked_of(draft)  # one walk for every rule
    hits = [hit for r in chosen if r.scope == "document" for hit in r.check(draft)]
    extend = hits.extend
    for element in walked if elements is None else elements:
        for rule_check in per_element:
            extend(rule_check(element, draft))
    order = {e.uid: index for index, e in enumerate(walked)}
    hits.sort(key=lambda h: (order.get(h.uid, -1), SEVERITY_ORDER[h.severity], h.rule))
    return hits
