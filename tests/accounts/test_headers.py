"""Security headers on every response and cookie flags behind the HTTPS switch."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/accounts/login/", "/healthz", "/api/schema/"])
def test_it_sends_the_security_headers(path: str) -> None:
    response = Client().get(path)
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_it_has_no_inline_script_in_pages(worker) -> None:
    from tests.conftest import signed_in

    for path in ["/accounts/login/", "/"]:
        client = signed_in(worker) if path == "/" else Client()
        page = client.get(path).content.decode()
        assert "<script>" not in page and " onclick=" not in page and "style=" not in page


def test_it_marks_cookies_secure_when_served_over_https(tmp_path) -> None:
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='houqin.settings'; django.setup();"
        "from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_NAME, s.SECURE_HSTS_SECONDS)"
    )
    env = {**os.environ, "HOUQIN_HTTPS": "1", "HOUQIN_VAR_DIR": str(tmp_path)}
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["True", "True", "__Host-houqin_session", "31536000"]


def test_it_passes_the_deployment_checks_over_https(tmp_path) -> None:
    env = {**os.environ, "HOUQIN_HTTPS": "1", "HOUQIN_VAR_DIR": str(tmp_path)}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set for the browser tests only
    command = [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"]
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
