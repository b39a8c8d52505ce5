"""Editing the clause tree of a draft version, and its automatic numbering (GB/T 1.1—2020
§7): chapters 1…n, clauses n.1…, terms 3.1…, annexes 附录A with clauses A.1…, list items
a) b) then 1) 2), 注/注1, 示例/示例1, 表1/表A.1, 图1/图A.1.

Every edit names the draft revision it was made on; an edit on an older revision is refused
with who changed the draft and when (two people editing the same draft never overwrite each
other). Published versions refuse every edit."""

from __future__ import annotations

import string
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from houqin.standards.models import Clause, StandardVersion

K = Clause.Kind
CHAPTER_KINDS = frozenset({K.SCOPE, K.REFERENCES, K.TERMS, K.CHAPTER})
HEADED_KINDS = CHAPTER_KINDS | {K.CLAUSE, K.ANNEX, K.FOREWORD, K.INTRODUCTION, K.BIBLIOGRAPHY}
FRONT_KINDS = frozenset({K.FOREWORD, K.INTRODUCTION})
TOP_KINDS = FRONT_KINDS | CHAPTER_KINDS | {K.ANNEX, K.BIBLIOGRAPHY}
MAX_DEPTH = 5  # 条 may go down to the fifth level (x.x.x.x.x.x)
TEXT_KINDS = frozenset({K.PARAGRAPH, K.LIST_ITEM, K.NOTE, K.EXAMPLE})  # may be split and merged


class ConflictError(ValidationError):
    """The draft changed since the editor loaded it."""


@dataclass
class Item:
    """A clause in document order, with its depth, for rendering and export."""

    clause: Clause
    depth: int
    children: list[Item] = field(default_factory=list)


def clause_tree(clauses: Iterable[Clause]) -> list[Item]:
    """The clauses of one version (from one query) as a tree in document order."""
    by_parent: dict[int | None, list[Clause]] = defaultdict(list)
    for clause in clauses:
        by_parent[clause.parent_id].append(clause)

    def build(parent_id: int | None, depth: int) -> list[Item]:
        return [
            Item(c, depth, build(c.pk, depth + 1))
            for c in sorted(by_parent.get(parent_id, []), key=lambda c: (c.position, c.pk))
        ]

    return build(None, 0)


def walk(items: list[Item]) -> Iterator[Item]:
    """Every item of a tree in document order."""
    for item in items:
        yield item
        yield from walk(item.children)


def version_items(version: StandardVersion) -> list[Item]:
    return clause_tree(version.clauses.all())


def _letters() -> Iterator[str]:
    yield from string.ascii_uppercase


def _numbers(items: list[Item], prefix: str, counters: dict[str, int], annex: str) -> None:
    """Number one level of siblings under ``prefix`` (a chapter or clause number)."""
    clause_no = 0
    list_no = 0
    notes = [i for i in items if i.clause.kind == K.NOTE]
    examples = [i for i in items if i.clause.kind == K.EXAMPLE]
    note_no = example_no = 0
    for item in items:
        c = item.clause
        if c.kind in (K.CLAUSE, K.TERM):
            clause_no += 1
            c.number = f"{prefix}.{clause_no}" if prefix else str(clause_no)
            _numbers(item.children, c.number, counters, annex)
            continue
        if c.kind == K.LIST_ITEM:
            style = (c.extra or {}).get("style", "alpha")
            list_no += 1
            if style == "dash":
                c.number = "——"
            elif style == "numeric":
                c.number = f"{list_no})"
            else:
                c.number = f"{string.ascii_lowercase[(list_no - 1) % 26]})"
            _numbers(item.children, prefix, counters, annex)
            continue
        if c.kind == K.NOTE:
            note_no += 1
            c.number = "注" if len(notes) == 1 else f"注{note_no}"
        elif c.kind == K.EXAMPLE:
            example_no += 1
            c.number = "示例" if len(examples) == 1 else f"示例{example_no}"
        elif c.kind in (K.TABLE, K.FIGURE):
            key = f"{c.kind}:{annex}"
            counters[key] = counters.get(key, 0) + 1
            label = "表" if c.kind == K.TABLE else "图"
            c.number = f"{label}{annex}.{counters[key]}" if annex else f"{label}{counters[key]}"
        else:
            c.number = ""
        _numbers(item.children, prefix, counters, annex)


