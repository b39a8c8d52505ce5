"""The figures behind an appraisal (考核数据来源), read for ALL subjects of a period at once:
one grouped query per kind of rows (tasks, records, findings, third-party ratings,
standards acknowledgements), grouped by the subject's column. The base sets of rows and
the conditions are those of the compliance figures (``houqin.findings.compliance``), so a
score and the compliance page count the same rows.

A subject's column per kind of rows: a department is the place's department, or the
template's when the place has none (a finding: its rectification's department); a team is
the task's team; a vendor (appraised under its contract) is the task's vendor (a finding:
its rectification's vendor); a person is who did the task, inspected, was made responsible
for the rectification, or had to acknowledge the standard."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, F, Q, QuerySet
from django.db.models.functions import Coalesce
from django.urls import reverse

from houqin.appraisal import rollups
from houqin.appraisal.models import Source
from houqin.checklists.models import Task
from houqin.findings.compliance import FIGURES, Scope, findings_in, records_in, tasks_in
from houqin.standards.models import Acknowledgement

ROW_LIMIT = 500  # rows listed per line of a breakdown (the count is always complete)


def _ratings_in(scope: Scope) -> QuerySet[Any]:
    return records_in(scope).filter(third_party__isnull=False)


def _acks_in(scope: Scope) -> QuerySet[Any]:
    return Acknowledgement.objects.filter(
        organization_id=scope.organization_id, due_on__gte=scope.start, due_on__lte=scope.end
    )


BASES: dict[str, Callable[[Scope], QuerySet[Any]]] = {
    "tasks": tasks_in,
    "records": records_in,
    "findings": findings_in,
    "ratings": _ratings_in,
    "acks": _acks_in,
}

_CHECK_DEPARTMENT = ("place__department_id", "template__department_id")
COLUMNS: dict[str, dict[str, Any]] = {
    "tasks": {
        "department": Coalesce(*_CHECK_DEPARTMENT),
        "team": F("team_id"),
        "vendor": F("vendor_id"),
        "person": Coalesce("taken_by_id", "person_id"),
    },
    "records": {
        "department": Coalesce(*_CHECK_DEPARTMENT),
        "team": F("task__team_id"),
        "vendor": F("task__vendor_id"),
        "person": F("inspector_id"),
    },
    "findings": {
        "department": F("rectification__department_id"),
        "team": F("record__task__team_id"),
        "vendor": F("rectification__vendor_id"),
        "person": F("rectification__person_id"),
    },
    "acks": {
        "department": F("user__department_id"),
        "team": F("user__staff__team_id"),
        "vendor": F("user__staff__vendor_id"),
        "person": F("user_id"),
    },
}
COLUMNS["ratings"] = COLUMNS["records"]

Condition = Callable[[Scope], Q | None]


def _figure(name: str) -> Condition:
    return FIGURES[name].condition


def _acked(scope: Scope) -> Q:
    return Q(acknowledged_at__isnull=False, acknowledged_at__lt=scope.until)


# kind of rows → condition name → (label, condition)
CONDITIONS: dict[str, dict[str, tuple[str, Condition]]] = {
    "tasks": {
        "due": ("应检任务", _figure("tasks_due")),
        "done": ("已完成任务", _figure("tasks_done")),
        "missed": ("漏检任务", _figure("tasks_missed")),
        "not_done": ("未完成任务", lambda s: ~Q(status=Task.Status.DONE)),
    },
    "records": {
        "checked": ("有结论的检查记录", lambda s: Q(passed__isnull=False)),
        "passed": ("合格记录", _figure("records_passed")),
        "failed": ("不合格记录", _figure("records_failed")),
        "veto": ("否决项不合格记录", lambda s: Q(vetoed=True, passed=False)),
    },
    "findings": {
        "all": ("发现问题", _figure("findings")),
        "repeat": ("重复发生的问题", _figure("findings_repeat")),
        "on_time": ("按期整改", _figure("fix_on_time")),
        "late": ("逾期整改", _figure("fix_late")),
        "rated": (
            "已到期或已整改的问题",
            lambda s: _figure("fix_on_time")(s) | _figure("fix_late")(s),  # type: ignore[operator]
        ),
    },
    "ratings": {
        "all": ("第三方评价", lambda s: None),
        "failed": ("第三方评价不合格", lambda s: Q(passed=False)),
    },
    "acks": {
        "due": ("应确认的标准", lambda s: None),
        "acked": ("已确认", _acked),
        "not_acked": ("未确认", lambda s: ~_acked(s)),
    },
}


@dataclass(frozen=True)
class Spec:
    """What a source reads: its kind of rows and the conditions of its numbers. ``part`` and
    ``whole`` make a rate (``avg`` is the ratings' average score out of 100); ``count`` is
    what a deduction or an adjustment counts; ``listed`` the rows the breakdown shows."""

    rows: str
    count: str
    part: str | None = None
    whole: str | None = None
    listed: str = ""

    @property
    def shown(self) -> str:
        return self.listed or self.whole or self.count


SPECS: dict[str, Spec] = {
    Source.PASS_RATE: Spec("records", "failed", "passed", "checked"),
    Source.VETO_FAILURES: Spec("records", "veto"),
    Source.TASKS_MISSED: Spec("tasks", "missed"),
    Source.TASK_DONE_RATE: Spec("tasks", "not_done", "done", "due"),
    Source.FIX_ON_TIME_RATE: Spec("findings", "late", "on_time", "rated"),
    Source.REPEAT_FINDINGS: Spec("findings", "repeat"),
    Source.FINDINGS: Spec("findings", "all"),
    Source.THIRD_PARTY: Spec("ratings", "failed", "avg", None, listed="all"),
    Source.ACKNOWLEDGED_RATE: Spec("acks", "not_acked", "acked", "due"),
}


def _key(name: str, kind: str) -> str:
    """The aggregate's alias (never a field's name)."""
    return f"n_{name}_{kind}" if kind else f"n_{name}"


def _condition(rows: str, name: str, kind: str, scope: Scope) -> Q | None:
    condition = CONDITIONS[rows][name][1](scope)
    if kind and rows in ("records", "ratings", "tasks"):
        narrow = Q(kind=kind)
        return narrow if condition is None else condition & narrow
    return condition


Wanted = tuple[str, str]  # (source, inspection kind or "")


def read(
    scope: Scope, subject_kind: str, wanted: Iterable[Wanted]
) -> dict[Wanted, dict[Any, dict[str, Any]]]:
    """The figure of each wanted (source, kind) for every subject: {(source, kind): {subject
    column value: figure}}. One query per kind of rows the sources need."""
    by_rows: dict[str, set[Wanted]] = {}
    for source, kind in wanted:
        if source in SPECS:
            by_rows.setdefault(SPECS[source].rows, set()).add((source, kind))
    counted = {rows: _counts(scope, rows, subject_kind, items) for rows, items in by_rows.items()}
    result: dict[Wanted, dict[Any, dict[str, Any]]] = {}
    for source, kind in wanted:
        if source not in SPECS:
            continue
        found = SPECS[source]
        result[(source, kind)] = {
            subject: figure_of(found, row, kind) for subject, row in counted[found.rows].items()
        }
    return result


def _counts(
    scope: Scope, rows: str, subject_kind: str, items: set[Wanted]
) -> dict[Any, dict[str, Any]]:
    """{subject: {aggregate alias: value}} of one kind of rows: summed from the daily
    roll-ups where they apply, else one grouped query over the raw rows."""
    if rollups.applies(scope, rows):
        names = rollups.counted(rows, CONDITIONS[rows])
        rolled = rollups.figures(scope, rows, subject_kind, names, _grouped)
        return {
            subject: {_key(name, kind): n for (name, kind), n in counts.items()}
            for subject, counts in rolled.items()
        }
    aggregates: dict[str, Any] = {}
    for source, kind in items:
        spec = SPECS[source]
        for name in (spec.count, spec.part, spec.whole):
            if name == "avg":
                aggregates[_key("avg", kind)] = Avg(
                    "score", filter=_condition(rows, "all", kind, scope)
                )
                aggregates[_key("all", kind)] = Count(
                    "pk", filter=_condition(rows, "all", kind, scope)
                )
            elif name:
                aggregates[_key(name, kind)] = Count(
                    "pk", filter=_condition(rows, name, kind, scope)
                )
    grouped = _by_subject(scope, rows, subject_kind).annotate(**aggregates).order_by()
    return {row["subject"]: row for row in grouped}


def pending(
    scope: Scope, subject_kind: str, wanted: Iterable[Wanted] | None = None
) -> dict[str, list[date]]:
    """{kind of rows: its closed days not counted into the roll-ups yet}, for the rows the
    wanted sources read (all rolled rows without ``wanted``)."""
    needed = rollups.ROLLED if wanted is None else {SPECS[s].rows for s, _ in wanted if s in SPECS}
    return {
        rows: rollups.missing(scope, rows, subject_kind)
        for rows in rollups.ROLLED
        if rows in needed and rollups.applies(scope, rows)
    }


def count_days(
    scope: Scope,
    subject_kind: str,
    days: dict[str, list[date]],
    progress: Callable[[int], None] | None = None,
) -> int:
    """Count the ``pending`` days into the roll-ups (ahead of a compute, or the nightly
    ``appraisal_daily``), telling ``progress`` as they are done; how many were counted."""
    for rows, missing in days.items():
        rollups.build(scope, rows, subject_kind, missing, _grouped, progress)
    return sum(len(missing) for missing in days.values())


def _grouped(scope: Scope, rows: str, subject_kind: str) -> QuerySet[Any]:
    """Every condition's count per subject and inspection kind: a roll-up's raw query."""
    names = rollups.counted(rows, CONDITIONS[rows])
    counts = rollups.count_columns(names, lambda name: CONDITIONS[rows][name][1](scope))
    return _by_subject(scope, rows, subject_kind, "kind").annotate(**counts).order_by()


def _by_subject(scope: Scope, rows: str, subject_kind: str, *more: str) -> QuerySet[Any]:
    """The scope's rows of a kind grouped by their subject (and ``more`` columns); rows of
    no subject are left out."""
    return (
        BASES[rows](scope)
        .annotate(subject=COLUMNS[rows][subject_kind])
        .filter(subject__isnull=False)
        .values("subject", *more)
    )


def figure_of(spec: Spec, row: dict[str, Any] | None, kind: str = "") -> dict[str, Any]:
    """The numbers of one subject (zeros when it has no rows) with their labels."""
    row = row or {}
    labels = CONDITIONS[spec.rows]
    figure: dict[str, Any] = {
        "count": row.get(_key(spec.count, kind), 0),
        "count_label": labels[spec.count][0],
    }
    if spec.part == "avg":
        average = row.get(_key("avg", kind))
        figure.update(
            part=None if average is None else float(round(Decimal(str(average)), 2)),
            whole=100 if row.get(_key("all", kind)) else 0,
            part_label="第三方评价平均分",
            whole_label="满分",
            rated=row.get(_key("all", kind), 0),
        )
    elif spec.part and spec.whole:
        figure.update(
            part=row.get(_key(spec.part, kind), 0),
            whole=row.get(_key(spec.whole, kind), 0),
            part_label=labels[spec.part][0],
            whole_label=labels[spec.whole][0],
        )
    return figure


def drill_for(source: str, kind: str, subject: Any) -> dict[str, Any]:
    """What a line's breakdown needs to list the rows behind it again."""
    spec = SPECS.get(source)
    if spec is None:
        return {}
    return {"rows": spec.rows, "condition": spec.shown, "kind": kind, "subject": subject}


