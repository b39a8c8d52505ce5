"""The system table (体系表) in Excel and Word with its diagram, the 意见处理表 of a
consultation and the yearly plan, each opened again and checked; and their views."""

from __future__ import annotations

from datetime import date, datetime
from io import BytesIO
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook
from PIL import Image

from houqin.accounts.models import AuditEvent
from houqin.standards.documents.diagram import DiagramNode, diagram_png
from houqin.standards.documents.disposition import disposition_docx
from houqin.standards.documents.plan import plan_docx
from houqin.standards.documents.system_table import (
    DETAIL_HEADERS,
    system_diagram,
    system_table,
    system_table_docx,
    system_table_xlsx,
    table_status,
)
from houqin.standards.models import (
    Comment,
    Consultation,
    PlanItem,
    Standard,
    StandardNode,
    StandardPlan,
    StandardVersion,
)
from tests.conftest import person, signed_in

pytestmark = pytest.mark.django_db


def add_node(org, code: str, name: str, parent: StandardNode | None = None) -> StandardNode:
    node = StandardNode(organization=org, code=code, name=name)
    if parent is None:
        return StandardNode.objects.add_root(instance=node)
    return StandardNode.objects.add_child(parent, instance=node)


def add_standard(org, node, number, title, status, level="internal", published=0, **fields):
    standard = Standard.objects.create(
        organization=org,
        node=node,
        number=number,
        title=title,
        status=status,
        level=level,
        **fields,
    )
    for seq in range(1, published + 1):
        StandardVersion.objects.create(
            standard=standard, seq=seq, published_at=timezone.now(), number=number
        )
    return standard


@pytest.fixture
def tree(org_a):
    """JC (JC-01), TG (TG-01, TG-02), GW: standards in every lifecycle state."""
    jc = add_node(org_a, "JC", "服务通用基础标准")
    jc1 = add_node(org_a, "JC-01", "标准化导则", jc)
    tg = add_node(org_a, "TG", "服务提供标准")
    tg1 = add_node(org_a, "TG-01", "服务规范", tg)
    tg2 = add_node(org_a, "TG-02", "服务提供规范", tg)
    add_node(org_a, "GW", "岗位工作标准")
    s = {}
    s["A"] = add_standard(
        org_a,
        tg1,
        "JGSW/TG 001—2026",
        "食堂服务规范",
        "in_force",
        published=1,
        effective_on=date(2026, 4, 1),
    )
    s["F"] = add_standard(
        org_a,
        tg1,
        "JGSW/TG 001—2020",
        "食堂服务规范（旧）",
        "withdrawn",
        published=1,
        withdrawn_on=date(2026, 4, 1),
    )
    s["A"].replaces.add(s["F"])
    s["H"] = add_standard(
        org_a,
        tg1,
        "JGSW/TG 005—2026",
        "接待服务规范",
        "published",
        published=1,
        effective_on=date(2026, 12, 1),
    )
    s["B"] = add_standard(
        org_a, tg2, "JGSW/TG 002—2021", "会议服务规范", "under_review", published=1
    )
    s["C"] = add_standard(org_a, tg2, "", "公务用车服务规范", "drafting")
    s["D"] = add_standard(org_a, tg2, "JGSW/TG 003—2022", "物业服务规范", "review", published=1)
    s["E"] = add_standard(org_a, tg2, "JGSW/TG 004—2022", "绿化服务规范", "revising", published=1)
    s["G"] = add_standard(
        org_a,
        jc1,
        "GB/T 1.1—2020",
        "标准化工作导则",
        "in_force",
        level="national",
        effective_on=date(2020, 10, 1),
    )
    return {"JC": jc, "TG": tg, "TG-01": tg1, "TG-02": tg2, **s}


def test_it_maps_the_lifecycle_to_the_system_table_status():
    assert table_status("in_force", 1) == "现行"
    assert table_status("under_review", 1) == "现行"
    assert table_status("revising", 1) == "拟修订"
    assert table_status("withdrawn", 1) == "废止"
    for status in ("proposed", "drafting", "consultation", "review"):
        assert table_status(status, 0) == "拟制定"
        assert table_status(status, 1) == "拟修订"
    assert table_status("published", 1) == "拟制定"  # approved, not yet in force
    assert table_status("published", 2) == "拟修订"


