"""A version exported as a standard: the Word file opened again with python-docx (cover,
contents, headings in order, notes, lists, tables, figures, terms, annexes, page fields),
the PDF (and its text when pdftotext is installed), the print page, the download views and
the template the Word files are built on."""

from __future__ import annotations

import runpy
import shutil
import subprocess
from io import BytesIO
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt
from PIL import Image

from houqin.accounts.models import AuditEvent
from houqin.common.attachments import attachment_add
from houqin.common.exports import DOCX_TYPE
from houqin.standards.clauses import tree_load
from houqin.standards.documents import wordkit
from houqin.standards.documents.source import document_source, version_for_export
from houqin.standards.documents.standard_docx import standard_docx, version_docx
from houqin.standards.documents.standard_pdf import css_string, version_pdf
from houqin.standards.models import Clause, Standard
from houqin.standards.services import version_new_draft, version_publish
from tests.conftest import signed_in
from tests.standards.builders import n
from tests.standards.test_documents_data import (
    RICH_NUMBER,
    RICH_TITLE,
    adopted,
    long_draft,
    rich_draft,
    rich_in_force,
)

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def opened(data: bytes):
    return Document(BytesIO(data))


def styled(doc, style: str) -> list[str]:
    return [p.text for p in doc.paragraphs if p.style.name == style]


def body_xml(doc) -> str:
    return doc.element.body.xml


@pytest.fixture
def rich(org_a, standards_officer):
    return rich_in_force(org_a, standards_officer)


@pytest.fixture
def rich_doc(rich):
    return opened(version_docx(rich.versions.get()))


@pytest.fixture
def media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path},
        },
    }
    return tmp_path


def png(width: int = 300, height: int = 120) -> bytes:
    buffer = BytesIO()
    Image.new("RGB", (width, height), (200, 220, 240)).save(buffer, "PNG")
    return buffer.getvalue()


# ---- the cover ---------------------------------------------------------------------------


def test_it_puts_number_title_and_dates_on_the_cover(rich_doc):
    assert styled(rich_doc, "封面编号") == [RICH_NUMBER]
    assert styled(rich_doc, "封面标准名称") == [RICH_TITLE]
    assert styled(rich_doc, "封面类别") == ["甲市机关事务服务中心内部标准"]
    assert styled(rich_doc, "封面标志") == ["JGSW"]
    assert styled(rich_doc, "封面英文名称") == [
        "Specification for catering service of government office canteens"
    ]
    assert styled(rich_doc, "封面阶段") == []
    assert styled(rich_doc, "封面代号") == ["", ""]  # ICS / CCS lines kept blank
    foot = [p.text for p in rich_doc.sections[0].footer.paragraphs]
    assert foot == ["2026-03-01 发布\t2026-04-01 实施", "甲市机关事务服务中心　发布"]


@pytest.mark.parametrize(
    ("status", "stage"),
    [
        ("consultation", "（征求意见稿）"),
        ("review", "（送审稿）"),
        ("drafting", "（工作组讨论稿）"),
    ],
)
def test_it_marks_a_draft_by_its_stage(org_a, standards_officer, status, stage):
    standard = rich_draft(org_a, standards_officer)
    Standard.objects.filter(pk=standard.pk).update(status=status)
    standard.refresh_from_db()
    doc = opened(version_docx(standard.versions.get()))
    assert styled(doc, "封面阶段") == [stage]
    assert doc.sections[0].footer.paragraphs[0].text == "XXXX-XX-XX 发布\tXXXX-XX-XX 实施"


def test_it_lists_the_numbers_a_revision_replaces(rich, org_a, standards_officer):
    older = adopted(org_a, standards_officer)
    rich.replaces.add(older)
    draft = version_new_draft(standard=rich, actor=standards_officer)
    version_publish(
        version=draft,
        actor=standards_officer,
        number="JGSW/TG 001—2027",
        published_on=rich.published_on,
        effective_on=rich.effective_on,
    )
    doc = opened(version_docx(draft))
    assert styled(doc, "封面编号") == ["JGSW/TG 001—2027"]
    assert styled(doc, "封面代替") == [f"代替 {RICH_NUMBER}", "代替 GB 31654—2021"]


