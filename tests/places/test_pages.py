"""The pages of places and equipment: access, the tree, details, forms, the equipment list."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from houqin.places.models import Equipment, Place
from tests.conftest import signed_in
from tests.places.conftest import fresh, make_equipment, make_place

pytestmark = pytest.mark.django_db

PAGES = [
    ("places:place_tree", None),
    ("places:place_create", None),
    ("places:place_detail", "room"),
    ("places:place_update", "room"),
    ("places:place_move", "room"),
    ("places:equipment_list", None),
    ("places:equipment_export", None),
    ("places:equipment_create", None),
    ("places:equipment_detail", "item"),
    ("places:equipment_update", "item"),
    ("places:labels", None),
]
ACTIONS = [
    ("places:place_qr_regenerate", "room"),
    ("places:place_delete", "point"),
    ("places:equipment_status", "item"),
    ("places:equipment_qr_regenerate", "item"),
    ("places:equipment_delete", "item"),
]


@pytest.fixture
def objects(tree):
    item = make_equipment(tree["room"], "DT-01", name="1号客梯")
    return {**tree, "item": item}


def url(name: str, sample: str | None, objects) -> str:
    return reverse(name, args=[objects[sample].pk] if sample else [])


@pytest.mark.parametrize(("name", "sample"), PAGES + ACTIONS)
def test_it_needs_sign_in(name, sample, objects) -> None:
    method = "post" if (name, sample) in ACTIONS else "get"
    response = getattr(Client(), method)(url(name, sample, objects))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize(("name", "sample"), PAGES)
def test_it_works_for_a_manager(name, sample, objects, manager) -> None:
    assert signed_in(manager).get(url(name, sample, objects)).status_code == 200


def request(client: Client, name: str, sample: str | None, objects):
    target = url(name, sample, objects)
    return client.post(target) if (name, sample) in ACTIONS else client.get(target)


@pytest.mark.parametrize(("name", "sample"), PAGES + ACTIONS)
def test_it_refuses_a_role_without_the_permission(name, sample, objects, stranger) -> None:
    assert request(signed_in(stranger), name, sample, objects).status_code == 403


WRITES = [
    (n, s)
    for n, s in PAGES + ACTIONS
    if not n.endswith(("_tree", "_list", "_detail", "_export", "labels"))
]


@pytest.mark.parametrize(("name", "sample"), WRITES)
def test_it_refuses_writes_to_a_reader(name, sample, objects, viewer) -> None:
    assert request(signed_in(viewer), name, sample, objects).status_code == 403


def test_it_hides_write_buttons_from_a_reader(objects, viewer) -> None:
    client = signed_in(viewer)
    page = client.get(reverse("places:place_detail", args=[objects["room"].pk])).content.decode()
    assert "<svg" in page and "修改</a>" not in page and "重新生成二维码" not in page
    page = client.get(
        reverse("places:equipment_detail", args=[objects["item"].pk])
    ).content.decode()
    assert "送修" not in page and "修改</a>" not in page


@pytest.mark.parametrize(("name", "sample"), [p for p in PAGES + ACTIONS if p[1]])
def test_it_hides_objects_from_another_organization(
    name, sample, objects, outsider_manager
) -> None:
    client = signed_in(outsider_manager)
    assert request(client, name, sample, objects).status_code == 404
    assert (
        client.get(reverse("places:place_tree"), {"parent": objects["room"].pk}).status_code == 404
    )
    assert (
        client.get(reverse("places:place_create"), {"parent": objects["room"].pk}).status_code
        == 404
    )


def tree_part(page: str) -> str:
    return page.split('data-testid="place-tree"')[1].split("</ul>\n")[0]


def test_it_shows_the_top_of_the_tree_and_loads_children_with_htmx(manager, tree) -> None:
    client = signed_in(manager)
    page = tree_part(client.get(reverse("places:place_tree")).content.decode())
    assert "机关大院" in page and "1号办公楼" in page and "2号办公楼" in page
    assert "3层" not in page  # two levels: deeper ones load when opened
    assert f'hx-get="/places/?parent={tree["building"].pk}"' in page
    assert "园区" in page and "2 个下级" in page
    fragment = client.get(
        reverse("places:place_tree"), {"parent": tree["building"].pk}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "3层" in fragment and "<html" not in fragment and "301会议室" not in fragment
    focused = client.get(reverse("places:place_tree"), {"parent": tree["building"].pk})
    page = focused.content.decode()
    assert "<html" in page and "3层" in page and "301会议室" in page and "机关大院" in page


def test_it_searches_places_by_name_or_code(manager, tree) -> None:
    client = signed_in(manager)
    page = client.get(reverse("places:place_tree"), {"q": "301"}).content.decode()
    assert "301会议室" in page and "饮水机点位" in page
    assert "机关大院 / 1号办公楼 / 3层" in page
    page = client.get(reverse("places:place_tree"), {"q": "301", "kind": "point"}).content.decode()
    assert "饮水机点位" in page and "301会议室</a>" not in page
    page = client.get(reverse("places:place_tree"), {"q": "没有这个"}).content.decode()
    assert "没有符合条件的场所" in page


def test_it_offers_the_first_campus_on_an_empty_tree(manager) -> None:
    page = signed_in(manager).get(reverse("places:place_tree")).content.decode()
    assert "还没有场所" in page and "新建第一个园区" in page
    assert reverse("places:place_create") in page
    assert "导入" not in page.split('id="main"')[1]  # no link to a page that does not exist


def tree_queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("places:place_tree")).status_code == 200
    return len(queries)


def test_it_runs_the_same_queries_for_a_tree_of_2_and_200_places(manager, org_a) -> None:
    client = signed_in(manager)
    campus = make_place(org_a, None, "campus", "A")
    make_place(org_a, campus, "building", "A-00")
    tree_queries(client)
    counts = [tree_queries(client)]
    for index in range(1, 100):
        building = make_place(org_a, campus, "building", f"A-{index:02}")
        make_place(org_a, building, "floor", f"A-{index:02}-1F")
    assert Place.objects.count() >= 200
    counts.append(tree_queries(client))
    assert counts[0] == counts[1]


def test_it_shows_a_place_with_children_equipment_qr_code_and_change_log(manager, objects) -> None:
    room = objects["room"]
    page = signed_in(manager).get(reverse("places:place_detail", args=[room.pk])).content.decode()
    assert "301会议室" in page and "饮水机点位" in page and "1号客梯" in page
    assert "<svg" in page and "qr-code" in page
    assert f"http://testserver/q/{room.qr_token}" in page
    assert "变更记录" in page and "新建" in page
    assert "重新生成二维码？" in page and "旧标签立即失效" in page
    assert 'data-bs-target="#delete-place"' in page
    assert 'style="' not in page and " onclick" not in page


def test_it_creates_a_place_under_a_parent(manager, tree) -> None:
    client = signed_in(manager)
    floor = tree["floor"]
    create = reverse("places:place_create") + f"?parent={floor.pk}"
    page = client.get(create).content.decode()
    assert '<option value="room" selected>' in page and 'value="campus"' not in page
    response = client.post(
        create, {"kind": "room", "code": "A-01-302", "name": "302办公室", "active": "on"}
    )
    place = Place.objects.get(code="A-01-302")
    assert response["Location"] == reverse("places:place_detail", args=[place.pk])
    assert place.organization == manager.organization and fresh(floor).numchild == 2


def test_it_explains_bad_input_next_to_the_field(manager, tree) -> None:
    client = signed_in(manager)
    response = client.post(
        reverse("places:place_create"), {"kind": "campus", "code": "A", "name": ""}
    )
    page = response.content.decode()
    assert "请填写名称。" in page and "编号“A”已被使用" not in page
    response = client.post(
        reverse("places:place_create"), {"kind": "campus", "code": "A", "name": "大院"}
    )
    page = response.content.decode()
    assert 'id="id_code_error">编号“A”已被使用，请换一个。' in page
    assert Place.objects.filter(code="A").count() == 1


def test_it_edits_a_place_and_logs_the_change(manager, tree) -> None:
    room = tree["room"]
    client = signed_in(manager)
    client.post(
        reverse("places:place_update", args=[room.pk]),
        {
            "kind": "room",
            "code": "A-01-301",
            "name": "301 大会议室",
            "area_m2": "80",
            "active": "on",
        },
    )
    page = client.get(reverse("places:place_detail", args=[room.pk])).content.decode()
    assert "301 大会议室" in page and "301会议室</span> → 301 大会议室" in page


def test_it_moves_a_place_from_its_page(manager, tree) -> None:
    client = signed_in(manager)
    move = reverse("places:place_move", args=[tree["floor"].pk])
    page = client.get(move).content.decode()
    assert "2号办公楼" in page and "301会议室" not in page  # not its own subtree
    client.post(move, {"new_parent": tree["other"].pk})
    assert fresh(tree["floor"]).path.startswith(fresh(tree["other"]).path)
    response = client.post(move, {"new_parent": tree["room"].pk})
    assert "请选择" in response.content.decode() or response.status_code == 200


def test_it_deletes_and_regenerates_after_confirmation(manager, objects) -> None:
    client = signed_in(manager)
    response = client.post(reverse("places:place_delete", args=[objects["room"].pk]), follow=True)
    assert "还有 1 个下级场所" in response.content.decode()
    response = client.post(reverse("places:place_delete", args=[objects["point"].pk]))
    assert response["Location"] == reverse("places:place_detail", args=[objects["room"].pk])
    old = objects["room"].qr_token
    client.post(reverse("places:place_qr_regenerate", args=[objects["room"].pk]))
    assert fresh(objects["room"]).qr_token != old
    assert client.get(reverse("places:place_delete", args=[objects["room"].pk])).status_code == 405


def equipment_queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("places:equipment_list")).status_code == 200
    return len(queries)


def test_it_runs_the_same_queries_for_2_and_200_equipment(manager, tree) -> None:
    client = signed_in(manager)
    places = [tree["room"], tree["floor"], tree["other"]]
    for index in range(2):
        make_equipment(places[index % 3], f"E-{index:02}")
    equipment_queries(client)
    counts = [equipment_queries(client)]
    for index in range(2, 200):
        make_equipment(places[index % 3], f"E-{index:02}")
    counts.append(equipment_queries(client))
    assert counts[0] == counts[1]


def test_it_filters_searches_sorts_and_exports_equipment(manager, tree) -> None:
    make_equipment(
        tree["room"], "DT-01", "elevator", name="1号客梯", certificate_expires="2000-01-01"
    )
    make_equipment(tree["point"], "MHQ-01", "fire_extinguisher", name="灭火器甲")
    make_equipment(tree["other"], "SB-01", "pump", name="生活水泵")
    client = signed_in(manager)
    listing = reverse("places:equipment_list")
    page = client.get(listing, {"type": "elevator"}).content.decode()
    assert "1号客梯" in page and "灭火器甲" not in page and "已过期" in page
    page = client.get(listing, {"place": tree["floor"].pk}).content.decode()
    assert "1号客梯" in page and "灭火器甲" in page and "生活水泵" not in page
    page = client.get(listing, {"q": "水泵"}).content.decode()
    assert "生活水泵" in page and "1号客梯" not in page
    page = client.get(listing, {"sort": "-code"}).content.decode()
    assert page.index("SB-01") < page.index("MHQ-01") < page.index("DT-01")
    page = client.get(listing, {"status": "under_repair"}).content.decode()
    assert "没有符合条件的设备" in page
    response = client.get(reverse("places:equipment_export"), {"place": tree["floor"].pk})
    sheet = load_workbook(BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=4)]
    assert [row[0] for row in rows] == ["DT-01", "MHQ-01"]
    assert "所在场所：" in sheet["A2"].value


def test_it_shows_an_empty_equipment_list_with_what_to_do(manager) -> None:
    page = signed_in(manager).get(reverse("places:equipment_list")).content.decode()
    assert "还没有设备" in page and reverse("places:equipment_create") in page


def test_it_creates_equipment_and_changes_its_status(manager, tree) -> None:
    client = signed_in(manager)
    create = reverse("places:equipment_create") + f"?place={tree['room'].pk}"
    assert f'<option value="{tree["room"].pk}" selected>' in client.get(create).content.decode()
    client.post(
        create,
        {"code": "KT-01", "type": "air_conditioner", "name": "1号空调", "place": tree["room"].pk},
    )
    item = Equipment.objects.get(code="KT-01")
    status = reverse("places:equipment_status", args=[item.pk])
    client.post(status, {"name": "repair", "note": "不制冷"})
    item.refresh_from_db()
    assert item.status == "under_repair"
    response = client.post(status, {"name": "retire", "note": ""}, follow=True)
    assert "请填写停用的原因" in response.content.decode()
    page = client.get(reverse("places:equipment_detail", args=[item.pk])).content.decode()
    assert "维修中" in page and "恢复在用" in page and "不制冷" in page
