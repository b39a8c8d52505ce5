"""The core of the standards model: numbering, provision kinds, number formats, clause
edits with optimistic locking, immutability of published versions, identity across
versions."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from houqin.standards import clauses as ops
from houqin.standards.models import Clause
from houqin.standards.numbers import normalized, number_error
from houqin.standards.provisions import provision_kind
from houqin.standards.services import version_new_draft
from tests.standards.builders import n

pytestmark = pytest.mark.django_db


def numbers(version) -> list[tuple[str, str]]:
    return [(i.clause.kind, i.clause.number) for i in ops.walk(ops.version_items(version))]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("保洁员应每2 h保洁1次。", "requirement"),
        ("不应使用含氯清洁剂。", "requirement"),
        ("宜在8:00前完成。", "recommendation"),
        ("可使用自动感应设备。", "permission"),
        ("供应商提供票据。", "statement"),
        ("应急照明可能失效。", "statement"),
    ],
)
def test_provision_kind_comes_from_the_modal_verb(text: str, kind: str) -> None:
    assert provision_kind(text) == kind


@pytest.mark.parametrize(
    ("number", "level", "ok"),
    [
        ("GB/T 24421.1-2023", "national", True),
        ("GB 31654—2021", "national", True),
        ("DB64/T 1773—2021", "local", True),
        ("DB3206/T 1088—2024", "local", True),
        ("T/CAS 290—2017", "group", True),
        ("WB/T 1001—2020", "industry", True),
        ("JGSW/FW 003—2026", "internal", True),
        ("JGSW FW 3", "internal", False),
        ("GB/T24421", "national", False),
        ("DB641/T 1—2021", "local", False),
        ("GB/T 1.1—20", "national", False),
    ],
)
def test_numbers_follow_their_level_format(number: str, level: str, ok: bool) -> None:
    assert (number_error(normalized(number), level, "JGSW") == "") is ok


def test_numbering_follows_gbt_1_1(draft) -> None:
    version = draft.versions.get()
    assert numbers(version) == [
        ("foreword", ""),
        ("paragraph", ""),
        ("scope", "1"),
        ("paragraph", ""),
        ("chapter", "2"),
        ("clause", "2.1"),
        ("paragraph", ""),
        ("clause", "2.2"),
        ("paragraph", ""),
        ("note", "注"),
    ]


def test_clause_edits_renumber_and_refuse_a_stale_revision(draft, standards_officer) -> None:
    version = draft.versions.get()
    first = version.clauses.get(number="2.1")
    revision = version.revision
    moved = ops.clause_move(
        clause=first, actor=standards_officer, base_revision=revision, direction="down"
    )
    assert moved.number == "2.2"
    with pytest.raises(ops.ConflictError, match="刷新页面"):
        ops.clause_edit(clause=moved, actor=standards_officer, base_revision=revision, text="x")
    ops.clause_move(
        clause=moved, actor=standards_officer, base_revision=revision + 1, direction="indent"
    )
    assert version.clauses.get(pk=moved.pk).number == "2.1.1"


def test_split_and_merge(draft, standards_officer) -> None:
    version = draft.versions.get()
    para = version.clauses.get(text="保洁员应每2 h保洁1次。")
    new = ops.clause_split(clause=para, actor=standards_officer, base_revision=None, at=8)
    assert (para.text if para.refresh_from_db() is None else "") == "保洁员应每2 h"
    assert new.text == "保洁1次。"
    merged = ops.clause_merge(clause=para, actor=standards_officer, base_revision=None)
    assert merged.text == "保洁员应每2 h保洁1次。"
    assert not Clause.objects.filter(pk=new.pk).exists()


def test_terms_annexes_tables_and_lists_are_numbered(draft, standards_officer) -> None:
    version = draft.versions.get()
    ops.tree_load(
        version=version,
        nodes=(
            n(
                "terms",
                title="术语和定义",
                children=(n("term", term="留样"), n("term", term="保洁")),
            ),
            n(
                "annex",
                title="记录表",
                annex_type="informative",
                children=(
                    n("clause", title="填写", children=(n("table", title="记录"),)),
                    n("clause", title="保存"),
                ),
            ),
        ),
    )
    scope = version.clauses.get(kind="chapter")
    ops.tree_load(
        version=version,
        parent=scope,
        nodes=(
            n("list_item", "甲"),
            n("list_item", "乙", children=(n("list_item", "丙", style="numeric"),)),
        ),
    )
    got = dict((c.text or c.title or c.extra.get("term"), c.number) for c in version.clauses.all())
    assert got["留样"] == "3.1" and got["保洁"] == "3.2"
    assert got["记录表"] == "附录A" and got["填写"] == "A.1" and got["记录"] == "表A.1"
    assert got["甲"] == "a)" and got["乙"] == "b)" and got["丙"] == "1)"


def test_published_versions_are_immutable(in_force, standards_officer) -> None:
    version = in_force.versions.get()
    clause = version.clauses.first()
    clause.text = "改"
    with pytest.raises(ValidationError):
        clause.save()
    with pytest.raises(ValidationError):
        ops.clause_edit(clause=clause, actor=standards_officer, base_revision=None, text="改")
    assert version.clauses.update(text="改") == 0
    with pytest.raises(ValidationError):
        version.delete()


def test_a_revision_keeps_clause_identity(in_force, standards_officer) -> None:
    first = in_force.versions.get()
    second = version_new_draft(standard=in_force, actor=standards_officer)
    assert second.seq == 2 and second.based_on == first
    assert set(first.clauses.values_list("uid", flat=True)) == set(
        second.clauses.values_list("uid", flat=True)
    )
    assert version_new_draft(standard=in_force, actor=standards_officer) == second
