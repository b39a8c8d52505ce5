"""Headings in Word files: by heading style (English and Chinese names), by outline level,
by the styles of the Chinese standard-drafting templates, and by numbers typed as text in
the Normal style."""

from __future__ import annotations

from houqin.standards import textformat as tf
from houqin.standards.importer import import_docx
from tests.standards.importer.helpers import (
    check_tree,
    find,
    new_document,
    outline,
    para,
    to_bytes,
    xml,
)

FOREWORD = (
    "本文件按照GB/T 1.1—2020《标准化工作导则  第1部分：标准化文件的结构和起草规则》的规定起草。"
)


def test_it_reads_headings_from_word_heading_styles():
    doc = new_document()
    doc.add_heading("前言", 1)
    para(doc, FOREWORD)
    doc.add_heading("范围", 1)
    para(doc, "本文件规定了公共卫生间保洁的要求。")
    doc.add_heading("总体要求", 1)
    doc.add_heading("人员", 2)
    doc.add_heading("持证", 3)
    para(doc, "保洁人员应持证上岗。")
    doc.add_heading("5.2 工具", 2)
    para(doc, "工具应分色使用。")

    imported = import_docx(to_bytes(doc))

    assert outline(imported.document.nodes) == [
        "foreword",
        f"  paragraph {FOREWORD}",
        "scope 范围",
        "  paragraph 本文件规定了公共卫生间保洁的要求。",
        "chapter 总体要求",
        "  clause 人员",
        "    clause 持证",
        "      paragraph 保洁人员应持证上岗。",
        "  clause 工具",
        "    paragraph 工具应分色使用。",
    ]
    tool = find(imported.document.nodes, tf.CLAUSE)[-1]
    assert tool.extra == {"typed": "5.2"}
    assert "typed" not in find(imported.document.nodes, tf.SCOPE)[0].extra
    assert imported.flags == []
    check_tree(imported.document.nodes)


def test_it_reads_chinese_heading_style_names_and_outline_levels():
    doc = new_document()
    para(doc, "1 范围", "标题 1")
    para(doc, "本文件适用于会议服务。")
    para(doc, "2 会议准备", "标题 1")
    outlined = para(doc, "2.1 会场布置")
    outlined._p.get_or_add_pPr().append(xml("outlineLvl", attributes='w:val="1"'))
    para(doc, "会场应提前1 h布置完毕。")

    imported = import_docx(to_bytes(doc))

    assert outline(imported.document.nodes) == [
        "scope 范围",
        "  paragraph 本文件适用于会议服务。",
        "chapter 会议准备",
        "  clause 会场布置",
        "    paragraph 会场应提前1 h布置完毕。",
    ]


def test_it_reads_numbers_typed_as_text_in_the_normal_style():
    doc = new_document()
    for text in (
        "1 范围",
        "本文件规定了保洁要求。",
        "4 总体要求",
        "4.1 人员",
        "4.1.1 保洁人员应持证上岗。",
        "4.1.2",
        "a) 工作服；",
        "b) 工作帽。",
        "4.3 检查",
        "2 h内完成整改。",
        "4.3 复查",
        "1个季度内复查1次。",
    ):
        para(doc, text)

    imported = import_docx(to_bytes(doc))
    nodes = imported.document.nodes

    assert outline(nodes) == [
        "scope 范围",
        "  paragraph 本文件规定了保洁要求。",
        "chapter 总体要求",
        "  clause 人员",
        "    clause",
        "      paragraph 保洁人员应持证上岗。",
        "    clause",
        "      list_item alpha:工作服；",
        "      list_item alpha:工作帽。",
        "  clause 检查",
        "    paragraph 2 h内完成整改。",
        "  clause 复查",
        "    paragraph 1个季度内复查1次。",
    ]
    typed = [
        n.extra["typed"] for n, _ in tf.walk(nodes) if n.kind in (tf.SCOPE, tf.CHAPTER, tf.CLAUSE)
    ]
    assert typed == ["1", "4", "4.1", "4.1.1", "4.1.2", "4.3", "4.3"]  # the skip and the repeat
    assert [n.extra["typed"] for n in find(nodes, tf.LIST_ITEM)] == ["a)", "b)"]
    check_tree(nodes)


