"""S-NUM-01…06 (条 depth, lone subdivision, titles alike, hanging paragraphs, untitled 条
subdivided, part numbers) and S-LIST-01…02 (list marks, lead-in)."""

from __future__ import annotations

from houqin.standards import textformat as tf
from houqin.standards.checker.document import Cover, Element
from tests.standards.checker.test_structure_rules import BASE, draft_of, edited, hits

DEEP = "## 会前保洁\n### 桌面\n#### 擦拭\n##### 材料\n###### 抹布\n"


# ---- S-NUM-01 ---------------------------------------------------------------------------


def test_five_levels_are_allowed_a_sixth_is_not():
    markup = edited("## 会前保洁\n", DEEP)
    assert hits(markup, "S-NUM-01") == []
    draft = draft_of(markup)
    fifth = next(e for e in draft.walk() if e.title == "抹布")
    assert fifth.number == "5.1.1.1.1.1"
    fifth.children.append(Element(tf.CLAUSE, "颜色", uid="x", number="5.1.1.1.1.1.1"))
    fifth.children.append(Element(tf.CLAUSE, "材质", uid="y", number="5.1.1.1.1.1.2"))
    found = hits(draft, "S-NUM-01")
    assert [h.clause for h in found] == ["5.1.1.1.1.1.1", "5.1.1.1.1.1.2"]


def test_a_sixth_level_typed_at_the_head_of_a_paragraph():
    markup = edited("## 会前保洁\n", DEEP + "5.1.1.1.1.1.1 抹布应按颜色分区使用。\n")
    (hit,) = hits(markup, "S-NUM-01")
    assert hit.clause == "5.1.1.1.1.1"
    assert hits(edited("## 会前保洁\n", DEEP + "5.1.1 抹布应分区使用。\n"), "S-NUM-01") == []


# ---- S-NUM-02 ---------------------------------------------------------------------------


def test_a_lone_subclause_is_reported_at_itself():
    (hit,) = hits(edited("## 抽查\n物业管理科每周应抽查不少于30%的会议室。\n", ""), "S-NUM-02")
    assert (hit.clause, hit.message) == ("6.1", "“6”之下只有一个条“6.1”。")


def test_a_lone_subclause_in_an_annex():
    markup = edited("会后保洁的作业内容见表A.1。\n", "## 部位\n会后保洁的作业内容见表A.1。\n")
    (hit,) = hits(markup, "S-NUM-02")
    assert hit.clause == "A.1"


# ---- S-NUM-03 ---------------------------------------------------------------------------


def test_mixed_titles_report_the_lower_sibling_of_the_first_change():
    (hit,) = hits(edited("## 用品\n", "##\n"), "S-NUM-03")
    assert hit.clause == "4.1"
    assert "4.2没有标题" in hit.message


def test_all_untitled_siblings_are_fine():
    markup = edited("## 人员\n", "##\n").replace("## 用品\n", "##\n")
    assert hits(markup, "S-NUM-03") == []


# ---- S-NUM-04 ---------------------------------------------------------------------------


def test_a_hanging_paragraph_suggests_an_overview():
    (hit,) = hits(edited("# 检查\n", "# 检查\n检查分为自查和抽查。\n"), "S-NUM-04")
    assert hit.clause == "6"
    assert "6.1 概述" in hit.suggestion
    assert hit.fix is None


def test_a_hanging_note_or_table_under_a_clause():
    markup = edited("### 桌面\n", "注：桌面包括主席台。\n### 桌面\n", edited("## 会前保洁\n", DEEP))
    (hit,) = hits(markup, "S-NUM-04")
    assert hit.clause == "5.1"


def test_a_terms_chapter_lead_in_is_not_hanging():
    assert hits(BASE, "S-NUM-04") == []


# ---- S-NUM-05 ---------------------------------------------------------------------------


def test_an_untitled_clause_with_subclauses():
    markup = edited("## 会前保洁\n", "##\n### 桌面\n擦拭桌面。\n### 地面\n清洁地面。\n")
    markup = markup.replace("## 会后保洁\n", "##\n")
    (hit,) = hits(markup, "S-NUM-05")
    assert hit.clause == "5.1"


# ---- S-NUM-06 ---------------------------------------------------------------------------


