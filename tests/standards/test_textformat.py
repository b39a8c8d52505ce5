"""The standard-text markup: every line kind, every error, and the writer's round trip (by
hand, over the starter library, and over generated trees). No database."""

from __future__ import annotations

import textwrap
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from houqin.standards import textformat
from houqin.standards.starter import starter_files
from houqin.standards.textformat import (
    Document,
    Header,
    MarkupError,
    Node,
    parse,
    walk,
    write,
)

FOREWORD = (
    "本文件按照GB/T 1.1—2020《标准化工作导则  第1部分：标准化文件的结构和起草规则》的规定起草。"
)


def body(markup: str) -> tuple[Node, ...]:
    return parse(markup).nodes


def chapter(markup: str) -> Node:
    """The one chapter of "# 要求" followed by ``markup``."""
    (node,) = body("# 要求\n" + markup)
    return node


def error(markup: str) -> MarkupError:
    with pytest.raises(MarkupError) as info:
        parse(markup)
    return info.value


def roundtrip(document: Document) -> Document:
    return parse(write(*document))


def test_it_reads_the_header_block():
    document = parse(
        "编号: JGSW/TG 001—2026\n"
        "名称：机关食堂餐饮服务规范\n"
        "英文名称: Specification for catering service\n"
        "层级: 内部\n"
        "体系节点: TG-02-02\n"
        "服务条线: canteen，会议服务、security\n"
        "适用岗位: 厨师, 餐厅服务员\n"
        "归口科室: CY\n"
        "起草单位: 江城市机关事务服务中心\n"
        "起草人: 张三、李四\n"
        "发布日期: 2026-03-16\n"
        "实施日期: 2026-04-01\n"
        "状态: 实施\n"
        "\n"
        "@前言\n"
    )
    assert document.header == Header(
        number="JGSW/TG 001—2026",
        title="机关食堂餐饮服务规范",
        english_title="Specification for catering service",
        level="internal",
        node="TG-02-02",
        service_lines=("canteen", "meetings", "security"),
        posts=("厨师", "餐厅服务员"),
        owner_department="CY",
        drafting_units=("江城市机关事务服务中心",),
        drafters=("张三", "李四"),
        published_on=date(2026, 3, 16),
        effective_on=date(2026, 4, 1),
        status="in_force",
    )
    assert document.header.as_dict()["service_lines"] == ("canteen", "meetings", "security")
    assert document.nodes == (Node("foreword"),)


def test_it_leaves_missing_header_fields_empty():
    document = parse("名称: 会议服务规范\n发布日期:\n# 范围\n")
    assert document.header == Header(title="会议服务规范")


@pytest.mark.parametrize(
    ("markup", "line", "words"),
    [
        ("作者: 张三\n", 1, "未知的文件信息“作者”"),
        ("名称: 甲\n名称: 乙\n", 2, "重复"),
        ("发布日期: 2026/03/01\n", 1, "2026-03-01"),
        ("发布日期: 2026-02-30\n", 1, "不是有效日期"),
        ("层级: 省级\n", 1, "层级“省级”无效"),
        ("状态: done\n", 1, "状态“done”无效"),
        ("服务条线: canteen, garden\n", 1, "服务条线“garden”无效"),
        ("服务条线: canteen, 机关食堂\n", 1, "重复"),
        ("名称: 甲\n本文件规定了……\n", 2, "正文须写在要素标题"),
        ("  名称: 甲\n", 1, "正文须写在要素标题"),
    ],
)
def test_it_rejects_a_bad_header(markup, line, words):
    problem = error(markup)
    assert problem.line_no == line
    assert words in problem.message
    assert str(problem).startswith(f"第{line}行：")


def test_it_accepts_a_bom_and_windows_line_ends():
    document = parse("\ufeff名称: 甲\r\n\r\n# 范围\r\n本文件规定了甲。\r\n")
    assert document.header.title == "甲"
    assert document.nodes[0].children == (Node("paragraph", text="本文件规定了甲。"),)


