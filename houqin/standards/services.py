"""Writes of the standard system and of standards: nodes (template, rename, reorder,
retire), standards (propose, adopt, edit, lines, posts), versions (first draft, revision
draft, publish). Lifecycle steps with their own rules live in ``lifecycle.py``; clause edits
in ``clauses.py``."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from houqin.common.changelog import changelog_record, diff, snapshot
from houqin.common.models import ChangeLogEntry
from houqin.common.services import record_create, record_delete, record_update, validate
from houqin.standards.clauses import version_copy
from houqin.standards.models import (
    IN_FORCE_STATES,
    PlanItem,
    Standard,
    StandardLine,
    StandardNode,
    StandardPlan,
    StandardSettings,
    StandardVersion,
)
from houqin.standards.numbers import normalized, number_error


def settings_for(organization: Any) -> StandardSettings:
    return StandardSettings.objects.get_or_create(organization=organization)[0]


# ---- the system tree ---------------------------------------------------------------------


@transaction.atomic
def system_template_create(*, organization: Any, actor: Any) -> int:
    """Give an organization the GB/T 24421 system tree (only when it has no node yet);
    each node created is recorded in the change log. Returns how many nodes were made (0
    when the organization already has a tree: calling it twice changes nothing)."""
    from houqin.standards.system_template import TREE

    if StandardNode.objects.filter(organization=organization).exists():
        return 0
    count = 0

    def add(entries: Any, parent: StandardNode | None) -> None:
        nonlocal count
        for code, name, children in entries:
            instance = StandardNode(organization=organization, code=code, name=name)
            node = (
                StandardNode.objects.add_child(parent, instance=instance)
                if parent
                else StandardNode.objects.add_root(instance=instance)
            )
            changelog_record(
                obj=node,
                action=ChangeLogEntry.Action.CREATE,
                actor=actor,
                changes={"code": [None, node.code], "name": [None, node.name]},
                note="按 GB/T 24421 模板创建",
            )
            count += 1
            add(children, node)

    add(TREE, None)
    return count


@transaction.atomic
def node_add(*, organization: Any, actor: Any, parent: StandardNode | None, data: dict) -> Any:
    """Add a node under ``parent`` (None: a new top-level node), last among its siblings.
    The parent must be the organization's and in use; the code is unique in the
    organization."""
    if parent is not None and parent.organization_id != organization.pk:
        raise ValidationError("上级节点不属于本单位。")
    if parent is not None and parent.retired:
        raise ValidationError("停用的节点下不能再加节点。")
    node = StandardNode(organization=organization, **data)
    node.path, node.depth = "0" * StandardNode.steplen, 1  # placeholders for validation
    validate(node)
    if parent is not None:
        parent.refresh_from_db()  # numchild and path may have changed since it was read
    node = (
        StandardNode.objects.add_child(parent, instance=node)
        if parent
        else StandardNode.objects.add_root(instance=node)
    )
    changelog_record(
        obj=node,
        action=ChangeLogEntry.Action.CREATE,
        actor=actor,
        changes={"code": [None, node.code], "name": [None, node.name]},
        note=f"上级节点：{parent}" if parent else "顶层节点",
    )
    return node


def node_update(*, node: StandardNode, actor: Any, data: dict) -> StandardNode:
    """Rename a node: its code (unique in the organization), name and description."""
    allowed = {"code", "name", "description"}
    return record_update(
        obj=node, actor=actor, data={k: v for k, v in data.items() if k in allowed}
    )


def node_siblings(node: StandardNode) -> Any:
    """The node's siblings in the same organization, the node included, in tree order (the
    top-level nodes of every organization share one level of the tree)."""
    return StandardNode.objects.get_siblings(node).filter(organization_id=node.organization_id)


@transaction.atomic
def node_move(*, node: StandardNode, actor: Any, direction: str) -> StandardNode:
    """Move a node (with its branch) before its previous sibling or after its next one."""
    if direction not in ("up", "down"):
        raise ValidationError("没有这个操作。")
    node.refresh_from_db()
    siblings = node_siblings(node)
    if direction == "up":
        other = siblings.filter(path__lt=node.path).last()
        position = "left"
    else:
        other = siblings.filter(path__gt=node.path).first()
        position = "right"
    if other is None:
        raise ValidationError("已经在最前面了。" if direction == "up" else "已经在最后面了。")
    StandardNode.objects.move(node, other, position)
    node.refresh_from_db()
    where = f"上移到“{other.name}”之前" if direction == "up" else f"下移到“{other.name}”之后"
    changelog_record(
        obj=node, action=ChangeLogEntry.Action.UPDATE, actor=actor, changes={"顺序": ["", where]}
    )
    return node


def _branch(node: StandardNode) -> Any:
    return StandardNode.objects.filter(
        organization_id=node.organization_id, path__startswith=node.path
    )


@transaction.atomic
def node_retire(*, node: StandardNode, actor: Any) -> StandardNode:
    """Retire a node and its branch. Refused while a standard in force sits in the branch."""
    node.refresh_from_db()
    if node.retired:
        raise ValidationError(f"“{node.name}”已经停用。")
    branch = _branch(node)
    in_force = Standard.objects.filter(node__in=branch, status__in=IN_FORCE_STATES).order_by(
        "node__path", "number"
    )
    found = list(in_force[:4])
    if found:
        total = in_force.count() if len(found) > 3 else len(found)
        names = "、".join(str(s) for s in found[:3]) + ("等" if total > 3 else "")
        raise ValidationError(
            f"“{node.name}”下还有{total}项现行标准（{names}），"
            "请先把它们移到其他节点或废止后再停用。"
        )
    for each in branch:
        if not each.retired:
            record_update(obj=each, actor=actor, data={"retired": True})
    node.refresh_from_db()
    return node


@transaction.atomic
def node_restore(*, node: StandardNode, actor: Any) -> StandardNode:
    """Put a retired node and its branch back in use; its parent must be in use."""
    node.refresh_from_db()
    parent = StandardNode.objects.get_parent(node)
    if parent is not None and parent.retired:
        raise ValidationError(f"上级节点“{parent.name}”已停用，请先恢复上级节点。")
    if not node.retired:
        raise ValidationError(f"“{node.name}”没有停用。")
    for each in _branch(node):
        if each.retired:
            record_update(obj=each, actor=actor, data={"retired": False})
    node.refresh_from_db()
    return node


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
    StandardVersion.objects.filter(pk=version.pk).update(
        published_at=timezone.now(), number=standard.number
    )
    version.refresh_from_db()
    from houqin.standards.search import search_index_standard  # search imports services

    search_index_standard(standard)  # the index changes with the standard, same transaction
    return version


def can_edit_text(user: Any, standard: Standard) -> bool:
    """A draft's text may be edited while drafting or revising, by someone with the drafting
    permission who runs standards (manage) or heads the owning department."""
    if standard.status not in (Standard.Status.DRAFTING, Standard.Status.REVISING):
        return False
    if not user.has_perm("standards.draft_standard"):
        return False
    return user.has_perm("standards.manage_standard") or (
        standard.owner_department_id is not None
        and standard.owner_department_id == getattr(user, "department_id", None)
    )


# ---- plan ----


def _plan_default_title(year: int) -> str:
    return f"{year}年度标准制修订计划"


def _check_plan(organization: Any, data: dict[str, Any], plan: StandardPlan | None) -> None:
    year = data.get("year")
    if year is None:
        return
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": "请填写四位年份，如 2026。"})
    clash = StandardPlan.objects.filter(organization=organization, year=year)
    if plan is not None:
        clash = clash.exclude(pk=plan.pk)
    if clash.exists():
        raise ValidationError({"year": f"{year}年度的标准制修订计划已经有了，请打开它修改。"})


@transaction.atomic
def plan_create(*, organization: Any, actor: Any, data: dict[str, Any]) -> StandardPlan:
    """新建年度标准制修订计划：每个单位每年一份；未填名称时用“YYYY年度标准制修订计划”。"""
    data = {**data}
    _check_plan(organization, data, None)
    if not (data.get("title") or "").strip() and data.get("year"):
        data["title"] = _plan_default_title(data["year"])
    return record_create(model=StandardPlan, actor=actor, organization=organization, data=data)


@transaction.atomic
def plan_update(*, plan: StandardPlan, actor: Any, data: dict[str, Any]) -> StandardPlan:
    """修改计划的年度、名称和说明（年度仍须每单位唯一）。"""
    data = {k: v for k, v in data.items() if k in ("year", "title", "note")}
    _check_plan(plan.organization, data, plan)
    if "title" in data and not (data["title"] or "").strip():
        data["title"] = _plan_default_title(data.get("year") or plan.year)
    return record_update(obj=plan, actor=actor, data=data)


@transaction.atomic
def plan_delete(*, plan: StandardPlan, actor: Any) -> None:
    """删除计划：只有没有计划项的计划可以删除，免得误删整年的安排。"""
    count = PlanItem.objects.filter(plan=plan).count()
    if count:
        raise ValidationError(f"“{plan}”还有{count}个计划项，请先删除计划项再删除计划。")
    record_delete(obj=plan, actor=actor)


PLAN_ITEM_FIELDS = (
    "action",
    "title",
    "standard",
    "node",
    "owner_department",
    "starts_on",
    "due_on",
)


def _check_plan_item(
    organization: Any, data: dict[str, Any], item: PlanItem | None
) -> dict[str, Any]:
    """The item's data checked against the plan rules, with the title taken from the linked
    standard when it was left blank."""
    data = {k: v for k, v in data.items() if k in PLAN_ITEM_FIELDS}
    merged = {f: data.get(f, getattr(item, f, None)) for f in PLAN_ITEM_FIELDS}
    errors: dict[str, str] = {}
    node, department, standard = merged["node"], merged["owner_department"], merged["standard"]
    if node is not None and node.organization_id != organization.pk:
        errors["node"] = "体系节点不属于本单位。"
    elif node is not None and node.retired and (item is None or item.node_id != node.pk):
        errors["node"] = f"“{node.name}”已停用，请选择其他节点。"
    if department is not None and department.organization_id != organization.pk:
        errors["owner_department"] = "负责科室不属于本单位。"
    if standard is not None and standard.organization_id != organization.pk:
        errors["standard"] = "关联标准不属于本单位。"
    action = merged["action"]
    if action in (PlanItem.Action.REVISE, PlanItem.Action.WITHDRAW) and "standard" not in errors:
        verb = "修订" if action == PlanItem.Action.REVISE else "废止"
        if standard is None:
            errors["standard"] = f"{verb}计划项请选择要{verb}的标准。"
        elif standard.status == Standard.Status.WITHDRAWN and (
            item is None or item.standard_id != standard.pk or item.action != action
        ):
            errors["standard"] = f"“{standard}”已经废止，不能再{verb}。"
    if not (merged["title"] or "").strip():
        if standard is not None and "standard" not in errors:
            data["title"] = standard.title
        else:
            errors["title"] = "请填写标准名称，或选择关联标准。"
    starts_on, due_on = merged["starts_on"], merged["due_on"]
    if starts_on and due_on and due_on < starts_on:
        errors["due_on"] = "完成日期不能早于开始日期。"
    if errors:
        raise ValidationError(errors)
    return data


@transaction.atomic
def plan_item_add(*, plan: StandardPlan, actor: Any, data: dict[str, Any]) -> PlanItem:
    """在计划中加一项（制定 / 修订 / 废止）：节点、科室、标准须属本单位，节点未停用；修订和
    废止须关联标准；完成日期不早于开始日期；记变更日志。"""
    data = _check_plan_item(plan.organization, data, None)
    return record_create(
        model=PlanItem, actor=actor, organization=plan.organization, data={**data, "plan": plan}
    )


@transaction.atomic
def plan_item_update(*, item: PlanItem, actor: Any, data: dict[str, Any]) -> PlanItem:
    """修改计划项，规则同新增。"""
    data = _check_plan_item(item.organization, data, item)
    return record_update(obj=item, actor=actor, data=data)


@transaction.atomic
def plan_item_delete(*, item: PlanItem, actor: Any) -> None:
    """删除计划项（记变更日志）。"""
    record_delete(obj=item, actor=actor)
