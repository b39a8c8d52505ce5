"""S-ELEM-01…06: cover, element order, required elements, chapter numbering, 目次, annexes."""

from __future__ import annotations

from datetime import date

from houqin.standards import textformat as tf
from houqin.standards.checker.document import Cover, Draft, Element
from tests.standards.checker.test_structure_rules import BASE, draft_of, edited, hits

TOC = [
    "前言\tⅠ",
    "1　范围……………………1",
    "2　规范性引用文件……………1",
    "3　术语和定义………………1",
    "4　总体要求…………………1",
    "4.1　人员……………………1",
    "5　作业要求…………………2",
    "6　检查……………………2",
    "附录A（规范性）　会后保洁作业内容……3",
    "附录B（资料性）　保洁记录表…………4",
    "参考文献……………………5",
]


def imported(markup: str = BASE, **cover: object) -> Draft:
    """A draft as the importer makes it: a printed cover with its fields and 目次."""
    values: dict[str, object] = {
        "number": "JGSW/WY 010—2026",
        "title": "会议室保洁服务规范",
        "issuer": "江城市机关事务服务中心",
        "published_on": date(2026, 3, 1),
        "effective_on": date(2026, 4, 1),
        "fields": {"备注": ""},
        "toc": list(TOC),
    }
    values.update(cover)
    return draft_of(markup, cover=Cover(**values))  # type: ignore[arg-type]


def titled(draft: Draft, title: str) -> Element:
    return next(e for e in draft.walk() if e.title == title)


def type_numbers(draft: Draft, numbers: dict[str, str]) -> Draft:
    for title, number in numbers.items():
        titled(draft, title).extra["typed"] = number
    return draft


# ---- S-ELEM-01 --------------------------------------------------------------------------


def test_it_wants_a_number_and_a_title():
    (hit,) = hits(edited("名称: 会议室保洁服务规范\n", ""), "S-ELEM-01")
    assert (hit.clause, hit.message) == ("封面", "封面缺少名称。")


def test_a_markup_draft_needs_no_dates_but_not_just_one():
    assert hits(BASE, "S-ELEM-01") == []
    (hit,) = hits(edited("层级: internal\n", "层级: internal\n发布日期: 2026-03-01\n"), "S-ELEM-01")
    assert "实施日期" in hit.message


def test_it_hits_an_effective_date_before_the_publication_date():
    markup = edited(
        "层级: internal\n", "层级: internal\n发布日期: 2026-03-01\n实施日期: 2026-02-01\n"
    )
    (hit,) = hits(markup, "S-ELEM-01")
    assert "早于" in hit.message


def test_a_stored_draft_needs_only_its_title():
    """Its number and dates are fixed when the standard is approved."""
    assert hits(draft_of(BASE, stored=True), "S-ELEM-01") == []
    assert hits(draft_of(edited("编号: JGSW/WY 010—2026\n", ""), stored=True), "S-ELEM-01") == []
    assert hits(draft_of(edited("编号: JGSW/WY 010—2026\n", "")), "S-ELEM-01")


def test_a_printed_cover_needs_dates_and_issuer():
    assert hits(imported(), "S-ELEM-01") == []
    (hit,) = hits(imported(issuer="", effective_on=None), "S-ELEM-01")
    assert hit.message == "封面缺少实施日期、发布机构。"


def test_a_printed_national_cover_needs_ics_ccs_and_english_title():
    draft = imported(number="GB/T 41568—2022", fields={"ICS": "03.080"}, level="")
    (hit,) = hits(draft, "S-ELEM-01")
    assert hit.message == "封面缺少CCS、英文名称。"
    complete = imported(
        number="DB42/T 1001—2026",
        fields={"ICS": "03.080", "CCS": "A 16"},
    )
    assert hits(complete, "S-ELEM-01") == []


# ---- S-ELEM-02 --------------------------------------------------------------------------


