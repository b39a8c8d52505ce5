"""The standard system pages: the tree with counts and actions, the template button, node
forms, retiring with its refusal message, a node's standards, the coverage view and the
standardization settings; query counts that do not grow with the rows."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from houqin.common.models import ChangeLogEntry
from houqin.standards import services
from houqin.standards.models import Standard, StandardLine, StandardNode, StandardSettings
from houqin.standards.selectors_system import coverage_matrix
from houqin.standards.views.system import optional_url
from tests.conftest import person, signed_in
from tests.standards.builders import in_force_make

pytestmark = pytest.mark.django_db

SYSTEM = "/standards/system/"


def text(response) -> str:
    """The page's text without tags and with spaces collapsed."""
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def standard(org, node, title: str, level: str = "internal", status: str = "in_force", lines=()):
    made = Standard.objects.create(
        organization=org, node=node, title=title, level=level, status=status
    )
    StandardLine.objects.bulk_create([StandardLine(standard=made, line=line) for line in lines])
    return made


def child(org, parent, code: str, name: str) -> StandardNode:
    return StandardNode.objects.add_child(
        parent, instance=StandardNode(organization=org, code=code, name=name)
    )


def root(org, code: str, name: str) -> StandardNode:
    return StandardNode.objects.add_root(
        instance=StandardNode(organization=org, code=code, name=name)
    )


def queries(client, url: str) -> int:
    client.get(url)  # warm the per-process caches (content types, templates)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.fixture
def system(org_a, standards_officer):
    """TG 服务提供标准 › TG-01 服务规范 (one internal standard in force for 物业, one national
    standard in force, one draft, one withdrawn) and an empty TG-02."""
    in_force_make(org_a, standards_officer)  # TG-01, internal, line property
    node = StandardNode.objects.get(organization=org_a, code="TG-01")
    standard(org_a, node, "电梯维护保养规则", level="national", lines=["maintenance"])
    standard(org_a, node, "会议服务规范", status="drafting")
    standard(org_a, node, "旧规范", status="withdrawn")
    child(org_a, StandardNode.objects.get(organization=org_a, code="TG"), "TG-02", "服务提供规范")
    return node


def test_the_system_page_shows_the_tree_with_branch_counts(standards_officer, system) -> None:
    response = signed_in(standards_officer).get(SYSTEM)

    assert response.status_code == 200
    page = text(response)
    assert "TG 服务提供标准 共 3 项，现行 2 项 · 国 1 · 内 2" in page
    assert "TG-01 服务规范 共 3 项，现行 2 项 · 国 1 · 内 2" in page
    assert "TG-02 服务提供规范 暂无标准" in page
    assert 'data-bs-target="#retire-node"' in response.content.decode()
    assert 'aria-label="“服务规范”的操作"' in response.content.decode()
    assert "新建顶层节点" in page
    assert 'id="system-diagram-data"' in response.content.decode()
    assert "使用 GB/T 24421 模板创建" not in page


def test_the_structure_diagram_holds_the_nodes_in_use(standards_officer, system) -> None:
    services.node_retire(
        node=StandardNode.objects.get(code="TG-02", organization=system.organization),
        actor=standards_officer,
    )
    response = signed_in(standards_officer).get(SYSTEM)

    diagram = response.context["diagram"]
    assert diagram["name"] == "甲市机关事务服务中心标准体系"
    assert diagram["children"] == [
        {
            "name": "服务提供标准",
            "code": "TG",
            "count": 3,
            "children": [{"name": "服务规范", "code": "TG-01", "count": 3}],
        }
    ]


def test_a_reader_sees_the_tree_without_actions(department_head, system) -> None:
    response = signed_in(department_head).get(SYSTEM)

    assert response.status_code == 200
    assert "服务规范" in text(response)
    assert 'aria-label="“服务规范”的操作"' not in response.content.decode()
    assert "新建顶层节点" not in text(response)


def test_a_worker_may_not_open_the_system(worker, system) -> None:
    assert signed_in(worker).get(SYSTEM).status_code == 403


def test_an_organization_without_nodes_is_offered_the_template(
    org_a, standards_officer, department_head
) -> None:
    page = text(signed_in(standards_officer).get(SYSTEM))
    assert "还没有标准体系" in page
    assert "使用 GB/T 24421 模板创建" in page

    page = text(signed_in(department_head).get(SYSTEM))
    assert "使用 GB/T 24421 模板创建" not in page
    assert "标准体系由标准化办公室建立" in page


