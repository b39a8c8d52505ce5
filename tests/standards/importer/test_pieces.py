"""The importer's pieces on their own: style names matched loosely, line kinds from typed
text (and the sentences that only look like headings), standard numbers to levels, term
lines and reference entries."""

from __future__ import annotations

import pytest

from houqin.standards.importer import base as b
from houqin.standards.importer.base import style_key
from houqin.standards.importer.classify import by_text, style_role
from houqin.standards.importer.cover import level_of
from houqin.standards.importer.parts import reference_extra, split_term


@pytest.mark.parametrize(
    ("name", "role"),
    [
        ("Heading 1", ("heading", 1, "")),
        ("heading 3", ("heading", 3, "")),
        ("标题 2", ("heading", 2, "")),
        ("章标题", ("heading", 1, "")),
        ("标准文件_章标题", ("heading", 1, "")),
        ("一级条标题", ("heading", 2, "")),
        ("五级条标题", ("heading", 6, "")),
        ("附录章标题", ("heading", 2, "")),
        ("附录一级条标题", ("heading", 3, "")),
        ("附录标识", ("annex", 0, "")),
        ("前言、引言标题", ("front", 0, "")),
        ("段", ("", 0, "")),
        ("列项——", ("list", 0, "dash")),
        ("字母编号列项（一级）", ("list", 0, "alpha")),
        ("数字编号列项（二级）", ("list", 1, "numeric")),
        ("List Bullet 2", ("list", 1, "dash")),
        ("注：", ("note", 0, "")),
        ("表注", ("note", 0, "table")),
        ("示例", ("example", 0, "")),
        ("术语条一", ("term_number", 0, "")),
        ("术语", ("term", 0, "")),
        ("英文对应词", ("english", 0, "")),
        ("toc 2", ("toc", 0, "")),
        ("目录 1", ("toc", 0, "")),
        ("TOC Heading", ("toc_title", 0, "")),
        ("封面标准名称", ("cover", 0, "")),
        ("标准名称", ("doc_title", 0, "")),
        ("无标题条", ("untitled", 0, "")),
        ("Normal", ("", 0, "")),
    ],
)
def test_it_matches_style_names_loosely(name, role):
    assert style_role(style_key(name)) == role


@pytest.mark.parametrize(
    ("text", "kind", "typed"),
    [
        ("5 保洁要求", b.HEADING, "5"),
        ("5.2.1　保洁人员应持证上岗。", b.HEADING, "5.2.1"),
        ("A.1 记录", b.HEADING, "A.1"),
        ("2 h内完成整改。", b.PARAGRAPH, ""),
        ("1.5 m以上的部位每周清洁1次。", b.PARAGRAPH, ""),
        ("1个季度内检查1次。", b.PARAGRAPH, ""),
        ("5 名保洁员应同时在岗，并在交接时签字。", b.PARAGRAPH, ""),
        ("表1给出了保洁频次。", b.PARAGRAPH, ""),
        ("表 A.1　留样记录表", b.TABLE_TITLE, "A.1"),
        ("图2—会场布置", b.FIGURE_TITLE, "2"),
        ("附录A规定了记录格式。", b.PARAGRAPH, ""),
        ("附录 B （资料性） 记录表", b.ANNEX, "B"),
        ("注意事项：见附录A。", b.PARAGRAPH, ""),
        ("注 2：说明。", b.NOTE, "注2"),
        ("示例性的做法见5.3。", b.PARAGRAPH, ""),
        ("示例3：", b.EXAMPLE, "示例3"),
        ("a）工作服；", b.LIST, "a）"),
        ("——工作帽；", b.LIST, "——"),
        ("· 口罩；", b.LIST, "·"),
        ("（1）断电；", b.LIST, "（1）"),
        ("[来源：GB/T 41568—2022，2.3]", b.SOURCE, ""),
        ("[3] GB/T 1.1—2020 标准化工作导则", b.BIB_ENTRY, ""),
        ("——————————", b.SKIP, ""),
        ("- 12 -", b.SKIP, "-12-"),
        ("前　　言", b.FRONT, ""),
        ("目　次", b.TOC_TITLE, ""),
    ],
)
def test_it_tells_line_kinds_from_typed_text(text, kind, typed):
    line = by_text(text, 1)
    assert (line.kind, line.typed) == (kind, typed)


@pytest.mark.parametrize(
    ("number", "level"),
    [
        ("GB/T 24421.1—2023", "national"),
        ("GB 31654-2021", "national"),
        ("WB/T 1001—2020", "industry"),
        ("DB64/T 1773—2021", "local"),
        ("DB3206/T 1088—2024", "local"),
        ("T/CAS 290—2017", "group"),
        ("JGSW/FW 001—2026", "internal"),
        ("Q/JGSW 001—2026", "internal"),
        ("JGSW 001", "industry"),  # 2–4 letters without a slash: an industry code
        ("ABCDEF 001", ""),
        ("公共卫生间保洁服务规范", ""),
    ],
)
def test_it_infers_the_level_from_the_number(number, level):
    assert level_of(number) == level


def test_it_splits_term_lines_and_reference_entries():
    assert split_term("留样　food sample retention") == ("留样", "food sample retention")
    assert split_term("PDCA循环 PDCA cycle") == ("PDCA循环", "PDCA cycle")
    assert split_term("困人") == ("困人", "")
    assert reference_extra("GB/T 1.1—2020　标准化工作导则") == {
        "code": "GB/T 1.1",
        "year": "2020",
        "title": "标准化工作导则",
    }
    assert reference_extra("ISO 9001:2015 Quality management systems") == {
        "code": "ISO 9001",
        "year": "2015",
        "title": "Quality management systems",
    }
    assert reference_extra("DB64/T1773—2021机关事务标准体系") == {
        "code": "DB64/T 1773",
        "year": "2021",
        "title": "机关事务标准体系",
    }
    assert reference_extra("中华人民共和国消防法") is None