# ---- contents and headings ---------------------------------------------------------------

TOC = [
    "前言",
    "引言",
    "1　范围",
    "2　规范性引用文件",
    "3　术语和定义",
    "4　进货查验",
    "5　留样",
    "附录A（规范性）　进货查验记录表",
    "附录B（资料性）　常见问题",
    "参考文献",
]


def test_it_writes_the_contents_as_a_toc_field_showing_the_headings(rich_doc):
    assert styled(rich_doc, "目次标题") == ["目　　次"]
    assert styled(rich_doc, "toc 1") == TOC
    xml = body_xml(rich_doc)
    assert 'TOC \\o "1-1"' in xml
    assert xml.count('w:fldCharType="begin"') == xml.count('w:fldCharType="end"')


def test_it_numbers_chapters_and_clauses_in_the_text(rich_doc):
    assert styled(rich_doc, "章标题") == [
        "1　范围",
        "2　规范性引用文件",
        "3　术语和定义",
        "4　进货查验",
        "5　留样",
    ]
    assert styled(rich_doc, "条标题") == ["4.1　验收", "4.2　温度", "A.1　记录内容"]
    assert "w:numPr" not in body_xml(rich_doc)  # no Word auto-numbering


def test_it_sets_the_front_matter_on_pages_of_their_own(rich_doc):
    titles = [p for p in rich_doc.paragraphs if p.style.name == "要素标题"]
    assert [p.text for p in titles] == ["前　　言", "引　　言", "参　考　文　献"]
    assert all(p.paragraph_format.page_break_before for p in titles)
    assert styled(rich_doc, "标准名称") == [RICH_TITLE]  # the body's first page
    names = [p.style.name for p in rich_doc.paragraphs]
    assert names.index("要素标题") < names.index("标准名称") < names.index("章标题")


def test_it_starts_an_untitled_clause_with_its_number(rich_doc):
    lines = [p for p in rich_doc.paragraphs if p.style.name == "无标题条"]
    assert [p.text for p in lines] == [
        "4.2.1　冷藏食材的到货温度应不高于8 ℃。",
        "4.2.2　冷冻食材的到货温度应不高于-12 ℃。",
    ]
    number_run = lines[0].runs[0]
    assert number_run.text == "4.2.1"
    assert number_run._r.rPr.rFonts.get(qn("w:eastAsia")) == "黑体"


def test_it_indents_body_paragraphs_by_two_characters(rich_doc):
    style = rich_doc.styles["标准正文"]
    ind = style.element.pPr.find(qn("w:ind"))
    assert ind.get(qn("w:firstLineChars")) == "200"
    assert "本文件规定了机关食堂餐饮服务的要求。" in styled(rich_doc, "标准正文")


def test_it_labels_notes_and_examples_in_small_type(rich_doc):
    notes = styled(rich_doc, "注")
    assert "注1：\t验收由仓管员和当班厨师共同进行。" in notes
    assert "注2：\t验收记录保存2年。" in notes
    assert "注：\t留样不少于125 g。" in notes  # the only note of a term
    assert styled(rich_doc, "示例") == ["示例：\t到货时测得-15 ℃，判为合格。"]
    assert rich_doc.styles["注"].font.size == Pt(9)
    assert rich_doc.styles["示例"].font.size == Pt(9)
    ind = rich_doc.styles["注"].element.pPr.find(qn("w:ind"))
    assert ind.get(qn("w:hanging"))


def test_it_sets_lists_with_hanging_indents(rich_doc):
    assert styled(rich_doc, "列项") == [
        "a)\t供货凭证与实物一致；",
        "b)\t感官性状无腐败。",
        "——每个品种不少于125 g；",
        "——冷藏存放不少于48 h。",
    ]
    assert styled(rich_doc, "列项2") == ["1)\t名称一致；", "2)\t数量一致；"]
    ind = rich_doc.styles["列项"].element.pPr.find(qn("w:ind"))
    assert int(ind.get(qn("w:hanging"))) > 0


