"""The standards' own pages in a real browser: the standards officer proposes a standard,
finds it in the list and opens it; a worker reads a standard's text in its tab. With
HOUQIN_SHOTS=1 it also saves screenshots of the list, a standard with a long text, an
adopted standard, and the forms at 375 px and 1280 px."""

from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import Page, expect

from houqin.accounts.models import User
from houqin.org.models import Department, Post
from houqin.standards.clauses import tree_load
from houqin.standards.models import Standard, StandardNode
from houqin.standards.services import (
    standard_adopt,
    standard_propose,
    standard_update,
    version_new_draft,
    version_publish,
)
from tests.e2e.browser import sign_in_as
from tests.standards.builders import in_force_make, n, node_make

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "media"},
        },
    }


def test_the_officer_proposes_a_standard_and_finds_it_in_the_list(
    page: Page, standards_officer: User, org_a: Any, department: Department, live_server: Any
) -> None:
    node = node_make(org_a)
    in_force_make(org_a, standards_officer)
    sign_in_as(page, standards_officer, live_server)

    page.goto("/standards/")
    page.locator(".page-actions").get_by_role("link", name="标准立项").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("标准立项")
    page.get_by_label("标准名称").fill("会议服务规范")
    page.get_by_label("体系节点").select_option(str(node.pk))
    page.get_by_label("归口科室").select_option(str(department.pk))
    page.get_by_label("立项理由").fill("会前准备、会中服务缺少统一的要求，服务质量因人而异。")
    page.get_by_label("拟规定的范围").fill("会议承接、会场准备、会中服务、会后备场。")
    page.get_by_label("会议服务").check()
    page.get_by_role("button", name="保存").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("会议服务规范")
    expect(page.get_by_text("已立项：会议服务规范。")).to_be_visible()
    expect(page.locator("[aria-current=step]")).to_have_text("立项")

    page.locator(".page-pretitle").get_by_role("link", name="标准").click()
    row = page.locator("tbody tr", has_text="会议服务规范")
    expect(row).to_contain_text("立项")
    expect(row).to_contain_text("物业管理科")
    page.get_by_label("状态").select_option("current")  # the filter bar submits on change
    expect(page.locator("tbody")).not_to_contain_text("会议服务规范")
    expect(page.locator("tbody")).to_contain_text("公共卫生间保洁规范")
    page.get_by_role("link", name="清除").click()
    page.get_by_role("link", name="会议服务规范").click()
    expect(page).to_have_url(re.compile(r"/standards/\d+/$"))
    expect(page.locator("#tab-overview")).to_contain_text("会前准备、会中服务缺少统一的要求")


def test_a_bad_number_is_shown_on_its_field_and_nothing_is_lost(
    page: Page, standards_officer: User, org_a: Any, live_server: Any
) -> None:
    node = node_make(org_a)
    sign_in_as(page, standards_officer, live_server)
    page.goto("/standards/new/")
    page.get_by_label("标准名称").fill("车辆维修保养规范")
    page.get_by_label("体系节点").select_option(str(node.pk))
    page.get_by_label("立项理由").fill("送修、验收没有统一要求。")
    page.get_by_label("拟定编号").fill("JGSW FW 3")
    page.get_by_role("button", name="保存").click()

    error = page.locator("#id_number_error")
    expect(error).to_contain_text("不符合格式，应形如“JGSW/FW 003—2026”")
    expect(page.get_by_label("标准名称")).to_have_value("车辆维修保养规范")
    expect(page.get_by_label("立项理由")).to_have_value("送修、验收没有统一要求。")
    assert not Standard.objects.filter(title="车辆维修保养规范").exists()


def test_a_worker_reads_the_text_of_a_standard_in_its_tab(
    page: Page, worker: User, standards_officer: User, org_a: Any, live_server: Any
) -> None:
    standard = in_force_make(org_a, standards_officer)
    sign_in_as(page, worker, live_server)
    page.goto("/standards/")
    expect(page.get_by_role("heading", level=1)).to_have_text("现行标准")
    page.get_by_role("link", name="公共卫生间保洁规范").click()
    text = page.locator("#tab-text")
    expect(text).to_be_hidden()
    page.get_by_role("tab", name="正文").click()
    expect(text.get_by_text("保洁员应每2 h保洁1次。")).to_be_visible()
    assert f"/standards/{standard.pk}/" in page.url


