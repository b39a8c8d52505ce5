"""TOTP two-factor: required for the three administrators, optional for everyone else."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from houqin.accounts.models import AuditEvent
from tests.conftest import TOTP_KEY_HEX, signed_in
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def code(key_hex: str = TOTP_KEY_HEX) -> str:
    return f"{totp(bytes.fromhex(key_hex)):06d}"


def password_step(username: str) -> Client:
    client = Client()
    response = client.post(reverse("accounts:login"), {"username": username, "password": PASSWORD})
    assert response["Location"] == reverse("accounts:login_otp")
    return client


def test_it_asks_an_administrator_for_a_code_before_signing_in(system_admin) -> None:
    client = password_step("sysadmin")
    assert client.get(reverse("home")).status_code == 302
    response = client.post(reverse("accounts:login_otp"), {"token": "000000"})
    assert "动态码不正确" in response.content.decode()
    assert AuditEvent.objects.filter(kind="otp_failed", actor=system_admin).exists()
    with time_machine.travel(timezone.now() + timedelta(seconds=5), tick=False):
        response = client.post(reverse("accounts:login_otp"), {"token": code()})
    assert response["Location"] == "/"
    assert client.get(reverse("accounts:user_list")).status_code == 200


def test_it_refuses_a_code_that_was_already_used(system_admin) -> None:
    with time_machine.travel(timezone.now(), tick=False):
        token = code()
        client = password_step("sysadmin")
        assert client.post(reverse("accounts:login_otp"), {"token": token})["Location"] == "/"
        client = password_step("sysadmin")
        response = client.post(reverse("accounts:login_otp"), {"token": token})
        assert response.status_code == 200 and "已使用过" in response.content.decode()


def test_it_makes_an_administrator_without_a_device_enrol_first(system_admin) -> None:
    TOTPDevice.objects.filter(user=system_admin).delete()
    client = password_step("sysadmin")
    response = client.get(reverse("accounts:login_otp"))
    assert response["Location"] == reverse("accounts:login_otp_setup")
    page = client.get(reverse("accounts:login_otp_setup")).content.decode()
    assert "<svg" in page and "密钥" in page
    device = TOTPDevice.objects.get(user=system_admin, confirmed=False)
    response = client.post(reverse("accounts:login_otp_setup"), {"token": code(device.key)})
    assert "请保存恢复码" in response.content.decode()
    assert client.get(reverse("accounts:user_list")).status_code == 200


def test_it_accepts_a_recovery_code_once(system_admin) -> None:
    from houqin.accounts.services import recovery_codes_new

    recovery = recovery_codes_new(user=system_admin)[0]
    client = password_step("sysadmin")
    assert client.post(reverse("accounts:login_otp"), {"token": recovery})["Location"] == "/"
    client = password_step("sysadmin")
    response = client.post(reverse("accounts:login_otp"), {"token": recovery})
    assert response.status_code == 200


def test_it_signs_out_an_administrator_session_without_a_second_factor(system_admin) -> None:
    client = Client()
    client.force_login(system_admin, backend="houqin.accounts.backends.LoginNameBackend")
    response = client.get(reverse("accounts:user_list"))
    assert response.status_code == 302 and response["Location"] == reverse("accounts:login")


def test_it_lets_a_worker_turn_two_factor_on_and_off(worker) -> None:
    client = signed_in(worker)
    page = client.get(reverse("accounts:two_factor") + "?setup=1").content.decode()
    assert "<svg" in page
    device = TOTPDevice.objects.get(user=worker, confirmed=False)
    response = client.post(reverse("accounts:two_factor"), {"token": code(device.key)})
    assert response.status_code == 200 and "请保存恢复码" in response.content.decode()
    second = Client()
    response = second.post(reverse("accounts:login"), {"username": "dora", "password": PASSWORD})
    assert response["Location"] == reverse("accounts:login_otp")
    client.post(reverse("accounts:two_factor_disable"))
    assert not TOTPDevice.objects.filter(user=worker).exists()


def test_it_does_not_let_an_administrator_turn_two_factor_off(system_admin) -> None:
    signed_in(system_admin).post(reverse("accounts:two_factor_disable"))
    assert TOTPDevice.objects.filter(user=system_admin).exists()


def test_it_asks_to_wait_after_wrong_codes(system_admin) -> None:
    with time_machine.travel(timezone.now(), tick=False):
        client = password_step("sysadmin")
        client.post(reverse("accounts:login_otp"), {"token": "000000"})
        response = client.post(reverse("accounts:login_otp"), {"token": code()})
        assert (
            "请等待 2 秒" in response.content.decode() or "请等待 1 秒" in response.content.decode()
        )


def test_it_shows_the_key_in_groups_of_four_for_typing(worker) -> None:
    page = signed_in(worker).get(reverse("accounts:two_factor") + "?setup=1").content.decode()
    key = page.split('data-testid="totp-secret">')[1].split("<")[0]
    assert all(len(group) == 4 for group in key.split(" ")[:-1]) and " " in key
