"""Who may do what in appraisal, as roles.py grants it: every granted permission exists, only
the office writes, the leader approves and signs off, subjects' people appeal and read."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Permission

from houqin.accounts.roles import ROLE_BY_CODE


def perms(code: str) -> set[str]:
    return set(ROLE_BY_CODE[code].permissions)


def fresh(user: Any) -> Any:
    """The user read again (permissions are cached on the object)."""
    return type(user).objects.get(pk=user.pk)


@pytest.mark.django_db
def test_every_granted_appraisal_permission_exists() -> None:
    granted = {
        p for role in ROLE_BY_CODE.values() for p in role.permissions if p.startswith("appraisal.")
    }
    rows = Permission.objects.filter(content_type__app_label="appraisal")
    assert (
        granted - {f"appraisal.{codename}" for codename in rows.values_list("codename", flat=True)}
        == set()
    )


def test_only_the_office_writes_schemes_periods_circulars_and_statements() -> None:
    writes = {
        "appraisal.change_appraisalscheme",
        "appraisal.change_period",
        "appraisal.add_circular",
        "appraisal.change_circular",
        "appraisal.change_deductionstatement",
        "appraisal.add_rewardpenalty",
    }
    writers = {code for code in ROLE_BY_CODE if writes & perms(code)}
    assert writers == {"standards_officer"}


def test_the_leader_approves_and_signs_off_and_no_one_else() -> None:
    for permission in ("appraisal.approve_rewardpenalty", "appraisal.signoff_deductionstatement"):
        assert {code for code in ROLE_BY_CODE if permission in perms(code)} == {"leader"}


def test_subjects_people_appeal_and_a_vendor_manager_reads_its_statements() -> None:
    for code in ("department_head", "vendor_manager", "worker", "vendor_worker"):
        assert {"appraisal.view_period", "appraisal.add_appeal"} <= perms(code)
    assert {
        "appraisal.view_deductionstatement",
        "appraisal.appeal_deductionstatement",
    } <= perms("vendor_manager")
    assert "appraisal.change_appeal" not in perms("vendor_manager")
