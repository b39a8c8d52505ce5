"""Excel import kinds of places and equipment. Places are created through the places
services (a tree: parents before children, in the order of depth); a place's parent may
come later in the same file."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from houqin.common.imports import (
    CHOICE,
    DATE,
    DECIMAL,
    LOOKUP,
    UNCHANGED,
    UPDATE,
    Column,
    ImportContext,
    ImportRow,
    ImportSpec,
    Lookup,
    apply_rows,
    error_message,
    import_spec_register,
)
from houqin.org.imports import DEPARTMENTS
from houqin.places.models import Equipment, Place, kind_allowed
from houqin.places.services import equipment_update, place_create, place_move, place_update

PLACES = Lookup(
    "场所",
    lambda organization: Place.objects.filter(organization=organization),
    lambda place: (place.code,),
)


def _choices(choices: Any) -> tuple[tuple[str, str], ...]:
    return tuple((str(value), str(label)) for value, label in choices)


def _label(kind: str) -> str:
    return str(Place.Kind(kind).label)


def _parent_path(place: Place) -> str:
    return place.path[: -Place.steplen]


def _place_resolve(ctx: ImportContext) -> None:
    """上级编码须是本表中的另一行或系统中已有的场所；类型须低于上级；不能形成循环，
    不能移到自己的下级之下。"""
    column = ctx.spec.column("上级编码")
    assert column is not None
    in_file = {row.values["code"]: row for row in ctx.rows if row.values.get("code")}
    wanted = {row.values.get("parent") for row in ctx.rows} - {None} - set(ctx.existing)
    existing_parents = {
        place.path[: -Place.steplen] for place in ctx.existing.values() if place.depth > 1
    }
    in_db = {
        place.code: place
        for place in Place.objects.filter(organization=ctx.organization, code__in=wanted)
    }
    by_path = {
        place.path: place.code
        for place in Place.objects.filter(organization=ctx.organization, path__in=existing_parents)
    }
    present = ctx.present("parent")
    for row in ctx.rows:
        existing: Place | None = row.existing
        current = by_path.get(_parent_path(existing)) if existing is not None else None
        row.values["parent_current"] = current
        if not present:
            row.values["parent"] = current  # no column: every place stays where it is
            continue
        parent_code = row.values.get("parent")
        if parent_code is None or not row.ok("parent"):
            continue
        if parent_code == row.values.get("code"):
            ctx.error(row, column, f"上级编码“{parent_code}”是这一行自己，请改正。")
            continue
        parent_row = in_file.get(parent_code)
        parent = ctx.existing.get(parent_code) or in_db.get(parent_code)
        if parent_row is None and parent is None:
            ctx.error(
                row,
                column,
                f"上级编码“{parent_code}”不存在，请先在“场所”中添加，或在本表中增加这个场所。",
            )
            continue
        if parent_row is not None:
            parent_kind = parent_row.values.get("kind")
        else:
            assert parent is not None
            parent_kind = parent.kind
        kind = row.values.get("kind") or (existing.kind if existing is not None else None)
        if parent_kind and kind and not kind_allowed(parent_kind=parent_kind, child_kind=kind):
            ctx.error(
                row,
                ctx.spec.column("类型") or column,
                f"“{_label(parent_kind)}”之下不能放“{_label(kind)}”：下级的类型须低于上级"
                "（园区 > 楼宇 > 楼层 > 房间 > 点位）。",
            )
        if existing is not None and parent is not None and parent.path.startswith(existing.path):
            ctx.error(row, column, f"不能把“{existing}”移到它自己的下级“{parent}”之下。")
    _check_cycles(ctx, in_file, column)


def _check_cycles(ctx: ImportContext, in_file: dict[str, ImportRow], column: Column) -> None:
    for row in ctx.rows:
        seen = {row.values.get("code")}
        code = row.values.get("parent")
        while code is not None and code in in_file:
            if code in seen:
                ctx.error(row, column, "上级编码绕成了一个圈，请检查这几行的上级编码。")
                break
            seen.add(code)
            code = in_file[code].values.get("parent")


def _depth(row: ImportRow, in_file: dict[str, ImportRow]) -> int:
    depth, code, hops = 0, row.values.get("parent"), 0
    while code is not None and code in in_file and hops < len(in_file):
        depth, hops = depth + 1, hops + 1
        code = in_file[code].values.get("parent")
    return depth


def _place_apply(ctx: ImportContext) -> None:
    """Parents before children: rows in the order of their depth in the file; each write
    reads its place and parent fresh (inserting a node can shift its siblings' paths)."""
    in_file = {row.values["code"]: row for row in ctx.rows}
    order = sorted(ctx.rows, key=lambda row: (_depth(row, in_file), row.values["code"]))
    pks: dict[str, int] = {code: place.pk for code, place in ctx.existing.items()}
    codes = {r.values.get("parent") for r in ctx.rows} - {None} - set(pks)
    pks.update(
        Place.objects.filter(organization=ctx.organization, code__in=codes).values_list(
            "code", "pk"
        )
    )
    for row in order:
        parent_code = row.values.get("parent")
        moving = row.existing is not None and parent_code != row.values.get("parent_current")
        if not row.data and not moving and row.existing is not None:
            continue
        parent = Place.objects.get(pk=pks[parent_code]) if parent_code else None
        try:
            if row.existing is None:
                place = place_create(
                    organization=ctx.organization, parent=parent, data=row.data, actor=ctx.actor
                )
                pks[place.code] = place.pk
                continue
            place = Place.objects.select_related("department").get(pk=row.existing.pk)
            if moving:
                place_move(place=place, new_parent=parent, actor=ctx.actor)
                place.refresh_from_db()
            if row.data:
                place_update(place=place, data=row.data, actor=ctx.actor)
        except ValidationError as error:
            ctx.error(row.number, "", error_message(error))


def _place_plan_moves(ctx: ImportContext) -> None:
    """A place that only changes its parent is an update too."""
    for row in ctx.rows:
        moved = row.values.get("parent") != row.values.get("parent_current")
        if row.action == UNCHANGED and moved:
            row.action = UPDATE


PLACE_SPEC = import_spec_register(
    ImportSpec(
        kind="places",
        title="场所",
        model=Place,
        key="code",
        description="园区、楼宇、楼层、房间和点位，一棵树；上级可以在同一个表格中。",
        resolve=_place_resolve,
        apply=_place_apply,
        after_plan=_place_plan_moves,
        columns=(
            Column(
                "编码",
                "code",
                required=True,
                compact=True,
                example="示例-A1",
                help="每个场所唯一，用于匹配已有场所",
                header_aliases=("编号",),
            ),
            Column("名称", "name", required=True, example="示例1号楼"),
            Column(
                "类型",
                "kind",
                required=True,
                kind=CHOICE,
                choices=_choices(Place.Kind.choices),
                example="楼宇",
            ),
            Column(
                "上级编码",
                "parent",
                compact=True,
                write=False,
                example="",
                help="园区留空；上级可以是本表中的另一行（顺序不限）或系统中已有的场所",
                header_aliases=("上级编号",),
            ),
            Column(
                "面积",
                "area_m2",
                kind=DECIMAL,
                example="",
                help="平方米",
                header_aliases=("面积（平方米）", "面积(m²)"),
            ),
            Column(
                "负责科室",
                "department",
                kind=LOOKUP,
                lookup=DEPARTMENTS,
                example="",
                help="填写科室名称或代码",
                header_aliases=("责任科室",),
            ),
        ),
    )
)


def _equipment_resolve(ctx: ImportContext) -> None:
    """状态只能走流程：新设备只能是“在用”；已有设备的状态与系统不同则报错（留空不改）。"""
    column = ctx.spec.column("状态")
    if column is None or not ctx.present("status"):
        return
    for row in ctx.rows:
        status = row.values.get("status")
        if status is None:
            continue
        existing: Equipment | None = row.existing
        if existing is None and status != Equipment.Status.IN_SERVICE:
            ctx.error(
                row,
                column,
                "新设备只能导入为“在用”；导入后可在设备页面“送修”或“停用”。",
            )
        elif existing is not None and status != existing.status:
            ctx.error(
                row,
                column,
                f"设备“{existing}”现在是“{existing.get_status_display()}”，状态只能在设备页面"
                f"通过“送修”“恢复在用”“停用”修改；请把“状态”改回“{existing.get_status_display()}”"
                "或留空。",
            )


def _equipment_update(*, obj: Equipment, actor: Any, data: dict[str, Any]) -> Equipment:
    return equipment_update(equipment=obj, data=data, actor=actor)


def _equipment_apply(ctx: ImportContext) -> None:
    """New equipment in bulk (change-logged as record_create would; the place and the code
    are already checked), changes through the places service (never the status)."""
    apply_rows(ctx, update=_equipment_update)


EQUIPMENT_SPEC = import_spec_register(
    ImportSpec(
        kind="equipment",
        title="设备",
        model=Equipment,
        key="code",
        description="电梯、空调、灭火器、水泵等设备及其所在场所和检验证书。",
        resolve=_equipment_resolve,
        apply=_equipment_apply,
        columns=(
            Column(
                "编码",
                "code",
                required=True,
                compact=True,
                example="示例-DT01",
                help="每台设备唯一，用于匹配已有设备",
                header_aliases=("编号", "设备编码"),
            ),
            Column("名称", "name", required=True, example="示例1号客梯"),
            Column(
                "设备类型",
                "type",
                required=True,
                kind=CHOICE,
                choices=_choices(Equipment.Type.choices),
                example="电梯",
            ),
            Column("型号", "model", example=""),
            Column("序列号", "serial", example="", header_aliases=("出厂编号",)),
            Column(
                "所在场所编码",
                "place",
                required=True,
                kind=LOOKUP,
                lookup=PLACES,
                example="示例-A1",
                help="须是系统中已有场所的编码（先导入场所）",
                header_aliases=("场所编码",),
            ),
            Column("安装日期", "installed_on", kind=DATE, example=""),
            Column("检验证书编号", "certificate_no", example=""),
            Column(
                "证书有效期",
                "certificate_expires",
                kind=DATE,
                example="",
                header_aliases=("证书有效期至",),
            ),
            Column(
                "状态",
                "status",
                kind=CHOICE,
                choices=_choices(Equipment.Status.choices),
                write=False,
                example="在用",
                help="新设备为“在用”，不填即可；状态变更请在设备页面操作",
            ),
        ),
    )
)
