"""Each page: it needs login, the outsider gets 404, a role without the right gets 403."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import signed_in

pytestmark = pytest.mark.django_db

ADMIN_PAGES = {
    "accounts:user_list": ("system_admin", "security_admin"),
    "accounts:user_export": ("system_admin", "security_admin"),
    "accounts:user_create": ("system_admin",),
    "accounts:policy": ("security_admin",),
    "accounts:lockouts": ("security_admin",),
    "accounts:audit_list": ("audit_admin",),
    "accounts:audit_export": ("audit_admin",),
}
EVERYONE_PAGES = [
    "home",
    "accounts:profile",
    "accounts:sessions",
    "accounts:two_factor",
    "accounts:role_list",
    "accounts:password_change",
]
PEOPLE = ["leader", "worker", "served", "system_admin", "security_admin", "audit_admin"]


@pytest.mark.parametrize("url_name", [*ADMIN_PAGES, *EVERYONE_PAGES])
def test_it_sends_anonymous_visitors_to_login(url_name: str, org_a) -> None:
    response = Client().get(reverse(url_name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("url_name", list(ADMIN_PAGES))
@pytest.mark.parametrize("who", PEOPLE)
def test_it_lets_only_the_right_administrator_in(url_name: str, who: str, request) -> None:
    user = request.getfixturevalue(who)
    response = signed_in(user).get(reverse(url_name))
    expected = 200 if who in ADMIN_PAGES[url_name] else 403
    assert response.status_code == expected


@pytest.mark.parametrize("url_name", EVERYONE_PAGES)
@pytest.mark.parametrize("who", PEOPLE)
def test_it_opens_personal_pages_for_everyone(url_name: str, who: str, request) -> None:
    user = request.getfixturevalue(who)
    assert signed_in(user).get(reverse(url_name)).status_code == 200


@pytest.mark.parametrize(
    "url_name", ["accounts:user_detail", "accounts:user_roles", "accounts:user_set_active"]
)
def test_it_hides_other_organizations_accounts(url_name: str, outsider, worker) -> None:
    client = signed_in(outsider)
    url = reverse(url_name, args=[worker.pk])
    response = client.post(url) if url_name != "accounts:user_detail" else client.get(url)
    assert response.status_code in (403, 404)
    assert (
        signed_in(outsider).get(reverse("accounts:user_detail", args=[worker.pk])).status_code
        == 404
    )


def test_it_refuses_account_actions_to_the_security_admin(security_admin, worker) -> None:
    client = signed_in(security_admin)
    assert client.post(reverse("accounts:user_set_active", args=[worker.pk])).status_code == 403
    assert client.post(reverse("accounts:user_reset_password", args=[worker.pk])).status_code == 403
    assert client.get(reverse("accounts:user_create")).status_code == 403


def test_it_refuses_role_changes_to_the_system_admin(system_admin, worker) -> None:
    client = signed_in(system_admin)
    response = client.post(reverse("accounts:user_roles", args=[worker.pk]), {"roles": ["leader"]})
    assert response.status_code == 403


def test_it_shows_navigation_only_for_pages_the_role_may_use(system_admin, audit_admin) -> None:
    page = signed_in(system_admin).get(reverse("home")).content.decode()
    assert "账号管理" in page and "审计日志" not in page and "安全策略" not in page
    page = signed_in(audit_admin).get(reverse("home")).content.decode()
    assert "审计日志" in page and "账号管理" not in page


def test_it_serves_friendly_error_pages(worker, settings) -> None:
    response = signed_in(worker).get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()
    response = signed_in(worker).get(reverse("accounts:audit_list"))
    assert "没有权限" in response.content.decode()


def test_it_reports_health(db) -> None:
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_it_shows_the_leader_figures_that_lead_to_the_rows(leader, org_a) -> None:
    from houqin.org.models import Staff

    Staff.objects.create(organization=org_a, number="1", name="李四", employment="contract")
    page = signed_in(leader).get(reverse("home")).content.decode()
    assert "在岗" in page and "/org/staff/?status=active" in page
    assert "证书已过期" in page and "今日变更" in page
