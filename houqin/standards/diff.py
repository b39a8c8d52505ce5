"""The difference between two versions of a standard, clause by clause.

Clauses are matched by ``uid`` (their identity across versions): a clause only in the new
version is *added*, one only in the old version is *removed*; a clause in both is *moved*
when its parent changed or it left its place among the siblings it kept, and *changed* when
its kind, title, text or own fields (a term's definition, a table's cells …) differ. Inside
changed text the changed words are marked with ``<del>`` / ``<ins>`` (jieba words when jieba
is installed, else characters, with runs of Latin letters and of digits kept whole).

Everything here is a pure function of the two clause trees (``clauses.Item``): no query."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from houqin.standards.clauses import Item
from houqin.standards.models import Clause

K = Clause.Kind
KIND_LABELS = dict(Clause.Kind.choices)
ANNEX_TYPES = {"normative": "规范性", "informative": "资料性"}
LIST_STYLES = {"alpha": "a) b) c)", "numeric": "1) 2) 3)", "dash": "——"}

ADDED = "added"
REMOVED = "removed"
MOVED = "moved"
CHANGED = "changed"
UNCHANGED = "unchanged"

_TOKEN = re.compile(r"[A-Za-z]+|\d+(?:\.\d+)*|\s+|.", re.S)


@lru_cache(maxsize=1)
def _jieba() -> Any:
    try:
        import jieba  # type: ignore[import-not-found,import-untyped,unused-ignore]
    except ImportError:
        return None
    jieba.setLogLevel(60)
    return jieba


_HAN = re.compile(r"([\u4e00-\u9fff]+)")


def tokens(text: str) -> list[str]:
    """The units a change is marked in: Latin words and numbers ("GB", "24421.1") whole,
    other signs one by one, Chinese as jieba words when jieba is installed, else character
    by character (which reads well for Chinese too)."""
    jieba = _jieba()
    out: list[str] = []
    for index, run in enumerate(_HAN.split(text)):
        if index % 2 and jieba is not None:
            out += [token for token in jieba.cut(run, HMM=False) if token]
        else:
            out += _TOKEN.findall(run)
    return out


def words_html(old: str, new: str) -> SafeString:
    """``new`` with what was taken out of ``old`` in ``<del>`` and what came in ``<ins>``."""
    if old == new:
        return SafeString(escape(new))
    a, b = tokens(old), tokens(new)
    out: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        removed, added = "".join(a[i1:i2]), "".join(b[j1:j2])
        if op == "equal":
            out.append(escape(added))
            continue
        if removed:
            out.append(f"<del>{escape(removed)}</del>")
        if added:
            out.append(f"<ins>{escape(added)}</ins>")
    return mark_safe("".join(out))  # noqa: S308 (every piece is escaped)


def extra_fields(kind: str, extra: dict[str, Any] | None) -> list[tuple[str, str]]:
    """A kind's own fields as labelled lines of text, for comparing and showing."""
    extra = extra or {}
    if kind == K.TERM:
        return [
            ("术语", extra.get("term", "")),
            ("英文", extra.get("english", "")),
            ("定义", extra.get("definition", "")),
            ("来源", extra.get("source", "")),
        ]
    if kind == K.REFERENCE:
        return [
            ("编号", extra.get("code", "")),
            ("年号", extra.get("year", "")),
            ("名称", extra.get("title", "")),
        ]
    if kind == K.ANNEX:
        return [("附录类型", ANNEX_TYPES.get(extra.get("annex_type", ""), ""))]
    if kind == K.LIST_ITEM:
        return [("列项符号", LIST_STYLES.get(extra.get("style", "alpha"), ""))]
    if kind == K.TABLE:
        lines = [("表头", " | ".join(map(str, extra.get("header", []))))]
        lines += [
            (f"第{index}行", " | ".join(map(str, row)))
            for index, row in enumerate(extra.get("rows", []), start=1)
        ]
        return lines
    if kind == K.FIGURE:
        return [("图片文件", extra.get("src", ""))] if extra.get("src") else []
    return [(key, str(value)) for key, value in sorted(extra.items())]


@dataclass(frozen=True)
class FieldDiff:
    """One labelled field of a clause: its text with the changed words marked."""

    label: str
    html: SafeString
    changed: bool


