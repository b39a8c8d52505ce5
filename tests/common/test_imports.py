"""The Excel import engine on a deliberately messy workbook, the import_xlsx command and the
import pages (upload → dry run → confirm → applied)."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO, StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from houqin.accounts.roles import ROLE_BY_CODE
from houqin.common.import_views import SESSION_KEY
from houqin.common.imports import (
    DATE,
    DECIMAL,
    LOOKUP,
    Column,
    ImportContext,
    ImportSpec,
    Lookup,
    RowError,
    import_run,
    nfkc,
    parse_date,
    parse_mobile,
    parse_tel,
    read_workbook,
)
from houqin.common.models import ChangeLogEntry
from houqin.org.models import Contract, Staff, Vendor
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ORG_IMPORTS = ("org.add_department", "org.add_staff", "org.add_servedunit", "org.add_vendor")


def _contract_resolve(ctx: ImportContext) -> None:
    column = ctx.spec.column("结束日期")
    assert column is not None
    for row in ctx.rows:
        start, end = row.values.get("starts_on"), row.values.get("ends_on")
        if start and end and end < start:
            ctx.error(row, column, "“结束日期”不能早于“开始日期”。")


CONTRACTS = ImportSpec(
    kind="test_contracts",
    title="服务合同",
    model=Contract,
    key="number",
    resolve=_contract_resolve,
    columns=(
        Column("合同编号", "number", required=True, compact=True),
        Column("合同名称", "title", required=True),
        Column(
            "服务商",
            "vendor",
            required=True,
            kind=LOOKUP,
            lookup=Lookup(
                "外包服务商",
                lambda org: Vendor.objects.filter(organization=org),
                lambda v: (v.code, v.name),
            ),
        ),
        Column("开始日期", "starts_on", required=True, kind=DATE),
        Column("结束日期", "ends_on", required=True, kind=DATE),
        Column("金额", "amount", required=True, kind=DECIMAL),
    ),
)

CLEAN = {
    # row 4: dates as text, a number with a thousands comma in full-width digits
    4: ["HT-001", "保洁服务合同", "江城物业", "2026-3-5", "2027/03/04", "１２,３４５.５", "x"],
    # row 6: full-width code, an Excel serial and a date cell; 服务商 merged over rows 6–7
    6: ["ＨＴ－００２", " 绿化  合同 ", "V01", 46086, datetime(2027, 3, 4), 10000, None],  # noqa: DTZ001 (a naive Excel cell)
    # row 7: the vendor comes from the merged cell; dates in Chinese; amount as text
    7: ["HT-003", "安保合同", None, "2026年3月5日", "2027年3月4日", "8000", None],
}
BAD = {
    # row 8: the same 合同编号 as row 4
    8: ["HT-001", "重复合同", "V01", "2026-01-01", "2026-12-31", 1, None],
    # row 9: missing required value
    9: ["HT-009", "", "V01", "2026-01-01", "2026-12-31", 1, None],
    # row 10: unknown vendor, impossible date, not a number
    10: ["HT-010", "维修合同", "不存在的公司", "2026-02-30", "2026-12-31", "大约一万", None],
    # row 11: ends before it starts
    11: ["HT-011", "会务合同", "V01", "2026-12-31", "2026-01-01", 1, None],
}


def contract_workbook(rows: dict[int, list[Any]]) -> BytesIO:
    """A title row merged across, a note row, the header on row 3 (with stray spaces, a
    full-width asterisk and an extra column), blank rows kept, 服务商 merged over rows 6–7."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet["A1"] = "2026 年服务合同台账"
    sheet.merge_cells("A1:G1")
    sheet["A2"] = "说明：金额单位为元"
    for index, header in enumerate(
        [" 合同编号 ", "＊合同名称", "服务商", "开始日期", "结束日期", "金额", "备注"], start=1
    ):
        sheet.cell(row=3, column=index, value=header)
    for number, values in rows.items():
        for index, value in enumerate(values, start=1):
            sheet.cell(row=number, column=index, value=value)
    if 6 in rows and 7 in rows:
        sheet.merge_cells("C6:C7")
    buffer = BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


