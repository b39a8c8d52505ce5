"""Contracts through the workflow helper: draft → active → ended."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from houqin.common.models import ChangeLogEntry
from houqin.common.workflow import transition_apply
from houqin.org.models import Contract, Vendor
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def contract(org_a) -> Contract:
    supplier = Vendor.objects.create(organization=org_a, code="V1", name="洁美保洁公司")
    return Contract.objects.create(
        organization=org_a,
        vendor=supplier,
        number="HT-2026-01",
        title="办公楼保洁服务",
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 12, 31),
        amount=Decimal("480000"),
    )


def test_it_activates_then_ends_with_a_logged_reason(contract, leader) -> None:
    transition_apply(obj=contract, name="activate", actor=leader)
    with pytest.raises(ValidationError, match="请填写终止的原因"):
        transition_apply(obj=contract, name="end", actor=leader)
    transition_apply(obj=contract, name="end", actor=leader, note="服务商违约")
    contract.refresh_from_db()
    assert contract.status == "ended"
    entries = ChangeLogEntry.objects.filter(action="transition").order_by("id")
    assert [e.changes["status"] for e in entries] == [["草稿", "生效"], ["生效", "已终止"]]
    assert entries.last().note == "服务商违约"


def test_it_refuses_a_transition_from_the_wrong_state(contract, leader) -> None:
    with pytest.raises(ValidationError, match="当前状态为“草稿”，不能终止"):
        transition_apply(obj=contract, name="end", actor=leader, note="x")


def test_it_refuses_a_transition_without_the_permission(contract, worker) -> None:
    with pytest.raises(PermissionDenied):
        transition_apply(obj=contract, name="activate", actor=worker)


def test_it_detects_a_concurrent_change(contract, leader) -> None:
    stale = Contract.objects.get(pk=contract.pk)
    transition_apply(obj=contract, name="activate", actor=leader)
    stale.status = "draft"
    with pytest.raises(ValidationError, match="请刷新页面"):
        transition_apply(obj=stale, name="activate", actor=leader)


def test_it_notifies_the_leaders_after_commit(
    contract, leader, standards_officer, django_capture_on_commit_callbacks
) -> None:
    from tests.conftest import person

    other_leader = person(contract.organization, "leader2", "leader")
    with django_capture_on_commit_callbacks(execute=True):
        transition_apply(obj=contract, name="activate", actor=leader)
    from houqin.common.models import Notification

    notes = Notification.objects.filter(recipient=other_leader)
    assert notes.count() == 1 and "已生效" in notes.get().title
    assert not Notification.objects.filter(recipient=leader).exists()


def test_it_offers_the_transition_on_the_page_and_locks_editing_after(contract, leader) -> None:
    client = signed_in(leader)
    page = client.get(reverse("org:contract_detail", args=[contract.pk])).content.decode()
    assert "生效" in page and "修改" in page
    client.post(reverse("org:contract_transition", args=[contract.pk]), {"name": "activate"})
    contract.refresh_from_db()
    assert contract.status == "active"
    response = client.post(reverse("org:contract_update", args=[contract.pk]), {"title": "改名"})
    assert response.status_code == 403


def test_it_refuses_to_edit_the_status_through_a_form(contract, leader) -> None:
    from houqin.common.services import record_update

    with pytest.raises(ValidationError, match="流程"):
        record_update(obj=contract, actor=leader, data={"status": "active"})