def test_a_foreword_after_the_scope_is_moved_to_the_front():
    foreword = BASE[BASE.index("@前言") : BASE.index("# 范围")]
    markup = edited("# 规范性引用文件", foreword + "# 规范性引用文件", BASE.replace(foreword, ""))
    (hit,) = hits(markup, "S-ELEM-02")
    assert hit.clause == "前言"
    assert (hit.fix.field, hit.fix.before, hit.fix.after) == ("position", 1, 0)
    assert "应移到“1 范围”之前" in hit.message


def test_an_introduction_before_the_foreword():
    markup = edited("@前言", "@引言\n本文件的编制背景。\n\n@前言")
    (hit,) = hits(markup, "S-ELEM-02")
    assert hit.clause == "前言"


def test_swapped_chapters_report_the_earlier_one():
    chapter_3 = BASE[BASE.index("# 术语和定义") : BASE.index("# 总体要求")]
    markup = BASE.replace(chapter_3, "")
    markup = edited("# 规范性引用文件", chapter_3 + "# 规范性引用文件", markup)
    (hit,) = hits(markup, "S-ELEM-02")
    assert hit.clause == "2"
    assert "规范性引用文件" in hit.message
    assert (hit.fix.before, hit.fix.after) == (2, 3)


def test_general_requirements_after_the_core_chapters():
    chapter_4 = BASE[BASE.index("# 总体要求") : BASE.index("# 作业要求")]
    markup = BASE.replace(chapter_4, "")
    markup = edited("@附录 规范性", chapter_4 + "@附录 规范性", markup)
    (hit,) = hits(markup, "S-ELEM-02")
    assert hit.clause == "6"
    assert "总体要求" in hit.message


def test_an_annex_among_the_chapters_and_a_bibliography_before_an_annex():
    annex = BASE[BASE.index("@附录 资料性") : BASE.index("@参考文献")]
    markup = edited("# 规范性引用文件", annex + "# 规范性引用文件", BASE.replace(annex, ""))
    (hit,) = hits(markup, "S-ELEM-02")
    assert hit.clause == "附录A"
    bibliography = BASE[BASE.index("@参考文献") :]
    markup = edited("@附录 规范性", bibliography + "\n@附录 规范性", BASE.replace(bibliography, ""))
    (hit,) = hits(markup, "S-ELEM-02")
    assert hit.clause == "参考文献"


# ---- S-ELEM-03 --------------------------------------------------------------------------


def test_it_names_each_missing_element_once():
    markup = "# 规范性引用文件\n本文件没有规范性引用文件。\n"
    found = hits(markup, "S-ELEM-03")
    assert [h.message for h in found] == [
        "缺少前言。",
        "缺少“范围”一章。",
        "缺少核心技术要素：除范围、规范性引用文件、术语和定义之外没有任何一章。",
    ]
    assert {h.clause for h in found} == {""}
    assert all(h.fix is None and h.suggestion for h in found)


def test_a_scope_typed_with_its_number_still_counts():
    assert hits(edited("# 范围\n", "# 1 范围\n"), "S-ELEM-03") == []


# ---- S-ELEM-04 --------------------------------------------------------------------------


def test_chapter_1_must_be_the_scope():
    scope = BASE[BASE.index("# 范围") : BASE.index("# 规范性引用文件")]
    markup = edited("# 术语和定义", scope + "# 术语和定义", BASE.replace(scope, ""))
    found = hits(markup, "S-ELEM-04")
    assert [(h.clause, h.message) for h in found] == [
        ("1", "第1章应为“范围”，现为“规范性引用文件”。")
    ]


def test_a_number_typed_in_a_title_is_removed():
    (hit,) = hits(edited("## 会前保洁", "## 5.1 会前保洁"), "S-ELEM-04")
    assert hit.clause == "5.1"
    assert (hit.fix.field, hit.fix.after) == ("title", "会前保洁")
    assert hits(edited("## 会前保洁", "## 24 小时值守"), "S-ELEM-04") == []


