"""The organization's pages through the generic object pages: lists, forms, detail with the
change log, scoping, permissions, query counts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from houqin.common.models import ChangeLogEntry
from houqin.org.models import Contract, Department, Post, ServedUnit, Staff, Team, Vendor
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db


def vendor(org, code: str = "V1") -> Vendor:
    return Vendor.objects.create(organization=org, code=code, name=f"保洁公司{code}")


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def add_rows(org, start: int, stop: int) -> None:
    """Departments, each with a vendor, an outsourced staff member, a team and a contract."""
    numbers = range(start, stop)
    departments = Department.objects.bulk_create(
        Department(organization=org, code=f"D{n}", name=f"科室{n}") for n in numbers
    )
    vendors = Vendor.objects.bulk_create(
        Vendor(organization=org, code=f"V{n}", name=f"保洁公司{n}") for n in numbers
    )
    Staff.objects.bulk_create(
        Staff(
            organization=org,
            number=f"S{n}",
            name=f"职工{n}",
            employment="outsourced",
            department=d,
            vendor=v,
        )
        for n, d, v in zip(numbers, departments, vendors, strict=True)
    )
    Post.objects.bulk_create(Post(organization=org, code=f"P{n}", name=f"岗位{n}") for n in numbers)
    ServedUnit.objects.bulk_create(
        ServedUnit(organization=org, code=f"U{n}", name=f"单位{n}", body="government")
        for n in numbers
    )
    Team.objects.bulk_create(
        Team(organization=org, department=d, name=f"组{d.code}") for d in departments
    )
    Contract.objects.bulk_create(
        Contract(
            organization=org,
            vendor=v,
            number=f"C{v.code}",
            title=f"合同{v.code}",
            starts_on=date(2026, 1, 1),
            ends_on=date(2026, 12, 31),
            amount=Decimal("1000"),
        )
        for v in vendors
    )


LISTS = [
    "org:department_list",
    "org:team_list",
    "org:post_list",
    "org:staff_list",
    "org:servedunit_list",
    "org:vendor_list",
    "org:contract_list",
]
API_LISTS = [
    "api:department-list",
    "api:staff-list",
    "api:served-unit-list",
    "api:vendor-list",
    "api:contract-list",
]


@pytest.mark.parametrize("url_name", LISTS + API_LISTS)
def test_it_runs_the_same_queries_for_2_and_200_rows(url_name: str, leader, org_a) -> None:
    client = signed_in(leader)
    url = reverse(url_name)
    add_rows(org_a, 0, 2)
    client.get(url)
    counts = [queries(client, url)]
    add_rows(org_a, 2, 200)
    counts.append(queries(client, url))
    assert counts[0] == counts[1]


def test_it_creates_a_department_and_logs_the_change(leader) -> None:
    client = signed_in(leader)
    response = client.post(reverse("org:department_create"), {"code": "CY", "name": "餐饮服务科"})
    department = Department.objects.get(code="CY")
    assert response["Location"] == reverse("org:department_detail", args=[department.pk])
    entry = ChangeLogEntry.objects.get(object_id=str(department.pk), action="create")
    assert entry.actor == leader and entry.changes["name"] == [None, "餐饮服务科"]
    page = client.get(response["Location"]).content.decode()
    assert "变更记录" in page and "餐饮服务科" in page


def test_it_refuses_a_duplicate_code_in_chinese_and_saves_nothing(leader, department) -> None:
    response = signed_in(leader).post(
        reverse("org:department_create"), {"code": "WY", "name": "又一个"}
    )
    page = response.content.decode()
    assert response.status_code == 200 and "科室代码“WY”已被使用" in page
    assert Department.objects.filter(code="WY").count() == 1


def test_it_records_before_and_after_on_edit(leader, department) -> None:
    signed_in(leader).post(
        reverse("org:department_update", args=[department.pk]), {"code": "WY", "name": "物业服务科"}
    )
    entry = ChangeLogEntry.objects.get(object_id=str(department.pk), action="update")
    assert entry.changes == {"name": ["物业管理科", "物业服务科"]}
    assert (entry.actor, entry.ip) == (leader, "127.0.0.1")


def test_it_explains_outsourced_staff_need_a_vendor(leader, department) -> None:
    response = signed_in(leader).post(
        reverse("org:staff_create"),
        {
            "number": "001",
            "name": "张三",
            "employment": "outsourced",
            "department": department.pk,
            "phone": "12",
        },
    )
    page = response.content.decode()
    assert "外包人员须填写所属外包服务商" in page and "电话格式不正确" in page
    assert not Staff.objects.exists()


def test_it_hides_other_organizations_rows(outsider, org_a, org_b, leader) -> None:
    mine = Department.objects.create(organization=org_a, code="A1", name="甲科")
    Department.objects.create(organization=org_b, code="B1", name="乙科")
    page = signed_in(leader).get(reverse("org:department_list")).content.decode()
    assert "甲科" in page and "乙科" not in page
    from tests.conftest import person

    other_leader = person(org_b, "bleader", "leader")
    client = signed_in(other_leader)
    assert client.get(reverse("org:department_detail", args=[mine.pk])).status_code == 404
    assert (
        client.post(
            reverse("org:department_update", args=[mine.pk]), {"code": "X", "name": "X"}
        ).status_code
        == 404
    )
    assert client.post(reverse("org:department_delete", args=[mine.pk])).status_code == 404


def test_it_lets_a_bureau_reader_read_member_centers_but_not_write(org_a, department) -> None:
    from houqin.org.models import Organization
    from tests.conftest import person

    bureau = Organization.objects.create(code="bureau", name="市机关事务管理局", kind="bureau")
    org_a.parent = bureau
    org_a.save()
    reader = person(bureau, "reader", "bureau_reader")
    client = signed_in(reader)
    assert "物业管理科" in client.get(reverse("org:department_list")).content.decode()
    assert client.get(reverse("org:department_detail", args=[department.pk])).status_code == 200
    assert client.get(reverse("org:department_create")).status_code == 403
    assert client.get(reverse("org:staff_list")).status_code == 200
    Staff.objects.create(organization=org_a, number="9", name="王五", employment="contract")
    assert "王五" not in client.get(reverse("org:staff_list")).content.decode()


def test_it_refuses_writes_to_roles_without_the_right(
    worker, standards_officer, department
) -> None:
    assert signed_in(worker).get(reverse("org:department_list")).status_code == 403
    client = signed_in(standards_officer)
    assert client.get(reverse("org:department_list")).status_code == 200
    assert client.get(reverse("org:department_create")).status_code == 403
    assert client.post(reverse("org:department_delete", args=[department.pk])).status_code == 403


def test_it_refuses_to_delete_a_department_that_staff_belong_to(leader, org_a, department) -> None:
    Staff.objects.create(
        organization=org_a, number="1", name="李四", employment="contract", department=department
    )
    response = signed_in(leader).post(
        reverse("org:department_delete", args=[department.pk]), follow=True
    )
    assert "不能删除" in response.content.decode()
    assert Department.objects.filter(pk=department.pk).exists()
    assert not ChangeLogEntry.objects.filter(action="delete").exists()


def test_it_exports_the_filtered_staff(leader, org_a, department) -> None:
    from io import BytesIO

    from openpyxl import load_workbook

    Staff.objects.create(
        organization=org_a, number="1", name="李四", employment="contract", phone="13900001111"
    )
    Staff.objects.create(organization=org_a, number="2", name="王五", employment="civil_servant")
    response = signed_in(leader).get(
        reverse("org:staff_list"), {"employment": "contract", "export": "xlsx"}
    )
    sheet = load_workbook(BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=4)]
    assert [r[1] for r in rows] == ["李四"] and rows[0][6] == "139****1111"
    from houqin.accounts.models import AuditEvent

    assert AuditEvent.objects.filter(kind="export", actor=leader, detail__rows=1).exists()


def test_it_keeps_filtering_after_the_api_schema_was_generated(leader, org_a, department) -> None:
    from django.test import Client

    Staff.objects.create(
        organization=org_a, number="1", name="李四", employment="contract", department=department
    )
    Staff.objects.create(organization=org_a, number="2", name="王五", employment="contract")
    assert Client().get("/api/schema/").status_code == 200
    page = (
        signed_in(leader)
        .get(reverse("org:staff_list"), {"department": department.pk})
        .content.decode()
    )
    assert "李四" in page and "王五" not in page


def test_it_escapes_what_people_typed_in_list_rows_and_navigation(leader, org_a) -> None:
    Staff.objects.create(
        organization=org_a, number="<b>1</b>", name="<script>x</script>", employment="contract"
    )
    page = signed_in(leader).get(reverse("org:staff_list")).content.decode()
    assert "<script>x</script>" not in page and "&lt;script&gt;x&lt;/script&gt;" in page
    assert "&lt;b&gt;1&lt;/b&gt;" in page and 'aria-current="page"' in page


def test_it_deletes_ticked_rows_and_reports_the_ones_it_cannot(leader, org_a, department) -> None:
    spare = Department.objects.create(organization=org_a, code="X1", name="临时科")
    Staff.objects.create(
        organization=org_a, number="1", name="李四", employment="contract", department=department
    )
    client = signed_in(leader)
    page = client.get(reverse("org:department_list")).content.decode()
    assert 'name="bulk_action"' in page and "删除所选" in page
    response = client.post(
        reverse("org:department_list"),
        {"bulk_action": "delete", "ids": [spare.pk, department.pk]},
        follow=True,
    )
    text = response.content.decode()
    assert "已完成 1 条" in text and "1 条未能完成" in text and "不能删除" in text
    assert list(Department.objects.values_list("code", flat=True)) == ["WY"]


def test_it_offers_no_bulk_action_without_the_right(standards_officer, department) -> None:
    client = signed_in(standards_officer)
    assert 'name="bulk_action"' not in client.get(reverse("org:department_list")).content.decode()
    response = client.post(
        reverse("org:department_list"), {"bulk_action": "delete", "ids": [department.pk]}
    )
    assert response.status_code == 403 and Department.objects.filter(pk=department.pk).exists()


def test_it_lets_staff_leave_in_bulk_but_never_deletes_them(leader, org_a) -> None:
    people = [
        Staff.objects.create(
            organization=org_a, number=str(n), name=f"职工{n}", employment="contract"
        )
        for n in range(3)
    ]
    client = signed_in(leader)
    page = client.get(reverse("org:staff_list")).content.decode()
    assert "办理离职" in page and "删除所选" not in page
    client.post(
        reverse("org:staff_list"), {"bulk_action": "leave", "ids": [p.pk for p in people[:2]]}
    )
    assert list(Staff.objects.order_by("number").values_list("status", flat=True)) == [
        "left",
        "left",
        "active",
    ]
    assert (
        client.post(
            reverse("org:staff_list"), {"bulk_action": "delete", "ids": [people[2].pk]}
        ).status_code
        == 403
    )


def test_it_lists_who_may_request_services_for_a_served_unit(leader, org_a, served) -> None:
    from houqin.org.models import ServedUnit

    unit = ServedUnit.objects.create(
        organization=org_a, code="SW01", name="市委办公室", body="party"
    )
    unit.requesters.add(served)
    page = signed_in(leader).get(reverse("org:servedunit_detail", args=[unit.pk])).content.decode()
    assert "可申请服务的人员（1 人）" in page and "孙科员（frank）" in page


def test_it_reports_a_repeated_staff_number_with_the_other_mistakes(leader, org_a) -> None:
    Staff.objects.create(organization=org_a, number="001", name="李四", employment="contract")
    response = signed_in(leader).post(
        reverse("org:staff_create"),
        {"number": "001", "name": "张三", "employment": "outsourced", "phone": "12"},
    )
    page = response.content.decode()
    assert "工号“001”已被使用" in page and "外包人员须填写所属外包服务商" in page
    assert "电话格式不正确" in page and Staff.objects.count() == 1


def test_it_sets_who_may_request_services_by_login_name(leader, org_a, served, worker) -> None:
    from houqin.org.models import ServedUnit

    client = signed_in(leader)
    data = {"code": "SW01", "name": "市委办公室", "body": "party", "contact": "", "phone": ""}
    response = client.post(
        reverse("org:servedunit_create"), {**data, "requester_logins": "frank, nobody"}
    )
    assert "以下登录名不存在或已停用：nobody" in response.content.decode()
    assert not ServedUnit.objects.exists()
    client.post(reverse("org:servedunit_create"), {**data, "requester_logins": "FRANK\ndora"})
    unit = ServedUnit.objects.get()
    assert set(unit.requesters.values_list("username", flat=True)) == {"frank", "dora"}
    page = client.get(reverse("org:servedunit_update", args=[unit.pk])).content.decode()
    assert "dora frank" in page
    client.post(
        reverse("org:servedunit_update", args=[unit.pk]), {**data, "requester_logins": "frank"}
    )
    entry = ChangeLogEntry.objects.filter(
        object_id=str(unit.pk), changes__has_key="可申请服务的人员"
    ).first()
    assert entry.changes["可申请服务的人员"] == ["dora、frank", "frank"]


def test_it_says_why_a_filter_value_is_wrong_instead_of_listing_everything(leader, org_a) -> None:
    Staff.objects.create(organization=org_a, number="1", name="李四", employment="contract")
    page = (
        signed_in(leader)
        .get(reverse("org:staff_list"), {"employment": "nonsense"})
        .content.decode()
    )
    assert "李四" not in page and "没有符合条件的记录" in page and "invalid-feedback" in page