@pytest.fixture
def vendor(org_a) -> Vendor:
    return Vendor.objects.create(organization=org_a, code="V01", name="江城物业")


def run_contracts(org, rows: dict[int, list[Any]], dry_run: bool = False, actor=None):
    return import_run(
        spec=CONTRACTS,
        organization=org,
        file=contract_workbook(rows),
        actor=actor,
        dry_run=dry_run,
    )


def test_it_reports_every_bad_row_of_a_messy_workbook_and_writes_nothing(org_a, vendor) -> None:
    logged = ChangeLogEntry.objects.count()
    result = run_contracts(org_a, {**CLEAN, **BAD})
    assert [str(error) for error in result.errors] == [
        "第 8 行：合同编号“HT-001”与第 4 行重复，同一合同编号只能出现一次，请删除或改正其中一行。",
        "第 9 行：“合同名称”没有填写，请补上。",
        "第 10 行：服务商“不存在的公司”不存在，请先在“外包服务商”中添加或修改表格。",
        "第 10 行：“开始日期”“2026-02-30”不是有效的日期，请写成 2026-03-05 这样的格式。",
        "第 10 行：“金额”应填写数字，“大约一万”不是数字。",
        "第 11 行：“结束日期”不能早于“开始日期”。",
    ]
    assert result.errors[0] == RowError(8, "合同编号", result.errors[0].message) and result.errors[
        4
    ] == RowError(10, "金额", result.errors[4].message)
    assert not result.applied
    assert not Contract.objects.exists()
    assert ChangeLogEntry.objects.count() == logged


def test_a_clean_messy_workbook_imports_and_importing_it_again_changes_nothing(
    org_a, vendor, leader
) -> None:
    result = run_contracts(org_a, CLEAN, actor=leader)
    assert result.errors == [] and result.applied
    assert (result.rows, result.created, result.updated, result.unchanged) == (3, 3, 0, 0)
    contracts = {c.number: c for c in Contract.objects.all()}
    assert sorted(contracts) == ["HT-001", "HT-002", "HT-003"]
    assert contracts["HT-001"].amount == Decimal("12345.50")
    assert contracts["HT-001"].starts_on == date(2026, 3, 5)
    assert contracts["HT-001"].ends_on == date(2027, 3, 4)
    assert contracts["HT-002"].title == "绿化 合同"
    assert contracts["HT-002"].starts_on == date(2026, 3, 5)
    assert contracts["HT-002"].ends_on == date(2027, 3, 4)
    assert contracts["HT-003"].vendor == vendor
    assert contracts["HT-003"].starts_on == date(2026, 3, 5)
    created = ChangeLogEntry.objects.filter(action="create", content_type__model="contract")
    assert created.count() == 3
    entry = created.get(object_id=str(contracts["HT-001"].pk))
    assert entry.actor == leader and entry.object_repr == str(contracts["HT-001"])
    assert entry.changes["amount"] == [None, "12345.5"]
    assert entry.changes["vendor"] == [None, "江城物业"]

    logged = ChangeLogEntry.objects.count()
    again = run_contracts(org_a, CLEAN, actor=leader)
    assert again.errors == [] and (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert ChangeLogEntry.objects.count() == logged


def test_a_dry_run_writes_nothing(org_a, vendor) -> None:
    result = run_contracts(org_a, CLEAN, dry_run=True)
    assert result.ok and result.created == 3 and not result.applied
    assert not Contract.objects.exists()


def test_read_workbook_finds_the_header_and_keeps_sheet_row_numbers() -> None:
    sheet = read_workbook(
        contract_workbook(CLEAN), headers=["合同编号", "合同名称", "服务商", "金额"]
    )
    assert sheet.header_row == 3
    assert sheet.columns == {"合同编号": 0, "合同名称": 1, "服务商": 2, "金额": 5}
    assert [number for number, _ in sheet.rows] == [4, 6, 7]
    assert sheet.rows[2][1][2] == "V01"  # the merged cell's top-left value


def test_it_refuses_a_file_that_is_not_a_workbook_or_has_no_header(org_a) -> None:
    result = import_run(
        spec=CONTRACTS,
        organization=org_a,
        file=BytesIO(b"not a zip"),
        actor=None,
        dry_run=True,
    )
    assert [str(e) for e in result.errors] == [
        "文件无法读取：请上传用 Excel 或 WPS 保存的 .xlsx 文件（.xls 和 .csv 请先另存为 .xlsx）。"
    ]
    book = Workbook()
    book.active.append(["甲", "乙"])  # type: ignore[union-attr]
    buffer = BytesIO()
    book.save(buffer)
    buffer.seek(0)
    result = import_run(spec=CONTRACTS, organization=org_a, file=buffer, actor=None, dry_run=True)
    assert str(result.errors[0]).startswith("没有找到表头。请使用下载的模板")


@pytest.mark.parametrize(
    "value",
    [
        "2026-3-5",
        "2026/03/05",
        "2026年3月5日",
        "2026.3.5",
        "20260305",
        "２０２６－０３－０５",
        " 2026-03-05 00:00:00 ",
        46086,
        46086.0,
        "46086",
        datetime(2026, 3, 5, 0, 0),  # noqa: DTZ001 (a naive Excel cell)
        date(2026, 3, 5),
    ],
)
def test_parse_date_reads_the_forms_people_type(value: Any) -> None:
    assert parse_date(value) == date(2026, 3, 5)


@pytest.mark.parametrize("value", ["2026-13-01", "明天", "3/5", "", -1, "2026-02-30"])
def test_parse_date_refuses_what_is_not_a_date(value: Any) -> None:
    assert parse_date(value) is None


def test_phones_and_full_width_text_are_normalised() -> None:
    assert parse_mobile("１３８ 0013-8000") == "13800138000"
    assert parse_mobile(13800138000) == "13800138000"
    assert parse_mobile("+86 138 0013 8000") == "13800138000"
    assert parse_tel("0571-87654321") == "0571-87654321"
    assert nfkc("  Ａ００２\u3000 x ") == "A002 x"


def staff_file(tmp_path: Path, rows: list[list[Any]], name: str = "staff.xlsx") -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["工号", "姓名", "编制类型", "科室", "手机号"])
    for row in rows:
        sheet.append(row)
    path = tmp_path / name
    book.save(path)
    return path


