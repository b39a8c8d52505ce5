"""Standards: propose, adopt (external standards with their PDF), edit, delete; numbers,
dates, lines, posts and replaced-by links are checked here."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from houqin.common.changelog import changelog_record, diff, snapshot
from houqin.common.models import ChangeLogEntry
from houqin.common.services import record_delete, validate
from houqin.standards.models import (
    Standard,
    StandardLine,
    StandardNode,
)
from houqin.standards.numbers import normalized, number_error
from houqin.standards.services.system import settings_for

# ---- standards ---------------------------------------------------------------------------


def _checked_number(organization: Any, number: str, level: str) -> str:
    """The number normalized, or a ValidationError saying which format it must follow."""
    if not number:
        return ""
    number = normalized(number)
    message = number_error(number, level, settings_for(organization).internal_prefix)
    if message:
        raise ValidationError({"number": message})
    return number


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _check_node(node: StandardNode | None, organization: Any) -> None:
    if node is not None and node.organization_id != organization.pk:
        raise ValidationError({"node": "体系节点不属于本单位。"})
    if node is not None and node.retired:
        raise ValidationError({"node": f"“{node.name}”已停用，请选择其他节点。"})


def lines_set(*, standard: Standard, lines: list[str]) -> None:
    """Replace the service lines a standard governs."""
    standard.lines.exclude(line__in=lines).delete()
    have = set(standard.lines.values_list("line", flat=True))
    StandardLine.objects.bulk_create(
        [StandardLine(standard=standard, line=line) for line in lines if line not in have]
    )


def _check_unique_number(organization: Any, number: str, standard: Standard | None) -> None:
    """A number is used once per organization (the message goes on the number field)."""
    if not number:
        return
    clash = Standard.objects.filter(organization=organization, number=number)
    if standard is not None:
        clash = clash.exclude(pk=standard.pk)
    if clash.exists():
        raise ValidationError({"number": f"标准编号“{number}”已被使用，请换一个。"})


def _check_relations(
    organization: Any, posts: Any, replaces: Any, standard: Standard | None = None
) -> None:
    """Posts and replaced standards belong to the organization; a standard never replaces
    itself."""
    if any(post.organization_id != organization.pk for post in posts or ()):
        raise ValidationError({"posts": "岗位不属于本单位。"})
    for other in replaces or ():
        if other.organization_id != organization.pk:
            raise ValidationError({"replaces": "代替的标准不属于本单位。"})
        if standard is not None and other.pk == standard.pk:
            raise ValidationError({"replaces": "标准不能代替它自己。"})


def _check_dates(published_on: date | None, effective_on: date | None) -> None:
    if published_on and effective_on and effective_on < published_on:
        raise ValidationError({"effective_on": "实施日期不能早于发布日期。"})


def _relations(standard: Standard) -> dict[str, str]:
    """The service lines, posts and replaced standards as text, for the change log (read
    afresh: a prefetched cache may be stale after ``lines_set``)."""
    from houqin.org.models import Post, ServiceLine

    lines = set(StandardLine.objects.filter(standard=standard).values_list("line", flat=True))
    posts = Post.objects.filter(standards=standard).order_by("code").values_list("name", flat=True)
    replaces = Standard.objects.filter(replaced_by=standard).order_by("number", "pk")
    return {
        "适用条线": "、".join(label for value, label in ServiceLine.choices if value in lines),
        "适用岗位": "、".join(posts),
        "代替标准": "、".join(str(s) for s in replaces),
    }


def _standard_create(
    *,
    organization: Any,
    actor: Any,
    data: dict[str, Any],
    lines: list[str],
    posts: list[Any],
    replaces: list[Any],
    note: str,
) -> Standard:
    """Save a new standard with its lines, posts and replaced standards, and record all of
    it in one change-log entry."""
    standard = Standard(organization=organization, **data)
    validate(standard)
    standard.save()
    lines_set(standard=standard, lines=list(lines))
    standard.posts.set(posts)
    standard.replaces.set(replaces)
    after = {**snapshot(standard), **_relations(standard)}
    changelog_record(
        obj=standard,
        action=ChangeLogEntry.Action.CREATE,
        actor=actor,
        changes={k: [None, v] for k, v in after.items() if v not in (None, "")},
        note=note,
    )
    return standard


@transaction.atomic
def standard_propose(
    *,
    organization: Any,
    actor: Any,
    data: dict[str, Any],
    lines: list[str] = (),  # type: ignore[assignment]
    posts: list[Any] = (),  # type: ignore[assignment]
) -> Standard:
    """立项: a new internal standard (or a revision of an external one adopted as internal
    text) starts as a proposal with reason, scope, owner and due date. ``data`` may name
    the standards it replaces (``replaces``); a proposed number is checked against its
    level's format and must be unused in the organization."""
    data = {
        **data,
        "level": data.get("level") or Standard.Level.INTERNAL,
        "issuing_body": data.get("issuing_body") or organization.name,
        "review_years": data.get("review_years") or settings_for(organization).review_years,
        "status": Standard.Status.PROPOSED,
    }
    replaces = list(data.pop("replaces", None) or ())
    if not (data.get("reason") or "").strip():
        raise ValidationError({"reason": "请填写立项理由。"})
    _check_node(data.get("node"), organization)
    _check_relations(organization, posts, replaces)
    data["number"] = _checked_number(organization, data.get("number") or "", data["level"])
    _check_unique_number(organization, data["number"], None)
    return _standard_create(
        organization=organization,
        actor=actor,
        data=data,
        lines=list(lines),
        posts=list(posts),
        replaces=replaces,
        note="立项",
    )


