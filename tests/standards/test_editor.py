"""The clause editor through its HTTP endpoints: who may open and write, autosave with the
draft revision, the conflict answer, every structure operation, terms, references, tables
and annexes, and a page whose query count does not grow with the clauses."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from houqin.standards import clauses as ops
from houqin.standards.models import Clause, Standard
from tests.conftest import person, signed_in
from tests.factories import DepartmentFactory
from tests.standards.builders import draft_make, n

pytestmark = pytest.mark.django_db


def version_of(standard: Standard) -> Any:
    return standard.versions.order_by("-seq").first()


def numbered(version) -> list[tuple[str, str, str]]:
    """(kind, number, title or text) of every clause in document order."""
    return [
        (i.clause.kind, i.clause.number, i.clause.title or i.clause.text)
        for i in ops.walk(ops.version_items(version))
    ]


def clause(version, **lookup) -> Clause:
    return version.clauses.get(**lookup)


def revision(version) -> int:
    version.refresh_from_db()
    return version.revision


def shown_revision(response) -> int:
    match = re.search(
        r'id="editor-revision" name="revision" value="(\d+)"', response.content.decode()
    )
    assert match, response.content.decode()[:500]
    return int(match.group(1))


def post(client, name: str, pk: int, version, **data) -> Any:
    data.setdefault("revision", revision(version))
    return client.post(reverse(f"standards:editor_{name}", args=[pk]), data)


@pytest.fixture
def officer(standards_officer):
    return signed_in(standards_officer)


@pytest.fixture
def version(draft):
    return version_of(draft)


# ---- who may open and write ----------------------------------------------------------------


def test_it_shows_the_draft_as_rows_with_numbers(officer, version) -> None:
    response = officer.get(reverse("standards:editor", args=[version.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert shown_revision(response) == version.revision
    first = clause(version, number="2.1")
    assert f'id="row-{first.pk}"' in html
    assert 'value="频次"' in html
    assert "保洁员应每2 h保洁1次。" in html
    assert 'hx-trigger="input delay:800ms, change"' in html
    assert "<script>" not in html  # only static script files (CSP script-src 'self')


def test_it_refuses_a_worker_and_a_head_of_another_department(
    draft, version, worker, department_head, org_a
) -> None:
    other = DepartmentFactory(organization=org_a, code="CY", name="餐饮管理科")
    Standard.objects.filter(pk=draft.pk).update(owner_department=other)
    target = clause(version, number="2.1")
    for user in (worker, department_head):
        client = signed_in(user)
        assert client.get(reverse("standards:editor", args=[version.pk])).status_code == 403
        response = post(client, "save", target.pk, version, title="改了")
        assert response.status_code == 403
    assert clause(version, pk=target.pk).title == "频次"


def test_it_lets_the_head_of_the_owning_department_edit(
    draft, version, department_head, department
) -> None:
    Standard.objects.filter(pk=draft.pk).update(owner_department=department)
    client = signed_in(department_head)
    assert client.get(reverse("standards:editor", args=[version.pk])).status_code == 200
    target = clause(version, number="2.1")
    assert post(client, "save", target.pk, version, title="清洁频次").status_code == 200
    assert clause(version, pk=target.pk).title == "清洁频次"


def test_it_hides_another_organizations_draft(version, org_b) -> None:
    outsider = signed_in(person(org_b, "olivia", "standards_officer"))
    assert outsider.get(reverse("standards:editor", args=[version.pk])).status_code == 404
    target = clause(version, number="2.1")
    assert post(outsider, "save", target.pk, version, title="x").status_code == 404
    assert post(outsider, "add", version.pk, version, kind="chapter").status_code == 404


def test_it_opens_a_published_version_read_only_with_a_way_to_revise(officer, in_force) -> None:
    published = version_of(in_force)
    response = officer.get(reverse("standards:editor", args=[published.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "本版本已发布，文本不能修改" in html
    assert "ed-row" not in html
    assert "新建修订草案" in html
    assert "保洁员应每2 h保洁1次。" in html


def test_it_refuses_edits_to_a_published_version(officer, in_force) -> None:
    published = version_of(in_force)
    target = clause(published, number="2.1")
    # In force: the text may not be edited at all.
    assert post(officer, "save", target.pk, published, title="改").status_code == 403
    # Revising: the draft may change, the published version still may not.
    Standard.objects.filter(pk=in_force.pk).update(status="revising")
    response = post(officer, "save", target.pk, published, title="改")
    assert response.status_code == 400
    assert "已发布的版本不能修改" in response.content.decode()
    assert clause(published, pk=target.pk).title == "频次"
    response = post(officer, "add", published.pk, published, kind="chapter")
    assert response.status_code == 400
    assert published.clauses.count() == 10


def test_the_write_endpoints_take_post_only(officer, version) -> None:
    target = clause(version, number="2.1")
    assert officer.get(reverse("standards:editor_save", args=[target.pk])).status_code == 405
    assert officer.get(reverse("standards:editor_add", args=[version.pk])).status_code == 405


def test_the_page_does_not_run_a_query_per_clause(officer, org_a, standards_officer) -> None:
    def count(paragraphs: int) -> int:
        standard = draft_make(org_a, standards_officer, title=f"标准{paragraphs}")
        version = version_of(standard)
        chapter = version.clauses.get(kind="chapter")
        ops.tree_load(
            version=version,
            nodes=[
                n("clause", title=f"条{i}", children=(n("paragraph", f"第{i}段应做。"),))
                for i in range(paragraphs)
            ],
            parent=chapter,
        )
        url = reverse("standards:editor", args=[version.pk])
        officer.get(url)  # warm the session and caches
        with CaptureQueriesContext(connection) as queries:
            assert officer.get(url).status_code == 200
        return len(queries)

    assert count(2) == count(40)


# ---- autosave and conflicts ------------------------------------------------------------------


def test_autosave_stores_the_text_and_hands_back_the_new_revision(officer, version) -> None:
    target = clause(version, kind="paragraph", text="保洁员应每2 h保洁1次。")
    before = revision(version)
    response = post(
        officer, "save", target.pk, version, text="保洁员应每1 h保洁1次。", revision=before
    )
    assert response.status_code == 200
    assert shown_revision(response) == before + 1 == revision(version)
    assert re.search(r"已保存 \d\d:\d\d:\d\d", response.content.decode())
    saved = clause(version, pk=target.pk)
    assert saved.text == "保洁员应每1 h保洁1次。"
    assert saved.provision == "requirement"
    # The same values again: nothing to write, the revision stays.
    again = post(officer, "save", target.pk, version, text="保洁员应每1 h保洁1次。")
    assert again.status_code == 204
    assert revision(version) == before + 1


def test_autosave_keeps_one_line_and_checks_lengths(officer, version) -> None:
    target = clause(version, kind="paragraph", text="地面宜无积水。")
    assert post(officer, "save", target.pk, version, text="地面应\n无积水。 ").status_code == 200
    assert clause(version, pk=target.pk).text == "地面应无积水。"
    response = post(officer, "save", target.pk, version, text="长" * 5001)
    assert response.status_code == 400
    assert "不能超过5000个字" in response.content.decode()


def test_a_stale_revision_gets_a_conflict_and_keeps_the_typed_text(
    version, standards_officer, org_a
) -> None:
    colleague = person(org_a, "zhang", "standards_officer", name="张三")
    target = clause(version, kind="paragraph", text="地面宜无积水。")
    stale = revision(version)
    assert (
        post(signed_in(colleague), "save", target.pk, version, text="地面应无积水。").status_code
        == 200
    )
    response = post(
        signed_in(standards_officer),
        "save",
        target.pk,
        version,
        text="地面不应有积水。",
        revision=stale,
    )
    assert response.status_code == 409
    assert response["HX-Reswap"] == "none"
    html = response.content.decode()
    assert re.search(r"草案已被张三在\d\d:\d\d修改", html)
    assert "请刷新" in html
    assert "地面不应有积水。" in html  # the text the author typed, to copy before refreshing
    assert 'id="editor-revision"' not in html  # the page stays on its old revision
    assert clause(version, pk=target.pk).text == "地面应无积水。"


def test_a_structure_operation_on_a_stale_revision_is_refused(officer, version) -> None:
    target = clause(version, number="2.2")
    stale = revision(version)
    assert post(officer, "save", target.pk, version, title="质量要求").status_code == 200
    response = post(officer, "move", target.pk, version, direction="up", revision=stale)
    assert response.status_code == 409
    assert clause(version, pk=target.pk).number == "2.2"


def test_a_write_without_a_revision_is_refused(officer, version) -> None:
    target = clause(version, number="2.1")
    response = officer.post(reverse("standards:editor_save", args=[target.pk]), {"title": "x"})
    assert response.status_code == 400
    assert "请刷新页面" in response.content.decode()


# ---- structure operations ---------------------------------------------------------------------


def test_add_after_renumbers_and_rerenders_the_tree(officer, version) -> None:
    first = clause(version, number="2.1")
    before = revision(version)
    response = post(officer, "add", version.pk, version, after=first.pk, kind="clause")
    assert response.status_code == 200
    assert shown_revision(response) == before + 1
    new = version.clauses.get(number="2.2")
    assert new.kind == "clause" and new.parent_id == first.parent_id
    assert clause(version, title="质量").number == "2.3"
    html = response.content.decode()
    assert f'id="row-{new.pk}"' in html
    assert "editor-focus" in response["HX-Trigger-After-Settle"]


def test_add_after_saves_what_the_row_held_first(officer, version) -> None:
    first = clause(version, number="2.1")
    response = post(
        officer, "add", version.pk, version, after=first.pk, kind="clause", title="保洁频次"
    )
    assert response.status_code == 200
    assert clause(version, pk=first.pk).title == "保洁频次"


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("paragraph", ("paragraph", "", "")),
        ("list_item", ("list_item", "a)", "")),
        ("note", ("note", "注", "")),
        ("example", ("example", "示例", "")),
        ("table", ("table", "表1", "")),
        ("figure", ("figure", "图1", "")),
        ("clause", ("clause", "2.1.1", "")),
    ],
)
def test_add_child_takes_every_content_kind(officer, version, kind, expected) -> None:
    parent = clause(version, number="2.1")
    response = post(officer, "add", version.pk, version, parent=parent.pk, kind=kind)
    assert response.status_code == 200, response.content.decode()
    added = version.clauses.filter(parent=parent).order_by("-position").first()
    assert (added.kind, added.number, added.text) == expected


def test_add_refuses_a_kind_that_cannot_stand_there(officer, version) -> None:
    paragraph = clause(version, text="地面宜无积水。")
    response = post(officer, "add", version.pk, version, parent=paragraph.pk, kind="paragraph")
    assert response.status_code == 400
    assert "之下不能再加内容" in response.content.decode()
    response = post(officer, "add", version.pk, version, kind="nonsense")
    assert response.status_code == 400


def test_add_refuses_a_parent_from_another_version(officer, version, in_force) -> None:
    foreign = version_of(in_force).clauses.get(number="2.1")
    response = post(officer, "add", version.pk, version, parent=foreign.pk, kind="paragraph")
    assert response.status_code == 404


def test_top_level_elements_go_to_their_place(officer, version) -> None:
    for kind in ("terms", "introduction", "annex", "references", "bibliography"):
        assert post(officer, "add", version.pk, version, kind=kind).status_code == 200
    top = [
        (c.kind, c.number, c.title)
        for c in version.clauses.filter(parent=None).order_by("position")
    ]
    assert top == [
        ("foreword", "", ""),
        ("introduction", "", ""),
        ("scope", "1", "范围"),
        ("references", "2", "规范性引用文件"),
        ("terms", "3", "术语和定义"),
        ("chapter", "4", "保洁要求"),
        ("annex", "附录A", ""),
        ("bibliography", "", ""),
    ]
    response = post(officer, "add", version.pk, version, kind="scope")
    assert response.status_code == 400
    assert "只能有一个" in response.content.decode()


def test_a_first_element_goes_before_the_others(officer, version) -> None:
    clause(version, kind="foreword").delete()
    ops.renumber(version)
    assert post(officer, "add", version.pk, version, kind="foreword").status_code == 200
    assert version.clauses.filter(parent=None).order_by("position").first().kind == "foreword"


def test_move_up_down_indent_and_outdent(officer, version) -> None:
    second = clause(version, number="2.2")
    assert post(officer, "move", second.pk, version, direction="up").status_code == 200
    assert clause(version, pk=second.pk).number == "2.1"
    assert post(officer, "move", second.pk, version, direction="down").status_code == 200
    assert clause(version, pk=second.pk).number == "2.2"
    response = post(officer, "move", second.pk, version, direction="indent")
    assert response.status_code == 200
    assert clause(version, pk=second.pk).number == "2.1.1"
    assert post(officer, "move", second.pk, version, direction="outdent").status_code == 200
    assert clause(version, pk=second.pk).number == "2.2"


def test_a_move_that_cannot_be_done_says_why_and_changes_nothing(officer, version) -> None:
    first = clause(version, number="2.1")
    before = revision(version)
    response = post(officer, "move", first.pk, version, direction="up")
    assert response.status_code == 400
    assert "已经在最前面了" in response.content.decode()
    assert revision(version) == before
    response = post(officer, "move", first.pk, version, direction="sideways")
    assert response.status_code == 400


def test_split_at_the_caret_saving_the_typed_text_first(officer, version) -> None:
    target = clause(version, text="保洁员应每2 h保洁1次。")
    typed = "保洁员应每1 h保洁1次，高峰时段应每30 min巡查1次。"
    at = typed.index("高峰")
    response = post(officer, "split", target.pk, version, text=typed, at=at)
    assert response.status_code == 200, response.content.decode()
    siblings = list(version.clauses.filter(parent=target.parent).order_by("position"))
    assert [c.text for c in siblings] == ["保洁员应每1 h保洁1次，", "高峰时段应每30 min巡查1次。"]
    assert siblings[0].pk == target.pk  # the first half keeps the identity


def test_split_needs_text_on_both_sides(officer, version) -> None:
    target = clause(version, text="地面宜无积水。")
    response = post(officer, "split", target.pk, version, at=0)
    assert response.status_code == 400
    assert "两边都要有文字" in response.content.decode()
    response = post(officer, "split", target.pk, version, at="")
    assert response.status_code == 400


def test_merge_with_the_next_of_the_same_kind(officer, version) -> None:
    target = clause(version, text="保洁员应每2 h保洁1次。")
    ops.clause_add(
        version=version,
        actor=None,
        base_revision=None,
        kind="paragraph",
        parent=target.parent,
        after=target,
        text="夜间应每4 h保洁1次。",
    )
    response = post(officer, "merge", target.pk, version)
    assert response.status_code == 200
    assert clause(version, pk=target.pk).text == "保洁员应每2 h保洁1次。夜间应每4 h保洁1次。"
    assert version.clauses.filter(parent=target.parent).count() == 1
    response = post(officer, "merge", target.pk, version)
    assert response.status_code == 400
    assert "后面没有同级条款" in response.content.decode()


def test_delete_takes_the_clause_and_what_is_under_it(officer, version) -> None:
    first = clause(version, number="2.1")
    response = post(officer, "delete", first.pk, version)
    assert response.status_code == 200
    assert not version.clauses.filter(pk=first.pk).exists()
    assert clause(version, title="质量").number == "2.1"
    assert version.clauses.count() == 8


# ---- terms, references, tables, annexes, lists -----------------------------------------------


def test_terms_are_edited_as_a_table(officer, version) -> None:
    post(officer, "add", version.pk, version, kind="terms")
    terms = clause(version, kind="terms")
    assert (
        post(officer, "add", version.pk, version, parent=terms.pk, kind="term").status_code == 200
    )
    term = clause(version, kind="term")
    assert term.number == "2.1"
    response = post(
        officer,
        "save",
        term.pk,
        version,
        term="保洁",
        english="cleaning",
        definition="清除公共区域的污渍和垃圾的作业。",
        source="",
    )
    assert response.status_code == 200
    assert clause(version, pk=term.pk).extra == {
        "term": "保洁",
        "english": "cleaning",
        "definition": "清除公共区域的污渍和垃圾的作业。",
        "source": "",
    }
    page = officer.get(reverse("standards:editor", args=[version.pk])).content.decode()
    assert "ed-term-head" in page and 'value="cleaning"' in page and "添加术语" in page
    response = post(officer, "add", version.pk, version, after=term.pk, kind="term")
    assert response.status_code == 200
    assert [c.number for c in version.clauses.filter(kind="term").order_by("position")] == [
        "2.1",
        "2.2",
    ]


def test_references_come_from_the_library_or_are_typed(officer, version, in_force, draft) -> None:
    post(officer, "add", version.pk, version, kind="references")
    chapter = clause(version, kind="references")
    url = reverse("standards:editor_library", args=[version.pk])
    results = officer.get(url, {"q": "001", "parent": chapter.pk}).content.decode()
    assert "JGSW/FW 001—2026" in results and f'data-standard="{in_force.pk}"' in results
    assert f'data-standard="{draft.pk}"' not in results  # not its own standard
    response = post(
        officer,
        "add",
        version.pk,
        version,
        parent=chapter.pk,
        kind="reference",
        standard=in_force.pk,
    )
    assert response.status_code == 200
    cited = clause(version, kind="reference")
    assert cited.extra == {"code": "JGSW/FW 001", "year": "2026", "title": "公共卫生间保洁规范"}
    again = officer.get(url, {"q": "保洁", "parent": chapter.pk}).content.decode()
    assert "已引用" in again
    post(officer, "add", version.pk, version, parent=chapter.pk, kind="reference")
    typed = version.clauses.filter(kind="reference").order_by("-position").first()
    response = post(
        officer,
        "save",
        typed.pk,
        version,
        ref_code="GB/T 24421.1",
        ref_year="2023",
        ref_title="服务业组织标准化工作指南 第1部分：基本要求",
    )
    assert response.status_code == 200
    assert clause(version, pk=typed.pk).extra["year"] == "2023"
    response = post(officer, "save", typed.pk, version, ref_year="23")
    assert response.status_code == 400
    assert "四位数字" in response.content.decode()


def test_the_library_only_offers_this_organizations_standards(
    officer, version, org_b, standards_officer
) -> None:
    from tests.standards.builders import in_force_make

    in_force_make(org_b, person(org_b, "owen", "standards_officer"), number="JGSW/FW 009—2026")
    results = officer.get(reverse("standards:editor_library", args=[version.pk]), {"q": "009"})
    assert "JGSW/FW 009" not in results.content.decode()
    assert "没有编号或名称含" in results.content.decode()


def test_a_table_grid_adds_and_removes_rows_and_columns(officer, version) -> None:
    parent = clause(version, number="2.1")
    post(officer, "add", version.pk, version, parent=parent.pk, kind="table")
    table = clause(version, kind="table")

    def grid(**data):
        return officer.post(
            reverse("standards:editor_save", args=[table.pk]),
            {"revision": revision(version), **data},
        )

    response = grid(title="保洁记录", th=["时间", "保洁人"], td=["8:00", "张三"], grid="add_row")
    assert response.status_code == 200
    assert f'id="row-{table.pk}"' in response.content.decode()
    assert clause(version, pk=table.pk).extra == {
        "header": ["时间", "保洁人"],
        "rows": [["8:00", "张三"], ["", ""]],
    }
    grid(th=["时间", "保洁人"], td=["8:00", "张三", "10:00", "李四"], grid="add_col")
    assert clause(version, pk=table.pk).extra["header"] == ["时间", "保洁人", ""]
    grid(
        th=["时间", "保洁人", "签字"],
        td=["8:00", "张三", "", "10:00", "李四", ""],
        grid="del_col:0",
    )
    assert clause(version, pk=table.pk).extra == {
        "header": ["保洁人", "签字"],
        "rows": [["张三", ""], ["李四", ""]],
    }
    grid(th=["保洁人", "签字"], td=["张三", "", "李四", ""], grid="del_row:0")
    assert clause(version, pk=table.pk).extra["rows"] == [["李四", ""]]
    response = grid(th=["保洁人", "签字"], td=["李四"], grid="")
    assert response.status_code == 400
    assert clause(version, pk=table.pk).title == "保洁记录"


def test_an_annex_type_and_a_list_style_are_chosen(officer, version) -> None:
    post(officer, "add", version.pk, version, kind="annex")
    annex = clause(version, kind="annex")
    assert annex.extra == {"annex_type": "normative"}
    assert (
        post(
            officer, "save", annex.pk, version, annex_type="informative", title="记录表"
        ).status_code
        == 200
    )
    annex = clause(version, pk=annex.pk)
    assert (annex.extra, annex.title) == ({"annex_type": "informative"}, "记录表")
    assert post(officer, "save", annex.pk, version, annex_type="other").status_code == 400
    parent = clause(version, number="2.1")
    post(officer, "add", version.pk, version, parent=parent.pk, kind="list_item")
    item = clause(version, kind="list_item")
    response = post(officer, "save", item.pk, version, style="dash", text="地面")
    assert response.status_code == 200
    assert response["HX-Retarget"] == "#clause-tree"  # the list's labels changed: new tree
    assert f'id="row-{item.pk}"' in response.content.decode()
    item = clause(version, pk=item.pk)
    assert (item.number, item.extra, item.text) == ("——", {"style": "dash"}, "地面")
    post(officer, "add", version.pk, version, parent=item.pk, kind="list_item")
    nested = version.clauses.get(parent=item)
    assert nested.extra == {"style": "numeric"} and nested.number == "1)"
