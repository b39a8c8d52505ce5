"""Every write about places and equipment: each checks its rule, writes, and records the
change log in the same transaction."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from houqin.common.changelog import changelog_record, diff, snapshot
from houqin.common.models import ChangeLogEntry
from houqin.common.services import record_create, record_delete, record_update
from houqin.common.workflow import transition_apply
from houqin.org.models import Organization
from houqin.places.models import Equipment, Place, kind_allowed, new_qr_token

TREE_FIELDS = list(Place._TREE_FIELDS)
PLACE_FIELDS = frozenset({"kind", "code", "name", "area_m2", "department", "active"})
EQUIPMENT_FIELDS = frozenset(
    {
        "code",
        "type",
        "name",
        "model",
        "serial",
        "place",
        "installed_on",
        "certificate_no",
        "certificate_expires",
    }
)
TOP = "（顶层）"


def _readable(changes: dict[str, list[Any]]) -> dict[str, list[Any]]:
    """Yes/no instead of True/False in the change log (common.changelog keeps booleans)."""
    words = {True: "是", False: "否"}
    return {
        name: [words[v] if isinstance(v, bool) else v for v in pair]
        for name, pair in changes.items()
    }


def _kind_label(kind: str) -> str:
    return str(Place.Kind(kind).label)


def _check_fields(data: dict[str, Any], allowed: frozenset[str]) -> None:
    unknown = set(data) - allowed
    if unknown:
        raise ValidationError(f"不能修改这些字段：{'、'.join(sorted(unknown))}。")


def _check_kind(*, parent: Place | None, kind: str) -> None:
    if not kind_allowed(parent_kind=parent.kind if parent else None, child_kind=kind):
        assert parent is not None
        raise ValidationError(
            {
                "kind": f"“{_kind_label(parent.kind)}”之下不能放“{_kind_label(kind)}”："
                "下级的类型须低于上级（园区 > 楼宇 > 楼层 > 房间 > 点位）。"
            }
        )


def _check_department(organization_id: int, department: Any) -> None:
    if department is not None and department.organization_id != organization_id:
        raise ValidationError({"department": "科室不属于本单位。"})


def _check_code_free(
    model: type[Place | Equipment], organization_id: int, code: Any, pk: Any
) -> None:
    taken = model.objects.filter(organization_id=organization_id, code=code).exclude(pk=pk)
    if code and taken.exists():
        raise ValidationError({"code": f"编号“{code}”已被使用，请换一个。"})


@transaction.atomic
def place_create(
    *, organization: Organization, parent: Place | None, data: dict[str, Any], actor: Any
) -> Place:
    """新建场所：类型须低于上级；编号在本单位内唯一；生成二维码令牌；按编号排入上级之下；
    记变更日志。"""
    _check_fields(data, PLACE_FIELDS)
    if parent is not None and parent.organization_id != organization.pk:
        raise ValidationError("上级场所不属于本单位。")
    place = Place(organization=organization, **data)
    place.full_clean(exclude=TREE_FIELDS, validate_constraints=False)
    _check_kind(parent=parent, kind=place.kind)
    _check_department(organization.pk, place.department)
    _check_code_free(Place, organization.pk, place.code, None)
    if parent is None:
        place = Place.objects.add_root(instance=place)
    else:
        place = Place.objects.add_child(parent, instance=place)
    changes: dict[str, list[Any]] = {
        k: [None, v] for k, v in snapshot(place).items() if v not in (None, "")
    }
    changes["上级场所"] = [None, str(parent) if parent else TOP]
    changelog_record(
        obj=place, action=ChangeLogEntry.Action.CREATE, actor=actor, changes=_readable(changes)
    )
    return place


@transaction.atomic
def place_update(*, place: Place, data: dict[str, Any], actor: Any) -> Place:
    """修改场所：类型须低于上级、高于全部下级；编号在本单位内唯一（改编号后按新编号重新排序）；
    记变更日志（改前 → 改后）。"""
    _check_fields(data, PLACE_FIELDS)
    before = snapshot(place)
    old_code = place.code
    for name, value in data.items():
        setattr(place, name, value)
    place.full_clean(exclude=TREE_FIELDS, validate_constraints=False)
    parent = Place.objects.get_parent(place)
    _check_kind(parent=parent, kind=place.kind)
    child_kinds = set(Place.objects.get_children(place).values_list("kind", flat=True))
    for child_kind in child_kinds:
        if not kind_allowed(parent_kind=place.kind, child_kind=child_kind):
            raise ValidationError(
                {
                    "kind": f"下级场所中有“{_kind_label(child_kind)}”，"
                    f"本场所不能改为“{_kind_label(place.kind)}”。"
                }
            )
    _check_department(place.organization_id, place.department)
    _check_code_free(Place, place.organization_id, place.code, place.pk)
    place.save()
    if place.code != old_code:
        # node_order_by keeps siblings sorted by code only on insert and move.
        if parent is None:
            Place.objects.move(place, Place.objects.get_root(place), "sorted-sibling")
        else:
            Place.objects.move(place, parent, "sorted-child")
    changes = diff(before, snapshot(place))
    if changes:
        changelog_record(
            obj=place, action=ChangeLogEntry.Action.UPDATE, actor=actor, changes=_readable(changes)
        )
    return place


@transaction.atomic
def place_move(*, place: Place, new_parent: Place | None, actor: Any) -> Place:
    """移动场所（连同全部下级和其中的设备）到新的上级之下（None：顶层）：一次树操作；
    不能移到自己或自己的下级之下；类型须低于新上级；记变更日志。"""
    place.refresh_from_db()
    if new_parent is not None:
        new_parent.refresh_from_db()
        if new_parent.organization_id != place.organization_id:
            raise ValidationError({"new_parent": "上级场所不属于本单位。"})
        if new_parent.path.startswith(place.path):
            raise ValidationError({"new_parent": "不能移到它自己或它的下级场所之下。"})
        try:
            _check_kind(parent=new_parent, kind=place.kind)
        except ValidationError as error:
            raise ValidationError({"new_parent": error.message_dict["kind"]}) from error
    old_parent = Place.objects.get_parent(place)
    if (old_parent.pk if old_parent else None) == (new_parent.pk if new_parent else None):
        raise ValidationError({"new_parent": f"“{place}”已经在“{new_parent or TOP}”之下。"})
    below = Place.objects.filter(path__startswith=place.path).count() - 1
    if new_parent is None:
        Place.objects.move(place, Place.objects.get_root(place), "sorted-sibling")
    else:
        Place.objects.move(place, new_parent, "sorted-child")
    place.refresh_from_db()
    changelog_record(
        obj=place,
        action=ChangeLogEntry.Action.UPDATE,
        actor=actor,
        changes={"上级场所": [str(old_parent) if old_parent else TOP, str(new_parent or TOP)]},
        note=f"移动场所（连同 {below} 个下级场所）" if below else "移动场所",
    )
    return place


@transaction.atomic
def place_delete(*, place: Place, actor: Any) -> None:
    """删除场所：还有下级场所或设备时不能删除；记变更日志（删除前的值）。"""
    place.refresh_from_db()
    if place.numchild:
        raise ValidationError(
            f"“{place}”下还有 {place.numchild} 个下级场所，请先移走或删除它们；也可以改为停用。"
        )
    equipment = Equipment.objects.filter(place=place).count()
    if equipment:
        raise ValidationError(
            f"“{place}”还有 {equipment} 台设备，请先把设备移到别处或删除；也可以改为停用。"
        )
    changes = {k: [v, None] for k, v in snapshot(place).items() if v not in (None, "")}
    changelog_record(
        obj=place, action=ChangeLogEntry.Action.DELETE, actor=actor, changes=_readable(changes)
    )
    place.delete()


@transaction.atomic
def qr_token_regenerate(*, obj: Place | Equipment, actor: Any) -> Place | Equipment:
    """重新生成二维码：换一个新令牌（比较并设置），旧标签立即失效；记变更日志。"""
    model = type(obj)
    old = obj.qr_token
    token = new_qr_token()
    changed = model.objects.filter(pk=obj.pk, qr_token=old).update(
        qr_token=token, updated_at=timezone.now()
    )
    if not changed:
        raise ValidationError("二维码已被他人重新生成，请刷新页面后重试。")
    obj.qr_token = token
    changelog_record(
        obj=obj,
        action=ChangeLogEntry.Action.UPDATE,
        actor=actor,
        changes={"二维码": ["旧标签（已作废）", "新标签"]},
        note="重新生成二维码，旧标签不再有效",
    )
    return obj


def _check_place(organization_id: int, place: Any) -> None:
    if place is not None and place.organization_id != organization_id:
        raise ValidationError({"place": "场所不属于本单位。"})


def equipment_create(*, organization: Organization, data: dict[str, Any], actor: Any) -> Equipment:
    """新建设备：场所须属于本单位，编号在本单位内唯一；状态为“在用”；记变更日志。"""
    _check_fields(data, EQUIPMENT_FIELDS)
    _check_place(organization.pk, data.get("place"))
    _check_code_free(Equipment, organization.pk, data.get("code"), None)
    return record_create(model=Equipment, actor=actor, organization=organization, data=data)


def equipment_update(*, equipment: Equipment, data: dict[str, Any], actor: Any) -> Equipment:
    """修改设备（状态除外，状态只走流程）：场所须属于本单位，编号唯一；记变更日志。"""
    _check_fields(data, EQUIPMENT_FIELDS)
    _check_place(equipment.organization_id, data.get("place"))
    _check_code_free(Equipment, equipment.organization_id, data.get("code"), equipment.pk)
    return record_update(obj=equipment, actor=actor, data=data)


def equipment_delete(*, equipment: Equipment, actor: Any) -> None:
    """删除设备，记变更日志（删除前的值）。"""
    record_delete(obj=equipment, actor=actor)


def equipment_status_change(
    *, equipment: Equipment, name: str, actor: Any, note: str = ""
) -> Equipment:
    """设备状态变更（送修 / 恢复在用 / 停用）：检查权限和当前状态，比较并设置，记变更日志。"""
    return transition_apply(obj=equipment, name=name, actor=actor, note=note)
