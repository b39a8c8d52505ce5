"""Reading Word files: tracked changes in the accepted view, comments, hidden text, fields
and text boxes; damaged and empty files; progress; a large file."""

from __future__ import annotations

import zipfile
from io import BytesIO

import pytest
from docx.oxml import parse_xml

from houqin.standards import textformat as tf
from houqin.standards.importer import ImportFailed, import_docx
from tests.standards.importer.helpers import (
    check_tree,
    find,
    new_document,
    outline,
    para,
    to_bytes,
    xml,
)

AUTHOR = 'w:id="{id}" w:author="张三" w:date="2026-01-05T09:00:00Z"'


def _inserted(text: str, id: int) -> object:
    return xml("ins", f"<w:r><w:t>{text}</w:t></w:r>", AUTHOR.format(id=id))


def _deleted(text: str, id: int) -> object:
    return xml("del", f"<w:r><w:delText>{text}</w:delText></w:r>", AUTHOR.format(id=id))


def test_it_reads_tracked_changes_as_accepted_and_ignores_comments():
    doc = new_document()
    para(doc, "1 范围")
    paragraph = para(doc, "保洁人员应")
    paragraph._p.append(_deleted("经常", 1))
    paragraph._p.append(_inserted("每2 h", 2))
    paragraph.add_run("巡查1次。")
    doc.add_comment(paragraph.runs[-1], text="频次是否合适？", author="李四")
    merged = para(doc, "工具应分色")
    merged._p.get_or_add_pPr().append(xml("rPr", f"<w:del {AUTHOR.format(id=3)}/>"))
    para(doc, "使用。")
    gone = para(doc, "")
    gone._p.append(_deleted("本段已删除。", 4))
    inserted = para(doc, "")
    inserted._p.append(_inserted("新增的段落。", 5))
    moved = para(doc, "地面应")
    moved._p.append(xml("moveFrom", "<w:r><w:delText>及时</w:delText></w:r>", AUTHOR.format(id=6)))
    moved.add_run("保持干燥")
    moved._p.append(xml("moveTo", "<w:r><w:t>，无积水</w:t></w:r>", AUTHOR.format(id=7)))
    moved.add_run("。")

    imported = import_docx(to_bytes(doc))

    assert outline(imported.document.nodes) == [
        "scope 范围",
        "  paragraph 保洁人员应每2 h巡查1次。",
        "  paragraph 工具应分色使用。",
        "  paragraph 新增的段落。",
        "  paragraph 地面应保持干燥，无积水。",
    ]
    assert imported.flags == []


def test_it_skips_hidden_text_and_field_codes_and_reads_hyperlinks_and_text_boxes():
    doc = new_document()
    para(doc, "1 范围")
    paragraph = para(doc, "见")
    paragraph._p.append(xml("hyperlink", "<w:r><w:t>附录A</w:t></w:r>", 'w:anchor="a1"'))
    paragraph._p.append(xml("r", "<w:rPr><w:vanish/></w:rPr><w:t>隐藏文字</w:t>"))
    paragraph._p.append(xml("r", '<w:fldChar w:fldCharType="begin"/>'))
    paragraph._p.append(xml("r", "<w:instrText> PAGEREF a1 </w:instrText>"))
    paragraph._p.append(xml("r", '<w:fldChar w:fldCharType="separate"/>'))
    paragraph._p.append(xml("r", "<w:t>。</w:t>"))
    paragraph._p.append(xml("r", '<w:fldChar w:fldCharType="end"/>'))
    boxed = para(doc, "")
    boxed._p.append(
        xml(
            "r",
            "<w:pict><w:txbxContent><w:p><w:r><w:t>框内文字。</w:t></w:r></w:p>"
            "</w:txbxContent></w:pict>",
        )
    )

    imported = import_docx(to_bytes(doc))

    assert outline(imported.document.nodes) == [
        "scope 范围",
        "  paragraph 见附录A。",
        "  paragraph 框内文字。",
    ]