def test_it_captions_tables_above_and_keeps_their_cells(rich_doc):
    body = list(rich_doc.element.body.iterchildren())
    tables = [i for i, el in enumerate(body) if el.tag == qn("w:tbl")]
    captions = []
    for index in tables:
        before = body[index - 1]
        captions.append("".join(t.text for t in before.iter(qn("w:t"))))
    assert captions == ["表1　留样记录", "表A.1　进货查验记录"]
    table = rich_doc.tables[0]
    assert table.style.name == "标准表格"
    assert [c.text for c in table.rows[0].cells] == ["日期", "菜品", "留样量/g"]
    assert [c.text for c in table.rows[1].cells] == ["3月1日", "红烧鱼", "150"]
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    borders = rich_doc.styles["标准表格"].element.find(qn("w:tblPr")).find(qn("w:tblBorders"))
    assert borders.find(qn("w:insideH")).get(qn("w:val")) == "single"
    after = [p.text for p in rich_doc.paragraphs]
    assert after[after.index("表1　留样记录") + 1] == "注：\t留样量以电子秤称量为准。"


def test_it_captions_a_figure_below_its_picture(org_a, standards_officer, media):
    standard = rich_in_force(org_a, standards_officer)
    attachment_add(
        obj=standard,
        upload=SimpleUploadedFile("cabinet.png", png(), content_type="image/png"),
        actor=standards_officer,
    )
    doc = opened(version_docx(standard.versions.get()))
    texts = [p.text for p in doc.paragraphs]
    index = texts.index("图1　留样柜布置示意")
    assert doc.paragraphs[index].style.name == "图题"
    picture = doc.paragraphs[index - 1]
    assert picture.style.name == "图"
    assert picture._p.xpath(".//pic:pic")
    assert len(doc.inline_shapes) == 1


def test_it_says_when_a_figure_file_is_missing(rich_doc):
    texts = [p.text for p in rich_doc.paragraphs]
    index = texts.index("图1　留样柜布置示意")
    assert texts[index - 1] == "［图文件“cabinet.png”未上传］"


def test_it_sets_terms_as_gb_t_1_1_does(rich_doc):
    texts = [p.text for p in rich_doc.paragraphs]
    at = texts.index("3.1")
    assert rich_doc.paragraphs[at].style.name == "术语条目号"
    assert texts[at + 1 : at + 5] == [
        "留样　food sample retention",
        "按餐次、品种留存成品食品样品的做法。",
        "注：\t留样不少于125 g。",
        "[来源：GB 31654—2021，2.10]",
    ]
    assert rich_doc.paragraphs[at + 1].style.name == "术语"
    english = rich_doc.paragraphs[at + 1].runs[1]
    assert english._r.rPr.rFonts.get(qn("w:ascii")) == "Times New Roman"


def test_it_titles_annexes_with_their_kind_on_a_new_page(rich_doc):
    annexes = [p for p in rich_doc.paragraphs if p.style.name == "附录标题"]
    assert [p.text for p in annexes] == [
        "附录A\n（规范性）\n进货查验记录表",
        "附录B\n（资料性）\n常见问题",
    ]
    assert rich_doc.styles["附录标题"].paragraph_format.page_break_before


def test_it_numbers_references_and_the_bibliography(rich_doc):
    assert "GB 31654—2021　食品安全国家标准 餐饮服务通用卫生规范" in styled(rich_doc, "标准正文")
    assert styled(rich_doc, "参考文献条目") == [
        "[1]\tGB/T 24421.1—2023　服务业组织标准化工作指南 第1部分：基本要求"
    ]


def test_it_pages_front_matter_in_roman_and_the_body_from_one(rich_doc):
    _cover, front, body = rich_doc.sections
    fmt = [s._sectPr.find(qn("w:pgNumType")) for s in (front, body)]
    assert [f.get(qn("w:fmt")) for f in fmt] == ["upperRoman", "decimal"]
    assert [f.get(qn("w:start")) for f in fmt] == ["1", "1"]
    assert front.header.paragraphs[0].text == RICH_NUMBER
    assert front.even_page_header.paragraphs[0].text == RICH_NUMBER
    for footer in (front.footer, front.even_page_footer):
        instructions = [t.text.strip() for t in footer._element.iter(qn("w:instrText"))]
        assert instructions == ["PAGE"]
    assert body.footer.is_linked_to_previous  # the same PAGE field, in the body's format
    assert rich_doc.settings.odd_and_even_pages_header_footer


