"""Findings raised by failed answers and by hand, repeats, deadlines by severity, and the
rectification loop (fix with evidence → accept or send back; effectiveness check)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from houqin.checklists.services import answer_save, item_add, record_start, template_create
from houqin.findings.models import Finding, Rectification
from houqin.findings.services import (
    Responsible,
    finding_raise,
    policy_for,
    record_finish,
    rectification_accept,
    rectification_confirm,
    rectification_reopen,
    rectification_send_back,
    rectification_submit,
)
from houqin.places.services import place_create

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def restroom(org_a, department):
    return place_create(
        organization=org_a,
        parent=None,
        data={"kind": "room", "code": "R-101", "name": "一楼卫生间", "department": department},
        actor=None,
    )


@pytest.fixture
def template(org_a, standards_officer):
    template = template_create(
        organization=org_a, actor=standards_officer, data={"name": "卫生间保洁检查"}
    )
    item_add(
        template=template, actor=standards_officer, data={"text": "地面无积水", "severity": "major"}
    )
    item_add(
        template=template,
        actor=standards_officer,
        data={
            "text": "洗手液充足",
            "finding_on_fail": False,
            "photo_rule": "never",
            "note_on_fail": False,
        },
    )
    return template


def _check(template, actor, restroom, values: dict[str, str]):
    record = record_start(template=template, actor=actor, place=restroom)
    photos = {}
    for answer in record.answers.select_related("item"):
        value = values.get(answer.item.text, "pass")
        answer_save(
            answer=answer, actor=actor, value=value, note="门口有积水" if value == "fail" else ""
        )
        photos[answer.pk] = 1
    return record_finish(record=record, actor=actor, photos=photos)


def test_a_failed_answer_raises_a_finding_for_the_place_department(
    template, standards_officer, restroom, department
) -> None:
    record = _check(
        template, standards_officer, restroom, {"地面无积水": "fail", "洗手液充足": "fail"}
    )
    finding = Finding.objects.get()  # the second item asks for no finding
    assert finding.record == record and finding.place == restroom and finding.severity == "major"
    assert finding.title == "地面无积水：不合格" and finding.description == "门口有积水"
    rectification = finding.rectification
    assert rectification.department == department and rectification.status == "assigned"
    policy = policy_for(record.organization)
    local = timezone_local(record.submitted_at)
    assert timezone_local(rectification.deadline).date() == local.date() + timedelta(
        days=policy.major_days
    )
    record_finish(record=record, actor=standards_officer, photos={})  # again: nothing new
    assert Finding.objects.count() == 1


def timezone_local(value: datetime) -> datetime:
    return value.astimezone(SHANGHAI)


def test_a_repeat_within_the_window_is_one_severity_higher(
    template, standards_officer, restroom
) -> None:
    first = _check(template, standards_officer, restroom, {"地面无积水": "fail"}).findings.get()
    second = _check(template, standards_officer, restroom, {"地面无积水": "fail"}).findings.get()
    assert second.repeat_of == first and second.severity == "critical"
    assert first.repeat_of is None


def test_a_manual_finding_needs_a_title_and_someone_responsible(
    org_a, standards_officer, restroom, department
) -> None:
    with pytest.raises(ValidationError) as caught:
        finding_raise(
            organization=org_a,
            actor=standards_officer,
            title=" ",
            severity="minor",
            responsible=Responsible(department=department),
        )
    assert "title" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        finding_raise(
            organization=org_a,
            actor=standards_officer,
            title="消防通道堆放杂物",
            severity="minor",
            responsible=Responsible(),
        )
    assert "department" in caught.value.message_dict
    raised = datetime(2026, 11, 26, 10, 0, tzinfo=SHANGHAI)
    finding = finding_raise(
        organization=org_a,
        actor=standards_officer,
        title="消防通道堆放杂物",
        severity="minor",
        responsible=Responsible(department=department),
        place=restroom,
        now=raised,
    )
    deadline = timezone_local(finding.rectification.deadline)
    assert deadline.date() == date(2026, 12, 3) and deadline.hour == 23


def test_the_loop_fix_send_back_fix_accept(
    org_a, standards_officer, worker, department, restroom
) -> None:
    finding = finding_raise(
        organization=org_a,
        actor=standards_officer,
        title="镜面有水渍",
        severity="minor",
        responsible=Responsible(department=department, person=worker),
        place=restroom,
    )
    rectification = finding.rectification
    with pytest.raises(ValidationError):
        rectification_submit(rectification=rectification, actor=worker, evidence="好")
    rectification_submit(rectification=rectification, actor=worker, evidence="已擦拭镜面并复查")
    with pytest.raises(ValidationError, match="原因"):
        rectification_send_back(rectification=rectification, actor=standards_officer, reason="")
    rectification_send_back(rectification=rectification, actor=standards_officer, reason="仍有水渍")
    assert rectification.status == "returned"
    rectification_submit(rectification=rectification, actor=worker, evidence="重新擦拭，已干燥")
    rectification_accept(rectification=rectification, actor=standards_officer)
    rectification.refresh_from_db()
    assert (
        rectification.status == "closed"
        and rectification.closed_at
        and rectification.verifier == standards_officer
    )


def test_a_major_finding_waits_for_the_effectiveness_check(
    template, standards_officer, worker, restroom
) -> None:
    finding = _check(template, standards_officer, restroom, {"地面无积水": "fail"}).findings.get()
    rectification = finding.rectification
    rectification_submit(rectification=rectification, actor=worker, evidence="铺设防滑垫并拖干")
    rectification_accept(
        rectification=rectification, actor=standards_officer, today=date(2026, 11, 26)
    )
    assert rectification.status == "effect_check" and rectification.effect_due == date(2026, 12, 10)
    with pytest.raises(ValidationError, match="到期后再复查"):
        rectification_confirm(
            rectification=rectification, actor=standards_officer, today=date(2026, 12, 1)
        )
    _check(template, standards_officer, restroom, {"地面无积水": "fail"})  # it came back
    with pytest.raises(ValidationError, match="又发生"):
        rectification_confirm(
            rectification=rectification, actor=standards_officer, today=date(2026, 12, 10)
        )
    rectification_reopen(
        rectification=rectification, actor=standards_officer, reason="复查时又有积水"
    )
    assert Rectification.objects.get(pk=rectification.pk).status == "returned"


def test_the_effectiveness_check_closes_when_nothing_recurred(
    template, standards_officer, worker, restroom
) -> None:
    rectification = (
        _check(template, standards_officer, restroom, {"地面无积水": "fail"})
        .findings.get()
        .rectification
    )
    rectification_submit(rectification=rectification, actor=worker, evidence="铺设防滑垫并拖干")
    rectification_accept(
        rectification=rectification, actor=standards_officer, today=date(2026, 11, 26)
    )
    rectification_confirm(
        rectification=rectification, actor=standards_officer, today=date(2026, 12, 10)
    )
    assert Rectification.objects.get(pk=rectification.pk).status == "closed"


def test_a_worker_cannot_accept_a_fix(org_a, standards_officer, worker, department) -> None:
    finding = finding_raise(
        organization=org_a,
        actor=standards_officer,
        title="垃圾桶满溢",
        severity="minor",
        responsible=Responsible(department=department, person=worker),
    )
    rectification_submit(rectification=finding.rectification, actor=worker, evidence="已清运垃圾")
    with pytest.raises(ValidationError, match="验收"):
        rectification_accept(rectification=finding.rectification, actor=worker)
