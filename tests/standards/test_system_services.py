"""The standard system tree: the GB/T 24421 template, adding, renaming, reordering, retiring
and restoring nodes (services)."""

from __future__ import annotations

import sys
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError

from houqin.common.models import ChangeLogEntry
from houqin.standards import services
from houqin.standards.models import Standard, StandardNode
from tests.standards.builders import draft_make, in_force_make

pytestmark = pytest.mark.django_db

SMALL_TREE = (
    ("A", "服务通用基础标准", (("A-1", "标准化导则", ()),)),
    ("B", "服务保障标准", ()),
    ("C", "服务提供标准", (("C-1", "服务规范", ()), ("C-2", "服务提供规范", ()))),
)


def codes(org) -> list[str]:
    return list(StandardNode.objects.filter(organization=org).values_list("code", flat=True))


def add(org, actor, code: str, parent=None, name: str = "节点") -> StandardNode:
    return services.node_add(
        organization=org, actor=actor, parent=parent, data={"code": code, "name": name}
    )


@pytest.fixture
def small_template(monkeypatch: pytest.MonkeyPatch) -> None:
    """A small stand-in for system_template.TREE, so these tests do not follow its edits."""
    monkeypatch.setitem(
        sys.modules, "houqin.standards.system_template", SimpleNamespace(TREE=SMALL_TREE)
    )


def test_it_creates_the_template_tree_once(org_a, standards_officer, small_template) -> None:
    made = services.system_template_create(organization=org_a, actor=standards_officer)

    assert made == 6
    assert codes(org_a) == ["A", "A-1", "B", "C", "C-1", "C-2"]
    assert services.system_template_create(organization=org_a, actor=standards_officer) == 0
    assert codes(org_a) == ["A", "A-1", "B", "C", "C-1", "C-2"]
    logged = ChangeLogEntry.objects.filter(object_repr__startswith="C-2", action="create")
    assert logged.get().note == "按 GB/T 24421 模板创建"


def test_it_creates_the_real_template_with_the_three_subsystems_and_posts(
    org_a, standards_officer
) -> None:
    from houqin.standards.system_template import TREE

    def count(entries) -> int:
        return sum(1 + count(children) for _, _, children in entries)

    made = services.system_template_create(organization=org_a, actor=standards_officer)

    assert made == count(TREE) == StandardNode.objects.filter(organization=org_a).count()
    roots = list(
        StandardNode.objects.filter(organization=org_a, depth=1).values_list("name", flat=True)
    )
    for subsystem in ("服务通用基础", "服务保障", "服务提供", "岗位"):
        assert any(name.startswith(subsystem) for name in roots), subsystem


def test_it_does_not_give_the_template_to_an_organization_that_has_nodes(
    org_a, standards_officer, node
) -> None:
    assert services.system_template_create(organization=org_a, actor=standards_officer) == 0
    assert codes(org_a) == ["TG", "TG-01"]


def test_each_organization_gets_its_own_template(
    org_a, org_b, standards_officer, small_template
) -> None:
    services.system_template_create(organization=org_a, actor=standards_officer)
    services.system_template_create(organization=org_b, actor=None)

    assert codes(org_b) == codes(org_a)


def test_it_adds_a_child_last_among_its_siblings(org_a, standards_officer) -> None:
    root = add(org_a, standards_officer, "TG", name="服务提供标准")
    first = add(org_a, standards_officer, "TG-01", root)
    second = add(org_a, standards_officer, "TG-02", root)

    children = StandardNode.objects.get_children(root)
    assert [n.pk for n in children] == [first.pk, second.pk]
    entry = ChangeLogEntry.objects.get(object_id=str(second.pk))
    assert entry.note == "上级节点：TG 服务提供标准"


def test_a_code_is_unique_in_the_organization(org_a, org_b, standards_officer) -> None:
    add(org_a, standards_officer, "TG")
    add(org_b, None, "TG")  # another organization may use it

    with pytest.raises(ValidationError) as error:
        add(org_a, standards_officer, "TG")
    assert error.value.message_dict["code"] == ["体系编号“TG”已被使用，请换一个。"]


def test_it_refuses_a_parent_of_another_organization_or_retired(
    org_a, org_b, standards_officer
) -> None:
    foreign = add(org_b, None, "X")
    with pytest.raises(ValidationError, match="上级节点不属于本单位"):
        add(org_a, standards_officer, "Y", foreign)

    retired = add(org_a, standards_officer, "R")
    services.node_retire(node=retired, actor=standards_officer)
    with pytest.raises(ValidationError, match="停用的节点下不能再加节点"):
        add(org_a, standards_officer, "R-1", retired)