def test_it_lists_every_standard_with_its_status(org_a, tree):
    table = system_table(org_a)
    by_title = {r.title: r for r in table.rows}
    assert [r.index for r in table.rows] == list(range(1, 9))
    assert {t: r.status for t, r in by_title.items()} == {
        "标准化工作导则": "现行",
        "食堂服务规范": "现行",
        "食堂服务规范（旧）": "废止",
        "接待服务规范": "拟制定",
        "会议服务规范": "现行",
        "公务用车服务规范": "拟制定",
        "物业服务规范": "拟修订",
        "绿化服务规范": "拟修订",
    }
    assert by_title["食堂服务规范"].replaces == "JGSW/TG 001—2020"
    assert by_title["食堂服务规范"].node_code == "TG-01"
    assert by_title["食堂服务规范（旧）"].note == "2026-04-01废止，被JGSW/TG 001—2026代替"
    assert by_title["接待服务规范"].note == "已批准发布，2026-12-01实施"
    assert by_title["绿化服务规范"].note == "修订中，现行版本继续有效"
    assert by_title["标准化工作导则"].level == "国家标准"


def test_it_counts_expected_and_existing_standards(org_a, tree):
    table = system_table(org_a)
    assert [g.values() for g in table.groups] == [
        ["JC 服务通用基础标准", 1, 1, "100.0%"],
        ["TG 服务提供标准", 6, 3, "50.0%"],
        ["GW 岗位工作标准", 0, 0, "—"],
    ]
    assert table.total.values() == ["合计", 7, 4, "57.1%"]
    levels = {row.name: row.values()[1:] for row in table.levels}
    assert levels["国家标准"] == [1, 1, "100.0%"]
    assert levels["内部标准"] == [6, 3, "50.0%"]
    assert levels["行业标准"] == [0, 0, "—"]


def test_it_exports_one_branch(org_a, tree):
    table = system_table(org_a, tree["TG"])
    assert table.title == "服务提供标准标准体系表"
    assert {r.node_code for r in table.rows} == {"TG-01", "TG-02"}
    assert [g.values() for g in table.groups] == [
        ["TG-01 服务规范", 2, 1, "50.0%"],
        ["TG-02 服务提供规范", 4, 2, "50.0%"],
    ]


def test_it_writes_the_system_table_to_excel(org_a, tree):
    book = load_workbook(BytesIO(system_table_xlsx(org_a)))
    assert book.sheetnames == ["标准明细表", "标准统计表", "标准体系结构图"]
    detail = book["标准明细表"]
    assert detail["A1"].value == "甲市机关事务服务中心标准体系表　标准明细表"
    assert [c.value for c in detail[3]] == list(DETAIL_HEADERS)
    rows = {r[3]: r for r in detail.iter_rows(min_row=4, values_only=True)}
    assert len(rows) == 8
    canteen = rows["食堂服务规范"]
    assert canteen[:6] == (3, "TG-01", "JGSW/TG 001—2026", "食堂服务规范", "内部标准", "现行")
    assert canteen[6].date() == date(2026, 4, 1)  # a real date cell
    assert canteen[7] == "JGSW/TG 001—2020"
    assert rows["公务用车服务规范"][2] == "—"
    assert detail.freeze_panes == "A4"
    stats = book["标准统计表"]
    values = [r for r in stats.iter_rows(min_row=4, values_only=True) if r[0]]
    assert ("TG 服务提供标准", 6, 3, "50.0%") in values
    assert ("合计", 7, 4, "57.1%") in values
    assert ("国家标准", 1, 1, "100.0%") in values
    assert len(book["标准体系结构图"]._images) == 1


def test_it_writes_the_system_table_to_word_with_its_diagram(org_a, tree):
    doc = Document(BytesIO(system_table_docx(org_a)))
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == "甲市机关事务服务中心标准体系表"
    for heading in ("一、标准体系结构图", "二、标准明细表", "三、标准统计表"):
        assert heading in texts
    assert len(doc.inline_shapes) == 1
    assert doc.inline_shapes[0].width <= doc.sections[0].page_width
    detail, groups, levels = doc.tables
    assert [c.text for c in detail.rows[0].cells] == list(DETAIL_HEADERS)
    assert len(detail.rows) == 9
    statuses = {row.cells[3].text: row.cells[5].text for row in detail.rows[1:]}
    assert statuses["物业服务规范"] == "拟修订"
    assert statuses["食堂服务规范（旧）"] == "废止"
    assert [c.text for c in groups.rows[2].cells] == ["TG 服务提供标准", "6", "3", "50.0%"]
    assert [c.text for c in groups.rows[-1].cells] == ["合计", "7", "4", "57.1%"]
    assert levels.rows[0].cells[0].text == "层级"
    assert doc.sections[0].page_width > doc.sections[0].page_height  # landscape
    footer = doc.sections[0].footer._element.xml
    assert "PAGE" in footer