def test_it_reads_the_elements_in_order():
    nodes = body(
        "@前言\n"
        f"{FOREWORD}\n"
        "@引言\n"
        "引言文字。\n"
        "# 范围\n"
        "# 规范性引用文件\n"
        "# 术语和定义\n"
        "# 要求\n"
        "@附录 规范性 维保项目\n"
        "@附录（资料性）记录表\n"
        "@参考文献\n"
    )
    assert [(n.kind, n.title, n.extra) for n in nodes] == [
        ("foreword", "", {}),
        ("introduction", "", {}),
        ("scope", "范围", {}),
        ("references", "规范性引用文件", {}),
        ("terms", "术语和定义", {}),
        ("chapter", "要求", {}),
        ("annex", "维保项目", {"annex_type": "normative"}),
        ("annex", "记录表", {"annex_type": "informative"}),
        ("bibliography", "", {}),
    ]
    assert nodes[0].children == (Node("paragraph", text=FOREWORD),)


def test_it_nests_clauses_by_heading_level():
    (top,) = body(
        "# 要求\n## 进货\n### 验收\n验收文字。\n###\n无题条文字。\n## 加工\n###\n####\n#####\n######\n"
    )
    first, second = top.children
    assert first == Node(
        "clause",
        title="进货",
        children=(
            Node("clause", title="验收", children=(Node("paragraph", text="验收文字。"),)),
            Node("clause", children=(Node("paragraph", text="无题条文字。"),)),
        ),
    )
    depth = 0
    node = second
    while node.children:
        node = node.children[0]
        depth += 1
    assert (second.title, depth) == ("加工", 4)


def test_it_allows_clauses_in_annexes():
    (annex,) = body("@附录 资料性 表格\n## 甲\n一。\n## 乙\n二。\n")
    assert [c.title for c in annex.children] == ["甲", "乙"]


@pytest.mark.parametrize(
    ("markup", "line", "words"),
    [
        ("# 要求\n### 跳级\n", 2, "层级跳跃"),
        ("# 要求\n## 甲\n#### 跳级\n", 3, "层级跳跃"),
        ("@前言\n## 条\n", 2, "不分条"),
        ("@参考文献\n## 条\n", 2, "不分条"),
        ("# 要求\n## a\n### b\n#### c\n##### d\n###### e\n####### f\n", 7, "第五层"),
        ("#\n", 1, "章须有标题"),
        ("@前言 文字\n", 1, "之后不能有文字"),
        ("@目次\n", 1, "未知的要素标记"),
        ("@附录 维保项目\n", 1, "规范性"),
        ("@附录 规范性\n", 1, "附录须有标题"),
        ("本文件规定了……\n", 1, "正文须写在要素标题"),
    ],
)
def test_it_rejects_bad_headings(markup, line, words):
    problem = error(markup)
    assert (problem.line_no, words in problem.message) == (line, True), problem.message


def test_it_makes_one_paragraph_per_line_and_ignores_blank_lines():
    node = chapter("\n第一段。\n\n\n第二段。  \n")
    assert node.children == (Node("paragraph", text="第一段。"), Node("paragraph", text="第二段。"))


def test_a_backslash_makes_a_line_a_plain_paragraph():
    node = chapter("\\# 不是标题\n\\注：不是注\n\\\\反斜杠\n")
    assert [c.text for c in node.children] == ["# 不是标题", "注：不是注", "\\反斜杠"]
    assert error("# 要求\n\\\n").message == "反斜杠之后没有文字。"


def test_it_rejects_an_indented_paragraph():
    problem = error("# 要求\n  缩进的段落。\n")
    assert (problem.line_no, "只有列项可以缩进" in problem.message) == (2, True)


def test_it_reads_list_styles_and_nesting():
    node = chapter(
        "检查下列内容：\n"
        "a) 凭证；\n"
        "  1) 名称；\n"
        "  2）数量；\n"
        "    —— 逐件核对；\n"
        "b)温度；\n"
        "\n"
        "- c) 包装。\n"
        "—— 破折号项；\n"
        "- 短横线项；\n"
        "· 圆点项。\n"
    )
    lead, a, b, c, dash1, dash2, dash3 = node.children
    assert lead.kind == "paragraph"
    assert a == Node(
        "list_item",
        text="凭证；",
        extra={"style": "alpha"},
        children=(
            Node("list_item", text="名称；", extra={"style": "numeric"}),
            Node(
                "list_item",
                text="数量；",
                extra={"style": "numeric"},
                children=(Node("list_item", text="逐件核对；", extra={"style": "dash"}),),
            ),
        ),
    )
    assert (b.text, b.extra, c.text, c.extra) == (
        "温度；",
        {"style": "alpha"},
        "包装。",
        {"style": "alpha"},
    )
    assert [d.extra["style"] for d in (dash1, dash2, dash3)] == ["dash"] * 3


