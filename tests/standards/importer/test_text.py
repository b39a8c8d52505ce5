"""Pasted plain text: the same classifier on lines without styles."""

from __future__ import annotations

import pytest

from houqin.standards import textformat as tf
from houqin.standards.importer import ImportFailed, import_text
from houqin.standards.starter import starter_files
from tests.standards.importer.helpers import check_tree, find, outline, shape, typed_out

STARTERS = starter_files()


@pytest.mark.parametrize("path", STARTERS, ids=[p.stem for p in STARTERS])
def test_it_reads_a_starter_standard_typed_out_as_plain_text(path):
    original = tf.parse(path.read_text(encoding="utf-8"))
    imported = import_text(typed_out(original))

    assert imported.flags == []
    assert shape(imported.document.nodes) == shape(original.nodes)
    check_tree(imported.document.nodes)
    assert imported.cover.title == original.header.title
    assert imported.cover.number == original.header.number


PASTED = """\
ICS 03.080
CCS A 12
JGSW
江城市机关事务服务中心内部标准
JGSW/TG 004—2026
代替 JGSW/TG 004—2020
公共卫生间保洁服务规范
Specification for cleaning service of public restrooms
2026-04-20 发布    2026-05-01 实施
江城市机关事务服务中心　发布

目次
前言……………… I
1 范围………… 1
附录A（规范性）留样记录表 …… 5

前言
本文件按照GB/T 1.1—2020《标准化工作导则  第1部分：标准化文件的结构和起草规则》的规定起草。
JGSW/TG 004—2026
I
公共卫生间保洁服务规范
1 范围
本文件规定了办公楼公共卫生间保洁服务的要求。
2 规范性引用文件
下列文件中的内容通过文中的规范性引用而构成本文件必不可少的条款。
GB 31654 食品安全国家标准 餐饮服务通用卫生规范
3 术语和定义
下列术语和定义适用于本文件。
3.1
日常保洁 routine cleaning
在每日固定时间进行的全面清洁作业。
注：不含巡回保洁。
[来源：GB/T 41568—2022，2.3]
4
总体要求
4.1 人员
4.1.1 保洁人员应持证上岗。
4.1.2 保洁人员应着装整齐：
a) 工作服；
  1) 上衣；
  2) 裤子；
b) 工作帽。
注1：说明一。
注2：说明二。
4.2 工具
清洁工具应分色使用，见表1。
表1 工具颜色
用途\t颜色
便器\t红色
洗手台\t黄色
注：颜色可调整。

注：本注是4.2的注。
（资料性）
附录A
（规范性）
留样记录表
A.1 记录
记录应保存。
参考文献
[1] 中华人民共和国消防法
——————————
"""


def test_it_reads_pasted_text():
    imported = import_text(PASTED)

    cover = imported.cover
    assert (cover.number, cover.title, cover.level) == (
        "JGSW/TG 004—2026",
        "公共卫生间保洁服务规范",
        "internal",
    )
    assert cover.english_title == "Specification for cleaning service of public restrooms"
    assert cover.replaces == ["JGSW/TG 004—2020"]
    assert cover.issuer == "江城市机关事务服务中心"
    assert cover.fields == {"ICS": "03.080", "CCS": "A 12"}
    assert cover.toc == ["前言", "1 范围", "附录A（规范性）留样记录表"]
    assert outline(imported.document.nodes) == [
        "foreword",
        "  paragraph 本文件按照GB/T 1.1—2020《标准化工作导则  第1部分：标准化文件的结构和起草规则》的规定起草。",
        "scope 范围",
        "  paragraph 本文件规定了办公楼公共卫生间保洁服务的要求。",
        "references 规范性引用文件",
        "  paragraph 下列文件中的内容通过文中的规范性引用而构成本文件必不可少的条款。",
        "  reference GB 31654||食品安全国家标准 餐饮服务通用卫生规范",
        "terms 术语和定义",
        "  paragraph 下列术语和定义适用于本文件。",
        "  term 日常保洁|routine cleaning|在每日固定时间进行的全面清洁作业。",
        "    note 不含巡回保洁。",
        "chapter 总体要求",
        "  clause 人员",
        "    clause",
        "      paragraph 保洁人员应持证上岗。",
        "    clause",
        "      paragraph 保洁人员应着装整齐：",
        "      list_item alpha:工作服；",
        "        list_item numeric:上衣；",
        "        list_item numeric:裤子；",
        "      list_item alpha:工作帽。",
        "      note 说明一。",
        "      note 说明二。",
        "  clause 工具",
        "    paragraph 清洁工具应分色使用，见表1。",
        "    table 工具颜色",
        "      note 颜色可调整。",
        "    note 本注是4.2的注。",
        "    paragraph （资料性）",
        "annex 留样记录表",
        "  clause 记录",
        "    paragraph 记录应保存。",
        "bibliography",
        "  reference ||中华人民共和国消防法",
    ]
    table = find(imported.document.nodes, tf.TABLE)[0]
    assert table.extra == {
        "header": ["用途", "颜色"],
        "rows": [["便器", "红色"], ["洗手台", "黄色"]],
        "typed": "1",
    }
    assert find(imported.document.nodes, tf.TERM)[0].extra["source"] == "GB/T 41568—2022，2.3"
    assert imported.flags == [
        "第54行“（资料性）”是附录的类型说明，但前面没有附录标识，已作为段落保留"
    ]
    assert imported.paragraphs == len(PASTED.split("\n"))
    check_tree(imported.document.nodes)


def test_it_reads_a_contents_list_without_page_numbers_and_markdown_tables():
    imported = import_text(
        "目录\n前言\n1 范围\n2 要求\n前言\n本文件首次发布。\n1 范围\n本文件适用于食堂。\n"
        "2 要求\n表1 供餐时间\n| 餐次 | 时间 |\n|---|---|\n| 午餐 | 11:30 |\n"
    )

    assert imported.cover.toc == ["前言", "1 范围", "2 要求"]
    assert outline(imported.document.nodes) == [
        "foreword",
        "  paragraph 本文件首次发布。",
        "scope 范围",
        "  paragraph 本文件适用于食堂。",
        "chapter 要求",
        "  table 供餐时间",
    ]
    assert find(imported.document.nodes, tf.TABLE)[0].extra["rows"] == [["午餐", "11:30"]]


def test_it_refuses_empty_text():
    with pytest.raises(ImportFailed) as caught:
        import_text(" \n\n\t\n")
    assert caught.value.message == "没有可导入的文字，请粘贴标准的全文。"
