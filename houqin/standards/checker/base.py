"""Rules, their hits (``Issue``) and safe fixes, and the registry the rule modules fill.

A rule is a function registered with ``@rule(...)``. A *clause* rule reads one element at
a time (``check(element, draft)``) so the editor can rerun it on the clause being typed; a
*document* rule reads the whole draft (``check(draft)``): order, numbering, cross-references.
Each rule carries its own teaching material (what, why, the clause of GB/T 1.1, a wrong
and a right example in the markup of ``textformat``); the right example must give no hit
of that rule and the wrong one at least one."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from houqin.standards.checker.document import Draft, Element

ERROR = "error"
WARNING = "warning"
HINT = "hint"
SEVERITY_LABELS = {ERROR: "错误", WARNING: "警告", HINT: "提示"}
SEVERITY_ORDER = {ERROR: 0, WARNING: 1, HINT: 2}
EXCERPT_CONTEXT = 24


@dataclass(frozen=True)
class Fix:
    """A change that cannot alter the meaning: set one field of one element.

    ``field`` is "text", "title" or "extra" of the element ``uid``; "number" sets the
    standard's number on the cover (``uid`` empty); "position" moves the element ``uid`` to
    index ``after`` among its siblings (``before`` is its index now); "insert" adds
    ``after`` (a ``textformat.Node``) as child ``before`` (an index) of the element ``uid``,
    or at the top level when ``uid`` is empty."""

    uid: str
    field: Literal["text", "title", "extra", "number", "position", "insert"]
    before: Any
    after: Any


@dataclass(frozen=True)
class Issue:
    """One hit of a rule. ``excerpt`` is a short piece of the element's text and
    ``span`` the (start, end) of the offending words within it, or None."""

    rule: str
    severity: str
    clause: str
    uid: str
    excerpt: str
    span: tuple[int, int] | None
    message: str
    suggestion: str
    fix: Fix | None = None

    @property
    def fixable(self) -> bool:
        return self.fix is not None

    def as_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "severity": self.severity,
            "clause": self.clause,
            "excerpt": self.excerpt,
            "message": self.message,
            "suggestion": self.suggestion,
            "fixable": self.fixable,
        }


ClauseCheck = Callable[[Element, Draft], Iterable[Issue]]
DocumentCheck = Callable[[Draft], Iterable[Issue]]


@dataclass(frozen=True)
class Rule:
    id: str
    severity: str  # the usual severity; a hit may state another (S-VERB-02)
    title: str  # what it checks, one line
    basis: str  # the clause of GB/T 1.1 (or the product) it comes from: "GB/T 1.1—2020 8.3"
    why: str  # why, in plain Chinese, a few sentences
    wrong: str  # markup that breaks the rule
    right: str  # the same markup kept right
    scope: Literal["clause", "document"]
    check: Callable[..., Iterable[Issue]] = field(compare=False)
    fix: Literal["auto", "suggestion", "none"] = "none"  # as DOMAIN.md's table says
    # A document rule's part that reads one element at a time (``each(element, draft)``):
    # ``check`` runs it with the clause rules, so a live check reruns it on the typed clause only.
    each: Callable[..., Iterable[Issue]] | None = field(default=None, compare=False)


RULES: dict[str, Rule] = {}


def each_element(rule_id: str) -> Callable[[ClauseCheck], ClauseCheck]:
    """Register the per-element part of the document rule ``rule_id`` (registered first)."""

    def register(check: ClauseCheck) -> ClauseCheck:
        RULES[rule_id] = replace(RULES[rule_id], each=check)
        return check

    return register


def rule(
    rule_id: str,
    *,
    severity: str,
    title: str,
    basis: str,
    why: str,
    wrong: str,
    right: str,
    scope: Literal["clause", "document"],
    fix: Literal["auto", "suggestion", "none"] = "none",
) -> Callable[[Callable[..., Iterable[Issue]]], Callable[..., Iterable[Issue]]]:
    def register(check: Callable[..., Iterable[Issue]]) -> Callable[..., Iterable[Issue]]:
        if rule_id in RULES:
            raise ValueError(f"rule {rule_id} registered twice")
        RULES[rule_id] = Rule(rule_id, severity, title, basis, why, wrong, right, scope, check, fix)
        return check

    return register


def excerpt_of(text: str, span: tuple[int, int] | None) -> tuple[str, tuple[int, int] | None]:
    """A short excerpt of ``text`` around ``span`` and the span within the excerpt."""
    if span is None:
        short = text[: EXCERPT_CONTEXT * 2]
        return (short + "…" if len(text) > len(short) else short), None
    start = max(0, span[0] - EXCERPT_CONTEXT)
    end = min(len(text), span[1] + EXCERPT_CONTEXT)
    head = "…" if start else ""
    tail = "…" if end < len(text) else ""
    return head + text[start:end] + tail, (span[0] - start + len(head), span[1] - start + len(head))


def issue(
    rule_id: str,
    element: Element | None,
    message: str,
    suggestion: str = "",
    *,
    span: tuple[int, int] | None = None,
    source: str | None = None,
    severity: str | None = None,
    fix: Fix | None = None,
    clause: str | None = None,
) -> Issue:
    """Build a hit. ``source`` is the text ``span`` points into (the element's text by
    default); ``clause`` overrides where it is reported (a whole-document fault: "")."""
    text = (element.text if element is not None else "") if source is None else source
    excerpt, inner = excerpt_of(text, span)
    return Issue(
        rule=rule_id,
        severity=severity or RULES[rule_id].severity,
        clause=(element.label if element is not None else "") if clause is None else clause,
        uid=element.uid if element is not None else "",
        excerpt=excerpt,
        span=inner,
        message=message,
        suggestion=suggestion,
        fix=fix,
    )


def sentences(text: str) -> Iterator[tuple[int, str]]:
    """(offset, sentence) pairs split after 。；！？ and line ends."""
    for match in re.finditer(r"[^。；！？\n]+[。；！？]?", text):
        if match.group().strip():
            yield match.start(), match.group()
