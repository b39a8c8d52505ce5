"""The permissions of the supervision rounds, circulars and self-evaluations, and which
role carries them. ``ROLE_GRANTS`` is what roles.py is to give (the integrator adds it);
until then the ``round_roles`` fixture lends them to the roles for a test."""

from __future__ import annotations

from dataclasses import replace

import pytest
from django.contrib.auth.models import Permission

from houqin.accounts.roles import ROLE_BY_CODE

ROUND = ("appraisal.view_supervisionround",)
CIRCULAR = ("appraisal.view_circular",)
SELFEVAL = ("appraisal.view_selfevaluation",)
RUN = (
    "appraisal.view_supervisionround",
    "appraisal.add_supervisionround",
    "appraisal.change_supervisionround",
    "appraisal.view_circular",
    "appraisal.add_circular",
    "appraisal.change_circular",
    "appraisal.view_selfevaluation",
    "appraisal.add_selfevaluation",
    "appraisal.change_selfevaluation",
)
ROLE_GRANTS: dict[str, tuple[str, ...]] = {
    "leader": (*ROUND, *CIRCULAR, *SELFEVAL),
    "standards_officer": RUN,
    "department_head": CIRCULAR,
    "vendor_manager": CIRCULAR,
}


@pytest.fixture
def round_roles(monkeypatch: pytest.MonkeyPatch) -> None:
    """The roles with the round, circular and self-evaluation permissions added."""
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


def test_only_the_office_drafts_and_publishes() -> None:
    writers = {
        code
        for code, perms in ROLE_GRANTS.items()
        if {"appraisal.add_circular", "appraisal.change_circular"} & set(perms)
    }
    assert writers == {"standards_officer"}
    assert set(ROLE_GRANTS) <= set(ROLE_BY_CODE)
