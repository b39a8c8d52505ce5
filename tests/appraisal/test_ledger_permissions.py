"""The permissions of the ledger and the vendor deductions, and which role carries them.
``ROLE_GRANTS`` is what roles.py is to give (the integrator adds it); until then the
``ledger_roles`` fixture lends them to the roles for a test."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from django.contrib.auth.models import Permission

from houqin.accounts.roles import ROLE_BY_CODE

ROLE_GRANTS: dict[str, tuple[str, ...]] = {
    "leader": (
        "appraisal.view_rewardpenalty",
        "appraisal.approve_rewardpenalty",
        "appraisal.view_deductionterms",
        "appraisal.view_deductionstatement",
        "appraisal.signoff_deductionstatement",
    ),
    "standards_officer": (
        "appraisal.view_rewardpenalty",
        "appraisal.add_rewardpenalty",
        "appraisal.view_deductionterms",
        "appraisal.add_deductionterms",
        "appraisal.change_deductionterms",
        "appraisal.view_deductionstatement",
        "appraisal.add_deductionstatement",
        "appraisal.change_deductionstatement",
    ),
    "vendor_manager": (
        "appraisal.view_deductionstatement",
        "appraisal.appeal_deductionstatement",
    ),
}


@pytest.fixture
def ledger_roles(monkeypatch: pytest.MonkeyPatch) -> None:
    """The roles with the ledger and deduction permissions added."""
    for code, extra in ROLE_GRANTS.items():
        role = ROLE_BY_CODE[code]
        missing = tuple(p for p in extra if p not in role.permissions)
        monkeypatch.setitem(
            ROLE_BY_CODE, code, replace(role, permissions=(*role.permissions, *missing))
        )


@pytest.mark.django_db
def test_every_granted_permission_exists() -> None:
    wanted = {p for perms in ROLE_GRANTS.values() for p in perms}
    rows = Permission.objects.filter(content_type__app_label="appraisal").values_list(
        "codename", flat=True
    )
    assert wanted - {f"appraisal.{codename}" for codename in rows} == set()


def test_a_vendor_manager_cannot_sign_off_or_approve() -> None:
    assert not {
        "appraisal.signoff_deductionstatement",
        "appraisal.approve_rewardpenalty",
        "appraisal.change_deductionstatement",
    } & set(ROLE_GRANTS["vendor_manager"])


def fresh(user: Any) -> Any:
    """The user read again (permissions are cached on the object)."""
    return type(user).objects.get(pk=user.pk)
