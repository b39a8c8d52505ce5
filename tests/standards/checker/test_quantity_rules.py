"""Quantities, characters and standard numbers: S-QTY-01…04, S-CHAR-01, S-ID-01. Hits carry
safe fixes that, applied, leave no hit of the rule; standard numbers, clause references,
dates, times, model codes and Chinese number words are never read as quantities."""

from __future__ import annotations

import dataclasses

import pytest

from houqin.standards.checker import check
from houqin.standards.checker.base import Fix, Issue
from houqin.standards.checker.document import Cover, Draft
from tests.standards.checker.test_wording_rules import clause, draft_of, hits, marked, marks


def applied(draft: Draft, fix: Fix) -> Draft:
    """The draft with one fix applied (what the editor does)."""
    if fix.field == "number":
        assert draft.cover.number == fix.before
        draft.cover = dataclasses.replace(draft.cover, number=fix.after)
        return draft
    element = draft.find(fix.uid)
    assert element is not None
    assert getattr(element, fix.field) == fix.before
    setattr(element, fix.field, fix.after)
    return draft


def fixed_clean(markup: str, rule_id: str, *, cover: Cover | None = None) -> Draft:
    """Apply the first hit's fix until none is left; every hit must carry one."""
    draft = draft_of(markup, cover=cover)
    for _ in range(10):
        found = check(draft, rule_ids=[rule_id])
        if not found:
            return draft
        assert found[0].fix is not None
        draft = applied(draft, found[0].fix)
    raise AssertionError("fixes do not converge")


def text_after(hit: Issue) -> str:
    assert hit.fix is not None
    return hit.fix.after


# ---- S-QTY-01 / S-QTY-02 ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "rules", "after"),
    [
        ("温度应为10~15 ℃。", {"S-QTY-01"}, "温度应为10 ℃～15 ℃。"),
        ("温度应为10～15 ℃。", {"S-QTY-01"}, "温度应为10 ℃～15 ℃。"),
        ("温度应为-18～-12 ℃。", {"S-QTY-01"}, "温度应为-18 ℃～-12 ℃。"),
        ("合格率应为90～95%。", {"S-QTY-01"}, "合格率应为90%～95%。"),
        ("温度应为10至15 ℃。", {"S-QTY-01"}, "温度应为10 ℃至15 ℃。"),
        ("保洁员应每日清洁2～3次。", {"S-QTY-01"}, "保洁员应每日清洁2次～3次。"),
        ("温度应为10-15 ℃。", {"S-QTY-01", "S-QTY-02"}, "温度应为10 ℃～15 ℃。"),
        ("温度应为10 ℃-15 ℃。", {"S-QTY-02"}, "温度应为10 ℃～15 ℃。"),
        ("温度应为10 ℃—15 ℃。", {"S-QTY-02"}, "温度应为10 ℃～15 ℃。"),
        ("温度应为10 ℃–15 ℃。", {"S-QTY-02"}, "温度应为10 ℃～15 ℃。"),
        ("合格率应为90%-95%。", {"S-QTY-02"}, "合格率应为90%～95%。"),
        ("保洁员应每日清洁2-3次。", {"S-QTY-01", "S-QTY-02"}, "保洁员应每日清洁2次～3次。"),
    ],
)
def test_a_range_gets_a_unit_on_each_value_and_the_wave_sign(text, rules, after):
    for rule_id in ("S-QTY-01", "S-QTY-02"):
        found = hits(clause(text), rule_id)
        assert bool(found) == (rule_id in rules), rule_id
        if found:
            (hit,) = found
            assert hit.severity == "warning"
            assert text_after(hit) == after


@pytest.mark.parametrize(
    "text",
    [
        "温度应为10 ℃～15 ℃，湿度为40%～60%。",
        "温度应为10 ℃~15 ℃。",
        "应符合GB/T 24421.1—2023和GB 14934-2016的规定。",
        "检查项目见5.2.1～5.2.4，表1～表3。",
        "本文件自2026-01-01起实施，2026-03-01复审。",
        "供餐时间为8:00—9:00，11:30-13:00。",
        "监督电话：0571-88888888。",
        "空调型号为KFR-35GW。",
        "乘车人数为1人～4人，费用为2000元～10000元。",
        "服务期为三至五天，第1～3章为通用要求。",
        "3月—5月为防汛期。",
        "参照第1-3条执行。",
        "冷藏食品应在3至5天内食用完毕。",
    ],
)
def test_numbers_that_are_no_range_of_quantities_are_no_hit(text):
    assert hits(clause(text), "S-QTY-01") == []
    assert hits(clause(text), "S-QTY-02") == []


