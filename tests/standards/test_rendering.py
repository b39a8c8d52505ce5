"""A version's text as HTML: headings with their numbers, anchors by clause identity, list
levels, annexes with their type, tables, terms and references, everything escaped."""

from __future__ import annotations

import uuid
from typing import Any

from houqin.standards.clauses import Item
from houqin.standards.models import Clause
from houqin.standards.rendering import clause_html, heading_text, reference_text, text_html


def c(
    kind: str, number: str = "", title: str = "", text: str = "", extra: Any = None, **fields: Any
) -> Clause:
    """An unsaved clause; ``fields`` (or ``extra``, for a key named like a column) go to extra."""
    return Clause(
        uid=uuid.uuid4(),
        kind=kind,
        number=number,
        title=title,
        text=text,
        extra={**(extra or {}), **fields},
    )


def item(clause: Clause, depth: int = 0, *children: Item) -> Item:
    return Item(clause, depth, list(children))


def test_headings_as_printed() -> None:
    assert heading_text(c("chapter", "5", "服务要求")) == "5　服务要求"
    assert heading_text(c("clause", "5.2")) == "5.2"
    assert heading_text(c("foreword")) == "前言"
    assert (
        heading_text(c("annex", "附录A", "记录表", annex_type="normative"))
        == "附录A（规范性）　记录表"
    )
    assert heading_text(c("annex", "附录B", "示意图")) == "附录B　示意图"


def test_reference_text() -> None:
    assert reference_text({"code": "GB/T 24421.1", "year": "2023", "title": "基本要求"}) == (
        "GB/T 24421.1—2023　基本要求"
    )
    assert reference_text({"code": "GB 31654", "year": "", "title": "餐饮服务通用卫生规范"}) == (
        "GB 31654　餐饮服务通用卫生规范"
    )
    assert (
        reference_text({"code": "", "year": "", "title": "机关事务管理条例"}) == "机关事务管理条例"
    )


def test_every_clause_has_an_anchor_by_its_identity() -> None:
    clause = c("paragraph", text="地面宜无积水。")
    html = clause_html(item(clause, 1))
    assert f'id="c-{clause.uid}"' in html and f'data-clause="{clause.uid}"' in html


def test_text_is_escaped_everywhere() -> None:
    hostile = "<script>alert(1)</script>"
    items = [
        item(c("chapter", "1", hostile), 0, item(c("paragraph", text=hostile), 1)),
        item(c("annex", "附录A", hostile, annex_type="informative")),
        item(c("table", "表1", hostile, header=[hostile], rows=[[hostile]])),
        item(c("term", "3.1", term=hostile, english=hostile, definition=hostile, source=hostile)),
        item(c("reference", extra={"code": hostile, "year": "", "title": hostile})),
    ]
    html = str(text_html(items))
    assert "<script>" not in html
    assert html.count("&lt;script&gt;") == 12


def test_lists_are_indented_by_their_nesting_not_their_depth() -> None:
    inner = item(c("list_item", "1)", text="检查包装；", style="numeric"), 3)
    outer = item(c("list_item", "a)", text="核对凭证：", style="alpha"), 2, inner)
    html = str(text_html([item(c("clause", "5.1", "进货查验"), 1, outer)]))
    assert 'class="std-li std-l0"' in html and 'class="std-li std-l1"' in html
    assert html.index("核对凭证") < html.index("检查包装")


def test_an_annex_heading_takes_three_lines() -> None:
    html = clause_html(item(c("annex", "附录A", "留样记录表", annex_type="normative")))
    assert '附录A<br><span class="std-annex-type">（规范性）</span><br>留样记录表' in html


def test_tables_terms_notes_and_front_matter() -> None:
    table = clause_html(
        item(c("table", "表1", "清洁用品", header=["用品", "数量"], rows=[["拖把", "2 把"]]))
    )
    assert "<figcaption>表1　清洁用品</figcaption>" in table
    assert "<th>用品</th><th>数量</th>" in table and "<td>拖把</td><td>2 把</td>" in table
    term = clause_html(
        item(
            c(
                "term",
                "3.1",
                term="保洁",
                english="cleaning",
                definition="清除污渍。",
                source="GB/T 1",
            )
        )
    )
    assert (
        "保洁" in term and "cleaning" in term and "清除污渍。" in term and "[来源：GB/T 1]" in term
    )
    note = clause_html(item(c("note", "注1", text="以目测为准。"), 2))
    assert '<span class="std-no">注1：</span>以目测为准。' in note
    front = clause_html(item(c("foreword")))
    assert 'class="std-h std-front"' in front and ">前言<" in front


def test_a_published_text_is_rendered_once_and_a_draft_every_time(
    in_force, standards_officer, django_assert_num_queries
) -> None:
    from houqin.standards.rendering import version_html
    from houqin.standards.services import version_new_draft

    published = in_force.versions.get()
    first = version_html(published)
    assert "保洁员应每2 h保洁1次。" in first
    with django_assert_num_queries(0):
        assert version_html(published) == first
    draft = version_new_draft(standard=in_force, actor=standards_officer)
    with django_assert_num_queries(1):
        assert "保洁员应每2 h保洁1次。" in version_html(draft)
