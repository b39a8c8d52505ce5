"""Standards search in a real browser: a worker searches a word, sees the clause with the
word marked, and opens the clause in the reading page. With HOUQIN_SHOTS=1 it also saves
screenshots of the empty page, results and no results at 375 px and 1280 px."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from houqin.accounts.models import User
from tests.e2e.browser import sign_in_as
from tests.standards.test_search_data import CANTEEN, CLEANING, adopted_make, standard_make, text_of


def library(org: Any, actor: User) -> Any:
    canteen = standard_make(
        org, actor, title="机关食堂服务规范", text=CANTEEN, number="JGSW/TG 001—2026"
    )
    standard_make(
        org,
        actor,
        title="公共卫生间保洁规范",
        text=CLEANING,
        number="JGSW/TG 002—2026",
        lines=("property",),
    )
    standard_make(
        org,
        actor,
        title="食品留样管理规范",
        number="JGSW/TG 003—2026",
        text=text_of(
            ("留样要求", ("留样食品应按品种分别盛放于清洗消毒后的密闭专用容器内，冷藏48 h以上。",)),
            ("留样记录", ("留样应记录留样时间、品种、数量和留样人，记录保存不少于2年。",)),
        ),
    )
    adopted_make(org, actor, number="GB 31654—2021", title="食品安全国家标准 餐饮服务通用卫生规范")
    return canteen


def test_a_worker_finds_a_clause_and_opens_it(
    page: Page, org_a: Any, standards_officer: User, worker: User, live_server: Any
) -> None:
    canteen = library(org_a, standards_officer)
    sign_in_as(page, worker, live_server)
    page.goto("/standards/search/")
    expect(page.get_by_text("输入要查找的词")).to_be_visible()
    page.get_by_label("在标准编号、名称和条款中查找").fill("成品 留样")
    page.get_by_role("button", name="检索").click()
    expect(page.get_by_role("heading", name="找到 1 项标准")).to_be_visible()
    expect(page).to_have_url(
        re.compile(r"/standards/search/\?q=%E6%88%90%E5%93%81(\+|%20)")
    )  # pushed
    hit = page.locator("article").first
    expect(hit.locator("mark").first).to_have_text("成品")
    uid = canteen.versions.get().clauses.get(text__startswith="每餐次").uid
    hit.locator(f'a[href$="#c-{uid}"]').click()
    expect(page).to_have_url(f"{live_server.url}/standards/{canteen.pk}/read/#c-{uid}")
    expect(page.locator(f"#c-{uid}")).to_contain_text("每餐次的食品成品应留样")


@pytest.mark.skipif(
    os.environ.get("HOUQIN_SHOTS") != "1", reason="screenshots only with HOUQIN_SHOTS=1"
)
def test_screenshots_of_the_search_page(
    page: Page,
    phone_page: Page,
    screenshot_dir: Path,
    org_a: Any,
    standards_officer: User,
    live_server: Any,
) -> None:
    library(org_a, standards_officer)
    for name, shot in (("1280", page), ("375", phone_page)):
        sign_in_as(shot, standards_officer, live_server)
        for label, query in (
            ("empty", ""),
            ("results", "?q=留样"),
            ("none", "?q=电梯&level=national"),
        ):
            shot.goto(f"/standards/search/{query}")
            shot.screenshot(path=str(screenshot_dir / f"search-{label}-{name}.png"), full_page=True)
