"""Special campaigns (专项检查): assigning tasks of kind “专项检查” once, a draw inside a
campaign linking its tasks, and the campaign page's pass rate and findings count."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from houqin.checklists.draw_services import DrawRequest
from houqin.checklists.models import Task
from houqin.checklists.services import (
    answer_save,
    campaign_create,
    campaign_tasks_assign,
    draw_create,
    item_add,
    record_complete,
    record_start,
    template_create,
)
from tests.checklists.task_builders import NOW, campus, place, template
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db
__all__ = ["campus", "template"]  # fixtures used here


@pytest.fixture(autouse=True)
def clock(time_machine) -> None:
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def campaign(org_a, department_head):
    return campaign_create(
        organization=org_a,
        actor=department_head,
        data={
            "title": "国庆前卫生专项检查",
            "topic": "公共卫生间保洁",
            "starts_on": date(2026, 9, 28),
            "ends_on": date(2026, 10, 8),
        },
    )


def assign(campaign, actor, template, where, worker):
    return campaign_tasks_assign(
        campaign=campaign,
        actor=actor,
        template=template,
        place=where,
        place_kind="room",
        person=worker,
        opens_at=NOW + timedelta(hours=1),
        due_at=NOW + timedelta(days=1),
    )


def test_dates_are_checked(org_a, department_head) -> None:
    with pytest.raises(ValidationError):
        campaign_create(
            organization=org_a,
            actor=department_head,
            data={
                "title": "倒着的",
                "topic": "x",
                "starts_on": date(2026, 10, 1),
                "ends_on": date(2026, 9, 1),
            },
        )


def test_tasks_are_special_and_made_once(
    campaign, department_head, worker, template, campus
) -> None:
    assert assign(campaign, department_head, template, campus["floor"], worker) == 2
    assert assign(campaign, department_head, template, campus["floor"], worker) == 0
    tasks = Task.objects.filter(campaign_links__campaign=campaign)
    assert set(tasks.values_list("kind", flat=True)) == {"special"}
    assert set(tasks.values_list("person", flat=True)) == {worker.pk}


def test_a_draw_in_a_campaign_links_its_tasks(
    org_a, campaign, department_head, worker, template, campus
) -> None:
    draw_create(
        organization=org_a,
        actor=department_head,
        request=DrawRequest(
            title="抽查",
            template=template,
            opens_at=NOW + timedelta(hours=1),
            due_at=NOW + timedelta(days=1),
            subjects_wanted=1,
            place=campus["floor"],
            place_kind="room",
            people=[worker],
            campaign=campaign,
        ),
    )
    assert Task.objects.filter(campaign_links__campaign=campaign, kind="random").count() == 1


def test_page_shows_pass_rate_and_findings(
    org_a,
    campaign,
    department_head,
    worker,
    leader,
    campus,
    department,
    django_assert_max_num_queries,
) -> None:
    sheet = template_create(organization=org_a, actor=department_head, data={"name": "茶水间"})
    item_add(
        template=sheet, actor=department_head, data={"text": "台面干净", "photo_rule": "never"}
    )
    room = place(org_a, campus["floor"], "room", "A-01-R8", "茶水间", department=department)
    assign(campaign, department_head, sheet, campus["floor"], worker)
    client = signed_in(leader)
    with django_assert_max_num_queries(40) as empty:
        client.get(f"/checklists/campaigns/{campaign.pk}/")
    tasks = Task.objects.filter(campaign_links__campaign=campaign).order_by("pk")
    for task, value in zip(tasks, ("pass", "fail"), strict=False):
        record = record_start(template=sheet, actor=worker, task=task, place=room)
        answer_save(answer=record.answers.get(), actor=worker, value=value, note="有水渍")
        record_complete(record=record, actor=worker)
    with django_assert_max_num_queries(len(empty.captured_queries)):
        page = client.get(f"/checklists/campaigns/{campaign.pk}/").content.decode()
    assert 'data-testid="campaign-pass-rate">50.0%' in page
    assert 'data-testid="campaign-findings">1<' in page
    assert signed_in(worker).get(f"/checklists/campaigns/{campaign.pk}/").status_code == 403