def numbering(items: list[Item]) -> None:
    """Set ``number`` on every clause of a tree (in memory)."""
    chapter_no = 0
    annex_letters = _letters()
    counters: dict[str, int] = {}
    for item in items:
        c = item.clause
        if c.kind in CHAPTER_KINDS:
            chapter_no += 1
            c.number = str(chapter_no)
            _numbers(item.children, c.number, counters, "")
        elif c.kind == K.ANNEX:
            letter = next(annex_letters, "Z")
            c.number = f"附录{letter}"
            _numbers(item.children, letter, counters, letter)
        else:
            c.number = ""
            _numbers(item.children, "", counters, "")


def renumber(version: StandardVersion) -> list[Item]:
    """Renumber a draft and store the numbers that changed; returns the tree."""
    items = version_items(version)
    before = {item.clause.pk: item.clause.number for item in walk(items)}
    numbering(items)
    changed = [i.clause for i in walk(items) if before[i.clause.pk] != i.clause.number]
    if changed:
        Clause.objects.bulk_update(changed, ["number"])
    return items


def _clause_levels(clause: Clause) -> int:
    """How many 条 levels a clause and the 条 below it take (a 条 without sub-条 is 1)."""
    below = Clause.objects.filter(version_id=clause.version_id, parent=clause, kind=K.CLAUSE)
    return 1 + max((_clause_levels(child) for child in below), default=0)


def depth_of(clause: Clause) -> int:
    """How many 条 levels a clause sits below its chapter (a chapter is 0)."""
    depth = 0
    node = clause
    while node.parent_id is not None:
        node = node.parent  # type: ignore[assignment]
        depth += 1
    return depth


# ---- edits -------------------------------------------------------------------------------


@transaction.atomic
def _lock(version: StandardVersion, base_revision: int | None, actor: Any) -> StandardVersion:
    """Lock the draft, check nobody changed it since ``base_revision``, bump its revision."""
    locked = (
        StandardVersion.objects.select_for_update(of=("self",))
        .select_related("edited_by")
        .get(pk=version.pk)
    )
    if locked.is_published:
        raise ValidationError("已发布的版本不能修改；请新建修订草案。")
    if base_revision is not None and locked.revision != base_revision:
        who = locked.edited_by.name if locked.edited_by else "他人"
        when = timezone.localtime(locked.edited_at).strftime("%H:%M") if locked.edited_at else ""
        raise ConflictError(
            f"草案已被{who}在{when}修改，您的这次修改没有保存。请刷新页面，在最新内容上再改。"
        )
    locked.revision += 1
    locked.edited_at = timezone.now()
    locked.edited_by = actor
    locked.save(update_fields=["revision", "edited_at", "edited_by"])
    version.revision, version.edited_at, version.edited_by = (
        locked.revision,
        locked.edited_at,
        actor,
    )
    return locked


def _siblings(version: StandardVersion, parent_id: int | None) -> list[Clause]:
    return list(
        Clause.objects.filter(version=version, parent_id=parent_id).order_by("position", "pk")
    )


def _place(siblings: list[Clause]) -> None:
    for index, clause in enumerate(siblings):
        clause.position = index
    Clause.objects.bulk_update(siblings, ["position"])


LEAF_KINDS = frozenset({K.PARAGRAPH, K.NOTE, K.EXAMPLE, K.REFERENCE})


def _check_parent(kind: str, parent: Clause | None) -> None:
    """Where a kind may stand (GB/T 1.1 structure, and what the text markup can write)."""
    if parent is None:
        if kind not in TOP_KINDS:
            raise ValidationError("这一类内容只能放在章、条或附录之下。")
        return
    if kind in TOP_KINDS:
        raise ValidationError("章、前言、引言、附录和参考文献只能在最上一层。")
    if parent.kind in LEAF_KINDS:
        raise ValidationError("段、注、示例和引用文件条目之下不能再加内容。")
    if parent.kind == K.LIST_ITEM and kind != K.LIST_ITEM:
        raise ValidationError("列项之下只能是下一级列项。")
    if parent.kind in (K.TABLE, K.FIGURE) and kind != K.NOTE:
        raise ValidationError("表和图之下只能加注。")
    if parent.kind == K.TERM and kind not in (K.NOTE, K.EXAMPLE):
        raise ValidationError("术语条目之下只能加注或示例。")
    if kind == K.TERM and parent.kind != K.TERMS:
        raise ValidationError("术语条目只能放在“术语和定义”一章中。")
    if kind == K.REFERENCE and parent.kind not in (K.REFERENCES, K.BIBLIOGRAPHY):
        raise ValidationError("引用文件条目只能放在“规范性引用文件”或“参考文献”中。")
    if kind == K.CLAUSE and parent.kind not in (K.CLAUSE, K.ANNEX, *CHAPTER_KINDS):
        raise ValidationError("条只能放在章、条或附录之下。")
    if kind == K.CLAUSE and depth_of(parent) >= MAX_DEPTH:
        raise ValidationError("条最多分到第五层，不能再往下分。")