# ---- screenshots ---------------------------------------------------------------------------

CANTEEN = (
    ("进货查验", ("供应商资质", "到货验收", "索证索票")),
    ("贮存", ("库房条件", "先进先出", "冷藏冷冻")),
    ("清洗加工", ("粗加工", "切配", "烹饪温度")),
    ("装盘出售", ("分餐", "留样", "出售时限")),
    ("消费反馈", ("意见收集", "问题处理", "满意度测评")),
)


def long_text() -> tuple[Any, ...]:
    """A canteen standard in GB/T 1.1 form: foreword, scope, references, terms and five
    chapters of measurable requirements with lists, notes, a table and an annex."""
    chapters = []
    for chapter, clauses in CANTEEN:
        children = []
        for index, title in enumerate(clauses):
            children.append(
                n(
                    "clause",
                    title=title,
                    children=(
                        n(
                            "paragraph",
                            f"{title}应由当班负责人在每日 10:30 前完成并记录，"
                            f"记录保存不少于 12 个月。",
                        ),
                        n("paragraph", f"{chapter}过程中发现的问题应在 2 h 内报告餐饮服务科。"),
                        *(
                            (
                                n("list_item", "冷藏食品中心温度应在 0 ℃～8 ℃；"),
                                n("list_item", "冷冻食品中心温度应不高于 -12 ℃；"),
                                n("list_item", "热食出售温度宜不低于 60 ℃。"),
                                n("note", "温度以探针式温度计在食品中心测量。"),
                            )
                            if index == 1
                            else ()
                        ),
                    ),
                )
            )
        chapters.append(n("chapter", title=chapter, children=tuple(children)))
    return (
        n(
            "foreword",
            children=(
                n(
                    "paragraph",
                    "本文件按照GB/T 1.1—2020《标准化工作导则  第1部分：标准化文件的结构和起草规则》的规定起草。",
                ),
                n("paragraph", "本文件由中心标准化办公室提出并归口。"),
                n("paragraph", "本文件起草单位：餐饮服务科。"),
            ),
        ),
        n(
            "scope",
            title="范围",
            children=(
                n(
                    "paragraph",
                    "本文件规定了机关食堂从进货、贮存、清洗加工、装盘出售到消费反馈的服务要求。",
                ),
                n("paragraph", "本文件适用于中心所属各食堂。"),
            ),
        ),
        n(
            "references",
            title="规范性引用文件",
            children=(
                n(
                    "paragraph",
                    "下列文件中的内容通过文中的规范性引用而构成本文件必不可少的条款。",
                ),
                n(
                    "reference",
                    code="GB 31654",
                    year="2021",
                    title="食品安全国家标准 餐饮服务通用卫生规范",
                ),
            ),
        ),
        n(
            "terms",
            title="术语和定义",
            children=(
                n("paragraph", "下列术语和定义适用于本文件。"),
                n(
                    "term",
                    term="留样",
                    english="food sample retention",
                    definition="将每餐次的每种食品成品留取一定数量，在冷藏条件下存放以备查验。",
                ),
            ),
        ),
        *chapters,
        n(
            "annex",
            title="食品留样记录表",
            annex_type="informative",
            children=(
                n(
                    "table",
                    title="食品留样记录",
                    header=["日期", "餐次", "品名", "留样量（g）", "留样人"],
                    rows=[["2026-05-06", "午餐", "清炒时蔬", "125", "王某"]],
                ),
            ),
        ),
    )


def long_standard(org: Any, actor: User, node: StandardNode, department: Department) -> Any:
    standard = standard_propose(
        organization=org,
        actor=actor,
        data={
            "title": "机关食堂餐饮服务全流程规范",
            "node": node,
            "reason": "食堂进货、加工、出售各环节缺少可检查的统一要求。",
            "scope": "进货→清洗加工→装盘出售→消费反馈。",
            "owner_department": department,
            "proposer": actor,
            "due_on": date(2026, 3, 31),
        },
        lines=["canteen"],
        posts=[Post.objects.create(organization=org, code="CS", name="厨师")],
    )
    Standard.objects.filter(pk=standard.pk).update(status="drafting")
    standard.refresh_from_db()
    standard_update(
        standard=standard,
        actor=actor,
        data={"drafting_units": "餐饮服务科、标准化办公室", "drafters": "王科长、李标准"},
    )
    version = version_new_draft(standard=standard, actor=actor)
    tree_load(version=version, nodes=long_text())
    version_publish(
        version=version,
        actor=actor,
        number="JGSW/FW 002—2026",
        published_on=date(2026, 4, 15),
        effective_on=date(2026, 5, 1),
    )
    Standard.objects.filter(pk=standard.pk).update(status="in_force")
    standard.refresh_from_db()
    return standard


