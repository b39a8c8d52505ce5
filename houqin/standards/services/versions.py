"""Versions: the draft to write in, publishing (freezing) a version, who may edit a text,
and the clauses of an adopted external standard (entered and published by the office so
checklists can cite them; the standard itself stays in force throughout)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from houqin.common.changelog import changelog_record
from houqin.common.models import ChangeLogEntry
from houqin.common.services import record_update
from houqin.standards.clauses import version_copy
from houqin.standards.models import (
    Standard,
    StandardVersion,
)
from houqin.standards.services.standards import _checked_number, add_years

# ---- versions ----------------------------------------------------------------------------


def draft_version(standard: Standard) -> StandardVersion | None:
    return standard.versions.drafts().order_by("-seq").first()


def published_version(standard: Standard) -> StandardVersion | None:
    return standard.versions.published().order_by("-seq").first()


@transaction.atomic
def version_new_draft(*, standard: Standard, actor: Any) -> StandardVersion:
    """The draft to write in: the open one, or a new one copied from the last published
    version (clauses keep their identity), or an empty first draft."""
    existing = draft_version(standard)
    if existing is not None:
        return existing
    base = published_version(standard)
    seq = (standard.versions.order_by("-seq").values_list("seq", flat=True).first() or 0) + 1
    version = StandardVersion.objects.create(
        standard=standard, seq=seq, based_on=base, edited_by=actor, edited_at=timezone.now()
    )
    if base is not None:
        version_copy(source=base, target=version)
    changelog_record(
        obj=standard,
        action=ChangeLogEntry.Action.UPDATE,
        actor=actor,
        changes={"版本": ["", f"新建第{seq}版草案"]},
    )
    return version


@transaction.atomic
def version_publish(
    *,
    version: StandardVersion,
    actor: Any,
    number: str,
    published_on: date,
    effective_on: date,
) -> StandardVersion:
    """Freeze a draft: the standard's number and dates are fixed with it. Called by the
    approval step of the lifecycle."""
    standard = version.standard
    if version.is_published:
        raise ValidationError("这个版本已经发布。")
    if not version.clauses.exists():
        raise ValidationError("草案没有内容，不能发布。")
    if effective_on < published_on:
        raise ValidationError({"effective_on": "实施日期不能早于发布日期。"})
    number = _checked_number(standard.organization, number, standard.level)
    if not number:
        raise ValidationError({"number": "发布前请确定标准编号。"})
    clash = Standard.objects.filter(organization=standard.organization, number=number)
    if clash.exclude(pk=standard.pk).exists():
        raise ValidationError({"number": f"标准编号“{number}”已被使用，请换一个。"})
    record_update(
        obj=standard,
        actor=actor,
        data={
            "number": number,
            "published_on": published_on,
            "effective_on": effective_on,
            "review_due_on": add_years(effective_on, standard.review_years),
        },
    )
    frozen = _freeze(version)
    _citations_follow(standard)
    return frozen


def _citations_follow(standard: Standard) -> None:
    """After a new version is published, checklist items citing the standard follow their
    clauses to it (changed or removed ones are marked for their owners). After the commit,
    so a failure there never blocks publishing; the daily job catches anything missed."""
    from houqin.checklists.services import citations_review  # checklists builds on standards

    transaction.on_commit(lambda: citations_review(standard=standard), robust=True)


def _freeze(version: StandardVersion) -> StandardVersion:
    standard = version.standard
    StandardVersion.objects.filter(pk=version.pk).update(
        published_at=timezone.now(), number=standard.number
    )
    version.refresh_from_db()
    from houqin.standards.search import search_index_standard  # search imports services

    search_index_standard(standard)  # the index changes with the standard, same transaction
    return version


def _check_adopted(standard: Standard) -> None:
    if not standard.is_adopted:
        raise ValidationError("内部标准的文本按流程起草、征求意见、审查后由领导批准发布。")
    if standard.status == Standard.Status.WITHDRAWN:
        raise ValidationError("已废止的标准不再录入条款。")


@transaction.atomic
def adopted_text_open(*, standard: Standard, actor: Any) -> StandardVersion:
    """The draft in which the office enters (or corrects) an adopted standard's clauses:
    the open one, or a copy of the clauses entered before, or an empty one."""
    _check_adopted(standard)
    return version_new_draft(standard=standard, actor=actor)


@transaction.atomic
def adopted_text_publish(*, standard: Standard, actor: Any) -> StandardVersion:
    """Publish the entered clauses of an adopted standard as it stands: its number and dates
    are the external standard's own and do not change."""
    _check_adopted(standard)
    version = draft_version(standard)
    if version is None:
        raise ValidationError("没有正在录入的条款。")
    if not version.clauses.exists():
        raise ValidationError("还没有录入任何条款，不能发布。")
    version = _freeze(version)
    _citations_follow(standard)
    changelog_record(
        obj=standard,
        action=ChangeLogEntry.Action.UPDATE,
        actor=actor,
        changes={"版本": [f"第{version.seq}版草案", f"发布录入的条款（第{version.seq}版）"]},
    )
    return version


def can_edit_text(user: Any, standard: Standard) -> bool:
    """A draft's text may be edited while drafting or revising, by someone with the drafting
    permission who runs standards (manage) or heads the owning department. An adopted
    standard's clauses are entered by the office at any time until it is withdrawn."""
    if not user.has_perm("standards.draft_standard"):
        return False
    if standard.is_adopted:
        return standard.status != Standard.Status.WITHDRAWN and user.has_perm(
            "standards.manage_standard"
        )
    if standard.status not in (Standard.Status.DRAFTING, Standard.Status.REVISING):
        return False
    return user.has_perm("standards.manage_standard") or (
        standard.owner_department_id is not None
        and standard.owner_department_id == getattr(user, "department_id", None)
    )