@transaction.atomic
def clause_add(
    *,
    version: StandardVersion,
    actor: Any,
    base_revision: int | None,
    kind: str,
    parent: Clause | None = None,
    after: Clause | None = None,
    title: str = "",
    text: str = "",
    extra: dict[str, Any] | None = None,
    first: bool = False,
) -> Clause:
    """Add a clause under ``parent`` (None: the top), right after ``after``, first among
    its siblings (``first``) or at the end."""
    _lock(version, base_revision, actor)
    if kind not in K.values:
        raise ValidationError("没有这种条款类型。")
    if parent is not None and parent.version_id != version.pk:
        raise ValidationError("上级条款不在这个版本中。")
    _check_parent(kind, parent)
    siblings = _siblings(version, parent.pk if parent else None)
    index = len(siblings)
    if first:
        index = 0
    elif after in siblings:
        index = siblings.index(after) + 1
    clause = Clause(
        version=version, parent=parent, kind=kind, title=title, text=text, extra=extra or {}
    )
    clause.save()
    siblings.insert(index, clause)
    _place(siblings)
    renumber(version)
    clause.refresh_from_db()
    return clause


@transaction.atomic
def clause_edit(
    *,
    clause: Clause,
    actor: Any,
    base_revision: int | None,
    title: str | None = None,
    text: str | None = None,
    extra: dict[str, Any] | None = None,
) -> Clause:
    """Change a clause's title, text or extra fields (autosave). A list item's label style
    (a) / 1) / ——) belongs to its list: the run of list items it stands in takes it too,
    and the list is renumbered."""
    _lock(clause.version, base_revision, actor)
    if title is not None:
        clause.title = title.strip()
    if text is not None:
        clause.text = text.strip()
    restyled = False
    if extra is not None:
        merged = {**(clause.extra or {}), **extra}
        restyled = merged.get("style") != (clause.extra or {}).get("style")
        clause.extra = merged
    clause.save()
    if restyled and clause.kind == K.LIST_ITEM:
        _list_restyle(clause, clause.extra["style"])
    if restyled:
        renumber(clause.version)
        clause.refresh_from_db(fields=["number"])
    return clause


def _list_restyle(clause: Clause, style: str) -> None:
    """Give the list items next to ``clause`` (no other kind between) the same style."""
    siblings = _siblings(clause.version, clause.parent_id)
    index = next(i for i, c in enumerate(siblings) if c.pk == clause.pk)
    run: list[Clause] = []
    for step in (-1, 1):
        at = index + step
        while 0 <= at < len(siblings) and siblings[at].kind == K.LIST_ITEM:
            run.append(siblings[at])
            at += step
    for item in run:
        item.extra = {**(item.extra or {}), "style": style}
    Clause.objects.bulk_update(run, ["extra"])


@transaction.atomic
def clause_delete(*, clause: Clause, actor: Any, base_revision: int | None) -> None:
    """Delete a clause and everything under it."""
    version = clause.version
    _lock(version, base_revision, actor)
    parent_id = clause.parent_id
    clause.delete()
    _place(_siblings(version, parent_id))
    renumber(version)


@transaction.atomic
def clause_move(*, clause: Clause, actor: Any, base_revision: int | None, direction: str) -> Clause:
    """up / down among siblings; indent (become the last child of the previous sibling);
    outdent (come out to just after the parent)."""
    version = clause.version
    _lock(version, base_revision, actor)
    siblings = _siblings(version, clause.parent_id)
    index = next(i for i, c in enumerate(siblings) if c.pk == clause.pk)
    if direction in ("up", "down"):
        target = index - 1 if direction == "up" else index + 1
        if not 0 <= target < len(siblings):
            raise ValidationError("已经在最前面了。" if direction == "up" else "已经在最后面了。")
        siblings[index], siblings[target] = siblings[target], siblings[index]
        _place(siblings)
    elif direction == "indent":
        if index == 0:
            raise ValidationError("前面没有同级条款，不能降级。")
        new_parent = siblings[index - 1]
        _check_parent(clause.kind, new_parent)
        if clause.kind == K.CLAUSE and depth_of(new_parent) + _clause_levels(clause) > MAX_DEPTH:
            raise ValidationError("条最多分到第五层，降级后下级条会超过第五层。")
        children = _siblings(version, new_parent.pk)
        clause.parent = new_parent
        clause.save(update_fields=["parent"])
        _place([*children, clause])
        _place([c for c in siblings if c.pk != clause.pk])
    elif direction == "outdent":
        parent = clause.parent
        if parent is None:
            raise ValidationError("已经在最上一层，不能升级。")
        grand_id = parent.parent_id
        _check_parent(clause.kind, parent.parent)
        uncles = _siblings(version, grand_id)
        at = next(i for i, c in enumerate(uncles) if c.pk == parent.pk) + 1
        clause.parent_id = grand_id
        clause.save(update_fields=["parent"])
        uncles.insert(at, clause)
        _place(uncles)
        _place([c for c in siblings if c.pk != clause.pk])
    else:
        raise ValidationError("没有这种移动方式。")
    renumber(version)
    clause.refresh_from_db()
    return clause