GOOD_STAFF = [["A001", "张三", "公务员", "WY", "13800138000"], ["A002", "李四", "外包", "WY", ""]]


def test_the_command_exits_1_with_the_error_list(org_a, department, tmp_path: Path) -> None:
    path = staff_file(
        tmp_path,
        [["A001", "张三", "公务员", "物业科", "13800138000"], ["A002", "", "公务", "WY", "1"]],
    )
    out, err = StringIO(), StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("import_xlsx", "staff", str(path), "--org", "org-a", stdout=out, stderr=err)
    assert exit_info.value.code == 1
    assert err.getvalue().splitlines() == [
        "第 2 行：科室“物业科”不存在，请先在“科室”中添加或修改表格。",
        "第 3 行：“姓名”没有填写，请补上。",
        "第 3 行：“编制类型”“公务”不是可选的值，请从下拉列表中选择：公务员、事业编制、编外临聘、外包。",
        "第 3 行：“手机号”“1”不是有效的手机号，请填写 11 位手机号码。",
        "共 4 处问题，没有导入任何数据；请改正后重新导入。",
    ]
    assert not Staff.objects.exists()


def test_the_command_dry_runs_imports_and_reimports(org_a, department, tmp_path: Path) -> None:
    Vendor.objects.create(organization=org_a, code="V1", name="保洁公司")
    rows = [GOOD_STAFF[0], ["A002", "李四", "外包", "WY", ""]]
    path = staff_file(tmp_path, rows)
    with pytest.raises(SystemExit):
        call_command("import_xlsx", "staff", str(path), "--org", "org-a", stderr=StringIO())
    rows[1] = ["A002", "李四", "编外临聘", "WY", ""]
    path = staff_file(tmp_path, rows)
    out = StringIO()
    call_command("import_xlsx", "staff", str(path), "--dry-run", "--org", "org-a", stdout=out)
    assert out.getvalue().strip() == "检查通过（试运行，没有写入）：新建 2 行，更新 0 行，未变 0 行"
    assert not Staff.objects.exists()
    out = StringIO()
    call_command("import_xlsx", "staff", str(path), "--org", "org-a", stdout=out)
    assert out.getvalue().strip() == "导入完成：新建 2 行，更新 0 行，未变 0 行"
    logged = ChangeLogEntry.objects.count()
    out = StringIO()
    call_command("import_xlsx", "staff", str(path), "--org", "org-a", stdout=out)
    assert out.getvalue().strip() == "导入完成：新建 0 行，更新 0 行，未变 2 行"
    assert ChangeLogEntry.objects.count() == logged


