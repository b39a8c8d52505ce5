"""Every route of the URLconf, checked the same way (SECURITY.md §5): an anonymous visitor
is sent to sign in, an outsider from another organization gets 404 for an object, a role
without the right gets 403. A new route without an entry here fails the sweep."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings as settings_module
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from houqin.accounts.models import User
from houqin.accounts.roles import ROLES
from tests.conftest import person, signed_in
from tests.routes import PUBLIC, Route, object_routes
from tests.standards import (
    routes_api,
    routes_documents,
    routes_editor,
    routes_lifecycle,
    routes_plan,
    routes_reading,
    routes_search,
    routes_standards,
    routes_system,
)

pytestmark = pytest.mark.django_db


def _route_modules(package: str) -> list[Any]:
    """The ``routes*.py`` modules of a test package (each app's pages add their own)."""
    found = importlib.import_module(f"tests.{package}")
    return [
        importlib.import_module(f"tests.{package}.{info.name}")
        for info in pkgutil.iter_modules(found.__path__)
        if info.name.startswith("routes")
    ]


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
    **object_routes("org.department", denied="worker"),
    **object_routes("org.team", denied="worker"),
    **object_routes("org.post", denied="worker"),
    **object_routes("org.staff", denied="worker", delete=False),
    **object_routes("org.servedunit", denied="worker"),
    **object_routes("org.vendor", denied="worker"),
    **object_routes("org.contract", denied="worker", workflow=True),
    "org:staff_leave": Route(
        "org.change_staff", sample="org.staff", method="post", denied="worker"
    ),
    **object_routes("common.webhookendpoint", denied="leader"),
    "changelog_list": Route("common.view_changelogentry", denied="system_admin"),
    "api:api-root": Route("signed_in"),
    "api:department-list": Route("org.view_department", denied="worker"),
    "api:department-detail": Route("org.view_department", sample="org.department", denied="worker"),
    "api:staff-list": Route("org.view_staff", denied="worker"),
    "api:staff-detail": Route("org.view_staff", sample="org.staff", denied="worker"),
    "api:served-unit-list": Route("org.view_servedunit", denied="worker"),
    "api:served-unit-detail": Route(
        "org.view_servedunit", sample="org.servedunit", denied="worker"
    ),
    "api:vendor-list": Route("org.view_vendor", denied="worker"),
    "api:vendor-detail": Route("org.view_vendor", sample="org.vendor", denied="worker"),
    "api:contract-list": Route("org.view_contract", denied="worker"),
    "api:contract-detail": Route("org.view_contract", sample="org.contract", denied="worker"),
    "places:place_tree": Route("places.view_place", denied="served"),
    "places:place_detail": Route("places.view_place", sample="places.place", denied="served"),
    "places:place_create": Route("places.add_place", denied="standards_officer"),
    "places:place_update": Route(
        "places.change_place", sample="places.place", denied="standards_officer"
    ),
    "places:place_move": Route(
        "places.change_place", sample="places.place", denied="standards_officer"
    ),
    "places:place_qr_regenerate": Route(
        "places.change_place", sample="places.place", method="post", denied="standards_officer"
    ),
    "places:place_delete": Route(
        "places.delete_place", sample="places.place", method="post", denied="standards_officer"
    ),
    "places:equipment_list": Route("places.view_equipment", denied="served"),
    "places:equipment_export": Route("places.view_equipment", denied="served"),
    "places:equipment_create": Route("places.add_equipment", denied="standards_officer"),
    "places:equipment_detail": Route(
        "places.view_equipment", sample="places.equipment", denied="served"
    ),
    "places:equipment_update": Route(
        "places.change_equipment", sample="places.equipment", denied="standards_officer"
    ),
    "places:equipment_status": Route(
        "places.change_equipment",
        sample="places.equipment",
        method="post",
        denied="standards_officer",
    ),
    "places:equipment_qr_regenerate": Route(
        "places.change_equipment",
        sample="places.equipment",
        method="post",
        denied="standards_officer",
    ),
    "places:equipment_delete": Route(
        "places.delete_equipment",
        sample="places.equipment",
        method="post",
        denied="standards_officer",
    ),
    "places:labels": Route("places.view_place", denied="served"),
    "places:scan": Route("signed_in", sample="qr_token"),
    "api:place-list": Route("places.view_place", denied="served"),
    "api:place-detail": Route("places.view_place", sample="places.place", denied="served"),
    "api:equipment-list": Route("places.view_equipment", denied="served"),
    "api:equipment-detail": Route(
        "places.view_equipment", sample="places.equipment", denied="served"
    ),
    "imports:import_index": Route("signed_in"),
    "imports:import_start": Route("org.add_staff", sample="import_kind", denied="worker"),
    "imports:import_apply": Route(
        "org.add_staff", sample="import_kind", method="post", denied="worker"
    ),
    "imports:import_template": Route("org.add_staff", sample="import_kind", denied="worker"),
    "common:attachment_upload": Route("signed_in", sample="attachment_parent", method="post"),
    "common:attachment_download": Route("signed_in", sample="attachment"),
    "common:attachment_thumb": Route("signed_in", sample="attachment"),
    "common:attachment_delete": Route("signed_in", sample="attachment", method="post"),
    "common:notification_list": Route("signed_in"),
    "common:notification_settings": Route("signed_in"),
    "common:notification_read_all": Route("signed_in", method="post"),
    "common:notification_read": Route("signed_in", sample="notification", method="post"),
    **routes_system.ROUTES,
    **routes_standards.ROUTES,
    **routes_lifecycle.ROUTES,
    **routes_editor.ROUTES,
    **routes_reading.ROUTES,
    **routes_search.ROUTES,
    **routes_documents.ROUTES,
    **routes_plan.ROUTES,
    **routes_api.ROUTES,
    **{
        name: route
        for package in ("checklists", "findings", "appraisal")
        for module in _route_modules(package)
        for name, route in module.ROUTES.items()
    },
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


UNSCOPED_SAMPLES = {"import_kind", "rule"}  # the same for every organization


def sample_args(kind: str, request: pytest.FixtureRequest) -> list[Any]:
    if kind == "attachment_parent":
        return ["org", "department", request.getfixturevalue("department").pk]
    if kind == "attachment":
        from django.core.files.uploadedfile import SimpleUploadedFile

        from houqin.common.attachments import attachment_add

        request.getfixturevalue("settings").STORAGES = {
            **settings_module.STORAGES,
            "default": {
                "BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": request.getfixturevalue("tmp_path")},
            },
        }
        pdf = SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF\n")
        department = request.getfixturevalue("department")
        worker = request.getfixturevalue("worker")
        return [attachment_add(obj=department, upload=pdf, actor=worker).pk]
    if kind == "notification":
        from houqin.common.notifications import notify

        worker = request.getfixturevalue("worker")
        return [notify(recipients=[worker], kind="system", title="测试")[0].pk]
    if kind == "qr_token":
        return [org_object("places.place", request.getfixturevalue("org_a")).qr_token]
    if kind == "import_kind":
        return ["staff"]
    if kind == "rule":
        return ["S-VERB-01"]
    if kind == "check_waiver":
        from houqin.standards.models import CheckWaiver

        version = org_object("standards.standardversion", request.getfixturevalue("org_a"))
        waiver = CheckWaiver.objects.create(
            organization_id=version.standard.organization_id,
            standard=version.standard,
            clause_uid=version.clauses.values_list("uid", flat=True).first(),
            rule="S-VERB-01",
            reason="样例理由",
            created_by=request.getfixturevalue("worker"),
        )
        return [version.pk, waiver.pk]
    if "." in kind:
        return [org_object(kind, request.getfixturevalue("org_a")).pk]
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