@dataclass
class DiffRow:
    """One clause of the comparison. ``old`` / ``new`` are the clause in each version (one
    of them is None for an added or removed clause); ``changes`` holds ``moved`` and/or
    ``changed`` for a clause in both."""

    uid: str
    status: str
    old: Clause | None
    new: Clause | None
    depth: int
    changes: tuple[str, ...] = ()
    title_html: SafeString = field(default_factory=lambda: SafeString(""))
    text_html: SafeString = field(default_factory=lambda: SafeString(""))
    fields: list[FieldDiff] = field(default_factory=list)
    old_parent_number: str = ""
    new_parent_number: str = ""
    context: str = ""  # where an unnumbered clause stands: its nearest numbered ancestor

    @property
    def clause(self) -> Clause:
        clause = self.new or self.old
        assert clause is not None  # a row always has one side
        return clause

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.clause.kind, self.clause.kind)

    @property
    def in_context(self) -> str:
        """ "3.1 下" for content whose own number (a paragraph's none, 注, a)) says little."""
        content = (K.PARAGRAPH, K.LIST_ITEM, K.NOTE, K.EXAMPLE, K.TABLE, K.FIGURE)
        return f"{self.context} 下" if self.context and self.clause.kind in content else ""

    @property
    def old_number(self) -> str:
        return self.old.number if self.old else ""

    @property
    def new_number(self) -> str:
        return self.new.number if self.new else ""

    @property
    def renumbered(self) -> bool:
        return self.old is not None and self.new is not None and self.old_number != self.new_number

    @property
    def moved(self) -> bool:
        return MOVED in self.changes

    @property
    def changed(self) -> bool:
        return CHANGED in self.changes


@dataclass(frozen=True)
class _Entry:
    item: Item
    parent_uid: str | None
    order: int  # document order


def _entries(items: list[Item]) -> dict[str, _Entry]:
    """Every clause of a tree by uid, with its parent's uid and its document order."""
    out: dict[str, _Entry] = {}

    def visit(children: list[Item], parent_uid: str | None) -> None:
        for item in children:
            uid = str(item.clause.uid)
            out[uid] = _Entry(item, parent_uid, len(out))
            visit(item.children, uid)

    visit(items, None)
    return out


def _longest_increasing(values: Sequence[int]) -> set[int]:
    """The indexes of one longest strictly increasing subsequence of ``values``."""
    tails: list[int] = []  # index into values of the smallest tail of each length
    previous: list[int] = [-1] * len(values)
    for index, value in enumerate(values):
        low, high = 0, len(tails)
        while low < high:
            middle = (low + high) // 2
            if values[tails[middle]] < value:
                low = middle + 1
            else:
                high = middle
        if low > 0:
            previous[index] = tails[low - 1]
        if low == len(tails):
            tails.append(index)
        else:
            tails[low] = index
    keep: set[int] = set()
    index = tails[-1] if tails else -1
    while index >= 0:
        keep.add(index)
        index = previous[index]
    return keep


def _reordered(old: dict[str, _Entry], new: dict[str, _Entry]) -> set[str]:
    """Clauses that left their place among the siblings they kept: for each parent, the
    common children not on the longest run that kept its order."""
    by_parent: dict[str | None, list[str]] = {}
    for uid, entry in new.items():
        if uid in old and old[uid].parent_uid == entry.parent_uid:
            by_parent.setdefault(entry.parent_uid, []).append(uid)
    moved: set[str] = set()
    for uids in by_parent.values():
        ranks = [old[uid].order for uid in uids]  # uids are in new document order
        keep = _longest_increasing(ranks)
        moved.update(uid for index, uid in enumerate(uids) if index not in keep)
    return moved


def _plain(text: str) -> SafeString:
    return SafeString(escape(text))


def _fields(kind: str, old: Clause | None, new: Clause | None) -> list[FieldDiff]:
    before = dict(extra_fields(old.kind, old.extra)) if old else {}
    after_list = extra_fields(new.kind, new.extra) if new else []
    after = dict(after_list)
    labels = [label for label, _ in after_list] + [label for label in before if label not in after]
    out = []
    for label in labels:
        a, b = before.get(label, ""), after.get(label, "")
        if old is None or new is None:
            out.append(FieldDiff(label, _plain(b if new else a), False))
        else:
            out.append(FieldDiff(label, words_html(a, b), a != b))
    # A list item's label style is shown only when it changed.
    return [f for f in out if (f.html or f.changed) and (f.label != "列项符号" or f.changed)]


def _number(entries: dict[str, _Entry], uid: str | None) -> str:
    if uid is None:
        return "（最上层）"
    clause = entries[uid].item.clause
    return clause.number or KIND_LABELS.get(clause.kind, "")