def test_an_escaped_list_text_keeps_its_label_like_start():
    node = chapter("—— \\a) 不是标号\n")
    assert node.children == (Node("list_item", text="a) 不是标号", extra={"style": "dash"}),)


def test_a_hyphen_without_a_space_is_no_list_item():
    node = chapter("-18 ℃以下冷冻。\n")
    assert node.children[0].kind == "paragraph"


@pytest.mark.parametrize(
    ("markup", "line", "words"),
    [
        ("  a) 缩进的第一项\n", 2, "第一级列项须顶格"),
        ("a) 甲\n    1) 乙\n  2) 丙\n", 4, "缩进与前面同级列项不一致"),
        ("a)\n", 2, "列项没有内容"),
        ("—— \\\n", 2, "列项没有内容"),
    ],
)
def test_it_rejects_bad_list_items(markup, line, words):
    problem = error("# 要求\n" + markup)
    assert (problem.line_no, words in problem.message) == (line, True), problem.message


def test_it_strips_note_and_example_labels():
    node = chapter("注：甲。\n注1：乙。\n注 2: 丙。\n示例：丁。\n示例2：戊。\n")
    assert node.children == (
        Node("note", text="甲。"),
        Node("note", text="乙。"),
        Node("note", text="丙。"),
        Node("example", text="丁。"),
        Node("example", text="戊。"),
    )


def test_a_line_starting_with_zhu_is_no_note_without_a_colon():
    assert chapter("注意事项如下。\n").children[0].kind == "paragraph"


def test_it_reads_a_table_and_its_notes():
    node = chapter(
        "表：留样记录\n"
        "| 日期 | 菜品 | 留样量/g |\n"
        "| 3月1日 | 红\\|烧鱼 | 150 |\n"
        "｜ 3月2日 ｜  ｜ 125\n"
        "注：表注。\n"
        "\n"
        "注：条注。\n"
    )
    table, note = node.children
    assert table == Node(
        "table",
        title="留样记录",
        extra={
            "header": ["日期", "菜品", "留样量/g"],
            "rows": [["3月1日", "红|烧鱼", "150"], ["3月2日", "", "125"]],
        },
        children=(Node("note", text="表注。"),),
    )
    assert note == Node("note", text="条注。")


def test_a_table_needs_no_title_and_ends_at_a_blank_line():
    node = chapter("| 甲 | 乙 |\n| 1 | 2 |\n\n| 丙 |\n")
    first, second = node.children
    assert (first.title, first.extra["rows"], second.extra) == (
        "",
        [["1", "2"]],
        {"header": ["丙"], "rows": []},
    )


@pytest.mark.parametrize(
    ("markup", "line", "words"),
    [
        ("表：留样\n\n| 甲 |\n", 2, "表题之后须紧跟表格行"),
        ("表：留样\n段落。\n", 2, "表题之后须紧跟表格行"),
        ("表：留样\n", 2, "表题之后须紧跟表格行"),
        ("| 甲 | 乙 |\n| 1 |\n", 3, "这一行有1格，表头有2格"),
        ("| 甲 | 乙 |\n|---|:---:|\n", 3, "分隔行"),
        ("  | 甲 |\n", 2, "只有列项可以缩进"),
    ],
)
def test_it_rejects_bad_tables(markup, line, words):
    problem = error("# 要求\n" + markup)
    assert (problem.line_no, words in problem.message) == (line, True), problem.message


def test_it_reads_figures_with_and_without_a_file():
    node = chapter("图：会场布置示意 | hall.png\n注：图注。\n图2：无文件\n")
    assert node.children == (
        Node(
            "figure",
            title="会场布置示意",
            extra={"src": "hall.png"},
            children=(Node("note", text="图注。"),),
        ),
        Node("figure", title="无文件"),
    )
    assert "文件名" in error("# 要求\n图：题 | \n").message
    assert "图题" in error("# 要求\n图：题 | a | b\n").message


