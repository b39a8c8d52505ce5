"""考核方案的写入与读取：新建方案、编辑草稿版本的各行（指标、加扣分项、等次、奖惩规则）
和考核对象、检查能否发布、发布、修订（复制为新草稿），以及方案列表和方案页面要读的数据。

A scheme is edited only through its draft version; a published version never changes. Every
edit of a version's rows is recorded in the change log of the version (the version is the
unit that is published), so the history survives removed rows. The rules live in
``rules``, the reads of the pages in ``reads``; both are re-exported here."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from houqin.appraisal.models import AppraisalScheme, GradeBand, SchemeVersion, SubjectKind
from houqin.appraisal.models.schemes import MANAGE
from houqin.appraisal.scheme_services.reads import (
    CompareRow,
    SchemePage,
    indicators_compare,
    scheme_filter_state,
    scheme_log,
    scheme_page,
    scheme_rows,
    subjects_of,
    version_loaded,
)
from houqin.appraisal.scheme_services.rules import (
    DRAFT,
    GRADE_LABELS,
    PUBLISHED,
    ROW_FIELDS,
    ROW_LABELS,
    ROW_MODELS,
    SUBJECT_FIELD,
    SUBJECT_NOUN,
    band_problems,
    num,
    row_problems,
    version_problems,
    weight_total,
)
from houqin.common.changelog import changelog_record, field_labels, snapshot
from houqin.common.models import ChangeLogEntry
from houqin.common.services import validate

__all__ = [
    "DRAFT",
    "PUBLISHED",
    "ROW_FIELDS",
    "ROW_LABELS",
    "ROW_MODELS",
    "SUBJECT_FIELD",
    "SUBJECT_NOUN",
    "CompareRow",
    "SchemePage",
    "band_problems",
    "indicators_compare",
    "num",
    "row_problems",
    "scheme_create",
    "scheme_filter_state",
    "scheme_log",
    "scheme_page",
    "scheme_rows",
    "subjects_of",
    "version_loaded",
    "version_problems",
    "version_publish",
    "version_revise",
    "version_row_remove",
    "version_row_save",
    "version_settings_save",
    "weight_total",
]


def _require(actor: Any) -> None:
    if not actor.has_perm(MANAGE):
        raise PermissionDenied


def _locked_draft(version: SchemeVersion) -> SchemeVersion:
    """The version locked for the edit; refused unless it is still a draft."""
    stored = SchemeVersion.objects.select_for_update().get(pk=version.pk)
    if stored.status != DRAFT:
        raise ValidationError(f"第{stored.seq}版已经发布，不能再修改；请先点“修订方案”生成新草稿。")
    return stored


@transaction.atomic
def scheme_create(
    *, organization: Any, actor: Any, name: str, subject_kind: str, description: str = ""
) -> AppraisalScheme:
    """新建考核方案，并建好第 1 版草稿（空的，之后在方案页面添加指标和等次再发布）。"""
    _require(actor)
    scheme = AppraisalScheme(
        organization=organization,
        name=name.strip(),
        subject_kind=subject_kind,
        description=description.strip(),
    )
    validate(scheme)
    scheme.save()
    changes = {k: [None, v] for k, v in snapshot(scheme).items() if v not in (None, "", "否")}
    changelog_record(obj=scheme, action=ChangeLogEntry.Action.CREATE, actor=actor, changes=changes)
    version = SchemeVersion.objects.create(organization=organization, scheme=scheme, seq=1)
    changelog_record(
        obj=version,
        action=ChangeLogEntry.Action.CREATE,
        actor=actor,
        changes={},
        note="新建方案的第1版草稿",
    )
    return scheme


def _shown(row: Any, name: str) -> Any:
    """A row's field as the change log shows it: labels for choices, 60 not 60.00."""
    value = getattr(row, name)
    if value is None or value == "":
        return None
    display = getattr(row, f"get_{name}_display", None)
    if callable(display):
        return str(display())
    return num(value) if isinstance(value, Decimal) else value


