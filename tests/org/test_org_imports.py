"""Excel import of the organization's kinds: a deliberately messy staff workbook reports every
bad row and writes nothing; a clean one imports; importing it again changes nothing."""

from __future__ import annotations

from io import BytesIO
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from houqin.common.imports import import_run, import_specs, template_workbook
from houqin.common.models import ChangeLogEntry
from houqin.org.models import Department, Post, ServedUnit, Staff, Team, Vendor

pytestmark = pytest.mark.django_db

HEADERS = [
    "序号",
    " 工号 ",
    "姓名",
    "编制类型",
    "科室",
    "班组",
    "岗位",
    "外包服务商",
    "手机号",
    "状态",
    "备注",
]


@pytest.fixture
def org_setup(org_a, department):
    """物业管理科 (WY) with 早班保洁组, the post 保洁员, the vendor 江城物业 (V01)."""
    Team.objects.create(organization=org_a, department=department, name="早班保洁组")
    Post.objects.create(organization=org_a, code="BJ", name="保洁员")
    Vendor.objects.create(organization=org_a, code="V01", name="江城物业服务有限公司")
    Department.objects.create(organization=org_a, code="CY", name="餐饮服务科")
    return org_a


def workbook(
    rows: list[list[Any]], *, title_row: bool = True, merges: tuple[str, ...] = ()
) -> BytesIO:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "职工名单"
    if title_row:
        sheet.append(["江城市机关事务服务中心职工名单（2026 年）"])
        sheet.merge_cells("A1:K1")
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    for ref in merges:
        sheet.merge_cells(ref)
    buffer = BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


CLEAN_ROWS: list[list[Any]] = [
    # row 3: plain
    [1, "A001", "张三", "公务员", "物业管理科", "", "", "", "13812345678", "在岗", ""],
    # row 4: blank
    [None] * 11,
    # row 5: full-width code, department by full-width code, full-width space in the name,
    # phone as a number, blank status
    [
        2,
        "Ａ００２",
        "李　四",
        "事业编制",
        "ＷＹ",
        "早班保洁组",
        "保洁员",
        "",
        13900001111,
        None,
        "x",
    ],
    # row 6: number as a number, choice with stray spaces, phone with spaces; 科室 merged 6–7
    [
        3,
        1003,
        "王五",
        " 外包 ",
        "物业管理科",
        "",
        "",
        "江城物业服务有限公司",
        "139 0000 2222",
        "离职",
        "",
    ],
    # row 7: 科室 comes from the merged cell above; vendor by code; number stored as text
    [4, "1004", "赵六", "外包", None, "", "", "V01", "13900003333", "", ""],
    # rows 8–9: blank
    [None] * 11,
    ["", "  ", None, None, None, None, None, None, None, None, None],
    # row 10: alias of a choice, department by name with a full-width space
    [5, "A005", "孙七", "编外/临聘", "餐饮服务科\u3000", "", "", "", "", "", ""],
]


def run(org, file, actor=None, dry_run: bool = False):
    return import_run(
        spec=import_specs()["staff"], organization=org, file=file, actor=actor, dry_run=dry_run
    )


def test_it_imports_a_messy_but_valid_file_and_a_second_import_changes_nothing(
    org_setup, leader
) -> None:
    result = run(org_setup, workbook(CLEAN_ROWS, merges=("E6:E7",)), actor=leader)
    assert result.errors == []
    assert (result.created, result.updated, result.unchanged) == (5, 0, 0)
    staff = {s.number: s for s in Staff.objects.select_related("department", "team", "post")}
    assert sorted(staff) == ["1003", "1004", "A001", "A002", "A005"]
    assert staff["A002"].name == "李四" and staff["A002"].department.code == "WY"
    assert staff["A002"].team.name == "早班保洁组" and staff["A002"].post.name == "保洁员"
    assert staff["A002"].phone == "13900001111" and staff["A002"].status == "active"
    assert staff["1003"].employment == "outsourced" and staff["1003"].status == "left"
    assert staff["1003"].phone == "13900002222" and staff["1003"].vendor.code == "V01"
    assert staff["1004"].department.code == "WY" and staff["1004"].vendor.code == "V01"
    assert staff["A005"].employment == "contract" and staff["A005"].department.code == "CY"
    entries = ChangeLogEntry.objects.filter(action="create", content_type__model="staff")
    assert entries.count() == 5
    entry = entries.get(object_id=str(staff["A002"].pk))
    assert entry.actor == leader and entry.actor_name == leader.name
    assert entry.changes["department"] == [None, "物业管理科"]
    assert entry.changes["employment"] == [None, "事业编制"]

    logged = ChangeLogEntry.objects.count()
    again = run(org_setup, workbook(CLEAN_ROWS, merges=("E6:E7",)), actor=leader)
    assert again.errors == []
    assert (again.created, again.updated, again.unchanged) == (0, 0, 5)
    assert ChangeLogEntry.objects.count() == logged
    assert Staff.objects.count() == 5