@pytest.mark.parametrize(
    ("markup", "words"),
    [("注：\n", "注没有内容"), ("示例：\n", "示例没有内容")],
)
def test_it_rejects_empty_notes_and_examples(markup, words):
    assert words in error("# 要求\n" + markup).message


def test_it_reads_reference_lines():
    (references,) = body(
        "# 规范性引用文件\n"
        "下列文件……\n"
        "> GB/T 1.1—2020 标准化工作导则  第1部分：标准化文件的结构和起草规则\n"
        "> GB 31654 食品安全国家标准 餐饮服务通用卫生规范\n"
        ">TSG T5002-2017 电梯维护保养规则\n"
        "> DB64/T 1773—2021机关事务标准体系\n"
        "> GB/T 24421（所有部分） 服务业组织标准化工作指南\n"
        "> ISO 9001:2015 Quality management systems\n"
        "> GB/T 13016\n"
        "> 公安部令第61号\n"
    )
    assert [c.extra for c in references.children[1:]] == [
        {
            "code": "GB/T 1.1",
            "year": "2020",
            "title": "标准化工作导则  第1部分：标准化文件的结构和起草规则",
        },
        {"code": "GB 31654", "year": "", "title": "食品安全国家标准 餐饮服务通用卫生规范"},
        {"code": "TSG T5002", "year": "2017", "title": "电梯维护保养规则"},
        {"code": "DB64/T 1773", "year": "2021", "title": "机关事务标准体系"},
        {"code": "GB/T 24421（所有部分）", "year": "", "title": "服务业组织标准化工作指南"},
        {"code": "ISO 9001", "year": "2015", "title": "Quality management systems"},
        {"code": "GB/T 13016", "year": "", "title": ""},
        {"code": "", "year": "", "title": "公安部令第61号"},
    ]
    assert {c.kind for c in references.children[1:]} == {"reference"}


def test_it_reads_reference_lines_in_the_bibliography():
    (bibliography,) = body("@参考文献\n> 中华人民共和国消防法\n")
    assert bibliography.children == (
        Node("reference", extra={"code": "", "year": "", "title": "中华人民共和国消防法"}),
    )


def test_it_reads_terms_with_their_notes_and_examples():
    (terms,) = body(
        "# 术语和定义\n"
        "下列术语和定义适用于本文件。\n"
        "= 留样 | food sample retention | 留存备查的样品。\n"
        "注：术语注。\n"
        "\n"
        "示例：术语示例。\n"
        "= 中心温度 ｜ core temperature | 食品中心的温度\\|读数。 | 来源：GB 31654—2021，2.1\n"
        "= 备场 | | 会后的复原工作。 |\n"
    )
    lead, first, second, third = terms.children
    assert lead == Node("paragraph", text="下列术语和定义适用于本文件。")
    assert first == Node(
        "term",
        extra={
            "term": "留样",
            "english": "food sample retention",
            "definition": "留存备查的样品。",
            "source": "",
        },
        children=(Node("note", text="术语注。"), Node("example", text="术语示例。")),
    )
    assert second.extra == {
        "term": "中心温度",
        "english": "core temperature",
        "definition": "食品中心的温度|读数。",
        "source": "GB 31654—2021，2.1",
    }
    assert (third.extra["english"], third.extra["source"]) == ("", "")


@pytest.mark.parametrize(
    ("markup", "line", "words"),
    [
        ("# 要求\n> GB 1 甲\n", 2, "只能写在"),
        ("# 规范性引用文件\n## 条\n> GB 1 甲\n", 3, "只能写在"),
        ("# 规范性引用文件\n>\n", 2, "之后没有引用文件"),
        ("# 要求\n= 甲 | a | 定义\n", 2, "只能直接写在"),
        ("# 术语和定义\n## 分组\n= 甲 | a | 定义\n", 3, "只能直接写在"),
        ("# 术语和定义\n= 甲 | a\n", 2, "术语行的写法"),
        ("# 术语和定义\n= 甲 | a | b | c | d\n", 2, "术语行的写法"),
        ("# 术语和定义\n= 甲 | a |  | 来源\n", 2, "不能为空"),
        ("# 术语和定义\n= 甲 | a |  \n", 2, "术语行的写法"),
        ("# 术语和定义\n= 甲 | a | 定义\n段落。\n", 3, "只能跟注或示例"),
        ("# 术语和定义\n= 甲 | a | 定义\na) 列项\n", 3, "只能跟注或示例"),
        ("# 术语和定义\n= 甲 | a | 定义\n| 表 |\n", 3, "只能跟注或示例"),
    ],
)
def test_it_rejects_misplaced_references_and_terms(markup, line, words):
    problem = error(markup)
    assert (problem.line_no, words in problem.message) == (line, True), problem.message


