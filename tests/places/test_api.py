"""The read API of places and equipment: scoped, filtered like the pages, paginated."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.conftest import signed_in
from tests.places.conftest import make_equipment, make_place

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.places.urls")]

PLACES = "/api/v1/places/places/"
EQUIPMENT = "/api/v1/places/equipment/"


def test_it_lists_only_the_places_of_the_users_organization(manager, tree, org_b) -> None:
    make_place(org_b, None, "campus", "B", "乙中心大院")
    body = signed_in(manager).get(PLACES).json()
    assert body["count"] == 6
    rows = {row["code"]: row for row in body["results"]}
    assert "B" not in rows
    assert [row["code"] for row in body["results"]][:2] == ["A", "A-01"]  # tree order
    assert rows["A"]["parent"] is None
    assert rows["A-01-3F"]["parent"] == tree["building"].pk
    assert rows["A-01-301"]["kind_label"] == "房间"
    assert "qr_token" not in rows["A"]


def test_it_filters_and_searches_like_the_pages(manager, tree) -> None:
    client = signed_in(manager)
    assert [r["code"] for r in client.get(PLACES, {"kind": "point"}).json()["results"]] == [
        "A-01-301-P1"
    ]
    within = client.get(PLACES, {"within": tree["floor"].pk}).json()["results"]
    assert [r["code"] for r in within] == ["A-01-3F", "A-01-301", "A-01-301-P1"]
    assert client.get(PLACES, {"search": "会议"}).json()["count"] == 1
    assert client.get(PLACES, {"within": 999999}).status_code == 400


def test_it_lists_equipment_by_place_subtree(manager, tree, outsider_manager) -> None:
    make_equipment(tree["room"], "DT-01", name="1号客梯")
    make_equipment(tree["other"], "SB-01", "pump", name="生活水泵")
    client = signed_in(manager)
    body = client.get(EQUIPMENT, {"place": tree["building"].pk}).json()
    assert [(r["code"], r["place_name"], r["status_label"]) for r in body["results"]] == [
        ("DT-01", "301会议室", "在用")
    ]
    assert client.get(EQUIPMENT, {"type": "pump"}).json()["count"] == 1
    assert signed_in(outsider_manager).get(EQUIPMENT).json()["count"] == 0
    item_id = body["results"][0]["id"]
    assert client.get(f"{EQUIPMENT}{item_id}/").json()["code"] == "DT-01"
    assert signed_in(outsider_manager).get(f"{EQUIPMENT}{item_id}/").status_code == 404


def test_it_needs_a_signed_in_reader(tree, stranger) -> None:
    assert Client().get(PLACES).status_code in (401, 403)
    assert signed_in(stranger).get(PLACES).status_code == 403
    assert signed_in(stranger).get(EQUIPMENT).status_code == 403


def test_it_is_read_only(manager, tree) -> None:
    response = signed_in(manager).post(PLACES, {"code": "X", "name": "X", "kind": "campus"})
    assert response.status_code == 405


def api_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_it_runs_the_same_queries_for_2_and_200_rows(manager, org_a) -> None:
    client = signed_in(manager)
    campus = make_place(org_a, None, "campus", "A")
    make_equipment(campus, "E-00")
    make_equipment(make_place(org_a, campus, "building", "A-00"), "E-01")
    api_queries(client, PLACES)
    before = (api_queries(client, PLACES), api_queries(client, EQUIPMENT))
    for index in range(1, 199):
        make_equipment(make_place(org_a, campus, "building", f"A-{index:02}"), f"E-{index + 1:02}")
    assert (api_queries(client, PLACES), api_queries(client, EQUIPMENT)) == before
