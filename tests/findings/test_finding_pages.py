"""The findings pages: the list (filters, search, export, query count), raising a finding by
hand with photos from a place's page, a finding's page (clause, photos, record, repeats,
steps, change log) and the steps of the rectification loop as a person takes them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from houqin.common.models import Attachment, Notification
from houqin.findings.models import Finding, Rectification
from houqin.org.models import Vendor
from tests.conftest import person, signed_in
from tests.findings.builders import check, cited_template, png, raise_one, set_rectification

pytestmark = pytest.mark.django_db


def count_queries(client: Client, url: str) -> int:
    """Queries of a page, read after a first request has filled the per-process caches."""
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


# ---- list -------------------------------------------------------------------------------


def test_the_list_queries_do_not_grow_with_the_rows(
    org_a, standards_officer, department, places
) -> None:
    vendor = Vendor.objects.create(organization=org_a, code="V1", name="洁净物业公司")
    client = signed_in(standards_officer)

    def make(count: int) -> None:
        for i in range(count):
            raise_one(
                org_a,
                standards_officer,
                title=f"问题{i}",
                department=department,
                vendor=vendor if i % 2 else None,
                person=standards_officer,
                place=places["first"],
            )

    make(2)
    url = reverse("findings:finding_list")
    few = count_queries(client, url)
    filtered = count_queries(client, f"{url}?status=open&severity=critical")
    make(18)
    assert count_queries(client, url) == few
    assert count_queries(client, f"{url}?status=open&severity=critical") == filtered


def test_the_list_filters_by_state_place_repeats_and_overdue(
    org_a, standards_officer, worker, department, places
) -> None:
    now = timezone.now()
    late = raise_one(
        org_a, standards_officer, title="逾期的问题", department=department, place=places["first"]
    )
    set_rectification(late, deadline=now - timedelta(hours=2))
    fixed = raise_one(
        org_a,
        standards_officer,
        title="已整改的问题",
        department=department,
        place=places["canteen"],
    )
    set_rectification(fixed, status="fixed", deadline=now - timedelta(hours=2))
    again = raise_one(
        org_a, standards_officer, title="二楼积水", department=department, place=places["second"]
    )
    Finding.objects.filter(pk=again.pk).update(repeat_of=late)
    client = signed_in(worker)
    url = reverse("findings:finding_list")

    def titles(query: str) -> set[str]:
        response = client.get(f"{url}?{query}")
        assert response.status_code == 200
        return {f.title for f in Finding.objects.all() if f.title in response.content.decode()}

    assert titles("") == {"逾期的问题", "已整改的问题", "二楼积水"}
    assert titles("overdue=1") == {"逾期的问题"}
    assert titles("status=fixed") == {"已整改的问题"}
    assert titles("status=open") == {"逾期的问题", "已整改的问题", "二楼积水"}
    assert titles(f"place={places['building'].pk}") == {"逾期的问题", "二楼积水"}
    assert titles("repeat=1") == {"二楼积水"}
    assert titles("q=积水") == {"二楼积水"}
    today = timezone.localdate()
    assert titles(f"date_from={today + timedelta(days=1)}") == set()
    assert titles(f"date_from={today}&date_to={today}&department={department.pk}") == {
        "逾期的问题",
        "已整改的问题",
        "二楼积水",
    }
    page = client.get(url).content.decode()
    assert "逾期" in page and "对所选问题签发督办单" not in page  # a worker issues no orders


def test_the_export_holds_the_filtered_rows(org_a, standards_officer, department) -> None:
    raise_one(org_a, standards_officer, title="一般问题", department=department)
    raise_one(
        org_a, standards_officer, title="严重问题", severity="critical", department=department
    )
    response = signed_in(standards_officer).get(
        reverse("findings:finding_list") + "?severity=critical&export=xlsx"
    )
    assert response.status_code == 200 and response["X-Export-Rows"] == "1"


# ---- raising by hand ----------------------------------------------------------------------


def test_a_worker_raises_a_finding_with_photos_from_a_place_page(
    org_a, worker, department_head, department, places, media
) -> None:
    client = signed_in(worker)
    room = places["first"]
    page = client.get(reverse("places:place_detail", args=[room.pk])).content.decode()
    create = reverse("findings:finding_create")
    assert f"{create}?place={room.pk}" in page and "登记问题" in page
    form = client.get(f"{create}?place={room.pk}").content.decode()
    assert f'<option value="{room.pk}" selected>' in form  # the place and its department
    assert f'<option value="{department.pk}" selected>' in form
    response = client.post(
        f"{create}?place={room.pk}",
        {
            "title": "洗手台下有积水",
            "description": "水管接头漏水",
            "severity": "minor",
            "place": room.pk,
            "department": department.pk,
            "photos": [png("a.png"), png("b.png", "blue")],
        },
    )
    finding = Finding.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "findings:finding_detail", args=[finding.pk]
    )
    assert finding.source == "manual" and finding.place == room and finding.raised_by == worker
    assert Attachment.objects.filter(object_id=str(finding.pk), kind="image").count() == 2
    note = Notification.objects.get(recipient=department_head)
    assert note.kind == "finding" and "洗手台下有积水" in note.title


def test_raising_needs_someone_responsible_and_real_photos(org_a, worker, media) -> None:
    client = signed_in(worker)
    url = reverse("findings:finding_create")
    response = client.post(url, {"title": "灯不亮", "severity": "minor"})
    assert "请指定负责整改的科室、服务商或人员。" in response.content.decode()
    pdf = SimpleUploadedFile("scan.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    response = client.post(
        url, {"title": "灯不亮", "severity": "minor", "person": worker.pk, "photos": [pdf]}
    )
    assert "“scan.pdf”不是照片" in response.content.decode()
    broken = SimpleUploadedFile("broken.jpg", b"\xff\xd8\xff\xe0 broken", content_type="image/jpeg")
    response = client.post(
        url, {"title": "灯不亮", "severity": "minor", "person": worker.pk, "photos": [broken]}
    )
    assert "图片无法识别" in response.content.decode()
    assert not Finding.objects.exists() and not Attachment.objects.exists()


def test_places_of_another_organization_are_not_found(
    org_a, org_b, worker, outsider, places
) -> None:
    response = signed_in(outsider).get(
        reverse("findings:finding_create") + f"?place={places['first'].pk}"
    )
    assert response.status_code in (403, 404)
    assert signed_in(worker).get(reverse("findings:finding_create") + "?place=x").status_code == 404


# ---- a finding's page and the loop --------------------------------------------------------


def test_the_page_shows_the_clause_record_photos_and_repeats(
    org_a, standards_officer, worker, places, media
) -> None:
    template = cited_template(org_a, standards_officer)
    check(template, worker, places["first"], fails=("保洁员",))
    record = check(template, worker, places["first"], fails=("保洁员",))
    finding = record.findings.get()
    assert finding.repeat_of is not None and finding.severity == "critical"
    client = signed_in(worker)
    page = client.get(reverse("findings:finding_detail", args=[finding.pk])).content.decode()
    standard = finding.clause.version.standard
    assert (
        f"{reverse('standards:standard_detail', args=[standard.pk])}#c-{finding.clause.uid}" in page
    )
    assert f"{standard.number} 第2.1条" in page
    assert "重复发生" in page and "同一场所同一检查项的问题" in page and "本问题" in page
    assert "提交整改" in page  # the worker's department answers for the place
    submitted = timezone.localtime(record.submitted_at)
    assert f"卫生间保洁检查 {submitted:%Y-%m-%d %H:%M}" in page  # the record, in local time
    assert "保洁员应每2 h保洁1次：不合格" in page  # the title without the item's full stop


def test_a_fix_with_photos_is_accepted_or_sent_back(
    org_a, standards_officer, worker, department_head, department, places, media
) -> None:
    finding = raise_one(
        org_a, standards_officer, title="垃圾桶满溢", department=department, place=places["first"]
    )
    step = reverse("findings:rectification_step", args=[finding.pk])
    detail = reverse("findings:finding_detail", args=[finding.pk])
    worker_client = signed_in(worker)
    response = worker_client.post(step, {"name": "fix", "note": ""})
    assert Rectification.objects.get().status == "assigned"
    response = worker_client.post(step, {"name": "fix", "note": "已清运并消毒", "photos": [png()]})
    assert response.status_code == 302 and response["Location"] == detail
    rectification = Rectification.objects.get()
    assert rectification.status == "fixed" and rectification.evidence == "已清运并消毒"
    assert Attachment.objects.filter(object_id=str(rectification.pk)).count() == 1
    assert Notification.objects.filter(recipient=standards_officer, kind="finding").exists()
    refused = worker_client.post(step, {"name": "accept"}, follow=True).content.decode()
    assert "只有发现人或有验收权限的人可以验收。" in refused
    assert Rectification.objects.get().status == "fixed"

    head = signed_in(department_head)
    page = head.get(detail).content.decode()
    assert "验收通过" in page and "退回重改" in page and "已清运并消毒" in page
    head.post(step, {"name": "send_back", "note": ""})
    assert Rectification.objects.get().status == "fixed"
    head.post(step, {"name": "send_back", "note": "桶边仍有污渍"})
    assert Rectification.objects.get().status == "returned"
    worker_client.post(step, {"name": "fix", "note": "重新擦洗桶边", "photos": [png()]})
    head.post(step, {"name": "accept"})
    assert Rectification.objects.get().status == "closed"
    closed = head.get(detail).content.decode()
    assert "桶边仍有污渍" in closed  # the reason stays in the change log
    assert 'data-testid="rectification-status">已关闭<' in closed
    assert 'data-bs-target="#step-' not in closed  # no step is left


def test_someone_outside_the_responsible_department_cannot_fix(
    org_a, standards_officer, places
) -> None:
    from tests.factories import DepartmentFactory

    other = DepartmentFactory(organization=org_a, code="CY", name="餐饮服务科")
    stranger = person(org_a, "gina", "worker", department=other)
    finding = raise_one(org_a, standards_officer, department=places["first"].department)
    response = signed_in(stranger).post(
        reverse("findings:rectification_step", args=[finding.pk]),
        {"name": "fix", "note": "已处理完毕"},
    )
    assert response.status_code == 403
    page = signed_in(stranger).get(reverse("findings:finding_detail", args=[finding.pk]))
    assert "提交整改" not in page.content.decode()


def test_the_effectiveness_check_waits_for_its_day(
    org_a, standards_officer, department_head, department
) -> None:
    finding = raise_one(org_a, standards_officer, severity="major", department=department)
    day = timezone.localdate() + timedelta(days=3)
    set_rectification(finding, status="effect_check", effect_due=day)
    page = signed_in(department_head).get(reverse("findings:finding_detail", args=[finding.pk]))
    text = page.content.decode()
    assert f"复查日期是 {day:%Y-%m-%d}，到期后再复查。" in text and "复查无效，重新整改" in text


# ---- policy ------------------------------------------------------------------------------


def test_the_policy_keeps_shorter_deadlines_for_worse_findings(
    org_a, department_head, worker
) -> None:
    url = reverse("findings:policy")
    assert signed_in(worker).get(url).status_code == 403
    client = signed_in(department_head)
    data = {
        "critical_days": 2,
        "major_days": 1,
        "minor_days": 7,
        "repeat_days": 30,
        "effect_days": 14,
    }
    response = client.post(url, data)
    assert "问题越严重，整改期限应越短" in response.content.decode()
    response = client.post(url, {**data, "major_days": 3})
    assert response.status_code == 302
    from houqin.findings.services import policy_for

    assert policy_for(org_a).critical_days == 2
    assert "变更记录" in client.get(url).content.decode()
