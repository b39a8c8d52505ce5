"""Reads of the findings pages: the list rows, a finding with everything its page shows, the
other findings at the same place for the same item, the rectification board by department
and vendor, and the supervision orders. ``compliance`` (the figures of a department, vendor,
place, service line or standard over a period) lives in ``houqin.findings.compliance``."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.urls import NoReverseMatch

from houqin.checklists.selectors import cite_label, version_cites
from houqin.common.attachments import AttachmentSet, attachments_for
from houqin.common.changelog import changelog_entries
from houqin.common.lists import url_for_pk
from houqin.common.models import ChangeLogEntry
from houqin.findings.compliance import compliance
from houqin.findings.models import MANAGE, Finding, Rectification, SupervisionOrder
from houqin.findings.services import NEEDS_EFFECT_CHECK, OPEN, may_fix, policy_for

__all__ = [
    "Board",
    "compliance",
    "finding_family",
    "finding_get",
    "finding_log",
    "finding_rows",
    "order_get",
    "order_rows",
    "rectification_board",
    "rectification_steps",
]

S = Rectification.Status
FINDING_RELATED = (
    "place",
    "rectification",
    "rectification__department",
    "rectification__vendor",
    "rectification__person",
)
DETAIL_RELATED = (
    *FINDING_RELATED,
    "equipment",
    "raised_by",
    "record__template",
    "item",
    "answer",
    "clause__version__standard",
    "repeat_of",
    "rectification__verifier",
)
FAMILY_LIMIT = 20


def optional_url(name: str, pk: int) -> str:
    """The URL of a page another app may not offer (yet): "" when the route is missing."""
    try:
        return url_for_pk(name, pk)
    except NoReverseMatch:
        return ""


def finding_rows(*, user: Any) -> QuerySet[Finding]:
    """The findings a user may see, with what a list row shows (one query per page)."""
    return Finding.objects.for_user(user, "view").select_related(*FINDING_RELATED)


def finding_get(*, user: Any, pk: Any, action: str = "view") -> Finding:
    """One finding of the user's organization with its rectification (else a 404)."""
    finding = (
        Finding.objects.for_user(user, action).select_related(*DETAIL_RELATED).filter(pk=pk).first()
    )
    if finding is None or not hasattr(finding, "rectification"):
        raise Http404
    return finding


def clause_words(finding: Finding) -> tuple[str, str]:
    """(“GB/T 1234—2026 第5.2条”, link to the clause in its standard) or ("", ""); a
    paragraph or list item is cited as its standard prints it (one query)."""
    clause = finding.clause
    if clause is None:
        return "", ""
    standard = clause.version.standard
    name = standard.number or f"《{standard.title}》"
    cite = version_cites([clause.version_id]).get(clause.pk, "")
    words = f"{name} {cite_label(cite)}" if cite else name
    url = f"{url_for_pk('standards:standard_detail', standard.pk)}#c-{clause.uid}"
    return words, url


def finding_family(finding: Finding) -> list[Finding]:
    """The findings at the same place for the same item (or clause), newest first: the
    chain of repeats and what came before it (one query)."""
    if finding.place_id is None or (finding.item_key is None and finding.clause_id is None):
        return []
    same = Finding.objects.filter(
        organization_id=finding.organization_id, place_id=finding.place_id
    )
    if finding.item_key is not None:
        same = same.filter(item_key=finding.item_key)
    else:
        same = same.filter(clause=finding.clause)
    rows = list(same.select_related("rectification").order_by("-raised_at", "-pk")[:FAMILY_LIMIT])
    return rows if len(rows) > 1 else []


@dataclass(frozen=True)
class Photos:
    """The photos of a finding: those taken with the failed answer, the finding's own
    (raised by hand or added later) and the fix's evidence."""

    answer: AttachmentSet | None
    finding: AttachmentSet
    fix: AttachmentSet


def finding_photos(finding: Finding) -> Photos:
    answer = attachments_for(finding.answer) if finding.answer is not None else None
    return Photos(
        answer=answer,
        finding=attachments_for(finding),
        fix=attachments_for(finding.rectification),
    )


def finding_log(finding: Finding) -> list[ChangeLogEntry]:
    """The change log of the finding and of its rectification, newest first (two queries)."""
    entries = changelog_entries(finding) + changelog_entries(finding.rectification)
    return sorted(entries, key=lambda e: (e.created_at, e.pk), reverse=True)


@dataclass
class BoardRow:
    """Open rectifications of one department or vendor, by state."""

    key: int | None
    name: str
    assigned: int = 0
    returned: int = 0
    fixed: int = 0
    effect_check: int = 0
    overdue: int = 0
    total: int = 0


