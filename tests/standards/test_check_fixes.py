"""The checker's safe fixes on a stored draft (one, or every safe one in passes, undone as
one change) and the editor's live check of one saved clause."""

from __future__ import annotations

import pytest
from django.urls import reverse

from houqin.common.models import ChangeLogEntry
from houqin.standards.clauses import ConflictError, tree_load
from houqin.standards.models import Clause
from houqin.standards.services.checks import version_check
from houqin.standards.services.fixes import applicable, fix_key, fixes_apply, fixes_undo
from tests.conftest import signed_in
from tests.standards.builders import n
from tests.standards.test_standard_pages import queries

pytestmark = pytest.mark.django_db

MESSY = "保洁员应在３０分钟内到场，温度保持在20℃-26℃。"
CLEAN = "保洁员应在30分钟内到场，温度保持在20 ℃～26 ℃。"


@pytest.fixture
def messy(draft):
    """A draft with one paragraph holding three safe faults (full-width digits, a range
    joined by a hyphen, no space before ℃) and one that needs a person (必须)."""
    version = draft.versions.get()
    tree_load(
        version=version,
        nodes=[
            n(
                "chapter",
                title="现场要求",
                children=(n("paragraph", MESSY), n("paragraph", "保洁员必须佩戴工牌。")),
            )
        ],
    )
    return version


def _clause(version, text_start: str) -> Clause:
    return Clause.objects.get(version=version, text__contains=text_start)


def _fixes(version, rule: str):
    return [i for i in version_check(version).issues if i.rule == rule and applicable(i)]


def test_one_fix_applies_only_while_the_text_is_as_checked(messy, standards_officer) -> None:
    hit = _fixes(messy, "S-CHAR-01")[0]
    outcome = fixes_apply(
        version=messy, actor=standards_officer, base_revision=messy.revision, key=fix_key(hit)
    )
    assert outcome.applied == 1
    assert _clause(messy, "分钟内到场").text == MESSY.replace("３０", "30")
    assert not _fixes(messy, "S-CHAR-01")
    with pytest.raises(Exception, match="不再适用"):
        fixes_apply(
            version=messy, actor=standards_officer, base_revision=outcome.revision, key=fix_key(hit)
        )


def test_fix_all_applies_every_safe_fix_in_passes_and_leaves_the_rest(
    messy, standards_officer
) -> None:
    outcome = fixes_apply(version=messy, actor=standards_officer, base_revision=messy.revision)
    assert outcome.applied >= 3
    assert _clause(messy, "分钟内到场").text == CLEAN
    assert _clause(messy, "必须佩戴工牌").text == "保洁员必须佩戴工牌。"  # meaning: a person's call
    standing = version_check(messy)
    assert not [i for i in standing.issues if applicable(i)]
    assert "S-VERB-01" in {i.rule for i in standing.errors}
    entry = ChangeLogEntry.objects.filter(object_id=messy.standard_id).latest("pk")
    assert f"修正 {outcome.applied} 处" in entry.changes["起草规则修正"][1]


def test_fix_all_undoes_as_one_change(messy, standards_officer) -> None:
    before = {c.pk: (c.position, c.text) for c in Clause.objects.filter(version=messy)}
    outcome = fixes_apply(version=messy, actor=standards_officer, base_revision=messy.revision)
    assert Clause.objects.filter(version=messy).count() > len(before)  # the foreword's notices
    fixes_undo(version=messy, actor=standards_officer, outcome=outcome)
    after = {c.pk: (c.position, c.text) for c in Clause.objects.filter(version=messy)}
    assert after == before


def test_undo_is_refused_once_the_draft_moved_on(messy, standards_officer) -> None:
    outcome = fixes_apply(version=messy, actor=standards_officer, base_revision=messy.revision)
    tree_load(version=messy, nodes=[n("chapter", title="新增一章")])
    messy.refresh_from_db()
    messy.revision += 1
    messy.save(update_fields=["revision"])
    with pytest.raises(ConflictError):
        fixes_undo(version=messy, actor=standards_officer, outcome=outcome)
    assert _clause(messy, "分钟内到场").text == CLEAN


def test_a_stale_revision_applies_nothing(messy, standards_officer) -> None:
    with pytest.raises(ConflictError):
        fixes_apply(version=messy, actor=standards_officer, base_revision=messy.revision - 1)
    assert _clause(messy, "分钟内到场").text == MESSY


def test_the_panel_previews_applies_and_undoes(messy, standards_officer) -> None:
    client = signed_in(standards_officer)
    panel_url = reverse("standards:version_check", args=[messy.pk])
    panel = client.get(panel_url, HTTP_HX_REQUEST="true").content.decode()
    assert "预览修正" in panel and "一键修正全部" in panel
    assert "<del>３０</del><ins>30</ins>" in panel  # before/after, the changed words marked
    response = client.post(
        reverse("standards:check_fix", args=[messy.pk]), {"revision": messy.revision}
    )
    assert response.status_code == 302 and response["Location"].endswith("#check")
    assert _clause(messy, "分钟内到场").text == CLEAN
    panel = client.get(panel_url, HTTP_HX_REQUEST="true").content.decode()
    assert "撤销这次修正" in panel
    client.post(reverse("standards:check_fix_undo", args=[messy.pk]))
    assert _clause(messy, "分钟内到场").text == MESSY
    assert "撤销这次修正" not in client.get(panel_url, HTTP_HX_REQUEST="true").content.decode()


def test_fixing_needs_the_right_to_edit_the_text(messy, worker, in_force) -> None:
    client = signed_in(worker)
    url = reverse("standards:check_fix", args=[messy.pk])
    assert client.post(url, {"revision": messy.revision}).status_code == 403
    assert _clause(messy, "分钟内到场").text == MESSY


def test_the_live_check_answers_for_one_clause_and_the_document_rules(
    messy, standards_officer
) -> None:
    client = signed_in(standards_officer)
    clause = _clause(messy, "分钟内到场")
    url = reverse("standards:version_check_live", args=[messy.pk])
    body = client.get(url, {"clause": clause.pk}).content.decode()
    assert f'data-only="{clause.pk}"' in body and 'data-scope="clause"' in body
    assert f'data-for="{clause.pk}" data-part="clause"' in body
    assert "S-CHAR-01" in body and "S-QTY-04" in body
    assert "S-VERB-01" not in body  # another clause's clause rule did not rerun
    assert client.get(url, {"clause": "x"}).status_code == 404


def test_the_live_check_runs_the_same_queries_for_more_clauses(messy, standards_officer) -> None:
    client = signed_in(standards_officer)
    clause = _clause(messy, "分钟内到场")
    url = reverse("standards:version_check_live", args=[messy.pk])
    queries(client, url, {"clause": clause.pk})
    few = queries(client, url, {"clause": clause.pk})
    tree_load(
        version=messy,
        nodes=[
            n("chapter", title=f"要求{i}", children=(n("paragraph", "人员应到场。"),))
            for i in range(10)
        ],
    )
    assert queries(client, url, {"clause": clause.pk}) == few