def test_a_heading_after_a_term_ends_it():
    (terms,) = body("# 术语和定义\n= 甲 | a | 定义。\n## 条\n段落。\n## 条二\n段落。\n")
    assert [c.kind for c in terms.children] == ["term", "clause", "clause"]


def test_a_node_knows_its_kinds():
    with pytest.raises(ValueError, match="unknown node kind"):
        Node("requirement")
    assert hash(Node("paragraph", text="甲")) == hash(Node("paragraph", text="甲"))


def test_walk_yields_every_node_with_its_ancestors():
    nodes = body("# 要求\n## 甲\n段落。\n")
    assert [(n.kind, len(p)) for n, p in walk(nodes)] == [
        ("chapter", 0),
        ("clause", 1),
        ("paragraph", 2),
    ]


def test_a_markup_error_carries_the_line_and_the_message():
    problem = MarkupError(7, "出错了。")
    assert (problem.line_no, problem.message, str(problem)) == (7, "出错了。", "第7行：出错了。")
    assert isinstance(problem, ValueError)


SAMPLE = """编号: JGSW/TG 009—2026
名称: 样例
层级: internal
服务条线: canteen, meetings
适用岗位: 厨师、会议服务员
发布日期: 2026-03-01
状态: in_force

@前言

前言文字。

# 范围

本文件规定了样例。

# 规范性引用文件

下列文件……

> GB/T 1.1—2020 标准化工作导则  第1部分：标准化文件的结构和起草规则
> 公安部令第61号

# 术语和定义

下列术语和定义适用于本文件。

= 留样 | sample | 留存的样品。 | GB 31654—2021，2.1
注：术语注。

# 要求

## 甲

检查下列内容：

a) 第一；
  1) 细目；
b) 第二。

表：记录
| 甲 | 乙 |
| 1 |  |
注：表注。

注：条注。

示例：例子。

图：示意 | a.png

\\# 字面

## 乙

###

一。

###

二。

@附录 规范性 附录题

## 甲

一。

## 乙

二。

@参考文献

> 中华人民共和国消防法
"""


def test_it_writes_what_it_reads():
    document = parse(SAMPLE)
    text = write(*document)
    assert parse(text) == document
    assert text == write(*parse(text))


def test_the_writer_numbers_list_labels_and_escapes_lookalikes():
    nodes = (
        Node(
            "chapter",
            title="要求",
            children=(
                Node("paragraph", text="注：像注的段落"),
                Node("paragraph", text="| 像表格"),
                Node("list_item", text="一", extra={"style": "alpha"}),
                Node("list_item", text="b) 像标号", extra={"style": "alpha"}),
                Node("list_item", text="三", extra={"style": "numeric"}),
            ),
        ),
    )
    text = write(None, nodes)
    assert "\\注：像注的段落\n" in text
    assert "\\| 像表格\n" in text
    assert "a) 一\nb) \\b) 像标号\n3) 三\n" in text
    assert parse(text).nodes == nodes


def test_the_writer_takes_empty_titles_for_fixed_elements():
    nodes = (Node("foreword"), Node("scope"), Node("bibliography", title="参考文献"))
    assert write(None, nodes) == "@前言\n\n# 范围\n\n@参考文献\n"


def test_the_writer_skips_an_empty_header():
    assert write(Header(), ()) == "\n"
    assert parse(write(Header(), ())) == Document(Header(), ())