@pytest.fixture(params=["phone", "desktop"])
def screen(request: pytest.FixtureRequest) -> Page:
    return request.getfixturevalue("phone_page" if request.param == "phone" else "page")


def shoot(page: Page, directory: Path, name: str) -> None:
    width = page.viewport_size["width"] if page.viewport_size else 0
    page.screenshot(path=directory / f"{name}-{width}.png", full_page=True, animations="disabled")


@pytest.mark.skipif(
    os.environ.get("HOUQIN_SHOTS") != "1", reason="screenshots only with HOUQIN_SHOTS=1"
)
def test_screenshots_of_the_standard_pages(
    screen: Page,
    screenshot_dir: Path,
    live_server: Any,
    media: None,
    org_a: Any,
    standards_officer: User,
    worker: User,
    department: Department,
) -> None:
    page = screen
    node = node_make(org_a)
    support = StandardNode.objects.add_root(
        instance=StandardNode(organization=org_a, code="TB", name="服务保障标准")
    )
    canteen = long_standard(org_a, standards_officer, node, department)
    Standard.objects.filter(pk=canteen.pk).update(review_due_on=date(2026, 1, 1))
    in_force_make(org_a, standards_officer, number="JGSW/FW 001—2026")
    standard_propose(
        organization=org_a,
        actor=standards_officer,
        data={"title": "会议服务规范", "node": node, "reason": "会务服务缺少统一要求"},
        lines=["meetings"],
    )
    adopted = standard_adopt(
        organization=org_a,
        actor=standards_officer,
        data={
            "number": "GB 31654—2021",
            "title": "食品安全国家标准 餐饮服务通用卫生规范",
            "level": "national",
            "node": support,
            "issuing_body": "国家卫生健康委员会、国家市场监督管理总局",
            "published_on": date(2021, 2, 22),
            "effective_on": date(2022, 2, 22),
        },
        lines=["canteen"],
        pdf=SimpleUploadedFile("GB 31654-2021.pdf", PDF),
    )
    sign_in_as(page, standards_officer, live_server)

    page.goto("/standards/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    shoot(page, screenshot_dir, "std-pages-1-standard-list")

    page.goto(f"/standards/{canteen.pk}/")
    shoot(page, screenshot_dir, "std-pages-2-standard-detail")
    page.get_by_role("tab", name="正文").click()
    expect(page.locator("#tab-text .std-text")).to_be_visible()
    shoot(page, screenshot_dir, "std-pages-3-standard-text")
    page.get_by_role("tab", name="版本").click()
    expect(page.locator("[data-testid=standard-versions]")).to_be_visible()
    shoot(page, screenshot_dir, "std-pages-4-standard-versions")

    page.goto(f"/standards/{adopted.pk}/")
    page.get_by_role("tab", name="正文").click()
    shoot(page, screenshot_dir, "std-pages-5-standard-adopted-text")

    page.goto("/standards/new/")
    shoot(page, screenshot_dir, "std-pages-6-standard-propose")
    page.get_by_label("拟定编号").fill("JGSW FW 3")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("#id_number_error")).to_be_visible()
    shoot(page, screenshot_dir, "std-pages-7-standard-propose-errors")

    page.goto("/standards/adopt/")
    shoot(page, screenshot_dir, "std-pages-8-standard-adopt")

    page.goto(f"/standards/{canteen.pk}/edit/")
    shoot(page, screenshot_dir, "std-pages-9-standard-edit-in-force")

    page.context.clear_cookies()
    sign_in_as(page, worker, live_server)
    page.goto("/standards/")
    expect(page.get_by_role("heading", level=1)).to_have_text("现行标准")
    shoot(page, screenshot_dir, "std-pages-10-standard-list-worker")
