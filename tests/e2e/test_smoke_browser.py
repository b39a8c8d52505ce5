import json
from typing import Any

from playwright.sync_api import Page


def test_healthz_in_browser(page: Page, live_server: Any) -> None:
    response = page.goto(live_server.url + "/healthz")
    assert response is not None
    assert response.status == 200
    body = page.locator("body").inner_text()
    assert "ok" in body
    assert json.loads(response.text()) == {"status": "ok"}