@pytest.mark.parametrize(
    ("nodes", "words"),
    [
        ((Node("paragraph", text="甲"),), "cannot stand at the top level"),
        ((Node("chapter", title="要求", children=(Node("term"),)),), "cannot stand in chapter"),
        ((Node("foreword", children=(Node("clause"),)),), "cannot stand in foreword"),
        ((Node("chapter", title="甲\n乙"),), "one line"),
        ((Node("chapter", title=" 甲"),), "one line"),
        ((Node("chapter", title="范围"),), "another kind"),
        ((Node("scope", title="适用范围"),), "another kind"),
        ((Node("chapter"),), "must not be empty"),
        ((Node("chapter", title="甲", text="正文"),), "a text cannot be written"),
        ((Node("foreword", title="序言"),), "title is fixed"),
        ((Node("annex", title="甲", extra={"annex_type": "x"}),), "annex_type"),
        ((Node("chapter", title="甲", extra={"x": 1}),), "extra must have"),
        (
            (
                Node(
                    "chapter",
                    title="甲",
                    children=(Node("list_item", text="甲", extra={"style": "roman"}),),
                ),
            ),
            "style",
        ),
        (
            (
                Node(
                    "chapter",
                    title="甲",
                    children=(
                        Node(
                            "list_item",
                            text="甲",
                            extra={"style": "dash"},
                            children=(Node("paragraph", text="乙"),),
                        ),
                    ),
                ),
            ),
            "cannot stand in a list item",
        ),
        (
            (
                Node(
                    "terms",
                    children=(
                        Node(
                            "term",
                            extra={"term": "甲", "english": "", "definition": "乙", "source": ""},
                        ),
                        Node("note", text="章的注"),
                    ),
                ),
            ),
            "after a term",
        ),
        (
            (
                Node(
                    "chapter",
                    title="甲",
                    children=(Node("clause"), Node("paragraph", text="悬在条后")),
                ),
            ),
            "after a clause",
        ),
        (
            (
                Node(
                    "references",
                    children=(
                        Node("reference", extra={"code": "", "year": "2020", "title": "甲"}),
                    ),
                ),
            ),
            "without a code",
        ),
        (
            (
                Node(
                    "references",
                    children=(
                        Node("reference", extra={"code": "", "year": "", "title": "GB 1 甲"}),
                    ),
                ),
            ),
            "would not read back",
        ),
        (
            (
                Node(
                    "references",
                    children=(
                        Node("reference", extra={"code": "国标 1", "year": "", "title": "甲"}),
                    ),
                ),
            ),
            "would not read back",
        ),
        (
            (
                Node(
                    "chapter",
                    title="甲",
                    children=(Node("table", extra={"header": [], "rows": []}),),
                ),
            ),
            "at least one cell",
        ),
        (
            (
                Node(
                    "chapter",
                    title="甲",
                    children=(Node("table", extra={"header": ["a", "b"], "rows": [["1"]]}),),
                ),
            ),
            "as many cells",
        ),
        (
            (
                Node(
                    "chapter",
                    title="甲",
                    children=(Node("table", extra={"header": ["a"], "rows": [["---"]]}),),
                ),
            ),
            "markdown rule",
        ),
        (
            (
                Node(
                    "chapter",
                    title="甲",
                    children=(Node("figure", title="图", extra={"src": ""}),),
                ),
            ),
            "must not be empty",
        ),
    ],
)
def test_the_writer_refuses_what_the_markup_cannot_say(nodes, words):
    with pytest.raises(ValueError, match=words):
        write(None, nodes)


def test_the_writer_refuses_a_clause_below_the_fifth_level():
    node = Node("clause", title="六")
    for _ in range(5):
        node = Node("clause", title="条", children=(node,))
    with pytest.raises(ValueError, match="fifth"):
        write(None, (Node("chapter", title="甲", children=(node,)),))


@pytest.mark.parametrize(
    ("header", "words"),
    [
        (Header(level="省级"), "unknown code"),
        (Header(service_lines=("garden",)), "unknown code"),
        (Header(posts=("厨师", "厨师")), "duplicate"),
        (Header(posts=("厨师、保洁员",)), "separator"),
        (Header(title="甲\n乙"), "one line"),
        (Header(published_on="2026-01-01"), "expected a date"),  # type: ignore[arg-type]
    ],
)
def test_the_writer_refuses_a_bad_header(header, words):
    with pytest.raises(ValueError, match=words):
        write(header, ())