def test_it_gives_an_adopted_standard_without_text_a_cover_and_its_metadata(
    org_a, standards_officer
):
    standard = adopted(org_a, standards_officer)
    assert version_for_export(standard) is None
    doc = opened(standard_docx(standard, None))
    assert styled(doc, "封面类别") == ["中华人民共和国国家标准"]
    assert styled(doc, "封面编号") == ["GB 31654—2021"]
    assert styled(doc, "封面标志") == ["GB"]
    assert styled(doc, "封面标准名称") == ["食品安全国家标准\n餐饮服务通用卫生规范"]
    assert doc.sections[0].footer.paragraphs[0].text == "2021-03-11 发布\t2022-02-22 实施"
    cells = {row.cells[0].text: row.cells[1].text for row in doc.tables[0].rows}
    assert cells["标准编号"] == "GB 31654—2021"
    assert cells["标准层级"] == "国家标准"
    assert cells["发布机构"] == "国家卫生健康委员会 国家市场监督管理总局"
    assert styled(doc, "toc 1") == []


def test_it_keeps_user_text_out_of_the_markup(org_a, standards_officer):
    standard = rich_draft(org_a, standards_officer, title="<b>餐饮</b>&“服务”")
    version = standard.versions.get()
    clause = version.clauses.get(kind="scope")
    tree_load(version=version, nodes=(n("paragraph", '<script>alert(1)</script>"'),), parent=clause)
    doc = opened(version_docx(version))
    assert styled(doc, "封面标准名称") == ["<b>餐饮</b>&“服务”"]
    html = (
        signed_in(standards_officer)
        .get(reverse("standards:version_print", args=[version.pk]))
        .content.decode()
    )
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;餐饮&lt;/b&gt;" in html


def test_it_exports_a_200_clause_standard(org_a, standards_officer):
    """(The export's speed is measured by bench/standards_docx.py: tests are not timed.)"""
    standard = long_draft(org_a, standards_officer, clauses=200)
    version = standard.versions.get()
    assert version.clauses.count() >= 200
    doc = opened(version_docx(version))
    assert len(styled(doc, "条标题")) == version.clauses.filter(kind=Clause.Kind.CLAUSE).count()


def test_it_reads_a_version_in_a_fixed_number_of_queries(
    org_a, standards_officer, django_assert_max_num_queries
):
    small = long_draft(org_a, standards_officer, clauses=20).versions.get()
    big = long_draft(org_a, standards_officer, clauses=120).versions.get()
    for version in (small, big):
        version = type(version).objects.select_related("standard__organization").get(pk=version.pk)
        with django_assert_max_num_queries(8):
            document_source(version.standard, version)


# ---- the template ------------------------------------------------------------------------

STYLES = {
    "标准正文",
    "无标题条",
    "标准名称",
    "要素标题",
    "目次标题",
    "章标题",
    "条标题",
    "列项",
    "列项2",
    "列项3",
    "注",
    "示例",
    "表题",
    "图题",
    "图",
    "表格文字",
    "表头",
    "术语条目号",
    "术语",
    "附录标题",
    "参考文献条目",
    "封面代号",
    "封面标志",
    "封面类别",
    "封面编号",
    "封面代替",
    "封面标准名称",
    "封面英文名称",
    "封面阶段",
    "封面日期",
    "封面发布机构",
    "文件标题",
    "文件说明",
    "文件小标题",
    "标准表格",
    "toc 1",
}


def test_the_committed_template_holds_the_styles_its_script_builds(tmp_path):
    committed = {s.name for s in Document(str(wordkit.TEMPLATE)).styles}
    assert committed >= STYLES
    script = runpy.run_path(str(ROOT / "scripts" / "make-docx-template"), run_name="template")
    rebuilt = {s.name for s in Document(str(script["build"](tmp_path / "t.docx"))).styles}
    assert rebuilt == committed
    chapter = Document(str(wordkit.TEMPLATE)).styles["章标题"]
    assert chapter.element.rPr.rFonts.get(qn("w:eastAsia")) == "黑体"
    assert chapter.element.pPr.find(qn("w:outlineLvl")).get(qn("w:val")) == "0"