def org_object(app_model: str, org: Any) -> Any:
    """A sample row of organization A for an object route."""
    from datetime import date

    from houqin.org.models import Contract, Department, Post, ServedUnit, Staff, Team, Vendor

    department = Department.objects.get_or_create(
        organization=org, code="S1", defaults={"name": "样例科"}
    )[0]
    vendor = Vendor.objects.get_or_create(
        organization=org, code="SV", defaults={"name": "样例公司"}
    )[0]
    makers = {
        "org.department": lambda: department,
        "org.team": lambda: Team.objects.create(
            organization=org, department=department, name="样例组"
        ),
        "org.post": lambda: Post.objects.create(organization=org, code="SP", name="样例岗"),
        "org.staff": lambda: Staff.objects.create(
            organization=org, number="S01", name="样例", employment="contract"
        ),
        "org.servedunit": lambda: ServedUnit.objects.create(
            organization=org, code="SU", name="样例单位", body="party"
        ),
        "org.vendor": lambda: vendor,
        "org.contract": lambda: Contract.objects.create(
            organization=org,
            vendor=vendor,
            number="SC",
            title="样例合同",
            starts_on=date(2026, 1, 1),
            ends_on=date(2026, 12, 31),
            amount=1,
        ),
    }
    if app_model == "common.webhookendpoint":
        from houqin.common.models import WebhookEndpoint

        return WebhookEndpoint.objects.create(
            organization=org,
            name="工作群",
            url="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=x",
        )
    if app_model.startswith("standards."):
        from tests.standards.builders import sample

        return sample(app_model, org)
    if app_model.startswith(("checklists.", "findings.", "appraisal.")):
        package = app_model.split(".")[0]
        for module in _route_modules(package):
            try:
                return module.sample(app_model, org)
            except (AttributeError, LookupError):
                continue
        raise LookupError(app_model)
    if app_model.startswith("places."):
        from houqin.places.models import Equipment, Place

        place = Place.objects.filter(
            organization=org, code="SPL"
        ).first() or Place.objects.add_root(
            instance=Place(organization=org, kind="campus", code="SPL", name="样例园区")
        )
        if app_model == "places.place":
            return place
        return Equipment.objects.create(
            organization=org, code="SE", type="pump", name="样例水泵", place=place
        )
    return makers[app_model]()


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
    if route.sample and route.sample not in UNSCOPED_SAMPLES:
        response = getattr(signed_in(outsider_with(route.guard, org_b)), route.method)(url)
        assert response.status_code == 404
    if route.denied:
        person = request.getfixturevalue(route.denied)
        assert getattr(signed_in(person), route.method)(url).status_code == 403