def test_the_command_writes_a_template_with_drop_downs(tmp_path: Path) -> None:
    out = tmp_path / "staff-template.xlsx"
    call_command("import_xlsx", "staff", "--template", str(out), stdout=StringIO())
    sheet = load_workbook(out).worksheets[0]
    assert sheet["A1"].value == "工号" and sheet["A2"].value
    validations = sheet.data_validations.dataValidation
    assert validations and all(v.type == "list" for v in validations)
    assert any("C2" in str(v.sqref) for v in validations)  # 编制类型


def test_the_command_refuses_an_unknown_kind_or_organization(org_a, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="没有“cars”这种导入"):
        call_command("import_xlsx", "cars", "x.xlsx", "--org", "org-a")
    path = staff_file(tmp_path, GOOD_STAFF)
    with pytest.raises(CommandError, match="没有代码为“nope”的单位"):
        call_command("import_xlsx", "staff", str(path), "--org", "nope")


@pytest.fixture(autouse=True)
def _import_pages(settings: Any, tmp_path: Path) -> None:
    settings.ROOT_URLCONF = "tests.common.import_urls"
    settings.VAR_DIR = tmp_path / "var"


@pytest.fixture
def importer(department_head, monkeypatch: pytest.MonkeyPatch):
    """charlie, a department head whose role may add the organization's rows."""
    role = ROLE_BY_CODE["department_head"]
    granted = dataclasses.replace(role, permissions=(*role.permissions, *ORG_IMPORTS))
    monkeypatch.setitem(ROLE_BY_CODE, "department_head", granted)
    return department_head


@pytest.fixture
def stranger(worker, monkeypatch: pytest.MonkeyPatch):
    """dora, a worker whose role holds no permission."""
    monkeypatch.setitem(
        ROLE_BY_CODE, "worker", dataclasses.replace(ROLE_BY_CODE["worker"], permissions=())
    )
    return worker


def upload(path: Path) -> SimpleUploadedFile:
    return SimpleUploadedFile(path.name, path.read_bytes(), content_type=XLSX)


def uploads_left(settings: Any) -> list[Path]:
    folder = Path(settings.VAR_DIR) / "tmp" / "imports"
    return sorted(folder.glob("*.xlsx")) if folder.exists() else []


