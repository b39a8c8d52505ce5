"""The findings routes swept the way tests/test_url_sweep.py sweeps every route (anonymous
→ sign in, outsider → 404, a role without the right → 403), with the rows of
tests/findings/routes.py, and every findings route has an entry there."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import get_resolver, reverse

from tests.conftest import signed_in
from tests.findings.routes import ROUTES, sample
from tests.test_url_sweep import outsider_with, url_names

pytestmark = pytest.mark.django_db


def test_every_findings_route_has_an_entry() -> None:
    names = {n for n in url_names(get_resolver().url_patterns) if n.startswith("findings:")}
    assert names == ROUTES.keys()


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_it_guards_the_route(name: str, request: pytest.FixtureRequest, org_a, org_b) -> None:
    route = ROUTES[name]
    args = [sample(route.sample, org_a).pk] if route.sample else []
    url = reverse(name, args=args)
    response = getattr(Client(), route.method)(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    if route.sample:
        outsider = outsider_with(route.guard, org_b)
        assert getattr(signed_in(outsider), route.method)(url).status_code == 404
    denied = request.getfixturevalue(route.denied)
    assert getattr(signed_in(denied), route.method)(url).status_code == 403