@transaction.atomic
def standard_adopt(
    *,
    organization: Any,
    actor: Any,
    data: dict[str, Any],
    lines: list[str] = (),  # type: ignore[assignment]
    posts: list[Any] = (),  # type: ignore[assignment]
    pdf: Any = None,
) -> Standard:
    """Record an external standard the center applies (level ≠ internal): metadata only,
    in force from its date; its PDF (``pdf``, checked by content: a PDF only) becomes an
    attachment in the same transaction, its clauses may be entered later. The number is
    required, fits its level's format and is unused in the organization."""
    data = {**data, "status": Standard.Status.IN_FORCE}
    replaces = list(data.pop("replaces", None) or ())
    if data.get("level") in (None, "", Standard.Level.INTERNAL):
        raise ValidationError({"level": "采用的外部标准请选择国家、行业、地方或团体层级。"})
    if not data.get("number"):
        raise ValidationError({"number": "请填写标准编号。"})
    _check_node(data.get("node"), organization)
    _check_relations(organization, posts, replaces)
    _check_dates(data.get("published_on"), data.get("effective_on"))
    data["number"] = _checked_number(organization, data["number"], data["level"])
    _check_unique_number(organization, data["number"], None)
    data.setdefault("review_years", settings_for(organization).review_years)
    standard = _standard_create(
        organization=organization,
        actor=actor,
        data=data,
        lines=list(lines),
        posts=list(posts),
        replaces=replaces,
        note="登记采用的外部标准",
    )
    if pdf is not None:
        _pdf_attach(standard=standard, upload=pdf, actor=actor)
    from houqin.standards.search import search_index_standard  # search imports services

    search_index_standard(standard)  # the index changes with the standard, same transaction
    return standard


def _pdf_attach(*, standard: Standard, upload: Any, actor: Any) -> None:
    """Attach the text of an adopted standard: a PDF, or a field error on ``pdf``."""
    from houqin.common.attachments import attachment_add, attachment_check_type
    from houqin.common.models import Attachment

    try:
        kind = attachment_check_type(upload).kind
    except ValidationError:
        kind = ""
    if kind != Attachment.Kind.PDF:
        raise ValidationError({"pdf": "只能上传 PDF 文件，这个文件不是 PDF。"})
    try:
        attachment_add(obj=standard, upload=upload, actor=actor, caption="标准文本")
    except ValidationError as error:
        raise ValidationError({"pdf": error.messages}) from error


@transaction.atomic
def standard_update(
    *,
    standard: Standard,
    actor: Any,
    data: dict[str, Any],
    lines: list[str] | None = None,
    posts: list[Any] | None = None,
) -> Standard:
    """Edit a standard's metadata (``data`` may hold ``replaces``). Refused in review,
    published and withdrawn; a published number cannot change; after the proposal a
    standard cannot switch between internal and external. Field and relation changes are
    recorded in one change-log entry."""
    stored = Standard.objects.select_for_update().get(pk=standard.pk)  # a form may have
    if stored.status not in Standard.editable_states:  # changed ``standard`` already
        raise ValidationError(f"标准处于“{stored.get_status_display()}”阶段，不能修改。")
    if "status" in data:
        raise ValidationError("状态只能通过流程操作修改。")
    data = {**data}
    replaces = data.pop("replaces", None)
    organization = stored.organization
    level = data.get("level", stored.level)
    if (
        level != stored.level
        and stored.status != Standard.Status.PROPOSED
        and Standard.Level.INTERNAL in (level, stored.level)
    ):
        raise ValidationError({"level": "立项以后不能在内部标准和外部标准之间切换。"})
    renumbered = "number" in data and normalized(data["number"] or "") != stored.number
    if renumbered and not stored.is_adopted and stored.versions.published().exists():
        raise ValidationError({"number": "标准已发布，编号不能修改；修订后发布新编号。"})
    node = data.get("node")
    if node is not None and node.pk != stored.node_id:
        _check_node(node, organization)
    _check_relations(organization, posts, replaces, stored)
    _check_dates(
        data.get("published_on", stored.published_on),
        data.get("effective_on", stored.effective_on),
    )
    if "number" in data:
        data["number"] = _checked_number(organization, data["number"] or "", level)
        _check_unique_number(organization, data["number"], stored)
    before = {**snapshot(stored), **_relations(stored)}
    standard.status = stored.status  # never write back a state a transition has left
    for name, value in data.items():
        setattr(standard, name, value)
    validate(standard)
    standard.save()
    if lines is not None:
        lines_set(standard=standard, lines=lines)
    if posts is not None:
        standard.posts.set(posts)
    if replaces is not None:
        standard.replaces.set(replaces)
    changes = diff(before, {**snapshot(standard), **_relations(standard)})
    if changes:
        changelog_record(
            obj=standard, action=ChangeLogEntry.Action.UPDATE, actor=actor, changes=changes
        )
    from houqin.standards.search import search_index_standard  # search imports services

    search_index_standard(standard)  # the index changes with the standard, same transaction
    return standard


@transaction.atomic
def standard_delete(*, standard: Standard, actor: Any) -> None:
    """删除误建的立项：只有“立项”阶段、还没有任何版本的标准可以删除；其他标准不删除，
    不再适用时走“废止”。记变更日志。"""
    current = Standard.objects.select_for_update().get(pk=standard.pk)
    if current.status != Standard.Status.PROPOSED:
        raise ValidationError(
            f"标准处于“{current.get_status_display()}”阶段，不能删除；不再需要的标准请废止。"
        )
    if current.versions.exists():
        raise ValidationError("这项立项已经有了草案，不能删除；不再需要时请不予立项或废止。")
    record_delete(obj=current, actor=actor)
