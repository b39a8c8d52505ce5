"""Elements of a Word file: the cover, 目次, 前言 and 引言, tables with titles and notes,
figures, annexes, terms, references and the bibliography, and text the importer cannot
place."""

from __future__ import annotations

from datetime import date
from io import BytesIO

from PIL import Image

from houqin.standards import textformat as tf
from houqin.standards.importer import import_docx
from tests.standards.importer.helpers import check_tree, find, new_document, outline, para, to_bytes

FOREWORD = (
    "本文件按照GB/T 1.1—2020《标准化工作导则  第1部分：标准化文件的结构和起草规则》的规定起草。"
)


def _table(doc, rows):
    table = doc.add_table(rows=len(rows), cols=len(rows[0]))
    for row, values in zip(table.rows, rows, strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    return table


def test_it_reads_the_cover_into_the_cover_and_the_header():
    doc = new_document()
    for text in (
        "ICS",
        "03.080",
        "CCS A 12",
        "DB64",
        "宁夏回族自治区地方标准",
        "DB64/T 1773—2021",
        "代替 DB64/T 1773—2015、DB64/T 1774—2015",
        "机关事务标准体系",
        "Standard system of government offices affairs",
        "备案号：12345—2021",
        "2021 - 11 - 01发布",
        "2021 - 12 - 01实施",
        "宁夏回族自治区市场监督管理厅　发布",
        "前言",
        FOREWORD,
        "1 范围",
        "本文件规定了机关事务标准体系。",
    ):
        para(doc, text)

    imported = import_docx(to_bytes(doc))

    cover = imported.cover
    assert cover.number == "DB64/T 1773—2021"
    assert cover.level == "local"
    assert cover.replaces == ["DB64/T 1773—2015", "DB64/T 1774—2015"]
    assert cover.title == "机关事务标准体系"
    assert cover.english_title == "Standard system of government offices affairs"
    assert cover.published_on == date(2021, 11, 1)
    assert cover.effective_on == date(2021, 12, 1)
    assert cover.issuer == "宁夏回族自治区市场监督管理厅"
    assert cover.fields == {"ICS": "03.080", "CCS": "A 12", "备案号": "12345—2021"}
    assert cover.toc is None
    header = imported.document.header
    assert (header.number, header.title, header.level) == (
        "DB64/T 1773—2021",
        "机关事务标准体系",
        "local",
    )
    assert (header.published_on, header.effective_on) == (date(2021, 11, 1), date(2021, 12, 1))
    assert [n.kind for n in imported.document.nodes] == [tf.FOREWORD, tf.SCOPE]
    assert imported.flags == []


def test_it_reads_an_internal_number_dates_in_the_footer_and_the_contents():
    doc = new_document()
    para(doc, "JGSW/FW 001—2026")
    para(doc, "公共卫生间保洁服务规范")
    footer = doc.sections[0].footer.paragraphs[0]
    footer.text = "2026-01-01 发布\t2026-03-01 实施"
    doc.sections[0].footer.add_paragraph("江城市机关事务服务中心　发布")
    para(doc, "目　　次", "TOC Heading")
    para(doc, "前言\tI", "toc 1")
    para(doc, "1　范围\t1", "toc 1")
    para(doc, "附录A（资料性）　记录表 ……… 3", "toc 1")
    para(doc, "前　　言")
    para(doc, FOREWORD)
    para(doc, "公共卫生间保洁服务规范", "Title")
    para(doc, "1　范围")
    para(doc, "本文件规定了保洁要求。")
    para(doc, "——————————")

    imported = import_docx(to_bytes(doc))

    cover = imported.cover
    assert (cover.number, cover.level) == ("JGSW/FW 001—2026", "internal")
    assert (cover.published_on, cover.effective_on) == (date(2026, 1, 1), date(2026, 3, 1))
    assert cover.issuer == "江城市机关事务服务中心"
    assert cover.toc == ["前言", "1 范围", "附录A（资料性） 记录表"]
    assert outline(imported.document.nodes) == [
        "foreword",
        f"  paragraph {FOREWORD}",
        "scope 范围",
        "  paragraph 本文件规定了保洁要求。",
    ]
    assert imported.flags == []


def test_it_reads_tables_with_titles_units_notes_and_continuations():
    doc = new_document()
    para(doc, "5 保洁频次")
    para(doc, "频次应符合表1的规定。")
    para(doc, "表1　保洁频次")
    para(doc, "单位为次")
    _table(doc, [["项目", "频次"], ["便器", "2"], ["地面", "2"]])
    para(doc, "表1（续）")
    table = _table(doc, [["项目", "频次"], ["墙面", "1"], ["", ""]])
    merged = table.rows[2].cells[0].merge(table.rows[2].cells[1])
    merged.text = "注：频次按工作日计。"
    para(doc, "注：本注是第5章的注。")
    para(doc, "表A.1 没有表格的表题")
    para(doc, "表内数据每年更新。", "表注")

    imported = import_docx(to_bytes(doc))

    chapter = imported.document.nodes[0]
    kinds = [(n.kind, n.title or n.text) for n in chapter.children]
    assert kinds == [
        ("paragraph", "频次应符合表1的规定。"),
        ("paragraph", "单位为次"),
        ("table", "保洁频次"),
        ("note", "本注是第5章的注。"),
        ("paragraph", "表A.1 没有表格的表题"),
        ("note", "表内数据每年更新。"),
    ]
    table_node = chapter.children[2]
    assert table_node.extra == {
        "header": ["项目", "频次"],
        "rows": [["便器", "2"], ["地面", "2"], ["墙面", "1"]],
        "typed": "1",
    }
    assert [n.text for n in table_node.children] == ["频次按工作日计。"]
    assert chapter.children[4].extra["flag"] == "像是表题，但后面没有表格，已作为段落保留"
    assert imported.flags == ["第9段“表A.1 没有表格的表题”像是表题，但后面没有表格，已作为段落保留"]
    check_tree(imported.document.nodes)


def test_it_reads_a_note_styled_as_a_table_note_as_the_tables():
    doc = new_document()
    para(doc, "5 保洁频次")
    para(doc, "表1 保洁频次")
    _table(doc, [["项目", "频次"], ["便器", "2"]])
    para(doc, "注：频次按工作日计。", "表注")

    imported = import_docx(to_bytes(doc))

    table = find(imported.document.nodes, tf.TABLE)[0]
    assert [(n.kind, n.text) for n in table.children] == [("note", "频次按工作日计。")]


def test_it_reads_a_figure_with_the_notes_between_picture_and_caption():
    image = BytesIO()
    Image.new("RGB", (8, 8), "white").save(image, format="PNG")
    doc = new_document()
    para(doc, "6 会场布置")
    para(doc, "会场布置见图1。")
    doc.add_picture(BytesIO(image.getvalue()))
    para(doc, "注：主席台居中。")
    para(doc, "图1　会场布置图")
    doc.add_picture(BytesIO(image.getvalue()))
    para(doc, "布置完毕后应检查音响。")

    imported = import_docx(to_bytes(doc))

    chapter = imported.document.nodes[0]
    assert outline([chapter]) == [
        "chapter 会场布置",
        "  paragraph 会场布置见图1。",
        "  figure 会场布置图",
        "    note 主席台居中。",
        "  figure",
        "  paragraph 布置完毕后应检查音响。",
    ]
    assert chapter.children[1].extra == {"typed": "1"}
    assert imported.flags == ["第6段的图片没有图题，已作为无题的图导入"]
    check_tree(imported.document.nodes)


def test_it_reads_annexes_normative_and_informative():
    doc = new_document()
    para(doc, "1 范围")
    para(doc, "本文件规定了电梯维保要求。")
    para(doc, "附录A（规范性）电梯维保周期")
    para(doc, "A.1 半月维保")
    para(doc, "半月维保应每15 d进行1次。")
    para(doc, "表A.1 维保项目")
    _table(doc, [["类别", "项目"], ["半月", "机房"]])
    para(doc, "附录B")
    para(doc, "（资料性）")
    para(doc, "维保记录表")
    para(doc, "B.1")
    para(doc, "记录应保存2年。")
    para(doc, "附 录 C")
    para(doc, "（资料性附录）")
    para(doc, "检查表")

    imported = import_docx(to_bytes(doc))

    annexes = [n for n in imported.document.nodes if n.kind == tf.ANNEX]
    assert [(a.title, a.extra) for a in annexes] == [
        ("电梯维保周期", {"annex_type": "normative", "typed": "A"}),
        ("维保记录表", {"annex_type": "informative", "typed": "B"}),
        ("检查表", {"annex_type": "informative", "typed": "C"}),
    ]
    assert outline(annexes[:2]) == [
        "annex 电梯维保周期",
        "  clause 半月维保",
        "    paragraph 半月维保应每15 d进行1次。",
        "    table 维保项目",
        "annex 维保记录表",
        "  clause",
        "    paragraph 记录应保存2年。",
    ]
    assert find(annexes[:1], tf.TABLE)[0].extra["typed"] == "A.1"
    assert imported.flags == []
    check_tree(imported.document.nodes)


def test_it_reads_term_entries():
    doc = new_document()
    para(doc, "3 术语和定义")
    para(doc, "下列术语和定义适用于本文件。")
    para(doc, "3.1")
    para(doc, "留样　food sample retention")
    para(doc, "按餐次、品种留存成品食品样品的做法。")
    para(doc, "注1：留样量不少于125 g。")
    para(doc, "注2：留样时间不少于48 h。")
    para(doc, "[来源：GB 31654—2021，2.5，有修改]")
    para(doc, "3.2 中心温度 core temperature")
    para(doc, "食品几何中心部位的温度。")
    para(doc, "示例：块状肉类的中心。")
    para(doc, "3.3")
    para(doc, "困人")
    para(doc, "passenger entrapment")
    para(doc, "乘客被困在轿厢内的情况。")
    para(doc, "本段不属于任何术语。")
    para(doc, "4 总体要求")

    imported = import_docx(to_bytes(doc))

    terms = find(imported.document.nodes, tf.TERM)
    assert [t.extra for t in terms] == [
        {
            "term": "留样",
            "english": "food sample retention",
            "definition": "按餐次、品种留存成品食品样品的做法。",
            "source": "GB 31654—2021，2.5，有修改",
            "typed": "3.1",
        },
        {
            "term": "中心温度",
            "english": "core temperature",
            "definition": "食品几何中心部位的温度。",
            "source": "",
            "typed": "3.2",
        },
        {
            "term": "困人",
            "english": "passenger entrapment",
            "definition": "乘客被困在轿厢内的情况。",
            "source": "",
            "typed": "3.3",
        },
    ]
    assert [(n.kind, n.text) for n in terms[0].children] == [
        ("note", "留样量不少于125 g。"),
        ("note", "留样时间不少于48 h。"),
    ]
    assert [(n.kind, n.text) for n in terms[1].children] == [("example", "块状肉类的中心。")]
    chapter = imported.document.nodes[0]
    assert chapter.kind == tf.TERMS
    assert (
        chapter.children[-1].extra["flag"]
        == "在术语条目的定义之后，无法归入术语条目，已作为段落保留"
    )
    assert len(imported.flags) == 1
    check_tree(imported.document.nodes)


def test_it_reads_references_and_the_bibliography():
    doc = new_document()
    para(doc, "2 规范性引用文件")
    para(doc, "下列文件中的内容通过文中的规范性引用而构成本文件必不可少的条款。")
    para(doc, "GB/T 1.1—2020 标准化工作导则 第1部分：标准化文件的结构和起草规则")
    para(doc, "GB 31654　食品安全国家标准 餐饮服务通用卫生规范")
    para(doc, "GB/T 24421（所有部分） 服务业组织标准化工作指南")
    para(doc, "GB14934-2016 食品安全国家标准 消毒餐（饮）具")
    para(doc, "TSG T5002—2017 电梯维护保养规则")
    para(doc, "参 考 文 献")
    para(doc, "[1]\t中华人民共和国消防法")
    para(doc, "[2] GB/T 41568—2022 机关事务管理 术语")

    imported = import_docx(to_bytes(doc))

    references, bibliography = imported.document.nodes
    assert (references.kind, bibliography.kind) == (tf.REFERENCES, tf.BIBLIOGRAPHY)
    assert outline(imported.document.nodes) == [
        "references 规范性引用文件",
        "  paragraph 下列文件中的内容通过文中的规范性引用而构成本文件必不可少的条款。",
        "  reference GB/T 1.1|2020|标准化工作导则 第1部分：标准化文件的结构和起草规则",
        "  reference GB 31654||食品安全国家标准 餐饮服务通用卫生规范",
        "  reference GB/T 24421（所有部分）||服务业组织标准化工作指南",
        "  reference GB 14934|2016|食品安全国家标准 消毒餐（饮）具",
        "  reference TSG T5002|2017|电梯维护保养规则",
        "bibliography",
        "  reference ||中华人民共和国消防法",
        "  reference GB/T 41568|2022|机关事务管理 术语",
    ]
    check_tree(imported.document.nodes)


def test_it_reads_foreword_introduction_examples_and_places_stray_text():
    doc = new_document()
    para(doc, "公共卫生间保洁服务规范")
    para(doc, "本规范经中心办公会审议通过。")
    para(doc, "前　言")
    para(doc, FOREWORD)
    para(doc, "本文件代替JGSW/FW 001—2020，主要技术变化如下：")
    para(doc, "——增加了巡回保洁的要求；")
    para(doc, "引　言")
    para(doc, "为规范保洁服务，制定本文件。")
    para(doc, "1 范围")
    para(doc, "示例1：")
    para(doc, "某卫生间每日保洁2次。")
    para(doc, "示例2：某卫生间每周消毒1次。")

    imported = import_docx(to_bytes(doc))

    assert imported.cover.title == "公共卫生间保洁服务规范"
    assert outline(imported.document.nodes) == [
        "foreword",
        "  paragraph 本规范经中心办公会审议通过。",
        f"  paragraph {FOREWORD}",
        "  paragraph 本文件代替JGSW/FW 001—2020，主要技术变化如下：",
        "  list_item dash:增加了巡回保洁的要求；",
        "introduction",
        "  paragraph 为规范保洁服务，制定本文件。",
        "scope 范围",
        "  example 某卫生间每日保洁2次。",
        "  example 某卫生间每周消毒1次。",
    ]
    stray = imported.document.nodes[0].children[0]
    assert stray.extra["flag"] == "位于正文之前，不是封面、前言或引言的内容，已放入前言开头"
    assert imported.flags == [
        "第2段“本规范经中心办公会审议通过。”位于正文之前，不是封面、前言或引言的内容，已放入前言开头"
    ]
    check_tree(imported.document.nodes)


def test_it_puts_text_without_any_heading_into_one_flagged_chapter():
    doc = new_document()
    para(doc, "保洁人员应每日保洁2次。")
    para(doc, "保洁人员应佩戴手套。")

    imported = import_docx(to_bytes(doc))

    assert outline(imported.document.nodes) == [
        "chapter 正文",
        "  paragraph 保洁人员应每日保洁2次。",
        "  paragraph 保洁人员应佩戴手套。",
    ]
    assert imported.flags[0].startswith("文件中没有找到章标题")
    assert len(imported.flags) == 3
    check_tree(imported.document.nodes)


def test_it_takes_a_first_heading_holding_the_name_for_the_title():
    doc = new_document()
    para(doc, "会议服务规范", "Heading 1")
    para(doc, "1 范围", "Heading 1")
    para(doc, "本文件规定了会议服务的要求。")
    para(doc, "2 会前准备", "Heading 1")
    para(doc, "注：")
    para(doc, "2.1 会场", "Heading 2")

    imported = import_docx(to_bytes(doc))

    assert imported.cover.title == "会议服务规范"
    assert outline(imported.document.nodes) == [
        "scope 范围",
        "  paragraph 本文件规定了会议服务的要求。",
        "chapter 会前准备",
        "  clause 会场",
    ]
    assert imported.flags == ["第5段的“注”后面没有文字，已略去这个空的注"]


def test_it_takes_a_name_line_above_chapter_one_for_the_title():
    doc = new_document()
    para(doc, "前言")
    para(doc, FOREWORD)
    para(doc, "会议服务规范")
    para(doc, "1 范围")
    para(doc, "本文件规定了会议服务的要求。")

    imported = import_docx(to_bytes(doc))

    assert imported.cover.title == "会议服务规范"
    assert [n.kind for n in imported.document.nodes] == [tf.FOREWORD, tf.SCOPE]
    assert len(imported.document.nodes[0].children) == 1
