"""The system admin's account pages: list, create, edit, disable, reset, export."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from houqin.accounts.models import User
from tests.conftest import give_role, signed_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def list_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("accounts:user_list")).status_code == 200
    return len(queries)


def test_it_runs_the_same_queries_for_2_and_20_users(system_admin, org_a, department) -> None:
    client = signed_in(system_admin)
    list_queries(client)
    counts = []
    for total in (2, 20):
        while User.objects.filter(organization=org_a).count() < total:
            give_role(UserFactory(organization=org_a, department=department), "worker")
        counts.append(list_queries(client))
    assert counts[0] == counts[1]


def test_it_filters_searches_and_sorts(system_admin, worker, leader, department) -> None:
    client = signed_in(system_admin)
    page = client.get(reverse("accounts:user_list"), {"q": "赵"}).content.decode()
    assert "dora" in page and "alice" not in page
    page = client.get(reverse("accounts:user_list"), {"role": "leader"}).content.decode()
    assert "alice" in page and "dora" not in page
    page = client.get(reverse("accounts:user_list"), {"department": department.pk}).content.decode()
    assert "dora" in page and "alice" not in page
    page = client.get(reverse("accounts:user_list"), {"sort": "-username"}).content.decode()
    assert page.index("sysadmin") < page.index("dora") < page.index("alice")
    page = client.get(reverse("accounts:user_list"), {"q": "无此人"}).content.decode()
    assert "没有符合条件的账号" in page


def test_it_masks_phone_numbers_in_the_list(system_admin, worker) -> None:
    page = signed_in(system_admin).get(reverse("accounts:user_list")).content.decode()
    assert "138****5678" in page and "13812345678" not in page


def test_it_creates_an_account_with_a_temporary_password(system_admin, department) -> None:
    response = signed_in(system_admin).post(
        reverse("accounts:user_create"),
        {
            "username": "Xiao.Li",
            "name": "李小",
            "phone": "13900001111",
            "department": department.pk,
        },
    )
    page = response.content.decode()
    assert "账号已创建" in page
    user = User.objects.get(username="Xiao.Li")
    password = page.split('data-testid="temporary-password">')[1].split("<")[0]
    assert user.check_password(password) and user.must_change_password
    assert user.organization == system_admin.organization


def test_it_explains_bad_input_in_chinese_and_saves_nothing(system_admin, worker) -> None:
    response = signed_in(system_admin).post(
        reverse("accounts:user_create"), {"username": "DORA", "name": " ", "phone": "12345"}
    )
    page = response.content.decode()
    assert "该登录名已被使用" in page and "请填写姓名" in page
    assert "手机号格式不正确" in page
    assert User.objects.filter(username__iexact="dora").count() == 1


def test_it_disables_and_enables_an_account(system_admin, worker) -> None:
    client = signed_in(system_admin)
    url = reverse("accounts:user_set_active", args=[worker.pk])
    client.post(url, {"active": "0"})
    worker.refresh_from_db()
    assert not worker.is_active
    response = client.post(url, {"active": "0"}, follow=True)
    assert "请刷新页面" in response.content.decode()
    client.post(url, {"active": "1"})
    worker.refresh_from_db()
    assert worker.is_active


def test_it_refuses_to_disable_oneself(system_admin) -> None:
    client = signed_in(system_admin)
    client.post(reverse("accounts:user_set_active", args=[system_admin.pk]), {"active": "0"})
    system_admin.refresh_from_db()
    assert system_admin.is_active


def test_it_resets_a_password(system_admin, worker) -> None:
    response = signed_in(system_admin).post(
        reverse("accounts:user_reset_password", args=[worker.pk])
    )
    page = response.content.decode()
    password = page.split('data-testid="temporary-password">')[1].split("<")[0]
    worker.refresh_from_db()
    assert worker.check_password(password) and worker.must_change_password


def test_it_edits_name_phone_and_department(system_admin, worker, department) -> None:
    signed_in(system_admin).post(
        reverse("accounts:user_detail", args=[worker.pk]),
        {"name": "赵大红", "phone": "13900002222", "department": department.pk},
    )
    worker.refresh_from_db()
    assert (worker.name, worker.phone) == ("赵大红", "13900002222")


def test_it_exports_the_filtered_accounts(system_admin, worker, leader) -> None:
    response = signed_in(system_admin).get(reverse("accounts:user_export"), {"role": "worker"})
    sheet = load_workbook(BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=4)]
    assert [row[0] for row in rows] == ["dora"]
    assert rows[0][3] == "138****5678"
    assert "角色：一线员工" in sheet["A2"].value
