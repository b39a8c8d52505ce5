"""The rules of places and equipment: kinds, codes, moves, deletes, QR tokens, change log."""

from __future__ import annotations

from typing import Any
from unittest import mock

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError

from houqin.common.models import ChangeLogEntry
from houqin.places import services
from houqin.places.models import Equipment, Place, PlaceManager
from houqin.places.selectors import scan_target
from tests.places.conftest import fresh, make_equipment, make_place

pytestmark = pytest.mark.django_db


def log_of(obj: Any) -> list[ChangeLogEntry]:
    return list(
        ChangeLogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(type(obj)), object_id=str(obj.pk)
        )
    )


def test_it_keeps_kinds_below_their_parent(org_a, tree) -> None:
    room = make_place(org_a, tree["building"], "room", "A-01-999")  # a level may be skipped
    assert room.depth == tree["building"].depth + 1
    with pytest.raises(ValidationError) as error:
        make_place(org_a, tree["floor"], "building", "A-01-3F-B")
    assert "“楼层”之下不能放“楼宇”" in error.value.message_dict["kind"][0]
    with pytest.raises(ValidationError):
        make_place(org_a, tree["room"], "room", "A-01-301-R")


def test_it_hangs_a_point_under_any_other_kind(org_a, tree) -> None:
    for index, parent in enumerate(("campus", "building", "floor", "room")):
        make_place(org_a, tree[parent], "point", f"P-{index}")
    with pytest.raises(ValidationError):
        make_place(org_a, tree["point"], "point", "P-under-P")


def test_it_keeps_codes_unique_within_an_organization(org_a, org_b, tree) -> None:
    with pytest.raises(ValidationError) as error:
        make_place(org_a, None, "campus", "A")
    assert error.value.message_dict["code"] == ["编号“A”已被使用，请换一个。"]
    assert make_place(org_b, None, "campus", "A").organization == org_b


def test_it_sorts_siblings_by_code(org_a, tree) -> None:
    make_place(org_a, tree["campus"], "building", "A-00", "0号楼")
    services.place_update(place=fresh(tree["other"]), data={"code": "A-000"}, actor=None)
    children = Place.objects.get_children(fresh(tree["campus"]))
    assert [c.code for c in children] == ["A-00", "A-000", "A-01"]


def test_it_refuses_a_kind_above_a_child_on_update(tree) -> None:
    with pytest.raises(ValidationError) as error:
        services.place_update(place=fresh(tree["floor"]), data={"kind": "room"}, actor=None)
    assert "下级场所中有“房间”" in error.value.message_dict["kind"][0]


def test_it_moves_a_subtree_in_one_tree_operation(org_a, tree) -> None:
    make_equipment(tree["room"], "DT-01")
    with mock.patch.object(
        PlaceManager, "move", autospec=True, side_effect=PlaceManager.move
    ) as move:
        services.place_move(place=fresh(tree["floor"]), new_parent=fresh(tree["other"]), actor=None)
    assert move.call_count == 1
    other = fresh(tree["other"])
    for name in ("floor", "room", "point"):
        moved = fresh(tree[name])
        assert moved.path.startswith(other.path)
    assert fresh(tree["floor"]).depth == other.depth + 1
    assert fresh(tree["building"]).numchild == 0 and other.numchild == 1
    assert Equipment.objects.get(code="DT-01").place.path.startswith(other.path)
    entry = log_of(tree["floor"])[0]
    assert entry.changes == {"上级场所": ["1号办公楼", "2号办公楼"]}
    assert "连同 2 个下级场所" in entry.note


def test_it_moves_a_place_to_the_top(org_a, tree) -> None:
    services.place_move(place=fresh(tree["building"]), new_parent=None, actor=None)
    assert fresh(tree["building"]).depth == 1
    assert fresh(tree["point"]).depth == 4


def test_it_refuses_to_move_a_place_into_its_own_subtree(tree) -> None:
    before = {name: fresh(place).path for name, place in tree.items()}
    for target in ("building", "floor", "room"):
        with pytest.raises(ValidationError) as error:
            services.place_move(
                place=fresh(tree["building"]), new_parent=fresh(tree[target]), actor=None
            )
        assert "不能移到它自己或它的下级场所之下" in error.value.messages[0]
    assert {name: fresh(place).path for name, place in tree.items()} == before


def test_it_refuses_a_move_that_breaks_the_kind_order(tree) -> None:
    with pytest.raises(ValidationError) as error:
        services.place_move(
            place=fresh(tree["building"]), new_parent=fresh(tree["room"]), actor=None
        )
    assert "不能" in error.value.messages[0]


def test_it_refuses_a_parent_from_another_organization(org_b, tree) -> None:
    foreign = make_place(org_b, None, "campus", "B")
    with pytest.raises(ValidationError):
        services.place_move(place=fresh(tree["building"]), new_parent=foreign, actor=None)
    with pytest.raises(ValidationError):
        make_place(tree["campus"].organization, foreign, "building", "X")


