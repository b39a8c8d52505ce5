"""S-REF-01…04 (chapter 2's lead-in, list against citations, entry form and order,
withdrawn documents) and S-TERM-01…03 (chapter 3's lead-in, entries, unused terms)."""

from __future__ import annotations

from houqin.standards import textformat as tf
from houqin.standards.checker import texts
from houqin.standards.checker.rules.references import citations
from tests.standards.checker.test_structure_rules import BASE, draft_of, edited, hits

LEAD_IN = texts.REFERENCES_LEAD_IN + "\n"
LISTED = "> GB/T 18883 室内空气质量标准\n> GB/T 41568—2022 机关事务管理 术语\n"
TERMS_LEAD_IN = "GB/T 41568—2022界定的以及下列术语和定义适用于本文件。\n"
TERM_LINES = (
    "= 会后保洁 | post-meeting cleaning | 会议结束后对会议室进行的清洁作业。\n"
    "= 保洁记录表 | cleaning record form | 记录保洁作业时间、内容和作业人的表格。\n"
)


def without_references() -> str:
    markup = edited(TERMS_LEAD_IN, texts.TERMS_LEAD_IN + "\n")
    markup = edited("会议室的室内空气质量应符合GB/T 18883的规定。\n", "", markup)
    return edited(LEAD_IN + LISTED, texts.REFERENCES_NONE + "\n", markup)


def test_citations_are_read_with_their_year_and_parts():
    found = list(
        citations("应符合GB/T 18883、GB 31654—2021、TSG T5002—2017附件A和GB/T 3102（所有部分）")
    )
    assert [(c.key, c.year, c.all_parts) for c in found] == [
        ("GB/T 18883", "", False),
        ("GB 31654", "2021", False),
        ("TSG T5002", "2017", False),
        ("GB/T 3102", "", True),
    ]
    assert list(citations("PM 2.5浓度、IP 54防护、ISO 9001:2015认证")) != []
    assert [c.key for c in citations("PM 2.5浓度、IP 54防护等级")] == []
    assert [c.key for c in citations("按JGSW/TG 001执行")] == ["JGSW/TG 001"]


# ---- S-REF-01 ---------------------------------------------------------------------------


def test_the_2009_lead_in_is_replaced():
    old = (
        "下列文件对于本文件的应用是必不可少的。凡是注日期的引用文件，仅注日期的版本适用于本文件。\n"
    )
    (hit,) = hits(edited(LEAD_IN, old), "S-REF-01")
    assert hit.clause == "2"
    assert (hit.fix.field, hit.fix.after) == ("text", texts.REFERENCES_LEAD_IN)


def test_no_entries_means_the_none_sentence():
    assert hits(without_references(), "S-REF-01") == []
    markup = edited(texts.REFERENCES_NONE, texts.REFERENCES_LEAD_IN, without_references())
    (hit,) = hits(markup, "S-REF-01")
    assert hit.fix.after == texts.REFERENCES_NONE
    (hit,) = hits(edited(LEAD_IN, texts.REFERENCES_NONE + "\n"), "S-REF-01")
    assert hit.fix.after == texts.REFERENCES_LEAD_IN


def test_a_missing_lead_in_is_inserted():
    (hit,) = hits(edited(LEAD_IN, ""), "S-REF-01")
    assert (hit.fix.field, hit.fix.before) == ("insert", 0)


def test_a_missing_chapter_2():
    markup = without_references().replace("# 规范性引用文件\n" + texts.REFERENCES_NONE + "\n", "")
    (hit,) = hits(markup, "S-REF-01")
    assert hit.clause == ""
    assert (hit.fix.uid, hit.fix.field, hit.fix.before) == ("", "insert", 2)
    assert hit.fix.after.kind == tf.REFERENCES
    cited = edited("# 规范性引用文件\n" + LEAD_IN + LISTED, "")
    (hit,) = hits(cited, "S-REF-01")
    assert "GB/T 18883" in hit.message and hit.fix is None
    assert hits(cited, "S-REF-02") == []


# ---- S-REF-02 ---------------------------------------------------------------------------


def test_a_citation_not_listed_and_an_entry_not_cited():
    markup = edited("符合GB/T 18883的规定", "符合GB/T 18884的规定")
    found = hits(markup, "S-REF-02")
    assert [(h.clause, h.message) for h in found] == [
        ("2", "“GB/T 18883 室内空气质量标准”列在规范性引用文件中，正文却没有引用它。"),
        ("4.2", "正文引用了GB/T 18884，规范性引用文件中没有列出。"),
    ]
    assert found[1].excerpt[found[1].span[0] : found[1].span[1]] == "GB/T 18884"