def test_it_keeps_a_clause_number_outside_any_chapter_as_a_flagged_paragraph():
    doc = new_document()
    para(doc, "前言", "Heading 1")
    para(doc, FOREWORD)
    para(doc, "5.1 保洁人员应持证上岗。")
    para(doc, "1 范围")
    para(doc, "本文件规定了保洁要求。")

    imported = import_docx(to_bytes(doc))

    foreword = imported.document.nodes[0]
    flagged = foreword.children[1]
    assert flagged.kind == tf.PARAGRAPH and flagged.text == "5.1 保洁人员应持证上岗。"
    assert "不在任何章或附录中" in flagged.extra["flag"]
    assert imported.flags == [
        "第3段“5.1 保洁人员应持证上岗。”是条的编号，但不在任何章或附录中，已作为段落保留"
    ]
    check_tree(imported.document.nodes)


def test_it_reads_the_styles_of_a_standard_drafting_template():
    doc = new_document()
    para(doc, "前言", "前言、引言标题")
    para(doc, FOREWORD, "段")
    para(doc, "范围", "标准文件_章标题")
    para(doc, "本文件规定了食堂服务的要求。", "段")
    para(doc, "术语和定义", "章标题")
    para(doc, "下列术语和定义适用于本文件。", "段")
    para(doc, "留样", "术语条一")
    para(doc, "food sample retention", "英文对应词")
    para(doc, "按餐次留存成品食品样品的做法。", "段")
    para(doc, "中心温度", "术语")
    para(doc, "core temperature", "英文对应词")
    para(doc, "食品几何中心部位的温度。", "段")
    para(doc, "用插入式温度计测量。", "注：")
    para(doc, "进货查验", "章标题")
    para(doc, "验收", "一级条标题")
    para(doc, "温度", "二级条标题")
    para(doc, "验收内容应包括：", "段")
    para(doc, "供货凭证；", "字母编号列项（一级）")
    para(doc, "名称一致；", "数字编号列项（二级）")
    para(doc, "数量一致；", "数字编号列项（二级）")
    para(doc, "感官性状。", "字母编号列项（一级）")
    para(doc, "冷藏食材不高于8 ℃。", "列项——")
    para(doc, "某批次冷藏食材到货温度为6 ℃。", "示例")
    para(doc, "（资料性）", "附录标识")
    para(doc, "留样记录表", "附录标题")
    para(doc, "记录", "附录章标题")
    para(doc, "格式", "附录一级条标题")
    para(doc, "留样记录的格式见表A.1。", "段")

    imported = import_docx(to_bytes(doc))

    assert outline(imported.document.nodes) == [
        "foreword",
        f"  paragraph {FOREWORD}",
        "scope 范围",
        "  paragraph 本文件规定了食堂服务的要求。",
        "terms 术语和定义",
        "  paragraph 下列术语和定义适用于本文件。",
        "  term 留样|food sample retention|按餐次留存成品食品样品的做法。",
        "  term 中心温度|core temperature|食品几何中心部位的温度。",
        "    note 用插入式温度计测量。",
        "chapter 进货查验",
        "  clause 验收",
        "    clause 温度",
        "      paragraph 验收内容应包括：",
        "      list_item alpha:供货凭证；",
        "        list_item numeric:名称一致；",
        "        list_item numeric:数量一致；",
        "      list_item alpha:感官性状。",
        "      list_item dash:冷藏食材不高于8 ℃。",
        "      example 某批次冷藏食材到货温度为6 ℃。",
        "annex 留样记录表",
        "  clause 记录",
        "    clause 格式",
        "      paragraph 留样记录的格式见表A.1。",
    ]
    annex = imported.document.nodes[-1]
    assert annex.extra["annex_type"] == "informative"
    assert imported.flags == []
    check_tree(imported.document.nodes)


def test_it_reads_word_list_numbering_as_list_items():
    doc = new_document()
    para(doc, "1 范围")
    para(doc, "本文件适用于：")
    para(doc, "办公楼；", "List Bullet")
    para(doc, "宿舍楼。", "List Bullet")
    para(doc, "检查步骤：")
    para(doc, "断电；", "List Number")
    para(doc, "挂牌。", "List Number")

    imported = import_docx(to_bytes(doc))

    items = find(imported.document.nodes, tf.LIST_ITEM)
    assert [(i.extra["style"], i.text) for i in items] == [
        ("dash", "办公楼；"),
        ("dash", "宿舍楼。"),
        ("numeric", "断电；"),
        ("numeric", "挂牌。"),
    ]
