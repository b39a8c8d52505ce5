"""The yearly self-evaluation: the figures read from the year's rows, the drafted texts,
editing and refreshing (texts kept), the Word export with tables and the chart, the page
and the list's query count."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx import Document

from houqin.appraisal import selfeval_services
from houqin.appraisal.models import SelfEvaluation
from houqin.findings.models import SupervisionOrder
from tests.appraisal.builders import NOW, at, finding_put, record_put
from tests.conftest import person, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clock(time_machine: Any) -> None:
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def year_rows(org_a: Any, standards_officer: Any, departments: list[Any], sheet: Any) -> None:
    """Two findings in March (one a repeat), one in August; two records, one failed; a
    third-party record; one closed supervision order."""
    first = finding_put(org_a, standards_officer, at(3, 3), department=departments[0])
    finding_put(org_a, standards_officer, at(3, 20), repeat_of=first, department=departments[0])
    finding_put(org_a, standards_officer, at(8, 4), department=departments[1])
    finding_put(org_a, standards_officer, at(8, 4, year=2025), department=departments[1])
    record_put(sheet, standards_officer, at(5, 6), passed=True)
    record_put(sheet, standards_officer, at(5, 7), passed=False)
    third = record_put(sheet, standards_officer, at(6, 1), passed=True)
    type(third).objects.filter(pk=third.pk).update(kind="third_party", score=92)
    SupervisionOrder.objects.create(
        organization=org_a,
        year=2026,
        number=1,
        reference="督办〔2026〕1号",
        title="督办",
        body="请办理。",
        deadline=NOW.date(),
        department=departments[0],
        issuer=standards_officer,
        issued_at=at(4, 1),
        status="closed",
    )


def _draft(org: Any, actor: Any) -> SelfEvaluation:
    return selfeval_services.selfeval_draft(organization=org, actor=actor, year=2026, now=NOW)


def test_it_reads_the_year_s_figures_and_drafts_the_texts(
    org_a: Any, standards_officer: Any, year_rows: None
) -> None:
    evaluation = _draft(org_a, standards_officer)

    figures = evaluation.figures
    trend = {m["month"]: (m["new"], m["repeat"]) for m in figures["trend"]}
    assert trend[3] == (1, 1) and trend[8] == (1, 0) and trend[1] == (0, 0)
    assert figures["findings"]["total"] == 3 and figures["findings"]["repeats"] == 1
    assert figures["records"]["passed"] == 2 and figures["records"]["failed"] == 1
    assert figures["third_party"] == {"count": 1, "passed": 1, "average": 92.0}
    assert figures["improvements"]["orders"] == 1
    assert figures["improvements"]["orders_closed"] == 1
    assert evaluation.title == "甲市机关事务服务中心2026年度标准化工作自我评价报告"
    assert "提交检查记录 3 份，合格 2 份，合格率 66.7%。发现问题 3 个" in evaluation.implementation
    assert "全年开展第三方评价 1 次，合格 1 次，平均得分率 92.0%。" in evaluation.effects
    assert "下半年发现问题 1 个，上半年 2 个，环比下降" in evaluation.effects
    assert "全年签发督办单 1 份，已办结 1 份" in evaluation.improvements
    with pytest.raises(ValidationError, match="已经有自我评价"):
        _draft(org_a, standards_officer)


def test_refreshing_updates_the_figures_and_keeps_the_texts(
    org_a: Any, standards_officer: Any, year_rows: None, departments: list[Any]
) -> None:
    evaluation = _draft(org_a, standards_officer)
    selfeval_services.selfeval_update(
        evaluation=evaluation, actor=standards_officer, data={"effects": "服务对象普遍满意。"}
    )
    finding_put(org_a, standards_officer, at(9, 9), department=departments[2])

    selfeval_services.selfeval_refresh(evaluation=evaluation, actor=standards_officer, now=NOW)

    evaluation.refresh_from_db()
    assert evaluation.figures["findings"]["total"] == 4
    assert evaluation.effects == "服务对象普遍满意。"


def test_the_word_document_has_the_parts_tables_and_chart(
    org_a: Any, standards_officer: Any, year_rows: None
) -> None:
    evaluation = _draft(org_a, standards_officer)
    response = signed_in(standards_officer).get(
        reverse("appraisal:selfeval_word", args=[evaluation.pk])
    )
    document = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    for heading in ("一、标准体系完整性评价", "二、标准实施情况评价", "三、标准实施效果评价"):
        assert heading in text
    assert "四、持续改进情况" in text and "五、评价结论" in text
    cells = {cell.text for table in document.tables for row in table.rows for cell in row.cells}
    assert {"检查合格率", "66.7%", "3月", "签发督办单"} <= cells
    assert len(document.inline_shapes) == 1  # the monthly chart (the CJK font is installed)


def test_the_page_shows_the_parts_and_saves_edits(
    org_a: Any, standards_officer: Any, year_rows: None, leader: Any
) -> None:
    client = signed_in(standards_officer)
    response = client.post(reverse("appraisal:selfeval_create"), {"year": "2026"})
    evaluation = SelfEvaluation.objects.get()
    url = reverse("appraisal:selfeval_detail", args=[evaluation.pk])
    assert response["Location"] == url
    page = client.get(url).content.decode()
    assert page.count('data-testid="selfeval-part"') == 5
    assert 'id="board-chart-data"' in page
    data = {name: getattr(evaluation, name) for name in selfeval_services.TEXTS}
    data["conclusion"] = "总体良好。"
    assert client.post(url, data)["Location"] == url
    assert SelfEvaluation.objects.get().conclusion == "总体良好。"
    reader = signed_in(leader)
    assert "修改文字" not in reader.get(url).content.decode()
    assert reader.post(url, data).status_code == 302
    assert SelfEvaluation.objects.get().conclusion == "总体良好。"


def test_others_cannot_reach_it(
    org_a: Any, org_b: Any, standards_officer: Any, worker: Any
) -> None:
    evaluation = _draft(org_a, standards_officer)
    url = reverse("appraisal:selfeval_detail", args=[evaluation.pk])
    assert signed_in(worker).get(url).status_code == 403
    outsider = person(org_b, "officer-b", "standards_officer")
    assert signed_in(outsider).get(url).status_code == 404


def test_the_list_costs_the_same_with_more_rows(org_a: Any, standards_officer: Any) -> None:
    client = signed_in(standards_officer)
    url = reverse("appraisal:selfeval_list")
    selfeval_services.selfeval_draft(
        organization=org_a, actor=standards_officer, year=2025, now=NOW
    )
    client.get(url)  # the session and per-request caches warm up
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for year in (2022, 2023, 2024):
        selfeval_services.selfeval_draft(
            organization=org_a, actor=standards_officer, year=year, now=NOW
        )
    with CaptureQueriesContext(connection) as many:
        page = client.get(url)
    assert len(many) == len(few)
    assert page.content.decode().count("年度标准化工作自我评价报告") == 4