def test_the_template_button_creates_the_tree_once(org_a, standards_officer) -> None:
    client = signed_in(standards_officer)
    url = reverse("standards:system_template")

    response = client.post(url, follow=True)
    made = StandardNode.objects.filter(organization=org_a).count()
    assert made > 10
    assert f"已按 GB/T 24421 模板创建 {made} 个节点" in text(response)
    assert "服务保障标准" in text(response)

    response = client.post(url, follow=True)
    assert "本单位已经有标准体系，没有重复创建。" in text(response)
    assert StandardNode.objects.filter(organization=org_a).count() == made


def test_it_adds_a_child_node_and_shows_it_in_the_tree(org_a, standards_officer, system) -> None:
    client = signed_in(standards_officer)
    url = f"{reverse('standards:node_create')}?parent={system.pk}"
    page = client.get(url)
    assert "在“服务规范”下添加节点" in text(page)
    assert page.context["form"].initial["code"] == "TG-01-01"  # a suggestion

    response = client.post(url, {"code": "TG-01-01", "name": "保洁服务规范", "description": ""})

    added = StandardNode.objects.get(organization=org_a, code="TG-01-01")
    assert response.status_code == 302
    assert response["Location"] == f"{SYSTEM}#node-{added.pk}"
    assert added.depth == 3
    page = text(client.get(SYSTEM))
    assert "TG-01-01 保洁服务规范 暂无标准" in page
    assert "已添加节点“TG-01-01 保洁服务规范”。" in page


def test_the_node_form_says_what_is_wrong(standards_officer, system) -> None:
    client = signed_in(standards_officer)
    response = client.post(reverse("standards:node_create"), {"code": "TG-01", "name": ""})

    page = text(response)
    assert response.status_code == 200
    assert "体系编号“TG-01”已被使用，请换一个。" in page
    assert "请填写名称。" in page

    response = client.post(reverse("standards:node_create"), {"code": "-x", "name": "甲"})
    assert "体系编号只能用字母、数字" in text(response)


def test_it_renames_a_node(standards_officer, system) -> None:
    client = signed_in(standards_officer)
    url = reverse("standards:node_update", args=[system.pk])

    response = client.post(url, {"code": "TG-01", "name": "服务通用规范", "description": "总则"})

    assert response.status_code == 302
    system.refresh_from_db()
    assert (system.name, system.description) == ("服务通用规范", "总则")


def test_it_moves_a_node_down_and_up(org_a, standards_officer, system) -> None:
    client = signed_in(standards_officer)
    url = reverse("standards:node_move", args=[system.pk])
    parent = StandardNode.objects.get(organization=org_a, code="TG")

    client.post(url, {"direction": "down"})
    assert [n.code for n in StandardNode.objects.get_children(parent)] == ["TG-02", "TG-01"]

    response = client.post(url, {"direction": "down"}, follow=True)
    assert "已经在最后面了。" in text(response)

    client.post(url, {"direction": "up"})
    assert [n.code for n in StandardNode.objects.get_children(parent)] == ["TG-01", "TG-02"]


def test_retiring_a_branch_with_standards_in_force_shows_why_not(
    org_a, standards_officer, system
) -> None:
    parent = StandardNode.objects.get(organization=org_a, code="TG")

    response = signed_in(standards_officer).post(
        reverse("standards:node_retire", args=[parent.pk]), follow=True
    )

    page = text(response)
    assert "“服务提供标准”下还有2项现行标准" in page
    assert "请先把它们移到其他节点或废止后再停用。" in page
    assert not StandardNode.objects.filter(organization=org_a, retired=True).exists()


def test_a_retired_node_is_greyed_and_can_be_restored(org_a, standards_officer, system) -> None:
    client = signed_in(standards_officer)
    empty = StandardNode.objects.get(organization=org_a, code="TG-02")

    client.post(reverse("standards:node_retire", args=[empty.pk]))
    html = client.get(SYSTEM).content.decode()
    line = re.search(rf'<li id="node-{empty.pk}".*?</li>', html, re.S).group(0)
    assert "已停用" in line
    assert "text-secondary" in line
    assert "恢复使用" in line
    assert "添加下级节点" not in line

    response = client.post(reverse("standards:node_restore", args=[empty.pk]), follow=True)
    assert "已恢复使用“服务提供规范”及其下级节点。" in text(response)
    assert not StandardNode.objects.get(pk=empty.pk).retired


