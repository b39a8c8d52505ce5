"""The drafting check's gate: a draft with an error of the GB/T 1.1—2020 rules that stands
(not switched off for its clause with a reason) is neither circulated nor sent straight to
review; the refusal counts the errors and names the first of them, on the service, the
pages and the API. Warnings never block. The clock is frozen."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from houqin.standards import clauses as ops
from houqin.standards import lifecycle as steps
from houqin.standards.checker import texts
from houqin.standards.models import Clause, Standard, StandardVersion
from houqin.standards.services import draft_version
from houqin.standards.services.checks import version_check, waiver_add
from tests.conftest import signed_in
from tests.standards.builders import COMPLETE_TEXT, SAMPLE_TEXT, draft_make
from tests.standards.test_lifecycle import TODAY, at, circulate

pytestmark = pytest.mark.django_db

MISSING_CHAPTERS = "全文 S-REF-01：缺少“规范性引用文件”一章；全文 S-TERM-01：缺少“术语和定义”一章。"


@pytest.fixture(autouse=True)
def _frozen():
    with at(TODAY):
        yield


def owned(org_a: Any, actor: Any, department: Any, text: tuple) -> Standard:
    """A draft of ``text`` owned by the 物业管理科 (its head drafts it)."""
    standard = draft_make(org_a, actor, text=text)
    Standard.objects.filter(pk=standard.pk).update(owner_department=department)
    standard.refresh_from_db()
    return standard


@pytest.fixture
def incomplete(org_a, standards_officer, department) -> Standard:
    """SAMPLE_TEXT: chapters 2 and 3 are missing, two errors of the whole text."""
    return owned(org_a, standards_officer, department, SAMPLE_TEXT)


@pytest.fixture
def complete(org_a, standards_officer, department) -> Standard:
    """COMPLETE_TEXT: no error, only warnings about the 前言."""
    return owned(org_a, standards_officer, department, COMPLETE_TEXT)


def draft_of(standard: Standard) -> StandardVersion:
    version = draft_version(standard)
    assert version is not None
    return version


def frequency(standard: Standard) -> Clause:
    """The requirement under 频次 (clause 4.1 of COMPLETE_TEXT, 2.1 of SAMPLE_TEXT)."""
    return draft_of(standard).clauses.get(text="保洁员应每2 h保洁1次。")


def edit(standard: Standard, clause: Clause, actor: Any, text: str) -> Clause:
    version = draft_of(standard)
    return ops.clause_edit(clause=clause, actor=actor, base_revision=version.revision, text=text)


def must(standard: Standard, actor: Any) -> Clause:
    """Write “必须” in the 频次 requirement: one error (S-VERB-01) on that clause."""
    return edit(standard, frequency(standard), actor, "保洁员必须每2 h保洁1次。")


def chapter_add(standard: Standard, actor: Any, kind: str, title: str, text: str) -> None:
    """Add chapter ``kind`` with its one paragraph after 范围, or after chapter 2 when the
    draft has it (what a drafter does in the editor)."""
    version = draft_of(standard)
    before = version.clauses.filter(parent=None, kind__in=("scope", "references")).last()
    chapter = ops.clause_add(
        version=version,
        actor=actor,
        base_revision=version.revision,
        kind=kind,
        title=title,
        after=before,
    )
    version.refresh_from_db()
    ops.clause_add(
        version=version,
        actor=actor,
        base_revision=version.revision,
        kind="paragraph",
        parent=chapter,
        text=text,
    )


def status(standard: Standard) -> str:
    return Standard.objects.get(pk=standard.pk).status


# ---- the blockers ----------------------------------------------------------------------------


def test_every_standing_error_is_a_blocker_with_its_place_and_rule(
    incomplete, complete, standards_officer
) -> None:
    assert steps.circulation_blockers(incomplete) == [
        "全文 S-REF-01：缺少“规范性引用文件”一章。",
        "全文 S-TERM-01：缺少“术语和定义”一章。",
    ]
    assert steps.circulation_blockers(complete) == []
    must(complete, standards_officer)
    (blocker,) = steps.circulation_blockers(complete)
    assert blocker.startswith("4.1 S-VERB-01：")


# ---- 征求意见 ---------------------------------------------------------------------------------


def test_circulation_is_refused_with_the_count_and_the_errors(
    incomplete, department_head, worker
) -> None:
    with pytest.raises(ValidationError) as refused:
        circulate(incomplete, department_head, people=[worker])
    assert refused.value.messages == [
        "草案还有 2 处起草规则错误，改正（或对不适用的条款写明理由关闭规则）后才能征求意见："
        + MISSING_CHAPTERS
    ]
    assert status(incomplete) == "drafting" and not incomplete.consultations.exists()


def test_a_refusal_names_the_first_three_errors_and_counts_the_rest(
    incomplete, department_head, worker
) -> None:
    must(incomplete, department_head)
    floor = draft_of(incomplete).clauses.get(text="地面宜无积水。")
    edit(incomplete, floor, department_head, "地面必须无积水。")
    assert len(steps.circulation_blockers(incomplete)) == 4
    with pytest.raises(ValidationError) as refused:
        circulate(incomplete, department_head, people=[worker])
    (message,) = refused.value.messages
    assert message.startswith("草案还有 4 处起草规则错误，")
    assert "全文 S-REF-01" in message and "全文 S-TERM-01" in message
    assert "2.1 S-VERB-01" in message and "2.2 S-VERB-01" not in message
    assert message.endswith("；其余 1 处见编辑页的“起草规则检查”。")


def test_circulation_goes_ahead_once_the_errors_are_fixed(
    incomplete, department_head, worker
) -> None:
    with pytest.raises(ValidationError, match="2 处起草规则错误"):
        circulate(incomplete, department_head, people=[worker])
    chapter_add(incomplete, department_head, "references", "规范性引用文件", texts.REFERENCES_NONE)
    with pytest.raises(ValidationError, match=r"1 处起草规则错误.*全文 S-TERM-01"):
        circulate(incomplete, department_head, people=[worker])
    chapter_add(incomplete, department_head, "terms", "术语和定义", texts.TERMS_NONE)
    assert steps.circulation_blockers(incomplete) == []
    consultation = circulate(incomplete, department_head, people=[worker])
    assert consultation.version == draft_of(incomplete)
    assert status(incomplete) == "consultation"


def test_an_error_fixed_in_its_clause_no_longer_blocks(complete, department_head, worker) -> None:
    clause = must(complete, department_head)
    with pytest.raises(ValidationError, match=r"1 处起草规则错误.*后才能征求意见：4\.1 S-VERB-01"):
        circulate(complete, department_head, people=[worker])
    edit(complete, clause, department_head, "保洁员应每2 h保洁1次。")
    circulate(complete, department_head, people=[worker])
    assert status(complete) == "consultation"


def test_an_error_waived_for_its_clause_does_not_block(
    complete, standards_officer, department_head, worker
) -> None:
    clause = must(complete, department_head)
    with pytest.raises(ValidationError, match="1 处起草规则错误"):
        circulate(complete, department_head, people=[worker])
    waiver_add(
        standard=complete,
        actor=standards_officer,
        clause_uid=clause.uid,
        rule="S-VERB-01",
        reason="引用法规原文，保留原措辞",
    )
    result = version_check(draft_of(complete))
    assert result.errors == [] and [i.rule for i, _ in result.waived] == ["S-VERB-01"]
    circulate(complete, department_head, people=[worker])
    assert status(complete) == "consultation"


def test_a_waiver_for_another_rule_or_clause_does_not_lift_the_error(
    complete, standards_officer, department_head, worker
) -> None:
    must(complete, department_head)
    other = draft_of(complete).clauses.get(text="地面宜无积水。")
    waiver_add(
        standard=complete,
        actor=standards_officer,
        clause_uid=other.uid,
        rule="S-VERB-01",
        reason="这一条不适用该规则",
    )
    with pytest.raises(ValidationError, match=r"1 处起草规则错误.*4\.1 S-VERB-01"):
        circulate(complete, department_head, people=[worker])


def test_warnings_alone_do_not_block(complete, department_head, worker) -> None:
    result = version_check(draft_of(complete))
    assert result.errors == [] and result.counts["warning"] >= 1
    circulate(complete, department_head, people=[worker])
    assert status(complete) == "consultation"


# ---- 提交审查 ---------------------------------------------------------------------------------


def test_review_without_consultation_is_gated_the_same_way(
    incomplete, complete, department_head, standards_officer
) -> None:
    with pytest.raises(ValidationError) as refused:
        steps.review_submit(standard=incomplete, actor=department_head)
    assert refused.value.messages == [
        "草案还有 2 处起草规则错误，改正（或对不适用的条款写明理由关闭规则）后才能提交审查："
        + MISSING_CHAPTERS
    ]
    assert status(incomplete) == "drafting"
    clause = must(complete, department_head)
    with pytest.raises(ValidationError, match=r"1 处.*后才能提交审查：4\.1 S-VERB-01"):
        steps.review_submit(standard=complete, actor=department_head)
    waiver_add(
        standard=complete,
        actor=standards_officer,
        clause_uid=clause.uid,
        rule="S-VERB-01",
        reason="引用法规原文，保留原措辞",
    )
    steps.review_submit(standard=complete, actor=department_head)
    assert status(complete) == "review"


def test_review_after_consultation_rests_on_the_consultation(
    complete, department_head, worker
) -> None:
    """The draft text is locked during the consultation; what was circulated goes on."""
    circulate(complete, department_head, people=[worker])
    steps.review_submit(standard=complete, actor=department_head)
    assert status(complete) == "review"


# ---- pages and API ----------------------------------------------------------------------------


def test_the_consultation_form_shows_the_refusal(incomplete, department_head, department) -> None:
    client = signed_in(department_head)
    url = reverse("standards:consultation_open", args=[incomplete.pk])
    page = client.get(url).content.decode()
    assert "缺少“规范性引用文件”一章" in page and "缺少“术语和定义”一章" in page
    response = client.post(url, {"deadline": "2026-03-20", "departments": [department.pk]})
    assert response.status_code == 200
    assert "草案还有 2 处起草规则错误" in response.content.decode()
    assert "后才能征求意见：" + MISSING_CHAPTERS in response.content.decode()
    assert not incomplete.consultations.exists()


def test_the_panels_review_button_says_why_at_the_top(incomplete, department_head) -> None:
    back = reverse("standards:standard_lifecycle", args=[incomplete.pk])
    response = signed_in(department_head).post(
        reverse("standards:review_submit", args=[incomplete.pk]), {"next": back}, follow=True
    )
    assert response.redirect_chain[-1][0] == back
    assert "草案还有 2 处起草规则错误" in response.content.decode()
    assert "后才能提交审查：" + MISSING_CHAPTERS in response.content.decode()
    assert status(incomplete) == "drafting"


def test_the_review_page_shows_the_check_result(complete, department_head, standards_officer):
    steps.review_submit(standard=complete, actor=department_head)
    page = signed_in(standards_officer).get(reverse("standards:review_record", args=[complete.pk]))
    html = page.content.decode()
    assert "起草规则检查" in html and "前言缺少专利说明。" in html


def test_the_api_refuses_circulation_with_the_message(incomplete, standards_officer, department):
    response = signed_in(standards_officer).post(
        f"/api/v1/standards/{incomplete.pk}/transition/",
        {
            "name": "consultation_open",
            "deadline": str(date(2026, 3, 20)),
            "departments": [department.pk],
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "草案还有 2 处起草规则错误" in str(response.json()["error"])
    assert status(incomplete) == "drafting"