def test_it_draws_the_structure_diagram(org_a, tree):
    png = system_diagram(system_table(org_a))
    with Image.open(BytesIO(png)) as image:
        assert image.format == "PNG"
        width, height = image.size
    assert width >= 900 and height > 200
    branch = system_diagram(system_table(org_a, tree["TG"]))
    assert branch != png


def test_the_diagram_fits_a_wide_tree_by_wrapping_names():
    leaves = [DiagramNode(code=f"N-{i}", name="服务质量控制规范") for i in range(30)]
    png = diagram_png(DiagramNode(code="", name="体系", children=leaves))
    with Image.open(BytesIO(png)) as image:
        width, height = image.size
    assert width == 2000  # 30 leaves still fit the A4 landscape width
    assert height > 8 * 24 + 100  # the 8-character names run down, a character a line


def test_the_system_table_reads_a_fixed_number_of_queries(org_a):
    node = add_node(org_a, "TG", "服务提供标准")
    child = add_node(org_a, "TG-01", "服务规范", node)

    def queries(count: int) -> int:
        Standard.objects.filter(organization=org_a).delete()
        for i in range(count):
            standard = add_standard(
                org_a, child, f"JGSW/TG {i + 1:03d}—2026", f"规范{i}", "in_force", published=1
            )
            standard.replaces.set([])
        with CaptureQueriesContext(connection) as context:
            system_table(org_a)
        return len(context.captured_queries)

    assert queries(2) == queries(30)


