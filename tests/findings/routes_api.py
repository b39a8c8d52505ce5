"""Sweep entries for the findings API (see tests/test_url_sweep.py); the finding comes from
the sample of tests/findings/routes.py."""

from __future__ import annotations

from tests.routes import Route

FINDING = "findings.finding"
VIEW = "findings.view_finding"
FIX = "findings.change_rectification"

ROUTES: dict[str, Route] = {
    "api:finding-list": Route(VIEW, denied="served"),
    "api:finding-detail": Route(VIEW, sample=FINDING, denied="served"),
    **{
        f"api:finding-{step}": Route(FIX, sample=FINDING, method="post", denied="leader")
        for step in ("submit", "accept", "send-back", "confirm", "reopen")
    },
}
