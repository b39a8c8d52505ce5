"""The demo center: one demo account per role, idempotent."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from houqin.accounts.demo import DEMO_PASSWORD
from houqin.accounts.models import User
from houqin.accounts.roles import ROLES
from houqin.org.models import Department, Organization

pytestmark = pytest.mark.django_db


def test_it_creates_one_demo_account_per_role_and_changes_nothing_the_second_time() -> None:
    call_command("seed_demo", stdout=StringIO())
    snapshot = list(User.objects.values_list("username", "password", "name").order_by("username"))
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert "账号 0 个" in out.getvalue()
    assert (
        list(User.objects.values_list("username", "password", "name").order_by("username"))
        == snapshot
    )
    for role in ROLES:
        user = User.objects.get(username=role.code)
        assert user.is_demo and user.check_password(DEMO_PASSWORD)
        assert list(user.groups.values_list("name", flat=True)) == [role.code]
    assert Organization.objects.get(code="jc-center").parent.code == "jc-bureau"
    assert Department.objects.count() == 7
    assert User.objects.get(username="bureau_reader").organization.code == "jc-bureau"
