"""Fixtures of the places tests: roles do not hold the places permissions yet (the integrator
grants them), so the leader's role is extended for each test; a small tree of places."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from houqin.accounts.models import User
from houqin.accounts.roles import ROLE_BY_CODE
from houqin.places import services
from houqin.places.models import Equipment, Place
from tests.conftest import person

PLACES_PERMISSIONS = (
    "places.view_place",
    "places.add_place",
    "places.change_place",
    "places.delete_place",
    "places.view_equipment",
    "places.add_equipment",
    "places.change_equipment",
    "places.delete_equipment",
)


@pytest.fixture
def places_role(monkeypatch: pytest.MonkeyPatch) -> None:
    """The leader's role holds every places permission for this test."""
    _role_with(monkeypatch, "leader", PLACES_PERMISSIONS)


def _role_with(monkeypatch: pytest.MonkeyPatch, code: str, places: tuple[str, ...]) -> None:
    role = ROLE_BY_CODE[code]
    others = tuple(p for p in role.permissions if not p.startswith("places."))
    monkeypatch.setitem(ROLE_BY_CODE, code, dataclasses.replace(role, permissions=others + places))


@pytest.fixture
def stranger(worker: User, monkeypatch: pytest.MonkeyPatch) -> User:
    """dora, a worker whose role holds no places permission."""
    _role_with(monkeypatch, "worker", ())
    return worker


@pytest.fixture
def viewer(worker: User, monkeypatch: pytest.MonkeyPatch) -> User:
    """dora, a worker whose role may only view places and equipment."""
    _role_with(monkeypatch, "worker", ("places.view_place", "places.view_equipment"))
    return worker


@pytest.fixture
def manager(leader: User, places_role: None) -> User:
    """alice, the leader of organization A, with the places permissions."""
    return leader


@pytest.fixture
def outsider_manager(org_b: Any, places_role: None) -> User:
    """A leader of organization B holding the same permissions."""
    return person(org_b, "mallory-leader", "leader", name="乙中心领导")


def make_place(
    org: Any, parent: Place | None, kind: str, code: str, name: str = "", **data: Any
) -> Place:
    return services.place_create(
        organization=org,
        parent=parent,
        data={"kind": kind, "code": code, "name": name or code, **data},
        actor=None,
    )


def make_equipment(place: Place, code: str, type: str = "elevator", **data: Any) -> Equipment:
    return services.equipment_create(
        organization=place.organization,
        data={"code": code, "type": type, "name": data.pop("name", code), "place": place, **data},
        actor=None,
    )


@pytest.fixture
def tree(org_a: Any) -> dict[str, Place]:
    """园区 A > 1号楼 > 3层 > 301室 > 饮水机点位, and 2号楼 beside 1号楼."""
    campus = make_place(org_a, None, "campus", "A", "机关大院")
    building = make_place(org_a, campus, "building", "A-01", "1号办公楼")
    other = make_place(org_a, campus, "building", "A-02", "2号办公楼")
    floor = make_place(org_a, building, "floor", "A-01-3F", "3层")
    room = make_place(org_a, floor, "room", "A-01-301", "301会议室")
    point = make_place(org_a, room, "point", "A-01-301-P1", "饮水机点位")
    return {
        "campus": campus,
        "building": building,
        "other": other,
        "floor": floor,
        "room": room,
        "point": point,
    }


def fresh(place: Place) -> Place:
    return Place.objects.get(pk=place.pk)