def test_it_updates_only_the_changed_rows_and_logs_before_and_after(org_setup, leader) -> None:
    run(org_setup, workbook(CLEAN_ROWS, merges=("E6:E7",)), actor=leader)
    changed = [list(row) for row in CLEAN_ROWS]
    changed[0][8] = "13812340000"
    changed[0][4] = "CY"
    result = run(org_setup, workbook(changed, merges=("E6:E7",)), actor=leader)
    assert (result.created, result.updated, result.unchanged) == (0, 1, 4)
    person = Staff.objects.get(number="A001")
    entry = ChangeLogEntry.objects.get(action="update", object_id=str(person.pk))
    assert entry.changes == {
        "department": ["物业管理科", "餐饮服务科"],
        "phone": ["138****5678", "138****0000"],
    }


def test_a_blank_status_keeps_the_status_of_an_existing_person(org_setup, leader) -> None:
    run(org_setup, workbook(CLEAN_ROWS, merges=("E6:E7",)), actor=leader)
    rows = [list(row) for row in CLEAN_ROWS]
    rows[3][9] = None  # 1003 was 离职
    result = run(org_setup, workbook(rows, merges=("E6:E7",)))
    assert result.unchanged == 5
    assert Staff.objects.get(number="1003").status == "left"


MESSY_ROWS: list[list[Any]] = [
    *CLEAN_ROWS,
    # row 11: the same 工号 as row 3 (full-width)
    [6, "Ａ001", "重复", "公务员", "物业管理科", "", "", "", "", "", ""],
    # row 12: unknown department
    [7, "A007", "周八", "公务员", "物业科", "", "", "", "", "", ""],
    # row 13: bad phone
    [8, "A008", "吴九", "公务员", "物业管理科", "", "", "", "1381234567", "", ""],
    # row 14: unknown choice
    [9, "A009", "郑十", "临时工", "物业管理科", "", "", "", "", "", ""],
    # row 15: missing name
    [10, "A010", "  ", "公务员", "物业管理科", "", "", "", "", "", ""],
    # row 16: outsourced without vendor
    [11, "A011", "冯十一", "外包", "物业管理科", "", "", "", "", "", ""],
    # row 17: a team that is not in the department, an unknown post
    [12, "A012", "陈十二", "公务员", "餐饮服务科", "早班保洁组", "厨神", "", "", "", ""],
    # row 18: two problems on one row, and an unknown status
    [13, "A013", "褚十三", "公务员", "后勤科", "", "", "", "12345", "休假", ""],
]


def test_it_lists_every_bad_row_in_chinese_and_writes_nothing(org_setup, leader) -> None:
    logged = ChangeLogEntry.objects.count()
    result = run(org_setup, workbook(MESSY_ROWS, merges=("E6:E7",)), actor=leader)
    messages = [str(error) for error in result.errors]
    assert messages == [
        "第 11 行：工号“A001”与第 3 行重复，同一工号只能出现一次，请删除或改正其中一行。",
        "第 12 行：科室“物业科”不存在，请先在“科室”中添加或修改表格。",
        "第 13 行：“手机号”“1381234567”不是有效的手机号，请填写 11 位手机号码。",
        "第 14 行：“编制类型”“临时工”不是可选的值，请从下拉列表中选择："
        "公务员、事业编制、编外临聘、外包。",
        "第 15 行：“姓名”没有填写，请补上。",
        "第 16 行：编制类型为“外包”的人员须填写“外包服务商”。",
        "第 17 行：班组“早班保洁组”不在科室“餐饮服务科”中，请先在“班组”中添加或修改表格。",
        "第 17 行：岗位“厨神”不存在，请先在“岗位”中添加或修改表格。",
        "第 18 行：科室“后勤科”不存在，请先在“科室”中添加或修改表格。",
        "第 18 行：“手机号”“12345”不是有效的手机号，请填写 11 位手机号码。",
        "第 18 行：“状态”“休假”不是可选的值，请从下拉列表中选择：在岗、离职。",
    ]
    assert [(e.row, e.column) for e in result.errors][:3] == [
        (11, "工号"),
        (12, "科室"),
        (13, "手机号"),
    ]
    assert result.bad_rows == 8
    assert not result.applied
    assert not Staff.objects.exists()
    assert ChangeLogEntry.objects.count() == logged


