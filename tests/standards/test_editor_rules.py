"""The clause-tree rules the editor relies on (clauses.py): where each kind may stand,
merging keeps the children in order, indenting keeps 条 within five levels, only text is
split or merged, a new element may go first, a list item's style renumbers it; and the
menus of the editor offer only what the rules allow."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from houqin.standards import clauses as ops
from houqin.standards.models import Clause
from houqin.standards.views.editor_rows import allowed_under, editor_rows
from tests.standards.builders import n

pytestmark = pytest.mark.django_db
K = Clause.Kind


@pytest.fixture
def version(draft):
    return draft.versions.get()


def add(version, kind: str, parent=None, after=None, **fields) -> Clause:
    return ops.clause_add(
        version=version,
        actor=None,
        base_revision=None,
        kind=kind,
        parent=parent,
        after=after,
        **fields,
    )


@pytest.mark.parametrize(
    ("parent_text", "kind", "message"),
    [
        ("地面宜无积水。", K.PARAGRAPH, "之下不能再加内容"),
        ("积水面积以目测为准。", K.EXAMPLE, "之下不能再加内容"),
    ],
)
def test_nothing_stands_under_a_paragraph_or_a_note(version, parent_text, kind, message) -> None:
    parent = version.clauses.get(text=parent_text)
    with pytest.raises(ValidationError, match=message):
        add(version, kind, parent=parent)


def test_list_items_tables_and_terms_take_only_their_own_children(version) -> None:
    clause = version.clauses.get(number="2.1")
    item = add(version, K.LIST_ITEM, parent=clause, text="地面", extra={"style": "alpha"})
    with pytest.raises(ValidationError, match="列项之下只能是下一级列项"):
        add(version, K.PARAGRAPH, parent=item)
    assert add(version, K.LIST_ITEM, parent=item, text="墙面").number == "a)"
    table = add(version, K.TABLE, parent=clause, extra={"header": ["a"], "rows": []})
    with pytest.raises(ValidationError, match="表和图之下只能加注"):
        add(version, K.PARAGRAPH, parent=table)
    assert add(version, K.NOTE, parent=table, text="表注。").number == "注"
    terms = add(version, K.TERMS, title="术语和定义")
    term = add(version, K.TERM, parent=terms, extra={"term": "保洁"})
    with pytest.raises(ValidationError, match="术语条目之下只能加注或示例"):
        add(version, K.CLAUSE, parent=term)


def test_the_editor_menus_follow_the_same_rules(version) -> None:
    """Every kind a menu offers under a parent is accepted by the service there."""
    chapter = version.clauses.get(kind="chapter")
    for parent_kind in (K.CHAPTER, K.CLAUSE, K.LIST_ITEM, K.TABLE, K.TERM, K.FOREWORD):
        for kind in allowed_under(parent_kind):
            parent = Clause(version=version, kind=parent_kind, parent=chapter)
            ops._check_parent(kind, parent)  # does not raise
    for kind in set(K.values) - set(allowed_under(K.PARAGRAPH)):
        with pytest.raises(ValidationError):
            ops._check_parent(kind, Clause(version=version, kind=K.PARAGRAPH, parent=chapter))


def test_a_parent_of_another_version_is_refused(version, in_force) -> None:
    foreign = in_force.versions.get().clauses.get(number="2.1")
    with pytest.raises(ValidationError, match="不在这个版本中"):
        add(version, K.PARAGRAPH, parent=foreign)


def test_merge_puts_the_merged_children_after_its_own(version) -> None:
    first = version.clauses.get(number="2.1")
    a = add(version, K.LIST_ITEM, parent=first, text="地面：", extra={"style": "alpha"})
    add(version, K.LIST_ITEM, parent=a, text="无积水；", extra={"style": "numeric"})
    add(version, K.LIST_ITEM, parent=a, text="无污渍；", extra={"style": "numeric"})
    b = add(version, K.LIST_ITEM, parent=first, after=a, text="墙面：", extra={"style": "alpha"})
    add(version, K.LIST_ITEM, parent=b, text="无灰尘；", extra={"style": "numeric"})
    ops.clause_merge(clause=a, actor=None, base_revision=None)
    children = list(a.children.order_by("position").values_list("text", "number"))
    assert children == [("无积水；", "1)"), ("无污渍；", "2)"), ("无灰尘；", "3)")]
    assert Clause.objects.get(pk=a.pk).text == "地面：墙面："


def test_only_text_is_split_or_merged(version) -> None:
    first = version.clauses.get(number="2.1")
    with pytest.raises(ValidationError, match="只有段、列项、注和示例可以合并"):
        ops.clause_merge(clause=first, actor=None, base_revision=None)
    with pytest.raises(ValidationError, match="只有段、列项、注和示例可以拆分"):
        ops.clause_split(clause=first, actor=None, base_revision=None, at=1)


def test_indenting_keeps_clauses_within_five_levels(version) -> None:
    chapter = version.clauses.get(kind="chapter")
    nodes = [n("clause", title="深")]
    for _ in range(3):  # 2.3 with 2.3.1 … 2.3.1.1.1: four levels
        nodes = [n("clause", title="深", children=tuple(nodes))]
    ops.tree_load(version=version, nodes=nodes, parent=chapter)
    deep = version.clauses.get(number="2.3")
    # Under 2.2 it would reach the sixth level (2.2.1.1.1.1.1).
    ops.clause_move(clause=deep, actor=None, base_revision=None, direction="up")
    moved = Clause.objects.get(pk=deep.pk)
    assert moved.number == "2.2"
    leaf = version.clauses.get(number="2.2.1.1.1")
    add(version, K.CLAUSE, parent=leaf)  # 2.2.1.1.1.1: the fifth level, allowed
    with pytest.raises(ValidationError, match="超过第五层"):
        ops.clause_move(clause=moved, actor=None, base_revision=None, direction="indent")


def test_a_new_element_may_go_first(version) -> None:
    intro = add(version, K.INTRODUCTION, first=True)
    assert version.clauses.filter(parent=None).order_by("position").first() == intro


def test_changing_a_list_items_style_restyles_its_list_and_renumbers_it(version) -> None:
    clause = version.clauses.get(number="2.1")
    first = add(version, K.LIST_ITEM, parent=clause, text="地面；", extra={"style": "alpha"})
    second = add(
        version, K.LIST_ITEM, parent=clause, after=first, text="墙面。", extra={"style": "alpha"}
    )
    other_list_item = add(
        version, K.LIST_ITEM, parent=clause, text="另一组。", extra={"style": "alpha"}
    )
    add(version, K.PARAGRAPH, parent=clause, after=second, text="隔开两组列项。")
    assert [first.number, second.number] == ["a)", "b)"]
    edited = ops.clause_edit(
        clause=second, actor=None, base_revision=None, extra={"style": "numeric"}
    )
    assert edited.number == "2)"
    first.refresh_from_db()
    other_list_item.refresh_from_db()
    assert (first.number, first.extra) == ("1)", {"style": "numeric"})
    assert other_list_item.extra == {"style": "alpha"}  # another list, after the paragraph


def test_the_rows_offer_what_each_clause_allows(version) -> None:
    rows = {
        row.clause.number or row.clause.text: row for row in editor_rows(ops.version_items(version))
    }
    first, second = rows["2.1"], rows["2.2"]
    assert first.ops == {"down"}  # a 条 is neither split nor merged
    assert second.ops == {"up", "indent"}
    paragraph = rows["地面宜无积水。"]
    assert "split" in paragraph.ops and "merge" not in paragraph.ops
    assert [kind for kind, _ in first.after] == list(allowed_under(K.CHAPTER))
    assert [kind for kind, _ in paragraph.children] == []
    assert rows["1"].badge == "章" and rows["2"].badge == "章"
    assert first.label == "2.1 条 频次" and paragraph.label == "2.2下的段"