def test_ranges_in_titles_and_table_cells_are_fixed_in_place():
    markup = clause("表：冷藏温度10~15 ℃", "| 设施 | 温度 |", "| 冷藏柜 | 0-8 ℃ |")
    found = hits(markup, "S-QTY-01")
    assert [h.fix.field for h in found if h.fix] == ["title", "extra"]
    assert found[1].fix is not None
    assert found[1].fix.after["rows"] == [["冷藏柜", "0 ℃～8 ℃"]]
    assert found[1].fix.before["rows"] == [["冷藏柜", "0-8 ℃"]]
    draft = fixed_clean(markup, "S-QTY-01")
    assert check(draft, rule_ids=["S-QTY-02"]) == []


def test_the_title_of_a_cited_document_is_left_as_its_issuer_wrote_it():
    markup = "# 规范性引用文件\n> GB 50060 3～110 kV高压配电装置设计规范\n"
    assert hits(markup, "S-QTY-01") == []
    assert marks("# 规范性引用文件\n> GB 50060 ３～110 kV高压配电装置设计规范\n", "S-CHAR-01") == [
        "３"
    ]


def test_both_range_hits_carry_the_same_fix():
    (first,) = hits(clause("温度应为10-15 ℃。"), "S-QTY-01")
    (second,) = hits(clause("温度应为10-15 ℃。"), "S-QTY-02")
    assert first.fix == second.fix


# ---- S-QTY-03 -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "unit", "advice"),
    [
        ("留样量应不少于0.5斤。", "斤", "0.25 kg"),
        ("桌面高度应为75公分。", "公分", "75 cm"),
        ("水温应不低于140°F。", "°F", "60 ℃"),
        ("水温应不低于华氏140度。", "华氏度", "60 ℃"),
        ("每份主食应为3两。", "两", "150 g"),
        ("屏幕尺寸应不小于55英寸。", "英寸", "1397 mm"),
        ("每人每日的热量供给应为2000大卡。", "大卡", "8372 kJ"),
    ],
)
def test_a_non_legal_unit_is_a_warning_with_the_converted_value(text, unit, advice):
    (hit,) = hits(clause(text), "S-QTY-03")
    assert unit in hit.message and hit.fix is None
    assert advice in hit.suggestion


@pytest.mark.parametrize(
    "text",
    [
        "留样量应不少于0.25 kg，每袋大米为5公斤。",
        "应准备一两个备用话筒。",
        "应提交2张1寸免冠照片。",
        "桌签尺寸应为20 cm×10 cm。",
        "桌面距地面的高度为75 cm。",
    ],
)
def test_legal_units_and_look_alikes_are_no_hit(text):
    assert hits(clause(text), "S-QTY-03") == []


# ---- S-QTY-04 -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "glued", "spaced"),
    [
        ("冷藏温度应不高于8℃。", "8℃", "8 ℃"),
        ("冷冻温度应不高于-18℃。", "18℃", "-18 ℃"),
        ("每份留样应不少于125g。", "125g", "125 g"),
        ("浸泡时间应不少于10min。", "10min", "10 min"),
        ("车辆应停靠在10m范围内。", "10m", "10 m"),
        ("照度应不低于300lx。", "300lx", "300 lx"),
        ("插座额定电流为16A。", "16A", "16 A"),
        ("车速应不超过20km/h。", "20km/h", "20 km/h"),
        ("收车后应在2h内填写收车信息。", "2h", "2 h"),
    ],
)
def test_a_unit_symbol_glued_to_its_number_is_a_warning_with_a_fix(text, glued, spaced):
    (hit,) = hits(clause(text), "S-QTY-04")
    assert marked(hit) == glued
    draft = fixed_clean(clause(text), "S-QTY-04")
    paragraph = next(e for e in draft.walk() if e.kind == "paragraph")
    assert spaced in paragraph.text


