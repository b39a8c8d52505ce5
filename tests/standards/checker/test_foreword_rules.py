"""S-FORE-01…05: the foreword's drafting statement, no provisions, the 提出/归口/起草 lines,
the patent notice, and the replacement or first-issue statement."""

from __future__ import annotations

from houqin.standards import textformat as tf
from houqin.standards.checker import texts
from houqin.standards.checker.document import Cover
from tests.standards.checker.test_structure_rules import BASE, draft_of, edited, hits

STATEMENT = (
    "本文件按照GB/T 1.1—2020《标准化工作导则  第1部分：标准化文件的结构和起草规则》的规定起草。\n"
)
PROPOSED = "本文件由江城市机关事务服务中心提出。\n"
OWNED = "本文件由江城市机关事务服务中心物业管理科归口。\n"
UNITS = "本文件起草单位：江城市机关事务服务中心。\n"
PEOPLE = "本文件主要起草人：郑晓东、黄秀英。\n"
FIRST = "本文件首次发布。\n"


def without_foreword() -> str:
    return BASE.replace(BASE[BASE.index("@前言") : BASE.index("# 范围")], "")


def test_no_foreword_rule_fires_without_a_foreword():
    for rule_id in ("S-FORE-01", "S-FORE-02", "S-FORE-03", "S-FORE-04", "S-FORE-05"):
        assert hits(without_foreword(), rule_id) == [], rule_id


# ---- S-FORE-01 --------------------------------------------------------------------------


def test_the_2009_statement_is_replaced():
    (hit,) = hits(edited(STATEMENT, "本标准按照GB/T 1.1—2009给出的规则起草。\n"), "S-FORE-01")
    assert hit.clause == "前言"
    assert "GB/T 1.1—2009" in hit.message
    assert (hit.fix.field, hit.fix.after) == ("text", texts.DRAFTING_STATEMENT)


def test_the_statement_must_come_first():
    markup = edited(STATEMENT, "").replace(PROPOSED, PROPOSED + STATEMENT, 1)
    (hit,) = hits(markup, "S-FORE-01")
    assert (hit.fix.field, hit.fix.before, hit.fix.after) == ("position", 2, 0)


def test_a_missing_statement_is_inserted():
    (hit,) = hits(edited(STATEMENT, ""), "S-FORE-01")
    assert hit.fix.field == "insert"
    assert hit.fix.after == tf.Node(tf.PARAGRAPH, text=texts.DRAFTING_STATEMENT)


def test_the_statement_with_single_spacing_is_accepted():
    single = STATEMENT.replace("导则  第1部分", "导则 第1部分")
    assert hits(edited(STATEMENT, single), "S-FORE-01") == []
    assert hits(edited(STATEMENT, texts.DRAFTING_STATEMENT + "\n"), "S-FORE-01") == []


# ---- S-FORE-02 --------------------------------------------------------------------------


def test_a_requirement_in_the_foreword():
    (hit,) = hits(edited(FIRST, FIRST + "各科室宜在实施前组织学习本文件。\n"), "S-FORE-02")
    assert hit.clause == "前言"
    assert hit.message == "前言中有“宜”引出的条款。"


def test_a_table_or_a_numbered_paragraph_in_the_foreword():
    markup = edited(FIRST, FIRST + "表：主要变化\n| 条 | 变化 |\n| 4.1 | 增加 |\n\n")
    assert [h.message for h in hits(markup, "S-FORE-02")] == ["前言中出现了表。"]
    markup = edited(FIRST, FIRST + "1 本文件的结构做了调整。\n")
    assert [h.message for h in hits(markup, "S-FORE-02")] == ["前言中的段落带有编号。"]


def test_words_that_only_look_like_modal_verbs_are_fine():
    changes = (
        "本文件代替JGSW/WY 010—2020，与JGSW/WY 010—2020相比，除结构调整和编辑性改动外，"
        "主要技术变化如下：\n——增加了应急保洁的要求（见5.2）；\n——更改了供应商的评价方法（见6.2）。\n"
    )
    markup = edited(FIRST, changes)
    markup = edited(PEOPLE, "本文件主要起草人：李应龙、王可欣。\n", markup)
    markup = edited(PROPOSED, "本文件由宜昌市机关事务服务中心提出。\n", markup)
    assert hits(markup, "S-FORE-02") == []


