"""Supervision orders (督办单): numbered per organization and year, issued on findings to a
department or a vendor, answered, sent back and closed through the workflow; the pages
(issue from the ticked findings, the order's page, the list) and the Word document."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from docx import Document

from houqin.common.models import Notification
from houqin.findings.models import Finding, SupervisionOrder
from houqin.findings.order_services import (
    order_answer,
    order_close,
    order_defaults,
    order_issue,
    order_reference,
    order_send_back,
)
from tests.conftest import person, signed_in
from tests.findings.builders import at, raise_one, set_rectification

pytestmark = pytest.mark.django_db


@pytest.fixture
def findings(org_a, standards_officer, department, places):
    return [
        raise_one(
            org_a,
            standards_officer,
            title="消防通道堆放杂物",
            department=department,
            place=places["first"],
        ),
        raise_one(
            org_a, standards_officer, title="灭火器过期", severity="major", department=department
        ),
    ]


def issue(org, actor, findings, department=None, vendor=None, now=None, **data):
    return order_issue(
        organization=org,
        actor=actor,
        title=data.get("title", "关于督促整改消防问题的督办单"),
        body=data.get("body", "请逐项整改。"),
        deadline=data.get("deadline", timezone.localdate() + timedelta(days=7)),
        findings=findings,
        department=department,
        vendor=vendor,
        now=now,
    )


def test_numbers_count_per_organization_and_year(
    org_a, org_b, standards_officer, department, findings
) -> None:
    first = issue(org_a, standards_officer, findings, department, now=at(2026, 3, 1))
    second = issue(org_a, standards_officer, findings[:1], department, now=at(2026, 5, 1))
    assert (first.reference, second.reference) == ("督办〔2026〕1号", "督办〔2026〕2号")
    following = issue(
        org_a,
        standards_officer,
        findings,
        department,
        now=at(2027, 1, 4),
        deadline=date(2027, 1, 10),
    )
    assert following.reference == "督办〔2027〕1号"
    officer_b = person(org_b, "olga", "standards_officer")
    other = raise_one(org_b, officer_b, person=officer_b)
    from tests.factories import DepartmentFactory

    office = DepartmentFactory(organization=org_b, code="BG", name="办公室")
    assert (
        issue(org_b, officer_b, [other], office, now=at(2026, 6, 1)).reference == "督办〔2026〕1号"
    )
    assert order_reference(2026, 12) == "督办〔2026〕12号"


def test_an_order_needs_findings_of_its_organization_a_recipient_and_a_future_deadline(
    org_a, org_b, standards_officer, department, findings
) -> None:
    with pytest.raises(ValidationError) as caught:
        issue(org_a, standards_officer, [], None, deadline=date(2020, 1, 1), title=" ", body="")
    assert set(caught.value.message_dict) == {"title", "body", "deadline", "department", "findings"}
    officer_b = person(org_b, "olga", "standards_officer")
    stranger = raise_one(org_b, officer_b, person=officer_b)
    with pytest.raises(ValidationError, match="只能督办本单位的问题"):
        issue(org_a, standards_officer, [*findings, stranger], department)
    with pytest.raises(PermissionDenied):
        issue(org_a, person(org_a, "wendy", "worker"), findings, department)
    assert not SupervisionOrder.objects.exists()


def test_the_loop_answer_send_back_answer_close(
    org_a, standards_officer, department_head, worker, department, findings
) -> None:
    order = issue(org_a, standards_officer, findings, department)
    assert Notification.objects.filter(recipient=department_head, kind="supervision").count() == 1
    with pytest.raises(ValidationError):
        order_answer(order=order, actor=worker, answer="好")
    order_answer(order=order, actor=worker, answer="两个问题均已整改，照片已上传")
    assert order.status == "answered" and order.answered_at is not None
    assert Notification.objects.filter(recipient=standards_officer, kind="supervision").exists()
    with pytest.raises(ValidationError, match="原因"):
        order_send_back(order=order, actor=standards_officer, reason=" ")
    order_send_back(order=order, actor=standards_officer, reason="灭火器尚未更换")
    assert SupervisionOrder.objects.get().status == "issued"
    order_answer(order=order, actor=department_head, answer="灭火器已全部更换")
    order_close(order=order, actor=standards_officer)
    stored = SupervisionOrder.objects.get()
    assert stored.status == "closed" and stored.closed_at and stored.answer == "灭火器已全部更换"
    with pytest.raises(ValidationError, match="不能"):
        order_send_back(order=stored, actor=standards_officer, reason="再看看")


def test_only_the_recipient_answers(org_a, standards_officer, department, findings) -> None:
    from tests.factories import DepartmentFactory

    other = DepartmentFactory(organization=org_a, code="CY", name="餐饮服务科")
    cook = person(org_a, "kate", "worker", department=other)
    order = issue(org_a, standards_officer, findings, department)
    with pytest.raises(PermissionDenied):
        order_answer(order=order, actor=cook, answer="已经处理好了")


def test_the_form_starts_from_the_ticked_findings(
    org_a, standards_officer, department, findings
) -> None:
    set_rectification(findings[1], deadline=timezone.now() - timedelta(days=1))
    findings = list(Finding.objects.order_by("pk"))
    defaults = order_defaults(findings, date(2026, 11, 26))
    assert defaults["department"] == department and defaults["vendor"] is None
    assert defaults["title"] == "关于督促整改“消防通道堆放杂物”等2个问题的督办单"
    assert "其中1个已超过整改期限" in defaults["body"]
    assert defaults["deadline"] == date(2026, 12, 3)
    client = signed_in(standards_officer)
    url = reverse("findings:order_create")
    form = client.get(f"{url}?ids={findings[0].pk}&ids={findings[1].pk}").content.decode()
    assert "消防通道堆放杂物（一般，一楼卫生间）" in form and "灭火器过期（较重）" in form
    assert client.get(url).status_code == 302  # nothing ticked: back to the list
    response = client.post(
        url,
        {
            "title": "关于督促整改消防问题的督办单",
            "department": department.pk,
            "deadline": (timezone.localdate() + timedelta(days=5)).isoformat(),
            "body": "经检查，发现下列问题。\n请限期整改。",
            "findings": [findings[0].pk, findings[1].pk],
        },
    )
    order = SupervisionOrder.objects.get()
    assert response["Location"] == reverse("findings:order_detail", args=[order.pk])
    assert order.findings.count() == 2 and order.issuer == standards_officer
    page = client.get(response["Location"]).content.decode()
    assert order.reference in page and "消防通道堆放杂物" in page and "下载 Word" in page


def test_the_page_offers_the_recipient_its_answer(
    org_a, standards_officer, worker, department, findings
) -> None:
    order = issue(org_a, standards_officer, findings, department)
    client = signed_in(worker)
    page = client.get(reverse("findings:order_detail", args=[order.pk])).content.decode()
    assert "报送办理情况" in page and "办结" not in page
    step = reverse("findings:order_step", args=[order.pk])
    client.post(step, {"name": "answer", "note": "已全部整改完毕"})
    assert SupervisionOrder.objects.get().status == "answered"
    assert client.post(step, {"name": "close"}).status_code == 403
    assert SupervisionOrder.objects.get().status == "answered"
    signed_in(standards_officer).post(step, {"name": "close"})
    assert SupervisionOrder.objects.get().status == "closed"


def test_the_word_document_and_the_print_page(
    org_a, standards_officer, department, findings
) -> None:
    order = issue(org_a, standards_officer, findings, department, body="第一段。\n\n第二段。")
    client = signed_in(standards_officer)
    response = client.get(reverse("findings:order_word", args=[order.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    document = Document(io.BytesIO(response.content))
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == order.reference == f"督办〔{timezone.localdate().year}〕1号"
    assert order.title in texts and "物业管理科：" in texts
    assert "第一段。" in texts and "第二段。" in texts
    assert any(t.startswith("请于") and "前办理完毕" in t for t in texts)
    assert org_a.name in texts and "附件" in texts and "督办问题清单" in texts
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells][:2] == ["序号", "问题"]
    assert [r.cells[1].text for r in table.rows[1:]] == ["消防通道堆放杂物", "灭火器过期"]
    fonts = document.styles["Normal"].element.rPr.rFonts
    assert (
        fonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia")
        == "仿宋_GB2312"
    )
    page = client.get(reverse("findings:order_print", args=[order.pk])).content.decode()
    assert order.reference in page and "督办问题清单" in page and 'lang="zh-CN"' in page
    pdf = client.get(reverse("findings:order_pdf", args=[order.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_the_list_queries_do_not_grow_with_the_rows(
    org_a, standards_officer, department, findings
) -> None:
    client = signed_in(standards_officer)
    url = reverse("findings:order_list")

    def queries() -> int:
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    issue(org_a, standards_officer, findings, department)
    few = queries()
    for _ in range(12):
        issue(org_a, standards_officer, findings[:1], department)
    assert queries() == few
    assert client.get(url + "?export=xlsx")["X-Export-Rows"] == "13"
