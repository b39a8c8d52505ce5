"""The drafting check of a stored draft: the GB/T 1.1—2020 rules (``checker``) run on the
version's clauses, less the rules switched off for a clause with a recorded reason
(``CheckWaiver``). Adopted external standards are not checked (their text is not ours)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from houqin.common.changelog import changelog_record
from houqin.common.models import ChangeLogEntry
from houqin.standards.checker import RULES, Issue, check
from houqin.standards.checker.base import ERROR, SEVERITY_LABELS
from houqin.standards.checker.document import draft_from_version
from houqin.standards.models import CheckWaiver, Standard, StandardVersion


@dataclass
class VersionCheck:
    """The hits that stand, those switched off with their waiver, and the id of the stored
    clause of each uid (to link a hit to its row)."""

    issues: list[Issue] = field(default_factory=list)
    waived: list[tuple[Issue, CheckWaiver]] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)

    @property
    def counts(self) -> dict[str, int]:
        return {s: sum(1 for i in self.issues if i.severity == s) for s in SEVERITY_LABELS}

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == ERROR]


def version_check(version: StandardVersion, *, only: int | None = None) -> VersionCheck:
    """Check a version (two queries: its clauses, the standard's waivers). ``only`` (a
    clause's pk) runs the clause rules on that clause alone — the editor's live check while
    someone types — and the document rules on the whole text, as always."""
    standard = version.standard
    if standard.is_adopted:
        return VersionCheck()
    draft = draft_from_version(version)
    elements = None if only is None else [e for e in draft.walk() if e.pk == only]
    issues = check(draft, elements=elements)
    waivers = {
        (str(w.clause_uid), w.rule): w for w in standard.waivers.select_related("created_by")
    }
    result = VersionCheck(rows={e.uid: e.pk for e in draft.walk() if e.pk is not None})
    for issue in issues:
        waiver = waivers.get((issue.uid, issue.rule))
        if waiver is None:
            result.issues.append(issue)
        else:
            result.waived.append((issue, waiver))
    return result


@transaction.atomic
def waiver_add(
    *, standard: Standard, actor: Any, clause_uid: Any, rule: str, reason: str
) -> CheckWaiver:
    """Switch a rule off for one clause of a draft, with the reason (recorded, shown with
    the check result and in the review)."""
    reason = (reason or "").strip()
    if rule not in RULES:
        raise ValidationError({"rule": "没有这条检查规则。"})
    if len(reason) < 4:
        raise ValidationError({"reason": "请写明不适用这条规则的理由（至少4个字）。"})
    try:
        uid = uuid.UUID(str(clause_uid))
    except ValueError as error:
        raise ValidationError({"clause_uid": "没有这个条款。"}) from error
    if not standard.versions.drafts().filter(clauses__uid=uid).exists():
        raise ValidationError({"clause_uid": "草案中没有这个条款。"})
    if standard.waivers.filter(clause_uid=uid, rule=rule).exists():
        raise ValidationError({"rule": "这条规则已经对这个条款关闭。"})
    waiver = CheckWaiver.objects.create(
        organization_id=standard.organization_id,
        standard=standard,
        clause_uid=uid,
        rule=rule,
        reason=reason[:300],
        created_by=actor,
    )
    changelog_record(
        obj=standard,
        action=ChangeLogEntry.Action.UPDATE,
        actor=actor,
        changes={"检查规则": ["", f"对一个条款关闭 {rule}，理由：{waiver.reason}"]},
    )
    return waiver


@transaction.atomic
def waiver_remove(*, waiver: CheckWaiver, actor: Any) -> None:
    """Switch the rule back on for that clause."""
    changelog_record(
        obj=waiver.standard,
        action=ChangeLogEntry.Action.UPDATE,
        actor=actor,
        changes={"检查规则": [f"{waiver.rule} 已关闭（{waiver.reason}）", "重新启用"]},
    )
    waiver.delete()
