"""The demo center's places and equipment: two office buildings and a staff dormitory with
floors, rooms and points, 8 elevators, 200 air conditioners, 300 extinguishers, hydrants,
pumps and a generator. A second run changes nothing."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from houqin.org.models import Department, Organization
from houqin.places.models import Equipment, Place, new_qr_token

CAMPUS = ("JC", "市行政中心园区")
BUILDINGS = (
    # code, name, floors, offices per floor, responsible department code
    ("A", "1 号办公楼", 10, 14, "WY"),
    ("B", "2 号办公楼", 8, 12, "WY"),
    ("D", "职工宿舍楼", 6, 16, "WY"),
)
SPECIAL_ROOMS = {
    # (building code, floor) → rooms other than offices: (suffix, name, department code)
    ("A", 1): [("K01", "中心厨房", "CY"), ("K02", "职工餐厅", "CY"), ("M01", "消防控制室", "AB")],
    ("A", 2): [("H01", "第一会议室", "HY"), ("H02", "第二会议室", "HY")],
    ("A", 10): [("H10", "常委会议室", "HY"), ("E01", "电梯机房", "WY")],
    ("B", 1): [("M02", "配电室", "WY"), ("M03", "水泵房", "WY"), ("M04", "发电机房", "WY")],
    ("B", 3): [("H03", "多功能厅", "HY")],
    ("B", 8): [("E02", "电梯机房", "WY")],
}


def _place(
    org: Organization,
    kind: str,
    code: str,
    name: str,
    dept: Department | None,
    area: int | None = None,
) -> dict[str, Any]:
    return {
        "organization_id": org.pk,
        "kind": kind,
        "code": code,
        "name": name,
        "department_id": dept.pk if dept else None,
        "area_m2": area,
        "qr_token": new_qr_token(),
    }


def _tree(
    org: Organization, departments: dict[str, Department], rng: random.Random
) -> dict[str, Any]:
    buildings: list[dict[str, Any]] = []
    for b_code, b_name, floors, offices, dept_code in BUILDINGS:
        floor_nodes: list[dict[str, Any]] = []
        for floor in range(1, floors + 1):
            f_code = f"{b_code}{floor:02d}"
            rooms: list[dict[str, Any]] = []
            for suffix, name, room_dept in SPECIAL_ROOMS.get((b_code, floor), []):
                rooms.append(
                    {
                        "data": _place(
                            org,
                            "room",
                            f"{f_code}-{suffix}",
                            name,
                            departments[room_dept],
                            rng.randrange(40, 400),
                        )
                    }
                )
            kind_name = "宿舍" if b_code == "D" else "办公室"
            for number in range(1, offices + 1):
                code = f"{f_code}{number:02d}"
                rooms.append(
                    {
                        "data": _place(
                            org,
                            "room",
                            code,
                            f"{floor}{number:02d} {kind_name}",
                            None,
                            rng.randrange(15, 60),
                        )
                    }
                )
            for side, label in (("W1", "男卫生间"), ("W2", "女卫生间")):
                point = _place(
                    org, "point", f"{f_code}-{side}-P", f"{floor} 层{label}门口", departments["WY"]
                )
                rooms.append(
                    {
                        "data": _place(
                            org,
                            "room",
                            f"{f_code}-{side}",
                            f"{floor} 层{label}",
                            departments["WY"],
                            20,
                        ),
                        "children": [{"data": point}],
                    }
                )
            floor_nodes.append(
                {
                    "data": _place(
                        org, "floor", f_code, f"{b_name} {floor} 层", departments[dept_code]
                    ),
                    "children": rooms,
                }
            )
        buildings.append(
            {
                "data": _place(org, "building", b_code, b_name, departments[dept_code]),
                "children": floor_nodes,
            }
        )
    return {
        "data": _place(org, "campus", CAMPUS[0], CAMPUS[1], departments["WY"]),
        "children": buildings,
    }


def seed_places(center: Organization) -> dict[str, int]:
    """Create the campus tree once (natural key: the campus code) and missing equipment."""
    rng = random.Random(1126)  # demo data, not security
    created = {"places": 0, "equipment": 0}
    if not Place.objects.filter(organization=center, code=CAMPUS[0]).exists():
        departments = {d.code: d for d in Department.objects.filter(organization=center)}
        Place.objects.load_bulk([_tree(center, departments, rng)])
        created["places"] = Place.objects.filter(organization=center).count()
    created["equipment"] = _seed_equipment(center, rng)
    return created


def _seed_equipment(center: Organization, rng: random.Random) -> int:
    places = {p.code: p for p in Place.objects.filter(organization=center)}
    rooms = [p for p in places.values() if p.kind == "room"]
    floors = [p for p in places.values() if p.kind == "floor"]
    existing = set(Equipment.objects.filter(organization=center).values_list("code", flat=True))
    today = date(2026, 11, 26)
    plan: list[tuple[str, str, str, str, Place]] = []
    for n in range(8):
        building = "A" if n < 5 else "B"
        plan.append(
            (
                f"DT{n + 1:02d}",
                "elevator",
                f"{building} 座 {n % 5 + 1} 号电梯",
                "GeN2-MR",
                places[building],
            )
        )
    plan += [
        (
            f"KT{n + 1:03d}",
            "air_conditioner",
            f"空调 {n + 1:03d}",
            "KFR-35GW",
            rooms[n % len(rooms)],
        )
        for n in range(200)
    ]
    plan += [
        (
            f"MH{n + 1:03d}",
            "fire_extinguisher",
            f"干粉灭火器 {n + 1:03d}",
            "MFZ/ABC4",
            floors[n % len(floors)],
        )
        for n in range(300)
    ]
    plan += [
        (f"XH{n + 1:02d}", "hydrant", f"室内消火栓 {n + 1:02d}", "SN65", floor)
        for n, floor in enumerate(floors)
    ]
    plan += [
        (f"SB{n + 1:02d}", "pump", name, "ISG65-160", places["B01-M03"])
        for n, name in enumerate(("生活水泵 1", "生活水泵 2", "消防水泵 1", "消防水泵 2"))
    ]
    plan.append(("FD01", "generator", "柴油发电机组", "500GF", places["B01-M04"]))
    new = []
    for code, kind, name, model, place in plan:
        if code in existing:
            continue
        certified = kind in ("elevator", "fire_extinguisher")
        expires = today + timedelta(days=rng.randrange(-20, 400)) if certified else None
        new.append(
            Equipment(
                organization=center,
                code=code,
                type=kind,
                name=name,
                model=model,
                serial=f"SN{rng.randrange(10**8):08d}",
                place=place,
                installed_on=date(2015 + rng.randrange(10), rng.randrange(1, 13), 1),
                certificate_no=f"JY{rng.randrange(10**6):06d}" if certified else "",
                certificate_expires=expires,
                qr_token=new_qr_token(),
            )
        )
    Equipment.objects.bulk_create(new)
    return len(new)