def test_dated_against_undated():
    (hit,) = hits(edited("符合GB/T 18883的规定", "符合GB/T 18883—2022的规定"), "S-REF-02")
    assert "“GB/T 18883—2022”" in hit.message and "“GB/T 18883”" in hit.message
    (hit,) = hits(
        edited(TERMS_LEAD_IN, "GB/T 41568界定的以及下列术语和定义适用于本文件。\n"), "S-REF-02"
    )
    assert hit.clause == "3"


def test_notes_examples_and_the_bibliography_do_not_count():
    markup = edited("注：会期超过1 d", "注：GB/T 20000.1规定了术语。会期超过1 d")
    assert hits(markup, "S-REF-02") == []
    markup = edited("> 中华人民共和国消防法\n", "> GB/T 20000.1 标准化工作指南\n")
    markup = edited("## 抽查\n", "## 抽查\n抽查方法参见GB/T 20000.1。\n", markup)
    assert hits(markup, "S-REF-02") == []


def test_a_citation_in_an_informative_annex_uses_an_entry_but_needs_none():
    markup = edited("会议室的室内空气质量应符合GB/T 18883的规定。\n", "")
    markup = edited(
        "@附录 资料性 保洁记录表\n",
        "@附录 资料性 保洁记录表\n空气质量参照GB/T 18883和GB/T 2887。\n",
        markup,
    )
    assert hits(markup, "S-REF-02") == []


def test_a_part_of_an_all_parts_entry():
    markup = edited(LISTED, LISTED + "> GB/T 24421（所有部分） 服务业组织标准化工作指南\n")
    markup = edited("## 抽查\n", "## 抽查\n抽查应按GB/T 24421.4—2023执行。\n", markup)
    assert hits(markup, "S-REF-02") == []


def test_a_law_in_the_list_is_cited_by_its_title():
    markup = edited(LISTED, LISTED + "> 中华人民共和国消防法\n")
    (hit,) = hits(markup, "S-REF-02")
    assert "中华人民共和国消防法" in hit.message
    cited = edited("## 抽查\n", "## 抽查\n消防器材应符合《中华人民共和国消防法》。\n", markup)
    assert hits(cited, "S-REF-02") == []


def test_the_documents_own_number_is_no_citation():
    assert (
        hits(edited("## 抽查\n", "## 抽查\n抽查按JGSW/WY 010—2026附录A执行。\n"), "S-REF-02") == []
    )


# ---- S-REF-03 ---------------------------------------------------------------------------


def test_entries_out_of_order():
    swapped = "> GB/T 41568—2022 机关事务管理 术语\n> GB/T 18883 室内空气质量标准\n"
    (hit,) = hits(edited(LISTED, swapped), "S-REF-03")
    assert (hit.fix.field, hit.fix.before, hit.fix.after) == ("position", 2, 1)
    assert hit.clause == "2"


def test_national_industry_local_group_iso_order():
    ordered = (
        "> GB/T 1.1—2020 标准化工作导则\n> GB/T 18883 室内空气质量标准\n"
        "> GB/T 41568—2022 机关事务管理 术语\n> JGJ 33 建筑机械使用安全技术规程\n"
        "> DB42/T 1001 机关事务\n> T/CAS 290 团体标准\n> ISO 9001 质量管理体系\n"
        "> IEC 60204-1 机械电气安全\n"
    )
    assert [h.message for h in hits(edited(LISTED, ordered), "S-REF-03")] == []
    wrong = ordered.replace("> ISO 9001 质量管理体系\n", "").replace(
        "> GB/T 1.1", "> ISO 9001 质量管理体系\n> GB/T 1.1"
    )
    (hit,) = hits(edited(LISTED, wrong), "S-REF-03")
    assert "ISO 9001" in hit.message


def test_entry_form_faults_are_fixed():
    (hit,) = hits(
        edited("> GB/T 18883 室内空气质量标准", "> GB/T 18883 《室内空气质量标准》"), "S-REF-03"
    )
    assert hit.fix.after["title"] == "室内空气质量标准"
    draft = draft_of(BASE)
    entry = next(e for e in draft.walk() if e.kind == tf.REFERENCE)
    entry.extra.update(code="GB/T 3102(所有部分)", year="")
    (hit,) = hits(draft, "S-REF-03")
    assert hit.fix.after["code"] == "GB/T 3102（所有部分）"
    entry.extra.update(code="GB/T 3102（所有部分）", year="1993")
    (hit,) = hits(draft, "S-REF-03")
    assert hit.fix.after["year"] == ""
    entry.extra.update(code="GB/T 3102（所有部分）", year="", title="")
    (hit,) = hits(draft, "S-REF-03")
    assert hit.fix is None and "名称" in hit.message


# ---- S-REF-04 ---------------------------------------------------------------------------


def test_a_dated_reference_to_an_old_edition():
    draft = draft_of(BASE, superseded={"GB/T 41568": "GB/T 41568—2025"})
    (hit,) = hits(draft, "S-REF-04")
    assert hit.message == "GB/T 41568—2022已被GB/T 41568—2025代替。"
    current = draft_of(BASE, superseded={"GB/T 41568": "GB/T 41568—2022"})
    assert hits(current, "S-REF-04") == []