def rows_behind(
    scope: Scope, subject_kind: str, drill: dict[str, Any], cut: datetime | None
) -> QuerySet[Any]:
    """The rows a line counted: its condition over the subject's rows, leaving out rows
    made after ``cut`` (the computation), so a frozen score lists what it was made of."""
    rows = drill["rows"]
    queryset = (
        BASES[rows](scope)
        .annotate(subject=COLUMNS[rows][subject_kind])
        .filter(subject=drill["subject"])
    )
    condition = _condition(rows, drill["condition"], drill.get("kind", ""), scope)
    if condition is not None:
        queryset = queryset.filter(condition)
    if cut is not None:
        queryset = queryset.filter(created_at__lte=cut)
    return queryset


def changed_since(
    scope: Scope, subject_kind: str, rows: str, subjects: Iterable[Any], moment: datetime
) -> QuerySet[Any]:
    """Rows of the subjects changed after ``moment`` (the freeze)."""
    changed = Q(updated_at__gt=moment)
    if rows == "findings":
        changed |= Q(rectification__updated_at__gt=moment)
    return (
        BASES[rows](scope)
        .annotate(subject=COLUMNS[rows][subject_kind])
        .filter(changed, subject__in=list(subjects))
    )


# kind of rows → (fields read, label, link) for lists of rows
_LINKS = {
    "tasks": "checklists:task_detail",
    "records": "checklists:record_detail",
    "ratings": "checklists:record_detail",
    "findings": "findings:finding_detail",
}
_FIELDS = {
    "tasks": ("pk", "template__name", "due_at", "status", "updated_at", "subject"),
    "records": ("pk", "template__name", "submitted_at", "passed", "updated_at", "subject"),
    "ratings": ("pk", "third_party__party", "submitted_at", "score", "updated_at", "subject"),
    "findings": ("pk", "title", "raised_at", "rectification__status", "updated_at", "subject"),
    "acks": (
        "pk",
        "version__standard__title",
        "due_on",
        "acknowledged_at",
        "updated_at",
        "subject",
    ),
}
ROW_KIND_LABELS = {
    "tasks": "检查任务",
    "records": "检查记录",
    "ratings": "第三方评价",
    "findings": "问题",
    "acks": "阅读确认",
}


def row_dicts(rows: str, queryset: QuerySet[Any], limit: int = ROW_LIMIT) -> list[dict[str, Any]]:
    """Rows as {kind, id, label, when, state, link, updated_at, subject} (one query)."""
    fields = _FIELDS[rows]
    link = _LINKS.get(rows)
    result = []
    for values in queryset.order_by(fields[2], "pk").values_list(*fields)[:limit]:
        pk, label, when, state, updated_at, subject = values
        result.append(
            {
                "kind": rows,
                "kind_label": ROW_KIND_LABELS[rows],
                "id": pk,
                "label": label or "",
                "when": when,
                "state": _state(rows, state),
                "link": reverse(link, args=[pk]) if link else "",
                "updated_at": updated_at,
                "subject": subject,
            }
        )
    return result


def _state(rows: str, value: Any) -> str:
    if rows == "tasks":
        return str(Task.Status(value).label) if value else ""
    if rows == "records":
        return {True: "合格", False: "不合格"}.get(value, "无结论")
    if rows == "ratings":
        return "" if value is None else f"{value} 分"
    if rows == "findings":
        from houqin.findings.models import Rectification

        return str(Rectification.Status(value).label) if value else ""
    return "已确认" if value else "未确认"
