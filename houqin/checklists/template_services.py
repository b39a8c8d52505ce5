"""The template pages' writes: a template's own fields, the order of its items, their
pictures, and the clause citations that follow new versions of the standards they cite
(re-exported by ``services``)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse

from houqin.checklists.models import Answer, ChecklistItem, ChecklistTemplate
from houqin.checklists.selectors import cite_label, version_cites
from houqin.checklists.services import _bump, item_update
from houqin.common.changelog import changelog_record
from houqin.common.models import Attachment, ChangeLogEntry
from houqin.common.notifications import NOTIFICATION_KINDS, notify
from houqin.common.services import record_update
from houqin.standards.models import Clause, Standard

# ---- template pages: the template's own fields, order, pictures, clause citations ---------

NOTICE_KIND = "checklist"
NOTIFICATION_KINDS.setdefault(NOTICE_KIND, "检查表")
TEMPLATE_FIELDS = frozenset(
    {
        "name",
        "description",
        "kind",
        "service_line",
        "department",
        "owner",
        "scoring",
        "pass_mark",
        "active",
    }
)


@transaction.atomic
def template_update(
    *, template: ChecklistTemplate, actor: Any, data: dict[str, Any]
) -> ChecklistTemplate:
    """修改检查表本身（名称、类型、负责人、计分方法……），检查项逐项修改。计分方法或合格线
    变了，修订次数加一：之后开始的记录按新办法计分，已有记录不变。"""
    unknown = set(data) - TEMPLATE_FIELDS
    if unknown:
        raise ValidationError(f"不能修改这些字段：{'、'.join(sorted(unknown))}。")
    stored = ChecklistTemplate.objects.get(pk=template.pk)
    template = record_update(obj=template, actor=actor, data=data)
    if (stored.scoring, stored.pass_mark) != (template.scoring, template.pass_mark):
        ChecklistTemplate.objects.filter(pk=template.pk).update(revision=F("revision") + 1)
        template.refresh_from_db(fields=["revision"])
    return template


def _pictures_follow(old_pk: int, new_pk: int) -> None:
    """The pictures of an item ("what good looks like") move to the row that replaced it."""
    if old_pk != new_pk:
        Attachment.objects.filter(
            content_type=ContentType.objects.get_for_model(ChecklistItem), object_id=str(old_pk)
        ).update(object_id=str(new_pk))


@transaction.atomic
def item_change(*, item: ChecklistItem, actor: Any, data: dict[str, Any]) -> ChecklistItem:
    """修改检查项（见 item_update：被记录用过的行保留给记录，由新行承接修改）；检查项的
    图片（合格样例）随检查项转到新行。"""
    old_pk = item.pk
    item = item_update(item=item, actor=actor, data=data)
    _pictures_follow(old_pk, item.pk)
    return item


@transaction.atomic
def item_move(*, item: ChecklistItem, actor: Any, direction: str) -> ChecklistItem:
    """把检查项上移或下移一位（与相邻的现行检查项交换顺序）；已有记录的顺序不变。"""
    if direction not in ("up", "down"):
        raise ValidationError("只能上移或下移。")
    template = item.template
    rows = list(template.items.select_for_update().filter(current=True).order_by("position", "pk"))
    index = next((i for i, row in enumerate(rows) if row.pk == item.pk), None)
    if index is None:
        raise ValidationError("这个检查项已被修改过，请刷新页面后再调整顺序。")
    target = index - 1 if direction == "up" else index + 1
    if not 0 <= target < len(rows):
        raise ValidationError("已经在最前面了。" if direction == "up" else "已经在最后面了。")
    rows[index], rows[target] = rows[target], rows[index]
    moved = []
    for position, row in enumerate(rows):
        if row.position != position:
            row.position = position
            moved.append(row)
    ChecklistItem.objects.bulk_update(moved, ["position"])
    item.position = target
    _bump(template, actor, f"“{item.text}”{'上移' if direction == 'up' else '下移'}一位")
    return item


def _newest_version_id(standard_id: int | None) -> int | None:
    if standard_id is None:
        return None
    return (
        Standard.objects.get(pk=standard_id)
        .versions.filter(published_at__isnull=False)
        .order_by("-seq")
        .values_list("pk", flat=True)
        .first()
    )


def _rewrite(item: ChecklistItem, used: bool, changes: dict[str, Any]) -> ChecklistItem:
    """Change an item's citation; a row a record used is retired and a successor (same key,
    same place, its pictures) carries the change, so the record keeps the clause it cited."""
    for name, value in changes.items():
        setattr(item, name, value)
    if not used:
        item.save(update_fields=[*changes, "updated_at"])
        return item
    old_pk = item.pk
    ChecklistItem.objects.filter(pk=old_pk).update(current=False)
    item.pk = None
    item._state.adding = True
    item.save()
    _pictures_follow(old_pk, item.pk)
    return item


def _cite_log(template: ChecklistTemplate, actor: Any, what: str, bump: bool) -> None:
    if bump:
        ChecklistTemplate.objects.filter(pk=template.pk).update(revision=F("revision") + 1)
        template.revision += 1
    changelog_record(
        obj=template,
        action=ChangeLogEntry.Action.UPDATE,
        actor=actor,
        changes={"依据条款": ["", what]},
    )


@transaction.atomic
def citation_reviewed(*, item: ChecklistItem, actor: Any) -> ChecklistItem:
    """复核依据条款的变化后清除“条款已变化”标记（检查内容需要改的，另行修改检查项）。
    条款在新版本中已删除的，检查项不再引用它。记在检查表的变更记录中。"""
    stored = ChecklistItem.objects.select_for_update().select_related("template").get(pk=item.pk)
    if not stored.current:
        raise ValidationError("这个检查项已被修改过，请刷新页面后再复核。")
    if not stored.clause_changed:
        raise ValidationError("这个检查项的依据条款没有需要复核的变化。")
    note = stored.clause_changed
    changes: dict[str, Any] = {"clause_changed": ""}
    gone = stored.clause_id is not None and (
        stored.clause.version_id != _newest_version_id(stored.standard_id)  # type: ignore[union-attr]
    )
    if gone:
        changes.update(standard=None, clause=None, clause_uid=None)
    used = gone and Answer.objects.filter(item_id=stored.pk).exists()
    fresh = _rewrite(stored, used, changes)
    what = f"“{fresh.text}”：{note}，已复核" + ("，不再引用该条款" if gone else "")
    _cite_log(fresh.template, actor, what, bump=used)
    return fresh


@dataclass(frozen=True)
class CitationReview:
    """What one review of a standard's citations found: items whose clause is unchanged
    (moved to the new text quietly), changed (moved and marked), or deleted (marked)."""

    seq: int | None = None
    kept: int = 0
    changed: int = 0
    removed: int = 0


@transaction.atomic
def citations_review(*, standard: Standard) -> CitationReview:
    """标准发布新版本后，核对引用其条款的现行检查项（按条款标识在最新发布版本中查找）：
    条款未变的，改为引用新版本的条款；内容有修改的，改为引用新条款并标记“第X条在第N版中有
    修改”；已删除的，标记“第X条在第N版中已删除”。被记录用过的检查项由新行承接（记录保留
    当时的条款）。每张受影响的检查表记一条变更记录；有新标记的，通知检查表负责人。重复执行
    不会重复标记或通知。"""
    version = standard.versions.filter(published_at__isnull=False).order_by("-seq").first()
    if version is None:
        return CitationReview()
    items = list(
        ChecklistItem.objects.select_for_update(of=("self",))
        .filter(standard=standard, current=True, clause__isnull=False)
        .exclude(clause__version=version)
        .select_related("clause", "template__owner")
        .order_by("template_id", "position", "pk")
    )
    if not items:
        return CitationReview(version.seq)
    newest = {
        clause.uid: clause
        for clause in Clause.objects.filter(version=version, uid__in={i.clause_uid for i in items})
    }
    cites = version_cites({i.clause.version_id for i in items})  # type: ignore[union-attr]
    used = set(
        Answer.objects.filter(item_id__in=[i.pk for i in items]).values_list("item_id", flat=True)
    )
    counts = {"kept": 0, "changed": 0, "removed": 0}
    notes: dict[int, list[str]] = defaultdict(list)
    quiet: dict[int, int] = defaultdict(int)
    rewritten: set[int] = set()
    templates: dict[int, ChecklistTemplate] = {}
    for item in items:
        old = item.clause
        assert old is not None  # filtered above
        new = newest.get(item.clause_uid)  # type: ignore[arg-type]
        where = cite_label(cites.get(old.pk) or old.number or "")
        changes: dict[str, Any]
        if new is None:
            counts["removed"] += 1
            note = f"{where}在第{version.seq}版中已删除"
            if item.clause_changed == note:
                continue
            changes = {"clause_changed": note}
        elif (new.title, new.text) != (old.title, old.text):
            counts["changed"] += 1
            note = f"{where}在第{version.seq}版中有修改"
            changes = {"clause": new, "clause_changed": note}
        else:
            counts["kept"] += 1
            note = ""
            changes = {"clause": new}
        templates[item.template_id] = item.template
        old_pk = item.pk
        if _rewrite(item, old_pk in used, changes).pk != old_pk:
            rewritten.add(item.template_id)
        if note:
            notes[item.template_id].append(f"“{item.text}”：{note}")
        else:
            quiet[item.template_id] += 1
    for pk, template in templates.items():
        parts = [*notes[pk]]
        if quiet[pk]:
            parts.append(f"{quiet[pk]} 项依据条款未变，已改为引用第{version.seq}版")
        what = f"依据《{standard.title}》第{version.seq}版核对：" + "；".join(parts)
        _cite_log(template, None, what, bump=pk in rewritten)
        if notes[pk] and template.owner is not None:
            notify(
                recipients=[template.owner],
                kind=NOTICE_KIND,
                title=f"检查表“{template.name}”引用的条款有变化，请复核",
                body="\n".join(notes[pk]),
                link=reverse("checklists:template_detail", args=[template.pk]),
                target=template,
            )
    return CitationReview(version.seq, **counts)
