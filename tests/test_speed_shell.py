"""The fast shell (STYLE.md, Speed): home figures, bell and navigation built as strings or in
one compiled statement must show what the ORM and the templates showed, and never stale."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from houqin.accounts.selectors import home_figures, user_for_session
from houqin.accounts.services import user_set_roles
from houqin.common.models import ChangeLogEntry, Notification
from houqin.common.navigation import navigation_html
from houqin.common.notifications import notify
from houqin.org.models import Contract, Staff, Vendor
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db


def test_the_home_figures_are_the_orm_counts_for_every_role(
    leader, system_admin, security_admin, audit_admin, served, org_a, org_b
) -> None:
    vendor = Vendor.objects.create(organization=org_a, code="V1", name="保洁公司")
    other = Vendor.objects.create(organization=org_b, code="V1", name="保洁公司")
    Staff.objects.create(
        organization=org_a, number="1", name="甲", employment="outsourced", vendor=vendor
    )
    Staff.objects.create(organization=org_a, number="2", name="乙", employment="contract")
    Staff.objects.create(
        organization=org_b, number="3", name="外", employment="outsourced", vendor=other
    )
    Contract.objects.create(
        organization=org_a,
        number="C1",
        title="保洁",
        vendor=vendor,
        starts_on="2026-01-01",
        ends_on="2026-12-31",
        amount=1000,
    )
    User = get_user_model()
    assert home_figures(leader) | {"totp_devices": 0, "sessions": 0} == {
        "staff_active": 2,
        "staff_outsourced": 1,
        "contracts_active": Contract.objects.filter(status="active").count(),
        "contracts_draft": Contract.objects.filter(status="draft").count(),
        "certificates_expired": 0,
        "certificates_soon": 0,
        "changes_today": ChangeLogEntry.objects.count(),
        "reading_pending": 0,
        "reading_late": 0,
        "totp_devices": 0,
        "sessions": 0,
    }
    in_a = User.objects.filter(organization=org_a)
    figures = home_figures(system_admin)
    assert figures["users_active"] == in_a.filter(is_active=True).count()
    assert figures["users_disabled"] == 0 and figures["totp_devices"] == 1
    assert "audit_today" not in figures
    assert home_figures(security_admin)["users_without_role"] == 0
    assert set(home_figures(audit_admin)) == {
        "audit_today",
        "audit_failures_today",
        "totp_devices",
        "sessions",
    }
    assert set(home_figures(served)) == {"totp_devices", "sessions"}


def test_the_home_page_shows_new_rows_at_once_in_four_queries(leader, org_a) -> None:
    client = signed_in(leader)
    assert '<div class="h1 m-0">0</div><div class="text-secondary">在岗</div>' in (
        client.get(reverse("home")).content.decode()
    )
    Staff.objects.create(organization=org_a, number="1", name="甲", employment="contract")
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("home")).content.decode()
    assert '<div class="h1 m-0">1</div><div class="text-secondary">在岗</div>' in page
    assert len(queries) == 4  # session, user, every figure, the bell


def test_the_bell_counts_afresh_on_every_page(worker) -> None:
    client = signed_in(worker)
    assert "条未读" not in client.get(reverse("home")).content.decode()
    notify(recipients=[worker], kind="system", title="通知")
    page = client.get(reverse("home")).content.decode()
    assert page.count('aria-label="通知，1 条未读"') == 2  # phone and desktop bars
    assert page.count('<span class="badge bg-red badge-notification badge-pill">1</span>') == 2
    Notification.objects.update(read_at="2026-01-01T00:00:00Z")
    assert "条未读" not in client.get(reverse("home")).content.decode()


def test_the_navigation_follows_a_role_change_on_the_next_request(
    leader, security_admin, worker
) -> None:
    client = signed_in(worker)
    assert "服务合同" not in client.get(reverse("home")).content.decode()
    user_set_roles(actor=security_admin, user=worker, role_codes={"leader"})
    page = client.get(reverse("home")).content.decode()
    assert "服务合同" in page and "中心领导" in page
    user_set_roles(actor=security_admin, user=worker, role_codes={"worker"})
    assert "服务合同" not in client.get(reverse("home")).content.decode()


def test_the_navigation_marks_the_current_page(leader) -> None:
    html = navigation_html(leader, reverse("org:staff_list") + "12/")
    current = 'class="nav-item active"><a class="nav-link" href="/org/staff/" aria-current="page"'
    assert html.count('aria-current="page"') == 1 and current in html
    assert navigation_html(leader, "/").count('aria-current="page"') == 1


def test_the_user_menu_carries_the_pages_csrf_token(worker) -> None:
    worker.is_demo = True
    worker.save()
    page = signed_in(worker).get(reverse("home")).content.decode()
    token = page.split('"X-CSRFToken": "')[1].split('"')[0]
    assert page.count(f'name="csrfmiddlewaretoken" value="{token}"') == 2
    assert page.count("赵师傅 · 演示账号") == 2
    assert 'id="user-menu-phone"' in page and 'aria-labelledby="user-menu-desktop"' in page


def test_the_session_user_is_loaded_as_select_related_loads_it(worker, leader) -> None:
    User = get_user_model()
    for person in (worker, leader):
        expected = User.objects.select_related("organization", "department").get(pk=person.pk)
        with CaptureQueriesContext(connection) as queries:
            loaded = user_for_session(str(person.pk))
        assert loaded is not None and len(queries) == 1
        for field in User._meta.concrete_fields:
            assert getattr(loaded, field.attname) == getattr(expected, field.attname)
        assert loaded.organization.name == expected.organization.name
        assert (loaded.department and loaded.department.name) == (
            expected.department and expected.department.name
        )
        assert not loaded._state.adding and len(queries) == 1  # no lazy loads
    assert user_for_session(-5) is None


def test_the_asset_urls_follow_the_static_settings(worker, settings) -> None:
    template = Template("{% load houqin %}{% asset 'houqin/app.css' %}")
    assert template.render(Context()) == "/static/houqin/app.css"
    settings.STATIC_URL = "/assets/"
    assert template.render(Context()) == "/assets/houqin/app.css"