def _row_changes(kind: str, row: Any, stored: Any) -> dict[str, list[Any]]:
    """The row's changed fields, named “指标“检查合格率”·权重（分）” on the version's log
    (``stored``: the row before the change, None for a new one; removed: ``row`` None)."""
    either = row if row is not None else stored
    labels = field_labels(type(either))
    changes = {}
    for name in ROW_FIELDS[kind]:
        old = None if stored is None else getattr(stored, name)
        new = None if row is None else getattr(row, name)
        if old != new:
            pair = [
                None if stored is None else _shown(stored, name),
                None if row is None else _shown(row, name),
            ]
            if pair[0] != pair[1]:
                changes[f"{ROW_LABELS[kind]}“{either}”·{labels[name]}"] = pair
    return changes


@transaction.atomic
def version_row_save(
    *,
    version: SchemeVersion,
    kind: str,
    actor: Any,
    data: dict[str, Any],
    row: Any = None,
) -> Any:
    """添加或修改草稿版本的一行（kind：indicator 指标 / adjustment 加扣分项 / band 等次 /
    rule 奖惩规则）。只有草稿能改；每行自身的规则（扣分制要有每次扣分、人工评分配人工录入等）
    不满足时整行不保存，错误写在对应的字段上。记入版本的变更日志。"""
    _require(actor)
    model = ROW_MODELS[kind]
    unknown = set(data) - set(ROW_FIELDS[kind])
    if unknown:
        raise ValidationError(f"不能修改这些字段：{'、'.join(sorted(unknown))}。")
    version = _locked_draft(version)
    if row is None:
        row = model(organization_id=version.organization_id, version=version)
        if kind in ("indicator", "adjustment"):
            top = model._default_manager.filter(version=version).aggregate(top=Max("seq"))["top"]
            row.seq = (top or 0) + 1
        stored = None
    else:
        if row.version_id != version.pk:
            raise ValidationError("这一行不属于这个版本，请刷新页面后重试。")
        stored = model._default_manager.get(pk=row.pk)
    for name, value in data.items():
        setattr(row, name, value)
    problems: dict[str, str] = row_problems(kind, row)
    if kind == "band":
        taken = GradeBand.objects.filter(version=version, grade=row.grade).exclude(pk=row.pk)
        if taken.exists():
            problems["grade"] = f"等次“{GRADE_LABELS[row.grade]}”已经设定过，请修改原来那一行。"
    if problems:
        raise ValidationError({name: [text] for name, text in problems.items()})
    validate(row)
    row.save()
    changelog_record(
        obj=version,
        action=ChangeLogEntry.Action.UPDATE,
        actor=actor,
        changes=_row_changes(kind, row, stored),
        note=f"{'修改' if stored is not None else '添加'}{ROW_LABELS[kind]}“{row}”",
    )
    return row


@transaction.atomic
def version_row_remove(*, version: SchemeVersion, kind: str, row: Any, actor: Any) -> None:
    """删除草稿版本的一行，记入版本的变更日志（删除前的值）。已发布的版本不能改。"""
    _require(actor)
    version = _locked_draft(version)
    if row.version_id != version.pk:
        raise ValidationError("这一行不属于这个版本，请刷新页面后重试。")
    changes = _row_changes(kind, None, row)
    note = f"删除{ROW_LABELS[kind]}“{row}”"
    row.delete()
    changelog_record(
        obj=version, action=ChangeLogEntry.Action.UPDATE, actor=actor, changes=changes, note=note
    )


@transaction.atomic
def version_settings_save(
    *, version: SchemeVersion, actor: Any, grading: str, note: str, subjects: list[Any]
) -> SchemeVersion:
    """保存草稿版本的评定方式、修订说明和考核对象（方案所考核类型的科室 / 班组 / 服务合同 /
    岗位，不选即该类型的全部），记入版本的变更日志。"""
    _require(actor)
    version = _locked_draft(version)
    relation = getattr(version, SUBJECT_FIELD[SubjectKind(version.scheme.subject_kind)])
    wrong = [s for s in subjects if s.organization_id != version.organization_id]
    if wrong or any(type(s) is not relation.model for s in subjects):
        raise ValidationError("所选考核对象不属于本单位或类型不对，请刷新页面后重新选择。")
    before = snapshot(version)
    old_subjects = sorted(str(s) for s in relation.all())
    version.grading = grading
    version.note = note.strip()
    validate(version)
    version.save(update_fields=["grading", "note", "updated_at"])
    relation.set(subjects)
    changes = {
        key: pair
        for key, pair in (
            ("grading", [before["grading"], snapshot(version)["grading"]]),
            ("note", [before["note"], version.note]),
        )
        if pair[0] != pair[1]
    }
    new_subjects = sorted(str(s) for s in subjects)
    if new_subjects != old_subjects:
        changes["考核对象"] = ["、".join(old_subjects) or "全部", "、".join(new_subjects) or "全部"]
    if changes:
        changelog_record(
            obj=version,
            action=ChangeLogEntry.Action.UPDATE,
            actor=actor,
            changes=changes,
            note="修改考核对象和评定方式",
        )
    return version


