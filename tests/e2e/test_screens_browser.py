"""Full-page screenshots of every accounts screen at 375 px and 1280 px, for a person to
look at (HOUQIN_SHOTS=1 writes them to tests/e2e/_shots/; skipped otherwise)."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.test import Client
from playwright.sync_api import Page, expect

from houqin.accounts.models import User
from tests.conftest import person
from tests.e2e.browser import sign_in_as, submit_login
from tests.factories import PASSWORD

pytestmark = pytest.mark.skipif(
    os.environ.get("HOUQIN_SHOTS") != "1", reason="screenshots only with HOUQIN_SHOTS=1"
)


@pytest.fixture(params=["phone", "desktop"])
def screen(request: pytest.FixtureRequest) -> Page:
    return request.getfixturevalue("phone_page" if request.param == "phone" else "page")


class Camera:
    def __init__(self, page: Page, directory: Path, live_server: Any) -> None:
        self.page = page
        self.directory = directory
        self.live_server = live_server

    def as_user(self, user: User | None) -> None:
        self.page.context.clear_cookies()
        if user is not None:
            sign_in_as(self.page, user, self.live_server)

    def open(self, path: str) -> None:
        self.page.goto(path)
        expect(self.page.locator("h1, .empty-title").first).to_be_visible()

    def shoot(self, name: str) -> None:
        width = self.page.viewport_size["width"] if self.page.viewport_size else 0
        self.page.screenshot(
            path=self.directory / f"{name}-{width}.png", full_page=True, animations="disabled"
        )


@pytest.fixture
def camera(screen: Page, screenshot_dir: Path, live_server: Any) -> Camera:
    return Camera(screen, screenshot_dir, live_server)


def test_it_shoots_the_sign_in_steps(camera: Camera, system_admin: User, org_a: Any) -> None:
    page = camera.page
    camera.open("/accounts/login/")
    camera.shoot("01-login")

    submit_login(page, "nobody", "Wrong-Horse-99")
    expect(page.get_by_role("alert")).to_be_visible()
    camera.shoot("02-login-error")

    submit_login(page, system_admin.username)
    expect(page).to_have_url(re.compile(r"/accounts/login/otp/$"))
    camera.shoot("03-two-factor-step")

    page.context.clear_cookies()
    person(org_a, "newbie", "worker", name="钱新人", must_change_password=True)
    submit_login(page, "newbie")
    expect(page.locator("[data-testid=password-reason]")).to_be_visible()
    camera.shoot("04-password-forced")
    page.get_by_label("当前密码", exact=True).fill(PASSWORD)
    page.get_by_label("新密码", exact=True).fill("short")
    page.get_by_label("再次输入新密码", exact=True).fill("other")
    page.get_by_role("button", name="保存新密码").click()
    expect(page.locator(".invalid-feedback").first).to_be_visible()
    camera.shoot("05-password-errors")


def test_it_shoots_the_home_of_each_role(
    camera: Camera,
    worker: User,
    system_admin: User,
    security_admin: User,
    audit_admin: User,
) -> None:
    for user, name in (
        (worker, "worker"),
        (system_admin, "system-admin"),
        (security_admin, "security-admin"),
        (audit_admin, "audit-admin"),
    ):
        camera.as_user(user)
        camera.open("/")
        camera.shoot(f"10-home-{name}")
    camera.as_user(worker)
    camera.open("/")
    toggler = camera.page.locator(".navbar-toggler")
    if toggler.is_visible():
        toggler.click()
        expect(camera.page.locator("#sidebar-menu")).to_be_visible()
        camera.shoot("11-home-worker-menu")
        camera.page.locator("#user-menu-phone").click()
    else:
        camera.page.locator("#user-menu-desktop").click()
    expect(camera.page.get_by_role("button", name="退出登录")).to_be_visible()
    camera.shoot("12-home-worker-user-menu")


def test_it_shoots_the_own_pages(camera: Camera, worker: User) -> None:
    camera.as_user(worker)
    for path, name in (
        ("/accounts/profile/", "20-profile"),
        ("/accounts/sessions/", "21-sessions"),
        ("/accounts/two-factor/", "22-two-factor"),
        ("/accounts/two-factor/?setup=1", "23-two-factor-setup"),
        ("/accounts/password/change/", "24-password-change"),
    ):
        camera.open(path)
        camera.shoot(name)


def test_it_shoots_account_administration(
    camera: Camera,
    system_admin: User,
    security_admin: User,
    worker: User,
    leader: User,
    department_head: User,
    vendor_worker: User,
) -> None:
    page = camera.page
    camera.as_user(system_admin)
    camera.open("/accounts/users/")
    camera.shoot("30-user-list")
    camera.open("/accounts/users/?q=nobody")
    camera.shoot("31-user-list-empty")

    camera.open(f"/accounts/users/{worker.pk}/")
    camera.shoot("32-user-detail")
    page.get_by_role("button", name="停用账号").click()
    expect(page.locator("#set-active")).to_be_visible()
    camera.shoot("33-user-detail-disable-modal")

    camera.open("/accounts/users/new/")
    page.get_by_label("登录名").fill("坏 名字")
    page.get_by_label("手机号").fill("12345")
    page.get_by_role("button", name="创建账号").click()
    expect(page.locator(".invalid-feedback").first).to_be_visible()
    camera.shoot("34-user-create-errors")

    camera.as_user(security_admin)
    camera.open(f"/accounts/users/{worker.pk}/")
    camera.shoot("35-user-detail-roles")


def test_it_shoots_security_and_audit(
    camera: Camera, security_admin: User, audit_admin: User, worker: User
) -> None:
    AccessAttempt.objects.create(
        username="dora",
        ip_address="10.0.0.8",
        user_agent="Mozilla/5.0 (Linux; Android 10)",
        http_accept="*/*",
        path_info="/accounts/login/",
        get_data="",
        post_data="",
        failures_since_start=5,
    )
    Client().post("/accounts/login/", {"username": "dora", "password": "Wrong-Horse-99"})
    camera.as_user(security_admin)
    camera.open("/accounts/roles/")
    camera.shoot("40-roles")
    camera.open("/accounts/policy/")
    camera.shoot("41-policy")
    camera.open("/accounts/lockouts/")
    camera.shoot("42-lockouts")

    camera.as_user(audit_admin)
    camera.open("/accounts/audit/")
    camera.shoot("43-audit")


def test_it_shoots_the_error_pages(camera: Camera, worker: User) -> None:
    camera.as_user(worker)
    camera.open("/accounts/users/")
    camera.shoot("50-forbidden")
    camera.open("/no-such-page/")
    camera.shoot("51-not-found")
