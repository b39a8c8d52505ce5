"""What every signed-in request reads, each with a statement compiled once: the session
(houqin/accounts/sessions.py) and an administrator's two-factor device must be found as
Django's database store and django-otp find them."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.contrib.sessions.backends.db import SessionStore as DjangoStore
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from houqin.accounts.selectors import device_for_session
from houqin.accounts.sessions import SessionStore
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db


def saved(**data: object) -> str:
    store = SessionStore()
    store.update(data)
    store.create()
    assert store.session_key is not None
    return store.session_key


def test_it_reads_what_the_database_store_reads() -> None:
    key = saved(answer=42, name="张三")
    with CaptureQueriesContext(connection) as queries:
        data = SessionStore(key).load()
    assert data == DjangoStore(key).load() == {"answer": 42, "name": "张三"}
    assert len(queries) == 1
    row = SessionStore(key)._get_session_from_db()
    assert row is not None and row.expire_date == Session.objects.get(pk=key).expire_date


def test_it_finds_no_session_that_expired_or_was_ended() -> None:
    expired, ended = saved(a=1), saved(b=2)
    Session.objects.filter(pk=ended).delete()
    with time_machine.travel(timezone.now() + timedelta(days=15), tick=False):
        store = SessionStore(expired)
        assert store.load() == {} and store.session_key is None
    store = SessionStore(ended)
    assert store.load() == {} and store.session_key is None
    assert SessionStore("no-such-key-at-all").load() == {}


def test_a_session_ended_elsewhere_signs_out_on_the_next_request(worker) -> None:
    client = signed_in(worker)
    assert client.get(reverse("home")).status_code == 200
    Session.objects.all().delete()
    response = client.get(reverse("home"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_the_session_device_is_the_one_django_otp_loads(system_admin, worker) -> None:
    totp = TOTPDevice.objects.get(user=system_admin)
    static = StaticDevice.objects.create(user=system_admin, name="backup", confirmed=True)
    for device in (totp, static):
        loaded = device_for_session(device.persistent_id)
        expected = Device.from_persistent_id(device.persistent_id)
        assert loaded is not None and type(loaded) is type(expected)
        for field in type(device)._meta.concrete_fields:
            assert getattr(loaded, field.attname) == getattr(expected, field.attname)
    for wrong in ("otp_totp.totpdevice/999", "otp_totp.totpdevice/x", "no.such/1", "junk"):
        assert device_for_session(wrong) is None
    assert device_for_session("accounts.user/1") is None  # not a device


def test_an_administrator_whose_device_is_removed_is_signed_out(system_admin) -> None:
    client = signed_in(system_admin)
    assert client.get(reverse("accounts:user_list")).status_code == 200
    TOTPDevice.objects.filter(user=system_admin).update(confirmed=False)
    response = client.get(reverse("accounts:user_list"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