# ---- S-FORE-03 --------------------------------------------------------------------------


def test_missing_lines_are_named():
    (hit,) = hits(edited(OWNED, "").replace(PEOPLE, ""), "S-FORE-03")
    assert hit.message == "前言缺少归口、主要起草人的说明。"
    assert hit.fix is None


def test_lines_out_of_order():
    markup = edited(PROPOSED + OWNED, OWNED + PROPOSED)
    (hit,) = hits(markup, "S-FORE-03")
    assert "归口、提出" in hit.message


def test_proposed_and_owned_in_one_line():
    markup = edited(PROPOSED + OWNED, "本文件由江城市机关事务服务中心提出并归口。\n")
    assert hits(markup, "S-FORE-03") == []


# ---- S-FORE-04 --------------------------------------------------------------------------


def test_a_missing_patent_notice_is_inserted_before_the_proposer():
    (hit,) = hits(edited(texts.PATENT_NOTICE + "\n", ""), "S-FORE-04")
    assert hit.clause == "前言"
    assert (hit.fix.field, hit.fix.before) == ("insert", 1)
    assert hit.fix.after.text == texts.PATENT_NOTICE


def test_the_2009_patent_wording_is_replaced():
    old = "请注意本文件的某些内容可能涉及专利。本文件的发布机构不承担识别这些专利的责任。\n"
    (hit,) = hits(edited(texts.PATENT_NOTICE + "\n", old), "S-FORE-04")
    assert (hit.fix.field, hit.fix.after) == ("text", texts.PATENT_NOTICE)


# ---- S-FORE-05 --------------------------------------------------------------------------


def test_a_first_edition_without_the_first_issue_line():
    (hit,) = hits(edited(FIRST, ""), "S-FORE-05")
    assert hit.severity == "warning"
    assert texts.FIRST_ISSUE in hit.suggestion


def test_a_replacing_edition_must_name_what_it_replaces_and_its_changes():
    cover = Cover(
        number="JGSW/WY 010—2026", title="会议室保洁服务规范", replaces=["JGSW/WY 010—2020"]
    )
    (hit,) = hits(draft_of(BASE, cover=cover), "S-FORE-05")
    assert "首次发布" in hit.message
    draft = draft_of(edited(FIRST, ""), cover=cover)
    (hit,) = hits(draft, "S-FORE-05")
    assert hit.message == "前言没有说明本文件代替JGSW/WY 010—2020。"
    draft = draft_of(edited(FIRST, "本文件代替JGSW/WY 010—2020。\n"), cover=cover)
    (hit,) = hits(draft, "S-FORE-05")
    assert "主要技术变化" in hit.message
    changes = (
        "本文件代替JGSW/WY 010—2020，与JGSW/WY 010—2020相比，主要技术变化如下：\n"
        "——增加了会后保洁的时限（见5.2）。\n"
    )
    assert hits(draft_of(edited(FIRST, changes), cover=cover), "S-FORE-05") == []


def test_a_replacement_naming_another_document():
    cover = Cover(
        number="JGSW/WY 010—2026", title="会议室保洁服务规范", replaces=["JGSW/WY 003—2020"]
    )
    changes = "本文件代替JGSW/WY 010—2020，与之相比，主要技术变化如下：\n——增加了会后保洁的时限。\n"
    (hit,) = hits(draft_of(edited(FIRST, changes), cover=cover), "S-FORE-05")
    assert "JGSW/WY 003—2020" in hit.message


def test_a_replacement_statement_without_a_record_is_enough():
    changes = "本文件代替JGSW/WY 010—2020，与之相比，主要技术变化如下：\n——增加了会后保洁的时限。\n"
    assert hits(edited(FIRST, changes), "S-FORE-05") == []
