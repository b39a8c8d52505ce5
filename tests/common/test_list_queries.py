"""Shared list pages run the same number of queries for 2 rows and for 200."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from houqin.common.changelog import changelog_record
from houqin.common.models import ChangeLogEntry, WebhookEndpoint
from houqin.common.notifications import notify
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def changes(department, leader, total: int) -> None:
    while ChangeLogEntry.objects.count() < total:
        changelog_record(
            obj=department, action="update", actor=leader, changes={"name": ["a", "b"]}
        )


def notifications(worker, total: int) -> None:
    from houqin.common.models import Notification

    while Notification.objects.filter(recipient=worker).count() < total:
        notify(recipients=[worker], kind="system", title="通知")


def robots(org, total: int) -> None:
    while WebhookEndpoint.objects.count() < total:
        n = WebhookEndpoint.objects.count()
        WebhookEndpoint.objects.create(
            organization=org, name=f"群{n}", url=f"https://qyapi.weixin.qq.com/hook?key={n}"
        )


@pytest.mark.parametrize("which", ["changelog", "notifications", "robots"])
def test_it_runs_the_same_queries_for_2_and_200_rows(
    which: str, leader, worker, security_admin, department, org_a
) -> None:
    setups = {
        "changelog": (leader, reverse("changelog_list"), lambda n: changes(department, leader, n)),
        "notifications": (
            worker,
            reverse("common:notification_list"),
            lambda n: notifications(worker, n),
        ),
        "robots": (
            security_admin,
            reverse("common:webhookendpoint_list"),
            lambda n: robots(org_a, n),
        ),
    }
    user, url, add = setups[which]
    client = signed_in(user)
    add(2)
    client.get(url)
    before = count_queries(client, url)
    add(200)
    assert count_queries(client, url) == before
