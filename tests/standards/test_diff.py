"""The difference between two versions: the pure algorithm on clause trees (added, removed,
moved, changed words, renumbered, collapsed runs) and the page that shows it."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from houqin.standards import clauses as ops
from houqin.standards.clauses import Item
from houqin.standards.diff import (
    ADDED,
    CHANGED,
    MOVED,
    REMOVED,
    UNCHANGED,
    diff_groups,
    diff_summary,
    tokens,
    version_diff,
    words_html,
)
from houqin.standards.models import Clause, Standard
from houqin.standards.services import version_new_draft
from tests.conftest import person, signed_in
from tests.standards.builders import in_force_make

UIDS = {name: uuid.uuid5(uuid.NAMESPACE_URL, name) for name in "abcdefghijklmnop"}


def c(
    uid: str,
    kind: str = "paragraph",
    text: str = "",
    title: str = "",
    number: str = "",
    **extra: Any,
) -> Any:
    """A clause spec: (uid name, Clause) — never saved."""
    return Clause(uid=UIDS[uid], kind=kind, text=text, title=title, number=number, extra=extra)


def tree(*specs: Any, depth: int = 0) -> list[Item]:
    """``tree(c(...), [children...], c(...))``: a list after a clause holds its children."""
    items: list[Item] = []
    for spec in specs:
        if isinstance(spec, list):
            items[-1].children = tree(*spec, depth=depth + 1)
        else:
            items.append(Item(spec, depth))
    return items


def by_uid(rows) -> dict[str, Any]:
    names = {v: k for k, v in UIDS.items()}
    return {names[uuid.UUID(row.uid)]: row for row in rows}


def statuses(rows) -> list[tuple[str, str]]:
    names = {str(v): k for k, v in UIDS.items()}
    return [(names[row.uid], row.status) for row in rows]


BASE = (
    c("a", "chapter", title="范围", number="1"),
    [c("b", text="本文件规定了保洁要求。")],
    c("c", "chapter", title="保洁要求", number="2"),
    [
        c("d", "clause", title="频次", number="2.1"),
        [c("e", text="保洁员应每2 h保洁1次。")],
        c("f", "clause", title="质量", number="2.2"),
        [c("g", text="地面宜无积水。")],
    ],
)


def test_identical_versions_are_all_unchanged_and_collapse_into_one_group() -> None:
    rows = version_diff(tree(*BASE), tree(*BASE))
    assert [status for _, status in statuses(rows)] == [UNCHANGED] * 7
    groups = diff_groups(rows)
    assert len(groups) == 1 and groups[0].collapsed
    assert groups[0].span == "1～2.2"
    assert diff_summary(rows) == {ADDED: 0, REMOVED: 0, CHANGED: 0, MOVED: 0}


def test_an_added_clause_shows_where_it_came_in() -> None:
    new = (
        *BASE[:3],
        [
            *BASE[3][:2],
            c("h", "clause", title="用品", number="2.2"),
            [c("i", text="清洁剂应单独存放。")],
            c("f", "clause", title="质量", number="2.3"),
            [c("g", text="地面宜无积水。")],
        ],
    )
    rows = version_diff(tree(*BASE), tree(*new))
    assert statuses(rows) == [
        ("a", UNCHANGED),
        ("b", UNCHANGED),
        ("c", UNCHANGED),
        ("d", UNCHANGED),
        ("e", UNCHANGED),
        ("h", ADDED),
        ("i", ADDED),
        ("f", UNCHANGED),
        ("g", UNCHANGED),
    ]
    f = by_uid(rows)["f"]
    assert (f.old_number, f.new_number, f.renumbered) == ("2.2", "2.3", True)
    assert by_uid(rows)["h"].old is None
    assert diff_summary(rows)[ADDED] == 2


def test_a_removed_clause_stays_where_it_was() -> None:
    new = (
        *BASE[:3],
        [c("f", "clause", title="质量", number="2.1"), [c("g", text="地面宜无积水。")]],
    )
    rows = version_diff(tree(*BASE), tree(*new))
    assert statuses(rows) == [
        ("a", UNCHANGED),
        ("b", UNCHANGED),
        ("c", UNCHANGED),
        ("d", REMOVED),
        ("e", REMOVED),
        ("f", UNCHANGED),
        ("g", UNCHANGED),
    ]
    removed = by_uid(rows)["d"]
    assert removed.new is None and removed.old_number == "2.1"
    assert str(removed.title_html) == "频次"


def test_a_clause_removed_before_every_kept_one_comes_first() -> None:
    rows = version_diff(tree(*BASE), tree(*BASE[2:]))
    assert statuses(rows)[:2] == [("a", REMOVED), ("b", REMOVED)]


def test_a_clause_moved_to_another_parent_is_moved_not_removed_and_added() -> None:
    new = (
        c("a", "chapter", title="范围", number="1"),
        [c("b", text="本文件规定了保洁要求。"), c("e", text="保洁员应每2 h保洁1次。")],
        *BASE[2:3],
        [c("d", "clause", title="频次", number="2.1"), *BASE[3][2:]],
    )
    rows = version_diff(tree(*BASE), tree(*new))
    moved = by_uid(rows)["e"]
    assert moved.status == MOVED and moved.moved and not moved.changed
    assert (moved.old_parent_number, moved.new_parent_number) == ("2.1", "1")
    assert [uid for uid, status in statuses(rows) if status != UNCHANGED] == ["e"]


def test_a_reordered_sibling_is_the_only_one_marked_moved() -> None:
    siblings = [c(x, text=f"第{x}段。") for x in "hijkl"]
    old = tree(c("a", "chapter", title="要求", number="1"), siblings)
    reordered = [siblings[i] for i in (0, 1, 3, 4, 2)]  # "j" went to the end
    new = tree(c("a", "chapter", title="要求", number="1"), reordered)
    rows = version_diff(old, new)
    assert [uid for uid, status in statuses(rows) if status == MOVED] == ["j"]
    j = by_uid(rows)["j"]
    assert (j.old_parent_number, j.new_parent_number) == ("1", "1")


def test_changed_words_are_marked_inside_the_text() -> None:
    new = (
        *BASE[:3],
        [
            c("d", "clause", title="保洁频次", number="2.1"),
            [c("e", text="保洁员应每1 h保洁1次。")],
            *BASE[3][2:],
        ],
    )
    rows = version_diff(tree(*BASE), tree(*new))
    e, d = by_uid(rows)["e"], by_uid(rows)["d"]
    assert e.status == CHANGED and e.changed and not e.moved
    assert str(e.text_html) == "保洁员应每<del>2</del><ins>1</ins> h保洁1次。"
    assert "<ins>保洁</ins>频次" in str(d.title_html)
    assert diff_summary(rows) == {ADDED: 0, REMOVED: 0, CHANGED: 2, MOVED: 0}
    groups = diff_groups(rows)
    assert [(g.collapsed, len(g.rows)) for g in groups] == [(True, 3), (False, 2), (True, 2)]


def test_a_clause_both_moved_and_changed_says_both() -> None:
    new = (
        c("a", "chapter", title="范围", number="1"),
        [c("b", text="本文件规定了保洁要求。"), c("g", text="地面不应有积水。")],
        *BASE[2:3],
        [*BASE[3][:3]],
    )
    row = by_uid(version_diff(tree(*BASE), tree(*new)))["g"]
    assert row.status == CHANGED and row.changes == (MOVED, CHANGED)
    assert _side(str(row.text_html), "ins") == "地面宜无积水。"
    assert _side(str(row.text_html), "del") == "地面不应有积水。"


def test_numbers_and_latin_words_stay_whole() -> None:
    assert tokens("GB/T 24421.1—2023") == ["GB", "/", "T", " ", "24421.1", "—", "2023"]
    html = str(words_html("每30 min巡查1次", "每45 min巡查1次"))
    assert "<del>30</del><ins>45</ins>" in html


def _side(html: str, drop: str) -> str:
    """The text of one side of a marked change: drop the other side's marks."""
    import html as html_lib
    import re

    kept = re.sub(rf"<{drop}>.*?</{drop}>", "", html, flags=re.S)
    return html_lib.unescape(re.sub(r"</?(ins|del)>", "", kept))


