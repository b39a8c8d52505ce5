"""Reads of standards: who sees which standards, node and people choices, the version a
standard's page shows first, overdue reviews; and the rules of the standard services the
pages call (relations, numbers, edits by state, deleting a proposal)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Model
from django.http import Http404
from django.utils import timezone

from houqin.common.attachments import attachment_add, attachments_for, attachments_for_compiled
from houqin.common.changelog import changelog_entries, changelog_entries_compiled
from houqin.common.models import ChangeLogEntry
from houqin.org.models import Organization, Post
from houqin.standards.models import Standard, StandardNode
from houqin.standards.selectors import (
    Ref,
    node_choices,
    proposer_choices,
    review_overdue,
    sees_all_standards,
    standard_get,
    standard_list,
    standard_page_get,
    standard_related,
    standard_versions,
    standard_visible,
    version_in_force,
)
from houqin.standards.services import (
    standard_adopt,
    standard_delete,
    standard_propose,
    standard_update,
    version_new_draft,
)
from tests.conftest import person

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def with_status(org, node, title: str, status: str) -> Standard:
    made = standard_propose(
        organization=org, actor=None, data={"title": title, "node": node, "reason": "测试"}
    )
    Standard.objects.filter(pk=made.pk).update(status=status)
    made.refresh_from_db()
    return made


@pytest.fixture
def states(org_a, node):
    return {
        status: with_status(org_a, node, f"标准-{status}", status)
        for status, _ in Standard.Status.choices
    }


@pytest.mark.parametrize(
    ("role", "sees_all"),
    [
        ("standards_officer", True),
        ("leader", True),
        ("department_head", True),
        ("worker", False),
        ("vendor_worker", False),
    ],
)
def test_who_sees_drafts(role, sees_all, request, states) -> None:
    user = request.getfixturevalue(role)
    assert sees_all_standards(user) is sees_all
    seen = set(standard_list(user=user).values_list("status", flat=True))
    if sees_all:
        assert seen == set(Standard.Status.values)
    else:
        assert seen == {"in_force", "under_review", "revising"}


def test_a_worker_cannot_reach_a_draft_by_its_id(worker, states) -> None:
    assert standard_get(user=worker, pk=states["in_force"].pk) == states["in_force"]
    with pytest.raises(Http404):
        standard_get(user=worker, pk=states["drafting"].pk)


def test_an_outsider_reaches_nothing(org_b, states) -> None:
    reader = person(org_b, "b-leader", "leader")
    assert not standard_list(user=reader).exists()
    with pytest.raises(Http404):
        standard_get(user=reader, pk=states["in_force"].pk)


def test_the_page_read_reaches_exactly_what_for_user_reaches(
    org_a, org_b, states, standards_officer, leader, department_head, worker, vendor_worker
) -> None:
    """``standard_page_get`` runs one statement per shape for everyone: asked in turn, each
    person gets what their own ``for_user`` gives, never what the one before was given."""
    bureau = Organization.objects.create(code="bureau", name="市机关事务管理局", kind="bureau")
    org_a.parent = bureau
    org_a.save()
    people = [
        standards_officer,
        worker,
        leader,
        person(bureau, "bureau-reader", "bureau_reader"),
        vendor_worker,
        department_head,
        person(org_b, "b-leader", "leader"),
    ]
    outcomes = set()
    for action in ("view", "change", "view"):
        for user in people:
            for standard in states.values():
                rows = standard_visible(user=user, action=action).filter(pk=standard.pk)
                try:
                    found = standard_page_get(user=user, pk=standard.pk, action=action) == standard
                except Http404:
                    found = False
                assert found is rows.exists(), (user.username, action, standard.status)
                outcomes.add((user.username, action, found))
    assert ("bureau-reader", "view", True) in outcomes
    assert ("bureau-reader", "change", True) not in outcomes
    assert ("dora", "view", False) in outcomes and ("dora", "view", True) in outcomes
    assert ("b-leader", "view", True) not in outcomes


def test_the_related_rows_of_a_standard_in_one_statement(
    org_a, node, in_force, django_assert_num_queries
) -> None:
    posts = [
        Post.objects.create(organization=org_a, code=c, name=n)
        for c, n in [("B", "乙"), ("A", "甲")]
    ]
    proposal = standard_propose(
        organization=org_a,
        actor=None,
        data={"title": "修订稿", "node": node, "reason": "y", "replaces": [in_force]},
        lines=["property", "canteen"],
        posts=posts,
    )
    with django_assert_num_queries(1):
        related = standard_related(proposal)
    assert related == {
        "lines": ["物业保洁", "机关食堂"],
        "posts": [Ref(posts[0].pk, "乙"), Ref(posts[1].pk, "甲")],
        "replaces": [Ref(in_force.pk, "JGSW/FW 001—2026 公共卫生间保洁规范")],
        "replaced_by": [],
    }
    assert standard_related(in_force)["replaced_by"] == [Ref(proposal.pk, "修订稿")]
    assert standard_related(in_force)["lines"] == ["物业保洁"]


def _values(row: Model | None) -> list[Any] | None:
    return None if row is None else [getattr(row, f.attname) for f in row._meta.concrete_fields]


def test_the_page_read_loads_what_select_related_loads(
    standards_officer, department, in_force, django_assert_num_queries
) -> None:
    Standard.objects.filter(pk=in_force.pk).update(
        owner_department=department, proposer=standards_officer, english_title="Toilets"
    )
    for standard in (
        in_force,
        with_status(in_force.organization, in_force.node, "无归口", "drafting"),
    ):
        rows = Standard.objects.select_related("node", "owner_department", "proposer")
        expected = rows.get(pk=standard.pk)
        found = standard_get(user=standards_officer, pk=standard.pk, related=False)
        with django_assert_num_queries(0):
            assert _values(found) == _values(expected)
            for name in ("node", "owner_department", "proposer"):
                assert _values(getattr(found, name)) == _values(getattr(expected, name))
    Standard.objects.filter(pk=in_force.pk).update(status="revising")
    version_new_draft(standard=in_force, actor=standards_officer)
    expected_versions = list(in_force.versions.select_related("edited_by").order_by("-seq"))
    versions = standard_versions(standard=in_force)
    with django_assert_num_queries(0):
        assert [_values(v) for v in versions] == [_values(v) for v in expected_versions]
        assert [_values(v.edited_by) for v in versions] == [
            _values(v.edited_by) for v in expected_versions
        ]


def test_the_page_reads_the_change_log_and_attachments_as_the_detail_view_does(
    standards_officer, in_force
) -> None:
    standard_update(standard=in_force, actor=standards_officer, data={"title": "新名称"})
    attachment_add(
        obj=in_force, upload=SimpleUploadedFile("记录表.pdf", PDF), actor=standards_officer
    )
    expected = changelog_entries(in_force)
    found = changelog_entries_compiled(in_force)
    assert len(found) == len(expected) >= 2
    assert [_values(e) for e in found] == [_values(e) for e in expected]
    assert [e.labelled for e in found] == [e.labelled for e in expected]
    listed, compiled = attachments_for(in_force), attachments_for_compiled(in_force)
    assert len(compiled) == len(listed) == 1
    assert (compiled.upload_url, compiled.dom_id) == (listed.upload_url, listed.dom_id)
    for a, b in zip(compiled, listed, strict=True):
        assert _values(a) == _values(b)
        assert (a.download_url, a.thumb_url, a.delete_url) == (
            b.download_url,
            b.thumb_url,
            b.delete_url,
        )


def test_node_choices_are_indented_in_tree_order(org_a, org_b, node) -> None:
    root = StandardNode.objects.get(organization=org_a, code="TG")
    old = StandardNode.objects.add_child(
        root, instance=StandardNode(organization=org_a, code="TG-02", name="旧节点", retired=True)
    )
    StandardNode.objects.add_root(instance=StandardNode(organization=org_b, code="X", name="乙"))
    assert node_choices(organization_id=org_a.pk) == [
        (root.pk, "TG 服务提供标准"),
        (node.pk, "　TG-01 服务规范"),
        (old.pk, "　TG-02 旧节点（已停用）"),
    ]
    active = node_choices(organization_id=org_a.pk, active_only=True)
    assert [pk for pk, _ in active] == [root.pk, node.pk]
    kept = node_choices(organization_id=org_a.pk, active_only=True, keep=old.pk)
    assert [pk for pk, _ in kept] == [root.pk, node.pk, old.pk]


def test_proposer_choices_are_active_people_sorted_by_pinyin(
    org_a, org_b, standards_officer, worker, leader, system_admin
) -> None:
    person(org_a, "gone", "worker", name="阿离职", is_active=False)
    person(org_b, "other", "worker", name="安外单位")
    names = [name for _, name in proposer_choices(organization_id=org_a.pk)]
    assert names == ["李标准", "张领导", "赵师傅"]  # li, zhang, zhao


def test_the_version_shown_first(standards_officer, in_force) -> None:
    published = in_force.versions.get()
    Standard.objects.filter(pk=in_force.pk).update(status="revising")
    draft = version_new_draft(standard=in_force, actor=standards_officer)
    versions = standard_versions(standard=in_force)
    assert versions == [draft, published]
    assert version_in_force(versions) == published
    assert standard_versions(standard=in_force, drafts=False) == [published]
    assert version_in_force([draft]) == draft
    assert version_in_force([]) is None


def test_an_overdue_review_is_one_of_a_standard_in_force(states) -> None:
    today = timezone.localdate()
    for standard in states.values():
        standard.review_due_on = today - timedelta(days=1)
    assert {s.status for s in states.values() if review_overdue(s, today)} == {
        "in_force",
        "under_review",
        "revising",
    }
    states["in_force"].review_due_on = today
    assert not review_overdue(states["in_force"], today)


def test_propose_refuses_a_used_number_on_its_field(org_a, node, in_force) -> None:
    with pytest.raises(ValidationError) as caught:
        standard_propose(
            organization=org_a,
            actor=None,
            data={"title": "x", "node": node, "reason": "y", "number": "JGSW/FW 001-2026"},
        )
    assert caught.value.message_dict == {
        "number": ["标准编号“JGSW/FW 001—2026”已被使用，请换一个。"]
    }


def test_propose_refuses_posts_and_replaced_standards_of_another_organization(
    org_a, org_b, node
) -> None:
    foreign_post = Post.objects.create(organization=org_b, code="P", name="外岗位")
    with pytest.raises(ValidationError) as caught:
        standard_propose(
            organization=org_a,
            actor=None,
            data={"title": "x", "node": node, "reason": "y"},
            posts=[foreign_post],
        )
    assert "posts" in caught.value.message_dict


def test_update_refuses_to_replace_itself(standards_officer, states) -> None:
    target = states["proposed"]
    with pytest.raises(ValidationError) as caught:
        standard_update(standard=target, actor=standards_officer, data={"replaces": [target]})
    assert caught.value.message_dict == {"replaces": ["标准不能代替它自己。"]}


def test_update_keeps_a_published_number_even_when_the_form_changed_the_instance(
    standards_officer, in_force
) -> None:
    in_force.number = "JGSW/FW 002—2026"  # what a bound model form does to its instance
    with pytest.raises(ValidationError) as caught:
        standard_update(
            standard=in_force, actor=standards_officer, data={"number": "JGSW/FW 002—2026"}
        )
    assert "编号不能修改" in caught.value.message_dict["number"][0]


def test_update_never_writes_back_a_stale_status(standards_officer, states) -> None:
    target = states["drafting"]
    Standard.objects.filter(pk=target.pk).update(status="consultation")
    standard_update(standard=target, actor=standards_officer, data={"title": "新名称"})
    target.refresh_from_db()
    assert target.status == "consultation" and target.title == "新名称"


def test_update_refuses_switching_internal_and_external_after_the_proposal(
    standards_officer, states
) -> None:
    with pytest.raises(ValidationError) as caught:
        standard_update(
            standard=states["drafting"], actor=standards_officer, data={"level": "national"}
        )
    assert "level" in caught.value.message_dict
    standard_update(standard=states["proposed"], actor=standards_officer, data={"level": "local"})


def test_update_logs_fields_and_relations_in_one_entry(standards_officer, states, org_a) -> None:
    post = Post.objects.create(organization=org_a, code="BJ", name="保洁员")
    target = states["drafting"]
    standard_update(
        standard=target,
        actor=standards_officer,
        data={"title": "新名称", "replaces": [states["in_force"]]},
        lines=["property"],
        posts=[post],
    )
    entry = ChangeLogEntry.objects.get(object_id=str(target.pk), action="update")
    assert entry.changes["title"] == ["标准-drafting", "新名称"]
    assert entry.changes["适用条线"] == ["", "物业保洁"]
    assert entry.changes["适用岗位"] == ["", "保洁员"]
    assert entry.changes["代替标准"] == ["", "标准-in_force"]


def test_adopt_checks_the_dates_and_records_the_registration(org_a, node, standards_officer):
    data = {
        "number": "GB 31654—2021",
        "title": "食品安全国家标准 餐饮服务通用卫生规范",
        "level": "national",
        "node": node,
        "published_on": date(2021, 2, 22),
        "effective_on": date(2020, 1, 1),
    }
    with pytest.raises(ValidationError) as caught:
        standard_adopt(organization=org_a, actor=standards_officer, data=data)
    assert caught.value.message_dict == {"effective_on": ["实施日期不能早于发布日期。"]}
    made = standard_adopt(
        organization=org_a,
        actor=standards_officer,
        data={**data, "effective_on": date(2022, 2, 22)},
        lines=["canteen"],
    )
    assert made.status == "in_force" and made.review_years == 5
    entry = ChangeLogEntry.objects.get(object_id=str(made.pk))
    assert entry.note == "登记采用的外部标准" and entry.changes["适用条线"] == [None, "机关食堂"]


def test_delete_only_a_proposal_without_versions(standards_officer, states, draft) -> None:
    for status in ("drafting", "in_force", "withdrawn"):
        with pytest.raises(ValidationError):
            standard_delete(standard=states[status], actor=standards_officer)
    Standard.objects.filter(pk=draft.pk).update(status="proposed")
    with pytest.raises(ValidationError) as caught:
        standard_delete(standard=draft, actor=standards_officer)
    assert "已经有了草案" in caught.value.messages[0]
    standard_delete(standard=states["proposed"], actor=standards_officer)
    assert not Standard.objects.filter(pk=states["proposed"].pk).exists()