@pytest.mark.parametrize("path", starter_files(), ids=lambda p: p.name)
def test_every_starter_file_round_trips(path):
    text = path.read_text(encoding="utf-8")
    document = parse(text)
    written = write(*document)
    assert parse(written) == document
    assert write(*parse(written)) == written


@pytest.mark.parametrize("path", starter_files(), ids=lambda p: p.name)
def test_it_accounts_for_every_line_of_a_starter_file(path):
    """No line is dropped: every non-blank line is a header field or exactly one node (a
    table takes its title line and one line per row)."""
    text = path.read_text(encoding="utf-8")
    document = parse(text)
    lines = sum(1 for line in text.splitlines() if line.strip())
    header = sum(1 for value in document.header.as_dict().values() if value)
    nodes = 0
    for node, _parents in walk(document.nodes):
        if node.kind == "table":
            nodes += bool(node.title) + 1 + len(node.extra["rows"])
        else:
            nodes += 1
    assert lines == header + nodes


TRICKY = (
    "#",
    "@前言",
    "注：",
    "示例1：",
    "表：",
    "图：",
    "|",
    "｜",
    ">",
    "=",
    "\\",
    "a)",
    "1）",
    "—— ",
    "- ",
)
ALPHABET = "甲乙丙丁中文样例 abcxyz019|｜\\#@:：)）—-=>·（所有部分）GBT/."


def one_line(min_size: int = 1) -> st.SearchStrategy[str]:
    plain = st.text(alphabet=ALPHABET, min_size=min_size, max_size=12).map(str.strip)
    tricky = st.tuples(st.sampled_from(TRICKY), plain).map(lambda p: (p[0] + p[1]).strip())
    strategy = st.one_of(plain, tricky)
    return strategy.filter(bool) if min_size else strategy


CHINESE = st.text(alphabet="甲乙丙丁标准规范要求", min_size=1, max_size=8)
note_nodes = one_line().map(lambda t: Node("note", text=t))
example_nodes = one_line().map(lambda t: Node("example", text=t))
paragraphs = one_line().map(lambda t: Node("paragraph", text=t))
styles = st.sampled_from(("dash", "alpha", "numeric"))


def list_items(depth: int) -> st.SearchStrategy[Node]:
    children = st.lists(list_items(depth - 1), max_size=2) if depth else st.just([])
    return st.builds(
        lambda text, style, kids: Node(
            "list_item", text=text, extra={"style": style}, children=tuple(kids)
        ),
        one_line(),
        styles,
        children,
    )


@st.composite
def tables(draw: st.DrawFn) -> Node:
    width = draw(st.integers(1, 3))
    header = draw(st.lists(one_line(0), min_size=width, max_size=width))
    rows = draw(
        st.lists(st.lists(one_line(0), min_size=width, max_size=width), max_size=3).filter(
            lambda rows: not rows or not all(c.strip(":-") == "" and "---" in c for c in rows[0])
        )
    )
    notes = draw(st.lists(note_nodes, max_size=2))
    title = draw(one_line(0))
    return Node("table", title=title, extra={"header": header, "rows": rows}, children=tuple(notes))


@st.composite
def figures(draw: st.DrawFn) -> Node:
    extra = draw(st.one_of(st.just({}), one_line().map(lambda s: {"src": s})))
    notes = draw(st.lists(note_nodes, max_size=1))
    return Node("figure", title=draw(one_line(0)), extra=extra, children=tuple(notes))


content = st.one_of(paragraphs, list_items(2), note_nodes, example_nodes, tables(), figures())


def clauses(level: int) -> st.SearchStrategy[Node]:
    """A clause at heading level ``level``: its content, then its sub-clauses."""
    subclauses = st.lists(clauses(level + 1), max_size=2) if level < 4 else st.just([])
    return st.builds(
        lambda title, kids, subs: Node("clause", title=title, children=(*kids, *subs)),
        one_line(0),
        st.lists(content, max_size=2),
        subclauses,
    )


def with_clauses(*kinds: st.SearchStrategy[Node]) -> st.SearchStrategy[tuple[Node, ...]]:
    """Content of ``kinds`` then clauses (text after a clause would belong to it)."""
    return st.builds(
        lambda kids, subs: (*kids, *subs),
        st.lists(st.one_of(*kinds), max_size=3),
        st.lists(clauses(2), max_size=2),
    )


