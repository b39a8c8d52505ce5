"""The demo center: organizations, departments and one demo account per role.

For demonstration only: every demo account shares one published password, and the three
administrators share one published two-factor key. Idempotent: a second run changes nothing.
"""

from __future__ import annotations

from base64 import b32decode
from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from houqin.accounts.models import Membership, User
from houqin.accounts.roles import ADMIN_ROLES
from houqin.accounts.services import roles_sync
from houqin.org.demo import seed_org
from houqin.org.models import Department, Organization
from houqin.places.demo import seed_places
from houqin.standards.demo import seed_standards

DEMO_PASSWORD = "Houqin-demo-2026"  # noqa: S105  (published demo password)
DEMO_TOTP_SECRET = "HOUQINDEMOSECRETKEYXYZ234567ABCD"  # noqa: S105  (published demo key)

BUREAU = ("jc-bureau", "江城市机关事务管理局", "市机关事务局")
CENTER = ("jc-center", "江城市机关事务服务中心", "服务中心")
DEPARTMENTS = (
    ("ZH", "综合科"),
    ("BZH", "标准化办公室"),
    ("CL", "车辆管理科"),
    ("CY", "餐饮服务科"),
    ("HY", "会议接待科"),
    ("WY", "物业管理科"),
    ("AB", "安全保卫科"),
)


@dataclass(frozen=True)
class DemoAccount:
    role: str
    name: str
    phone: str
    department: str | None
    in_bureau: bool = False


ACCOUNTS = (
    DemoAccount("leader", "张建国", "13800138001", "ZH"),
    DemoAccount("standards_officer", "李敏", "13800138002", "BZH"),
    DemoAccount("department_head", "王强", "13800138003", "WY"),
    DemoAccount("worker", "赵小红", "13800138004", "WY"),
    DemoAccount("vendor_manager", "陈志远", "13800138005", None),
    DemoAccount("vendor_worker", "刘芳", "13800138006", None),
    DemoAccount("served", "孙伟", "13800138007", None),
    DemoAccount("bureau_reader", "周静", "13800138008", None, in_bureau=True),
    DemoAccount("system_admin", "吴磊", "13800138009", "ZH"),
    DemoAccount("security_admin", "郑洁", "13800138010", "ZH"),
    DemoAccount("audit_admin", "冯涛", "13800138011", "ZH"),
)


@transaction.atomic
def seed_demo() -> dict[str, int]:
    """Create what is missing of the demo center; never overwrite what exists."""
    roles_sync()
    created: dict[str, int] = {"organizations": 0, "departments": 0, "users": 0}
    bureau, made = Organization.objects.get_or_create(
        code=BUREAU[0],
        defaults={"name": BUREAU[1], "short_name": BUREAU[2], "kind": Organization.Kind.BUREAU},
    )
    created["organizations"] += made
    center, made = Organization.objects.get_or_create(
        code=CENTER[0],
        defaults={
            "name": CENTER[1],
            "short_name": CENTER[2],
            "kind": Organization.Kind.CENTER,
            "parent": bureau,
        },
    )
    created["organizations"] += made
    departments = {}
    for code, name in DEPARTMENTS:
        department, made = Department.objects.get_or_create(
            organization=center, code=code, defaults={"name": name}
        )
        departments[code] = department
        created["departments"] += made
    for account in ACCOUNTS:
        if User.objects.filter(username__iexact=account.role).exists():
            continue
        user = User(
            username=account.role,
            name=account.name,
            phone=account.phone,
            organization=bureau if account.in_bureau else center,
            department=departments.get(account.department or ""),
            is_demo=True,
            must_change_password=False,
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
        Membership.objects.create(
            user=user,
            group=Group.objects.get(name=account.role),
            is_admin_role=account.role in ADMIN_ROLES,
        )
        if account.role in ADMIN_ROLES:
            TOTPDevice.objects.create(
                user=user,
                name="演示验证器",
                key=b32decode(DEMO_TOTP_SECRET).hex(),
                confirmed=True,
            )
        created["users"] += 1
    seeded = {
        **seed_org(center, DEMO_PASSWORD),
        **seed_places(center),
        **seed_standards(center),
    }
    for key, count in seeded.items():
        created[key] = created.get(key, 0) + count
    return created