@pytest.mark.parametrize(
    "text",
    [
        "冷藏温度应不高于8 ℃。",
        "杯柄应朝向右侧45°，坡度为3°30′。",
        "合格率应不低于95%。",
        "应使用A4纸打印，网络为5G。",
        "应佩戴N95口罩。",
        "空调型号为KFR-35W。",
        "景区为5A级。",
        "见5.2.1，表A.1。",
        "应开展5S管理。",
        "应使用5W-30机油。",
        "时间为8:30。",
    ],
)
def test_spaced_units_degrees_percent_and_codes_are_no_hit(text):
    assert hits(clause(text), "S-QTY-04") == []


def test_each_glued_unit_is_its_own_hit():
    markup = clause("冷藏温度应为0℃～8℃，称取125g。")
    assert marks(markup, "S-QTY-04") == ["0℃", "8℃", "125g"]
    draft = fixed_clean(markup, "S-QTY-04")
    paragraph = next(e for e in draft.walk() if e.kind == "paragraph")
    assert paragraph.text == "冷藏温度应为0 ℃～8 ℃，称取125 g。"


# ---- S-CHAR-01 ----------------------------------------------------------------------------


def test_full_width_digits_letters_and_units_are_made_half_width():
    markup = clause("每个品种的留样量应不少于１２５ ｇ，编号为ＧＢ／Ｔ　１２３４。")
    found = hits(markup, "S-CHAR-01")
    assert [marked(h) for h in found] == ["１２５ ｇ", "ＧＢ／Ｔ　１２３４"]
    assert found[0].suggestion == "改为半角“125 g”。"
    draft = fixed_clean(markup, "S-CHAR-01")
    paragraph = next(e for e in draft.walk() if e.kind == "paragraph")
    assert paragraph.text == "每个品种的留样量应不少于125 g，编号为GB/T 1234。"


def test_full_width_characters_in_a_term_entry_are_fixed_in_their_field():
    markup = "# 术语和定义\n= 留样 | ｓａｍｐｌｅ | 留存１２５ g的样品。\n"
    found = hits(markup, "S-CHAR-01")
    assert [marked(h) for h in found] == ["１２５", "ｓａｍｐｌｅ"]
    assert all(h.fix is not None and h.fix.field == "extra" for h in found)
    fixed_clean(markup, "S-CHAR-01")


def test_half_width_text_and_full_width_punctuation_are_no_hit():
    assert hits(clause("留样量应不少于125 g（每个品种），合格率≥95％。"), "S-CHAR-01") == []


# ---- S-ID-01 ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "level", "after"),
    [
        ("JGSW/TG 001-2026", "internal", "JGSW/TG 001—2026"),
        ("JGSW/TG001—2026", "internal", "JGSW/TG 001—2026"),
        ("GB/T 24421.1-2023", "", "GB/T 24421.1—2023"),
        ("DB64/T1773—2021", "", "DB64/T 1773—2021"),
        ("T/CAS 290 – 2017", "", "T/CAS 290—2017"),
        ("ＪＧＳＷ/ＴＧ 001—2026", "internal", "JGSW/TG 001—2026"),
    ],
)
def test_a_cover_number_written_loosely_is_fixed(number, level, after):
    cover = Cover(number=number, level=level)
    (hit,) = hits("# 范围\n本文件规定了要求。\n", "S-ID-01", cover=cover)
    assert (hit.clause, hit.severity, marked(hit)) == ("封面", "error", number)
    assert hit.fix == Fix("", "number", number, after)


@pytest.mark.parametrize(
    ("number", "level"),
    [
        ("JGSW/TG 001—26", "internal"),
        ("ABCDE 12—2020", ""),
        ("GB/T 24421.1—2023", "internal"),
        ("DB641/T 1773—2021", "local"),
    ],
)
def test_a_cover_number_that_fits_no_pattern_is_an_error_without_a_fix(number, level):
    (hit,) = hits(
        "# 范围\n本文件规定了要求。\n", "S-ID-01", cover=Cover(number=number, level=level)
    )
    assert hit.fix is None
    assert "格式" in hit.message


@pytest.mark.parametrize(
    ("number", "level"),
    [
        ("JGSW/TG 001—2026", "internal"),
        ("GB/T 24421.1—2023", ""),
        ("GB 31654—2021", "national"),
        ("WB/T 1001—2020", ""),
        ("DB3206/T 1088—2024", ""),
        ("T/CAS 290—2017", "group"),
        ("", "internal"),
        ("Q/JGSW 001—2020", ""),
    ],
)
def test_well_formed_and_unchecked_cover_numbers_are_no_hit(number, level):
    cover = Cover(number=number, level=level)
    assert hits("# 范围\n本文件规定了要求。\n", "S-ID-01", cover=cover) == []