references = st.one_of(
    st.builds(
        lambda code, year, title: Node(
            "reference", extra={"code": code, "year": year, "title": title}
        ),
        st.sampled_from(("GB/T 1.1", "GB 31654", "TSG T5002", "DB64/T 1773", "T/CAS 290")),
        st.sampled_from(("", "2017", "2021")),
        st.one_of(st.just(""), CHINESE),
    ),
    CHINESE.map(lambda t: Node("reference", extra={"code": "", "year": "", "title": t})),
)
terms = st.builds(
    lambda term, english, definition, source, kids: Node(
        "term",
        extra={"term": term, "english": english, "definition": definition, "source": source},
        children=tuple(kids),
    ),
    one_line(),
    one_line(0),
    one_line(),
    st.one_of(one_line(0), one_line().map(lambda s: "来源：" + s)),
    st.lists(st.one_of(note_nodes, example_nodes), max_size=2),
)


TOP_KINDS = ("foreword", "introduction", "bibliography", "scope", "references", "terms")
TOP_KINDS += ("chapter", "annex")


@st.composite
def top_nodes(draw: st.DrawFn) -> Node:
    kind = draw(st.sampled_from(TOP_KINDS))
    inner = with_clauses(content)
    if kind in ("foreword", "introduction"):
        return Node(kind, children=tuple(draw(st.lists(content, max_size=3))))
    if kind == "bibliography":
        kids = draw(st.lists(st.one_of(content, references), max_size=3))
        return Node(kind, children=tuple(kids))
    if kind == "references":
        kids = draw(with_clauses(content, references))
        return Node(kind, title="规范性引用文件", children=kids)
    if kind == "terms":
        lead = draw(st.lists(content, max_size=2))
        rest = draw(st.lists(terms, max_size=3))
        subs = draw(st.lists(clauses(2), max_size=1))
        return Node(kind, title="术语和定义", children=(*lead, *rest, *subs))
    if kind == "scope":
        return Node(kind, title="范围", children=draw(inner))
    if kind == "annex":
        title = draw(one_line().filter(lambda t: t[0] not in ")）"))
        annex_type = draw(st.sampled_from(("normative", "informative")))
        extra = {"annex_type": annex_type}
        return Node(kind, title=title, extra=extra, children=draw(inner))
    title = draw(one_line().filter(lambda t: t not in ("范围", "规范性引用文件", "术语和定义")))
    return Node(kind, title=title, children=draw(inner))


headers = st.builds(
    Header,
    number=one_line(0).filter(lambda s: not s.startswith(("#", "@"))),
    title=CHINESE,
    level=st.sampled_from(("", "national", "internal")),
    service_lines=st.lists(
        st.sampled_from(("canteen", "vehicles", "meetings")), unique=True, max_size=3
    ).map(tuple),
    posts=st.lists(CHINESE, unique=True, max_size=2).map(tuple),
    published_on=st.one_of(st.none(), st.dates()),
    status=st.sampled_from(("", "drafting", "in_force")),
)


@settings(
    max_examples=100, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(headers, st.lists(top_nodes(), max_size=4))
def test_any_expressible_tree_round_trips(header, nodes):
    document = Document(header, tuple(nodes))
    assert roundtrip(document) == document


@settings(max_examples=300, deadline=None, database=None)
@given(st.text(alphabet=ALPHABET + "\n 注示例表图前言附录参考文献范围", max_size=80))
def test_any_text_parses_or_fails_with_a_line_number(text):
    try:
        document = parse("# 要求\n" + text)
    except MarkupError as problem:
        assert 1 <= problem.line_no <= text.count("\n") + 2
        assert problem.message
    else:
        assert parse(write(*document)) == document


def test_the_module_docstring_example_parses():
    doc = textformat.__doc__ or ""
    sample = doc.split("A short document::\n")[1].split("\nThe lines")[0]
    document = parse(textwrap.dedent(sample))
    assert document.header.number == "JGSW/TG 001—2026"
    kinds = [n.kind for n in document.nodes]
    assert kinds == ["foreword", "references", "terms", "chapter", "annex"]
    assert parse(write(*document)) == document
