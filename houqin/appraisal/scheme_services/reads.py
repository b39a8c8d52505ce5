"""Reads of the scheme pages: the list with each scheme's versions and periods counted in
SQL, a scheme's versions with all their rows in a fixed number of queries, the merged change
log, and two versions' indicators side by side."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from houqin.appraisal.models import AppraisalScheme, Indicator, Period, SchemeVersion, SubjectKind
from houqin.appraisal.scheme_services.rules import (
    DRAFT,
    PUBLISHED,
    SUBJECT_FIELD,
    weight_total,
)
from houqin.common.changelog import field_labels
from houqin.common.models import ChangeLogEntry


def _count_of(model: type[models.Model], **match: Any) -> Subquery:
    rows = model._default_manager.filter(**match).order_by().values(next(iter(match)))
    return Subquery(rows.annotate(n=Count("pk")).values("n")[:1], output_field=IntegerField())


def _seq_of(status: str) -> Subquery:
    rows = SchemeVersion.objects.filter(scheme=OuterRef("pk"), status=status).order_by("-seq")
    return Subquery(rows.values("seq")[:1], output_field=IntegerField())


def scheme_rows(*, user: Any) -> Any:
    """The schemes a user may read, each with ``current_seq`` (newest published version),
    ``draft_seq`` and ``period_count`` (one query for a whole list)."""
    return AppraisalScheme.objects.for_user(user).annotate(
        current_seq=_seq_of(PUBLISHED),
        draft_seq=_seq_of(DRAFT),
        period_count=Coalesce(_count_of(Period, scheme=OuterRef("pk")), 0),
    )


def scheme_filter_state(queryset: Any, value: str) -> Any:
    """The list's state filter: in use (published), being revised (a draft), never published."""
    if value == "published":
        return queryset.filter(current_seq__isnull=False)
    if value == "draft":
        return queryset.filter(draft_seq__isnull=False)
    if value == "unpublished":
        return queryset.filter(current_seq__isnull=True)
    return queryset


@dataclass
class SchemePage:
    """What a scheme's page shows: every version (newest first) with its rows, the newest
    published one, the draft, and the change log of the scheme and its versions."""

    scheme: AppraisalScheme
    versions: list[SchemeVersion]
    current: SchemeVersion | None
    draft: SchemeVersion | None
    changelog: list[ChangeLogEntry] = field(default_factory=list)


def _version_rows(scheme: AppraisalScheme | int) -> models.QuerySet[SchemeVersion]:
    return (
        SchemeVersion.objects.filter(scheme=scheme)
        .select_related("scheme", "published_by")
        .annotate(period_count=Coalesce(_count_of(Period, version=OuterRef("pk")), 0))
        .prefetch_related(
            "indicators",
            "adjustments",
            "bands",
            "reward_rules",
            "departments",
            "teams",
            "contracts__vendor",
            "posts",
        )
        .order_by("-seq")
    )


def _decorated(version: SchemeVersion) -> SchemeVersion:
    """Adds ``subject_list`` and ``weight_sum`` for the templates (from prefetched rows)."""
    version.subject_list = subjects_of(version)  # type: ignore[attr-defined]
    version.weight_sum = weight_total(list(version.indicators.all()))  # type: ignore[attr-defined]
    return version


def version_loaded(version: SchemeVersion) -> SchemeVersion:
    """The version read again with its scheme, rows and subjects (for a page or fragment)."""
    return _decorated(_version_rows(version.scheme_id).get(pk=version.pk))


def scheme_page(*, scheme: AppraisalScheme, log_limit: int = 100) -> SchemePage:
    """Every version of the scheme with its rows (a fixed number of queries however many
    versions and rows), and the merged change log."""
    versions = [_decorated(v) for v in _version_rows(scheme)]
    current = next((v for v in versions if v.status == PUBLISHED), None)
    draft = next((v for v in versions if v.status == DRAFT), None)
    return SchemePage(scheme, versions, current, draft, scheme_log(scheme, versions, log_limit))


def scheme_log(
    scheme: AppraisalScheme, versions: list[SchemeVersion], limit: int = 100
) -> list[ChangeLogEntry]:
    """The change log of the scheme and of all its versions (row edits are logged on the
    version), newest first, each entry with ``labelled`` changes."""
    types = ContentType.objects.get_for_models(AppraisalScheme, SchemeVersion)
    entries = list(
        ChangeLogEntry.objects.filter(
            Q(content_type=types[AppraisalScheme], object_id=str(scheme.pk))
            | Q(
                content_type=types[SchemeVersion],
                object_id__in=[str(v.pk) for v in versions],
            )
        )[:limit]
    )
    labels = {**field_labels(SchemeVersion), **field_labels(AppraisalScheme)}
    for entry in entries:
        entry.labelled = [  # type: ignore[attr-defined]
            (labels.get(name, name), pair[0], pair[1]) for name, pair in entry.changes.items()
        ]
    return entries


def subjects_of(version: SchemeVersion) -> list[Any]:
    """The subjects a version names (prefetched), in the relation of its scheme's kind."""
    kind = SubjectKind(version.scheme.subject_kind)
    return list(getattr(version, SUBJECT_FIELD[kind]).all())


@dataclass(frozen=True)
class CompareRow:
    """One indicator name in two versions: its row in each (or None) and how it changed."""

    name: str
    left: Indicator | None
    right: Indicator | None
    change: str  # added / removed / changed / same


COMPARED = ("weight", "source", "method", "kind", "per_unit", "note")


def indicators_compare(left: SchemeVersion, right: SchemeVersion) -> list[CompareRow]:
    """The indicators of two versions side by side, matched by name, in the order of the
    right-hand version and then the removed ones."""
    before = {row.name: row for row in left.indicators.all()}
    after = {row.name: row for row in right.indicators.all()}
    rows = []
    for name, row in after.items():
        old = before.get(name)
        if old is None:
            change = "added"
        elif any(getattr(old, f) != getattr(row, f) for f in COMPARED):
            change = "changed"
        else:
            change = "same"
        rows.append(CompareRow(name, old, row, change))
    rows.extend(
        CompareRow(name, row, None, "removed") for name, row in before.items() if name not in after
    )
    return rows