@given(
    st.text(alphabet="保洁员应每小时地面无积水宜可2345 h<&>GB/T", max_size=30),
    st.text(alphabet="保洁员应每小时地面无积水宜可2345 h<&>GB/T", max_size=30),
)
def test_marked_text_reads_back_as_either_version(old: str, new: str) -> None:
    html = str(words_html(old, new))
    assert _side(html, "ins") == old
    assert _side(html, "del") == new


def test_text_is_escaped() -> None:
    html = str(words_html("<b>旧</b>", "<script>新</script>"))
    assert "<script" not in html and "<b>" not in html
    assert _side(html, "del") == "<script>新</script>"
    rows = version_diff([], tree(c("a", text="<img src=x>")))
    assert str(rows[0].text_html) == "&lt;img src=x&gt;"


def test_a_terms_fields_and_a_tables_cells_are_compared() -> None:
    old = tree(
        c("a", "terms", title="术语和定义", number="3"),
        [
            c(
                "b",
                "term",
                number="3.1",
                term="保洁",
                english="cleaning",
                definition="清除污渍的作业。",
                source="",
            ),
            c(
                "c",
                "table",
                title="记录",
                number="表1",
                header=["时间", "人员"],
                rows=[["8:00", "张三"]],
            ),
        ],
    )
    new = tree(
        c("a", "terms", title="术语和定义", number="3"),
        [
            c(
                "b",
                "term",
                number="3.1",
                term="保洁",
                english="cleaning",
                definition="清除污渍和垃圾的作业。",
                source="",
            ),
            c(
                "c",
                "table",
                title="记录",
                number="表1",
                header=["时间", "人员"],
                rows=[["8:30", "张三"]],
            ),
        ],
    )
    rows = by_uid(version_diff(old, new))
    term = {f.label: f for f in rows["b"].fields}
    assert rows["b"].status == CHANGED
    assert term["定义"].changed and "<ins>和垃圾</ins>" in str(term["定义"].html)
    assert not term["术语"].changed
    cells = {f.label: f for f in rows["c"].fields}
    assert cells["第1行"].changed and not cells["表头"].changed
    assert str(cells["第1行"].html) == "8:<del>00</del><ins>30</ins> | 张三"


