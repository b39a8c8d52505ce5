"""Sign-in: messages that reveal nothing, lockout per account and per address, audit."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from houqin.accounts.models import AuditEvent
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"


def attempt(username: str, password: str, ip: str = "10.0.0.1") -> str:
    response = Client(REMOTE_ADDR=ip).post(LOGIN, {"username": username, "password": password})
    return response.content.decode() if response.status_code != 302 else "REDIRECT"


def test_it_signs_in_with_the_login_name_in_any_case(worker) -> None:
    client = Client()
    response = client.post(LOGIN, {"username": "DORA", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"
    assert "赵师傅" in client.get("/").content.decode()


def test_it_refuses_a_wrong_password_without_saying_which_part_was_wrong(worker) -> None:
    assert "登录名或密码不正确" in attempt("dora", "wrong-password")
    assert "登录名或密码不正确" in attempt("nobody-here", "wrong-password")


def test_it_refuses_disabled_accounts_with_the_same_words(worker) -> None:
    worker.is_active = False
    worker.save()
    assert "登录名或密码不正确" in attempt("dora", PASSWORD)


def test_it_locks_an_account_after_five_failures_even_for_the_right_password(worker) -> None:
    for n in range(5):
        attempt("dora", "wrong", ip=f"10.0.1.{n}")
    page = attempt("dora", PASSWORD, ip="10.0.2.1")
    assert "锁定 15 分钟" in page
    assert AuditEvent.objects.filter(kind="lockout", actor_username="dora").exists()


def test_it_locks_an_address_after_five_failures(worker) -> None:
    for n in range(5):
        attempt(f"someone{n}", "wrong", ip="10.9.9.9")
    assert "锁定" in attempt("dora", PASSWORD, ip="10.9.9.9")
    assert attempt("dora", PASSWORD, ip="10.9.9.10") == "REDIRECT"


def test_it_says_the_same_for_a_locked_name_that_does_not_exist(worker) -> None:
    for _ in range(5):
        attempt("ghost", "wrong", ip="10.0.3.1")
    for _ in range(5):
        attempt("dora", "wrong", ip="10.0.3.2")
    ghost = attempt("ghost", "x", ip="10.0.4.1")
    real = attempt("dora", "x", ip="10.0.4.2")
    assert "锁定" in ghost and "锁定" in real
    strip = lambda page: page.split('name="csrfmiddlewaretoken" value="')[0]  # noqa: E731
    assert strip(ghost).replace("ghost", "") == strip(real).replace("dora", "")


def test_it_unlocks_after_the_lock_time(worker) -> None:
    for n in range(5):
        attempt("dora", "wrong", ip=f"10.0.5.{n}")
    assert "锁定" in attempt("dora", PASSWORD, ip="10.0.6.1")
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        assert attempt("dora", PASSWORD, ip="10.0.6.2") == "REDIRECT"


def test_it_lets_the_security_admin_unlock(worker, security_admin, client_for) -> None:
    for n in range(5):
        attempt("dora", "wrong", ip=f"10.0.7.{n}")
    client = client_for(security_admin)
    assert "dora" in client.get(reverse("accounts:lockouts")).content.decode()
    client.post(reverse("accounts:lockout_clear"), {"username": "dora"})
    assert attempt("dora", PASSWORD, ip="10.0.8.1") == "REDIRECT"
    assert AuditEvent.objects.filter(kind="unlock", actor_username="secadmin").exists()


def test_it_audits_sign_in_failure_and_sign_out(worker) -> None:
    attempt("dora", "wrong", ip="10.1.1.1")
    client = Client(REMOTE_ADDR="10.1.1.2", HTTP_USER_AGENT="TestBrowser/1.0")
    client.post(LOGIN, {"username": "dora", "password": PASSWORD})
    client.post(reverse("accounts:logout"))
    failed = AuditEvent.objects.get(kind="login_failed")
    assert (failed.actor_username, failed.outcome, failed.ip) == ("dora", "failure", "10.1.1.1")
    login = AuditEvent.objects.get(kind="login")
    assert (login.actor_id, login.ip, login.user_agent) == (
        worker.pk,
        "10.1.1.2",
        "TestBrowser/1.0",
    )
    assert AuditEvent.objects.filter(kind="logout", actor=worker).exists()


def test_it_never_redirects_to_another_host_after_login(worker) -> None:
    response = Client().post(
        LOGIN, {"username": "dora", "password": PASSWORD, "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_it_uses_argon2_first(settings) -> None:
    from houqin import settings as project_settings

    assert project_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_it_lists_locked_names_and_addresses_for_the_security_admin(
    security_admin, client_for
) -> None:
    for n in range(5):
        attempt(f"guess{n}", "wrong", ip="10.0.0.8")
    page = client_for(security_admin).get(reverse("accounts:lockouts")).content.decode()
    assert "10.0.0.8" in page and "地址" in page
