"""Applying the checker's safe fixes to a stored draft, and undoing them.

A hit's ``Fix`` sets one field of one clause, moves a clause among its siblings or inserts a
clause (``checker.base.Fix``). A fix applies only while the draft still reads as the check
saw it (the field still holds ``before``); otherwise it is skipped as stale. "Fix all"
applies every safe fix in passes (a fix can make room for the next one: two word fixes in
one clause, an insert that shifts indexes) as one locked, logged change, and returns the
undo steps; undoing replays them backwards while the draft has not moved since."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from houqin.common.changelog import changelog_record
from houqin.common.models import ChangeLogEntry
from houqin.standards import textformat as tf
from houqin.standards.checker import Issue
from houqin.standards.checker.base import Fix
from houqin.standards.clauses import _lock, _place, _siblings, renumber, tree_load
from houqin.standards.models import Clause, StandardVersion
from houqin.standards.services.checks import version_check

APPLIED_HERE = frozenset({"text", "title", "extra", "position", "insert"})
STRUCTURAL = frozenset({"position", "insert"})
MAX_PASSES = 12


def fix_key(issue: Issue) -> str:
    """A short stable name of one hit's fix, to find it again when the person applies it."""
    fix = issue.fix
    raw = repr((issue.rule, issue.uid, fix and (fix.uid, fix.field, fix.before, fix.after)))
    return hashlib.sha1(raw.encode(), usedforsecurity=False).hexdigest()[:16]


def applicable(issue: Issue) -> bool:
    """Can the editor apply this hit's fix? (A standard number is changed on its form.)"""
    return issue.fix is not None and issue.fix.field in APPLIED_HERE


@dataclass
class FixOutcome:
    """How many fixes went in, and the steps that take them out again (JSON-ready)."""

    applied: int = 0
    undo: list[list[Any]] = field(default_factory=list)
    revision: int = 0


def _clauses(version: StandardVersion) -> dict[str, Clause]:
    return {str(c.uid): c for c in Clause.objects.filter(version=version)}


def _move(version: StandardVersion, clause: Clause, index: int) -> None:
    siblings = [c for c in _siblings(version, clause.parent_id) if c.pk != clause.pk]
    siblings.insert(max(0, min(index, len(siblings))), clause)
    _place(siblings)


def _apply(version: StandardVersion, fix: Fix, by_uid: dict[str, Clause]) -> list[Any] | None:
    """Apply one fix if the draft still matches it; the undo step, or None when stale."""
    if fix.field in ("text", "title", "extra"):
        clause = by_uid.get(fix.uid)
        if clause is None:
            return None
        now = dict(clause.extra or {}) if fix.field == "extra" else getattr(clause, fix.field)
        if now != fix.before:
            return None
        setattr(clause, fix.field, dict(fix.after) if fix.field == "extra" else fix.after)
        clause.save(update_fields=[fix.field])
        return ["set", fix.uid, fix.field, fix.after, fix.before]
    if fix.field == "position":
        clause = by_uid.get(fix.uid)
        if clause is None:
            return None
        siblings = _siblings(version, clause.parent_id)
        if [c.pk for c in siblings].index(clause.pk) != fix.before:
            return None
        _move(version, clause, fix.after)
        return ["position", fix.uid, fix.before]
    if fix.field == "insert":
        parent = by_uid.get(fix.uid) if fix.uid else None
        if fix.uid and parent is None:
            return None
        node: tf.Node = fix.after
        tree_load(version=version, nodes=[node], parent=parent)
        added = _siblings(version, parent.pk if parent else None)[-1]
        _move(version, added, fix.before)
        return ["delete", str(added.uid)]
    return None


def _standing(version: StandardVersion) -> list[Issue]:
    return [i for i in version_check(version).issues if applicable(i)]


@transaction.atomic
def fixes_apply(
    *, version: StandardVersion, actor: Any, base_revision: int | None, key: str | None = None
) -> FixOutcome:
    """Apply the fix named ``key`` (``fix_key``), or with no key every safe fix in passes
    until none is left; one change-log entry. Refused when the draft moved since
    ``base_revision`` (``ConflictError``) or the named fix no longer stands."""
    locked = _lock(version, base_revision, actor)
    outcome = FixOutcome()
    for _ in range(MAX_PASSES if key is None else 1):
        issues = _standing(locked)
        if key is not None:
            issues = [i for i in issues if fix_key(i) == key]
            if not issues:
                raise ValidationError("草案已经改过，这处修正不再适用；请看最新的检查结果。")
        by_uid = _clauses(locked)
        structural = False
        done = 0
        for issue in issues:
            assert issue.fix is not None  # applicable() holds
            if issue.fix.field in STRUCTURAL:
                if structural:
                    continue  # indexes move: one structural fix a pass
                structural = True
            step = _apply(locked, issue.fix, by_uid)
            if step is not None:
                outcome.undo.append(step)
                done += 1
        outcome.applied += done
        if not done:
            break
    if outcome.applied:
        renumber(locked)
        changelog_record(
            obj=locked.standard,
            action=ChangeLogEntry.Action.UPDATE,
            actor=actor,
            changes={"起草规则修正": ["", f"第{locked.seq}版草案一次修正 {outcome.applied} 处"]},
        )
    outcome.revision = locked.revision
    return outcome


@transaction.atomic
def fixes_undo(*, version: StandardVersion, actor: Any, outcome: FixOutcome) -> int:
    """Take back the fixes of ``outcome`` while nobody changed the draft since; returns the
    new revision. A later change refuses it (``ConflictError``): the person undoes by hand."""
    locked = _lock(version, outcome.revision, actor)
    by_uid = _clauses(locked)
    for step in reversed(outcome.undo):
        kind, uid = step[0], step[1]
        clause = by_uid.get(uid)
        if clause is None:
            continue
        if kind == "set":
            setattr(clause, step[2], step[4])
            clause.save(update_fields=[step[2]])
        elif kind == "position":
            _move(locked, clause, step[2])
        elif kind == "delete":
            parent_id = clause.parent_id
            clause.delete()
            _place(_siblings(locked, parent_id))
    renumber(locked)
    changelog_record(
        obj=locked.standard,
        action=ChangeLogEntry.Action.UPDATE,
        actor=actor,
        changes={"起草规则修正": ["", f"撤销了第{locked.seq}版草案的 {outcome.applied} 处修正"]},
    )
    return locked.revision
