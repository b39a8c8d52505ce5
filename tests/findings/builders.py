"""Builders of the findings tests: places, a template whose first item cites a clause of a
standard in force, checks submitted through the services, findings raised by hand, tasks
and records placed in time."""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from houqin.checklists.models import ChecklistTemplate, Record, Task
from houqin.checklists.services import answer_save, item_add, items_from_clauses, record_start
from houqin.checklists.services import template_create as checklist_create
from houqin.findings.models import Finding, Rectification
from houqin.findings.services import Responsible, finding_raise, record_finish
from houqin.places import services as places
from houqin.places.models import Place
from houqin.standards.models import Clause
from tests.standards.builders import in_force_make

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


def place(org: Any, parent: Place | None, kind: str, code: str, name: str, **data: Any) -> Place:
    return places.place_create(
        organization=org,
        parent=parent,
        data={"kind": kind, "code": code, "name": name, **data},
        actor=None,
    )


def campus(org: Any, department: Any) -> dict[str, Place]:
    """机关大院 > 1号楼 > 一楼卫生间, 二楼卫生间; 机关大院 > 食堂."""
    top = place(org, None, "campus", "A", "机关大院")
    building = place(org, top, "building", "A-01", "1号楼", department=department)
    first = place(org, building, "room", "A-01-W1", "一楼卫生间", department=department)
    second = place(org, building, "room", "A-01-W2", "二楼卫生间", department=department)
    canteen = place(org, top, "building", "A-02", "食堂")
    return {
        "campus": top,
        "building": building,
        "first": first,
        "second": second,
        "canteen": canteen,
    }


def cited_template(org: Any, actor: Any, **data: Any) -> ChecklistTemplate:
    """A template whose first item cites clause “保洁员应每2 h保洁1次” of a standard in force
    (a major finding on failure) and whose second item is free."""
    standard = in_force_make(org, actor)
    template = checklist_create(
        organization=org, actor=actor, data={"name": "卫生间保洁检查", **data}
    )
    clause = Clause.objects.get(version__standard=standard, text__startswith="保洁员应每2 h")
    (item,) = items_from_clauses(template=template, actor=actor, clause_ids=[clause.pk])
    item.severity = "major"
    item.save(update_fields=["severity"])
    item_add(template=template, actor=actor, data={"text": "洗手液充足", "photo_rule": "never"})
    return template


def check(
    template: ChecklistTemplate,
    actor: Any,
    where: Place,
    fails: tuple[str, ...] = (),
    task: Task | None = None,
) -> Record:
    """A record of the template at a place, failing the items whose text starts with one of
    ``fails`` (with a note), submitted through record_finish."""
    record = record_start(template=template, actor=actor, place=where, task=task)
    photos = {}
    for answer in record.answers.select_related("item"):
        failed = answer.item.text.startswith(fails) if fails else False
        answer_save(
            answer=answer,
            actor=actor,
            value="fail" if failed else "pass",
            note="没有按时保洁" if failed else "",
        )
        photos[answer.pk] = 1
    return record_finish(record=record, actor=actor, photos=photos)


def raise_one(
    org: Any,
    actor: Any,
    title: str = "消防通道堆放杂物",
    severity: str = "minor",
    now: datetime | None = None,
    **responsible: Any,
) -> Finding:
    where = responsible.pop("place", None)
    return finding_raise(
        organization=org,
        actor=actor,
        title=title,
        severity=severity,
        responsible=Responsible(**responsible),
        place=where,
        now=now,
    )


def set_rectification(finding: Finding, **fields: Any) -> Rectification:
    Rectification.objects.filter(finding=finding).update(**fields)
    return Rectification.objects.get(finding=finding)


def png(name: str = "photo.png", colour: str = "red") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")