def test_an_undated_reference_follows_the_latest_edition_unless_withdrawn():
    assert hits(draft_of(BASE, superseded={"GB/T 18883": "GB/T 18883—2022"}), "S-REF-04") == []
    (hit,) = hits(draft_of(BASE, superseded={"GB/T 18883": ""}), "S-REF-04")
    assert hit.message == "GB/T 18883已废止。"
    (hit,) = hits(draft_of(BASE, superseded={"GB/T 18883": "GB/T 99999—2026"}), "S-REF-04")
    assert "GB/T 99999—2026" in hit.message


# ---- S-TERM-01 --------------------------------------------------------------------------


def test_the_terms_lead_in_forms():
    assert hits(edited(TERMS_LEAD_IN, texts.TERMS_LEAD_IN + "\n"), "S-TERM-01") == []
    (hit,) = hits(edited(TERMS_LEAD_IN, "下列术语和定义适用于本标准。\n"), "S-TERM-01")
    assert hit.fix.after == texts.TERMS_LEAD_IN
    (hit,) = hits(
        edited(TERMS_LEAD_IN, "GB/T 41568—2022界定的术语和定义以及下列术语适用于本文件。\n"),
        "S-TERM-01",
    )
    assert hit.fix.after == TERMS_LEAD_IN.strip()


def test_no_terms_means_the_none_sentence():
    markup = edited(TERMS_LEAD_IN + TERM_LINES, texts.TERMS_NONE + "\n")
    assert hits(markup, "S-TERM-01") == []
    borrowed_only = edited(
        TERMS_LEAD_IN + TERM_LINES, "GB/T 41568—2022界定的术语和定义适用于本文件。\n"
    )
    assert hits(borrowed_only, "S-TERM-01") == []
    (hit,) = hits(edited(TERMS_LEAD_IN + TERM_LINES, texts.TERMS_LEAD_IN + "\n"), "S-TERM-01")
    assert hit.fix.after == texts.TERMS_NONE


def test_a_missing_chapter_3_is_inserted_after_chapter_2():
    markup = BASE.replace(BASE[BASE.index("# 术语和定义") : BASE.index("# 总体要求")], "")
    (hit,) = hits(markup, "S-TERM-01")
    assert (hit.clause, hit.fix.before) == ("", 3)
    assert hit.fix.after.children[0].text == texts.TERMS_NONE


# ---- S-TERM-02 --------------------------------------------------------------------------


def test_a_term_without_english_or_with_a_definition_that_is_a_sentence():
    markup = edited("| post-meeting cleaning |", "|  |")
    (hit,) = hits(markup, "S-TERM-02")
    assert (hit.clause, hit.message) == ("3.1", "术语“会后保洁”没有英文对应词。")
    markup = edited("| 会议结束后对", "| 会后保洁是指会议结束后对")
    (hit,) = hits(markup, "S-TERM-02")
    assert hit.message == "“会后保洁”的定义写成了“会后保洁是指……”。"
    assert hits(edited("| 会议结束后对", "| 指定人员在会议结束后对"), "S-TERM-02") == []


# ---- S-TERM-03 --------------------------------------------------------------------------


def renamed_annex() -> str:
    markup = edited("@附录 资料性 保洁记录表", "@附录 资料性 记录表格")
    return edited("表：保洁记录表", "表：记录表格", markup)


def test_an_unused_term():
    markup = renamed_annex()
    (hit,) = hits(edited("填写保洁记录表", "填写记录", markup), "S-TERM-03")
    assert (hit.clause, hit.message) == ("3.2", "术语“保洁记录表”在正文中没有使用。")


def test_a_term_used_only_in_an_annex_title_counts():
    assert hits(edited("填写保洁记录表", "填写记录"), "S-TERM-03") == []


def test_a_term_used_through_its_abbreviation():
    markup = edited("填写保洁记录表", "填写记录", renamed_annex())
    abbreviated = edited("= 保洁记录表 |", "= 保洁记录表（BJB） |", markup)
    assert [h.clause for h in hits(abbreviated, "S-TERM-03")] == ["3.2"]
    used = edited("## 抽查\n", "## 抽查\n抽查时核对BJB。\n", abbreviated)
    assert hits(used, "S-TERM-03") == []


def test_chapter_2_is_inserted_after_the_front_matter_when_there_is_no_scope():
    markup = "@前言\n本文件由江城市机关事务服务中心提出。\n\n# 保洁\n会议室应每日清洁1次。\n"
    (hit,) = hits(markup, "S-REF-01")
    assert hit.fix.before == 1
    (hit,) = hits(markup, "S-TERM-01")
    assert hit.fix.before == 1
