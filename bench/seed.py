"""Bench data sets, one seeding function each; run inside Django by bench/pages.py.

Usage (from the repo root, Django configured): ``python -c "import bench.seed; ..."`` or
``manage.py shell -c "from bench.seed import run; run(['users'])"``.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import cycle

from bench.seed_standards import seed_standards

ORG_CODE = "jc-center"
USER_COUNT = 600
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = ("伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "涛", "明")
BUSINESS_ROLES = ("worker", "worker", "worker", "department_head", "served")


def seed_users(count: int = USER_COUNT) -> int:
    """Add ``count`` active demo users to the demo center, spread over its departments,
    each with one business role. One password hash is computed and shared (fast)."""
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group
    from django.db import transaction

    from houqin.accounts.models import Membership, User
    from houqin.org.models import Department, Organization

    org = Organization.objects.get(code=ORG_CODE)
    departments = cycle(Department.objects.filter(organization=org).order_by("code"))
    groups = {g.name: g for g in Group.objects.filter(name__in=BUSINESS_ROLES)}
    password = make_password("Bench-user-2026")
    users = [
        User(
            username=f"bench{i:04d}",
            name=SURNAMES[i % len(SURNAMES)] + GIVEN[i % len(GIVEN)] + GIVEN[i // 15 % len(GIVEN)],
            phone=f"139{i:08d}",
            password=password,
            organization=org,
            department=next(departments),
            is_active=i % 10 != 0,
            must_change_password=False,
            is_demo=True,
        )
        for i in range(count)
    ]
    with transaction.atomic():
        created = User.objects.bulk_create(users)
        roles = cycle(BUSINESS_ROLES)
        Membership.objects.bulk_create(
            Membership(user=user, group=groups[next(roles)], is_admin_role=False)
            for user in created
        )
    return len(created)


DATASETS: dict[str, Callable[[], int]] = {"users": seed_users, "standards": seed_standards}


def run(names: list[str]) -> None:
    """Seed the named data sets, printing how many rows each made."""
    for name in names:
        print(f"# seeded {name}: {DATASETS[name]()} rows")