def test_the_node_page_lists_the_branch_standards_with_counts(
    org_a, standards_officer, system
) -> None:
    parent = StandardNode.objects.get(organization=org_a, code="TG")
    response = signed_in(standards_officer).get(reverse("standards:node_detail", args=[parent.pk]))

    assert response.status_code == 200
    page = text(response)
    assert "本分支的标准（4）" in page
    assert "JGSW/FW 001—2026 公共卫生间保洁规范 TG-01 服务规范 内部标准 实施 2026-04-01" in page
    assert dict((label, n) for _, label, n in response.context["level_counts"]) == {
        "国家标准": 1,
        "行业标准": 0,
        "地方标准": 0,
        "团体标准": 0,
        "内部标准": 3,
    }
    assert [(label, n) for _, label, n in response.context["status_counts"]] == [
        ("起草", 1),
        ("实施", 2),
        ("废止", 1),
    ]
    assert "TG-01 服务规范 共 3 项，现行 2 项" in page
    in_force = Standard.objects.get(number="JGSW/FW 001—2026")
    detail = optional_url("standards:standard_detail", in_force.pk)
    if detail:
        assert f'href="{detail}"' in response.content.decode()
    export = optional_url("standards:system_table_export")
    if export:
        assert f"{export}?format=xlsx&amp;node={parent.pk}" in response.content.decode()
        assert f"{export}?format=docx&amp;node={parent.pk}" in response.content.decode()


def test_the_node_page_filters_by_line_and_in_force(standards_officer, system) -> None:
    url = reverse("standards:node_detail", args=[system.pk])
    response = signed_in(standards_officer).get(f"{url}?line=maintenance&current=1")

    page = text(response)
    assert "本分支的标准（1）" in page
    assert "电梯维护保养规则" in page
    assert "条线：设施设备维护" in page
    assert "公共卫生间保洁规范" not in page


def test_the_coverage_view_counts_standards_in_force_per_line_and_node(
    org_a, standards_officer, system
) -> None:
    provide = StandardNode.objects.get(organization=org_a, code="TG-02")
    deep = child(org_a, provide, "TG-02-01", "餐饮服务")
    standard(org_a, deep, "食堂服务规范", lines=["canteen", "property"])
    standard(org_a, deep, "食堂复审中", status="under_review", lines=["canteen"])
    standard(org_a, deep, "食堂草案", status="drafting", lines=["vehicles"])
    base = root(org_a, "TY", "服务通用基础标准")
    retired = root(org_a, "OLD", "旧体系")
    services.node_retire(node=retired, actor=standards_officer)

    matrix = coverage_matrix(user=standards_officer)

    cells = {r.code: dict(r.cells) for r in matrix.rows}
    assert list(cells) == ["TG", "TG-01", "TG-02", "TY"]
    assert cells["TG"]["property"] == 2
    assert cells["TG"]["canteen"] == 2
    assert cells["TG-01"]["maintenance"] == 1
    assert cells["TG-02"]["canteen"] == 2
    assert cells["TG-02"]["vehicles"] == 0  # a draft is not in force
    assert cells["TY"]["canteen"] == 0
    gaps = {g.line: g for g in matrix.gaps}
    assert gaps["canteen"].gaps == ["服务规范", "服务通用基础标准"]
    assert gaps["property"].gaps == ["服务通用基础标准"]
    assert (gaps["property"].covered, gaps["property"].in_force) == (2, 2)
    assert (gaps["canteen"].covered, gaps["canteen"].in_force) == (1, 2)
    assert gaps["vehicles"].gaps == ["服务规范", "服务提供规范", "服务通用基础标准"]

    response = signed_in(standards_officer).get(reverse("standards:coverage"))
    page = text(response)
    assert "物业保洁 2 项 2 个 1 处空白 服务通用基础标准" in page
    assert "按下表最细一级的 3 个节点统计" in page
    html = response.content.decode()
    assert html.count('data-gap="vehicles"') == 3
    assert f'href="/standards/system/nodes/{base.pk}/?line=canteen&amp;current=1"' not in html
    assert f"/standards/system/nodes/{provide.pk}/?line=canteen&amp;current=1" in html