def test_a_skipped_typed_chapter_number_is_one_hit():
    draft = type_numbers(
        draft_of(BASE),
        {"范围": "1", "规范性引用文件": "2", "术语和定义": "3", "总体要求": "5", "人员": "5.1"},
    )
    type_numbers(draft, {"用品": "5.2", "作业要求": "6", "会前保洁": "6.1", "检查": "7"})
    (hit,) = hits(draft, "S-ELEM-04")
    assert (hit.clause, hit.message) == ("5", "编号“5”与所在位置不符，按顺序应为“4”。")
    assert hit.fix.after["typed"] == "4"


def test_typed_clause_and_annex_numbers_follow_their_siblings():
    draft = type_numbers(draft_of(BASE), {"会前保洁": "5.1", "会后保洁": "5.3"})
    (hit,) = hits(draft, "S-ELEM-04")
    assert (hit.clause, hit.fix.after["typed"]) == ("5.3", "5.2")
    annex = titled(draft, "会后保洁作业内容")
    annex.children.append(Element(tf.CLAUSE, "记录", extra={"typed": "A.2"}, uid="x"))
    annex.children.append(Element(tf.CLAUSE, "处理", extra={"typed": "A.1"}, uid="y"))
    found = hits(draft, "S-ELEM-04")
    assert [h.clause for h in found] == ["5.3", "A.2", "A.1"]


def test_typed_numbers_that_match_their_place_give_no_hit():
    numbers = {"范围": "1", "规范性引用文件": "2", "术语和定义": "3", "总体要求": "4"}
    draft = type_numbers(draft_of(BASE), {**numbers, "人员": "4.1", "用品": "4.2"})
    assert hits(draft, "S-ELEM-04") == []


# ---- S-ELEM-05 --------------------------------------------------------------------------


def test_a_toc_matching_the_headings_gives_no_hit():
    assert hits(imported(), "S-ELEM-05") == []
    assert hits(imported(toc=None), "S-ELEM-05") == []


def test_a_toc_listing_a_term_or_missing_a_chapter():
    toc = [*TOC[:4], "3.1　会后保洁……1", *TOC[4:6], *TOC[7:]]
    found = hits(imported(toc=toc), "S-ELEM-05")
    assert [h.message for h in found] == [
        "目次列出了术语“会后保洁”，术语和定义中的条目不应列入目次。",
        "目次缺少“5 作业要求”。",
    ]
    assert {h.clause for h in found} == {"目次"}


def test_a_renumbered_toc_line_is_one_hit():
    toc = [line.replace("6　检查", "7　检查") for line in TOC]
    (hit,) = hits(imported(toc=toc), "S-ELEM-05")
    assert "编号与正文标题“6 检查”不一致" in hit.message


def test_a_toc_of_another_document_is_one_summary_hit():
    toc = ["前言", "1 目的", "2 职责", "3 流程", "4 记录"]
    (hit,) = hits(imported(toc=toc), "S-ELEM-05")
    assert hit.message.startswith("目次与正文标题有")


def test_a_stored_draft_has_its_toc_generated():
    assert hits(draft_of(BASE, cover=Cover(toc=["乱写"]), stored=True), "S-ELEM-05") == []


# ---- S-ELEM-06 --------------------------------------------------------------------------


def test_an_annex_without_its_type():
    draft = draft_of(BASE)
    titled(draft, "保洁记录表").extra.pop("annex_type")
    (hit,) = hits(draft, "S-ELEM-06")
    assert (hit.clause, hit.severity) == ("附录B", "error")


def test_an_annex_never_mentioned():
    (hit,) = hits(edited("，记录格式见附录B。", "。"), "S-ELEM-06")
    assert (hit.clause, hit.severity) == ("附录B", "warning")


def test_an_informative_annex_cited_as_a_requirement():
    (hit,) = hits(edited("记录格式见附录B", "记录应符合附录B的规定"), "S-ELEM-06")
    assert hit.clause == "附录B"
    assert "资料性" in hit.message


def test_an_annex_mentioned_through_its_table_counts():
    markup = edited("作业内容应符合附录A的规定", "作业内容应符合表A.1的规定")
    assert hits(markup, "S-ELEM-06") == []
