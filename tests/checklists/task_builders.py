"""Builders of the schedule and task tests: a small campus, a template with one item, a
team and a post with their members, and schedules made through the service."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from houqin.checklists.models import ChecklistTemplate, Schedule
from houqin.checklists.services import item_add, schedule_create, template_create
from houqin.org.models import Post, Staff, Team
from houqin.places import services as places
from houqin.places.models import Place
from tests.conftest import person

SHANGHAI = ZoneInfo("Asia/Shanghai")
# A Wednesday morning before National Day 2026.
NOW = datetime(2026, 9, 30, 6, 0, tzinfo=SHANGHAI)


def at(month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=SHANGHAI)


def place(org: Any, parent: Place | None, kind: str, code: str, name: str, **data: Any) -> Place:
    return places.place_create(
        organization=org,
        parent=parent,
        data={"kind": kind, "code": code, "name": name, **data},
        actor=None,
    )


@pytest.fixture
def campus(org_a: Any) -> dict[str, Place]:
    """机关大院 > 1号楼 > 1层 > 男卫生间, 女卫生间, 旧卫生间 (停用), 门口点位; 2号楼 > 卫生间."""
    top = place(org_a, None, "campus", "A", "机关大院")
    building = place(org_a, top, "building", "A-01", "1号楼")
    floor = place(org_a, building, "floor", "A-01-1F", "1层")
    men = place(org_a, floor, "room", "A-01-W1", "1层男卫生间")
    women = place(org_a, floor, "room", "A-01-W2", "1层女卫生间")
    old = place(org_a, floor, "room", "A-01-W3", "旧卫生间")
    places.place_update(place=old, data={"active": False}, actor=None)
    point = place(org_a, men, "point", "A-01-W1-P", "男卫生间门口")
    other = place(org_a, top, "building", "A-02", "2号楼")
    elsewhere = place(org_a, other, "room", "A-02-W1", "2号楼卫生间")
    return {
        "campus": top,
        "building": building,
        "floor": floor,
        "men": men,
        "women": women,
        "old": old,
        "point": point,
        "other": other,
        "elsewhere": elsewhere,
    }


@pytest.fixture
def template(org_a: Any, department_head: Any) -> ChecklistTemplate:
    made = template_create(
        organization=org_a, actor=department_head, data={"name": "公共卫生间保洁检查"}
    )
    item_add(template=made, actor=department_head, data={"text": "地面无积水"})
    return made


@pytest.fixture
def crew(org_a: Any, department: Any, worker: Any) -> dict[str, Any]:
    """早班保洁组 (dora and 钱保洁) and the post 保洁员 (dora and 孙保洁)."""
    team = Team.objects.create(organization=org_a, department=department, name="早班保洁组")
    post = Post.objects.create(organization=org_a, code="BJ", name="保洁员")
    mate = person(org_a, "gina", "worker", name="钱保洁")
    other = person(org_a, "hank", "worker", name="孙保洁")
    for number, user, fields in (
        ("W01", worker, {"team": team, "post": post}),
        ("W02", mate, {"team": team}),
        ("W03", other, {"post": post}),
    ):
        Staff.objects.create(
            organization=org_a,
            number=number,
            name=user.name,
            user=user,
            employment="contract",
            **fields,
        )
    return {"team": team, "post": post, "mate": mate, "other": other}


def plan(
    org: Any, actor: Any, template: ChecklistTemplate, now: datetime = NOW, **data: Any
) -> Schedule:
    """A schedule through the service (which also generates the next days' tasks at ``now``)."""
    values = {
        "name": "卫生间保洁",
        "template": template,
        "frequency": "daily",
        "times": ["08:00"],
        "window_minutes": 120,
        "starts_on": date(2026, 9, 1),
        **data,
    }
    return schedule_create(organization=org, actor=actor, data=values, now=now)
