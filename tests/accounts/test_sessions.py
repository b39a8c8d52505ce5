"""Sessions: idle timeout with an injected clock, the user's list of sessions, ending them."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from houqin.accounts.models import AuditEvent, UserSession
from houqin.accounts.services import user_set_active
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def log_in(username: str = "dora", agent: str = "PhoneBrowser") -> Client:
    client = Client(HTTP_USER_AGENT=agent)
    response = client.post(reverse("accounts:login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def test_it_ends_a_session_idle_for_thirty_minutes(worker) -> None:
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        client = log_in()
        clock.shift(timedelta(minutes=29))
        assert client.get(reverse("home")).status_code == 200
        clock.shift(timedelta(minutes=29))
        assert client.get(reverse("home")).status_code == 200
        clock.shift(timedelta(minutes=31))
        response = client.get(reverse("home"))
        assert response.status_code == 302 and response["Location"] == reverse("accounts:login")
        assert AuditEvent.objects.filter(kind="timeout", actor=worker).exists()
        assert client.get(reverse("home")).status_code == 302


def test_it_does_not_count_polling_as_activity(worker) -> None:
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client = log_in()
        clock.shift(timedelta(minutes=20))
        assert client.get(reverse("home"), HTTP_X_HOUQIN_POLL="1").status_code == 200
        clock.shift(timedelta(minutes=15))
        assert client.get(reverse("home")).status_code == 302


def test_it_lists_and_ends_the_users_sessions(worker) -> None:
    phone = log_in(agent="PhoneBrowser")
    desk = log_in(agent="DeskBrowser")
    page = desk.get(reverse("accounts:sessions")).content.decode()
    assert "PhoneBrowser" in page and "DeskBrowser" in page and "当前设备" in page
    other = UserSession.objects.get(user=worker, user_agent="PhoneBrowser")
    response = desk.post(reverse("accounts:session_end", args=[other.pk]))
    assert response.status_code == 302
    assert phone.get(reverse("home")).status_code == 302
    assert desk.get(reverse("home")).status_code == 200


def test_it_does_not_let_a_user_end_someone_elses_session(worker, leader) -> None:
    log_in("dora")
    theirs = UserSession.objects.get(user=worker)
    response = log_in("alice").post(reverse("accounts:session_end", args=[theirs.pk]))
    assert response.status_code == 404


def test_it_ends_every_session_of_a_disabled_account(worker, system_admin) -> None:
    client = log_in()
    assert Session.objects.count() == 1
    user_set_active(actor=system_admin, user=worker, active=False)
    assert Session.objects.count() == 0 and not UserSession.objects.exists()
    assert client.get(reverse("home")).status_code == 302


def test_it_logs_out_only_by_post(worker) -> None:
    client = log_in()
    assert client.get(reverse("accounts:logout")).status_code == 405
    client.post(reverse("accounts:logout"))
    assert client.get(reverse("home")).status_code == 302