@transaction.atomic
def version_publish(
    *, version: SchemeVersion, actor: Any, now: datetime | None = None
) -> SchemeVersion:
    """发布草稿版本：有 version_problems 列出的问题时拒绝并给出全部原因；比较并设置状态
    （草稿 → 已发布），记下发布人和时间，记变更日志。发布后本版本不再改变，之后新建的
    考核周期按它计分。"""
    _require(actor)
    stored = SchemeVersion.objects.select_for_update().get(pk=version.pk)
    if stored.status != DRAFT:
        raise ValidationError(f"第{stored.seq}版已经发布过了。")
    problems = version_problems(stored)
    if problems:
        raise ValidationError(problems)
    moment = now or timezone.now()
    changed = SchemeVersion.objects.filter(pk=stored.pk, status=DRAFT).update(
        status=PUBLISHED, published_at=moment, published_by=actor, updated_at=moment
    )
    if not changed:
        raise ValidationError("版本状态已被他人修改，请刷新页面后重试。")
    stored.refresh_from_db()
    changelog_record(
        obj=stored,
        action=ChangeLogEntry.Action.TRANSITION,
        actor=actor,
        changes={"status": ["草稿", "已发布"]},
        note=f"发布第{stored.seq}版",
    )
    return stored


def _copy_rows(source: SchemeVersion, target: SchemeVersion) -> None:
    for kind, model in ROW_MODELS.items():
        fields = ROW_FIELDS[kind] + (("seq",) if kind in ("indicator", "adjustment") else ())
        model._default_manager.bulk_create(
            model(
                organization_id=target.organization_id,
                version=target,
                **{name: getattr(row, name) for name in fields},
            )
            for row in model._default_manager.filter(version=source).order_by("pk")
        )
    for relation in SUBJECT_FIELD.values():
        getattr(target, relation).set(getattr(source, relation).all())


@transaction.atomic
def version_revise(*, scheme: AppraisalScheme, actor: Any, note: str = "") -> SchemeVersion:
    """修订方案：把最新发布的版本（连同考核对象、指标、加扣分项、等次和奖惩规则）复制为新的
    草稿版本。已有草稿时拒绝（先编辑或发布那份草稿）。原版本和按它计分的周期不受影响。"""
    _require(actor)
    scheme = AppraisalScheme.objects.select_for_update().get(pk=scheme.pk)
    versions = SchemeVersion.objects.filter(scheme=scheme)
    draft = versions.filter(status=DRAFT).first()
    if draft is not None:
        raise ValidationError(f"第{draft.seq}版草稿还没有发布，请在草稿中修改，不用再新建。")
    current = versions.filter(status=PUBLISHED).order_by("-seq").first()
    if current is None:
        raise ValidationError("这个方案还没有发布过的版本，请先编辑并发布第1版。")
    top = versions.aggregate(top=Max("seq"))["top"] or 0
    revised = SchemeVersion.objects.create(
        organization_id=scheme.organization_id,
        scheme=scheme,
        seq=top + 1,
        grading=current.grading,
        note=note.strip()[:200],
    )
    _copy_rows(current, revised)
    changelog_record(
        obj=revised,
        action=ChangeLogEntry.Action.CREATE,
        actor=actor,
        changes={},
        note=f"由第{current.seq}版修订，复制为第{revised.seq}版草稿",
    )
    return revised