def test_a_document_built_on_the_template_has_no_specimen_text():
    doc = wordkit.open_template()
    assert doc.paragraphs == []
    assert doc.tables == []


# ---- PDF and print page ------------------------------------------------------------------


def pdf_text(data: bytes, tmp_path: Path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed: the PDF text is not checked")
    path = tmp_path / "x.pdf"
    path.write_bytes(data)
    text = subprocess.run(
        ["pdftotext", str(path), "-"],  # noqa: S607
        capture_output=True,
        check=True,
        text=True,
    ).stdout
    return "".join(text.split())  # no spaces: the layout spreads titles such as 目　　次


def test_it_renders_the_pdf_with_cover_pages_and_annexes(rich, tmp_path):
    data = version_pdf(rich.versions.get())
    assert data.startswith(b"%PDF")
    text = pdf_text(data, tmp_path)
    for words in (
        RICH_TITLE,
        "JGSW/TG001—2026",
        "甲市机关事务服务中心内部标准",
        "2026-03-01发布",
        "目次",
        "第I页",  # 目次, paged in roman
        "第1页",  # the body starts again at 1
        "附录A（规范性）进货查验记录表",
        "附录B（资料性）常见问题",
        "表1",
        "留样记录",
        "4.2.1冷藏食材",
    ):
        assert words in text


def test_the_pdf_uses_simplified_chinese_fonts(rich, tmp_path):
    if shutil.which("pdffonts") is None:
        pytest.skip("pdffonts (poppler-utils) is not installed: the embedded fonts are not checked")
    path = tmp_path / "x.pdf"
    path.write_bytes(version_pdf(rich.versions.get()))
    fonts = subprocess.run(
        ["pdffonts", str(path)],  # noqa: S607
        capture_output=True,
        check=True,
        text=True,
    ).stdout
    assert "CJK" in fonts and "SC" in fonts
    assert "CJK-JP" not in fonts and "CJK JP" not in fonts


def test_css_strings_cannot_break_out():
    assert css_string('a"b</style>') == '"a\\22 b\\3c /style\\3e "'
    assert css_string("JGSW/TG 001—2026") == '"JGSW/TG 001—2026"'


def test_the_print_page_shows_the_standard_without_the_site_shell(rich, worker):
    version = rich.versions.get()
    response = signed_in(worker).get(reverse("standards:version_print", args=[version.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="zh-CN">' in html
    assert RICH_TITLE in html and RICH_NUMBER in html
    assert "附录A" in html and "（规范性）" in html
    assert "standards/print.css" in html and "standards/print.js" in html
    assert "<style" not in html and "onclick" not in html and "<script>" not in html
    assert 'class="navbar' not in html
    assert reverse("standards:version_docx", args=[version.pk]) in html


# ---- downloads ---------------------------------------------------------------------------


def test_it_downloads_the_docx_with_its_chinese_name_and_audits_it(rich, standards_officer):
    version = rich.versions.get()
    response = signed_in(standards_officer).get(
        reverse("standards:version_docx", args=[version.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX_TYPE
    name = "JGSW-TG 001—2026 机关食堂餐饮服务规范.docx"
    assert f"filename*=UTF-8''{quote(name)}" in response["Content-Disposition"]
    assert styled(opened(response.content), "封面编号") == [RICH_NUMBER]
    event = AuditEvent.objects.filter(kind=AuditEvent.Kind.EXPORT).latest("pk")
    assert event.detail["what"] == "标准文本（Word）"


def test_it_downloads_the_pdf(rich, worker):
    version = rich.versions.get()
    response = signed_in(worker).get(reverse("standards:version_pdf", args=[version.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "filename*=UTF-8''JGSW-TG%20001" in response["Content-Disposition"]


def test_an_outsider_cannot_download_a_version(rich, org_b):
    from tests.conftest import person

    outsider = person(org_b, "mallory", "standards_officer")
    client = signed_in(outsider)
    for name in ("standards:version_docx", "standards:version_pdf", "standards:version_print"):
        assert client.get(reverse(name, args=[rich.versions.get().pk])).status_code == 404
