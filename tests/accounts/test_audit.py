"""The security audit trail: what it records, who may read it, that nobody can change it."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.urls import reverse
from openpyxl import load_workbook

from houqin.accounts.models import AuditEvent
from houqin.accounts.services import (
    audit_record,
    user_create,
    user_reset_password,
    user_set_active,
    user_set_roles,
)
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db


def test_it_records_account_and_role_changes(system_admin, security_admin, worker, org_a) -> None:
    user, _ = user_create(actor=system_admin, organization=org_a, username="newbie", name="新同事")
    user_reset_password(actor=system_admin, user=worker)
    user_set_active(actor=system_admin, user=worker, active=False)
    user_set_roles(actor=security_admin, user=user, role_codes={"worker"})
    kinds = list(AuditEvent.objects.order_by("id").values_list("kind", flat=True))
    assert kinds == ["account_create", "password_reset", "account_disable", "role_change"]
    role_change = AuditEvent.objects.get(kind="role_change")
    assert role_change.actor == security_admin and role_change.target == user
    assert role_change.detail == {"before": [], "after": ["worker"]}


def test_it_cannot_be_edited_or_deleted_through_the_application(worker) -> None:
    event = audit_record(kind=AuditEvent.Kind.LOGIN, actor=worker)
    event.outcome = "failure"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(outcome="failure")
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE accounts_auditevent SET outcome = 'failure'",
        "DELETE FROM accounts_auditevent",
    ],
)
def test_it_is_protected_by_the_database_too(worker, sql: str) -> None:
    audit_record(kind=AuditEvent.Kind.LOGIN, actor=worker)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)
    assert AuditEvent.objects.filter(outcome="success").count() == 1


def test_it_lists_and_filters_entries_for_the_audit_admin(audit_admin, worker) -> None:
    audit_record(kind=AuditEvent.Kind.LOGIN, actor=worker)
    audit_record(kind=AuditEvent.Kind.LOGIN_FAILED, outcome="failure", actor_username="ghost")
    client = signed_in(audit_admin)
    page = client.get(reverse("accounts:audit_list"), {"outcome": "failure"}).content.decode()
    assert "ghost" in page and "dora" not in page
    page = client.get(reverse("accounts:audit_list"), {"q": "dora"}).content.decode()
    assert "dora" in page and "ghost" not in page


def test_it_exports_the_filtered_entries_and_audits_the_export(audit_admin, worker) -> None:
    audit_record(kind=AuditEvent.Kind.LOGIN_FAILED, outcome="failure", actor_username="=1+1")
    audit_record(kind=AuditEvent.Kind.LOGIN, actor=worker)
    response = signed_in(audit_admin).get(reverse("accounts:audit_export"), {"outcome": "failure"})
    sheet = load_workbook(BytesIO(response.content)).active
    assert sheet["A1"].value == "安全审计日志"
    assert "结果：失败" in sheet["A2"].value
    assert [c.value for c in sheet[3]][:4] == ["时间", "事件", "结果", "操作人"]
    assert sheet.max_row == 4 and sheet["D4"].value == "'=1+1"
    export = AuditEvent.objects.get(kind="export")
    assert export.actor == audit_admin and export.detail["rows"] == 1


def test_it_runs_the_same_queries_for_2_and_20_entries(
    audit_admin, worker, django_assert_max_num_queries
) -> None:
    client = signed_in(audit_admin)
    client.get(reverse("accounts:audit_list"))
    counts = []
    for total in (2, 20):
        while AuditEvent.objects.count() < total:
            audit_record(kind=AuditEvent.Kind.LOGIN, actor=worker)
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("accounts:audit_list")).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_it_describes_entries_in_words(audit_admin, security_admin, worker) -> None:
    user_set_roles(actor=security_admin, user=worker, role_codes={"worker", "leader"})
    audit_record(kind=AuditEvent.Kind.LOCKOUT, outcome="failure", detail={"ip": "10.0.0.9"})
    page = signed_in(audit_admin).get(reverse("accounts:audit_list")).content.decode()
    assert "对象：赵师傅（dora）" in page and "新角色：" in page and "中心领导" in page
    assert "地址：10.0.0.9" in page and "ip：" not in page
