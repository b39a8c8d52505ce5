"""Excel import of places (a tree whose parents may come later in the file) and equipment
(dates in every form people type them; the status only through the workflow)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from io import BytesIO
from typing import Any

import pytest
from openpyxl import Workbook

from houqin.common.imports import import_run, import_specs
from houqin.common.models import ChangeLogEntry
from houqin.places.models import Equipment, Place

pytestmark = pytest.mark.django_db

PLACE_HEADERS = ["编码", "名称", "类型", "上级编码", "面积", "负责科室"]
EQUIPMENT_HEADERS = [
    "编码",
    "名称",
    "设备类型",
    "型号",
    "序列号",
    "所在场所编码",
    "安装日期",
    "检验证书编号",
    "证书有效期",
    "状态",
]


def sheet(headers: list[str], rows: list[list[Any]]) -> BytesIO:
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.append(headers)
    for row in rows:
        ws.append(row)
    buffer = BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


def run(kind: str, org: Any, file: BytesIO, dry_run: bool = False):
    return import_run(
        spec=import_specs()[kind], organization=org, file=file, actor=None, dry_run=dry_run
    )


PLACES = [
    ["A-01-3F", "3层", "楼层", "A-01", None, None],  # its parent comes later in the file
    ["A-01", "1号楼", "楼宇", "A", "1,200.5", "物业管理科"],
    [],
    ["A", "机关大院", "园区", "", None, "WY"],
    ["A-01-301", "301室", "房间", "Ａ－01－3F", "45", None],
    ["A-00", "0号楼", "楼宇", "A", 80, None],  # sorts before A-01 under the campus
]


def test_it_builds_the_tree_in_the_order_of_depth_and_reimports_as_unchanged(
    org_a, department
) -> None:
    result = run("places", org_a, sheet(PLACE_HEADERS, PLACES))
    assert result.errors == [] and result.created == 5
    room = Place.objects.get(code="A-01-301")
    assert [p.code for p in Place.objects.get_ancestors(room)] == ["A", "A-01", "A-01-3F"]
    building = Place.objects.get(code="A-01")
    assert building.area_m2 == Decimal("1200.50") and building.department == department
    assert [p.code for p in Place.objects.get_children(Place.objects.get(code="A"))] == [
        "A-00",
        "A-01",
    ]
    assert ChangeLogEntry.objects.filter(content_type__model="place").count() == 5

    logged = ChangeLogEntry.objects.count()
    again = run("places", org_a, sheet(PLACE_HEADERS, PLACES))
    assert again.errors == [] and (again.created, again.updated, again.unchanged) == (0, 0, 5)
    assert ChangeLogEntry.objects.count() == logged


def test_it_moves_a_place_whose_parent_changed(org_a, department) -> None:
    run("places", org_a, sheet(PLACE_HEADERS, PLACES))
    moved = [list(row) for row in PLACES]
    moved[4][3] = "A-00"  # 301室 directly under 0号楼
    result = run("places", org_a, sheet(PLACE_HEADERS, moved))
    assert result.errors == [] and result.updated == 1 and result.unchanged == 4
    room = Place.objects.get(code="A-01-301")
    assert Place.objects.get_parent(room).code == "A-00"
    assert all(not problems for problems in Place.objects.find_problems())  # no broken paths


def test_it_keeps_places_where_they_are_when_the_file_has_no_parent_column(
    org_a, department
) -> None:
    run("places", org_a, sheet(PLACE_HEADERS, PLACES))
    headers = ["编码", "名称", "类型"]
    renamed = [["A-01-301", "301 会议室", "房间"], ["A-01-3F", "三层", "楼层"]]
    result = run("places", org_a, sheet(headers, renamed))
    assert result.errors == [] and result.updated == 2
    room = Place.objects.get(code="A-01-301")
    assert room.name == "301 会议室" and Place.objects.get_parent(room).code == "A-01-3F"


def test_it_reports_bad_places_and_writes_nothing(org_a, department) -> None:
    run("places", org_a, sheet(PLACE_HEADERS, PLACES))
    count = Place.objects.count()
    result = run(
        "places",
        org_a,
        sheet(
            PLACE_HEADERS,
            [
                ["B-01", "2号楼", "楼宇", "B", None, None],
                ["C", "园区C", "园区", "A-01", None, None],
                ["P1", "点位1", "点位", "P2", None, None],
                ["P2", "点位2", "点位", "P1", None, None],
                ["R1", "房间1", "房间", "A", "大约五十", "物业科"],
                ["N1", "新楼", "楼宇", "", None, None],
            ],
        ),
    )
    messages = [str(e) for e in result.errors]
    assert "第 2 行：上级编码“B”不存在，请先在“场所”中添加，或在本表中增加这个场所。" in messages
    assert (
        "第 3 行：“楼宇”之下不能放“园区”：下级的类型须低于上级（园区 > 楼宇 > 楼层 > 房间 > 点位）。"
        in messages
    )
    assert "第 4 行：上级编码绕成了一个圈，请检查这几行的上级编码。" in messages
    assert "第 6 行：“面积”应填写数字，“大约五十”不是数字。" in messages
    assert "第 6 行：负责科室“物业科”不存在，请先在“科室”中添加或修改表格。" in messages
    assert not any(m.startswith("第 7 行") for m in messages)
    assert Place.objects.count() == count


def equipment_rows() -> list[list[Any]]:
    return [
        ["DT01", "1号客梯", "电梯", "TKE-100", "SN1", "A-01", "2026-3-5", "ZS-1", "2027/03/05", ""],
        ["MHQ01", "灭火器", "灭火器", "", "", "A-01-301", 46086, "", "2026年3月5日", "在用"],
        [
            "KT01",
            "空调",
            "空调",
            "",
            "",
            "A",
            datetime(2026, 3, 5),  # noqa: DTZ001 (a naive Excel cell)
            "",
            "２０２７－０３－０５",
            None,
        ],
    ]


def test_it_imports_equipment_with_dates_in_every_form(org_a, department) -> None:
    run("places", org_a, sheet(PLACE_HEADERS, PLACES))
    result = run("equipment", org_a, sheet(EQUIPMENT_HEADERS, equipment_rows()))
    assert result.errors == [] and result.created == 3
    items = {e.code: e for e in Equipment.objects.select_related("place")}
    assert items["DT01"].installed_on == date(2026, 3, 5)
    assert items["DT01"].certificate_expires == date(2027, 3, 5)
    assert items["MHQ01"].installed_on == date(2026, 3, 5)
    assert items["MHQ01"].certificate_expires == date(2026, 3, 5)
    assert items["KT01"].installed_on == date(2026, 3, 5)
    assert items["KT01"].certificate_expires == date(2027, 3, 5)
    assert items["MHQ01"].place.code == "A-01-301" and items["DT01"].status == "in_service"
    again = run("equipment", org_a, sheet(EQUIPMENT_HEADERS, equipment_rows()))
    assert again.unchanged == 3 and again.errors == []


def test_it_refuses_bad_equipment_rows(org_a, department) -> None:
    run("places", org_a, sheet(PLACE_HEADERS, PLACES))
    run("equipment", org_a, sheet(EQUIPMENT_HEADERS, equipment_rows()))
    Equipment.objects.filter(code="DT01").update(status="under_repair")
    result = run(
        "equipment",
        org_a,
        sheet(
            EQUIPMENT_HEADERS,
            [
                ["DT01", "1号客梯", "电梯", "", "", "A-01", "", "", "", "在用"],
                ["DT02", "2号客梯", "扶梯", "", "", "Z-9", "2026-13-01", "", "", "停用"],
            ],
        ),
    )
    assert [str(e) for e in result.errors] == [
        "第 2 行：设备“1号客梯”现在是“维修中”，状态只能在设备页面通过“送修”“恢复在用”“停用”修改；"
        "请把“状态”改回“维修中”或留空。",
        "第 3 行：“设备类型”“扶梯”不是可选的值，请从下拉列表中选择："
        "电梯、空调、灭火器、消火栓、水泵、发电机、其他。",
        "第 3 行：所在场所编码“Z-9”不存在，请先在“场所”中添加或修改表格。",
        "第 3 行：“安装日期”“2026-13-01”不是有效的日期，请写成 2026-03-05 这样的格式。",
        "第 3 行：新设备只能导入为“在用”；导入后可在设备页面“送修”或“停用”。",
    ]
    assert Equipment.objects.get(code="DT01").model == "TKE-100"
    assert not Equipment.objects.filter(code="DT02").exists()


def test_inserting_before_existing_siblings_keeps_the_tree_sound(org_a, department) -> None:
    run("places", org_a, sheet(PLACE_HEADERS, PLACES))
    result = run(
        "places",
        org_a,
        sheet(
            PLACE_HEADERS,
            [
                ["A-001", "00号楼", "楼宇", "A", None, None],  # shifts 1号楼 and everything below
                ["A-01-302", "302室", "房间", "A-01-3F", None, None],
                ["A-01-301", "301会议室", "房间", "A-01-3F", "45", None],
            ],
        ),
    )
    assert result.errors == [] and (result.created, result.updated) == (2, 1)
    assert all(not problems for problems in Place.objects.find_problems())
    for code in ("A-01-301", "A-01-302"):
        place = Place.objects.get(code=code)
        assert [p.code for p in Place.objects.get_ancestors(place)] == ["A", "A-01", "A-01-3F"]
    assert Place.objects.get(code="A-01-301").name == "301会议室"