def test_the_system_table_view_exports_and_audits(org_a, tree, standards_officer):
    client = signed_in(standards_officer)
    url = reverse("standards:system_table_export")
    response = client.get(url, {"format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    name = quote("甲市机关事务服务中心标准体系表.xlsx")
    assert f"filename*=UTF-8''{name}" in response["Content-Disposition"]
    event = AuditEvent.objects.filter(kind=AuditEvent.Kind.EXPORT).latest("pk")
    assert event.detail == {"what": "标准体系表", "filter": "范围：全部体系", "rows": 8}
    response = client.get(url, {"format": "docx", "node": tree["TG"].pk})
    assert response.status_code == 200
    doc = Document(BytesIO(response.content))
    assert doc.paragraphs[0].text == "服务提供标准标准体系表"
    assert client.get(url, {"format": "csv"}).status_code == 400
    assert client.get(url, {"node": "x"}).status_code == 404


def test_the_system_views_refuse_a_node_of_another_organization(org_a, org_b, tree, leader):
    foreign = add_node(org_b, "TG", "服务提供标准")
    client = signed_in(leader)
    assert (
        client.get(reverse("standards:system_table_export"), {"node": foreign.pk}).status_code
        == 404
    )
    assert client.get(reverse("standards:system_diagram"), {"node": foreign.pk}).status_code == 404


def test_the_diagram_view_serves_a_png(org_a, tree, leader):
    response = signed_in(leader).get(reverse("standards:system_diagram"), {"node": tree["TG"].pk})
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response.content.startswith(b"\x89PNG")


# ---- 意见处理表 ----------------------------------------------------------------------------


@pytest.fixture
def consultation(org_a, draft, standards_officer, department_head, worker, leader):
    Standard.objects.filter(pk=draft.pk).update(status="consultation", number="JGSW/FW 009—2026")
    draft.refresh_from_db()
    consultation = Consultation.objects.create(
        organization=org_a,
        standard=draft,
        version=draft.versions.get(),
        deadline=date(2026, 5, 31),
        opened_by=standards_officer,
    )
    Consultation.objects.filter(pk=consultation.pk).update(
        created_at=datetime(2026, 5, 1, 9, tzinfo=ZoneInfo("Asia/Shanghai"))
    )
    consultation.refresh_from_db()
    D = Comment.Disposition
    for clause, text, author, unit, disposition, reply in (
        ("5.10", "频次过高。", worker, "物业管理科", D.REJECTED, "不采纳：高峰时段需要。"),
        ("", "建议补充夜间要求。", leader, "", D.PARTLY, "部分采纳：夜间按每4 h一次。"),
        ("5.2", "“地面宜无积水”应改为“应”。", department_head, "物业管理科", D.ACCEPTED, "采纳。"),
        ("附录A", "记录表缺少签名栏。", worker, "", D.PENDING, ""),
    ):
        Comment.objects.create(
            organization=org_a,
            consultation=consultation,
            clause_number=clause,
            text=text,
            author=author,
            author_unit=unit,
            disposition=disposition,
            reply=reply,
        )
    return consultation


def test_it_writes_the_disposition_table(consultation):
    doc = Document(BytesIO(disposition_docx(consultation)))
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == "《公共卫生间保洁规范》征求意见处理表"
    assert "标准编号及名称：JGSW/FW 009—2026　公共卫生间保洁规范" in texts
    assert "征求意见时间：2026年5月1日至2026年5月31日" in texts
    assert (
        "意见处理情况：共收到意见 4 条，其中采纳 1 条、部分采纳 1 条、不采纳 1 条，尚未处理 1 条。"
        in texts
    )
    table = doc.tables[0]
    assert [c.text for c in table.rows[0].cells] == [
        "序号",
        "章条编号",
        "意见内容",
        "提出单位/人",
        "处理意见",
        "理由/说明",
    ]
    rows = [[c.text for c in row.cells] for row in table.rows[1:]]
    assert rows == [
        ["1", "总体", "建议补充夜间要求。", "张领导", "部分采纳", "部分采纳：夜间按每4 h一次。"],
        ["2", "5.2", "“地面宜无积水”应改为“应”。", "物业管理科/王科长", "采纳", "采纳。"],
        ["3", "5.10", "频次过高。", "物业管理科/赵师傅", "不采纳", "不采纳：高峰时段需要。"],
        ["4", "附录A", "记录表缺少签名栏。", "赵师傅", "未处理", ""],
    ]


def test_a_consultation_without_comments_says_so(org_a, draft, standards_officer):
    consultation = Consultation.objects.create(
        organization=org_a,
        standard=draft,
        version=draft.versions.get(),
        deadline=date(2026, 5, 31),
        opened_by=standards_officer,
    )
    doc = Document(BytesIO(disposition_docx(consultation)))
    assert "共收到意见 0 条" in "".join(p.text for p in doc.paragraphs)
    assert doc.tables[0].rows[1].cells[0].text == "本轮征求意见没有收到意见。"


# ---- 标准制修订计划 ------------------------------------------------------------------------


@pytest.fixture
def plan(org_a, department, tree):
    plan = StandardPlan.objects.create(organization=org_a, year=2026, title="2026年标准化工作计划")
    items = (
        ("new", "食堂服务规范", tree["A"], date(2026, 1, 1), date(2026, 3, 31)),
        ("revise", "物业服务规范", tree["D"], date(2026, 2, 1), date(2026, 3, 31)),
        ("withdraw", "旧版会议服务规范", None, date(2026, 9, 1), date(2026, 10, 31)),
    )
    for action, title, standard, starts, due in items:
        PlanItem.objects.create(
            organization=org_a,
            plan=plan,
            action=action,
            title=title,
            standard=standard,
            node=tree["TG-02"],
            owner_department=department,
            starts_on=starts,
            due_on=due,
        )
    return plan


def test_it_writes_the_plan_with_progress_and_slippage(plan):
    doc = Document(BytesIO(plan_docx(plan, today=date(2026, 5, 1))))
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == "2026年度标准制修订计划"
    assert texts[1] == "2026年标准化工作计划"
    assert (
        "共 3 项：制定 1 项、修订 1 项、废止 1 项；截至2026年5月1日，已完成 1 项，滞后 1 项。"
        in texts[2]
    )
    rows = [[c.text for c in row.cells] for row in doc.tables[0].rows]
    assert rows[0] == [
        "序号",
        "项目名称",
        "类型",
        "体系节点",
        "负责科室",
        "开始",
        "完成",
        "当前进度",
        "备注",
    ]
    assert rows[1] == [
        "1",
        "食堂服务规范",
        "制定",
        "TG-02 服务提供规范",
        "物业管理科",
        "2026-01-01",
        "2026-03-31",
        "实施",
        "JGSW/TG 001—2026",
    ]
    assert rows[2][1:3] == ["物业服务规范", "修订"]
    assert rows[2][7:] == ["审查", "滞后 31 天；JGSW/TG 003—2022"]
    assert rows[3][1:3] == ["旧版会议服务规范", "废止"]
    assert rows[3][7:] == ["未立项", ""]


def test_the_plan_view_downloads_the_plan(plan, standards_officer, worker, org_b):
    url = reverse("standards:plan_export", args=[plan.pk])
    response = signed_in(standards_officer).get(url)
    assert response.status_code == 200
    assert quote("2026年度标准制修订计划.docx") in response["Content-Disposition"]
    assert Document(BytesIO(response.content)).paragraphs[0].text == "2026年度标准制修订计划"
    assert signed_in(worker).get(url).status_code == 403
    outsider = person(org_b, "mallory", "standards_officer")
    assert signed_in(outsider).get(url).status_code == 404