def test_it_flags_footnotes_and_formulas_and_skips_an_index():
    omml = "http://schemas.openxmlformats.org/officeDocument/2006/math"
    doc = new_document()
    para(doc, "1 范围")
    noted = para(doc, "本文件适用于办公楼。")
    noted._p.append(xml("r", '<w:footnoteReference w:id="1"/>'))
    formula = para(doc, "留样量按")
    formula._p.append(
        parse_xml(f'<m:oMath xmlns:m="{omml}"><m:r><m:t>m=n×125</m:t></m:r></m:oMath>')
    )
    formula.add_run("计算。")
    para(doc, "索　引")
    entry = para(doc, "")
    entry._p.append(xml("r", '<w:fldChar w:fldCharType="begin"/>'))
    entry._p.append(xml("r", "<w:instrText> INDEX \\c 2 </w:instrText>"))
    entry._p.append(xml("r", '<w:fldChar w:fldCharType="separate"/>'))
    entry.add_run("留样\t3")
    entry._p.append(xml("r", '<w:fldChar w:fldCharType="end"/>'))

    imported = import_docx(to_bytes(doc))

    assert outline(imported.document.nodes) == [
        "scope 范围",
        "  paragraph 本文件适用于办公楼。",
        "  paragraph 留样量按m=n×125计算。",
    ]
    assert imported.flags == [
        "第2段“本文件适用于办公楼。”有脚注，脚注的内容没有导入，请把它写进正文或注中",
        "第3段“留样量按m=n×125计算。”有公式，公式已按文字导入，请核对",
    ]


def test_it_takes_the_lines_of_a_contents_field_for_the_toc():
    doc = new_document()
    para(doc, "目　次")
    first = para(doc, "")
    first._p.append(xml("r", '<w:fldChar w:fldCharType="begin"/>'))
    first._p.append(xml("r", '<w:instrText> TOC \\o "1-1" \\h </w:instrText>'))
    first._p.append(xml("r", '<w:fldChar w:fldCharType="separate"/>'))
    first.add_run("前言\tI")
    last = para(doc, "1　范围\t1")
    last._p.append(xml("r", '<w:fldChar w:fldCharType="end"/>'))
    para(doc, "前言")
    para(doc, "本文件首次发布。")

    imported = import_docx(to_bytes(doc))

    assert imported.cover.toc == ["前言", "1 范围"]
    assert outline(imported.document.nodes) == ["foreword", "  paragraph 本文件首次发布。"]


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _with_document_xml(data: bytes) -> bytes:
    source = zipfile.ZipFile(BytesIO(to_bytes(new_document())))
    files = {name: source.read(name) for name in source.namelist()}
    files["word/document.xml"] = data
    return _zip(files)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "文件是空的"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "旧版Word文件"),
        (b"%PDF-1.7 ...", "PDF文件"),
        (b"just some text, not a zip", "不是Word文档"),
        (_zip({"[Content_Types].xml": b"<Types/>"}), "缺少 word/document.xml"),
        (_with_document_xml(b"<w:document><w:body><w:p>"), "XML格式错误"),
        (to_bytes(new_document()), "没有文字"),
    ],
    ids=["empty", "doc", "pdf", "not-a-zip", "no-document", "bad-xml", "no-text"],
)
def test_it_refuses_a_file_it_cannot_read_with_a_reason(data, message):
    with pytest.raises(ImportFailed) as caught:
        import_docx(data)
    assert message in caught.value.message


def test_it_refuses_a_file_that_is_only_a_cover():
    doc = new_document()
    para(doc, "JGSW/FW 001—2026")
    para(doc, "公共卫生间保洁服务规范")

    with pytest.raises(ImportFailed) as caught:
        import_docx(to_bytes(doc))
    assert "没有找到正文" in caught.value.message


def test_it_reads_an_open_file_and_reports_progress():
    doc = new_document()
    for chapter in range(1, 5):
        para(doc, f"{chapter} 第{chapter}章")
        for index in range(40):
            para(doc, f"第{chapter}章第{index}段的要求。")
    calls: list[tuple[int, int]] = []

    imported = import_docx(
        BytesIO(to_bytes(doc)), progress=lambda done, total: calls.append((done, total))
    )

    assert imported.paragraphs == 164
    assert calls == [(0, 164), (50, 164), (100, 164), (150, 164), (164, 164)]


def test_it_imports_a_sixty_page_standard():
    doc = new_document()
    para(doc, "JGSW/FW 001—2026")
    para(doc, "大型标准")
    para(doc, "前言")
    para(doc, "本文件首次发布。")
    for chapter in range(1, 31):
        para(doc, f"{chapter} 第{chapter}章", "Heading 1")
        for clause in range(1, 9):
            para(doc, f"{chapter}.{clause} 第{clause}条", "Heading 2")
            para(doc, f"第{chapter}.{clause}条的要求应符合下列规定：")
            for item in "abcd":
                para(doc, f"{item}) 第{item}项要求；")
        table = doc.add_table(rows=6, cols=3)
        for row in table.rows:
            for cell in row.cells:
                cell.text = "数据"
    imported = import_docx(to_bytes(doc))

    assert imported.paragraphs > 1500
    assert len(find(imported.document.nodes, tf.CLAUSE)) == 240
    assert len(find(imported.document.nodes, tf.LIST_ITEM)) == 960
    assert imported.flags == []
    check_tree(imported.document.nodes)
