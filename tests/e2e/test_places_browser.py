"""Places in a real browser: a scanned label leads through sign-in to its place; the tree
opens with htmx; labels download as a PDF. With HOUQIN_SHOTS=1 it also saves screenshots of
the tree, a place, the equipment list and a label page at 375 px and 1280 px."""

from __future__ import annotations

import dataclasses
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from houqin.accounts.models import User
from houqin.accounts.roles import ROLE_BY_CODE
from houqin.places import services
from houqin.places.models import Place
from tests.e2e.browser import sign_in_as
from tests.factories import PASSWORD

PLACES_PERMISSIONS = tuple(
    f"places.{action}_{model}"
    for model in ("place", "equipment")
    for action in ("view", "add", "change", "delete")
)


@pytest.fixture
def manager(leader: User, monkeypatch: pytest.MonkeyPatch) -> User:
    """alice, whose leader role holds every places permission (whatever roles.py grants)."""
    role = ROLE_BY_CODE["leader"]
    monkeypatch.setitem(
        ROLE_BY_CODE,
        "leader",
        dataclasses.replace(role, permissions=(*role.permissions, *PLACES_PERMISSIONS)),
    )
    return leader


def place(org: Any, parent: Place | None, kind: str, code: str, name: str) -> Place:
    return services.place_create(
        organization=org,
        parent=parent,
        data={"kind": kind, "code": code, "name": name},
        actor=None,
    )


@pytest.fixture
def campus(org_a: Any, department: Any) -> dict[str, Place]:
    top = place(org_a, None, "campus", "A", "机关大院")
    building = place(org_a, top, "building", "A-01", "1号办公楼")
    floor = place(org_a, building, "floor", "A-01-3F", "3层")
    room = place(org_a, floor, "room", "A-01-301", "301会议室")
    point = place(org_a, room, "point", "A-01-301-P1", "饮水机点位")
    services.place_update(place=room, data={"department": department}, actor=None)
    for code, kind, name, where in (
        ("DT-01", "elevator", "1号客梯", building),
        ("KT-301", "air_conditioner", "301会议室空调", room),
        ("MHQ-301", "fire_extinguisher", "301灭火器", point),
    ):
        services.equipment_create(
            organization=org_a,
            data={"code": code, "type": kind, "name": name, "place": where},
            actor=None,
        )
    return {"campus": top, "building": building, "floor": floor, "room": room, "point": point}


def test_it_leads_a_signed_out_scan_through_sign_in_to_the_place(
    page: Page, manager: User, campus: dict[str, Place]
) -> None:
    room = campus["room"]
    page.goto(f"/q/{room.qr_token}")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/q/"))

    page.get_by_label("登录名", exact=True).fill(manager.username)
    page.get_by_label("密码", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()

    expect(page).to_have_url(re.compile(rf"/places/{room.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("301会议室")
    expect(page.locator("[data-testid=qr-code] svg")).to_be_visible()


def test_it_opens_a_branch_of_the_tree_with_htmx(
    page: Page, manager: User, campus: dict[str, Place], live_server: Any
) -> None:
    sign_in_as(page, manager, live_server)
    page.goto("/places/")
    tree = page.locator("[data-testid=place-tree]")
    expect(tree.get_by_role("link", name="1号办公楼")).to_be_visible()
    expect(tree.get_by_role("link", name="3层")).to_have_count(0)

    tree.locator("summary", has_text="1号办公楼").click()

    expect(tree.get_by_role("link", name="3层")).to_be_visible()


def test_it_downloads_labels_as_a_pdf(
    page: Page, manager: User, campus: dict[str, Place], live_server: Any
) -> None:
    sign_in_as(page, manager, live_server)
    page.goto(f"/places/labels/?within={campus['building'].pk}")
    page.get_by_label("房间").check()
    page.get_by_label("灭火器").check()

    with page.expect_download() as download_info:
        page.get_by_role("button", name="生成 PDF").click()

    download = download_info.value
    assert download.suggested_filename == "二维码标签.pdf"
    assert Path(download.path()).read_bytes().startswith(b"%PDF")


@pytest.mark.skipif(
    os.environ.get("HOUQIN_SHOTS") != "1", reason="screenshots only with HOUQIN_SHOTS=1"
)
@pytest.mark.parametrize("screen", ["phone_page", "page"])
def test_it_shoots_the_places_screens(
    screen: str,
    request: pytest.FixtureRequest,
    manager: User,
    campus: dict[str, Place],
    live_server: Any,
    screenshot_dir: Path,
) -> None:
    page: Page = request.getfixturevalue(screen)
    width = 375 if screen == "phone_page" else 1280
    sign_in_as(page, manager, live_server)

    def shoot(path: str, name: str) -> None:
        page.goto(path)
        expect(page.locator("h1").first).to_be_visible()
        page.screenshot(
            path=screenshot_dir / f"places-{name}-{width}.png",
            full_page=True,
            animations="disabled",
        )

    shoot("/places/", "tree")
    shoot(f"/places/{campus['room'].pk}/", "place")
    shoot("/places/equipment/", "equipment")
    shoot(f"/places/equipment/?place={campus['building'].pk}&sort=-code", "equipment-filtered")
    shoot(f"/places/{campus['room'].pk}/move/", "move")
    shoot("/places/labels/", "labels-form")
    if screen == "page" and shutil.which("pdftoppm"):
        page.goto("/places/labels/")
        for label in ("房间", "点位", "电梯", "空调", "灭火器"):
            page.get_by_label(label).check()
        with page.expect_download() as download_info:
            page.get_by_role("button", name="生成 PDF").click()
        subprocess.run(
            [
                shutil.which("pdftoppm") or "pdftoppm",
                "-png",
                "-r",
                "80",
                "-f",
                "1",
                "-l",
                "1",
                download_info.value.path(),
                str(screenshot_dir / "places-labels-pdf"),
            ],
            check=True,
        )