def test_an_annex_type_change_is_a_change() -> None:
    old = tree(c("a", "annex", title="记录表", number="附录A", annex_type="normative"))
    new = tree(c("a", "annex", title="记录表", number="附录A", annex_type="informative"))
    row = version_diff(old, new)[0]
    assert row.status == CHANGED
    assert "<del>规范性</del><ins>资料性</ins>" in str(row.fields[0].html)


# ---- the page -----------------------------------------------------------------------------------


@pytest.fixture
def revised(in_force, standards_officer) -> tuple[Any, Any]:
    """The published version and a revision draft in which 2.1's text changed, a clause was
    added and the note removed."""
    Standard.objects.filter(pk=in_force.pk).update(status="revising")
    in_force.refresh_from_db()
    published = in_force.versions.get()
    draft = version_new_draft(standard=in_force, actor=standards_officer)
    paragraph = draft.clauses.get(text="保洁员应每2 h保洁1次。")
    ops.clause_edit(
        clause=paragraph, actor=standards_officer, base_revision=None, text="保洁员应每1 h保洁1次。"
    )
    ops.clause_add(
        version=draft,
        actor=standards_officer,
        base_revision=None,
        kind="clause",
        parent=paragraph.parent.parent,
        title="用品",
    )
    draft.clauses.get(kind="note").delete()
    ops.renumber(draft)
    return published, draft


@pytest.mark.django_db
def test_the_page_marks_the_changed_words(revised, standards_officer) -> None:
    published, draft = revised
    response = signed_in(standards_officer).get(
        reverse("standards:version_diff", args=[published.pk, draft.pk])
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "保洁员应每<del>2</del><ins>1</ins> h保洁1次。" in html
    assert "新增 1" in html and "删除 1" in html and "修改 1" in html
    assert "积水面积以目测为准。" in html  # the removed note
    assert "<details" in html  # unchanged clauses collapsed
    # Either order of the two versions gives the same comparison (old → new).
    again = signed_in(standards_officer).get(
        reverse("standards:version_diff", args=[draft.pk, published.pk])
    )
    assert "保洁员应每<del>2</del><ins>1</ins> h保洁1次。" in again.content.decode()


@pytest.mark.django_db
def test_without_a_second_version_it_compares_with_the_base(revised, standards_officer) -> None:
    published, draft = revised
    client = signed_in(standards_officer)
    html = client.get(reverse("standards:version_diff", args=[draft.pk])).content.decode()
    assert "<del>2</del><ins>1</ins>" in html
    first = client.get(reverse("standards:version_diff", args=[published.pk])).content.decode()
    assert "没有可以比较的版本" in first


@pytest.mark.django_db
def test_the_chooser_redirects_to_the_chosen_pair(revised, standards_officer) -> None:
    published, draft = revised
    client = signed_in(standards_officer)
    url = reverse("standards:version_diff", args=[draft.pk])
    response = client.get(url, {"a": published.pk, "b": draft.pk})
    assert response.status_code == 302
    assert response["Location"] == reverse("standards:version_diff", args=[published.pk, draft.pk])
    assert client.get(url, {"a": published.pk, "b": 999999}).status_code == 404


@pytest.mark.django_db
def test_drafts_are_not_for_readers_and_other_standards_are_not_found(
    revised, worker, standards_officer, org_a, org_b
) -> None:
    published, draft = revised
    reader = signed_in(worker)
    assert reader.get(reverse("standards:version_diff", args=[published.pk])).status_code == 200
    assert reader.get(reverse("standards:version_diff", args=[draft.pk])).status_code == 403
    assert (
        reader.get(reverse("standards:version_diff", args=[published.pk, draft.pk])).status_code
        == 403
    )
    other = in_force_make(org_a, standards_officer, number="JGSW/FW 002—2026")
    foreign = other.versions.get()
    officer = signed_in(standards_officer)
    assert (
        officer.get(reverse("standards:version_diff", args=[published.pk, foreign.pk])).status_code
        == 404
    )
    outsider = signed_in(person(org_b, "oscar", "standards_officer"))
    assert outsider.get(reverse("standards:version_diff", args=[published.pk])).status_code == 404