@dataclass
class Board:
    """The rectification board: totals and the rows by department and by vendor."""

    totals: BoardRow
    departments: list[BoardRow] = field(default_factory=list)
    vendors: list[BoardRow] = field(default_factory=list)


def _counts(now: datetime) -> dict[str, Any]:
    return {
        "assigned": Count("pk", filter=Q(status=S.ASSIGNED)),
        "returned": Count("pk", filter=Q(status=S.RETURNED)),
        "fixed": Count("pk", filter=Q(status=S.FIXED)),
        "effect_check": Count("pk", filter=Q(status=S.EFFECT_CHECK)),
        "overdue": Count("pk", filter=Q(status__in=OPEN, deadline__lt=now)),
        "total": Count("pk"),
    }


def rectification_board(*, user: Any, now: datetime) -> Board:
    """Open (not closed) rectifications by department and by vendor, the most overdue first
    (three queries whatever the number of rows)."""
    rows = Rectification.objects.for_user(user, "view").exclude(status=S.CLOSED)
    counts = _counts(now)
    totals = BoardRow(None, "合计", **rows.aggregate(**counts))
    board = Board(totals=totals)
    for key, name, target in (
        ("department", "未指定科室", board.departments),
        ("vendor", "", board.vendors),
    ):
        grouped = (
            rows.values(f"{key}_id", f"{key}__name")
            .annotate(**counts)
            .order_by("-overdue", "-total", f"{key}__name")
        )
        for row in grouped:
            if row[f"{key}_id"] is None and not name:
                continue  # rectifications without a vendor are not a vendor's
            values = {k: row[k] for k in counts}
            target.append(BoardRow(row[f"{key}_id"], row[f"{key}__name"] or name, **values))
    return board


@dataclass(frozen=True)
class Step:
    """A step of the rectification loop a person may take now (a button on the page)."""

    name: str
    label: str
    confirm: str
    needs_note: bool = False
    needs_photos: bool = False
    ready: bool = True  # False: shown, but not yet possible (the hint says when)
    hint: str = ""


def rectification_steps(rectification: Rectification, user: Any, today: date) -> list[Step]:
    """The steps this user may take on this rectification now."""
    status = rectification.status
    steps: list[Step] = []
    if status in OPEN and may_fix(user, rectification):
        steps.append(
            Step(
                "fix",
                "提交整改",
                "提交后由科室负责人或标准化办公室验收。",
                needs_note=True,
                needs_photos=True,
            )
        )
    if not user.has_perm(MANAGE):
        return steps
    if status == Rectification.Status.FIXED:
        if rectification.finding.severity in NEEDS_EFFECT_CHECK:
            days = policy_for(rectification.organization).effect_days
            label, confirm = "验收通过", f"验收后 {days} 天复查整改效果，复查有效才关闭。"
        else:
            label, confirm = "验收通过", "验收后问题关闭。"
        steps.append(Step("accept", label, confirm))
        steps.append(
            Step("send_back", "退回重改", "退回后整改人需要重新整改并提交。", needs_note=True)
        )
    elif status == Rectification.Status.EFFECT_CHECK:
        due = rectification.effect_due
        ready = due is None or today >= due
        hint = "" if ready else f"复查日期是 {due:%Y-%m-%d}，到期后再复查。"
        steps.append(
            Step(
                "confirm",
                "复查有效，关闭",
                "确认问题没有再发生，关闭问题。",
                ready=ready,
                hint=hint,
            )
        )
        steps.append(Step("reopen", "复查无效，重新整改", "退回整改人重新整改。", needs_note=True))
    return steps


def order_rows(*, user: Any) -> QuerySet[Any]:
    """The supervision orders a user may see, with their recipients and how many findings."""
    return (
        SupervisionOrder.objects.for_user(user, "view")
        .select_related("department", "vendor", "issuer")
        .annotate(finding_count=Count("findings"))
    )


def order_get(*, user: Any, pk: Any, action: str = "view") -> SupervisionOrder:
    order = (
        SupervisionOrder.objects.for_user(user, action)
        .select_related("department", "vendor", "issuer", "organization")
        .filter(pk=pk)
        .first()
    )
    if order is None:
        raise Http404
    return order


def order_findings(order: SupervisionOrder) -> list[Finding]:
    """The findings of an order with their place and rectification (one query)."""
    return list(order.findings.select_related(*FINDING_RELATED).order_by("raised_at", "pk"))