@transaction.atomic
def clause_split(*, clause: Clause, actor: Any, base_revision: int | None, at: int) -> Clause:
    """Split a clause's text at character ``at``: the rest becomes a new sibling of the same
    kind right after it (the new one gets a new identity)."""
    version = clause.version
    _lock(version, base_revision, actor)
    if clause.kind not in TEXT_KINDS:
        raise ValidationError("只有段、列项、注和示例可以拆分。")
    head, tail = clause.text[:at].rstrip(), clause.text[at:].lstrip()
    if not head or not tail:
        raise ValidationError("拆分位置两边都要有文字。")
    clause.text = head
    clause.save()
    siblings = _siblings(version, clause.parent_id)
    index = next(i for i, c in enumerate(siblings) if c.pk == clause.pk)
    new = Clause(
        version=version,
        parent_id=clause.parent_id,
        kind=clause.kind,
        text=tail,
        extra=dict(clause.extra or {}),
    )
    new.save()
    siblings.insert(index + 1, new)
    _place(siblings)
    renumber(version)
    new.refresh_from_db()
    return new


@transaction.atomic
def clause_merge(*, clause: Clause, actor: Any, base_revision: int | None) -> Clause:
    """Merge the next sibling into this clause: its text is appended and its children move
    under this clause. The merged clause keeps this clause's identity."""
    version = clause.version
    _lock(version, base_revision, actor)
    siblings = _siblings(version, clause.parent_id)
    index = next(i for i, c in enumerate(siblings) if c.pk == clause.pk)
    if index + 1 >= len(siblings):
        raise ValidationError("后面没有同级条款可以合并。")
    following = siblings[index + 1]
    if following.kind != clause.kind:
        raise ValidationError("只能合并同一类型的条款。")
    if clause.kind not in TEXT_KINDS:
        raise ValidationError(
            "只有段、列项、注和示例可以合并；标题和表、图、术语等请逐项修改或删除。"
        )
    clause.text = "".join(part for part in (clause.text, following.text) if part)
    clause.save()
    kept = _siblings(version, clause.pk)
    moved = _siblings(version, following.pk)
    for child in moved:
        child.parent = clause
    Clause.objects.bulk_update(moved, ["parent"])
    _place([*kept, *moved])  # this clause's own children first, then the merged ones
    following.delete()
    _place(_siblings(version, clause.parent_id))
    renumber(version)
    clause.refresh_from_db()
    return clause


def tree_load(
    *, version: StandardVersion, nodes: Iterable[Any], parent: Clause | None = None
) -> int:
    """Append a parsed tree (``textformat.Node``s: kind, title, text, extra, children) to a
    draft without locking; the caller holds the version. Returns the clauses written."""
    count = 0

    def add(node: Any, parent: Clause | None, position: int) -> None:
        nonlocal count
        _check_parent(node.kind, parent)
        clause = Clause(
            version=version,
            parent=parent,
            position=position,
            kind=node.kind,
            title=node.title,
            text=node.text,
            extra=dict(node.extra),
        )
        clause.save()
        count += 1
        for index, child in enumerate(node.children):
            add(child, clause, index)

    start = Clause.objects.filter(version=version, parent=parent).count()
    for index, node in enumerate(nodes):
        add(node, parent, start + index)
    renumber(version)
    return count


def version_copy(*, source: StandardVersion, target: StandardVersion) -> None:
    """Copy every clause of ``source`` into the empty draft ``target``, keeping each clause's
    ``uid`` (its identity across versions)."""
    items = version_items(source)

    def copy(items: list[Item], parent: Clause | None) -> None:
        for item in items:
            c = item.clause
            new = Clause(
                version=target,
                parent=parent,
                uid=c.uid,
                position=c.position,
                kind=c.kind,
                number=c.number,
                title=c.title,
                text=c.text,
                extra=c.extra,
            )
            new.save()
            copy(item.children, new)

    copy(items, None)
