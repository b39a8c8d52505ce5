"""Builders of the record tests: a toilet and a kitchen, a checklist whose first item cites a
clause of a standard in force (pass/fail, photo and note on failure), a fridge reading
0–8 ℃ and a choice; a task open now for the worker at the toilet; small images."""

from __future__ import annotations

import io
import uuid
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from houqin.checklists.models import ChecklistItem, ChecklistTemplate, Schedule, Task
from houqin.checklists.services import item_add, items_from_clauses, template_create
from houqin.places import services as places
from houqin.places.models import Place
from tests.standards.builders import in_force_make

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 10, 14, 9, 0, tzinfo=SHANGHAI)  # a Wednesday morning
A = ChecklistItem.AnswerType


def place(org: Any, parent: Place | None, kind: str, code: str, name: str, **data: Any) -> Place:
    return places.place_create(
        organization=org,
        parent=parent,
        data={"kind": kind, "code": code, "name": name, **data},
        actor=None,
    )


def site(org: Any, department: Any = None) -> dict[str, Place]:
    """机关大院 > 1号楼 > 1层男卫生间, 食堂后厨."""
    top = place(org, None, "campus", "A", "机关大院")
    building = place(org, top, "building", "A-01", "1号楼")
    toilet = place(org, building, "room", "A-01-W1", "1层男卫生间", department=department)
    kitchen = place(org, building, "room", "A-01-K1", "食堂后厨")
    return {"campus": top, "building": building, "toilet": toilet, "kitchen": kitchen}


def sheet(
    org: Any,
    actor: Any,
    department: Any = None,
    name: str = "卫生间保洁检查",
    number: str = "JGSW/FW 001—2026",
) -> ChecklistTemplate:
    """Three items: 保洁员应每2 h保洁1次 (cites 第2.1条; on failure a photo, a note and a
    finding), 冰箱冷藏温度 0–8 ℃ and 地面状况 (干净 / 有垃圾, 有垃圾 fails)."""
    template = template_create(
        organization=org, actor=actor, data={"name": name, "department": department}
    )
    standard = in_force_make(org, actor, number=number)
    version = standard.versions.get(published_at__isnull=False)
    clause = version.clauses.get(text="保洁员应每2 h保洁1次。")
    items_from_clauses(template=template, actor=actor, clause_ids=[clause.pk])
    item_add(
        template=template,
        actor=actor,
        data={
            "text": "冰箱冷藏温度",
            "answer_type": A.NUMBER,
            "unit": "℃",
            "min_value": Decimal("0"),
            "max_value": Decimal("8"),
            "photo_rule": "never",
        },
    )
    item_add(
        template=template,
        actor=actor,
        data={
            "text": "地面状况",
            "answer_type": A.CHOICE,
            "choices": ["干净", "有垃圾"],
            "fail_choices": ["有垃圾"],
            "photo_rule": "never",
            "note_on_fail": False,
        },
    )
    return template


def items(template: ChecklistTemplate) -> list[ChecklistItem]:
    return list(template.items.filter(current=True).order_by("position", "pk"))


def task_now(
    template: ChecklistTemplate, where: Place, now: datetime | None = None, **who: Any
) -> Task:
    """A task at a place whose window opened half an hour ago and closes in 90 minutes."""
    moment = now or timezone.now()
    opens = moment - timedelta(minutes=30)
    return Task.objects.create(
        organization=template.organization,
        template=template,
        occurrence=f"test:{uuid.uuid4()}",
        kind="self",
        place=where,
        opens_at=opens,
        due_at=opens + timedelta(hours=2),
        **who,
    )


def schedule_for(template: ChecklistTemplate, where: Place, **data: Any) -> Schedule:
    return Schedule.objects.create(
        organization=template.organization,
        template=template,
        name=f"{template.name}计划",
        place=where,
        times=["08:00"],
        starts_on=NOW.date(),
        **data,
    )


def png_bytes(size: tuple[int, int] = (40, 30), colour: str = "green") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format="PNG")
    return out.getvalue()


def photo(name: str = "photo.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")
