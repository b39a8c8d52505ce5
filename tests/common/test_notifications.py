"""Notifications: inbox rows in one query, deliveries after the commit, the person's pages."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from houqin.common import tasks
from houqin.common.models import Notification, NotificationPreference, WebhookEndpoint
from houqin.common.notifications import (
    NOTIFICATION_KINDS,
    notification_list,
    notification_preferences,
    notification_preferences_set,
    notify,
    unread_count,
)
from tests.conftest import signed_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ROBOT = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=test"


class FakeResponse:
    def __init__(self, status: int = 200, body: bytes = b'{"errcode": 0}') -> None:
        self.status = status
        self.body = body

    def read(self, limit: int = -1) -> bytes:
        return self.body

    def __enter__(self) -> FakeResponse:
        return self

    def __exit__(self, *args: Any) -> None:
        return None


class Robot:
    """Every webhook POST, answered with ``outcome`` (a response, or an error to raise)."""

    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []
        self.outcome: Any = FakeResponse()

    def open(self, director: Any, request: Any, data: Any = None, timeout: Any = None) -> Any:
        self.calls.append(
            {
                "url": request.full_url,
                "payload": json.loads(request.data),
                "timeout": timeout,
                "method": request.get_method(),
            }
        )
        if isinstance(self.outcome, Exception):
            raise self.outcome
        return self.outcome


@pytest.fixture
def robot(monkeypatch) -> Robot:
    """Delivery opens through an opener that refuses redirects, so the patch sits where
    urlopen itself ends up: OpenerDirector.open."""
    fake = Robot()

    def fake_open(director, request, data=None, timeout=None):
        return fake.open(director, request, data, timeout)

    monkeypatch.setattr(urllib.request.OpenerDirector, "open", fake_open)
    return fake


def send(recipients, **fields: Any) -> list[Notification]:
    fields.setdefault("kind", "workflow")
    fields.setdefault("title", "合同待审核")
    return notify(recipients=recipients, **fields)


def test_it_creates_inbox_rows_in_one_query(
    leader, worker, department_head, django_assert_num_queries
) -> None:
    with django_assert_num_queries(1):
        created = send([leader, worker, department_head, worker], body="请审核", link="/x/")
    assert len(created) == 3 and all(n.pk for n in created)
    assert {n.recipient_id for n in Notification.objects.all()} == {
        leader.pk,
        worker.pk,
        department_head.pk,
    }
    assert {n.organization_id for n in created} == {leader.organization_id}


def test_it_links_the_target_row(worker, department) -> None:
    (notification,) = send([worker], target=department, link=f"/departments/{department.pk}/")
    notification = Notification.objects.get(pk=notification.pk)
    assert notification.target == department


def test_it_refuses_unknown_kinds_foreign_links_and_skips_disabled_people(worker, org_a) -> None:
    with pytest.raises(ValidationError):
        send([worker], kind="nonsense")
    for link in ("https://evil.example/", "//evil.example/", "javascript:alert(1)"):
        with pytest.raises(ValidationError):
            send([worker], link=link)
    gone = UserFactory(organization=org_a, is_active=False)
    assert send([gone]) == []
    assert not Notification.objects.exists()


def test_it_lets_later_apps_register_kinds(worker, monkeypatch) -> None:
    monkeypatch.setitem(NOTIFICATION_KINDS, "finding", "问题整改")
    (notification,) = send([worker], kind="finding")
    page = signed_in(worker).get(reverse("common:notification_list")).content.decode()
    assert "问题整改" in page and notification.title in page


def test_it_posts_to_the_group_robot_once_per_organization_after_commit(
    leader, worker, org_a, robot, django_capture_on_commit_callbacks
) -> None:
    WebhookEndpoint.objects.create(organization=org_a, name="值班群", url=ROBOT)
    WebhookEndpoint.objects.create(organization=org_a, name="停用群", url=ROBOT, active=False)
    WebhookEndpoint.objects.create(organization=org_a, name="别的类别", url=ROBOT, kind="system")
    with django_capture_on_commit_callbacks(execute=True):
        send([leader, worker], body="甲合同待审核")
        assert robot.calls == []  # nothing leaves before the commit
    assert len(robot.calls) == 1
    assert robot.calls[0]["payload"] == {
        "msgtype": "text",
        "text": {"content": "【流程变更】合同待审核\n甲合同待审核"},
    }
    assert robot.calls[0]["timeout"] == 5 and robot.calls[0]["method"] == "POST"


def test_it_follows_the_preferences(
    leader, worker, org_a, robot, django_capture_on_commit_callbacks
) -> None:
    WebhookEndpoint.objects.create(organization=org_a, name="值班群", url=ROBOT)
    for person in (leader, worker):
        notification_preferences_set(user=person, enabled={("system", "webhook")})
    with django_capture_on_commit_callbacks(execute=True):
        send([leader, worker])
    assert robot.calls == []
    assert Notification.objects.count() == 2  # the inbox is always on
    prefs = notification_preferences(user=worker)
    assert prefs[("workflow", "inbox")] is True
    assert prefs[("workflow", "webhook")] is False and prefs[("system", "webhook")] is True
    notification_preferences_set(user=worker, enabled={("workflow", "webhook")})
    with django_capture_on_commit_callbacks(execute=True):
        send([leader, worker])
    assert len(robot.calls) == 1


def test_it_keeps_the_inbox_on_in_the_database(worker) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        NotificationPreference.objects.create(
            user=worker, kind="workflow", channel="inbox", enabled=False
        )


def test_it_retries_a_failing_webhook_three_times_then_stops(
    worker, org_a, robot, django_capture_on_commit_callbacks
) -> None:
    WebhookEndpoint.objects.create(organization=org_a, name="值班群", url=ROBOT)
    robot.outcome = urllib.error.URLError("connection refused")
    with django_capture_on_commit_callbacks(execute=True):
        send([worker])
    assert len(robot.calls) == 3


def test_it_counts_an_errcode_answer_as_a_failure(worker, org_a, robot) -> None:
    endpoint = WebhookEndpoint.objects.create(organization=org_a, name="值班群", url=ROBOT)
    (notification,) = send([worker])
    robot.outcome = FakeResponse(body=b'{"errcode": 93000, "errmsg": "invalid"}')
    result = tasks.deliver_notification.enqueue(notification.pk, "webhook", 3, endpoint.pk)
    assert result.return_value == "failed" and len(robot.calls) == 1
    robot.outcome = FakeResponse()
    result = tasks.deliver_notification.enqueue(notification.pk, "webhook")
    assert result.return_value == "fanned out" and len(robot.calls) == 2


def test_it_never_posts_to_plain_http_nor_follows_redirects(robot) -> None:
    with pytest.raises(tasks.DeliveryError):
        tasks.post_json("http://10.0.0.1/hook", {})
    assert robot.calls == []
    assert tasks._NoRedirect().redirect_request(None, None, 302, "Found", {}, "https://x/") is None
    handlers = urllib.request.build_opener(tasks._NoRedirect).handlers
    redirects = [h for h in handlers if isinstance(h, urllib.request.HTTPRedirectHandler)]
    assert [type(h) for h in redirects] == [tasks._NoRedirect]


def test_it_only_stores_https_webhooks(org_a) -> None:
    endpoint = WebhookEndpoint(organization=org_a, name="群", url="http://example.com/hook")
    with pytest.raises(ValidationError):
        endpoint.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        endpoint.save()


def test_it_skips_email_without_an_address(worker, mailoutbox) -> None:
    (notification,) = send([worker])
    result = tasks.deliver_notification.enqueue(notification.pk, "email")
    assert result.return_value == "skipped" and mailoutbox == []


def test_it_lists_only_the_users_own_notifications_unread_first(leader, worker) -> None:
    old_unread, old_read = send([worker], title="旧的未读"), send([worker], title="旧的已读")
    Notification.objects.filter(pk=old_read[0].pk).update(read_at=timezone.now())
    Notification.objects.filter(pk=old_unread[0].pk).update(
        created_at=timezone.now() - timezone.timedelta(days=2)
    )
    send([worker], title="新的未读")
    send([leader], title="领导的通知")
    assert [n.title for n in notification_list(user=worker)] == ["新的未读", "旧的未读", "旧的已读"]
    page = signed_in(worker).get(reverse("common:notification_list")).content.decode()
    assert "新的未读" in page and "领导的通知" not in page
    assert page.index("新的未读") < page.index("旧的未读") < page.index("旧的已读")
    assert "2 条未读" in page


def test_it_runs_the_same_queries_for_2_and_20_notifications(worker) -> None:
    client = signed_in(worker)
    client.get(reverse("common:notification_list"))
    counts = []
    for total in (2, 20):
        while Notification.objects.filter(recipient=worker).count() < total:
            send([worker], link="/x/")
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("common:notification_list")).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_it_paginates_by_25(worker) -> None:
    for _ in range(27):
        send([worker])
    client = signed_in(worker)
    page = client.get(reverse("common:notification_list")).content.decode()
    assert page.count('data-testid="notification"') == 25
    page = client.get(reverse("common:notification_list"), {"page": 2}).content.decode()
    assert page.count('data-testid="notification"') == 2


def test_it_counts_unread_in_one_query(worker, leader, django_assert_num_queries) -> None:
    send([worker])
    send([worker, leader])
    with django_assert_num_queries(1):
        assert unread_count(worker) == 2
    Notification.objects.filter(recipient=worker).update(read_at=timezone.now())
    assert unread_count(worker) == 0


def test_it_marks_one_read_and_serves_a_fragment_to_htmx(worker) -> None:
    first, second = send([worker], title="一"), send([worker], title="二")
    client = signed_in(worker)
    response = client.post(reverse("common:notification_read", args=[first[0].pk]))
    assert response.status_code == 302
    assert Notification.objects.get(pk=first[0].pk).read_at is not None
    response = client.post(
        reverse("common:notification_read", args=[second[0].pk]), headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert response.status_code == 200 and html.lstrip().startswith("<li")
    assert "标为已读" not in html and "二" in html
    assert response["HX-Trigger"] == "notifications-changed"
    assert unread_count(worker) == 0


def test_it_marks_all_read(worker, leader) -> None:
    send([worker])
    send([worker, leader])
    response = signed_in(worker).post(reverse("common:notification_read_all"))
    assert response.status_code == 302
    assert unread_count(worker) == 0 and unread_count(leader) == 1


def test_it_saves_the_settings_page(worker) -> None:
    client = signed_in(worker)
    page = client.get(reverse("common:notification_settings")).content.decode()
    assert page.count('type="checkbox"') == len(NOTIFICATION_KINDS) * 3
    assert "系统通知" in page and "群机器人" in page
    response = client.post(reverse("common:notification_settings"), {"system:email": "1"})
    assert response.status_code == 302
    prefs = notification_preferences(user=worker)
    assert prefs[("system", "email")] is True and prefs[("workflow", "email")] is False
    assert prefs[("workflow", "webhook")] is False and prefs[("workflow", "inbox")] is True


def test_it_needs_sign_in() -> None:
    client = Client()
    for method, url in [
        ("get", reverse("common:notification_list")),
        ("get", reverse("common:notification_settings")),
        ("post", reverse("common:notification_read_all")),
        ("post", reverse("common:notification_read", args=[1])),
    ]:
        response = getattr(client, method)(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_it_gives_404_for_someone_elses_notification(worker, leader, outsider) -> None:
    (notification,) = send([worker])
    url = reverse("common:notification_read", args=[notification.pk])
    assert signed_in(outsider).post(url).status_code == 404
    assert signed_in(leader).post(url).status_code == 404
    assert Notification.objects.get(pk=notification.pk).read_at is None
