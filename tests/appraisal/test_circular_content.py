"""Circulars (通报): the drafted text of a frozen period, editing a draft, publishing
(number, notifications, frozen text), the Word document and PDF, who sees what, and the
list's query count."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx import Document

from houqin.appraisal import circular_services
from houqin.appraisal.models import Appeal, Circular, Period
from tests.appraisal.builders import NOW, at, period_make, scheme_make, score_make
from tests.conftest import person, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clock(time_machine: Any) -> None:
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def period(org_a: Any, departments: list[Any], standards_officer: Any) -> Period:
    """The third quarter, frozen on 5 October: 物业管理科 优秀, 餐饮服务科 合格 (an appeal
    accepted), 会议服务科 不合格."""
    scheme = scheme_make(org_a, name="科室服务质量考核方案")
    period = period_make(
        scheme, status=Period.Status.FINAL, frozen_at=at(10, 5), name="2026年第三季度"
    )
    score_make(period, departments[0], "95.5", rank=1, grade="excellent")
    middle = score_make(period, departments[1], 78, rank=2, grade="pass")
    score_make(period, departments[2], "55.25", rank=3, grade="fail")
    Appeal.objects.create(
        organization=org_a,
        score=middle,
        line=middle.lines.get(),
        reason="记录有误",
        status=Appeal.Status.ACCEPTED,
        submitted_by=standards_officer,
        submitted_at=at(10, 2),
    )
    return period


def _draft(period: Period, actor: Any) -> Circular:
    return circular_services.circular_draft(period=period, actor=actor, today=date(2026, 10, 9))


def test_it_drafts_the_circular_from_the_frozen_scores(
    period: Period, standards_officer: Any
) -> None:
    circular = _draft(period, standards_officer)

    assert circular.title == "关于科室服务质量考核方案2026年第三季度考核结果的通报"
    assert circular.recipients == "各科室"
    assert circular.signer == "甲市机关事务服务中心"
    assert circular.dated == date(2026, 10, 9)
    assert circular.status == Circular.Status.DRAFT and circular.reference == ""
    body = circular.body
    assert "于2026年7月1日至2026年9月30日对3个科室开展了2026年第三季度考核" in body
    assert "于2026年10月5日定稿" in body
    assert "本期参加考核 3 个，平均得分 76.25 分，最高 95.50 分，最低 55.25 分。" in body
    assert "按等次：优秀 1 个、良好 0 个、合格 1 个、不合格 1 个。" in body
    assert "公示期间收到申诉 1 件，经复核采纳 1 件、驳回 0 件。" in body
    assert circular.praised == "物业管理科（95.50 分，第 1 名）"
    assert circular.criticized == "会议服务科（55.25 分，第 3 名）"
    assert "15 日内报送整改计划" in circular.requirements
    headings = [h for h, _ in circular_services.circular_sections(circular)]
    assert headings == ["", "一、总体情况", "二、表扬名单", "三、批评名单", "四、工作要求"]


def test_only_a_frozen_period_gets_a_circular(period: Period, standards_officer: Any) -> None:
    Period.objects.filter(pk=period.pk).update(status=Period.Status.APPEAL)
    period.refresh_from_db()
    with pytest.raises(ValidationError, match="定稿后才能起草通报"):
        _draft(period, standards_officer)


def test_publishing_numbers_it_notifies_and_freezes_the_text(
    org_a: Any, period: Period, standards_officer: Any, department_head: Any, leader: Any
) -> None:
    circular = _draft(period, standards_officer)
    circular_services.circular_update(
        circular=circular, actor=standards_officer, data={"requirements": "请各科室认真整改。"}
    )

    circular_services.circular_publish(circular=circular, actor=standards_officer, now=NOW)

    circular.refresh_from_db()
    assert circular.status == Circular.Status.PUBLISHED
    assert circular.reference == "通报〔2026〕1号"
    assert circular.published_by == standards_officer
    for reader in (department_head, leader):
        note = reader.notifications.get()
        assert note.title == f"印发通报：{circular.title}"
        assert note.link == reverse("appraisal:circular_detail", args=[circular.pk])
    with pytest.raises(ValidationError, match="已发布"):
        circular_services.circular_update(
            circular=circular, actor=standards_officer, data={"title": "改过的标题"}
        )
    second = _draft(period, standards_officer)
    circular_services.circular_publish(circular=second, actor=standards_officer, now=NOW)
    assert second.reference == "通报〔2026〕2号"


def test_the_word_document_and_pdf_carry_the_text(period: Period, standards_officer: Any) -> None:
    circular = _draft(period, standards_officer)
    client = signed_in(standards_officer)

    response = client.get(reverse("appraisal:circular_word", args=[circular.pk]))
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert circular.title in text
    assert "各科室：" in text
    assert "二、表扬名单\n物业管理科（95.50 分，第 1 名）" in text
    assert "三、批评名单\n会议服务科（55.25 分，第 3 名）" in text
    assert text.rstrip().endswith("甲市机关事务服务中心\n2026年10月9日")

    pdf = client.get(reverse("appraisal:circular_pdf", args=[circular.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_the_office_edits_on_the_page(period: Period, standards_officer: Any) -> None:
    circular = _draft(period, standards_officer)
    client = signed_in(standards_officer)
    url = reverse("appraisal:circular_detail", args=[circular.pk])
    data = {
        "title": circular.title,
        "recipients": "各科室、各班组",
        "body": circular.body,
        "praised": circular.praised,
        "criticized": "",
        "requirements": circular.requirements,
        "signer": circular.signer,
        "dated": "2026-10-10",
    }
    assert client.post(url, data)["Location"] == url
    page = client.get(url).content.decode()
    assert "各科室、各班组：" in page and "本期无不合格的考核对象。" in page
    assert circular.__class__.objects.get(pk=circular.pk).dated == date(2026, 10, 10)


def test_a_draft_is_the_office_s_and_the_published_one_everyone_s(
    org_b: Any, period: Period, standards_officer: Any, department_head: Any
) -> None:
    circular = _draft(period, standards_officer)
    url = reverse("appraisal:circular_detail", args=[circular.pk])
    head = signed_in(department_head)
    assert head.get(url).status_code == 404
    circular_services.circular_publish(circular=circular, actor=standards_officer, now=NOW)
    assert head.get(url).status_code == 200
    assert head.post(reverse("appraisal:circular_publish", args=[circular.pk])).status_code == 403
    outsider = person(org_b, "officer-b", "standards_officer")
    assert signed_in(outsider).get(url).status_code == 404


def test_the_list_costs_the_same_with_more_rows(period: Period, standards_officer: Any) -> None:
    client = signed_in(standards_officer)
    url = reverse("appraisal:circular_list")
    _draft(period, standards_officer)
    client.get(url)  # the session and per-request caches warm up
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for _ in range(4):
        _draft(period, standards_officer)
    with CaptureQueriesContext(connection) as many:
        page = client.get(url)
    assert len(many) == len(few)
    assert page.content.decode().count("考核结果的通报") >= 5
