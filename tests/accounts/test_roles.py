"""Roles as groups; the three administrators are separate (三员分立)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from houqin.accounts.models import Membership
from houqin.accounts.roles import ADMIN_ROLES, ROLES
from houqin.accounts.services import roles_sync, user_set_roles
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db


def test_it_creates_one_group_per_role_idempotently(org_a) -> None:
    roles_sync()
    roles_sync()
    assert set(Group.objects.values_list("name", flat=True)) == {role.code for role in ROLES}
    audit = set(
        Group.objects.get(name="audit_admin").permissions.values_list("codename", flat=True)
    )
    assert audit == {"view_audit", "view_changelogentry"}


def test_it_refuses_two_administrator_roles(security_admin, worker) -> None:
    with pytest.raises(ValidationError, match="只能担任"):
        user_set_roles(
            actor=security_admin, user=worker, role_codes={"system_admin", "audit_admin"}
        )


def test_it_refuses_an_administrator_with_a_business_role(security_admin, worker) -> None:
    with pytest.raises(ValidationError, match="不能同时担任业务角色"):
        user_set_roles(actor=security_admin, user=worker, role_codes={"system_admin", "worker"})


def test_it_keeps_two_administrator_roles_apart_in_the_database(system_admin) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(
            user=system_admin, group=Group.objects.get(name="audit_admin"), is_admin_role=True
        )


def test_it_refuses_changing_ones_own_roles(security_admin) -> None:
    with pytest.raises(ValidationError, match="不能修改自己的角色"):
        user_set_roles(actor=security_admin, user=security_admin, role_codes={"leader"})


def test_it_gives_administrators_no_business_permission(
    system_admin, security_admin, audit_admin
) -> None:
    business = (
        "org.add_department",
        "org.change_contract",
        "places.add_place",
        "org.view_contract",
    )
    for admin in (system_admin, security_admin, audit_admin):
        assert not any(admin.has_perm(perm) for perm in business)
    assert security_admin.get_all_permissions() == {
        "accounts.assign_roles",
        "accounts.manage_policy",
        "common.view_webhookendpoint",
        "common.add_webhookendpoint",
        "common.change_webhookendpoint",
        "common.delete_webhookendpoint",
    }
    assert not system_admin.has_perm("accounts.view_audit")
    assert not security_admin.has_perm("accounts.manage_accounts")
    assert audit_admin.get_all_permissions() == {
        "accounts.view_audit",
        "common.view_changelogentry",
    }
    assert not any(
        p.startswith(("add_", "change_", "delete_")) for p in audit_admin.get_all_permissions()
    )


def test_it_assigns_roles_through_the_page(security_admin, worker) -> None:
    client = signed_in(security_admin)
    url = reverse("accounts:user_roles", args=[worker.pk])
    client.post(url, {"roles": ["worker", "department_head"]})
    assert set(worker.groups.values_list("name", flat=True)) == {"worker", "department_head"}
    response = client.post(url, {"roles": ["security_admin", "worker"]}, follow=True)
    assert "三员分立" in response.content.decode()
    assert set(worker.groups.values_list("name", flat=True)) == {"worker", "department_head"}


def test_it_lists_every_role_and_what_it_may_do(worker) -> None:
    page = signed_in(worker).get(reverse("accounts:role_list")).content.decode()
    for role in ROLES:
        assert role.label in page and role.code in page
    assert "查阅和导出安全审计日志" in page
    assert len(ADMIN_ROLES) == 3


def test_it_checks_permissions_from_the_roles_as_the_groups_hold_them(leader, audit_admin) -> None:
    for role in ROLES:
        group = Group.objects.get(name=role.code)
        held = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
        assert held == set(role.permissions)
    assert audit_admin.has_perm("accounts.view_audit") and not leader.has_perm(
        "accounts.view_audit"
    )


def test_it_names_every_permission_in_chinese(worker) -> None:
    page = signed_in(worker).get(reverse("accounts:role_list")).content.decode()
    assert "Can " not in page and "查看科室" in page


def test_it_applies_a_role_change_on_the_next_request(
    security_admin, leader, django_assert_max_num_queries
) -> None:
    client = signed_in(leader)
    assert client.get(reverse("org:department_list")).status_code == 200
    with django_assert_max_num_queries(5):  # session, user, count, rows, bell
        client.get(reverse("org:department_list"))
    user_set_roles(actor=security_admin, user=leader, role_codes={"worker"})
    assert client.get(reverse("org:department_list")).status_code == 403
    user_set_roles(actor=security_admin, user=leader, role_codes={"leader"})
    assert client.get(reverse("org:department_list")).status_code == 200