def test_a_dry_run_counts_but_writes_nothing(org_setup) -> None:
    result = run(org_setup, workbook(CLEAN_ROWS, merges=("E6:E7",)), dry_run=True)
    assert result.ok and result.created == 5 and not result.applied
    assert not Staff.objects.exists()
    assert not ChangeLogEntry.objects.filter(content_type__model="staff").exists()


def test_it_names_missing_required_columns_once(org_setup) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["工号", "科室", "手机号"])
    sheet.append(["A1", "WY", "13800138000"])
    buffer = BytesIO()
    book.save(buffer)
    buffer.seek(0)
    result = run(org_setup, buffer)
    assert [str(e) for e in result.errors] == [
        "第 1 行：表格缺少必填列：姓名、编制类型。请使用下载的模板，不要删除或改动列名。"
    ]


def test_the_template_round_trips_and_its_example_row_is_skipped(org_setup) -> None:
    data = template_workbook(import_specs()["staff"])
    book = load_workbook(BytesIO(data))
    sheet = book.worksheets[0]
    assert [c.value for c in sheet[1]][:4] == ["工号", "姓名", "编制类型", "科室"]
    assert sheet.freeze_panes == "A2"
    lists = [dv.formula1 for dv in sheet.data_validations.dataValidation]
    assert '"公务员,事业编制,编外临聘,外包"' in lists and '"在岗,离职"' in lists
    assert sheet["A1"].comment is not None and "必填" in sheet["A1"].comment.text
    assert book.sheetnames[1] == "填写说明"
    sheet.append(["B01", "钱多多", "公务员", "物业管理科", None, None, None, "13800000001"])
    buffer = BytesIO()
    book.save(buffer)
    buffer.seek(0)
    result = run(org_setup, buffer)
    assert result.errors == [] and result.created == 1
    assert list(Staff.objects.values_list("number", flat=True)) == ["B01"]


def sheet_of(headers: list[str], rows: list[list[Any]]) -> BytesIO:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


def test_departments_served_units_and_vendors_import(org_a, leader) -> None:
    specs = import_specs()
    result = import_run(
        spec=specs["departments"],
        organization=org_a,
        file=sheet_of(["科室代码", "科室名称"], [["ＺＨ", "综合科"], ["CL", "车辆 管理科"]]),
        actor=leader,
        dry_run=False,
    )
    assert result.ok and result.created == 2
    assert set(Department.objects.values_list("code", "name")) == {
        ("ZH", "综合科"),
        ("CL", "车辆管理科"),
    }
    result = import_run(
        spec=specs["served_units"],
        organization=org_a,
        file=sheet_of(
            ["单位代码", "单位名称", "所属", "联系人", "联系电话"],
            [
                ["SW-01", "市委办公室", "市委", "李四", "0571-87654321"],
                ["ZF-01", "市政府办公室", "市政府", "", 13800138000],
                ["X-01", "某单位", "市纪委", "", "123"],
            ],
        ),
        actor=leader,
        dry_run=False,
    )
    assert [str(e) for e in result.errors] == [
        "第 4 行：“所属”“市纪委”不是可选的值，请从下拉列表中选择：市委、市人大、市政府、市政协。",
        "第 4 行：“联系电话”“123”不是有效的电话号码，请填写 11 位手机号或带区号的固定电话"
        "（如 0571-87654321）。",
    ]
    assert not ServedUnit.objects.exists()
    result = import_run(
        spec=specs["vendors"],
        organization=org_a,
        file=sheet_of(
            ["服务商代码", "公司名称", "联系人", "联系电话", "服务范围"],
            [["V01", "江城物业服务有限公司（分公司）", "王五", "139 0013 9000", "保洁、绿化"]],
        ),
        actor=leader,
        dry_run=False,
    )
    assert result.ok
    vendor = Vendor.objects.get()
    assert vendor.name == "江城物业服务有限公司（分公司）" and vendor.phone == "13900139000"


def test_it_only_sees_the_rows_of_its_own_organization(org_a, org_b, department) -> None:
    Department.objects.create(organization=org_b, code="QT", name="其他科")
    Staff.objects.create(organization=org_b, number="A001", name="外单位", employment="contract")
    result = run(
        org_a,
        sheet_of(["工号", "姓名", "编制类型", "科室"], [["A001", "张三", "公务员", "其他科"]]),
    )
    assert [str(e) for e in result.errors] == [
        "第 2 行：科室“其他科”不存在，请先在“科室”中添加或修改表格。"
    ]
    result = run(
        org_a, sheet_of(["工号", "姓名", "编制类型", "科室"], [["A001", "张三", "公务员", "WY"]])
    )
    assert result.ok and result.created == 1
    assert Staff.objects.get(organization=org_b).name == "外单位"
