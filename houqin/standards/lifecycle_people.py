"""Who takes part in a standard's lifecycle: the office (``manage_standard``), the drafters
of a standard (``draft_standard`` in the office or the owner department), the leaders
(``approve_standard``), the people a standard governs, the invitees of a consultation.
Permissions come from the roles (roles.py), so "who holds X" is a query on role groups."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from houqin.accounts.models import User
from houqin.accounts.roles import ROLES
from houqin.org.models import Staff
from houqin.standards.models import APPROVE, DRAFT, MANAGE, Consultation, Standard
from houqin.standards.selectors import sees_all_standards


def users_with_perm(organization_id: int, perm: str) -> QuerySet[User]:
    """Active users of an organization whose roles grant ``perm`` (roles.py is the source
    of permissions, see accounts/backends.py)."""
    codes = [role.code for role in ROLES if perm in role.permissions]
    return (
        User.objects.filter(organization_id=organization_id, is_active=True, groups__name__in=codes)
        .distinct()
        .order_by("pk")
    )


def is_drafter(user: Any, standard: Standard) -> bool:
    """A drafter of this standard: the drafting permission, and the standards office or the
    owner department (the rule of ``services.can_edit_text`` without its state part)."""
    if not user.has_perm(DRAFT):
        return False
    return user.has_perm(MANAGE) or (
        standard.owner_department_id is not None
        and standard.owner_department_id == getattr(user, "department_id", None)
    )


def drafter_people(standard: Standard) -> list[User]:
    """Who writes the standard: drafting people of the owner department and the proposer."""
    people: dict[int, User] = {}
    if standard.owner_department_id is not None:
        for user in users_with_perm(standard.organization_id, DRAFT).filter(
            department_id=standard.owner_department_id
        ):
            people[user.pk] = user
    if standard.proposer_id is not None and standard.proposer_id not in people:
        proposer = User.objects.filter(pk=standard.proposer_id, is_active=True).first()
        if proposer is not None:
            people[proposer.pk] = proposer
    return list(people.values())


def office_people(organization_id: int) -> list[User]:
    return list(users_with_perm(organization_id, MANAGE))


def leader_people(organization_id: int) -> list[User]:
    return list(users_with_perm(organization_id, APPROVE))


def governed_people(standard: Standard) -> QuerySet[User]:
    """The people a standard governs: active staff whose post is one of its posts (through
    their login account) and the users of its owner department."""
    rule = Q(staff__post__in=standard.posts.values("pk"), staff__status=Staff.Status.ACTIVE)
    if standard.owner_department_id is not None:
        rule |= Q(department_id=standard.owner_department_id)
    return (
        User.objects.filter(organization_id=standard.organization_id, is_active=True)
        .filter(rule)
        .distinct()
        .order_by("pk")
    )


def consultation_invitees(consultation: Consultation) -> QuerySet[User]:
    """The people asked for comments: those listed, the members of the listed departments
    and the requesters of the listed served units."""
    return (
        User.objects.filter(organization_id=consultation.organization_id, is_active=True)
        .filter(
            Q(pk__in=consultation.people.values("pk"))
            | Q(department__in=consultation.departments.values("pk"))
            | Q(served_units__in=consultation.served_units.values("pk"))
        )
        .distinct()
        .order_by("pk")
    )


def is_invitee(user: Any, consultation: Consultation) -> bool:
    if not getattr(user, "is_authenticated", False) or not getattr(user, "pk", None):
        return False
    if user.organization_id != consultation.organization_id:
        return False
    return consultation_invitees(consultation).filter(pk=user.pk).exists()


def may_view_consultation(user: Any, consultation: Consultation) -> bool:
    """Those who work on standards see every consultation; an invited person sees theirs
    (frontline staff otherwise read only the standards in force)."""
    return sees_all_standards(user) or is_invitee(user, consultation)


def may_comment(user: Any, consultation: Consultation) -> bool:
    """Invitees, the standards office and the drafters may comment (state aside)."""
    return (
        user.has_perm(MANAGE)
        or is_drafter(user, consultation.standard)
        or is_invitee(user, consultation)
    )
