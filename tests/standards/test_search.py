"""Full-text search over standards and clauses: Chinese words inside clauses, mixed codes,
ranking, highlights, filters, who finds what, the index following the standards."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import F

from houqin.standards import search as search_module
from houqin.standards.models import Standard, StandardNode, StandardVersion
from houqin.standards.search import (
    SearchFilters,
    parse,
    search,
    search_for_user,
    search_index_standard,
)
from houqin.standards.search.highlight import marked, pattern, snippet
from houqin.standards.search.index import stale_standards
from houqin.standards.services import standard_update, version_new_draft, version_publish
from tests.standards.builders import n, node_make
from tests.standards.test_search_data import CANTEEN, CLEANING, adopted_make, standard_make, text_of

pytestmark = pytest.mark.django_db


def numbers(result) -> list[str]:
    return [hit.number for hit in result.hits]


@pytest.fixture
def library(org_a, standards_officer):
    """Two internal standards in force, two adopted national ones."""
    return {
        "canteen": standard_make(
            org_a,
            standards_officer,
            title="机关食堂服务规范",
            text=CANTEEN,
            number="JGSW/TG 001—2026",
        ),
        "cleaning": standard_make(
            org_a,
            standards_officer,
            title="公共卫生间保洁规范",
            text=CLEANING,
            number="JGSW/TG 002—2026",
            lines=("property",),
            node_code="TG-02",
        ),
        "guide": adopted_make(
            org_a,
            standards_officer,
            number="GB/T 24421.1—2023",
            title="服务业组织标准化工作指南 第1部分：基本要求",
        ),
        "guide2": adopted_make(
            org_a,
            standards_officer,
            number="GB/T 24421.2—2023",
            title="服务业组织标准化工作指南 第2部分：标准体系",
        ),
    }


def test_it_cuts_queries_into_words() -> None:
    query = parse("GB/T 24421")
    assert [(w.kind, w.token) for w in query.words] == [("code", "gb/t"), ("code", "24421")]
    assert [w.token for w in parse("ＧＢ／Ｔ24421.1").words] == ["gb/t", "24421.1"]
    assert [w.token for w in parse("食品留样").words] == ["食品", "留样"]
    assert [w.token for w in parse("应留样").words] == ["应留样"]
    assert parse("  ,。!  ").words == ()
    assert len(parse("字" * 500).text) == 100
    tricky = parse('留样" OR terms:* NEAR(')
    assert [w.token for w in tricky.words] == ["留样", "or", "terms", "near"]
    assert tricky.fts5() == (
        '(terms:"留样" OR grams:"留样") AND terms:"or" AND terms:"terms" AND terms:"near"'
    )


def test_it_finds_a_chinese_word_inside_a_clause(org_a, library) -> None:
    result = search([org_a.pk], "留样")
    assert numbers(result) == ["JGSW/TG 001—2026"]
    (hit,) = result.hits
    texts = [clause.snippet for clause in hit.clauses]
    assert any("<mark>留样</mark>" in text for text in texts)
    # the chapter "1 留样" and the paragraph of 1.1 match; the paragraph is cited by its 条
    assert sorted(clause.number for clause in hit.clauses) == ["1", "1.1"]
    assert hit.clause_count == 2


def test_it_finds_words_that_jieba_cuts_differently_in_the_text(org_a, library) -> None:
    # jieba cuts "应留样" into "应留 / 样"; the grams still find "留样" and "应留样".
    assert numbers(search([org_a.pk], "应留样")) == ["JGSW/TG 001—2026"]
    assert numbers(search([org_a.pk], "食品 留样")) == ["JGSW/TG 001—2026"]
    assert numbers(search([org_a.pk], "餐用具 消毒")) == ["JGSW/TG 001—2026"]
    assert search([org_a.pk], "留样 积水").total == 0  # every word must match
    assert search([org_a.pk], '留样" OR "*').total == 0  # FTS syntax is only text


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("GB/T 24421", ["GB/T 24421.1—2023", "GB/T 24421.2—2023", "JGSW/TG 002—2026"]),
        ("24421.1", ["GB/T 24421.1—2023", "JGSW/TG 002—2026"]),
        ("GB/T 24421.2", ["GB/T 24421.2—2023"]),
        ("gb/t24421.2", ["GB/T 24421.2—2023"]),
        ("JGSW/TG 001", ["JGSW/TG 001—2026"]),
        ("24421 标准体系", ["GB/T 24421.2—2023"]),
    ],
)
def test_it_finds_mixed_codes(org_a, library, query, expected) -> None:
    assert numbers(search([org_a.pk], query)) == expected


def test_it_ranks_title_hits_above_body_hits(org_a, standards_officer, library) -> None:
    body = standard_make(
        org_a,
        standards_officer,
        title="食堂操作规程",
        number="JGSW/TG 003—2026",
        text=text_of(("要求", ("留样柜应专用。", "留样记录应保存。", "留样应冷藏48 h。"))),
    )
    title = standard_make(
        org_a,
        standards_officer,
        title="食品留样管理规范",
        number="JGSW/TG 004—2026",
        text=text_of(("范围", ("本文件适用于机关食堂。",))),
    )
    result = search([org_a.pk], "留样")
    assert numbers(result)[0] == title.number
    assert set(numbers(result)) == {title.number, body.number, "JGSW/TG 001—2026"}
    assert result.hits[0].title_hit and not result.hits[1].title_hit
    assert result.hits[0].title_html == "食品<mark>留样</mark>管理规范"
    body_hit = next(hit for hit in result.hits if hit.id == body.pk)
    assert body_hit.clause_count == 3 and len(body_hit.clauses) == 3


def test_it_escapes_text_before_marking_it() -> None:
    found = pattern(["amp", "留样"])
    assert marked("<b>留样</b> & amp", found) == (
        "&lt;b&gt;<mark>留样</mark>&lt;/b&gt; &amp; <mark>amp</mark>"
    )
    long = "甲" * 200 + "留样" + "乙" * 200
    cut = snippet(long, found)
    assert cut.startswith("…") and cut.endswith("…") and "<mark>留样</mark>" in cut
    assert len(cut) < 140


def test_it_filters(org_a, library) -> None:
    ids = [org_a.pk]
    assert numbers(search(ids, "规范", SearchFilters(level="national"))) == []
    assert set(numbers(search(ids, "指南", SearchFilters(level="national")))) == {
        "GB/T 24421.1—2023",
        "GB/T 24421.2—2023",
    }
    assert numbers(search(ids, "规范", SearchFilters(line="property"))) == ["JGSW/TG 002—2026"]
    branch = node_make(org_a, "TG-02").path
    assert numbers(search(ids, "规范", SearchFilters(node_path=branch))) == ["JGSW/TG 002—2026"]
    root = StandardNode.objects.get(organization=org_a, code="TG").path
    assert len(search(ids, "规范", SearchFilters(node_path=root)).hits) == 2
    Standard.objects.filter(pk=library["cleaning"].pk).update(status="withdrawn")
    assert numbers(search(ids, "规范", SearchFilters(status="current"))) == ["JGSW/TG 001—2026"]
    found = search(ids, "规范", SearchFilters(status="withdrawn"), include_drafts=True)
    assert numbers(found) == ["JGSW/TG 002—2026"]


def test_it_pages(org_a, library) -> None:
    first = search([org_a.pk], "24421", limit=2)
    second = search([org_a.pk], "24421", limit=2, offset=2)
    beyond = search([org_a.pk], "24421", limit=2, offset=10)
    assert first.total == second.total == beyond.total == 3
    assert len(first.hits) == 2 and len(second.hits) == 1 and beyond.hits == []
    assert set(numbers(first)).isdisjoint(numbers(second))


def test_it_never_shows_another_organizations_standards(org_a, org_b, outsider, library):
    theirs = standard_make(
        org_b, outsider, title="乙中心食堂留样规范", text=CANTEEN, number="JGSW/TG 009—2026"
    )
    assert theirs.number not in numbers(search([org_a.pk], "留样"))
    assert numbers(search([org_b.pk], "留样")) == [theirs.number]
    assert "JGSW/TG 001—2026" not in numbers(search_for_user(outsider, "留样"))


def test_workers_find_only_standards_in_force(
    org_a, worker, standards_officer, leader, library
) -> None:
    draft = standard_make(
        org_a,
        standards_officer,
        title="会议服务规范",
        status="drafting",
        text=text_of(("会前准备", ("会场应提前30 min开启空调。",))),
    )
    assert numbers(search_for_user(worker, "会场 空调")) == []
    assert numbers(search_for_user(worker, "会议服务")) == []
    assert [h.id for h in search_for_user(standards_officer, "会场 空调").hits] == [draft.pk]
    assert [h.id for h in search_for_user(leader, "会议服务").hits] == [draft.pk]
    Standard.objects.filter(pk=library["canteen"].pk).update(status="published")
    assert numbers(search_for_user(worker, "留样")) == []


def test_workers_do_not_find_draft_text_of_a_standard_in_force(
    org_a, worker, standards_officer
) -> None:
    adopted = adopted_make(
        org_a, standards_officer, number="GB 31654—2021", title="餐饮服务通用卫生规范"
    )
    version = version_new_draft(standard=adopted, actor=standards_officer)
    from houqin.standards.clauses import tree_load

    tree_load(version=version, nodes=text_of(("场所", ("食品处理区应设置在室内。",))))
    assert [h.id for h in search_for_user(standards_officer, "食品处理区").hits] == [adopted.pk]
    assert search_for_user(worker, "食品处理区").hits == []
    assert [h.id for h in search_for_user(worker, "餐饮服务").hits] == [adopted.pk]


def test_the_index_follows_publishing_and_edits(org_a, standards_officer) -> None:
    standard = standard_make(
        org_a,
        standards_officer,
        title="车辆维护保养规范",
        status="drafting",
        text=text_of(("保养", ("车辆应每5000 km进行一次保养。",))),
    )
    version = standard.versions.get()
    version_publish(
        version=version,
        actor=standards_officer,
        number="JGSW/TG 010—2026",
        published_on=date(2026, 3, 1),
        effective_on=date(2026, 4, 1),
    )
    Standard.objects.filter(pk=standard.pk).update(status="in_force")
    # Published: indexed by the service, no refresh needed.
    found = search([org_a.pk], "JGSW/TG 010", refresh=False)
    assert [h.id for h in found.hits] == [standard.pk]
    assert search([org_a.pk], "5000 保养", refresh=False).total == 1
    standard.refresh_from_db()
    standard_update(standard=standard, actor=standards_officer, data={"title": "公务用车维修规范"})
    assert search([org_a.pk], "公务用车", refresh=False).total == 1
    assert search([org_a.pk], "车辆维护", refresh=False).total == 0


def test_a_search_brings_edited_drafts_up_to_date(org_a, standards_officer) -> None:
    standard = standard_make(
        org_a,
        standards_officer,
        title="电梯维护保养规范",
        status="drafting",
        text=text_of(("维保", ("电梯应每15日维护保养1次。",))),
    )
    assert search([org_a.pk], "15日", include_drafts=True).total == 1
    version = standard.versions.get()
    # What an editor save does (clauses._lock): new text, and the draft's revision goes up.
    version.clauses.filter(kind="paragraph").update(
        text="电梯应由有资质的维保单位每半月维护保养1次。"
    )
    StandardVersion.objects.filter(pk=version.pk).update(revision=F("revision") + 1)
    assert stale_standards([org_a.pk]) == [standard.pk]
    assert search([org_a.pk], "资质 维保单位", include_drafts=True).total == 1
    assert stale_standards([org_a.pk]) == []


def test_search_index_standard_forgets_deleted_standards(org_a, standards_officer, library):
    pk = library["canteen"].pk
    Standard.objects.filter(pk=pk).update(title="改名")  # bypasses the services
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM standards_standardline WHERE standard_id = %s", [pk])
    assert search_index_standard(pk) > 1
    assert search([org_a.pk], "改名", refresh=False).total == 1


def test_it_runs_a_fixed_number_of_queries(
    org_a, standards_officer, library, django_assert_max_num_queries
) -> None:
    for i in range(12):
        standard_make(
            org_a,
            standards_officer,
            title=f"留样规范{i}",
            text=CANTEEN,
            number=f"JGSW/TG {100 + i:03d}—2026",
        )
    search([org_a.pk], "留样")  # index refresh done
    with django_assert_max_num_queries(2):
        result = search([org_a.pk], "留样", limit=20)
    assert result.total == 13 and all(hit.clauses for hit in result.hits)


def test_search_reindex_rebuilds_everything(org_a, library) -> None:
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM standards_search_row")
        if connection.vendor == "sqlite":
            cursor.execute("DELETE FROM standards_search_fts")
    assert search([org_a.pk], "留样", refresh=False).total == 0
    out = StringIO()
    call_command("search_reindex", stdout=out)
    assert "4" in out.getvalue()
    assert search([org_a.pk], "留样", refresh=False).total == 1


def test_the_package_exports_one_interface() -> None:
    assert callable(search_module.search) and callable(search_module.search_reindex)


def test_it_finds_terms_and_tables_by_what_they_keep_in_extra(org_a, standards_officer):
    standard = standard_make(
        org_a,
        standards_officer,
        title="食品留样管理规范",
        number="JGSW/TG 011—2026",
        text=(
            n(
                "terms",
                title="术语和定义",
                children=(
                    n(
                        "term",
                        term="留样",
                        english="food sample",
                        definition="按规定保存的食品成品样品。",
                    ),
                ),
            ),
            n(
                "chapter",
                title="记录",
                children=(
                    n(
                        "table",
                        title="留样记录",
                        header=["日期", "留样人"],
                        rows=[["每日", "厨师长"]],
                    ),
                ),
            ),
        ),
    )
    (hit,) = search([org_a.pk], "成品样品").hits
    assert hit.id == standard.pk and hit.clauses[0].number == "1.1"
    assert "<mark>成品样品</mark>" in hit.clauses[0].snippet
    assert search([org_a.pk], "food sample").total == 1
    (table,) = search([org_a.pk], "厨师长").hits[0].clauses
    assert table.number == "表1" and "<mark>厨师长</mark>" in table.snippet


def test_search_reindex_takes_organizations(org_a, org_b, library) -> None:
    out = StringIO()
    call_command("search_reindex", "--organization", "org-a", stdout=out)
    assert "已重建 4 项标准" in out.getvalue()
    with pytest.raises(CommandError, match="没有代码为 nowhere 的单位"):
        call_command("search_reindex", "--organization", "nowhere", stdout=StringIO())
