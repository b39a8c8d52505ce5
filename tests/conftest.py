"""Fixed people of the tests (STYLE.md): a leader, a standards officer, a department head,
a frontline worker, a vendor worker, a served-staff member and the three administrators in
organization A, and an outsider in organization B."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.cache import cache
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from houqin.accounts.models import Membership, User
from houqin.accounts.policy import policy_forget
from houqin.accounts.roles import ADMIN_ROLES
from houqin.accounts.services import roles_sync
from tests.factories import DepartmentFactory, OrganizationFactory, UserFactory

TOTP_KEY_HEX = "3132333435363738393031323334353637383930"  # RFC 6238 test key


@pytest.fixture(autouse=True)
def _isolated(settings: pytest.FixtureRequest) -> None:
    """Fast hashing, no real task queue, an empty cache for each test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}  # type: ignore[attr-defined]
    settings.STORAGES = {  # type: ignore[attr-defined]
        **settings.STORAGES,  # type: ignore[attr-defined]
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    cache.clear()
    policy_forget()


@pytest.fixture
def org_a(db: None):
    roles_sync()
    return OrganizationFactory(code="org-a", name="甲市机关事务服务中心")


@pytest.fixture
def org_b(db: None):
    return OrganizationFactory(code="org-b", name="乙市机关事务服务中心")


@pytest.fixture
def department(org_a):
    return DepartmentFactory(organization=org_a, code="WY", name="物业管理科")


def give_role(user: User, role: str) -> User:
    from django.contrib.auth.models import Group

    Membership.objects.create(
        user=user, group=Group.objects.get(name=role), is_admin_role=role in ADMIN_ROLES
    )
    return user


def person(org, username: str, role: str | None, **fields) -> User:
    user = UserFactory(
        organization=org, username=username, name=fields.pop("name", username), **fields
    )
    if role:
        give_role(user, role)
    if role in ADMIN_ROLES:
        TOTPDevice.objects.create(user=user, name="test", key=TOTP_KEY_HEX, confirmed=True)
    return user


@pytest.fixture
def leader(org_a):
    return person(org_a, "alice", "leader", name="张领导")


@pytest.fixture
def standards_officer(org_a):
    return person(org_a, "bob", "standards_officer", name="李标准")


@pytest.fixture
def department_head(org_a, department):
    return person(org_a, "charlie", "department_head", name="王科长", department=department)


@pytest.fixture
def worker(org_a, department):
    return person(
        org_a, "dora", "worker", name="赵师傅", department=department, phone="13812345678"
    )


@pytest.fixture
def vendor_worker(org_a):
    return person(org_a, "erin", "vendor_worker", name="刘保洁")


@pytest.fixture
def served(org_a):
    return person(org_a, "frank", "served", name="孙科员")


@pytest.fixture
def outsider(org_b):
    roles_sync()
    return person(org_b, "mallory", "system_admin", name="外单位管理员")


@pytest.fixture
def system_admin(org_a):
    return person(org_a, "sysadmin", "system_admin", name="吴系统")


@pytest.fixture
def security_admin(org_a):
    return person(org_a, "secadmin", "security_admin", name="郑安全")


@pytest.fixture
def audit_admin(org_a):
    return person(org_a, "auditor", "audit_admin", name="冯审计")


def signed_in(user: User) -> Client:
    """A client with a session for the user; administrators count as two-factor verified."""
    client = Client()
    client.force_login(user, backend="houqin.accounts.backends.LoginNameBackend")
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


@pytest.fixture
def client_for() -> Callable[[User], Client]:
    return signed_in