def test_it_renames_a_node_and_logs_the_change(org_a, standards_officer, node) -> None:
    services.node_update(
        node=node, actor=standards_officer, data={"code": "TG-09", "name": "服务通用规范"}
    )

    node.refresh_from_db()
    assert (node.code, node.name) == ("TG-09", "服务通用规范")
    entry = ChangeLogEntry.objects.filter(object_id=str(node.pk), action="update").get()
    assert entry.changes["name"] == ["服务规范", "服务通用规范"]


def test_it_moves_a_node_among_its_siblings(org_a, standards_officer) -> None:
    root = add(org_a, standards_officer, "TG")
    a, b, c = (add(org_a, standards_officer, code, root) for code in ("A", "B", "C"))

    services.node_move(node=c, actor=standards_officer, direction="up")
    assert [n.code for n in StandardNode.objects.get_children(root)] == ["A", "C", "B"]

    services.node_move(node=a, actor=standards_officer, direction="down")
    assert [n.code for n in StandardNode.objects.get_children(root)] == ["C", "A", "B"]

    with pytest.raises(ValidationError, match="已经在最前面了"):
        services.node_move(node=StandardNode.objects.get(pk=c.pk), actor=None, direction="up")
    with pytest.raises(ValidationError, match="已经在最后面了"):
        services.node_move(node=StandardNode.objects.get(pk=b.pk), actor=None, direction="down")


def test_moving_a_top_level_node_skips_other_organizations(org_a, org_b, standards_officer) -> None:
    first = add(org_a, standards_officer, "A1")
    add(org_b, None, "B1")  # roots of every organization share one level of the tree
    second = add(org_a, standards_officer, "A2")
    add(org_b, None, "B2")

    with pytest.raises(ValidationError, match="已经在最后面了"):
        services.node_move(node=second, actor=standards_officer, direction="down")
    services.node_move(node=second, actor=standards_officer, direction="up")

    ordered = StandardNode.objects.filter(organization=org_a, depth=1).order_by("path")
    assert [n.code for n in ordered] == ["A2", "A1"]
    assert StandardNode.objects.get(pk=first.pk).depth == 1
    assert codes(org_b) == ["B1", "B2"]


def test_retiring_is_refused_while_a_standard_in_force_sits_in_the_branch(
    org_a, standards_officer
) -> None:
    standard = in_force_make(org_a, standards_officer)
    root = StandardNode.objects.get(organization=org_a, code="TG")

    with pytest.raises(ValidationError) as error:
        services.node_retire(node=root, actor=standards_officer)

    assert error.value.messages == [
        "“服务提供标准”下还有1项现行标准（JGSW/FW 001—2026 公共卫生间保洁规范），"
        "请先把它们移到其他节点或废止后再停用。"
    ]
    assert not StandardNode.objects.filter(organization=org_a, retired=True).exists()
    assert standard.node.code == "TG-01"


@pytest.mark.parametrize("status", ["under_review", "revising"])
def test_a_standard_under_review_or_revision_still_counts_as_in_force(
    org_a, standards_officer, status: str
) -> None:
    standard = in_force_make(org_a, standards_officer)
    Standard.objects.filter(pk=standard.pk).update(status=status)

    with pytest.raises(ValidationError, match="1项现行标准"):
        services.node_retire(node=standard.node, actor=standards_officer)


def test_it_retires_a_branch_holding_only_drafts(org_a, standards_officer) -> None:
    draft = draft_make(org_a, standards_officer)
    root = StandardNode.objects.get(organization=org_a, code="TG")

    services.node_retire(node=root, actor=standards_officer)

    assert set(
        StandardNode.objects.filter(organization=org_a).values_list("retired", flat=True)
    ) == {True}
    assert Standard.objects.get(pk=draft.pk).node.retired
    with pytest.raises(ValidationError, match="已经停用"):
        services.node_retire(node=root, actor=standards_officer)


def test_it_restores_a_branch_only_under_a_parent_in_use(org_a, standards_officer, node) -> None:
    root = StandardNode.objects.get(organization=org_a, code="TG")
    services.node_retire(node=root, actor=standards_officer)

    with pytest.raises(ValidationError, match="上级节点“服务提供标准”已停用，请先恢复上级节点"):
        services.node_restore(node=StandardNode.objects.get(pk=node.pk), actor=standards_officer)

    services.node_restore(node=root, actor=standards_officer)
    assert not StandardNode.objects.filter(organization=org_a, retired=True).exists()
    with pytest.raises(ValidationError, match="没有停用"):
        services.node_restore(node=root, actor=standards_officer)
