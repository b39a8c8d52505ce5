"""Excel import kinds of the organization: departments, staff, served units and vendors."""

from __future__ import annotations

from typing import Any

from houqin.common.imports import (
    CHOICE,
    LOOKUP,
    PHONE,
    TEL,
    Column,
    ImportContext,
    ImportSpec,
    Lookup,
    import_spec_register,
    match_key,
)
from houqin.org.models import Department, Post, ServedUnit, Staff, Team, Vendor

DEPARTMENTS = Lookup(
    "科室",
    lambda organization: Department.objects.filter(organization=organization),
    lambda department: (department.code, department.name),
)
POSTS = Lookup(
    "岗位",
    lambda organization: Post.objects.filter(organization=organization),
    lambda post: (post.code, post.name),
)
VENDORS = Lookup(
    "外包服务商",
    lambda organization: Vendor.objects.filter(organization=organization),
    lambda vendor: (vendor.code, vendor.name),
)

DEPARTMENT_SPEC = import_spec_register(
    ImportSpec(
        kind="departments",
        title="科室",
        model=Department,
        key="code",
        description="中心的科室（部门）。",
        columns=(
            Column(
                "科室代码",
                "code",
                required=True,
                compact=True,
                example="SL",
                help="科室的简短代码，如 WY；用于匹配已有科室",
            ),
            Column("科室名称", "name", required=True, compact=True, example="示例科"),
        ),
    )
)


def _staff_resolve(ctx: ImportContext) -> None:
    """班组按名称在所填科室中查找；外包人员须填写外包服务商。"""
    team_column = ctx.spec.column("班组")
    if team_column is not None and ctx.present("team"):
        teams = {
            (team.department_id, match_key(team.name)): team
            for team in Team.objects.filter(organization=ctx.organization)
        }
        for row in ctx.rows:
            name = row.values.get("team")
            if name is None:
                continue
            row.values["team"] = None
            department = row.values.get("department")
            if department is None:
                if row.ok("department"):
                    ctx.error(row, team_column, "填写“班组”时须同时填写“科室”。")
                continue
            team = teams.get((department.pk, match_key(name)))
            if team is None:
                ctx.error(
                    row,
                    team_column,
                    f"班组“{name}”不在科室“{department.name}”中，请先在“班组”中添加或修改表格。",
                )
            else:
                row.values["team"] = team
    vendor_column = ctx.spec.column("外包服务商")
    assert vendor_column is not None
    for row in ctx.rows:
        outsourced = row.values.get("employment") == Staff.Employment.OUTSOURCED
        if outsourced and row.ok("vendor") and row.values.get("vendor") is None:
            if not ctx.present("vendor") and row.existing is not None and row.existing.vendor_id:
                continue
            ctx.error(row, vendor_column, "编制类型为“外包”的人员须填写“外包服务商”。")


def _choices(choices: Any) -> tuple[tuple[str, str], ...]:
    return tuple((str(value), str(label)) for value, label in choices)


STAFF_SPEC = import_spec_register(
    ImportSpec(
        kind="staff",
        title="职工",
        model=Staff,
        key="number",
        description="中心的职工，包括外包人员；不创建登录账号。",
        resolve=_staff_resolve,
        columns=(
            Column(
                "工号",
                "number",
                required=True,
                compact=True,
                example="示例0001",
                help="每人唯一，用于匹配已有职工",
            ),
            Column("姓名", "name", required=True, compact=True, example="张三"),
            Column(
                "编制类型",
                "employment",
                required=True,
                kind=CHOICE,
                choices=_choices(Staff.Employment.choices),
                choice_aliases=(
                    ("编外/临聘", "contract"),
                    ("编外", "contract"),
                    ("临聘", "contract"),
                    ("事业", "institution"),
                    ("外包人员", "outsourced"),
                ),
                example="编外临聘",
            ),
            Column(
                "科室",
                "department",
                kind=LOOKUP,
                lookup=DEPARTMENTS,
                example="物业管理科",
                help="填写科室名称或代码，须已在“科室”中",
            ),
            Column(
                "班组",
                "team",
                example="",
                help="填写班组名称，须是所填科室中已有的班组",
            ),
            Column(
                "岗位",
                "post",
                kind=LOOKUP,
                lookup=POSTS,
                example="",
                help="填写岗位名称或代码，须已在“岗位”中",
            ),
            Column(
                "外包服务商",
                "vendor",
                kind=LOOKUP,
                lookup=VENDORS,
                example="",
                help="编制类型为“外包”时必填；填写公司名称或服务商代码",
            ),
            Column(
                "手机号",
                "phone",
                kind=PHONE,
                example="13800138000",
                header_aliases=("手机", "手机号码"),
            ),
            Column(
                "状态",
                "status",
                kind=CHOICE,
                choices=_choices(Staff.Status.choices),
                choice_aliases=(("在职", "active"), ("离岗", "left")),
                example="在岗",
                help="不填为“在岗”",
            ),
        ),
    )
)

SERVED_UNIT_SPEC = import_spec_register(
    ImportSpec(
        kind="served_units",
        title="服务单位",
        model=ServedUnit,
        key="code",
        description="服务的机关单位，按“四大家”归类。",
        columns=(
            Column(
                "单位代码",
                "code",
                required=True,
                compact=True,
                example="SL-001",
                help="每个单位唯一，用于匹配已有单位",
            ),
            Column("单位名称", "name", required=True, example="示例市委办公室"),
            Column(
                "所属",
                "body",
                required=True,
                kind=CHOICE,
                choices=_choices(ServedUnit.Body.choices),
                example="市委",
            ),
            Column("联系人", "contact", compact=True, example="李四"),
            Column("联系电话", "phone", kind=TEL, example="0571-87654321"),
        ),
    )
)

VENDOR_SPEC = import_spec_register(
    ImportSpec(
        kind="vendors",
        title="外包服务商",
        model=Vendor,
        key="code",
        description="通过政府购买服务签约的外包公司。",
        columns=(
            Column(
                "服务商代码",
                "code",
                required=True,
                compact=True,
                example="SL-V01",
                help="每家公司唯一，用于匹配已有服务商",
            ),
            Column("公司名称", "name", required=True, example="示例物业服务有限公司"),
            Column("联系人", "contact", compact=True, example="王五"),
            Column("联系电话", "phone", kind=TEL, example="13900139000"),
            Column("服务范围", "scope", example="保洁、绿化"),
        ),
    )
)
