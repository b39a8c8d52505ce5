"""Who is told about findings: the heads of a department, the managers of a vendor, the
leaders of an organization (read from the role groups, see accounts/roles.py), and whether
a person belongs to a department or works for a vendor."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from houqin.accounts.models import User
from houqin.findings.models import Rectification
from houqin.org.models import Staff

HEAD_ROLE, LEADER_ROLE, VENDOR_MANAGER_ROLE = "department_head", "leader", "vendor_manager"


def is_member(user: Any, *, department_id: int | None, vendor_id: int | None) -> bool:
    """Whether user belongs to the department, or works (active) for the vendor."""
    if department_id is not None and getattr(user, "department_id", None) == department_id:
        return True
    if vendor_id is None:
        return False
    return Staff.objects.filter(
        user_id=user.pk, vendor_id=vendor_id, status=Staff.Status.ACTIVE
    ).exists()


def _users_by(rows: Iterable[tuple[int, User]]) -> dict[int, list[User]]:
    found: dict[int, list[User]] = {}
    for key, user in rows:
        found.setdefault(key, []).append(user)
    return found


def heads_of(department_ids: Iterable[int]) -> dict[int, list[User]]:
    """The active department heads (role ``department_head``) of each department (one query)."""
    ids = set(department_ids)
    if not ids:
        return {}
    users = User.objects.filter(
        department_id__in=ids, is_active=True, groups__name=HEAD_ROLE
    ).distinct()
    return _users_by((user.department_id, user) for user in users.order_by("pk"))  # type: ignore[misc]


def vendor_managers_of(vendor_ids: Iterable[int]) -> dict[int, list[User]]:
    """The active managers (role ``vendor_manager``) of each vendor, by their staff record."""
    ids = set(vendor_ids)
    if not ids:
        return {}
    staff = (
        Staff.objects.filter(
            vendor_id__in=ids,
            status=Staff.Status.ACTIVE,
            user__is_active=True,
            user__groups__name=VENDOR_MANAGER_ROLE,
        )
        .select_related("user")
        .order_by("pk")
    )
    return _users_by((row.vendor_id, row.user) for row in staff)  # type: ignore[misc]


def leaders_of(organization_ids: Iterable[int]) -> dict[int, list[User]]:
    """The active leaders (role ``leader``) of each organization (one query)."""
    ids = set(organization_ids)
    if not ids:
        return {}
    users = User.objects.filter(
        organization_id__in=ids, is_active=True, groups__name=LEADER_ROLE
    ).distinct()
    return _users_by((user.organization_id, user) for user in users.order_by("pk"))


def responsible_people(rectification: Rectification) -> list[User]:
    """Who is told that a fix is due: the person named, else the heads of the responsible
    department, else the managers of the responsible vendor."""
    if rectification.person_id is not None:
        return [rectification.person]
    if rectification.department_id is not None:
        heads = heads_of([rectification.department_id]).get(rectification.department_id, [])
        if heads:
            return heads
    if rectification.vendor_id is not None:
        return vendor_managers_of([rectification.vendor_id]).get(rectification.vendor_id, [])
    return []


def responsible_words(rectification: Rectification) -> str:
    """责任方 in words: “物业管理科 / 赵师傅”."""
    parts = [str(x) for x in (rectification.department, rectification.vendor) if x is not None]
    if rectification.person is not None:
        parts.append(str(getattr(rectification.person, "name", "") or rectification.person))
    return " / ".join(parts) or "未指定"
