"""The API documentation renders from local files under the strict CSP."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_it_renders_swagger_ui_without_csp_violations(page, live_server) -> None:
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.goto(f"{live_server.url}/api/docs/")
    page.wait_for_selector("text=/api/v1/me/")
    assert page.locator(".swagger-ui .title").first.inner_text().startswith("Houqin API")
    assert violations == []
