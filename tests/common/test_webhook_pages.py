"""The security admin keeps the organization's group robots; addresses are limited to the
allowed hosts and never shown in full in lists."""

from __future__ import annotations

import pytest
from django.urls import reverse

from houqin.common.models import WebhookEndpoint
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db
SECRET_URL = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=secret-key-123"


def test_it_adds_a_robot_for_an_allowed_host_and_masks_its_key(security_admin) -> None:
    client = signed_in(security_admin)
    response = client.post(
        reverse("common:webhookendpoint_create"),
        {"name": "物业群", "url": SECRET_URL, "kind": "", "active": "on"},
    )
    robot = WebhookEndpoint.objects.get()
    assert response.status_code == 302 and robot.organization == security_admin.organization
    page = client.get(reverse("common:webhookendpoint_list")).content.decode()
    assert (
        "物业群" in page
        and "https://qyapi.weixin.qq.com/…" in page
        and "secret-key-123" not in page
    )


@pytest.mark.parametrize(
    "url", ["https://10.0.0.5/hook", "http://qyapi.weixin.qq.com/hook", "https://evil.example/x"]
)
def test_it_refuses_other_hosts_and_plain_http(security_admin, url: str) -> None:
    response = signed_in(security_admin).post(
        reverse("common:webhookendpoint_create"), {"name": "群", "url": url, "active": "on"}
    )
    assert "只能填写以下主机的 https 地址" in response.content.decode()
    assert not WebhookEndpoint.objects.exists()


@pytest.mark.parametrize(
    ("allowed", "delivered"), [(["qyapi.weixin.qq.com"], 1), (["oapi.dingtalk.com"], 0)]
)
def test_it_delivers_only_to_allowed_hosts(
    worker, settings, monkeypatch, django_capture_on_commit_callbacks, allowed, delivered
) -> None:
    from urllib.request import OpenerDirector

    from houqin.common.notifications import notify

    WebhookEndpoint.objects.create(organization=worker.organization, name="群", url=SECRET_URL)
    settings.HOUQIN_WEBHOOK_HOSTS = allowed
    sent = []

    def fake_open(self, request, *args, **kwargs):
        sent.append(request)
        raise OSError("stop here")  # the delivery itself is tested in test_notifications

    monkeypatch.setattr(OpenerDirector, "open", fake_open)
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[worker], kind="system", title="测试")
    assert bool(sent) == bool(delivered)


def test_it_emails_a_notification_to_a_user_with_an_address(
    worker, settings, django_capture_on_commit_callbacks, mailoutbox
) -> None:
    from houqin.common.notifications import notify

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    worker.email = "dora@example.gov.cn"
    worker.save()
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[worker], kind="system", title="合同已生效")
    assert [m.to for m in mailoutbox] == [["dora@example.gov.cn"]]
    assert "合同已生效" in mailoutbox[0].subject


def test_the_system_admin_records_an_email_address(system_admin, worker) -> None:
    signed_in(system_admin).post(
        reverse("accounts:user_detail", args=[worker.pk]),
        {"name": worker.name, "phone": "", "email": "dora@example.gov.cn", "department": ""},
    )
    worker.refresh_from_db()
    assert worker.email == "dora@example.gov.cn"
