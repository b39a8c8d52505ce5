"""Every route of the URLconf, checked the same way (SECURITY.md §5): an anonymous visitor
is sent to sign in, an outsider from another organization gets 404 for an object, a role
without the right gets 403. A new route without an entry here fails the sweep."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from houqin.accounts.models import User
from houqin.accounts.roles import ROLES
from tests.conftest import person, signed_in

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Route:
    """How a route is guarded: `public`, `signed_in` (any role) or a permission; whether it
    takes an org-A object (`sample`), and the method that exercises it."""

    guard: str
    sample: str = ""
    method: str = "get"
    denied: str = ""  # a signed-in person of org A who must get 403


PUBLIC = Route("public")
ROUTES: dict[str, Route] = {
    "healthz": PUBLIC,
    "accounts:login": PUBLIC,
    "accounts:login_otp": PUBLIC,
    "accounts:login_otp_setup": PUBLIC,
    "api_schema": PUBLIC,
    "api_docs": PUBLIC,
    "home": Route("signed_in"),
    "accounts:logout": Route("signed_in", method="post"),
    "accounts:password_change": Route("signed_in"),
    "accounts:profile": Route("signed_in"),
    "accounts:sessions": Route("signed_in"),
    "accounts:session_end": Route("signed_in", sample="session", method="post"),
    "accounts:two_factor": Route("signed_in"),
    "accounts:recovery_codes": Route("signed_in", method="post"),
    "accounts:two_factor_disable": Route("signed_in", method="post"),
    "accounts:role_list": Route("signed_in"),
    "api:me": Route("signed_in"),
    "accounts:user_list": Route("accounts.manage_accounts", denied="worker"),
    "accounts:user_export": Route("accounts.manage_accounts", denied="audit_admin"),
    "accounts:user_create": Route("accounts.manage_accounts", denied="security_admin"),
    "accounts:user_detail": Route("accounts.manage_accounts", sample="user", denied="leader"),
    "accounts:user_roles": Route(
        "accounts.assign_roles", sample="user", method="post", denied="system_admin"
    ),
    "accounts:user_set_active": Route(
        "accounts.manage_accounts", sample="user", method="post", denied="security_admin"
    ),
    "accounts:user_reset_password": Route(
        "accounts.manage_accounts", sample="user", method="post", denied="audit_admin"
    ),
    "accounts:policy": Route("accounts.manage_policy", denied="system_admin"),
    "accounts:lockouts": Route("accounts.manage_policy", denied="leader"),
    "accounts:lockout_clear": Route("accounts.manage_policy", method="post", denied="worker"),
    "accounts:audit_list": Route("accounts.view_audit", denied="security_admin"),
    "accounts:audit_export": Route("accounts.view_audit", denied="system_admin"),
}


def url_names(patterns: list[URLPattern | URLResolver], namespace: str = "") -> Iterator[str]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or ""
            yield from url_names(
                pattern.url_patterns, f"{namespace}{inner}:" if inner else namespace
            )
        elif pattern.name:
            yield f"{namespace}{pattern.name}"


def sample_args(kind: str, request: pytest.FixtureRequest) -> list[int]:
    if kind == "user":
        return [request.getfixturevalue("worker").pk]
    if kind == "session":
        from houqin.accounts.models import UserSession

        worker = request.getfixturevalue("worker")
        Client().post(
            reverse("accounts:login"), {"username": worker.username, "password": "Correct-Horse-42"}
        )
        return [UserSession.objects.get(user=worker).pk]
    return []


def outsider_with(guard: str, org_b) -> User:
    """A person of organization B who holds the route's permission (any role if none)."""
    role = next((r.code for r in ROLES if guard in r.permissions), "worker")
    return person(org_b, f"outsider-{role}", role)


def test_it_has_an_entry_for_every_route() -> None:
    names = set(url_names(get_resolver().url_patterns))
    assert names - ROUTES.keys() == set(), "add the new routes to ROUTES"
    assert ROUTES.keys() - names == set(), "remove routes that no longer exist"


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_it_guards_the_route(name: str, request: pytest.FixtureRequest, org_b) -> None:
    route = ROUTES[name]
    url = reverse(name, args=sample_args(route.sample, request))
    response = getattr(Client(), route.method)(url)
    if route.guard == "public":
        assert response.status_code < 400 or response.status_code == 405
        return
    if name.startswith("api:"):
        assert response.status_code in (401, 403)
    else:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    if route.sample:
        response = getattr(signed_in(outsider_with(route.guard, org_b)), route.method)(url)
        assert response.status_code == 404
    if route.denied:
        person = request.getfixturevalue(route.denied)
        assert getattr(signed_in(person), route.method)(url).status_code == 403