def cover(number: str, title: str) -> Cover:
    return Cover(number=number, title=title)


def test_a_part_number_of_two_levels():
    (hit,) = hits(
        draft_of(BASE, cover=cover("GB/T 24421.1.2—2026", "指南 第1部分：基本要求")), "S-NUM-06"
    )
    assert hit.clause == "封面"


def test_part_number_and_part_title_agree():
    good = cover("GB/T 24421.1—2026", "服务业组织标准化工作指南 第1部分：基本要求")
    assert hits(draft_of(BASE, cover=good), "S-NUM-06") == []
    other = cover("GB/T 24421.2—2026", "服务业组织标准化工作指南 第1部分：基本要求")
    assert "不一致" in hits(draft_of(BASE, cover=other), "S-NUM-06")[0].message
    untitled = cover("GB/T 24421.1—2026", "服务业组织标准化工作指南")
    assert "没有“第1部分”" in hits(draft_of(BASE, cover=untitled), "S-NUM-06")[0].message
    chinese = cover("DB42/T 24.12—2026", "机关事务 第十二部分：会议")
    assert hits(draft_of(BASE, cover=chinese), "S-NUM-06") == []
    assert (
        hits(draft_of(BASE, cover=cover("JGSW/WY 010—2026", "会议室保洁服务规范")), "S-NUM-06")
        == []
    )


# ---- S-LIST-01 --------------------------------------------------------------------------


def test_numeric_marks_on_the_first_level_become_letters():
    markup = edited("a) 擦拭桌面和椅面；\n", "1) 擦拭桌面和椅面；\n").replace(
        "b) 清洁地面", "2) 清洁地面"
    )
    (hit,) = hits(markup, "S-LIST-01")
    assert hit.clause == "5.1"
    assert hit.fix.after["style"] == "alpha"
    assert "共2项" in hit.suggestion


def test_letters_on_the_second_level_become_numbers():
    markup = edited(
        "  1) 桌面无水渍；\n  2) 椅面无灰尘；\n", "  a) 桌面无水渍；\n  b) 椅面无灰尘；\n"
    )
    (hit,) = hits(markup, "S-LIST-01")
    assert hit.fix.after["style"] == "numeric"


def test_one_style_a_level():
    (hit,) = hits(edited("b) 清洁地面。", "—— 清洁地面。"), "S-LIST-01")
    assert "混用" in hit.message
    assert hit.fix.after["style"] == "alpha"
    assert hit.fix.uid == next(e.uid for e in draft_of(BASE).walk() if e.text == "清洁地面。")


def test_dashes_on_both_levels_are_fine():
    markup = edited(
        "a) 擦拭桌面和椅面；\n  1) 桌面无水渍；\n  2) 椅面无灰尘；\nb) 清洁地面。",
        "—— 擦拭桌面和椅面；\n  —— 桌面无水渍；\n  —— 椅面无灰尘；\n—— 清洁地面。",
    )
    assert hits(markup, "S-LIST-01") == []


def test_two_lists_in_one_clause_may_differ():
    markup = edited("b) 清洁地面。\n", "b) 清洁地面。\n\n清洁用品包括：\n—— 抹布；\n—— 拖把。\n")
    assert hits(markup, "S-LIST-01") == []


# ---- S-LIST-02 --------------------------------------------------------------------------


def test_a_list_after_a_full_sentence_has_no_lead_in():
    markup = edited("完成，内容包括：\n", "完成。\n")
    (hit,) = hits(markup, "S-LIST-02")
    assert (hit.clause, hit.severity) == ("5.1", "hint")


def test_a_list_opening_a_clause_or_after_a_table():
    (hit,) = hits(edited("会前保洁应在会议开始前30 min完成，内容包括：\n", ""), "S-LIST-02")
    assert hit.message == "列项之前没有引语。"
    markup = edited("|  |  |  |\n", "|  |  |  |\n\n—— 每日1份；\n—— 保存1年。\n")
    assert [h.clause for h in hits(markup, "S-LIST-02")] == ["附录B"]


def test_a_lead_in_that_is_half_a_sentence():
    markup = edited("完成，内容包括：\n", "完成，内容包括\n")
    assert hits(markup, "S-LIST-02") == []
