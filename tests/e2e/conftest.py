"""Browser-test fixtures: Playwright's sync API driving Debian's /usr/bin/chromium.

pytest-playwright is not used and no browser is ever downloaded.  Every page records
the URLs it requests; a test fails at teardown if anything was loaded from a host
other than the live server's ("nothing loaded from another host").
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from importlib import import_module
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

# Playwright's sync API runs an event loop in this thread; without this, ORM calls
# made by the test itself raise SynchronousOnlyOperation.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from django.core.servers.basehttp import ThreadedWSGIServer
from django.test.testcases import LiveServerThread
from playwright.sync_api import Browser, BrowserContext, Page, Request, sync_playwright

# One lock for everything that touches the shared in-memory database (see below).
_DATABASE = threading.RLock()


class OneRequestAtATimeServer(ThreadedWSGIServer):
    """The live server, with Django answering one request at a time.

    On SQLite the tests' database lives in memory and every server thread shares its one
    connection; a page that sends two requests at once (an autosave and the live check
    beside it) then fails with "database table is locked", because shared-cache locks do
    not wait. A file database in production has a connection per thread and WAL, so this
    is the test server's problem: connections are still accepted in parallel, but the
    application runs under a lock. Responses here are never streamed from the database.
    Static files never touch it and are served beside, so a page's scripts are not kept
    waiting behind its requests.
    """

    def set_app(self, application: Any) -> None:
        from django.conf import settings

        def one_at_a_time(environ: Any, start_response: Any) -> Any:
            if environ.get("PATH_INFO", "").startswith(settings.STATIC_URL):
                return application(environ, start_response)
            with _DATABASE:
                return application(environ, start_response)

        super().set_app(one_at_a_time)


@pytest.fixture(scope="session", autouse=True)
def _queries_wait_for_requests(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    """The test's own queries, and the flush after a test, wait for a request the server
    is answering (a page's last autosave or panel refresh) instead of failing beside it."""
    from django.db import connection

    def waiting(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        with _DATABASE:
            return execute(sql, params, many, context)

    with django_db_blocker.unblock():
        connection.execute_wrappers.append(waiting)
    yield
    connection.execute_wrappers.remove(waiting)


LiveServerThread.server_class = OneRequestAtATimeServer

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DEFAULT_TIMEOUT_MS = 10_000
SHOTS_DIR = Path(__file__).resolve().parent / "_shots"

# URL schemes that never leave the browser.
_LOCAL_SCHEMES = {"data", "blob", "about", "javascript", "chrome", "chrome-extension"}


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} not found: run scripts/system-deps (as root)", pytrace=False)
    pw = sync_playwright().start()
    try:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()
    finally:
        pw.stop()


def _netloc(url: str) -> str:
    parts = urlsplit(url)
    port = parts.port or {"http": 80, "https": 443, "ws": 80, "wss": 443}.get(parts.scheme)
    return f"{parts.hostname}:{port}"


class _RequestLog:
    """Every URL a browser context requested, and which of them left the live server."""

    def __init__(self, server_url: str) -> None:
        self.server_url = server_url
        self.allowed = _netloc(server_url)
        self.urls: list[str] = []
        self.reported = 0

    def record(self, request: Request) -> None:
        self.urls.append(request.url)

    def check(self) -> None:
        """Fail (once per offending request) if anything came from another host."""
        new, self.reported = self.urls[self.reported :], len(self.urls)
        foreign = [
            url
            for url in new
            if urlsplit(url).scheme not in _LOCAL_SCHEMES and _netloc(url) != self.allowed
        ]
        if foreign:
            listing = "\n  ".join(dict.fromkeys(foreign))
            pytest.fail(
                f"page loaded resources from a host other than {self.server_url}:\n  {listing}",
                pytrace=False,
            )


_REQUEST_LOGS = pytest.StashKey[list[_RequestLog]]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    # Check right after the test body so a foreign request FAILS the test itself;
    # requests made later (while closing) are still caught at teardown.
    result = yield
    for log in item.stash.get(_REQUEST_LOGS, []):
        log.check()
    return result


def _open_page(
    request: pytest.FixtureRequest, browser: Browser, live_server: Any, **context_args: Any
) -> Iterator[Page]:
    log = _RequestLog(live_server.url)
    request.node.stash.setdefault(_REQUEST_LOGS, []).append(log)
    context: BrowserContext = browser.new_context(
        locale="zh-CN", timezone_id="Asia/Shanghai", base_url=live_server.url, **context_args
    )
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    context.on("request", log.record)
    try:
        yield context.new_page()
    finally:
        context.close()
    log.check()


@pytest.fixture
def page(request: pytest.FixtureRequest, browser: Browser, live_server: Any) -> Iterator[Page]:
    """Desktop page (1280x800, zh-CN, Asia/Shanghai) bound to live_server."""
    yield from _open_page(request, browser, live_server, viewport={"width": 1280, "height": 800})


@pytest.fixture
def phone_page(
    request: pytest.FixtureRequest, browser: Browser, live_server: Any
) -> Iterator[Page]:
    """Phone-sized touch page (375x740, zh-CN, Asia/Shanghai) bound to live_server."""
    yield from _open_page(
        request,
        browser,
        live_server,
        viewport={"width": 375, "height": 740},
        is_mobile=True,
        has_touch=True,
    )


@pytest.fixture
def screenshot_dir(tmp_path: Path) -> Path:
    """Where to save screenshots: tests/e2e/_shots/ with HOUQIN_SHOTS=1, else a tmp dir."""
    if os.environ.get("HOUQIN_SHOTS") == "1":
        SHOTS_DIR.mkdir(exist_ok=True)
        return SHOTS_DIR
    return tmp_path


_append_only = import_module("houqin.accounts.migrations.0002_audit_event_append_only")


@pytest.fixture(autouse=True)
def _audit_trail_flushable(request: pytest.FixtureRequest) -> Iterator[None]:
    """Live-server tests end with a flush, which the append-only triggers of the audit trail
    refuse: empty the trail with the triggers lifted, then put them back."""
    yield
    if "live_server" not in request.fixturenames:
        return
    from django.db import connection

    vendor = connection.vendor
    down = {"sqlite": _append_only.SQLITE_DOWN, "postgresql": _append_only.POSTGRES_DOWN}
    up = {"sqlite": _append_only.SQLITE_UP, "postgresql": _append_only.POSTGRES_UP}
    with connection.cursor() as cursor:
        for statement in down[vendor]:
            cursor.execute(statement)
        cursor.execute("DELETE FROM accounts_auditevent")
        for statement in up[vendor]:
            cursor.execute(statement)
