"""The demo center's organization data: served units of the 市"四大家" with their staff,
the center's departments, teams, posts, ~120 staff of every employment type, three vendors
with contracts. Names are generated with a fixed seed; a second run changes nothing."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from houqin.accounts.models import Membership, User
from houqin.org.models import (
    Contract,
    Department,
    Organization,
    Post,
    ServedUnit,
    Staff,
    Team,
    Vendor,
)

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡"
    "余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯"
    "龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红玉兰文辉春梅海燕慧"
    "欣宇航浩然子涵梓萱思远晨曦佳怡俊杰雨婷晓东立新"
)

SERVED_UNITS = (
    ("party", "SW01", "市委办公室"),
    ("party", "SW02", "市委组织部"),
    ("party", "SW03", "市委宣传部"),
    ("party", "SW04", "市委统战部"),
    ("party", "SW05", "市委政法委"),
    ("party", "SW06", "市纪委监委"),
    ("congress", "RD01", "市人大常委会办公厅"),
    ("congress", "RD02", "市人大财政经济委员会"),
    ("congress", "RD03", "市人大法制委员会"),
    ("government", "ZF01", "市政府办公室"),
    ("government", "ZF02", "市发展和改革委员会"),
    ("government", "ZF03", "市财政局"),
    ("government", "ZF04", "市教育局"),
    ("government", "ZF05", "市住房和城乡建设局"),
    ("government", "ZF06", "市交通运输局"),
    ("government", "ZF07", "市卫生健康委员会"),
    ("cppcc", "ZX01", "市政协办公厅"),
    ("cppcc", "ZX02", "市政协提案委员会"),
    ("cppcc", "ZX03", "市政协文化文史委员会"),
    ("cppcc", "ZX04", "市政协经济委员会"),
)
SERVED_PER_UNIT = 31
POSTS = (
    ("P01", "综合管理"),
    ("P02", "标准化专员"),
    ("P03", "驾驶员"),
    ("P04", "厨师"),
    ("P05", "餐厅服务员"),
    ("P06", "会议服务员"),
    ("P07", "保洁员"),
    ("P08", "电工"),
    ("P09", "空调维修工"),
    ("P10", "保安员"),
)
VENDORS = (
    ("V01", "江城洁美物业保洁服务有限公司", "周丽", "保洁、绿化"),
    ("V02", "江城盾安保安服务有限公司", "郑强", "门岗、巡逻、监控值守"),
    ("V03", "江城鲜丰食品供应有限公司", "钱海燕", "食堂食材供应"),
)
# department code → (teams, [(post code, employment, count, vendor code)])
STAFFING: dict[str, tuple[tuple[str, ...], list[tuple[str, str, int, str]]]] = {
    "ZH": ((), [("P01", "civil_servant", 6, ""), ("P01", "institution", 4, "")]),
    "BZH": ((), [("P02", "civil_servant", 2, ""), ("P02", "institution", 2, "")]),
    "CL": (
        ("驾驶员一组", "驾驶员二组"),
        [("P03", "institution", 8, ""), ("P03", "contract", 10, "")],
    ),
    "CY": (
        ("早餐组", "午餐组"),
        [("P04", "contract", 8, ""), ("P05", "contract", 8, ""), ("P04", "institution", 2, "")],
    ),
    "HY": (("会务一组",), [("P06", "contract", 10, ""), ("P01", "institution", 2, "")]),
    "WY": (
        ("早班保洁组", "晚班保洁组", "维修组"),
        [
            ("P07", "outsourced", 24, "V01"),
            ("P08", "contract", 4, ""),
            ("P09", "contract", 3, ""),
            ("P01", "institution", 2, ""),
        ],
    ),
    "AB": (
        ("门岗组", "巡逻组"),
        [("P10", "outsourced", 18, "V02"), ("P01", "civil_servant", 2, "")],
    ),
}


def _names(rng: random.Random, count: int) -> list[str]:
    return [
        rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
        for _ in range(count)
    ]


def _phone(rng: random.Random) -> str:
    return f"1{rng.choice('3578')}{rng.randrange(10**9):09d}"


def seed_org(center: Organization, password: str) -> dict[str, int]:
    """Create what is missing; returns counts of created rows."""
    rng = random.Random(20261126)  # demo names, not security
    hashed = make_password(password)
    created = {"served_units": 0, "staff": 0, "vendors": 0, "users": 0}
    departments = {d.code: d for d in Department.objects.filter(organization=center)}
    posts = {}
    for code, name in POSTS:
        posts[code], _ = Post.objects.get_or_create(
            organization=center, code=code, defaults={"name": name}
        )
    vendors = {}
    for code, name, contact, scope in VENDORS:
        vendors[code], made = Vendor.objects.get_or_create(
            organization=center,
            code=code,
            defaults={"name": name, "contact": contact, "phone": _phone(rng), "scope": scope},
        )
        created["vendors"] += made
        Contract.objects.get_or_create(
            organization=center,
            number=f"JCHT-2026-{code}",
            defaults={
                "vendor": vendors[code],
                "title": f"2026 年度{scope.split('、')[0]}服务合同",
                "scope": scope,
                "starts_on": date(2026, 1, 1),
                "ends_on": date(2026, 12, 31),
                "amount": Decimal(rng.randrange(300, 1500) * 1000),
                "status": Contract.Status.ACTIVE,
            },
        )
    existing_staff = set(Staff.objects.filter(organization=center).values_list("number", flat=True))
    existing_users = set(User.objects.values_list("username", flat=True))
    new_staff, new_users = [], []
    number = 0
    for dept_code, (team_names, groups) in STAFFING.items():
        department = departments[dept_code]
        teams = [
            Team.objects.get_or_create(organization=center, department=department, name=name)[0]
            for name in team_names
        ]
        for post_code, employment, count, vendor_code in groups:
            for name in _names(rng, count):
                number += 1
                staff_number = f"JC{number:04d}"
                phone = _phone(rng)
                if staff_number in existing_staff:
                    continue
                user = None
                username = f"jc{number:04d}"
                if username not in existing_users:
                    user = User(
                        username=username,
                        name=name,
                        phone=phone,
                        organization=center,
                        department=department,
                        is_demo=True,
                        must_change_password=False,
                        password=hashed,
                    )
                    new_users.append((user, "vendor_worker" if vendor_code else "worker"))
                new_staff.append(
                    Staff(
                        organization=center,
                        number=staff_number,
                        name=name,
                        employment=employment,
                        department=department,
                        team=rng.choice(teams) if teams else None,
                        post=posts[post_code],
                        vendor=vendors.get(vendor_code),
                        phone=phone,
                        user=user,
                    )
                )
    created["users"] += _create_users(new_users)
    Staff.objects.bulk_create(new_staff)
    created["staff"] = len(new_staff)
    created["served_units"], served_users = _seed_served(center, rng, hashed, existing_users)
    created["users"] += served_users
    return created


def _create_users(users: list[tuple[User, str]]) -> int:
    if not users:
        return 0
    User.objects.bulk_create([u for u, _ in users])
    groups = {g.name: g for g in Group.objects.all()}
    saved = {
        u.username: u for u in User.objects.filter(username__in=[u.username for u, _ in users])
    }
    Membership.objects.bulk_create(
        Membership(user=saved[u.username], group=groups[role]) for u, role in users
    )
    for user, _ in users:
        user.pk = saved[user.username].pk
    return len(users)


def _seed_served(
    center: Organization, rng: random.Random, hashed: str, existing: set[str]
) -> tuple[int, int]:
    made_units = 0
    new_users: list[tuple[User, str]] = []
    per_unit: dict[str, list[str]] = {}
    for body, code, name in SERVED_UNITS:
        _, made = ServedUnit.objects.get_or_create(
            organization=center,
            code=code,
            defaults={
                "name": name,
                "body": body,
                "contact": _names(rng, 1)[0],
                "phone": _phone(rng),
            },
        )
        made_units += made
        per_unit[code] = []
        for index, person in enumerate(_names(rng, SERVED_PER_UNIT), start=1):
            username = f"{code.lower()}{index:02d}"
            per_unit[code].append(username)
            if username not in existing:
                new_users.append(
                    (
                        User(
                            username=username,
                            name=person,
                            phone=_phone(rng),
                            organization=center,
                            is_demo=True,
                            must_change_password=False,
                            password=hashed,
                        ),
                        "served",
                    )
                )
    count = _create_users(new_users)
    if count:
        by_name = dict(
            User.objects.filter(username__in=[u.username for u, _ in new_users]).values_list(
                "username", "pk"
            )
        )
        through: Any = ServedUnit.requesters.through
        units = dict(ServedUnit.objects.filter(organization=center).values_list("code", "pk"))
        through.objects.bulk_create(
            through(servedunit_id=units[code], user_id=by_name[u])
            for code, names in per_unit.items()
            for u in names
            if u in by_name
        )
    return made_units, count
