"""Password policy, history, forced change and expiry (等保 8.1.4.1a)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from houqin.accounts.models import AuditEvent
from houqin.accounts.services import policy_update, user_change_password, user_reset_password
from tests.conftest import signed_in
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db
CHANGE = "/accounts/password/change/"


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Sh0rt!", "至少需要 10 个字符"),
        ("alllowercaseletters", "至少 3 种"),
        ("Dora-Was-Here-2026", "不能包含登录名"),
        ("Houqin-Rocks-2026", "系统名称"),
        ("password123", "常见"),
    ],
)
def test_it_refuses_weak_passwords_with_a_reason(worker, password: str, message: str) -> None:
    with pytest.raises(ValidationError) as error:
        user_change_password(user=worker, new_password=password)
    assert any(message in text for text in error.value.messages), error.value.messages


def test_it_refuses_any_of_the_last_five_passwords(worker) -> None:
    passwords = [f"Fresh-Secret-{n}x" for n in range(5)]
    for password in passwords:
        user_change_password(user=worker, new_password=password)
    for password in passwords:
        with pytest.raises(ValidationError, match="最近 5 次"):
            user_change_password(user=worker, new_password=password)
    user_change_password(user=worker, new_password="Fresh-Secret-9x")
    user_change_password(user=worker, new_password=PASSWORD)  # six changes ago: allowed again


def test_it_follows_the_policy_the_security_admin_sets(worker, security_admin) -> None:
    policy_update(actor=security_admin, values={"password_min_length": 14})
    with pytest.raises(ValidationError, match="至少需要 14 个字符"):
        user_change_password(user=worker, new_password="Only-12-chars")
    event = AuditEvent.objects.get(kind="policy_change")
    assert event.detail == {"changes": {"password_min_length": [10, 14]}}


def test_it_forces_a_change_on_first_login_and_after_a_reset(worker, system_admin) -> None:
    user_reset_password(actor=system_admin, user=worker)
    client = signed_in(worker)
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"] == CHANGE
    page = client.get(CHANGE).content.decode()
    assert "请先设置一个只有您知道的新密码" in page
    worker.refresh_from_db()
    response = client.post(
        CHANGE,
        {"old_password": "wrong", "new_password1": "A-New-Secret-77", "new_password2": "x"},
    )
    assert "当前密码不正确" in response.content.decode()
    assert "两次输入的新密码不一致" in response.content.decode()


def test_it_lets_the_user_change_the_password_and_keeps_the_session(worker) -> None:
    client = signed_in(worker)
    response = client.post(
        CHANGE,
        {
            "old_password": PASSWORD,
            "new_password1": "A-New-Secret-77",
            "new_password2": "A-New-Secret-77",
        },
    )
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200
    worker.refresh_from_db()
    assert worker.check_password("A-New-Secret-77") and not worker.must_change_password
    assert AuditEvent.objects.filter(kind="password_change", actor=worker).exists()


def test_it_forces_a_change_when_the_password_expires(worker) -> None:
    client = signed_in(worker)
    assert client.get(reverse("home")).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(days=91)):
        client = signed_in(worker)
        response = client.get(reverse("home"))
        assert response["Location"] == CHANGE
        assert "已超过有效期" in client.get(CHANGE).content.decode()


def test_it_exempts_demo_accounts_from_forced_changes(worker) -> None:
    worker.is_demo = True
    worker.must_change_password = True
    worker.save()
    with time_machine.travel(timezone.now() + timedelta(days=400)):
        assert signed_in(worker).get(reverse("home")).status_code == 200


def test_it_shows_the_validation_message_next_to_the_field(worker) -> None:
    response = signed_in(worker).post(
        CHANGE,
        {"old_password": PASSWORD, "new_password1": "short", "new_password2": "short"},
    )
    page = response.content.decode()
    assert 'id="id_new_password1_error"' in page and "至少需要 10 个字符" in page


def test_it_shows_every_problem_of_the_new_password_at_once(worker) -> None:
    page = (
        signed_in(worker)
        .post(
            CHANGE, {"old_password": PASSWORD, "new_password1": "short", "new_password2": "other"}
        )
        .content.decode()
    )
    assert "至少需要 10 个字符" in page and "两次输入的新密码不一致" in page
    assert "你的" not in page