def test_the_internal_prefix_is_the_organization_s_setting():
    markup = "# 范围\n本文件规定了要求。\n"
    draft = draft_of(markup, cover=Cover(number="HQ/FW 003—2026", level="internal"))
    assert check(draft, rule_ids=["S-ID-01"])
    draft.internal_prefix = "HQ"
    assert check(draft, rule_ids=["S-ID-01"]) == []


REFERENCES = "# 规范性引用文件\n下列文件中的内容通过文中的规范性引用而构成本文件必不可少的条款。\n"


@pytest.mark.parametrize(
    "line",
    [
        "> GB 31654—2021 食品安全国家标准 餐饮服务通用卫生规范",
        "> GB/T 18883 室内空气质量标准",
        "> TSG T5002—2017 电梯维护保养规则",
        "> GB/T 24421（所有部分） 服务业组织标准化工作指南",
        "> GBZ 2.1—2019 工作场所有害因素职业接触限值",
        "> ISO 9001:2015 Quality management systems",
        "> IEC 60335-1 Household and similar electrical appliances",
        "> 中华人民共和国消防法",
        "> PM2.5 监测技术指南",
        "> JGSW/TG 001 机关食堂餐饮服务规范",
        "> JGSW/TG 001—2026 机关食堂餐饮服务规范",
    ],
)
def test_reference_entries_with_good_or_foreign_codes_are_no_hit(line):
    assert hits(REFERENCES + line + "\n", "S-ID-01") == []


def test_a_reference_code_that_fits_no_level_is_an_error():
    (hit,) = hits(REFERENCES + "> ABCDE 12—2020 某规范\n", "S-ID-01")
    assert hit.clause == "1" and hit.fix is None
    assert marked(hit) == "ABCDE 12"


def test_a_reference_whose_number_cannot_be_read_is_fixed_into_code_and_title():
    (hit,) = hits(REFERENCES + "> GB/T24421.1—2023 服务业组织标准化工作指南\n", "S-ID-01")
    assert marked(hit) == "GB/T24421.1—2023"
    assert hit.fix is not None and hit.fix.field == "extra"
    assert hit.fix.after == {
        "code": "GB/T 24421.1",
        "year": "2023",
        "title": "服务业组织标准化工作指南",
    }
    (short,) = hits(REFERENCES + "> GB/T24421.1—23 服务业组织标准化工作指南\n", "S-ID-01")
    assert short.fix is None
    (hyphen,) = hits(REFERENCES + "> WS/T313-2019 医务人员手卫生规范\n", "S-ID-01")
    assert hyphen.fix is not None and hyphen.fix.after["code"] == "WS/T 313"


def test_a_two_digit_year_of_a_reference_is_an_error():
    (hit,) = hits(REFERENCES + "> GB/T 24421.1—23 服务业组织标准化工作指南\n", "S-ID-01")
    assert marked(hit) == "—23" and hit.fix is None


@pytest.mark.parametrize(
    ("text", "number", "after"),
    [
        ("应符合GB 31654-2021的规定。", "GB 31654-2021", "GB 31654—2021"),
        ("应符合GB31654的规定。", "GB31654", "GB 31654"),
        ("应符合JGJ 33-2012的规定。", "JGJ 33-2012", "JGJ 33—2012"),
        ("应符合DB64/T1773的规定。", "DB64/T1773", "DB64/T 1773"),
    ],
)
def test_a_citation_in_the_text_written_loosely_is_fixed(text, number, after):
    (hit,) = hits(clause(text), "S-ID-01")
    assert marked(hit) == number
    assert hit.fix is not None and hit.fix.after == text.replace(number, after)


@pytest.mark.parametrize(
    "text",
    [
        "应符合GB/T 24421.1—2023和TSG T5002—2017附件A的规定。",
        "PM2.5浓度应不高于75 μg/m³，CO2浓度应不高于0.1%。",
        "空调型号为KFR-35GW，应使用A4纸。",
    ],
)
def test_well_formed_citations_and_other_codes_are_no_hit(text):
    assert hits(clause(text), "S-ID-01") == []