def _context(entries: dict[str, _Entry], uid: str) -> str:
    """ "3.1" for a paragraph under 3.1, "前言" for one in the foreword."""
    parent = entries[uid].parent_uid
    while parent is not None:
        clause = entries[parent].item.clause
        if clause.number and clause.kind not in (K.NOTE, K.EXAMPLE, K.LIST_ITEM):
            return clause.number
        if clause.kind in (K.FOREWORD, K.INTRODUCTION, K.BIBLIOGRAPHY):
            return KIND_LABELS[clause.kind]
        parent = entries[parent].parent_uid
    return ""


def _row(uid: str, old: _Entry | None, new: _Entry | None, moved: bool) -> DiffRow:
    a = old.item.clause if old else None
    b = new.item.clause if new else None
    if a is None or b is None:
        only = new or old
        assert only is not None  # a clause is in at least one version
        c = only.item.clause
        return DiffRow(
            uid=uid,
            status=ADDED if b else REMOVED,
            old=a,
            new=b,
            depth=only.item.depth,
            title_html=_plain(c.title),
            text_html=_plain(c.text),
            fields=_fields(c.kind, a, b),
        )
    assert new is not None
    changed = (a.kind, a.title, a.text, a.extra or {}) != (b.kind, b.title, b.text, b.extra or {})
    changes = tuple(name for name, flag in ((MOVED, moved), (CHANGED, changed)) if flag)
    return DiffRow(
        uid=uid,
        status=CHANGED if changed else MOVED if moved else UNCHANGED,
        old=a,
        new=b,
        depth=new.item.depth,
        changes=changes,
        title_html=words_html(a.title, b.title),
        text_html=words_html(a.text, b.text),
        fields=_fields(b.kind, a, b),
    )


def version_diff(a_items: list[Item], b_items: list[Item]) -> list[DiffRow]:
    """The clauses of the old (``a``) and the new (``b``) version in the new version's
    order, each removed clause right after the clause that preceded it in the old one."""
    old, new = _entries(a_items), _entries(b_items)
    reordered = _reordered(old, new)
    removed_after: dict[str | None, list[str]] = {}
    anchor: str | None = None
    for uid in old:
        if uid in new:
            anchor = uid
        else:
            removed_after.setdefault(anchor, []).append(uid)

    rows: list[DiffRow] = []

    def removed(anchor_uid: str | None) -> None:
        for uid in removed_after.get(anchor_uid, []):
            row = _row(uid, old[uid], None, False)
            row.context = _context(old, uid)
            rows.append(row)

    removed(None)
    for uid, entry in new.items():
        before = old.get(uid)
        moved = before is not None and (before.parent_uid != entry.parent_uid or uid in reordered)
        row = _row(uid, before, entry, moved)
        row.context = _context(new, uid)
        if moved and before is not None:
            row.old_parent_number = _number(old, before.parent_uid)
            row.new_parent_number = _number(new, entry.parent_uid)
        rows.append(row)
        if before is not None:
            removed(uid)
    return rows


@dataclass(frozen=True)
class DiffGroup:
    """A run of rows: the unchanged ones are collapsed in the page."""

    collapsed: bool
    rows: list[DiffRow]

    @property
    def span(self) -> str:
        """ "2.1～3.4": the first and last number in a collapsed run."""
        numbers = [row.new_number for row in self.rows if row.new_number]
        if not numbers:
            return ""
        return numbers[0] if len(numbers) == 1 else f"{numbers[0]}～{numbers[-1]}"


def diff_groups(rows: Iterable[DiffRow]) -> list[DiffGroup]:
    """Consecutive rows grouped: each run of unchanged rows is one collapsed group, each run
    of the others one open group."""
    groups: list[DiffGroup] = []
    for row in rows:
        collapsed = row.status == UNCHANGED
        if groups and groups[-1].collapsed == collapsed:
            groups[-1].rows.append(row)
        else:
            groups.append(DiffGroup(collapsed, [row]))
    return groups


def diff_summary(rows: Iterable[DiffRow]) -> dict[str, int]:
    """How many clauses were added, removed, changed and moved."""
    counts = {ADDED: 0, REMOVED: 0, CHANGED: 0, MOVED: 0}
    for row in rows:
        if row.status in (ADDED, REMOVED):
            counts[row.status] += 1
        for change in row.changes:
            counts[change] += 1
    return counts