def test_the_pages_need_sign_in_and_the_add_permission(stranger, importer, client) -> None:
    url = reverse("imports:import_start", args=["staff"])
    response = client.get(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.post(reverse("imports:import_apply", args=["staff"])).status_code == 302
    worker = signed_in(stranger)
    assert worker.get(url).status_code == 403
    assert worker.get(reverse("imports:import_template", args=["staff"])).status_code == 403
    assert worker.post(reverse("imports:import_apply", args=["staff"])).status_code == 403
    assert worker.get(reverse("imports:import_index")).status_code == 403
    head = signed_in(importer)
    assert head.get(reverse("imports:import_start", args=["cars"])).status_code == 404
    page = head.get(url).content.decode()
    assert "导入职工" in page and "工号" in page and "下载模板" in page
    assert 'style="' not in page and "<script>" not in page and " onclick=" not in page
    index = head.get(reverse("imports:import_index")).content.decode()
    assert "导入职工" in index and "导入科室" in index


def test_the_template_download_is_a_workbook_with_drop_downs(importer) -> None:
    response = signed_in(importer).get(reverse("imports:import_template", args=["staff"]))
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(BytesIO(response.content)).worksheets[0]
    assert sheet.data_validations.dataValidation


def test_a_non_workbook_upload_is_refused_in_chinese(importer, settings) -> None:
    fake = SimpleUploadedFile("staff.xlsx", b"%PDF-1.4 not a workbook", content_type=XLSX)
    response = signed_in(importer).post(
        reverse("imports:import_start", args=["staff"]), {"file": fake}
    )
    page = response.content.decode()
    assert response.status_code == 200 and "这不是 Excel 工作簿（.xlsx）文件" in page
    assert uploads_left(settings) == []


def test_a_bad_file_shows_every_error_and_offers_no_confirmation(
    importer, department, tmp_path: Path, settings
) -> None:
    path = staff_file(tmp_path, [["A001", "张三", "公务员", "物业科", "13800138000"]])
    response = signed_in(importer).post(
        reverse("imports:import_start", args=["staff"]), {"file": upload(path)}
    )
    page = response.content.decode()
    assert "表格有问题，没有导入" in page
    assert "第 2 行" in page and "科室“物业科”不存在，请先在“科室”中添加或修改表格。" in page
    assert 'name="token"' not in page
    assert not Staff.objects.exists() and uploads_left(settings) == []


def test_dry_run_then_confirm_applies_the_stored_upload(
    importer, department, tmp_path: Path, settings
) -> None:
    Vendor.objects.create(organization=department.organization, code="V1", name="保洁公司")
    rows = [GOOD_STAFF[0], ["A002", "李四", "编外临聘", "物业管理科", ""]]
    client = signed_in(importer)
    response = client.post(
        reverse("imports:import_start", args=["staff"]),
        {"file": upload(staff_file(tmp_path, rows))},
        headers={"HX-Request": "true"},
    )
    page = response.content.decode()
    assert "<html" not in page  # the htmx fragment
    assert "检查通过，共 2 行：将新建 2 行，更新 0 行，未变 0 行" in page and "确认导入" in page
    assert not Staff.objects.exists()
    stored = client.session[SESSION_KEY]["staff"]
    assert uploads_left(settings) == [
        Path(settings.VAR_DIR) / "tmp" / "imports" / f"{stored['token']}.xlsx"
    ]

    response = client.post(
        reverse("imports:import_apply", args=["staff"]), {"token": stored["token"]}
    )
    page = response.content.decode()
    assert "导入完成" in page and "已导入职工：新建 2 行，更新 0 行，未变 0 行" in page
    assert sorted(Staff.objects.values_list("number", flat=True)) == ["A001", "A002"]
    entry = ChangeLogEntry.objects.get(
        action="create", object_id=str(Staff.objects.get(number="A001").pk)
    )
    assert entry.actor == importer and entry.ip == "127.0.0.1"
    assert uploads_left(settings) == [] and "staff" not in client.session[SESSION_KEY]

    again = client.post(reverse("imports:import_apply", args=["staff"]), {"token": stored["token"]})
    assert "上传的文件已过期或已经导入过，请重新上传。" in again.content.decode()
    assert Staff.objects.count() == 2

    response = client.post(
        reverse("imports:import_start", args=["staff"]),
        {"file": upload(staff_file(tmp_path, rows))},
    )
    page = response.content.decode()
    assert "表格中的 2 行与系统中的数据完全一致，无需导入" in page and 'name="token"' not in page
    assert uploads_left(settings) == []


def test_a_stale_upload_is_refused(importer, department, tmp_path: Path, settings) -> None:
    client = signed_in(importer)
    client.post(
        reverse("imports:import_start", args=["staff"]),
        {"file": upload(staff_file(tmp_path, GOOD_STAFF[:1]))},
    )
    session = client.session
    uploads = session[SESSION_KEY]
    uploads["staff"]["at"] -= 3601
    session[SESSION_KEY] = uploads
    session.save()
    response = client.post(
        reverse("imports:import_apply", args=["staff"]), {"token": uploads["staff"]["token"]}
    )
    assert "上传的文件已过期" in response.content.decode()
    assert not Staff.objects.exists() and uploads_left(settings) == []