def test_it_refuses_to_delete_a_place_with_children_or_equipment(tree) -> None:
    with pytest.raises(ValidationError) as error:
        services.place_delete(place=fresh(tree["room"]), actor=None)
    assert "还有 1 个下级场所" in error.value.messages[0]
    make_equipment(tree["point"], "MHQ-01", "fire_extinguisher")
    with pytest.raises(ValidationError) as error:
        services.place_delete(place=fresh(tree["point"]), actor=None)
    assert "还有 1 台设备" in error.value.messages[0]


def test_it_deletes_a_leaf_and_logs_it(tree) -> None:
    point = fresh(tree["point"])
    services.place_delete(place=point, actor=None)
    assert not Place.objects.filter(pk=point.pk).exists()
    assert fresh(tree["room"]).numchild == 0
    assert log_of(point)[0].action == ChangeLogEntry.Action.DELETE


def test_it_regenerates_a_token_and_the_old_one_stops_working(leader, tree) -> None:
    place = fresh(tree["room"])
    old = place.qr_token
    assert len(old) >= 32
    assert scan_target(user=leader, token=old) == place
    services.qr_token_regenerate(obj=place, actor=leader)
    assert scan_target(user=leader, token=old) is None
    assert scan_target(user=leader, token=fresh(place).qr_token) == place
    entry = log_of(place)[0]
    assert entry.note.startswith("重新生成二维码") and entry.actor == leader
    assert old not in str(entry.changes)


def test_it_refuses_a_stale_token_regeneration(tree) -> None:
    place = fresh(tree["room"])
    services.qr_token_regenerate(obj=fresh(place), actor=None)
    with pytest.raises(ValidationError):
        services.qr_token_regenerate(obj=place, actor=None)


def test_it_logs_creates_and_updates_without_tree_fields(leader, tree) -> None:
    room = fresh(tree["room"])
    created = log_of(room)[0]
    assert created.action == ChangeLogEntry.Action.CREATE
    assert created.changes["kind"] == [None, "房间"]
    assert created.changes["上级场所"] == [None, "3层"]
    assert created.changes["active"] == [None, "是"]
    assert not {"path", "depth", "numchild", "qr_token"} & created.changes.keys()
    services.place_update(
        place=room, data={"name": "301 大会议室", "area_m2": "80.5"}, actor=leader
    )
    entry = log_of(room)[0]
    assert entry.changes == {"area_m2": [None, "80.5"], "name": ["301会议室", "301 大会议室"]}


def test_it_creates_updates_and_changes_the_status_of_equipment(
    leader, org_a, tree, places_role
) -> None:
    item = make_equipment(tree["room"], "KT-01", "air_conditioner", model="KFR-35")
    assert item.status == Equipment.Status.IN_SERVICE
    with pytest.raises(ValidationError) as error:
        make_equipment(tree["floor"], "KT-01")
    assert "code" in error.value.message_dict
    services.equipment_update(equipment=item, data={"place": fresh(tree["floor"])}, actor=leader)
    assert fresh(tree["floor"]).equipment.get() == item
    with pytest.raises(ValidationError):
        services.equipment_update(equipment=item, data={"status": "under_repair"}, actor=leader)
    services.equipment_status_change(equipment=item, name="repair", actor=leader, note="不制冷")
    item.refresh_from_db()
    assert item.status == Equipment.Status.UNDER_REPAIR
    assert log_of(item)[0].changes == {"status": ["在用", "维修中"]}
    with pytest.raises(ValidationError):
        services.equipment_status_change(equipment=item, name="retire", actor=leader)  # no note


def test_it_refuses_equipment_at_another_organizations_place(org_a, org_b, tree) -> None:
    foreign = make_place(org_b, None, "campus", "B")
    with pytest.raises(ValidationError) as error:
        services.equipment_create(
            organization=org_a,
            data={"code": "X", "type": "pump", "name": "水泵", "place": foreign},
            actor=None,
        )
    assert error.value.message_dict["place"] == ["场所不属于本单位。"]


def test_it_selects_a_subtree_and_expiring_certificates(leader, tree, places_role) -> None:
    from datetime import date

    from houqin.places.selectors import expiring_certificates, place_subtree_ids

    assert set(place_subtree_ids(fresh(tree["floor"]))) == {
        tree["floor"].pk,
        tree["room"].pk,
        tree["point"].pk,
    }
    today = date(2026, 11, 26)
    make_equipment(tree["room"], "OLD", certificate_expires=date(2026, 11, 1))
    make_equipment(tree["room"], "SOON", certificate_expires=date(2026, 12, 20))
    make_equipment(tree["room"], "LATER", certificate_expires=date(2027, 6, 1))
    make_equipment(tree["room"], "NONE")
    retired = make_equipment(tree["room"], "GONE", certificate_expires=date(2026, 1, 1))
    services.equipment_status_change(equipment=retired, name="retire", actor=leader, note="报废")
    rows = expiring_certificates(user=leader, within_days=30, today=today)
    assert [item.code for item in rows] == ["OLD", "SOON"]