def test_the_coverage_view_without_a_tree_says_what_to_do(standards_officer) -> None:
    page = text(signed_in(standards_officer).get(reverse("standards:coverage")))
    assert "先在“标准体系”中建立体系节点" in page


def test_the_settings_page_saves_and_logs(org_a, standards_officer) -> None:
    client = signed_in(standards_officer)
    url = reverse("standards:settings")
    assert "JGSW/FW 003—2026" in text(client.get(url))

    response = client.post(
        url, {"internal_prefix": "hqfw", "review_years": 3, "acknowledge_days": 7}, follow=True
    )

    assert "标准化设置已保存。" in text(response)
    stored = StandardSettings.objects.get(organization=org_a)
    assert (stored.internal_prefix, stored.review_years, stored.acknowledge_days) == (
        "HQFW",
        3,
        7,
    )
    entry = ChangeLogEntry.objects.get(object_id=str(stored.pk), action="update")
    assert entry.changes["internal_prefix"] == ["JGSW", "HQFW"]
    assert "HQFW/FW 003—2026" in text(response)


def test_the_settings_page_refuses_bad_values(org_a, standards_officer) -> None:
    response = signed_in(standards_officer).post(
        reverse("standards:settings"),
        {"internal_prefix": "JG/SW", "review_years": 0, "acknowledge_days": 500},
    )

    page = text(response)
    assert "前缀用 2～16 个大写字母或数字" in page
    assert "复审周期请填写 1～10 年。" in page
    assert "阅读确认期限请填写 1～180 天。" in page
    assert services.settings_for(org_a).internal_prefix == "JGSW"


def test_only_the_standards_office_changes_the_settings(leader, department_head) -> None:
    for someone in (leader, department_head):
        assert signed_in(someone).get(reverse("standards:settings")).status_code == 403


def many_nodes(org, count: int) -> StandardNode:
    """``count`` nodes under one root, each holding one standard governing a line."""
    top = root(org, "M", "服务保障标准")
    lines = ["canteen", "vehicles", "property"]
    for i in range(count):
        node = child(org, top, f"M-{i:02d}", f"节点{i}")
        standard(org, node, f"标准{i}", lines=[lines[i % 3]])
    return top


def test_the_system_page_queries_do_not_grow_with_the_tree(org_a, standards_officer) -> None:
    client = signed_in(standards_officer)
    many_nodes(org_a, 2)
    few = queries(client, SYSTEM)
    many_nodes_extra = root(org_a, "N", "服务提供标准")
    for i in range(30):
        node = child(org_a, many_nodes_extra, f"N-{i:02d}", f"提供{i}")
        standard(org_a, node, f"提供标准{i}", lines=["meetings"])

    assert queries(client, SYSTEM) == few
    assert few <= 8  # session, user, nodes, counts, the shell


def test_the_node_and_coverage_pages_queries_do_not_grow(org_a, standards_officer) -> None:
    client = signed_in(standards_officer)
    top = many_nodes(org_a, 2)
    node_url = reverse("standards:node_detail", args=[top.pk])
    coverage_url = reverse("standards:coverage")
    few_node, few_coverage = queries(client, node_url), queries(client, coverage_url)

    for i in range(2, 32):
        node = child(org_a, top, f"M-{i:02d}", f"节点{i}")
        standard(org_a, node, f"标准{i}", lines=["canteen", "meetings"])

    assert queries(client, node_url) == few_node
    assert queries(client, coverage_url) == few_coverage
    assert few_node <= 10


def test_each_organization_sees_only_its_own_tree(org_a, org_b, standards_officer, system) -> None:
    root(org_b, "B", "乙的体系")
    officer_b = person(org_b, "bob-b", "standards_officer")

    assert "乙的体系" not in text(signed_in(standards_officer).get(SYSTEM))
    page = text(signed_in(officer_b).get(SYSTEM))
    assert "乙的体系" in page
    assert "服务规范" not in page
    response = signed_in(officer_b).get(reverse("standards:node_detail", args=[system.pk]))
    assert response.status_code == 404
